// swift-tools-version: 6.1
import PackageDescription

/// The SwiftVI benchmark harness: a package of its own, so that building and
/// testing the library never builds it.
let package = Package(
    name: "SwiftVIBenchmarks",
    dependencies: [.package(name: "SwiftVI", path: "..")],
    targets: [
        .target(name: "MallocCounter"),
        .executableTarget(
            name: "swiftvi-bench",
            dependencies: ["MallocCounter", .product(name: "SwiftVI", package: "SwiftVI")]),
    ]
)
