import CSwiftVI
import SwiftVI

/// Conversions between C arguments and Swift values, with the checks that keep
/// every caller input from trapping.
enum Marshal {
    /// The most elements one array may have.
    static let maxElements = 1 << 30

    /// `pointer`, or a null-pointer failure naming it.
    static func required<T>(_ pointer: T?, _ name: String) throws -> T {
        guard let pointer else { throw ABIFailure.null(name) }
        return pointer
    }

    /// A non-empty NUL-terminated string.
    static func string(_ pointer: UnsafePointer<CChar>?, _ name: String) throws -> String {
        let s = String(cString: try required(pointer, name))
        guard !s.isEmpty else { throw ABIFailure.invalid("\(name) is empty") }
        return s
    }

    /// A count from C: non-negative and at most `maxElements`.
    static func count(_ n: Int, _ name: String) throws -> Int {
        guard n >= 0, n <= maxElements else { throw ABIFailure.invalid("\(name) \(n) is out of range") }
        return n
    }

    /// The product of `extents`, checked for overflow.
    static func elementCount(_ extents: [Int], _ name: String) throws -> Int {
        var total = 1
        for e in extents {
            let (product, overflow) = total.multipliedReportingOverflow(by: try count(e, "an extent of \(name)"))
            guard !overflow, product <= maxElements else { throw ABIFailure.invalid("\(name) has too many elements") }
            total = product
        }
        return total
    }

    /// A shape of `ndim` extents read from `shape`.
    static func shape(_ ndim: Int, _ shape: UnsafePointer<Int>?, _ name: String) throws -> [Int] {
        guard ndim >= 0, ndim <= Int(SVI_MAX_NDIM) else {
            throw ABIFailure.invalid("\(name) has \(ndim) dimensions; at most \(SVI_MAX_NDIM) are allowed")
        }
        if ndim == 0 { return [] }
        let extents = Array(UnsafeBufferPointer(start: try required(shape, "the shape of \(name)"), count: ndim))
        _ = try elementCount(extents, name)
        return extents
    }

    /// The tensor an svi_array describes.
    static func tensor(_ array: svi_array, _ name: String) throws -> Tensor {
        let shape = try shape(array.ndim, array.shape, name)
        let n = try elementCount(shape, name)
        if n == 0 { return Tensor(shape: shape, scalars: []) }
        let data = try required(array.data, "the data of \(name)")
        return Tensor(shape: shape, scalars: Array(UnsafeBufferPointer(start: data, count: n)))
    }

    /// `tensor`, rejecting NaN elements.
    static func noNaN(_ tensor: Tensor, _ name: String) throws -> Tensor {
        if let i = tensor.scalars.firstIndex(where: \.isNaN) {
            throw ABIFailure.invalid("\(name) is NaN at index \(i)")
        }
        return tensor
    }

    /// Copies `values` to `out`, whose length the caller gave as `length`.
    static func write(_ values: [Double], to out: UnsafeMutablePointer<Double>?, length: Int, _ name: String) throws {
        try write([(values, out, length, name)])
    }

    /// Copies each result to its out-pointer once all lengths and pointers
    /// are checked, so a failing call writes none of them.
    static func write(_ outputs: [(values: [Double], out: UnsafeMutablePointer<Double>?, length: Int, name: String)]) throws {
        for o in outputs {
            guard o.length == o.values.count else {
                throw ABIFailure.shape("\(o.name) has length \(o.length); the result has \(o.values.count) elements")
            }
            if !o.values.isEmpty { _ = try required(o.out, o.name) }
        }
        for o in outputs where !o.values.isEmpty { o.out!.update(from: o.values, count: o.values.count) }
    }

    /// Writes `value` through `out`.
    static func write<T>(_ value: T, to out: UnsafeMutablePointer<T>?, _ name: String) throws {
        try required(out, name).pointee = value
    }

