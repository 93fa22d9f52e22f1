import Foundation
import Testing

/// `rnnscope lessons`, `rnnscope lesson validate` and `rnnscope lesson N --plain` as a teacher runs them.
@Suite("rnnscope lessons and lesson validate")
struct LessonCommandTests {
    let course = Paths.packageRoot.appendingPathComponent("lessons").path

    @Test func listsTheCourse() throws {
        let r = try rnnscope("lessons", "--directory", course)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains(" 1  What an RNN is"), "\(r.stdout)")
        #expect(r.stdout.contains("11  "), "\(r.stdout)")
    }

    /// A fresh XDG state directory and the path of the progress file rnnscope keeps in it (not yet written).
    func progressFile() throws -> (state: URL, file: URL) {
        let state = try Paths.temporaryDirectory()
        let dir = state.appendingPathComponent("rnnscope")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return (state, dir.appendingPathComponent("progress.json"))
    }

    @Test func listsFinishedLessonsAndScoresFromTheProgressFile() throws {
        let (state, file) = try progressFile()
        defer { try? FileManager.default.removeItem(at: state) }
        try """
            {"version": 1, "lessons": {
              "01-what-is-an-rnn": {"answers": [{"step": 1, "mode": "forward", "index": 0, "choice": "b", "correct": true}],
                                    "furthestStep": 2, "furthestMode": "forward", "finished": true, "questionCount": 1},
              "02-shared-weights": {"answers": [{"step": 4, "mode": "forward", "index": 0, "choice": "a", "correct": false}],
                                    "furthestStep": 4, "furthestMode": "forward", "finished": false, "questionCount": 2}}}
            """.write(to: file, atomically: true, encoding: .utf8)
        let r = try rnnscope(["lessons", "--directory", course], environment: ["XDG_STATE_HOME": state.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        #expect(r.stdout.contains(" 1 ✓ What an RNN is  (1/1 right)"), "\(r.stdout)")
        #expect(r.stdout.contains(" 2  ") && r.stdout.contains("(0/1 right, 1 not answered yet)"), "\(r.stdout)")
        #expect(r.stdout.contains(" 3  "), "untouched lessons list as before\n\(r.stdout)")

        // A corrupt file: one line on stderr, kept as progress.json.bad, the list still printed.
        try "{ not json".write(to: file, atomically: true, encoding: .utf8)
        let bad = try rnnscope(["lessons", "--directory", course], environment: ["XDG_STATE_HOME": state.path])
        #expect(bad.status == 0, "\(bad.stderr)")
        #expect(bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
        #expect(bad.stderr.contains("progress.json.bad"), "\(bad.stderr)")
        #expect(!bad.stdout.contains("✓"), "\(bad.stdout)")
        #expect(try String(contentsOf: file.appendingPathExtension("bad"), encoding: .utf8) == "{ not json")
    }

    @Test func resetForgetsEveryLessonOfTheCourseAndKeepsOtherCourses() throws {
        let (state, file) = try progressFile()
        defer { try? FileManager.default.removeItem(at: state) }
        let record = #"{"answers": [], "furthestStep": 2, "furthestMode": "forward", "finished": true, "questionCount": 0}"#
        try #"{"version": 1, "lessons": {"01-what-is-an-rnn": \#(record), "02-shared-weights": \#(record), "07-another-course": \#(record)}}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let before = try rnnscope(["lessons", "--directory", course], environment: ["XDG_STATE_HOME": state.path])
        #expect(before.stdout.components(separatedBy: "✓").count == 3, "two lessons finished before:\n\(before.stdout)")
        let r = try rnnscope(["lessons", "--reset", "--directory", course], environment: ["XDG_STATE_HOME": state.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "rnnscope: progress forgotten for 2 lessons\n", "\(r.stderr)")
        #expect(!r.stdout.contains("✓") && r.stdout.contains(" 1  What an RNN is"), "\(r.stdout)")
        let saved = try String(contentsOf: file, encoding: .utf8)
        #expect(saved.contains("07-another-course") && !saved.contains("01-what-is-an-rnn"), "\(saved)")
        let again = try rnnscope(["lessons", "--reset", "--directory", course], environment: ["XDG_STATE_HOME": state.path])
        #expect(again.stderr == "rnnscope: progress forgotten for 0 lessons\n", "\(again.stderr)")
    }

    @Test func resetIsForTheViewerNotForPlainFrames() throws {
        let r = try rnnscope("lesson", "1", "--reset", "--plain", "--directory", course)
        #expect(r.status != 0)
        #expect(r.stderr.contains("--reset starts the lesson over in the viewer"), "\(r.stderr)")
    }

    @Test func validateAcceptsEveryBundledLesson() throws {
        let r = try rnnscope("lesson", "validate", "--directory", course)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").filter { $0.hasSuffix(": ok") }.count == 11, "\(r.stdout)")
    }

    @Test func validateReportsEveryProblemWithFileAndLine() throws {
        let dir = try Paths.temporaryDirectory()
        let file = dir.appendingPathComponent("01-broken.md")
        try """
            ---
            title: Broken
            summary: Two mistakes.
            cell: lstm
            input: I love AI
            model: models/missing.safetensors
            colour: blue
            ---

            ## step 9 forward

            The model reads {tokn}.
            """.write(to: file, atomically: true, encoding: .utf8)
        let r = try rnnscope("lesson", "validate", file.path)
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count >= 3, "\(r.stderr)")
        #expect(lines.allSatisfy { $0.hasPrefix(file.path + ":") }, "\(r.stderr)")
        #expect(r.stderr.contains(":7:"), "the unknown key is on line 7:\n\(r.stderr)")
        #expect(r.stderr.contains("colour"), "\(r.stderr)")
        #expect(r.stderr.contains("missing.safetensors"), "\(r.stderr)")
        #expect(r.stderr.contains("tokn"), "\(r.stderr)")
    }

    /// A regression lesson's input follows the engine's rule for a series value (a finite Float): what
    /// `lesson validate` accepts opens, and what cannot open ("inf", "nan", past Float's range) is refused
    /// by `validate` too, naming the token.
    @Test(arguments: ["inf", "nan", "1e39"])
    func validateRefusesTheSeriesValuesTheModelRefuses(_ bad: String) throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func lesson(input: String) throws -> String {
            let file = dir.appendingPathComponent("01-series-\(input.count).md")
            try """
                ---
                title: Series
                summary: Numbers in, next number out.
                cell: rnn_tanh
                task: regression
                input: \(input)
                corpus: 0 1 2 3 2 1 0 1 2 3 2 1 0
                tokenizer: word
                hidden_size: 3
                optimizer: sgd
                learning_rate: 0.01
                epochs: 1
                seq_length: 4
                seed: 1
                ---

                ## step 0 forward

                The model reads {token}.
                """.write(to: file, atomically: true, encoding: .utf8)
            return file.path
        }
        let good = try lesson(input: "1 2 3")
        let validGood = try rnnscope("lesson", "validate", good)
        #expect(validGood.status == 0, "\(validGood.stderr)")
        let openGood = try rnnscope("lesson", good, "--plain", "--size", "120x40")
        #expect(openGood.status == 0, "\(openGood.stderr)")

        let broken = try lesson(input: "1 2 \(bad) 3")
        let valid = try rnnscope("lesson", "validate", broken)
        #expect(valid.status == 1, "validate accepted \(bad)\n\(valid.stdout)")
        #expect(valid.stderr.contains("\"\(bad)\" (position 3) is not a number"), "\(valid.stderr)")
        let open = try rnnscope("lesson", broken, "--plain", "--size", "120x40")
        #expect(open.status != 0)
        #expect(open.stderr.contains("\"\(bad)\""), "\(open.stderr)")
    }

    @Test func openingALessonPrintsAPlainFrame() throws {
        let r = try rnnscope("lesson", "1", "--directory", course, "--plain", "--step", "1", "--size", "120x40")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("t=1 of 0…"), "\(r.stdout)")
        #expect(r.stdout.contains("lesson 1/11"), "\(r.stdout)")
        let bad = try rnnscope("lesson", "99", "--directory", course, "--plain")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("there is no lesson 99"), "\(bad.stderr)")
    }
}
