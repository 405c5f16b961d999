import CSwiftVI
import SwiftVI

extension PRNGKey {
    init(_ key: svi_key) { self.init(words: key.data) }
    var c: svi_key { svi_key(data: words) }
}

@c @implementation
public func svi_key_from_seed(_ out: UnsafeMutablePointer<svi_key>?, _ seed: UInt64) -> svi_status {
    abiCall("svi_key_from_seed") { try Marshal.write(PRNGKey(seed: seed).c, to: out, "out") }
}

@c @implementation
public func svi_key_split(_ out: UnsafeMutablePointer<svi_key>?, _ count: Int, _ key: svi_key) -> svi_status {
    abiCall("svi_key_split") {
        let n = try Marshal.count(count, "count")
        let keys = PRNGKey(key).split(n)
        if n == 0 { return }
        let out = try Marshal.required(out, "out")
        for (i, k) in keys.enumerated() { out[i] = k.c }
    }
}

@c @implementation
public func svi_key_fold_in(_ out: UnsafeMutablePointer<svi_key>?, _ key: svi_key, _ data: UInt32) -> svi_status {
    abiCall("svi_key_fold_in") { try Marshal.write(PRNGKey(key).foldIn(data).c, to: out, "out") }
}

@c @implementation
public func svi_random_uniform(_ out: UnsafeMutablePointer<Double>?, _ count: Int, _ key: svi_key) -> svi_status {
    abiCall("svi_random_uniform") {
        let n = try Marshal.count(count, "count")
        try Marshal.write(PRNGKey(key).uniform(n), to: out, length: n, "out")
    }
}

@c @implementation
public func svi_random_normal(_ out: UnsafeMutablePointer<Double>?, _ count: Int, _ key: svi_key) -> svi_status {
    abiCall("svi_random_normal") {
        let n = try Marshal.count(count, "count")
        try Marshal.write(PRNGKey(key).normal(n), to: out, length: n, "out")
    }
}
