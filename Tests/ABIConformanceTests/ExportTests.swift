import CFFI
import Foundation
import Testing

/// A symbol of an ELF file's dynamic symbol table.
struct DynamicSymbol {
    let name: String
    /// STB_LOCAL 0, STB_GLOBAL 1, STB_WEAK 2, STB_GNU_UNIQUE 10.
    let binding: UInt8
    let defined: Bool
}

/// Reads the .dynsym of a 64-bit little-endian ELF file.
func dynamicSymbols(ofFile path: String) throws -> [DynamicSymbol] {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    func read<T: FixedWidthInteger>(_ offset: Int, as: T.Type) throws -> T {
        guard offset >= 0, offset + MemoryLayout<T>.size <= bytes.count else { throw CallFailed(description: "\(path): truncated ELF") }
        return (0..<MemoryLayout<T>.size).reversed().reduce(T.zero) { $0 << 8 | T(bytes[offset + $1]) }
    }
    try #require(bytes.starts(with: [0x7F, 0x45, 0x4C, 0x46, 2, 1]), "\(path) is not a 64-bit little-endian ELF file")
    let sectionTable = Int(try read(0x28, as: UInt64.self))
    let sectionSize = Int(try read(0x3A, as: UInt16.self))
    let sectionCount = Int(try read(0x3C, as: UInt16.self))
    /// (type, offset, size, link, entry size) of section `i`.
    func section(_ i: Int) throws -> (type: UInt32, offset: Int, size: Int, link: Int, entrySize: Int) {
        let h = sectionTable + i * sectionSize
        return (try read(h + 4, as: UInt32.self), Int(try read(h + 24, as: UInt64.self)),
                Int(try read(h + 32, as: UInt64.self)), Int(try read(h + 40, as: UInt32.self)),
                Int(try read(h + 56, as: UInt64.self)))
    }
    let sections = try (0..<sectionCount).map(section)
    let dynsym = try #require(sections.first { $0.type == 11 }, "\(path) has no .dynsym")
    let strings = sections[dynsym.link]
    return try stride(from: dynsym.offset, to: dynsym.offset + dynsym.size, by: dynsym.entrySize).map { s in
        let start = strings.offset + Int(try read(s, as: UInt32.self))
        let end = try #require(bytes[start...].firstIndex(of: 0))
        return DynamicSymbol(name: String(decoding: bytes[start..<end], as: UTF8.self),
                             binding: bytes[s + 4] >> 4, defined: try read(s + 6, as: UInt16.self) != 0)
    }
}

@Suite("Exports of libswiftvi.so")
struct ExportTests {
    @Test("the header parses into the functions it declares")
    func headerDeclarations() {
        let functions = Header.functions
        #expect(functions.contains("svi_dist_new"))
        #expect(functions.contains("svi_last_error_message"))
        #expect(!functions.contains("svi_log_density_fn"))
        #expect(!functions.contains("svi_progress_fn"))
        #expect(functions.count >= 50)
        #expect(Header.statusNames.count == 11)
    }

    @Test("dlsym finds every function the header declares")
    func everyDeclarationIsExported() throws {
        let handle = try Repository.loaded()
        for name in Header.functions.sorted() {
            #expect(dlsym(handle, name) != nil, "\(name) is declared in swiftvi.h but not exported")
        }
    }

    @Test("the library exports nothing but declared svi_* functions")
    func onlyDeclaredSymbolsAreExported() throws {
        let symbols = try dynamicSymbols(ofFile: try Repository.library())
        let exported = symbols.filter { $0.defined && [1, 2, 10].contains($0.binding) }.map(\.name)
        #expect(exported.count >= Header.functions.count)
        #expect(exported.filter { !$0.hasPrefix("svi_") } == [])
        #expect(Set(exported).subtracting(Header.functions).sorted() == [], "exported but not declared in swiftvi.h")
    }
}
