import CSwiftVI
import Foundation
import Testing

/// Files of the repository, found from this source file's location.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let header = root.appendingPathComponent("include/swiftvi.h")

    /// The built shared library: $SWIFTVI_LIBRARY, else the build folder of
    /// this configuration, else the other one.
    static func library() throws -> String {
        if let path = ProcessInfo.processInfo.environment["SWIFTVI_LIBRARY"] { return path }
        #if DEBUG
        let configurations = ["debug", "release"]
        #else
        let configurations = ["release", "debug"]
        #endif
        let candidates = configurations.map { root.appendingPathComponent(".build/\($0)/libswiftvi.so").path }
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw CallFailed(description: "libswiftvi.so not found in \(candidates); run `swift build` first")
        }
        return path
    }

    /// The dlopen handle of the library, opened once: a Swift image must never
    /// be closed, as the Swift runtime keeps pointers into it.
    static func loaded() throws -> UnsafeMutableRawPointer {
        try UnsafeMutableRawPointer(bitPattern: opened.get())!
    }

    private static let opened: Result<Int, CallFailed> = Result {
        guard let handle = dlopen(try library(), RTLD_NOW | RTLD_LOCAL) else {
            throw CallFailed(description: "dlopen: \(dlerror().map { String(cString: $0) } ?? "failed")")
        }
        return Int(bitPattern: handle)
    }.mapError { $0 as? CallFailed ?? CallFailed(description: "\($0)") }
}

/// What the header declares, read from its text.
enum Header {
    static let text: String = (try? String(contentsOf: Repository.header, encoding: .utf8)) ?? ""

