import CSwiftVI
import Glibc
import SwiftVI

/// An SVI and the state of its fit, as one handle holds them.
final class SVIRun {
    let svi: SVI
    var state: SVIState?
    /// Parameter names as C strings, alive as long as this object.
    let names: [UnsafeMutablePointer<CChar>]
    let sizes: [String: Int]

    init(_ svi: SVI) {
        self.svi = svi
        names = svi.parameterBlocks.map { strdup($0.name) }
        sizes = Dictionary(uniqueKeysWithValues: svi.parameterBlocks.map { ($0.name, $0.shape.reduce(1, *)) })
    }

    deinit { names.forEach { free($0) } }

    /// The current state, initializing with the key of seed 0 when there is none.
    var current: SVIState {
        get throws {
            if let state { return state }
            let initial = try svi.initialize(key: PRNGKey(seed: 0))
            state = initial
            return initial
        }
    }
}

private func run(_ handle: svi_svi) throws -> SVIRun { try Registry.lookup(handle, .svi) }

@c @implementation
public func svi_svi_new(_ out: UnsafeMutablePointer<svi_svi>?, _ model: svi_model, _ guide: svi_guide,
                        _ optim: svi_optim, _ elbo: svi_elbo) -> svi_status {
    Marshal.create("svi_svi_new", out, .svi) {
        SVIRun(try SVI(model: Registry.lookup(model, .model, as: (any LogDensityModel).self),
                          guide: Registry.lookup(guide, .guide, as: (any Guide).self),
                          optimizer: Registry.lookup(optim, .optimizer, as: (any Optimizer).self),
                          loss: Registry.lookup(elbo, .elbo, as: (any ELBO).self)))
    }
}

@c @implementation
public func svi_svi_free(_ svi: svi_svi) -> svi_status {
    abiCall("svi_svi_free") { try Registry.remove(svi, .svi) }
}

@c @implementation
public func svi_svi_init(_ svi: svi_svi, _ key: svi_key) -> svi_status {
    abiCall("svi_svi_init") {
        let r = try run(svi)
        r.state = try r.svi.initialize(key: PRNGKey(key))
    }
}

@c @implementation
public func svi_svi_step(_ svi: svi_svi, _ out_loss: UnsafeMutablePointer<Double>?) -> svi_status {
    abiCall("svi_svi_step") {
        let r = try run(svi)
        let out = try Marshal.required(out_loss, "out_loss")
        let (next, loss) = try r.svi.update(r.current)
        r.state = next
        out.pointee = loss
    }
}

/// The body of svi_svi_run and svi_svi_run_with_options: initializes with
/// `key`, makes `numSteps` attempts (fewer when `earlyStopping` ends the run),
/// and leaves the state of the last good step and the losses written even when
/// the run ends with an error.
private func runSteps(_ r: SVIRun, key: svi_key, numSteps: Int, outLosses: UnsafeMutablePointer<Double>?,
                      outCount: UnsafeMutablePointer<Int>?, stable: Bool, earlyStopping: EarlyStopping? = nil,
                      progress: svi_progress_fn?, progressUserData: UnsafeMutableRawPointer?) throws {
    let steps = try Marshal.count(numSteps, "num_steps")
    var kept = 0
    defer { outCount?.pointee = kept }
    try recordedRun(from: r.svi.initialize(key: PRNGKey(key)), steps: steps, losses: outLosses, progress: progress,
                    userData: progressUserData, store: { r.state = $0 }) { state, steps, losses, report in
        defer { kept = losses.count }
        try r.svi.run(&state, numSteps: steps, losses: &losses, earlyStopping: earlyStopping, stable: stable,
                      progress: report)
    }
}

@c @implementation
public func svi_svi_run(_ svi: svi_svi, _ key: svi_key, _ num_steps: Int, _ out_losses: UnsafeMutablePointer<Double>?,
                        _ progress: svi_progress_fn?, _ progress_user_data: UnsafeMutableRawPointer?) -> svi_status {
    abiCall("svi_svi_run") {
        try runSteps(run(svi), key: key, numSteps: num_steps, outLosses: out_losses, outCount: nil, stable: false,
                     progress: progress, progressUserData: progress_user_data)
    }
}

/// The defaults svi_run_options_init writes, for a caller's `struct_size`.
private func runDefaults(_ size: UInt32) -> svi_run_options {
    svi_run_options(struct_size: size, progress: nil, progress_user_data: nil, stable: 0,
                    early_stopping_tolerance: 0, early_stopping_smoothing: 0.9, early_stopping_patience: 10)
}

/// The size of svi_run_options before early stopping was added.
private let runOptionsBeforeEarlyStopping = Marshal.size(before: \svi_run_options.early_stopping_tolerance)

/// The early-stopping rule `o` describes, or nil when its tolerance is 0.
private func earlyStopping(_ o: svi_run_options) throws -> EarlyStopping? {
    let tolerance = o.early_stopping_tolerance
    if tolerance == 0 { return nil }
    guard tolerance > 0, tolerance.isFinite else {
        throw ABIFailure.invalid("opts.early_stopping_tolerance must be 0 (off) or positive and finite; got \(tolerance)")
    }
    return try EarlyStopping(relativeTolerance: tolerance, smoothing: o.early_stopping_smoothing,
                             patience: Marshal.count(o.early_stopping_patience, "opts.early_stopping_patience"))
}

@c @implementation
public func svi_run_options_init(_ opts: UnsafeMutablePointer<svi_run_options>?, _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_run_options_init", opts, struct_size, runDefaults(struct_size),
                        olderSizes: [runOptionsBeforeEarlyStopping])
}

