import Foundation
import Testing

/// The course in the real terminal: `rnnscope` with no arguments, a question answered by digit, n; saved
/// progress coming back after a restart.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct LessonEndToEndTests {
    /// How long a debug build may take to train lesson 1's model and draw the first frame.
    let startup = 30.0

    /// The lesson titles, read from the course files so the test follows edits to them.
    func title(ofLesson prefix: String) throws -> String {
        let directory = packageRoot + "/lessons"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasPrefix(prefix) })
        let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("title:") })
        return line.dropFirst("title:".count).trimmingCharacters(in: .whitespaces)
    }

    @Test func noArgumentsOpensLessonOneAnswersItsQuestionAndMovesToLessonTwo() throws {
        let binary = try rnnscopeBinary()
        let session = try TmuxSession(command: shellQuoted(binary), directory: packageRoot)
        defer { session.close() }
        let first = try title(ofLesson: "01-"), second = try title(ofLesson: "02-")

        // Lesson 1 opens on its first page: the title, the course position, the first step.
        let opened = try session.waitForScreen("lesson 1 to open", timeout: startup) {
            $0.contains("t=0 of") && $0.contains(first) && $0.contains("lesson 1/")
        }
        #expect(opened.contains("forward"), "\(opened)")

        // Step to the first question; what comes next stays covered until the learner predicts (lesson 1
        // asks about another input, so only the targets and later steps are covered).
        try session.sendKeys("Right")
        let asked = try session.waitForScreen("the first question") { $0.contains("t=1 of") && $0.contains("Predict first") }
        #expect(asked.contains("predict first, then see"), "\(asked)")
        let choice = try #require(asked.split(separator: "\n").first { $0.contains("1) ") }, "no choice 1) on screen:\n\(asked)")
        #expect(choice.contains("1) "))

        // c is the compare command even while the question waits: it must not answer.
        try session.sendKeys("c")
        let compared = try session.waitFor("comparing ")
        #expect(!compared.contains("live answer is"), "c answered the question:\n\(compared)")
        try session.sendKeys("c")
        let closed = try session.waitForScreen("the comparison to close") { !$0.contains("comparing ") && $0.contains("Predict first") }
        #expect(!closed.contains("live answer is") && !closed.contains("✗"), "c answered the question:\n\(closed)")

        // Answer with a digit: the reveal shows the live answer, marked right or wrong.
        try session.sendKeys("1")
        let revealed = try session.waitFor("live answer is")
        #expect(revealed.contains("Right:") || revealed.contains("Not quite:"), "\(revealed)")
        #expect(revealed.contains("1 of ") && revealed.contains(" answered"), "\(revealed)")
        #expect(!revealed.contains("Predict first"), "\(revealed)")

        // n: lesson 2, from its first step.
        try session.sendKeys("n")
        // The header may shorten a long title with "…": its first words are enough.
        let next = try session.waitForScreen("lesson 2's title", timeout: startup) { $0.contains(String(second.prefix(20))) && $0.contains("t=0 of") }
        #expect(next.contains("lesson 2/"), "\(next)")

        try session.sendKeys("q")
        let exit = try session.waitForScreen("the program to exit") { $0.contains("EXIT=") }
        #expect(exit.contains("EXIT=0"), "\(exit)")
    }

    @Test func anAnswerIsKeptAfterQuittingAndReopening() throws {
        let binary = try rnnscopeBinary()
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("rnnscope-e2e-progress-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }

        let first = try TmuxSession(command: shellQuoted(binary) + " lesson 1", directory: packageRoot, stateDirectory: state)
        defer { first.close() }
        _ = try first.waitForScreen("lesson 1 to open", timeout: startup) { $0.contains("lesson 1/") && $0.contains("t=0 of") }
        try first.sendKeys("Right")
        _ = try first.waitFor("Predict first")
        try first.sendKeys("2")
        let revealed = try first.waitFor("live answer is")
        let verdict = try #require(revealed.split(separator: "\n").first { $0.contains("live answer is") }.map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: " │|")) })
        // q quits at once: the answer was saved when it was given.
        try first.sendKeys("q")
        _ = try first.waitForScreen("the program to exit") { $0.contains("EXIT=0") }
        first.close()
        let saved = try String(contentsOfFile: state + "/rnnscope/progress.json", encoding: .utf8)
        #expect(saved.contains("\"choice\" : \"b\""), "\(saved)")

        // Reopened: back at the furthest step, the answer revealed, no question waiting.
        let second = try TmuxSession(command: shellQuoted(binary) + " lesson 1", directory: packageRoot, stateDirectory: state)
        defer { second.close() }
        let reopened = try second.waitForScreen("lesson 1 to reopen", timeout: startup) { $0.contains("lesson 1/") && $0.contains("live answer is") }
        #expect(reopened.contains("t=1 of"), "\(reopened)")
        #expect(reopened.contains(String(verdict.prefix(40))), "\(verdict)\n\(reopened)")
        #expect(!reopened.contains("Predict first"), "\(reopened)")
        #expect(reopened.contains("welcome back"), "\(reopened)")
        try second.sendKeys("q")
        _ = try second.waitForScreen("the program to exit") { $0.contains("EXIT=0") }

        // --reset starts over: the question waits again.
        let third = try TmuxSession(command: shellQuoted(binary) + " lesson 1 --reset", directory: packageRoot, stateDirectory: state)
        defer { third.close() }
        _ = try third.waitForScreen("lesson 1 to open afresh", timeout: startup) { $0.contains("lesson 1/") && $0.contains("t=0 of") }
        try third.sendKeys("Right")
        let again = try third.waitFor("Predict first")
        #expect(!again.contains("live answer is"), "\(again)")
        try third.sendKeys("q")
        _ = try third.waitForScreen("the program to exit") { $0.contains("EXIT=0") }
    }

    @Test func lessonFourTrainsLiveAndEndsOnTheLessonsModel() throws {
        let binary = try rnnscopeBinary()
        let session = try TmuxSession(command: shellQuoted(binary) + " lesson 4", directory: packageRoot)
        defer { session.close() }
        let opened = try session.waitForScreen("lesson 4 to open", timeout: startup) { $0.contains("lesson 4/") && $0.contains("t=0 of") }
        // The lesson quotes its own training losses; live training from the same seed must end on them.
        let quoted = try #require(opened.range(of: #"loss went from [0-9.]+"#, options: .regularExpression).map { String(opened[$0]) },
                                  "lesson 4 does not quote its first epoch's loss:\n\(opened)")
        let firstLoss = try #require(quoted.split(separator: " ").last.map(String.init))
        try session.sendKeys("t")
        let live = try session.waitForScreen("training to start") { $0.contains("Training loss (live)") }
        #expect(live.contains("training"), "\(live)")
        let done = try session.waitForScreen("training to finish", timeout: 120) { $0.contains("trained ") && $0.contains("epochs: loss") }
        #expect(done.contains("loss \(firstLoss) →"), "\(done)")
        #expect(done.contains("same seed"), "\(done)")
        try session.sendKeys("q")
        _ = try session.waitForScreen("the program to exit") { $0.contains("EXIT=0") }
    }

    @Test func aBrokenLessonIsOneLineAndAFailingExit() throws {
        let binary = try rnnscopeBinary()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnscope-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/01-broken.md"
        try "---\ntitle: Broken\nsummary: s\ncell: lstm\ncolour: red\n---\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try spawn([binary, "lesson", file, "--plain"], timeout: 20)
        #expect(result.status != 0)
        let lines = result.errorOutput.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.errorOutput)")
        #expect(result.errorOutput.contains("01-broken.md:"), "stderr: \(result.errorOutput)")

        let missing = try spawn([binary, "lesson", "3", "--plain", "--directory", directory + "/nowhere"], timeout: 20)
        #expect(missing.status != 0)
        #expect(missing.errorOutput.split(separator: "\n").count == 1, "stderr: \(missing.errorOutput)")
        #expect(missing.errorOutput.contains("cannot list the lessons directory"), "stderr: \(missing.errorOutput)")
    }

    @Test func plainFrameOfALessonPage() throws {
        let binary = try rnnscopeBinary()
        let result = try spawn([binary, "lesson", "1", "--plain", "--step", "1", "--size", "120x40", "--no-color"],
                               environment: ["LANG": "C.UTF-8", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin",
                                             "RNNSCOPE_LESSONS": packageRoot + "/lessons"], timeout: 60)
        #expect(result.status == 0, "stderr: \(result.errorOutput)")
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count >= 40)
        #expect(lines.first?.contains("t=1 of 0…2") == true, "\(result.output)")
        #expect(result.output.contains("lesson 1/"), "\(result.output)")
        #expect(result.output.contains("Predict first"), "\(result.output)")
        let backward = try spawn([binary, "lesson", "1", "--plain", "--mode", "backward", "--ascii", "--size", "80x24"],
                                 environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin",
                                               "RNNSCOPE_LESSONS": packageRoot + "/lessons"], timeout: 60)
        #expect(backward.status == 0, "stderr: \(backward.errorOutput)")
        #expect(backward.output.contains("backward"))
        #expect(backward.output.allSatisfy { $0.isASCII }, "\(backward.output)")
    }
}
