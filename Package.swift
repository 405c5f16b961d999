// swift-tools-version: 6.1
import PackageDescription

/// The folder of this manifest, for the linker's version script.
let root = String(#filePath.dropLast("Package.swift".count))

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
            linkerSettings: [.unsafeFlags(["-Xlinker", "--version-script=\(root)exports.map"])]),
        .executableTarget(name: "swiftvi-demo", dependencies: ["SwiftVI"], path: "Sources/Demo"),
        .systemLibrary(name: "CFFI", path: "Tests/CFFI"),
        .testTarget(name: "SwiftVITests", dependencies: ["SwiftVI"]),
        .testTarget(name: "ABIConformanceTests", dependencies: ["SwiftVIABI", "CSwiftVI", "CFFI"]),
    ]
)