@c @implementation
public func svi_svi_run_with_options(_ svi: svi_svi, _ key: svi_key, _ num_steps: Int,
                                     _ out_losses: UnsafeMutablePointer<Double>?,
                                     _ out_num_losses: UnsafeMutablePointer<Int>?,
                                     _ opts: UnsafePointer<svi_run_options>?) -> svi_status {
    abiCall("svi_svi_run_with_options") {
        let r = try run(svi)
        let count = try Marshal.required(out_num_losses, "out_num_losses")
        let o = try opts.map { try Marshal.options($0, defaults: runDefaults(0),
                                                   olderSizes: [runOptionsBeforeEarlyStopping]).options }
            ?? runDefaults(0)
        let stopping = try earlyStopping(o)
        count.pointee = 0
        try runSteps(r, key: key, numSteps: num_steps, outLosses: out_losses, outCount: count, stable: o.stable != 0,
                     earlyStopping: stopping, progress: o.progress, progressUserData: o.progress_user_data)
    }
}

@c @implementation
public func svi_svi_num_steps(_ svi: svi_svi, _ out_steps: UnsafeMutablePointer<Int>?) -> svi_status {
    abiCall("svi_svi_num_steps") { try Marshal.write(run(svi).state?.step ?? 0, to: out_steps, "out_steps") }
}

@c @implementation
public func svi_svi_num_params(_ svi: svi_svi, _ out_count: UnsafeMutablePointer<Int>?) -> svi_status {
    abiCall("svi_svi_num_params") { try Marshal.write(run(svi).names.count, to: out_count, "out_count") }
}

@c @implementation
public func svi_svi_param_name(_ svi: svi_svi, _ index: Int,
                               _ out_name: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> svi_status {
    abiCall("svi_svi_param_name") {
        let names = try run(svi).names
        guard names.indices.contains(index) else {
            throw ABIFailure.invalid("parameter index \(index) is out of range; there are \(names.count)")
        }
        try Marshal.write(UnsafePointer(names[index]), to: out_name, "out_name")
    }
}

/// The size of the parameter `name` of the run, or an error naming the known ones.
private func parameterSize(_ r: SVIRun, _ name: UnsafePointer<CChar>?) throws -> (String, Int) {
    let key = try Marshal.string(name, "name")
    guard let size = r.sizes[key] else {
        throw ABIFailure.invalid("no parameter named '\(key)'; known: \(r.sizes.keys.sorted().joined(separator: ", "))")
    }
    return (key, size)
}

@c @implementation
public func svi_svi_param_size(_ svi: svi_svi, _ name: UnsafePointer<CChar>?,
                               _ out_size: UnsafeMutablePointer<Int>?) -> svi_status {
    abiCall("svi_svi_param_size") { try Marshal.write(parameterSize(run(svi), name).1, to: out_size, "out_size") }
}

@c @implementation
public func svi_svi_get_param(_ svi: svi_svi, _ name: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<Double>?,
                              _ out_len: Int) -> svi_status {
    abiCall("svi_svi_get_param") {
        let r = try run(svi)
        let (key, _) = try parameterSize(r, name)
        try Marshal.write(r.svi.parameters(try r.current)[key]!, to: out, length: out_len, "out")
    }
}

@c @implementation
public func svi_svi_evaluate(_ svi: svi_svi, _ out_loss: UnsafeMutablePointer<Double>?) -> svi_status {
    abiCall("svi_svi_evaluate") {
        let r = try run(svi)
        let out = try Marshal.required(out_loss, "out_loss")
        out.pointee = try r.svi.evaluate(r.current)
    }
}

@c @implementation
public func svi_svi_stable_step(_ svi: svi_svi, _ out_loss: UnsafeMutablePointer<Double>?,
                                _ out_accepted: UnsafeMutablePointer<Int32>?) -> svi_status {
    abiCall("svi_svi_stable_step") {
        let r = try run(svi)
        let loss = try Marshal.required(out_loss, "out_loss"), accepted = try Marshal.required(out_accepted, "out_accepted")
        let result = try r.svi.stableUpdate(r.current)
        r.state = result.state
        loss.pointee = result.loss
        accepted.pointee = result.accepted ? 1 : 0
    }
}

@c @implementation
public func svi_svi_save(_ svi: svi_svi, _ out: UnsafeMutablePointer<UInt8>?, _ capacity: Int,
                         _ out_len: UnsafeMutablePointer<Int>?) -> svi_status {
    abiCall("svi_svi_save") {
        let r = try run(svi)
        let length = try Marshal.required(out_len, "out_len")
        let bytes = try r.current.serialized()
        length.pointee = bytes.count
        if out == nil && capacity == 0 { return }
        let destination = try Marshal.required(out, "out")
        guard capacity >= bytes.count else {
            throw ABIFailure.shape("capacity \(capacity) is less than the \(bytes.count) bytes of the state")
        }
        destination.update(from: bytes, count: bytes.count)
    }
}

@c @implementation
public func svi_svi_restore(_ svi: svi_svi, _ bytes: UnsafePointer<UInt8>?, _ len: Int) -> svi_status {
    abiCall("svi_svi_restore") {
        let r = try run(svi)
        let count = try Marshal.count(len, "len")
        let data = count == 0 ? [] : Array(UnsafeBufferPointer(start: try Marshal.required(bytes, "bytes"), count: count))
        r.state = try r.svi.restore(data)
    }
}
