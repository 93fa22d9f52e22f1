import Foundation
import RNNEngine
import RNNTrace
import Testing
@testable import RNNLessons
@testable import RNNView

/// Predict, then reveal, over the whole course: while a question waits, nothing on screen gives its answer.
@Suite("A waiting question covers what it asks about, on every panel")
struct QuestionCoverTests {
    static let sizes = [(120, 40), (200, 60)]
    static let themes = [ViewOptions(colorMode: .monochrome), ViewOptions(colorMode: .color256, glyphs: .ascii),
                         ViewOptions(colorMode: .color256, presenter: true)]

    /// The answer's values a panel could print, each in the formats the panels use: what the question is
    /// about (output: the predicted token's probability and the step's loss; gates; gradients). A run over
    /// another input (`after "…"`) is on no panel; names the screen shows as the lesson's input are skipped.
    static func aboutTexts(_ question: Question, step: Int, run: LessonRun) -> Set<String> {
        var leaves: [RNNLessons.Expression] = []
        func walk(_ e: RNNLessons.Expression, cell: CellKind?) {
            func wrap(_ x: RNNLessons.Expression) -> RNNLessons.Expression { cell.map { .inCell($0, x) } ?? x }
            switch e {
            case .number, .after, .sample, .novelty: break
            case .term(let t):
                guard QuestionCover.subject(ofName: t.name) != [] else { return }
                leaves.append(wrap(e))
                if t.name == "predicted" || t.name == "prediction" {
                    leaves.append(wrap(.probability(.predicted, step: t.step, temperature: nil)))
                    leaves.append(wrap(.term(Term(name: "loss", step: t.step))))
                }
            case .probability(_, let s, _):
                leaves.append(wrap(e))
                leaves.append(wrap(.term(Term(name: "loss", step: s))))
            case .function(_, let x): walk(x, cell: cell)
            case let .binary(_, a, b): walk(a, cell: cell); walk(b, cell: cell)
            case let .inCell(c, x): walk(x, cell: c)
            }
        }
        switch question.answer {
        case .value(let e), .closest(let e): walk(e, cell: nil)
        case let .conditional(_, c, _): walk(c.left, cell: nil); walk(c.right, cell: nil)
        }
        let evaluator = ExpressionEvaluator(run: run, step: step)
        var texts = Set<String>()
        for leaf in leaves {
            guard let value = try? evaluator.evaluate(leaf) else { continue }
            let numbers: [Double]
            switch value {
            case .number(let v): numbers = [v]
            case .vector(let vs): numbers = vs
            case .integer, .text: numbers = []
            }
            for v in numbers where v.isFinite && abs(v) >= 0.0005 {
                // Three decimals (equations, loss lines); two decimals are too common to tell (an h of 0.98),
                // so the rows that print them are looked for by their labels below.
                texts.insert(NumberText.short(v))
                if case .probability = leaf { texts.insert(String(format: "%.1f%%", v * 100)) }
            }
        }
        // Rows of two-decimal values: a gate's heat row ("f forget  ▄+0.48"), the compare view's prediction.
        for leaf in leaves {
            var e = leaf, cell: CellKind?
            if case let .inCell(c, x) = leaf { e = x; cell = c }
            let trace = (cell.flatMap { run.cells[$0] } ?? run.primaryRun)?.trace
            if case .term(let t) = e, LessonName.gates.contains(t.name), let trace {
                let gate = Gate(rawValue: t.name).flatMap { trace.cell.gates.contains($0) ? $0 : nil }
                texts.insert((gate?.label ?? t.name) + " ")
            }
            if case .probability = e { texts.insert("predicts ") }
        }
        // Round numbers say too little to be a leak ("1.000" is everywhere there is a 1).
        return texts.filter { !["0.000", "1.000", "-1.000", "100.0%", "0.0%"].contains($0) }
    }

