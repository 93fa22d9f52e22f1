import Foundation
import RNNEngine
import RNNTrace
import Testing
@testable import RNNLessons

@Suite("Lesson playback resolves against a real trace")
struct LessonPlaybackTests {
    let trace: Recording
    let lesson: Lesson

    init() throws {
        trace = try Fixture.goldenTrace("lstm_word_embed")
        let dir = try TempDirectory()
        let path = try dir.write("lesson.md", goldenLSTMLesson())
        let report = LessonValidator.validate(path: path)
        lesson = try #require(report.lesson, "\(report.problems)")
    }

    func value(_ source: String, step: Int) throws -> String {
        LessonPlayback(lesson: lesson, trace: trace).resolve("{\(source)}", step: step)
    }

    func predicted(_ t: Int) -> String {
        let p = trace.steps[t].probs
        return trace.vocab[p.indices.max { p[$0] < p[$1] }!]
    }

    @Test("step values come from the trace step being shown")
    func stepValues() throws {
        for t in trace.steps.indices {
            let s = trace.steps[t]
            #expect(try value("t", step: t) == String(t))
            #expect(try value("token", step: t) == s.token)
            #expect(try value("h[2]", step: t) == NumberText.placeholder(s.h[2], .automatic))
            #expect(try value("c[0] .4", step: t) == String(format: "%.4f", s.c![0]))
            let f = s.gate(.forget)!
            #expect(try value("mean f", step: t) == NumberText.placeholder(f.reduce(0, +) / Double(f.count), .automatic))
            #expect(try value("predicted", step: t) == predicted(t))
            #expect(try value("grad_norm", step: t) == NumberText.placeholder(s.grad!.hNorm, .automatic))
            if let target = s.target {
                #expect(try value("target", step: t) == trace.vocab[target])
                #expect(try value("prob target %", step: t) == String(format: "%.1f%%", s.probs[target] * 100))
                #expect(try value("loss", step: t) == NumberText.placeholder(s.loss!, .automatic))
            }
        }
        // The golden sentence, read by the placeholders.
        #expect(try (0..<7).map { try value("token", step: $0) }.joined(separator: " ") == "I love AI and AI loves me")
    }

    @Test("step selectors, functions and run values")
    func selectorsAndFunctions() throws {
        let steps = trace.steps
        #expect(try value("token@prev", step: 3) == "AI")
        #expect(try value("token@next", step: 3) == "AI")
        #expect(try value("token@last", step: 0) == "me")
        #expect(try value("token@-2", step: 0) == "loves")
        #expect(try value("h[-1]@first", step: 4) == NumberText.placeholder(steps[0].h[2], .automatic))
        let ratio = steps[0].grad!.hNorm / steps[5].grad!.hNorm
        #expect(try value("ratio grad_norm@0 grad_norm@-2", step: 3) == NumberText.placeholder(ratio, .automatic))
        #expect(try value("argmax probs", step: 2) == String(trace.vocab.firstIndex(of: predicted(2))!))
        #expect(try value("norm grad.h", step: 1) == NumberText.placeholder(steps[1].grad!.hNorm, .automatic))
        #expect(try value("mean_loss", step: 0) == NumberText.placeholder(trace.loss!, .automatic))
        #expect(try value("T", step: 0) == "7")
        #expect(try value("hidden_size", step: 0) == "3")
        let params = trace.parameterGradients.reduce(0) { $0 + $1.values.count }
        #expect(try value("params", step: 0) == String(params))
        #expect(try value("unrolled_params", step: 0) == String(params * 7))
        #expect(try value("cell", step: 0) == "LSTM")
        // Temperature re-weights the softmax of the logits.
        let logits = steps[0].logits.map { $0 / 0.5 }
        let m = logits.max()!
        let e = logits.map { Foundation.exp($0 - m) }
        #expect(try value("prob \"love\" temp 0.5", step: 0) == NumberText.placeholder(e[1] / e.reduce(0, +), .automatic))
        // A value this run does not have shows as {source?} instead of stopping playback.
        #expect(try value("target", step: 6) == "{target?}")
        #expect(try value("epoch_loss[0]", step: 0) == "{epoch_loss[0]?}")
    }

