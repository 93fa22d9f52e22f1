// swift-tools-version:6.0
import PackageDescription

// The engine is optimised in debug builds too: `swift run rnnscope` and the tests train each lesson's
// models, and unoptimised SIMD code is 50–100× slower. -O changes speed, never results or checks. SwiftPM
// calls every compiler flag "unsafe" and (before tools-version 6.2) refuses a versioned dependency whose
// targets carry one, so a tagged release — what such a dependency checks out — leaves the flag out: a package
// using rnnscope by version gets a plain debug engine, one using it by path or branch gets this one.
let optimizedInDebugBuilds: [SwiftSetting] = Context.gitInformation?.currentTag == nil
    ? [.unsafeFlags(["-O"], .when(configuration: .debug))]
    : []

// Layers, each depending only on the ones above it:
// RNNEngine → RNNTrace → RNNLessons → RNNView → RNNApp and TerminalUI (the only user of CNcurses) → rnnscope (CLI)
let package = Package(
    name: "rnnscope",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rnnscope", targets: ["rnnscope"]),
        // The engine as a library for other packages (Tests/DependentPackage builds against it).
        .library(name: "RNNEngine", targets: ["RNNEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Every build runs the same float32 arithmetic, whatever machine builds or runs it: no build-machine
        // probe, no -mfma (a fused multiply–add rounds once instead of twice, and training amplifies the
        // difference until lessons show other numbers), no -Ounchecked (the engine parses model files: a missed
        // guard must stay a trap, never undefined behaviour). .ci/compare-builds checks debug = release.
        .target(name: "RNNEngine", swiftSettings: optimizedInDebugBuilds),
        .target(name: "RNNTrace", dependencies: ["RNNEngine"]),
        .target(name: "RNNLessons", dependencies: ["RNNEngine", "RNNTrace"]),
        .target(name: "RNNView", dependencies: ["RNNEngine", "RNNTrace", "RNNLessons"]),
        // The application: opening, training and running lesson sessions, model and replay sources, saved
        // progress — what the view asks for through its protocols, so that the CLI only parses and prints.
        .target(name: "RNNApp", dependencies: ["RNNEngine", "RNNTrace", "RNNLessons", "RNNView"]),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .target(name: "TerminalUI", dependencies: ["CNcurses", "RNNView"]),
        .executableTarget(
            name: "rnnscope",
            dependencies: [
                "RNNEngine", "RNNTrace", "RNNLessons", "RNNView", "RNNApp", "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Where the tests find the golden PyTorch reference set kept in the repository (Tests/Golden).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "RNNEngineTests", dependencies: ["RNNEngine", "TestSupport"]),
        .testTarget(name: "RNNTraceTests", dependencies: ["RNNEngine", "RNNTrace", "TestSupport"]),
        .testTarget(name: "RNNLessonsTests", dependencies: ["RNNLessons", "RNNView", "RNNApp", "TestSupport"]),
        .testTarget(name: "RNNViewTests", dependencies: ["RNNView", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "RNNView", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
    ]
)
