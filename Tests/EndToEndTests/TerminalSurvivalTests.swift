#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing

/// The viewer survives what a terminal does to it: Ctrl-Z and `fg`, escape sequences it does not know,
/// every signal that ends a process, a crash, and a quit while a lesson's model is still training.
/// Each test checks the terminal is handed back: alternate screen off, cursor shown, keypad mode off,
/// and the tty's echo and canonical mode on (`stty -a` in the pane after the program ended).
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct TerminalSurvivalTests {
    let startup = 30.0

    /// `rnnscope <arguments>` in a pane whose shell prints the exit status and the tty's modes after it.
    func open(_ arguments: String = "", environment: String = "", waitFor text: String = "t=0 of") throws -> TmuxSession {
        let binary = try rnnscopeBinary()
        let modes = "printf 'MODES: '; stty -a | tr ' ' '\\n' | grep -E '^-?(echo|icanon)$' | tr '\\n' ' '; echo"
        let session = try TmuxSession(command: "\(environment) \(shellQuoted(binary)) \(arguments); echo STATUS=$?; \(modes)",
                                      directory: packageRoot)
        try session.waitFor(text, timeout: startup)
        return session
    }

    func pid(_ session: TmuxSession) throws -> pid_t {
        try #require(try session.programPIDs().first, "no rnnscope process under the pane's shell")
    }

    /// Waits for the program to end; returns its status, how long it took, and the screen.
    func waitForExit(_ session: TmuxSession, timeout: Double = 10) throws -> (status: Int, seconds: Double, screen: String) {
        let start = Date()
        let screen = try session.waitForScreen("the program to exit", timeout: timeout) {
            $0.contains("STATUS=") && $0.split(separator: "\n").contains { $0.hasPrefix("MODES:") && $0.contains("icanon") }
        }
        let seconds = Date().timeIntervalSince(start)
        let line = screen.split(separator: "\n").first { $0.hasPrefix("STATUS=") } ?? ""
        return (Int(line.dropFirst("STATUS=".count).prefix { $0.isNumber }) ?? -1, seconds, screen)
    }

    func expectRestored(_ session: TmuxSession, screen: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try session.format("#{alternate_on}") == "0", "still on the alternate screen:\n\(screen)", sourceLocation: sourceLocation)
        #expect(try session.format("#{cursor_flag}") == "1", "cursor left hidden", sourceLocation: sourceLocation)
        #expect(try session.format("#{keypad_cursor_flag}") == "0", "application cursor keys left on", sourceLocation: sourceLocation)
        // stty prints "echo" / "icanon" when on, "-echo" / "-icanon" when off.
        let modes = screen.split(separator: "\n").first { $0.hasPrefix("MODES:") } ?? ""
        #expect(modes.split(separator: " ").contains("echo") && modes.split(separator: " ").contains("icanon"),
                "the tty was left raw: \(modes)\n\(screen)", sourceLocation: sourceLocation)
    }

    @Test func afterCtrlZAndFgTheArrowKeysStillStep() throws {
        let session = try open()
        defer { session.close() }
        let program = try pid(session)
        // What Ctrl-Z and `fg` deliver (the pane's shell has no job control to do it for us).
        kill(program, SIGTSTP)
        usleep(300_000)
        kill(program, SIGCONT)
        try session.waitForScreen("the frame after SIGCONT") { $0.contains("t=0 of") }
        usleep(300_000)
        #expect(try session.format("#{keypad_cursor_flag}") == "1", "application cursor-key mode not restored after SIGCONT")
        try session.sendKeys("Right")
        let screen = try session.waitForScreen("step 2 after the arrow") { $0.contains("t=1 of") || $0.contains("STATUS=") }
        #expect(!screen.contains("STATUS="), "the arrow key quit the viewer:\n\(screen)")
        try session.sendKeys("q")
        let (status, _, exited) = try waitForExit(session)
        #expect(status == 0)
        try expectRestored(session, screen: exited)
    }

    @Test func unknownEscapeSequencesAndAltKeysDoNotQuit() throws {
        let session = try open()
        defer { session.close() }
        // ESC [ C is → in normal cursor-key mode: it steps. The others mean nothing here: ignored.
        for sequence in ["\u{1B}[C", "\u{1B}[200~", "\u{1B}[I", "\u{1B}a", "\u{1B}x", "\u{1B}\u{1B}"] {
            try session.tmux(["send-keys", "-t", "0", "-l", sequence])
            usleep(300_000)
            let screen = try session.capture()
            #expect(!screen.contains("STATUS="), "\(sequence.debugDescription) quit the viewer:\n\(screen)")
            #expect(try session.format("#{alternate_on}") == "1")
        }
        #expect(try session.capture().contains("t=1 of"), "ESC [ C did not step")
        // A lone Esc still quits, at once.
        try session.sendKeys("Escape")
        let (status, seconds, screen) = try waitForExit(session)
        #expect(status == 0)
        #expect(seconds < 1.5, "Esc took \(seconds) s to quit")
        try expectRestored(session, screen: screen)
    }

    @Test(arguments: [SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE])
    func signalsEndTheViewerWithTheTerminalRestored(signal: Int32) throws {
        let session = try open()
        defer { session.close() }
        kill(try pid(session), signal)
        let (status, seconds, screen) = try waitForExit(session)
        #expect(status == 128 + Int(signal), "signal \(signal): status \(status)\n\(screen)")
        #expect(seconds < 2, "signal \(signal) took \(seconds) s")
        #expect(!screen.contains("crashed"), "a crash report for signal \(signal):\n\(screen)")
        try expectRestored(session, screen: screen)
    }

    /// A crash inside the viewer (a Swift trap is SIGILL) ends it at once, with the runtime's report
    /// printed on the normal screen: no 30 s "Press space to interact" prompt.
    @Test func aCrashExitsAtOnceWithTheTerminalRestored() throws {
        let session = try open(environment: "env -u SWIFT_BACKTRACE")
        defer { session.close() }
        kill(try pid(session), SIGILL)
        let (status, seconds, screen) = try waitForExit(session, timeout: 20)
        #expect(status == 128 + Int(SIGILL), "\(screen)")
        #expect(seconds < 5, "the crash took \(seconds) s to end the process")
        #expect(!screen.contains("Press space"), "\(screen)")
        try expectRestored(session, screen: screen)
    }

    /// A course whose lesson 2 trains for seconds (as long as the opening budget allows): Ctrl-C, q and
    /// SIGTERM while it opens end the viewer at once.
    /// A course in a temporary directory: the real lesson 1, then a lesson whose recipe trains a tanh RNN of
    /// `hidden` units for `epochs` epochs on a one-line corpus.
    func courseWithATrainingLesson(hidden: Int, epochs: Int) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnscope-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let first = try #require(try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/lessons").first { $0.hasPrefix("01-") })
        try FileManager.default.copyItem(atPath: packageRoot + "/lessons/" + first, toPath: directory + "/01-first.md")
        try """
            ---
            title: A lesson that trains for a while
            summary: A recipe of \(hidden) units and \(epochs) epochs.
            cell: rnn_tanh
            input: I love AI
            tokenizer: word
            hidden_size: \(hidden)
            epochs: \(epochs)
            seq_length: 25
            seed: 1
            optimizer: adam
            learning_rate: 0.01
            corpus: I love AI . AI loves you . you love me . I love music . AI loves me . you love AI . I love you .
            ---

            # A lesson that trains

            It reads {T} words.

            """.write(toFile: directory + "/02-heavy.md", atomically: true, encoding: .utf8)
        return directory
    }

    /// Live training (`t`) of a model that takes seconds to train: q and Ctrl-C end the viewer at once, with
    /// the terminal restored, instead of waiting for the last epoch.
    @Test(arguments: ["C-c", "q"])
    func quittingWhileTrainingLiveEndsItAtOnce(how: String) throws {
        let directory = try courseWithATrainingLesson(hidden: 192, epochs: 1000)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let session = try open("lesson 2", environment: "RNNSCOPE_LESSONS=\(shellQuoted(directory))")
        defer { session.close() }
        try session.sendKeys("t")
        let live = try session.waitForScreen("live training to start") { $0.contains("Training loss (live)") }
        usleep(300_000)
        let still = try session.capture()
        #expect(!still.contains("epochs: loss"), "training ended before the key was pressed; the test proves nothing:\n\(still)")
        try session.sendKeys(how)
        let (status, seconds, screen) = try waitForExit(session)
        #expect(seconds < 1, "\(how) took \(seconds) s to end live training\n\(live)")
        #expect(status == ["C-c": 130, "q": 0][how], "\(how): status \(status)\n\(screen)")
        try expectRestored(session, screen: screen)
    }

    @Test(arguments: ["C-c", "q", "TERM"])
    func quittingWhileALessonTrainsEndsItAtOnce(how: String) throws {
        // A recipe near the opening budget (about 8 s estimated).
        let directory = try courseWithATrainingLesson(hidden: 256, epochs: 1000)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let session = try open(environment: "RNNSCOPE_LESSONS=\(shellQuoted(directory))")
        defer { session.close() }
        try session.sendKeys("n")
        try session.waitFor("opening lesson 2/2")
        usleep(500_000)
        if how == "TERM" { kill(try pid(session), SIGTERM) } else { try session.sendKeys(how) }
        let (status, seconds, screen) = try waitForExit(session)
        #expect(seconds < 1, "\(how) took \(seconds) s to end the viewer")
        #expect(status == ["C-c": 130, "q": 0, "TERM": 143][how], "\(how): status \(status)\n\(screen)")
        try expectRestored(session, screen: screen)
    }
}
