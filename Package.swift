// swift-tools-version:6.0
import Foundation
import PackageDescription

/// Release builds of the engine use AVX2 and FMA when the machine building them has both (like
/// `-march=native`: about 1.4–2× faster kernels); elsewhere — ARM, older x86-64, or with
/// RNNSCOPE_PORTABLE=1 set to build a binary for other machines — the portable SIMD code is built.
func buildHostHasAVX2AndFMA() -> Bool {
    #if os(Linux) && arch(x86_64)
    if ProcessInfo.processInfo.environment["RNNSCOPE_PORTABLE"] == "1" { return false }
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
    let flags = Set(flagsLine.split(separator: " "))
    return flags.contains("avx2") && flags.contains("fma")
    #else
    return false
    #endif
}

let engineReleaseFlags = ["-Ounchecked"]
    + (buildHostHasAVX2AndFMA() ? ["-Xcc", "-mavx2", "-Xcc", "-mfma", "-DRNNENGINE_FMA"] : [])

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
            .unsafeFlags(engineReleaseFlags, .when(configuration: .release)),
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
        .testTarget(name: "RNNEngineTests", dependencies: ["RNNEngine"]),
        .testTarget(name: "RNNTraceTests", dependencies: ["RNNEngine", "RNNTrace"]),
        .testTarget(name: "RNNLessonsTests", dependencies: ["RNNLessons", "RNNView"]),
        .testTarget(name: "RNNViewTests", dependencies: ["RNNView"], exclude: ["Snapshots"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "RNNView"]),
        .testTarget(name: "EndToEndTests", dependencies: []),
        .testTarget(name: "CLITests", dependencies: []),
    ]
)