    /// Runs of four words of `text` (at least 16 characters), the way a sentence shows in a panel line.
    static func fragments(_ text: String) -> [String] {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard words.count >= 4 else { return words.count > 1 ? [words.joined(separator: " ")] : [] }
        return (0...(words.count - 4)).map { words[$0..<($0 + 4)].joined(separator: " ") }.filter { $0.count >= 16 }
    }

    @Test(arguments: CourseInViewerTests.numbers)
    func everyQuestionIsCoveredUntilAnswered(number: Int) throws {
        let (_, run) = try CourseRuns.lesson(number)
        for options in Self.themes {
            var state = AppState(lesson: try CourseRuns.session(number), options: options)
            let playback = try #require(state.lesson)
            // The learner's walk: forward over every step, then backward.
            for page in LessonWalk.pages(stepCount: state.stepCount) {
                let (t, mode) = (page.step, page.mode)
                state.setMode(mode)
                state.jump(toStep: t)
                while let open = state.narration?.openQuestion {
                    let name = "lesson \(number) t=\(t) \(mode) question \(open.id.index + 1) \(options.glyphs)"
                    let section = try #require(playback.lesson.section(step: open.id.step, mode: open.id.mode))
                    let question = section.questions[open.id.index]
                    // A value the lesson itself says before asking (as the prompt's "than the 0.092 here") is not a leak.
                    let said = ((state.narration?.paragraphs ?? []) + [open.prompt] + open.choices.map(\.text)).joined(separator: "\n")
                    let about = Self.aboutTexts(question, step: t, run: run).filter { !said.contains($0) }
                    var answered = playback
                    let reveal = try answered.answer(open.id, choice: open.choices[0].letter)
                    let explanation = inlinePlain(reveal.explanation)
                    let followUp = question.followUp.map { inlinePlain(playback.resolve($0.text, step: t)) } ?? ""
                    for (w, h) in Self.sizes {
                        let frame = renderFrame(state, width: w, height: h).lines.joined(separator: "\n")
                        for text in about {
                            #expect(!frame.contains(text), "\(frame)\n\(name) \(w)x\(h): \"\(text)\" (the answer's value) is on screen")
                        }
                        for f in Self.fragments(explanation) + Self.fragments(followUp) {
                            #expect(!frame.contains(f), "\(frame)\n\(name) \(w)x\(h): \"\(f)\" (text after the question) is on screen")
                        }
                    }
                    state.apply(.answer(open.choices[0].letter))
                    #expect(state.narration?.questions.first { $0.id == open.id }?.reveal != nil, "\(name): not answered")
                    for (w, h) in Self.sizes {
                        let frame = renderFrame(state, width: w, height: h).lines.joined(separator: "\n")
                        #expect(frame.contains("live answer is"), "\(frame)\n\(name) \(w)x\(h): no reveal")
                        let shown = Self.fragments(explanation).contains { frame.contains($0) }
                        #expect(shown || Self.fragments(explanation).isEmpty, "\(frame)\n\(name) \(w)x\(h): the explanation is not on screen")
                        let follows = Self.fragments(followUp).contains { frame.contains($0) }
                        #expect(follows || Self.fragments(followUp).isEmpty, "\(frame)\n\(name) \(w)x\(h): the text after the question is not on screen")
                    }
                }
            }
        }
    }

