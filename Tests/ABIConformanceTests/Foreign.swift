import CFFI
import CSwiftVI
import Foundation
import Testing

/// The C types of the header as libffi describes them.
enum ForeignType {
    case sint32, uint32, uint64, size, double, pointer
    /// svi_array: { const double *, size_t, const size_t * }.
    case array
    /// svi_key: { uint32_t data[2] }.
    case key
}

/// libswiftvi.so loaded with dlopen and called through libffi, as a foreign
/// caller would: nothing here goes through the header module.
final class ForeignLibrary {
    private let handle: UnsafeMutableRawPointer
    private let arrayType: ForeignStruct
    private let keyType: ForeignStruct

    init() throws {
        handle = try Repository.loaded()
        arrayType = try ForeignStruct([Self.builtin("ffi_type_pointer"), Self.builtin("ffi_type_uint64"),
                                       Self.builtin("ffi_type_pointer")])
        keyType = try ForeignStruct([Self.builtin("ffi_type_uint32"), Self.builtin("ffi_type_uint32")])
    }

    /// One of libffi's predefined types, found by its symbol name.
    private static func builtin(_ name: String) throws -> UnsafeMutablePointer<ffi_type> {
        try #require(dlsym(nil, name), "libffi's \(name) not found").assumingMemoryBound(to: ffi_type.self)
    }

    private func type(_ t: ForeignType) throws -> UnsafeMutablePointer<ffi_type> {
        switch t {
        case .sint32: try Self.builtin("ffi_type_sint32")
        case .uint32: try Self.builtin("ffi_type_uint32")
        case .uint64, .size: try Self.builtin("ffi_type_uint64")
        case .double: try Self.builtin("ffi_type_double")
        case .pointer: try Self.builtin("ffi_type_pointer")
        case .array: arrayType.type
        case .key: keyType.type
        }
    }

    /// The function `name` of the library with the given C signature.
    func function(_ name: String, returns: ForeignType = .sint32, _ arguments: [ForeignType]) throws -> ForeignFunction {
        let pointer = try #require(dlsym(handle, name), "\(name) is not exported")
        return try ForeignFunction(name, pointer, returns: type(returns), arguments.map(type))
    }

    /// Calls the function `name`, which returns svi_status.
    func status(_ name: String, _ types: [ForeignType], _ arguments: [ForeignArgument]) throws -> svi_status {
        svi_status(truncatingIfNeeded: try function(name, types).call(arguments))
    }
}

/// An ffi_type for a C struct of the given members.
final class ForeignStruct {
    let type: UnsafeMutablePointer<ffi_type>
    private let elements: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>

    init(_ members: [UnsafeMutablePointer<ffi_type>]) throws {
        elements = .allocate(capacity: members.count + 1)
        for (i, m) in members.enumerated() { elements[i] = m }
        elements[members.count] = nil
        type = .allocate(capacity: 1)
        type.initialize(to: ffi_type(size: 0, alignment: 0, type: UInt16(FFI_TYPE_STRUCT), elements: elements))
    }

    deinit {
        type.deallocate()
        elements.deallocate()
    }
}

/// An argument of a foreign call: the bytes of a C value.
struct ForeignArgument {
    let bytes: [UInt8]
    init<T: BitwiseCopyable>(_ value: T) { bytes = withUnsafeBytes(of: value) { Array($0) } }
}

/// A library function prepared for ffi_call.
final class ForeignFunction {
    let name: String
    private let pointer: UnsafeMutableRawPointer
    private let cif: UnsafeMutablePointer<ffi_cif>
    private let argumentTypes: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>
    private let argumentSizes: [Int]

    init(_ name: String, _ pointer: UnsafeMutableRawPointer, returns: UnsafeMutablePointer<ffi_type>,
         _ arguments: [UnsafeMutablePointer<ffi_type>]) throws {
        self.name = name
        self.pointer = pointer
        cif = .allocate(capacity: 1)
        argumentTypes = .allocate(capacity: max(arguments.count, 1))
        for (i, a) in arguments.enumerated() { argumentTypes[i] = a }
        let status = ffi_prep_cif(cif, FFI_DEFAULT_ABI, UInt32(arguments.count), returns, argumentTypes)
        argumentSizes = arguments.map { $0.pointee.size }
        try #require(status == FFI_OK, "ffi_prep_cif(\(name)) failed")
    }

    deinit {
        cif.deallocate()
        argumentTypes.deallocate()
    }

    /// Calls the function and returns its return value as libffi widens it
    /// (an ffi_arg for integers and pointers).
    func call(_ arguments: [ForeignArgument]) throws -> UInt64 {
        try #require(arguments.map(\.bytes.count) == argumentSizes, "\(name): argument sizes differ from libffi's layout")
        let storage = arguments.map { a in
            let p = UnsafeMutableRawPointer.allocate(byteCount: max(a.bytes.count, 8), alignment: 16)
            p.copyMemory(from: a.bytes, byteCount: a.bytes.count)
            return p
        }
        defer { storage.forEach { $0.deallocate() } }
        var values: [UnsafeMutableRawPointer?] = storage
        var result: UInt64 = 0
        values.withUnsafeMutableBufferPointer { v in
            ffi_call(cif, unsafeBitCast(pointer, to: (@convention(c) () -> Void).self), &result, v.baseAddress)
        }
        return result
    }
}
