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
        .target(name: "RNNEngine", swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
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
        .testTarget(name: "RNNEngineTests", dependencies: ["RNNEngine"]),
        .testTarget(name: "RNNTraceTests", dependencies: ["RNNEngine", "RNNTrace"]),
        .testTarget(name: "RNNLessonsTests", dependencies: ["RNNLessons", "RNNView"]),
        .testTarget(name: "RNNViewTests", dependencies: ["RNNView"], exclude: ["Snapshots"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "RNNView"]),
        .testTarget(name: "EndToEndTests", dependencies: []),
        .testTarget(name: "CLITests", dependencies: []),
    ]
)
