import CSwiftVI

/// The library's version string.
private let versionString: StaticString = "0.1.0"

@c @implementation
public func svi_abi_version() -> UInt32 { UInt32(SVI_ABI_VERSION) }

@c @implementation
public func svi_version_string() -> UnsafePointer<CChar>? {
    UnsafeRawPointer(versionString.utf8Start).assumingMemoryBound(to: CChar.self)
}
