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
        guard length == values.count else {
            throw ABIFailure.shape("\(name) has length \(length); the result has \(values.count) elements")
        }
        if values.isEmpty { return }
        let out = try required(out, name)
        out.update(from: values, count: values.count)
    }

    /// Writes `value` through `out`.
    static func write<T>(_ value: T, to out: UnsafeMutablePointer<T>?, _ name: String) throws {
        try required(out, name).pointee = value
    }

    /// Throws unless an option struct's `struct_size` is the size this library knows.
    private static func structSize<T>(_ size: UInt32, _ type: T.Type) throws {
        guard Int(size) == MemoryLayout<T>.size else {
            throw ABIFailure(status: SVI_E_VERSION_MISMATCH,
                             message: "\(T.self).struct_size is \(size); this library knows \(MemoryLayout<T>.size)")
        }
    }

    /// The option struct at `opts`, whose leading `struct_size` must be one this library knows.
    static func options<T>(_ opts: UnsafePointer<T>?) throws -> T {
        let opts = try required(opts, "opts")
        try structSize(UnsafeRawPointer(opts).load(as: UInt32.self), T.self)
        return opts.pointee
    }

    /// Fills the option struct at `opts` with `defaults` (whose `struct_size` is
    /// `size`), the body of every `*_options_init`.
    static func initOptions<T>(_ function: String, _ opts: UnsafeMutablePointer<T>?, _ size: UInt32,
                               _ defaults: T) -> svi_status {
        abiCall(function) {
            let opts = try required(opts, "opts")
            try structSize(size, T.self)
            opts.pointee = defaults
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
