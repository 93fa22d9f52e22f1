import Foundation
import RNNEngine
import Testing
@testable import RNNLessons
@testable import RNNView

/// The course's claims, run as its lesson files state them (`## checks`): on each lesson's live model,
/// including the inputs the lesson never shows (every key, every context, every phase).
@Suite("Every lesson's checks pass on its live model")
struct CourseChecksTests {
    static let numbers = Array(1...11)

    @Test(arguments: numbers)
    func checksPass(number: Int) throws {
        let (lesson, run) = try CourseRuns.lesson(number)
        #expect(!lesson.checks.isEmpty, "lesson \(number) states no checks for its claims")
        for result in LessonChecks.evaluate(lesson, run: run) {
            #expect(result.passed, "lesson \(number), line \(result.check.line): \(result.summary)")
        }
    }

    @Test("the memory lessons recall every key from a zero state and after another sentence; lesson 5's tanh RNN does not")
    func memoryOnUnseenInputs() throws {
        for (number, cells) in [(5, [CellKind.lstm]), (7, [.lstm]), (8, [.gru, .lstm])] {
            let (_, run) = try CourseRuns.lesson(number)
            for cell in cells {
                let probes = try #require(run.cells[cell]?.probes.scalars)
                #expect(try #require(probes["recall_min_zero"]) >= 0.8, "lesson \(number) \(cell)")
                #expect(try #require(probes["recall_min_after"]) >= 0.8, "lesson \(number) \(cell)")
            }
        }
        let tanh = try #require(try CourseRuns.lesson(5).run.cells[.rnnTanh]?.probes.scalars["recall_mean"])
        #expect(tanh < 0.5, "lesson 5's tanh RNN should stay near chance (1/3), got \(tanh)")
    }

    @Test("a failing check names the file, the line, the check and what was measured")
    func failingCheckIsReported() throws {
        let dir = try TempDirectory()
        let text = Self.tinyLesson(checks: """
            ## checks

            - hidden_size > 5
            - T >= 3
            """)
        let path = try dir.write("lesson.md", text)
        let lesson = try #require(LessonValidator.validate(path: path).lesson)
        let results = LessonChecks.evaluate(lesson, run: try LessonRunner.run(lesson))
        #expect(results.map(\.passed) == [false, true])
        let problems = LessonChecks.problems(results, path: path)
        #expect(problems.map(\.description) == ["\(path):18: check failed: hidden_size > 5 (measured 2 > 5)"])
    }

    @Test("checks are parsed and checked like answers: bad ones are reported at their line")
    func badChecksAreReported() throws {
        let dir = try TempDirectory()
        let text = Self.tinyLesson(checks: """
            ## checks

            Prose lines are for readers.

            - mean_loss
            - recall_min >= 0.8
            - after "a c" predicted > 0
            """)
        let path = try dir.write("lesson.md", text)
        let problems = LessonValidator.validate(path: path).problems.map(\.description)
        #expect(problems.contains { $0.hasPrefix("\(path):20: check \"mean_loss\" has no comparison") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("\(path):21: in check: \"recall_min\" names nothing: it needs corpus_generator: recall") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("\(path):22: in check: after \"a c\": \"c\" is not in the model's vocabulary") }, "\(problems)")
    }

    /// A lesson that trains a 2-unit tanh RNN for one epoch, its front matter on lines 1–14, then `checks`
    /// from line 16.
    static func tinyLesson(checks: String) -> String {
        """
            ---
            title: t
            summary: s
            cell: rnn_tanh
            input: a b a
            corpus: a b a b a b
            tokenizer: word
            hidden_size: 2
            optimizer: adam
            learning_rate: 0.01
            epochs: 1
            seq_length: 4
            seed: 1
            ---

            """ + "\n" + checks
    }
}

@Suite("Play stops at a waiting question")
struct PlayStopsAtQuestionsTests {
    @Test(arguments: CourseChecksTests.numbers)
    func spaceFromTheStartStopsAtTheFirstQuestion(number: Int) throws {
        let (lesson, _) = try CourseRuns.lesson(number)
        let session = try CourseRuns.session(number)
        var state = AppState(lesson: session, course: nil, options: ViewOptions(colorMode: .monochrome))
        let firstForward = lesson.steps.filter { $0.mode == .forward && !$0.questions.isEmpty }.map(\.step).min()
        state.apply(.togglePlay)
        for _ in 0..<200 where state.isPlaying { state.apply(.tick) }
        #expect(!state.isPlaying)
        if let question = firstForward {
            #expect(state.step == question, "lesson \(number): play should stop at t=\(question), stopped at t=\(state.step)")
            #expect(state.narration?.openQuestion != nil)
            #expect(state.status?.text.contains("a question waits here") == true)
        } else {
            #expect(state.step == state.stepCount - 1, "lesson \(number) has no forward question: play runs to the end")
        }
    }
}

@Suite("A waiting question covers the targets from its step on")
struct TargetsCoveredTests {
    @Test func lessonThreeHidesWhatComesNextUntilAnswered() throws {
        var state = AppState(lesson: try CourseRuns.session(3), course: nil, options: ViewOptions(colorMode: .monochrome))
        state.apply(.stepForward)
        let question = try #require(state.narration?.openQuestion)
        func lines() -> [String] { renderFrame(state, width: 120, height: 40).lines }
        let before = lines()
        let targetRow = try #require(before.first { $0.hasPrefix(" target") })
        #expect(targetRow.contains("love") && !targetRow.contains("AI") && targetRow.contains("?"), "\(targetRow)")
        #expect(before.last?.contains("predict first") == true && before.last?.contains("should predict") == false)
        state.apply(.answer(question.choices[0].letter))
        let after = lines()
        #expect(try #require(after.first { $0.hasPrefix(" target") }).contains("AI"))
        #expect(after.last?.contains("predict first") == false)
    }
}
