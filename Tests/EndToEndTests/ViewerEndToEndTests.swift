#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing

/// Drives the real `rnnscope` viewer in a private tmux server: keys in, screen text out.
/// Needs no tty of its own (runs under CI with stdin from /dev/null), only tmux on PATH.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct ViewerEndToEndTests {
    /// How long a debug build may take to load the default lesson and draw the first frame.
    let startup = 30.0

    /// Set when the viewer never drew its first frame, so the remaining tests (run one at a time)
    /// fail at once with the reason instead of each waiting out the startup timeout.
    nonisolated(unsafe) static var startupFailure: String? = nil

    /// Opens `rnnscope <arguments>` in a 120×40 window and waits for the first frame.
    func openViewer(_ arguments: String = "") throws -> TmuxSession {
        if let failure = Self.startupFailure { throw HarnessError("skipped, the viewer did not start earlier: \(failure)") }
        let binary = try rnnscopeBinary()
        let session = try TmuxSession(command: "\(shellQuoted(binary)) \(arguments)", directory: packageRoot)
        do {
            try session.waitFor("t=0 of", timeout: startup)
        } catch {
            Self.startupFailure = "\(error)"
            session.close()
            throw error
        }
        return session
    }

    /// Everything below the header line, to see whether the panels changed.
    func body(_ screen: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
    }

    /// Waits for the shell's `EXIT=<status>` line after the program ended; returns the status.
    func waitForExit(_ session: TmuxSession) throws -> (status: Int, screen: String) {
        let screen = try session.waitForScreen("the program to exit") { $0.contains("EXIT=") }
        let line = screen.split(separator: "\n").first { $0.hasPrefix("EXIT=") } ?? ""
        return (Int(line.dropFirst("EXIT=".count).prefix { $0.isNumber }) ?? -1, screen)
    }

    /// The terminal is handed back: alternate screen left, cursor visible, no frame left behind.
    func expectRestored(_ session: TmuxSession, screen: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try session.format("#{alternate_on}") == "0", "still on the alternate screen", sourceLocation: sourceLocation)
        #expect(try session.format("#{cursor_flag}") == "1", "cursor left hidden", sourceLocation: sourceLocation)
        #expect(!screen.contains("t=0 of"), "the viewer's frame is still on the normal screen:\n\(screen)", sourceLocation: sourceLocation)
    }

    @Test func defaultLessonOpensOnTheFirstStepOfTheForwardPass() throws {
        let session = try openViewer()
        defer { session.close() }
        let screen = try session.capture()
        let header = screen.split(separator: "\n").first { $0.contains("t=0 of") } ?? ""
        #expect(header.contains("forward"), "header: \(header)")
        #expect(try session.format("#{alternate_on}") == "1")
    }

    @Test func stepKeysMoveThroughTime() throws {
        let session = try openViewer()
        defer { session.close() }
        // Each wait is for the status line, the last row curses draws, so the whole frame is on screen.
        let first = try session.waitFor("t=0 reads")
        try session.sendKeys("Right")
        let second = try session.waitFor("t=1 reads")
        // The panels show the new step's values, not just a new counter.
        #expect(body(first) != body(second), "only the header changed between step 1 and step 2:\n\(second)")
        try session.sendKeys("l")
        try session.waitFor("t=2 reads")
        try session.sendKeys("Left")
        try session.waitFor("t=1 reads")
        try session.sendKeys("Home")
        let back = try session.waitFor("t=0 reads")
        #expect(body(back) == body(first), "step 1 drawn differently the second time:\n\(back)")
    }

    /// P in the real terminal: the presenter layout (no equations panel beside the lesson text) drawn dark on
    /// white in 256 colours, and P again brings the full layout back.
    @Test func pSwitchesToThePresenterLayoutAndBack() throws {
        // In colour whatever the test runner's environment says (the palette is for 256 colours).
        let session = try TmuxSession(command: "env -u NO_COLOR \(shellQuoted(try rnnscopeBinary()))", directory: packageRoot)
        defer { session.close() }
        try session.waitFor("t=0 of", timeout: startup)
        #expect(try session.capture().contains("Equations"))
        try session.sendKeys("P")
        let presenter = try session.waitFor("presenter layout")
        #expect(!presenter.contains("Equations") && presenter.contains("Overview"), "\(presenter)")
        let colours = try session.capture(escapes: true)
        #expect(colours.contains("48;5;231"), "no white (231) background on screen:\n\(colours.prefix(600).debugDescription)")
        try session.sendKeys("P")
        let full = try session.waitFor("full layout")
        #expect(full.contains("Equations"), "\(full)")
    }

    /// v in the real terminal walks every screen, each drawing its own content, and back to the panels;
    /// z gives the focused panel the screen and Esc gives it back.
    @Test func vWalksEveryScreenAndZZoomsTheFocusedPanel() throws {
        let session = try openViewer()
        defer { session.close() }
        let marks = [
            "sum": "sum: where", "weights": "W_hh", "cell": "cell: the cell as a diagram",
            "text": "text: each token", "connect": "connect: how much",
        ]
        for name in ["sum", "weights", "cell", "text", "connect"] {
            try session.sendKeys("v")
            let screen = try session.waitFor(marks[name]!)
            #expect(screen.contains("lesson 1/11") || screen.contains("1/11"), "the lesson text stays beside \(name):\n\(screen)")
        }
        try session.sendKeys("v")
        let panels = try session.waitFor("panels: the state")
        #expect(panels.contains("Output: next token") && panels.contains("▶ State"), "\(panels)")
        try session.sendKeys("z")
        let zoomed = try session.waitFor("zoomed: the state panel")
        #expect(!zoomed.contains("Output: next token"), "\(zoomed)")
        try session.sendKeys("Escape")
        let back = try session.waitForScreen("the panels back") { $0.contains("Output: next token") }
        #expect(back.contains("▶ State"))
    }

    @Test func bSwitchesTheHeaderToTheBackwardPass() throws {
        let session = try openViewer()
        defer { session.close() }
        try session.sendKeys("b")
        let screen = try session.waitFor("backward")
        let header = screen.split(separator: "\n").first { $0.contains(" of 0…") } ?? ""
        #expect(header.contains("backward"), "header: \(header)")
    }

    @Test func tooSmallWindowShowsANoticeAndRecovers() throws {
        let session = try openViewer()
        defer { session.close() }
        try session.resize(width: 60, height: 20)
        try session.waitFor("terminal too small")
        try session.resize(width: 120, height: 40)
        let screen = try session.waitForScreen("the frame to come back") {
            $0.contains("t=0 of") && !$0.contains("terminal too small")
        }
        #expect(screen.split(separator: "\n", omittingEmptySubsequences: false).count >= 40)
    }

    @Test func qQuitsWithStatusZeroAndRestoresTheTerminal() throws {
        let session = try openViewer()
        defer { session.close() }
        try session.sendKeys("q")
        let (status, screen) = try waitForExit(session)
        #expect(status == 0, "screen:\n\(screen)")
        try expectRestored(session, screen: screen)
    }

    @Test func ctrlCQuitsAndRestoresTheTerminal() throws {
        let session = try openViewer()
        defer { session.close() }
        try session.sendKeys("C-c")
        let (status, screen) = try waitForExit(session)
        #expect(status == 0 || status == 130, "unexpected exit status \(status):\n\(screen)")
        try expectRestored(session, screen: screen)
    }

    @Test func sigtermRestoresTheTerminal() throws {
        let session = try openViewer()
        defer { session.close() }
        let pids = try session.programPIDs()
        try #require(!pids.isEmpty, "no rnnscope process under the pane's shell")
        for pid in pids { kill(pid, SIGTERM) }
        let (status, screen) = try waitForExit(session)
        #expect(status == 0 || status == 143, "unexpected exit status \(status):\n\(screen)")
        try expectRestored(session, screen: screen)
    }

    @Test func stdoutRedirectedToAFileIsRefusedWithAClearMessage() throws {
        let binary = try rnnscopeBinary()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rnnscope-e2e-\(UUID().uuidString).out").path
        defer { unlink(file) }
        // Inside tmux stdin is a terminal; only stdout is not.
        let session = try TmuxSession(command: "\(shellQuoted(binary)) > \(shellQuoted(file))", directory: packageRoot)
        defer { session.close() }
        let (status, screen) = try waitForExit(session)
        #expect(status != 0, "screen:\n\(screen)")
        #expect(screen.contains("not a terminal"), "screen:\n\(screen)")
        let written = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        #expect(!written.contains("\u{1B}"), "escape codes were written into the file: \(written.debugDescription)")
    }

    @Test func noTerminalAtAllIsRefusedWithoutHanging() throws {
        let binary = try rnnscopeBinary()
        let result = try spawn([binary], timeout: 20)
        #expect(!result.timedOut, "rnnscope kept running without a terminal")
        #expect(result.status != 0)
        #expect(result.errorOutput.contains("not a terminal"), "stderr: \(result.errorOutput)")
        #expect(!result.output.contains("\u{1B}"), "escape codes on stdout: \(result.output.debugDescription)")
    }
}