    /// Throws unless an option struct's `struct_size` is the size this library
    /// knows or one of `olderSizes`, those of earlier versions of the struct.
    private static func structSize<T>(_ size: UInt32, _ type: T.Type, olderSizes: [Int]) throws {
        guard Int(size) == MemoryLayout<T>.size || olderSizes.contains(Int(size)) else {
            throw ABIFailure(status: SVI_E_VERSION_MISMATCH,
                             message: "\(T.self).struct_size is \(size); this library knows \(([MemoryLayout<T>.size] + olderSizes).map(String.init).joined(separator: " or "))")
        }
    }

    /// The size of the version of `T` that ended before `field`, the first
    /// field added after it: the field's offset rounded up to `T`'s alignment.
    static func size<T>(before field: PartialKeyPath<T>) -> Int {
        let alignment = MemoryLayout<T>.alignment
        return (MemoryLayout<T>.offset(of: field)! + alignment - 1) / alignment * alignment
    }

    /// The option struct at `opts`, whose leading `struct_size` must be one this library knows.
    static func options<T>(_ opts: UnsafePointer<T>?) throws -> T {
        let opts = try required(opts, "opts")
        try structSize(UnsafeRawPointer(opts).load(as: UInt32.self), T.self, olderSizes: [])
        return opts.pointee
    }

    /// The option struct at `opts` as its caller compiled it: its leading
    /// `struct_size` is this library's size or one of `olderSizes` (earlier
    /// versions, whose fields are a prefix of today's), and the fields an
    /// earlier version lacks keep `defaults`. Also returns that size.
    static func options<T>(_ opts: UnsafePointer<T>?, defaults: T, olderSizes: [Int]) throws -> (options: T, size: Int) {
        let opts = try required(opts, "opts")
        let size = UnsafeRawPointer(opts).load(as: UInt32.self)
        try structSize(size, T.self, olderSizes: olderSizes)
        return (prefix(UnsafeRawPointer(opts), Int(size), over: defaults), Int(size))
    }

    /// `count` structs at `base`, `stride` bytes apart, each read as `options`
    /// reads a struct of that size.
    static func elements<T>(_ base: UnsafePointer<T>, count: Int, stride: Int, defaults: T) -> [T] {
        (0..<count).map { prefix(UnsafeRawPointer(base) + $0 * stride, min(stride, MemoryLayout<T>.size), over: defaults) }
    }

    /// `defaults` with its first `size` bytes read from `source`.
    private static func prefix<T>(_ source: UnsafeRawPointer, _ size: Int, over defaults: T) -> T {
        var value = defaults
        withUnsafeMutableBytes(of: &value) { $0.baseAddress!.copyMemory(from: source, byteCount: size) }
        return value
    }

    /// Fills the option struct at `opts` with `defaults` (whose `struct_size` is
    /// `size`), the body of every `*_options_init`; for one of `olderSizes`
    /// only the fields of that earlier version are written.
    static func initOptions<T>(_ function: String, _ opts: UnsafeMutablePointer<T>?, _ size: UInt32,
                               _ defaults: T, olderSizes: [Int] = []) -> svi_status {
        abiCall(function) {
            let opts = try required(opts, "opts")
            try structSize(size, T.self, olderSizes: olderSizes)
            withUnsafeBytes(of: defaults) { UnsafeMutableRawPointer(opts).copyMemory(from: $0.baseAddress!, byteCount: Int(size)) }
        }
    }

    /// Makes an object with `make` and writes its new handle to `out`, the body
    /// of every constructor.
    static func create(_ function: String, _ out: UnsafeMutablePointer<UInt64>?, _ kind: HandleKind,
                       _ make: () throws -> Any) -> svi_status {
        abiCall(function) {
            let out = try required(out, "out")
            out.pointee = try Registry.insert(try make(), kind: kind)
        }
    }

    /// Interned C strings that live as long as the process.
    private static let interned = InternTable()

    /// A C string for `s` with static storage duration.
    static func staticCString(_ s: String) -> UnsafePointer<CChar> { interned.pointer(s) }
}
