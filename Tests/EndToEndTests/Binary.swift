import Foundation

/// The package root (two levels above this file), where the pane's shell starts.
let packageRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The built `rnnscope` executable: next to the test bundle (`swift build` puts products and the
/// test binary in one directory), or `RNNSCOPE_BINARY` if set. Throws a clear error when missing.
func rnnscopeBinary() throws -> String {
    if let override = ProcessInfo.processInfo.environment["RNNSCOPE_BINARY"] {
        guard FileManager.default.isExecutableFile(atPath: override) else {
            throw HarnessError("RNNSCOPE_BINARY=\(override) is not an executable")
        }
        return override
    }
    var directories: [URL] = []
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    directories.append(executable.deletingLastPathComponent())
    // macOS: …/debug/rnnscopePackageTests.xctest/Contents/MacOS/rnnscopePackageTests
    let bundle = Bundle.main.bundleURL
    directories.append(bundle.deletingLastPathComponent())
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        directories.append(bundle.bundleURL.deletingLastPathComponent())
    }
    for directory in directories {
        let candidate = directory.appendingPathComponent("rnnscope").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw HarnessError("""
        no built rnnscope next to the test binary (looked in \(directories.map(\.path).joined(separator: ", "))); \
        run `swift build` first or set RNNSCOPE_BINARY
        """)
}

/// Single-quotes `text` for the pane's shell.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
