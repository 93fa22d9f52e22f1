import Foundation
import RNNEngine
import Testing
@testable import RNNLessons

@Suite("Lesson files parse")
struct LessonParserTests {
    @Test("every bundled lesson validates with no problems")
    func bundledLessonsAreValid() throws {
        let course = try Course(directory: Fixture.lessonsDirectory)
        #expect(!course.entries.isEmpty, "no NN-*.md lessons found in \(Fixture.lessonsDirectory)")
        for entry in course.entries {
            let report = LessonValidator.validate(path: entry.path)
            #expect(report.problems.isEmpty, "\(report.problems.map(\.description).joined(separator: "\n"))")
            let lesson = try #require(report.lesson, "\(entry.path) did not produce a lesson")
            #expect(lesson.title == course.heading(of: entry).title)
            #expect(!lesson.summary.isEmpty)
            #expect(!lesson.steps.isEmpty, "\(entry.path) has no ## step sections")
        }
        // Numbers are unique and in order.
        let numbers = course.entries.map(\.number)
        #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count)
    }

    @Test("a complete lesson reads into the expected values")
    func parsesAllParts() throws {
        let dir = try TempDirectory()
        let path = try dir.write("lesson.md", goldenLSTMLesson())
        let report = LessonValidator.validate(path: path)
        #expect(report.problems.isEmpty, "\(report.problems)")
        let lesson = try #require(report.lesson)
        #expect(lesson.title == "Gates on a tiny sentence")
        #expect(lesson.cells == [.lstm])
        #expect(lesson.model == .files([Fixture.lstmModel]))
        #expect(lesson.input == "I love AI and AI loves me")
        #expect(lesson.intro?.text == "The LSTM reads {T} words; its hidden state has {hidden_size} units.")
        #expect(lesson.ending?.text == "The mean loss over the run was {mean_loss}.")
        #expect(lesson.steps.map(\.step) == [0, 5])
        #expect(lesson.steps.map(\.mode) == [.forward, .backward])
        let step0 = try #require(lesson.section(step: 0, mode: .forward))
        #expect(step0.highlight == Highlight(panel: .gates, gate: "f", unit: 1, line: step0.line + 1))
        #expect(step0.narration.text.hasPrefix("The model reads **{token}**."))
        #expect(step0.questions.count == 2)
        let q = step0.questions[0]
        #expect(q.prompt == "Which word will it predict next?")
        #expect(q.choices.map(\.text) == ["love", "AI", "me"])
        #expect(q.choices.map(\.letter) == ["a", "b", "c"])
        #expect(q.answer == .value(.term(Term(name: "predicted"))))
        guard case let .conditional(yes, condition, no) = step0.questions[1].answer else {
            Issue.record("expected a conditional answer")
            return
        }
        #expect(yes == "open" && no == "closed")
        #expect(condition == Comparison(left: .function(.mean, .term(Term(name: "f"))), op: .greater, right: .number(0.5)))
        #expect(lesson.section(step: 5, mode: .backward)?.highlight?.panel == .gradient)
    }

    @Test("a training recipe with a ## corpus block reads every field")
    func parsesRecipe() throws {
        let text = """
        ---
        title: Trained here
        summary: A recipe lesson.
        cell: rnn_tanh, lstm
        input: the cat sat
        tokenizer: word
        embedding: 0
        hidden_size: 8
        optimizer: adam
        learning_rate: 0.01
        epochs: 200
        seq_length: 4
        seed: 7
        clip: 1.5
        scale_recurrent: 3
        loss_on: last_step
        ---

        ## corpus

        ```text
        the cat sat on the mat
        the dog sat on the log
        ```

        ## step 1
        It has read {token}; the LSTM's ‖dL/dh‖ here is {lstm: grad_norm}. After {epochs} epochs the loss is {epoch_loss[-1]}.
        """
        let report = LessonValidator.validate(text: text, path: "recipe.md")
        #expect(report.problems.isEmpty, "\(report.problems)")
        let lesson = try #require(report.lesson)
        #expect(lesson.cells == [.rnnTanh, .lstm])
        guard case .recipe(let r) = lesson.model else {
            Issue.record("expected a recipe")
            return
        }
        #expect(r.corpus == "the cat sat on the mat\nthe dog sat on the log")
        #expect(r.tokenizer == .word && r.task == .classification && r.embeddingSize == nil)
        #expect(r.hiddenSize == 8 && r.optimizer == .adam && r.learningRate == 0.01)
        #expect(r.epochs == 200 && r.sequenceLength == 4 && r.seed == 7)
        #expect(r.clipNorm == 1.5 && r.scaleRecurrent == 3 && r.lossOn == .lastStep)
        #expect(lesson.steps.first?.mode == .forward)
    }

    @Test("placeholder expressions parse to the documented structure")
    func placeholderGrammar() throws {
        #expect(try PlaceholderParser.parsePlaceholder("h[2]").expression == .term(Term(name: "h", index: 2)))
        #expect(try PlaceholderParser.parsePlaceholder("grad.h[-1]@prev").expression
            == .term(Term(name: "grad.h", index: -1, step: .relative(-1))))
        #expect(try PlaceholderParser.parsePlaceholder("ratio grad_norm@first grad_norm@-2").expression
            == .binary(.ratio, .term(Term(name: "grad_norm", step: .absolute(0))), .term(Term(name: "grad_norm", step: .absolute(-2)))))
        #expect(try PlaceholderParser.parsePlaceholder("lstm: mean f@last").expression
            == .inCell(.lstm, .function(.mean, .term(Term(name: "f", step: .absolute(-1))))))
        #expect(try PlaceholderParser.parsePlaceholder("gru:h[0]").expression == .inCell(.gru, .term(Term(name: "h", index: 0))))
        let p = try PlaceholderParser.parsePlaceholder("prob \"a b\"@2 temp 0.5 %")
        #expect(p.expression == .probability(.literal("a b"), step: .absolute(2), temperature: 0.5))
        #expect(p.format == .percent)
        #expect(try PlaceholderParser.parsePlaceholder("h[0] .2").format == .decimals(2))
        #expect(throws: LessonSyntaxError.self) { try PlaceholderParser.parsePlaceholder("mean") }
        #expect(throws: LessonSyntaxError.self) { try PlaceholderParser.parsePlaceholder("h h") }
        #expect(throws: LessonSyntaxError.self) { try PlaceholderParser.parsePlaceholder("loss[2]") }
        #expect(throws: LessonSyntaxError.self) { try PlaceholderParser.parsePlaceholder("T@3") }
    }

    @Test("literal braces and quoted braces in narration")
    func braces() {
        let (template, problems) = NarrationTemplate.parse("sets {{like this}} and {prob \"}\"}", line: 4)
        #expect(problems.isEmpty)
        #expect(template.parts.first == .text("sets {like this} and "))
        #expect(template.placeholders.first?.0.expression == .probability(.literal("}"), step: nil, temperature: nil))
        #expect(template.placeholders.first?.1 == 4)
    }
}
