// swift-tools-version: 6.1
import PackageDescription

/// The folder of this manifest, for the linker's version script.
let root = String(#filePath.dropLast("Package.swift".count))

/// The linker's version script, which exports only the `svi_*` symbols from
/// libswiftvi. SwiftPM applies a target's linker settings to every product that
/// links it, the test runner too; there the script would also make the
/// sanitizer runtime's symbols local, and the Swift runtime's allocations would
/// bypass it (ASan then reports their frees as bad). Sanitizer builds of the
/// tests set SWIFTVI_SANITIZE=1 to leave it out (scripts/harden.sh does).
let exportOnlyTheABI: [LinkerSetting] = Context.environment["SWIFTVI_SANITIZE"] == nil
    ? [.unsafeFlags(["-Xlinker", "--version-script=\(root)exports.map"])] : []

let package = Package(
    name: "SwiftVI",
    products: [
        .library(name: "SwiftVI", targets: ["SwiftVI"]),
        .library(name: "swiftvi", type: .dynamic, targets: ["SwiftVIABI"]),
        .executable(name: "swiftvi-demo", targets: ["swiftvi-demo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        .systemLibrary(name: "CSwiftVI", path: "include"),
        .target(
            name: "SwiftVI",
            dependencies: [.product(name: "RealModule", package: "swift-numerics")]),
        .target(
            name: "SwiftVIABI",
            dependencies: ["SwiftVI", "CSwiftVI"],
            linkerSettings: exportOnlyTheABI),
        .executableTarget(name: "swiftvi-demo", dependencies: ["SwiftVI"], path: "Sources/Demo"),
        .systemLibrary(name: "CFFI", path: "Tests/CFFI"),
        .testTarget(name: "SwiftVITests", dependencies: ["SwiftVI"]),
        .testTarget(name: "ABIConformanceTests", dependencies: ["SwiftVIABI", "CSwiftVI", "CFFI"]),
    ]
)