    /// The header without comments.
    static let code: String = text.replacing(/\/\*[\s\S]*?\*\//, with: " ")

    /// The names of the declared functions (function-pointer typedefs excluded).
    static let functions: Set<String> = {
        let pointerTypes = Set(code.matches(of: /\(\s*\*\s*(svi_\w+)\s*\)/).map { String($0.1) })
        return Set(code.matches(of: /\b(svi_\w+)\s*\(/).map { String($0.1) }).subtracting(pointerTypes)
    }()

    /// Each status macro's value and name, e.g. 1 → "SVI_E_NULL_POINTER".
    static let statusNames: [svi_status: String] = {
        var names: [svi_status: String] = [:]
        for m in code.matches(of: /#define\s+(SVI_OK|SVI_E_\w+)\s+(\d+)/) {
            names[svi_status(m.2)!] = String(m.1)
        }
        return names
    }()
}

/// This thread's last error message.
func lastError() -> String { String(cString: svi_last_error_message()) }

/// Checks a failure: its status, that the message names `function`, and that
/// svi_status_string gives the status macro's name.
func expectFailure(_ status: svi_status, _ expected: svi_status, _ function: String,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(status == expected, "\(function): \(lastError())", sourceLocation: sourceLocation)
    let message = lastError()
    #expect(!message.isEmpty, sourceLocation: sourceLocation)
    #expect(message.contains(function), "message: \(message)", sourceLocation: sourceLocation)
    #expect(String(cString: svi_status_string(status)) == Header.statusNames[expected], sourceLocation: sourceLocation)
}

/// Checks a successful call, showing the library's message otherwise.
func expectOK(_ status: svi_status, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(status == SVI_OK, "\(String(cString: svi_status_string(status))): \(lastError())",
            sourceLocation: sourceLocation)
}

/// A failed call inside a helper, with the library's message.
struct CallFailed: Error, CustomStringConvertible {
    let description: String
}

/// Throws CallFailed unless `status` is SVI_OK.
func ok(_ status: svi_status, _ function: String) throws {
    guard status == SVI_OK else {
        throw CallFailed(description: "\(function) gave \(String(cString: svi_status_string(status))): \(lastError())")
    }
}

/// Bit patterns, so comparisons are exact (distinguishing -0 and NaN payloads).
func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

/// A value that no call writes, for checking that out-pointers stay untouched.
let sentinel = Double(bitPattern: 0x7FF4_DEAD_BEEF_0001)
let sentinelHandle: UInt64 = 0xDEAD_BEEF_CAFE_F00D

/// Calls `body` with an svi_array of `values` shaped `shape`.
func withArray<R>(_ values: [Double], shape: [Int], _ body: (svi_array) throws -> R) rethrows -> R {
    try values.withUnsafeBufferPointer { v in
        try shape.withUnsafeBufferPointer { s in
            try body(svi_array(data: v.baseAddress, ndim: shape.count, shape: shape.isEmpty ? nil : s.baseAddress))
        }
    }
}

/// A named parameter for svi_dist_new.
struct Parameter {
    let name: String
    let values: [Double]
    let shape: [Int]

    /// A scalar for one value, else a vector.
    init(_ name: String, _ values: [Double]) {
        self.name = name
        self.values = values
        shape = values.count == 1 ? [] : [values.count]
    }

    /// The values in row-major order with the given shape.
    init(_ name: String, _ values: [Double], shape: [Int]) {
        self.name = name
        self.values = values
        self.shape = shape
    }
}

/// Calls `body` with `params` as an array of svi_named_array, valid during the call.
func withNamedArrays<R>(_ params: [Parameter], _ body: (UnsafePointer<svi_named_array>?, Int) throws -> R) rethrows -> R {
    let names = params.map { strdup($0.name) }
    let data = params.map { p in UnsafeMutableBufferPointer<Double>.allocate(capacity: max(p.values.count, 1)) }
    let shapes = params.map { p in UnsafeMutableBufferPointer<Int>.allocate(capacity: max(p.shape.count, 1)) }
    defer {
        names.forEach { free($0) }
        data.forEach { $0.deallocate() }
        shapes.forEach { $0.deallocate() }
    }
    var named: [svi_named_array] = []
    for (i, p) in params.enumerated() {
        _ = data[i].initialize(from: p.values)
        _ = shapes[i].initialize(from: p.shape)
        let value = svi_array(data: data[i].baseAddress, ndim: p.shape.count, shape: p.shape.isEmpty ? nil : shapes[i].baseAddress)
        named.append(svi_named_array(name: names[i], value: value))
    }
    return try named.withUnsafeBufferPointer { try body($0.baseAddress, params.count) }
}

/// svi_dist_new through the header.
func newDistribution(_ family: String, _ params: [Parameter], into out: inout svi_dist) -> svi_status {
    withNamedArrays(params) { svi_dist_new(&out, family, $0, $1) }
}

/// A distribution that must be made.
func makeDistribution(_ family: String, _ params: [Parameter]) throws -> svi_dist {
    var d: svi_dist = 0
    try ok(newDistribution(family, params, into: &d), "svi_dist_new(\(family))")
    return d
}

/// The key for `seed`.
func key(_ seed: UInt64) -> svi_key {
    var k = svi_key()
    svi_key_from_seed(&k, seed)
    return k
}

/// Calls `body` with one latent block of `size` real coordinates named `name`.
func withLatentBlock<R>(_ name: String, size: Int, _ body: (UnsafePointer<svi_latent_block>) throws -> R) rethrows -> R {
    try name.withCString { n in
        var block = svi_latent_block(name: n, size: size, constraint: svi_constraint_kind(SVI_CONSTRAINT_REAL),
                                     lower_bound: 0, upper_bound: 0, kind: svi_block_kind(SVI_BLOCK_LATENT))
        return try withUnsafePointer(to: &block, body)
    }
}

/// A product of independent Gaussians, N(mean[i], sd[i]²), as the log-density of
/// a callback model, which can be told to misbehave from a given call on.
final class GaussianTarget: @unchecked Sendable {
    enum Fault {
        /// The callback returns this non-zero code.
        case fails(Int32)
        /// The callback reports success but writes NaN log-densities.
        case nanDensity
    }

    let mean: [Double]
    let sd: [Double]
    /// Changed only while no call using this target runs.
    var fault: Fault?
    /// The call, counted from 1, from which `fault` applies.
    var faultFromCall = 1
    /// The number of callback invocations so far.
    private(set) var calls = 0
    /// Run at the first call, before computing anything.
    var onFirstCall: (() -> Void)?

    init(mean: [Double], sd: [Double]) {
        self.mean = mean
        self.sd = sd
    }

    var userData: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// The callback: a C function pointer made from a closure that captures
    /// nothing, finding its target through user_data.
    static let logDensity: svi_log_density_fn = { user, count, dim, points, outLogDensity, outGradient in
        let target = Unmanaged<GaussianTarget>.fromOpaque(user!).takeUnretainedValue()
        target.calls += 1
        if target.calls == 1 { target.onFirstCall?() }
        switch target.calls >= target.faultFromCall ? target.fault : nil {
        case .fails(let code): return code
        case .nanDensity:
            for s in 0..<count { outLogDensity![s] = .nan }
            return 0
        case nil: break
        }
        for s in 0..<count {
            var total = 0.0
            for i in 0..<dim {
                let z = (points![s * dim + i] - target.mean[i]) / target.sd[i]
                total -= 0.5 * z * z
                outGradient?[s * dim + i] = -z / target.sd[i]
            }
            outLogDensity![s] = total
        }
        return 0
    }

    /// A callback model of one latent block named `site` over this target.
    func model(site: String = "z") throws -> svi_model {
        var options = svi_callback_model_options()
        try ok(svi_callback_model_options_init(&options, UInt32(MemoryLayout<svi_callback_model_options>.stride)),
               "svi_callback_model_options_init")
        var m: svi_model = 0
        let status = withLatentBlock(site, size: mean.count) { block in
            options.latents = block
            options.num_latents = 1
            options.log_density = GaussianTarget.logDensity
            options.user_data = userData
            return svi_model_new_callback(&m, &options)
        }
        try ok(status, "svi_model_new_callback")
        return m
    }
}

/// An SVI over `model` with an AutoNormal guide, Adam and Trace_ELBO; the
/// parts are freed once the SVI holds them.
func makeSVI(_ model: svi_model, particles: Int = 4, learningRate: Double = 0.05) throws -> svi_svi {
    var guideOptions = svi_auto_normal_options()
    var adamOptions = svi_adam_options()
    var elboOptions = svi_trace_elbo_options()
    try ok(svi_auto_normal_options_init(&guideOptions, UInt32(MemoryLayout<svi_auto_normal_options>.stride)),
           "svi_auto_normal_options_init")
    try ok(svi_adam_options_init(&adamOptions, UInt32(MemoryLayout<svi_adam_options>.stride)), "svi_adam_options_init")
    try ok(svi_trace_elbo_options_init(&elboOptions, UInt32(MemoryLayout<svi_trace_elbo_options>.stride)),
           "svi_trace_elbo_options_init")
    adamOptions.learning_rate = learningRate
    elboOptions.num_particles = particles
    var guide: svi_guide = 0, optim: svi_optim = 0, elbo: svi_elbo = 0, svi: svi_svi = 0
    try ok(svi_guide_new_auto_normal(&guide, model, &guideOptions), "svi_guide_new_auto_normal")
    try ok(svi_optim_new_adam(&optim, &adamOptions), "svi_optim_new_adam")
    try ok(svi_elbo_new_trace(&elbo, &elboOptions), "svi_elbo_new_trace")
    try ok(svi_svi_new(&svi, model, guide, optim, elbo), "svi_svi_new")
    try ok(svi_guide_free(guide), "svi_guide_free")
    try ok(svi_optim_free(optim), "svi_optim_free")
    try ok(svi_elbo_free(elbo), "svi_elbo_free")
    return svi
}

/// Every parameter of an SVI by name, read through svi_svi_get_param.
func parameters(_ svi: svi_svi) throws -> [String: [Double]] {
    var count = 0
    try ok(svi_svi_num_params(svi, &count), "svi_svi_num_params")
    var result: [String: [Double]] = [:]
    for i in 0..<count {
        var name: UnsafePointer<CChar>?
        try ok(svi_svi_param_name(svi, i, &name), "svi_svi_param_name")
        var size = 0
        try ok(svi_svi_param_size(svi, name, &size), "svi_svi_param_size")
        var value = [Double](repeating: 0, count: size)
        try ok(svi_svi_get_param(svi, name, &value, size), "svi_svi_get_param")
        result[String(cString: name!)] = value
    }
    return result
}

/// The outcome of a fit, compared bit for bit.
struct Fit: Equatable, Sendable {
    let losses: [UInt64]
    let parameters: [String: [UInt64]]
}

/// Fits a fresh callback model of `target` for `steps` steps from `seed`.
func fit(_ target: GaussianTarget, steps: Int, seed: UInt64) throws -> Fit {
    let model = try target.model()
    defer { svi_model_free(model) }
    let svi = try makeSVI(model)
    defer { svi_svi_free(svi) }
    var losses = [Double](repeating: sentinel, count: steps)
    let status = withExtendedLifetime(target) { svi_svi_run(svi, key(seed), steps, &losses, nil, nil) }
    try ok(status, "svi_svi_run")
    return Fit(losses: bits(losses), parameters: try parameters(svi).mapValues(bits))
}

/// A value behind an NSLock, a pthread mutex that ThreadSanitizer sees (it does
/// not see the futex of the standard library's `Mutex`, and reported races on
/// the values it guards when these tests ran under it).
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// A point that `count` threads must all reach before any goes on.
final class Barrier: Sendable {
    private let count: Int
    private let arrived = LockedValue(0)
    private let gate = DispatchSemaphore(value: 0)

    init(_ count: Int) { self.count = count }

    func wait() {
        if arrived.withLock({ $0 += 1; return $0 == count }) {
            for _ in 1..<count { gate.signal() }
        } else {
            gate.wait()
        }
    }
}

/// Runs each body on its own thread, released together, and returns their
/// results in order.
func onThreads<T: Sendable>(_ bodies: [@Sendable () -> T]) -> [T] {
    let results = Results<T>()
    let start = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    for (i, body) in bodies.enumerated() {
        done.enter()
        let thread = Thread {
            start.wait()
            let value = body()
            results.values.withLock { $0[i] = value }
            done.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    for _ in bodies { start.signal() }
    done.wait()
    return results.values.withLock { r in bodies.indices.map { r[$0]! } }
}

/// Results of threads, by index.
private final class Results<T: Sendable>: Sendable {
    let values = LockedValue<[Int: T]>([:])
}
