// swift-tools-version:6.0
import PackageDescription

// Another package using rnnscope's engine the way any would: through the `RNNEngine` library product.
// Tests/RNNEngineTests/LibraryProductTests.swift builds and runs it.
let package = Package(
    name: "DependentPackage",
    dependencies: [
        .package(name: "rnnscope", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "TrainWithRNNEngine",
            dependencies: [.product(name: "RNNEngine", package: "rnnscope")]
        ),
    ]
)
