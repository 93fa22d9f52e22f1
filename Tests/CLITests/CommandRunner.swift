import Foundation
import TestSupport
import Testing

/// Runs the built `rnnscope` binary the way a user does and captures what it prints.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
    let stdoutData: Data
    /// Ended by a signal (a crash, or the kill after a timeout).
    var signaled = false
    /// Killed because it ran past its timeout.
    var timedOut = false
    var seconds = 0.0
}

enum Paths {
    /// The package root (this file is Tests/CLITests/CommandRunner.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `rnnscope` executable SwiftPM built next to this test bundle.
    static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("rnnscope")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/rnnscope")
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnnscope-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Runs `executable`; with a `timeout`, kills it (SIGKILL) when it runs longer and says so in the result.
/// The learner's progress goes to a fresh state directory (never the real home), unless `environment` names
/// one (`XDG_STATE_HOME`) to share between runs.
func run(_ executable: String, _ arguments: [String], directory: URL? = nil, timeout: TimeInterval? = nil,
         environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    // Output goes to files, not pipes: no risk of a full pipe blocking the child.
    let dir = try Paths.temporaryDirectory()
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["XDG_STATE_HOME"] = dir.appendingPathComponent("state").path
    env.merge(environment) { $1 }
    process.environment = env
    let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }
    let started = Date()
    try process.run()
    var timedOut = false
    if let timeout, done.wait(timeout: .now() + timeout) == .timedOut {
        timedOut = true
        kill(process.processIdentifier, SIGKILL)
    }
    if timeout == nil || timedOut { done.wait() }
    let seconds = Date().timeIntervalSince(started)
    try out.close()
    try err.close()
    let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
    try? FileManager.default.removeItem(at: dir)
    var result = CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                               stderr: String(decoding: errData, as: UTF8.self), stdoutData: outData)
    result.signaled = process.terminationReason == .uncaughtSignal
    result.timedOut = timedOut
    result.seconds = seconds
    return result
}

func rnnscope(_ arguments: String...) throws -> CommandResult {
    try rnnscope(arguments, environment: [:])
}

func rnnscope(_ arguments: [String], environment: [String: String]) throws -> CommandResult {
    let binary = Paths.binary
    try #require(FileManager.default.isExecutableFile(atPath: binary.path), "rnnscope is not built at \(binary.path)")
    return try run(binary.path, arguments, environment: environment)
}