    /// The first lesson of the course with a question whose subject includes `wanted`, opened at it.
    func stateAtQuestion(lesson number: Int, about wanted: QuestionCover.Subject) throws -> (AppState, QuestionID) {
        var state = AppState(lesson: try CourseRuns.session(number), options: ViewOptions(colorMode: .monochrome))
        let playback = try #require(state.lesson)
        let id = try #require(playback.questionIDs.first { id in
            let s = playback.lesson.section(step: id.step, mode: id.mode)!
            return QuestionCover.subject(of: s.questions[id.index], highlight: s.highlight?.panel).isSuperset(of: wanted)
        }, "lesson \(number) has no question about \(wanted)")
        state.setMode(id.mode)
        state.jump(toStep: id.step)
        #expect(state.narration?.openQuestion?.id == id)
        return (state, id)
    }

    @Test("the comparison view hides the gates before a gate question (lesson 8) and shows them after")
    func comparisonObeysTheCover() throws {
        var (state, id) = try stateAtQuestion(lesson: 8, about: .gates)
        #expect(state.comparison != nil, "lesson 8 opens with its cells side by side")
        #expect(state.questionCover.gates)
        let before = renderFrame(state, width: 160, height: 50).lines.joined(separator: "\n")
        // Gate rows are labelled by the gate's symbol in the comparison ("│z    ▃▅…").
        #expect(!before.contains("│z    ") && !before.contains("│f    "), "\(before)\ngate rows on screen")
        #expect(before.contains("gates shown after the question"), "\(before)")
        let letter = try #require(state.narration?.openQuestion?.choices.first?.letter)
        state.apply(.answer(letter))
        #expect(state.narration?.questions.first { $0.id == id }?.reveal != nil)
        let after = renderFrame(state, width: 160, height: 50).lines.joined(separator: "\n")
        #expect(after.contains("│z    ") && after.contains("│f    "), "\(after)")
    }

    @Test("the comparison view hides the gradient sparklines before a gradient question (lesson 5)")
    func comparisonHidesGradients() throws {
        let (state, _) = try stateAtQuestion(lesson: 5, about: .gradients)
        let frame = renderFrame(state, width: 160, height: 50).lines.joined(separator: "\n")
        #expect(state.questionCover.gradients)
        #expect(frame.contains("shown after the question") && !frame.contains("one scale:"), "\(frame)")
        #expect(!frame.contains("1e-2"), "no decade axis before the answer\n\(frame)")
    }

    /// After the answer, lesson 5's cells share one log axis with a row per decade (or two): the tanh RNN's
    /// bars at the first word sit many rows below the LSTM's.
    @Test("after the answer, lesson 5's compare view draws ‖dL/dh‖ on one decade axis for both cells")
    func comparisonDrawsOneDecadeAxis() throws {
        var (state, _) = try stateAtQuestion(lesson: 5, about: .gradients)
        let open = try #require(state.narration?.openQuestion)
        state.apply(.answer(open.choices[0].letter))
        state.setMode(.backward)
        state.jump(toStep: 0)
        let frame = renderFrame(state, width: 120, height: 40).lines
        let axisRows = frame.filter { $0.contains(" 1e-2 ") }
        #expect(axisRows.count == 1 && axisRows[0].components(separatedBy: " 1e-2 ").count == 3, "both cells label 1e-2 on one row:\n\(frame.joined(separator: "\n"))")
        // Full blocks per column on the chart's rows (those with a decade label; the heat rows below have
        // blocks of their own): the LSTM's (right) column holds many more than the tanh RNN's.
        let third = frame[0].count / 3
        let chartRows = frame.filter { $0.range(of: #" 1e-?[0-9]+ "#, options: .regularExpression) != nil }
        let tanhBlocks = chartRows.reduce(0) { $0 + $1.prefix(third).filter { $0 == "█" }.count }
        let lstmBlocks = chartRows.reduce(0) { $0 + $1.dropFirst(third).prefix(third).filter { $0 == "█" }.count }
        #expect(lstmBlocks > 3 * tanhBlocks, "tanh \(tanhBlocks) vs LSTM \(lstmBlocks) full blocks\n\(frame.joined(separator: "\n"))")
    }

    @Test("the overview shows no step after the current one while a question waits, and all of them after")
    func overviewObeysTheCover() throws {
        var (state, _) = try stateAtQuestion(lesson: 3, about: .output)
        let theme = Theme(state.options)
        let area = Rect(x: 0, y: 0, width: 100, height: state.hiddenSize + 3)
        func futureColumns(_ state: AppState) -> [String] {
            var buffer = Buffer(width: area.width, height: area.height)
            OverviewPanel(scene: Scene(state), theme: theme).render(in: area, into: &buffer)
            // As the panel lays them out: 5 label columns, then `cw` per step; all steps fit at this width.
            let inner = area.inset(dx: 1, dy: 1)
            let cw = max(1, min(4, (inner.width - 5) / state.stepCount))
            let from = inner.x + 5 + (state.step + 1) * cw
            return buffer.lines.dropFirst(2).dropLast().map { String(Array($0)[from..<(inner.maxX)]) }
        }
        #expect(state.questionCover.waiting && state.step + 1 < state.stepCount)
        let before = futureColumns(state)
        #expect(before.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }, "\(before)")
        state.apply(.answer(try #require(state.narration?.openQuestion?.choices.first?.letter)))
        let after = futureColumns(state)
        #expect(after.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty }, "\(after)")
    }

    @Test("the subject comes from the highlight and the answer's names")
    func subjects() throws {
        func subject(_ answer: String, _ highlight: LessonPanel? = nil) throws -> QuestionCover.Subject {
            // The viewer's sample lesson, its question answered by `answer` (choices love, AI, me).
            let text = viewerLessonText.replacingOccurrences(of: "> answer: predicted", with: "> answer: \(answer)")
            let report = LessonValidator.validate(text: text, path: "/lessons/01-x.md")
            let lesson = try #require(report.lesson, "\(report.problems)")
            return QuestionCover.subject(of: lesson.steps[0].questions[0], highlight: highlight)
        }
        #expect(try subject("predicted") == .output)
        #expect(try subject("love if prob target > 0.5 else AI") == .output)
        #expect(try subject("love if f[2] > 0.9 else AI") == .gates)
        #expect(try subject("love if mean i > 0.5 else AI") == .gates)
        #expect(try subject("love if grad_norm@next > grad_norm else AI") == .gradients)
        #expect(try subject("after \"AI\" predicted") == [])
        #expect(try subject("after \"AI\" predicted", .output) == .output)
        #expect(try subject("love if params > 10 else AI") == [])
        #expect(try subject("love if h[0] > 0 else AI") == .all, "unsure: output, gates and gradients")
    }
}

@Suite("Narration written after a question shows only after the reveal")
struct FollowUpNarrationTests {
    static let text = viewerLessonText.replacingOccurrences(of: """
        > explain: The most probable next word is "{predicted}" at {prob predicted %}.

        """, with: """
        > explain: The most probable next word is "{predicted}" at {prob predicted %}.

        Written after the question, it names {predicted} outright.

        """)

    @Test func followUpWaitsForTheAnswer() throws {
        let report = LessonValidator.validate(text: Self.text, path: "/lessons/01-gates.md")
        let lesson = try #require(report.lesson, "\(report.problems)")
        let step0 = lesson.steps[0]
        #expect(!step0.narration.text.contains("Written after"), "the text after the question is not the lead narration")
        #expect(step0.questions[0].followUp?.text == "Written after the question, it names {predicted} outright.")
        let session = LessonSession(playback: LessonPlayback(lesson: lesson, trace: try Fixture.goldenTrace("lstm_word_embed")),
                                    position: CoursePosition(number: 1, count: 11))
        var state = AppState(lesson: session, options: ViewOptions(colorMode: .monochrome))
        let before = renderFrame(state, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(!before.contains("Written after the question"), "\(before)")
        state.apply(.answer("a"))
        let after = renderFrame(state, width: 120, height: 40).lines.joined(separator: "\n")
        let predicted = try #require(state.narration?.questions.first?.reveal?.answer)
        #expect(after.contains("Written after the question, it names \(predicted)"), "\(after)")
        // In the file's order: the explanation, then the text after the question.
        let lines = NarrationPanel.lines(try #require(state.narration), width: 80, theme: Theme(state.options)).map(\.0)
        let explain = try #require(lines.firstIndex { $0.contains("The most probable next word") })
        let follow = try #require(lines.firstIndex { $0.contains("Written after the question") })
        #expect(explain < follow)
    }
}
