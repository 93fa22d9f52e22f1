// swift-tools-version:6.0
import PackageDescription

// Layers, each depending only on the ones above it:
// RNNEngine → RNNTrace → RNNLessons → RNNView → TerminalUI (the only user of CNcurses) → rnnscope (CLI)
let package = Package(
    name: "rnnscope",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rnnscope", targets: ["rnnscope"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "RNNEngine", swiftSettings: [
            // Every build runs the same float32 arithmetic, whatever machine builds or runs it: no
            // build-machine probe, no -mfma (fused multiply–add rounds once instead of twice, and training
            // amplifies the difference until lessons show other numbers). .ci/compare-builds checks it.
            .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
            // The engine is optimised in debug builds too: `swift run rnnscope` trains each lesson's model
            // when it opens, and unoptimised SIMD code makes that 100× slower.
            .unsafeFlags(["-O"], .when(configuration: .debug)),
        ]),
        .target(name: "RNNTrace", dependencies: ["RNNEngine"]),
        .target(name: "RNNLessons", dependencies: ["RNNEngine", "RNNTrace"]),
        .target(name: "RNNView", dependencies: ["RNNEngine", "RNNTrace", "RNNLessons"]),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .target(name: "TerminalUI", dependencies: ["CNcurses", "RNNView"]),
        .executableTarget(
            name: "rnnscope",
            dependencies: [
                "RNNEngine", "RNNTrace", "RNNLessons", "RNNView", "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Where the tests find the golden PyTorch reference set kept in the repository (Tests/Golden).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "RNNEngineTests", dependencies: ["RNNEngine", "TestSupport"]),
        .testTarget(name: "RNNTraceTests", dependencies: ["RNNEngine", "RNNTrace", "TestSupport"]),
        .testTarget(name: "RNNLessonsTests", dependencies: ["RNNLessons", "RNNView", "TestSupport"]),
        .testTarget(name: "RNNViewTests", dependencies: ["RNNView", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "RNNView", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
    ]
)
