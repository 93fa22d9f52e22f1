#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One private tmux server running one command in a fixed-size window, for driving the real TUI.
/// Each session has its own server socket (`-S`, a file in the temporary directory, removed
/// afterwards; tmux leaves `-L` sockets behind), no config (`-f /dev/null`), and is killed by
/// `close()`; tests call it in a `defer`.
final class TmuxSession {
    let socket: String
    /// XDG_STATE_HOME of the program: where it keeps the learner's progress (never the real home).
    let stateDirectory: String
    /// Whether `close()` removes `stateDirectory` (one the session made itself).
    private let ownsState: Bool
    private var closed = false

    /// Whether tmux is installed; the end-to-end suite is skipped without it.
    static var isAvailable: Bool {
        (try? spawn(["tmux", "-V"], timeout: 5))?.status == 0
    }

    /// Starts `command` (a shell command line) in a `width`×`height` window, in `directory`.
    /// After the command, the pane shows `EXIT=<status>` and stays open for inspection. `stateDirectory`
    /// shares saved progress between sessions; by default each session gets a fresh one.
    init(command: String, width: Int = 120, height: Int = 40, directory: String, stateDirectory: String? = nil) throws {
        socket = FileManager.default.temporaryDirectory
            .appendingPathComponent("rnnscope-e2e-\(getpid())-\(UUID().uuidString.prefix(8)).tmux").path
        ownsState = stateDirectory == nil
        self.stateDirectory = stateDirectory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("rnnscope-e2e-state-\(UUID().uuidString)").path
        let line = "env TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_STATE_HOME=\(shellQuoted(self.stateDirectory)) \(command); echo EXIT=$?; sleep 600"
        try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-c", directory, line])
    }

    deinit { close() }

    /// Kills this session's server (idempotent).
    func close() {
        guard !closed else { return }
        closed = true
        _ = try? spawn(["tmux", "-S", socket, "kill-server"], timeout: 5)
        unlink(socket)
        if ownsState { try? FileManager.default.removeItem(atPath: stateDirectory) }
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let result = try spawn(["tmux", "-S", socket, "-f", "/dev/null"] + arguments, timeout: 10)
        guard result.status == 0, !result.timedOut else {
            throw HarnessError("tmux \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.errorOutput)")
        }
        return result.output
    }

    /// Sends tmux key names (`Right`, `C-c`, `q`, …).
    func sendKeys(_ keys: String...) throws {
        try tmux(["send-keys", "-t", "0"] + keys)
    }

    /// The visible screen as text (with SGR escapes when `escapes`).
    func capture(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", "0"] + (escapes ? ["-e"] : []))
    }

    /// A tmux format value for the pane, e.g. `#{alternate_on}`.
    func format(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", "0", format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", "0", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Polls the screen until `predicate` holds; returns that screen, or throws with the last one.
    @discardableResult
    func waitForScreen(_ what: String, timeout: Double = 15, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while true {
            screen = try capture()
            if predicate(screen) { return screen }
            if Date() > deadline { break }
            usleep(50_000)
        }
        throw HarnessError("timed out after \(timeout) s waiting for \(what); the screen was:\n\(screen)")
    }

    /// Polls until the screen contains `text`.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 15) throws -> String {
        try waitForScreen("\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    /// The pids of the pane shell's children (the program under test).
    func programPIDs() throws -> [pid_t] {
        let shell = try format("#{pane_pid}")
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { pid_t($0) }
    }
}