    @Test("number formatting: three significant digits, small numbers in short exponent form")
    func formatting() {
        #expect(NumberText.placeholder(0.48213, .automatic) == "0.482")
        #expect(NumberText.placeholder(12.345, .automatic) == "12.3")
        #expect(NumberText.placeholder(-1.5, .automatic) == "-1.50")
        #expect(NumberText.placeholder(0.0000123, .automatic) == "1.23e-5")
        #expect(NumberText.placeholder(123456789, .automatic) == "1.23e8")
        #expect(NumberText.placeholder(0, .automatic) == "0")
        #expect(NumberText.placeholder(0.2345, .percent) == "23.4%")
        #expect(LessonValue.integer(1234).formatted() == "1234")
        #expect(LessonValue.vector([0.5, -0.25]).formatted(.decimals(1)) == "[0.5, -0.2]" || LessonValue.vector([0.5, -0.25]).formatted(.decimals(1)) == "[0.5, -0.3]")
    }

    @Test("a page resolves narration, highlight and questions; the intro and end too")
    func page() throws {
        let playback = LessonPlayback(lesson: lesson, trace: trace)
        let page = playback.page(step: 0, mode: .forward)
        let narration = try #require(page.narration)
        #expect(narration.hasPrefix("The model reads **I**."))
        #expect(narration.contains("It expects \"\(predicted(0))\" next"))
        #expect(!narration.contains("{"))
        #expect(page.highlight?.panel == .gates && page.highlight?.gate == "f" && page.highlight?.unit == 1)
        #expect(page.questions.count == 2)
        #expect(page.questions[0].choices.map(\.text) == ["love", "AI", "me"])
        #expect(page.questions.allSatisfy { $0.reveal == nil })
        #expect(playback.page(step: 1, mode: .forward).narration == nil)
        #expect(playback.page(step: 5, mode: .backward).narration?.contains(NumberText.placeholder(trace.steps[5].grad!.hNorm, .automatic)) == true)
        #expect(playback.intro == "The LSTM reads 7 words; its hidden state has 3 units.")
        #expect(playback.ending == "The mean loss over the run was \(NumberText.placeholder(trace.loss!, .automatic)).")
    }

    @Test("answering reveals the live answer computed from the trace")
    func answering() throws {
        var playback = LessonPlayback(lesson: lesson, trace: trace)
        #expect(playback.progress(step: 0).description == "t=0 of 0…6 · 0 of 2 questions answered")

        // Q1: the argmax token. Choose the wrong one on purpose ("love" is not what this model predicts).
        let liveWord = predicted(0)
        #expect(liveWord != "love")
        let q1 = QuestionID(step: 0, mode: .forward, index: 0)
        let reveal1 = try playback.answer(q1, choice: "a")
        #expect(reveal1.answer == liveWord)
        #expect(reveal1.chosen == "a")
        #expect(reveal1.correct == lesson.steps[0].questions[0].choices.first { $0.text == liveWord }?.letter)
        #expect(!reveal1.isCorrect)
        #expect(reveal1.explanation.contains("\"\(liveWord)\" at "))
        // A second answer does not change the first.
        #expect(try playback.answer(q1, choice: "b") == reveal1)

        // Q2: open/closed from the live mean of f.
        let f = trace.steps[0].gate(.forget)!
        let open = f.reduce(0, +) / Double(f.count) > 0.5
        let q2 = QuestionID(step: 0, mode: .forward, index: 1)
        let reveal2 = try playback.answer(q2, choice: open ? "a" : "b")
        #expect(reveal2.answer == (open ? "open" : "closed"))
        #expect(reveal2.isCorrect)
        #expect(playback.page(step: 0, mode: .forward).questions[1].reveal == reveal2)

        let progress = playback.progress(step: 2)
        #expect(progress.description == "t=2 of 0…6 · 2 of 2 questions answered")
        #expect(progress.correct == 1)

        #expect(throws: LessonPlaybackError.noSuchChoice("z", valid: ["a", "b", "c"])) {
            var p = LessonPlayback(lesson: lesson, trace: trace)
            try p.answer(q1, choice: "z")
        }
        #expect(throws: LessonPlaybackError.noSuchQuestion(QuestionID(step: 3, mode: .forward))) {
            try playback.answer(QuestionID(step: 3, mode: .forward), choice: "a")
        }
    }
}
