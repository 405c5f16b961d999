import CSwiftVI

@c @implementation
public func svi_abi_version() -> UInt32 { UInt32(SVI_ABI_VERSION) }

@c @implementation
public func svi_version_string() -> UnsafePointer<CChar>? {
    Marshal.staticCString("\(SVI_VERSION_MAJOR).\(SVI_VERSION_MINOR).\(SVI_VERSION_PATCH)")
}
