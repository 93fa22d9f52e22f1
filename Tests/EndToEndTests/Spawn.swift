#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The result of running a child process to completion.
struct SpawnResult {
    /// The exit status, or 128 + signal when the child was killed.
    var status: Int32
    var output: String
    var errorOutput: String
    /// True when the child did not finish in time and was killed.
    var timedOut: Bool
}

/// Runs `arguments` (looked up on PATH) with stdin from /dev/null and stdout/stderr captured in
/// temporary files. `Foundation.Process` is not used: it hangs on `tmux new-session`, whose forked
/// server inherits its pipes. The child's signal mask and dispositions are reset, because test
/// runners hand their children blocked or ignored signals.
func spawn(_ arguments: [String], environment: [String: String]? = nil, stdoutPath: String? = nil,
           timeout: Double = 20) throws -> SpawnResult {
    let directory = FileManager.default.temporaryDirectory.path
    let token = UUID().uuidString
    let outPath = stdoutPath ?? "\(directory)/rnnscope-e2e-\(token).out"
    let errPath = "\(directory)/rnnscope-e2e-\(token).err"
    defer {
        if stdoutPath == nil { unlink(outPath) }
        unlink(errPath)
    }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var emptyMask = sigset_t()
    sigemptyset(&emptyMask)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &emptyMask)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    var env = environment ?? ProcessInfo.processInfo.environment
    env["TMUX"] = nil // never talk to a tmux the tests themselves might run inside
    let envStrings = env.map { "\($0.key)=\($0.value)" }

    var pid: pid_t = 0
    let status = withCStrings(arguments) { argv in
        withCStrings(envStrings) { envp in
            posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        }
    }
    guard status == 0 else {
        throw HarnessError("cannot start \(arguments[0]): \(String(cString: strerror(status)))")
    }

    var exitStatus: Int32 = 0
    var timedOut = false
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        let done = waitpid(pid, &exitStatus, WNOHANG)
        if done == pid { break }
        if done < 0 && errno != EINTR { throw HarnessError("waitpid failed for \(arguments[0])") }
        if Date() > deadline {
            timedOut = true
            kill(pid, SIGKILL)
            waitpid(pid, &exitStatus, 0)
            break
        }
        usleep(10_000)
    }
    let code: Int32 = (exitStatus & 0x7f) == 0 ? (exitStatus >> 8) & 0xff : 128 + (exitStatus & 0x7f)
    let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let errorOutput = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    return SpawnResult(status: code, output: output, errorOutput: errorOutput, timedOut: timedOut)
}

/// A NULL-terminated C string array for the duration of `body`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
