import Foundation
import RNNEngine
import RNNTrace
import Testing
import RNNApp
@testable import RNNLessons
@testable import RNNView

/// The bundled lessons, opened once per test process the way the viewer opens them (`BundledCourse`:
/// compiled, trained or loaded, run; some take seconds in a debug build), and shared by the play-through
/// and the claims below. Each opening counts its file reads and narration parses.
enum CourseRuns {
    /// A lesson as the viewer opened it, and what opening it read and parsed.
    struct Opened {
        var session: LessonSession
        /// Reads of each text file (the lesson, a corpus) and loads of each model file, by path.
        var textReads: [String: Int]
        var modelLoads: [String: Int]
        /// Parses of each narration text.
        var templateParses: [String: Int]
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [Int: Opened] = [:]

    static var course: Course { get throws { try Course(directory: Fixture.lessonsDirectory) } }

    /// Lesson `number` (as its file is numbered), opened through the course.
    static func opened(_ number: Int) throws -> Opened {
        lock.lock()
        defer { lock.unlock() }
        if let hit = cache[number] { return hit }
        let course = try self.course
        let index = try #require(course.entries.firstIndex { $0.number == number }, "no lesson \(number) in the course")
        let counting = CountingFiles()
        let parses = CountingParses()
        let session = try NarrationTemplate.$parseObserver.withValue(parses.observe) {
            try BundledCourse(course: course, files: counting.files).openLesson(number: index + 1, shouldStop: { false })
        }
        let opened = Opened(session: session, textReads: counting.textReads, modelLoads: counting.modelLoads,
                            templateParses: parses.counts)
        cache[number] = opened
        return opened
    }

    /// Lesson `number`, validated, and its live run.
    static func lesson(_ number: Int) throws -> (lesson: Lesson, run: LessonRun) {
        let playback = try opened(number).session.playback
        return (playback.lesson, playback.run)
    }

    /// What the viewer opens for lesson `number`.
    static func session(_ number: Int) throws -> LessonSession {
        try opened(number).session
    }
}

@Suite("Every bundled lesson played through the viewer, both passes, every question answered")
struct CourseInViewerTests {
    /// Every lesson, or only RNNSCOPE_TEST_LESSON (a number) when set, to look at one lesson's frames.
    static let numbers: [Int] = {
        let all = (try? Course(directory: Fixture.lessonsDirectory).entries.map(\.number)) ?? []
        guard let one = ProcessInfo.processInfo.environment["RNNSCOPE_TEST_LESSON"].flatMap({ Int($0) }) else { return all }
        return all.filter { $0 == one }
    }()

    @Test(arguments: numbers)
    func playsToTheEnd(number: Int) throws {
        var state = AppState(lesson: try CourseRuns.session(number), options: ViewOptions(colorMode: .monochrome))
        let name = "lesson \(number)"
        let lesson = try #require(state.lesson)
        #expect(state.stepCount == lesson.stepCount)
        if lesson.lesson.cells.count > 1 { #expect(state.comparison?.count == lesson.lesson.cells.count, "\(name) opens with its cells side by side") }
        var pagesWithText = 0
        // Forward from the first step to the last, then backward to the first: the walk a learner takes.
        for page in LessonWalk.pages(stepCount: state.stepCount) {
            let (t, mode) = (page.step, page.mode)
            state.setMode(mode)
            state.jump(toStep: t)
            try checkPage(state, "\(name) t=\(t) \(mode)")
            // Answer every open question with a digit, the way a learner does (choice k is digit k).
            while let q = state.narration?.openQuestion {
                let index = (t + q.choices.count - 1) % q.choices.count
                let letter = q.choices[index].letter
                let digit = Character(String(index + 1))
                let action = try #require(keymap(.character(digit), state: state), "\(name): digit \(digit) is not a key")
                #expect(action == .answer(letter))
                state.apply(action)
                let answered = try #require(state.narration?.questions.first { $0.id == q.id }?.reveal, "\(name): no reveal")
                #expect(answered.chosen == letter)
                #expect(answered.correct != nil, "\(name): the live answer \"\(answered.answer)\" is not among the choices")
                let frame = renderFrame(state, width: 120, height: 40).lines.joined(separator: "\n")
                #expect(frame.contains("live answer is"), "\(frame)\n\(name) t=\(t): no reveal on screen")
                try checkPage(state, "\(name) t=\(t) \(mode) answered")
            }
            // Text written after a question counts too: it shows once the question is answered.
            if !(state.narration?.paragraphs.isEmpty ?? true) || state.narration?.questions.contains(where: { $0.followUp != nil }) == true {
                pagesWithText += 1
            }
        }
        let progress = lesson.progress(step: 0)
        let final = try #require(state.lesson).progress(step: 0)
        #expect(final.answered == progress.questionCount, "\(name): \(final.answered) of \(progress.questionCount) answered")
        #expect(pagesWithText >= lesson.lesson.steps.count, "\(name): \(pagesWithText) pages with text for \(lesson.lesson.steps.count) sections")
        // The end text is shown where the lesson ends (t=0 backward when it goes backward, else the last step).
        if let ending = lesson.lesson.ending, !ending.text.isEmpty {
            let goesBack = lesson.lesson.steps.contains { $0.mode == .backward }
            state.setMode(goesBack ? .backward : .forward)
            state.jump(toStep: goesBack ? 0 : state.stepCount - 1)
            #expect(state.narration?.ending.isEmpty == false, "\(name): no end text at the end")
        }
    }

    /// The narration panel at 120×40: resolved text (no `{…}` left), drawn in the frame, no trap.
    func checkPage(_ state: AppState, _ where_: String) throws {
        let buffer = renderFrame(state, width: 120, height: 40)
        #expect(buffer.width == 120 && buffer.height == 40)
        let frame = buffer.lines.joined(separator: "\n")
        let n = try #require(state.narration, "\(where_): no narration")
        let lines = NarrationPanel.lines(n, width: 60, theme: Theme(state.options)).map(\.0)
        for line in lines {
            #expect(!line.contains("{") && !line.contains("}"), "\(where_): unresolved placeholder in \"\(line)\"")
        }
        #expect(frame.contains(n.shortProgress) || frame.contains(n.progress), "\(frame)\n\(where_): no progress in the panel title")
        let visible = lines.filter { $0.count > 12 }.contains { frame.contains($0.trimmingCharacters(in: .whitespaces).prefix(30)) }
        #expect(visible || lines.allSatisfy { $0.count <= 12 }, "\(frame)\n\(where_): the narration is not on screen")
        // A smaller screen must not trap either.
        _ = renderFrame(state, width: 80, height: 24)
    }
}

/// Each lesson's numeric claims, asserted on the real numbers of its run.
@Suite("The lessons' claims hold on their live numbers")
struct LessonClaimsTests {
    func trace(_ run: LessonRun, _ cell: CellKind) throws -> Recording {
        try #require(run.cells[cell]?.trace, "no \(cell) run")
    }

    func norms(_ trace: Recording) -> [Double] { trace.steps.map { $0.grad?.hNorm ?? 0 } }

    /// ‖dL/dh‖ at the first step with a gradient over the last step with one.
    func firstToLastRatio(_ trace: Recording) throws -> Double {
        let n = norms(trace)
        let first = try #require(n.firstIndex { $0 > 0 }), last = try #require(n.lastIndex { $0 > 0 })
        return n[first] / n[last]
    }

    @Test("lesson 1: every unit of h lies between −1 and 1 (tanh)")
    func lesson1() throws {
        let (_, run) = try CourseRuns.lesson(1)
        let t = try trace(run, .rnnTanh)
        let all = t.steps.flatMap(\.h)
        #expect(!all.isEmpty && all.allSatisfy { $0 > -1 && $0 < 1 })
    }

    @Test("lesson 2: the RNN's parameter count and the unrolled feed-forward count are what the narration says")
    func lesson2() throws {
        let (lesson, run) = try CourseRuns.lesson(2)
        let t = try trace(run, .rnnTanh)
        let model = try #require(run.cells[.rnnTanh]?.model)
        // One-hot input of V words, H hidden units: W_ih H×V, W_hh H×H, two biases, W_hy V×H, b_y.
        let v = t.vocab.count, h = t.hiddenSize
        let expected = h * v + h * h + 2 * h + v * h + v
        #expect(model.parameters.parameterCount == expected)
        #expect(run.cells[.rnnTanh]?.parameterCount == expected)
        let page = LessonPlayback(lesson: lesson, run: run).page(step: 1, mode: .forward).narration ?? ""
        let text = page.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("the same \(expected) numbers"), "\(text)")
        #expect(text.contains("\(t.steps.count) × \(expected) = \(t.steps.count * expected) numbers"), "\(text)")
    }

    @Test("lesson 3: softmax gives probabilities that sum to 1, and the step loss is −log p(target)")
    func lesson3() throws {
        let (_, run) = try CourseRuns.lesson(3)
        let s = try trace(run, .rnnTanh).steps[2]
        #expect(abs(s.probs.reduce(0, +) - 1) < 1e-5)
        let target = try #require(s.target)
        #expect(abs(try #require(s.loss) - -log(s.probs[target])) < 1e-4)
    }

    @Test("lesson 4: the training loss falls over the epochs")
    func lesson4() throws {
        let (_, run) = try CourseRuns.lesson(4)
        let losses = try #require(run.cells[.rnnTanh]?.epochLosses)
        #expect(losses.count == 300)
        #expect(losses.last! < losses.first! / 2, "first \(losses.first!), last \(losses.last!)")
        let early = losses.prefix(10).reduce(0, +) / 10, late = losses.suffix(10).reduce(0, +) / 10
        #expect(late < early)
    }

    @Test("lesson 5: the tanh RNN's gradient vanishes over 30 steps (ratio < 1e-3); the LSTM keeps ≥ 100× more")
    func lesson5() throws {
        let (_, run) = try CourseRuns.lesson(5)
        let tanhRatio = try firstToLastRatio(try trace(run, .rnnTanh))
        let lstmRatio = try firstToLastRatio(try trace(run, .lstm))
        #expect(tanhRatio < 1e-3, "tanh RNN ‖dL/dh_1‖/‖dL/dh_T‖ = \(tanhRatio)")
        #expect(lstmRatio >= 100 * tanhRatio, "LSTM \(lstmRatio) vs tanh RNN \(tanhRatio)")
        // Only the last prediction has a loss: the gradient at the last step with one is that loss's alone.
        let t = try trace(run, .rnnTanh)
        #expect(t.steps.filter { $0.loss != nil && $0.loss! > 0 }.count == 1)
    }

    @Test("lesson 6: the gradient grows going back, and clipping caps the parameter gradient norm at the clip value")
    func lesson6() throws {
        let (lesson, run) = try CourseRuns.lesson(6)
        let t = try trace(run, .rnnTanh)
        let n = norms(t)
        let last = try #require(n.lastIndex { $0 > 0 })
        #expect(n[0] > n[last], "‖dL/dh‖ at t=0 \(n[0]) vs at the loss \(n[last])")
        // Clip the lesson's real gradient with the engine's clipping, as training does.
        let model = try #require(run.cells[.rnnTanh]?.model)
        var backward = try LessonRunner.sequenceRun(model, text: lesson.input, lesson: lesson).backward
        let clip = try #require(run.clipNorm)
        #expect(clip == 1.0)
        let before = backward.clipGradients(maxNorm: clip)
        #expect(before > clip, "the gradient (\(before)) is above the threshold, so clipping acts")
        #expect(abs(backward.gradientNorm - clip) < 1e-4, "after clipping: \(backward.gradientNorm)")
        // And the narration quotes the same two numbers.
        let page = LessonPlayback(lesson: lesson, run: run).page(step: 0, mode: .backward).narration ?? ""
        let text = page.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("has norm \(NumberText.placeholder(before, .automatic)) here"), "\(text)")
        #expect(text.contains("with a threshold of 1.00, the gradient handed to the optimizer has norm 1.00"), "\(text)")
    }

    @Test("lesson 7: after five fillers the LSTM still predicts the colour it read first")
    func lesson7() throws {
        let (_, run) = try CourseRuns.lesson(7)
        let t = try trace(run, .lstm)
        let s = t.steps[5]
        let best = try #require(s.probs.indices.max { s.probs[$0] < s.probs[$1] })
        #expect(t.vocab[best] == t.tokens[0], "predicts \(t.vocab[best]), first word \(t.tokens[0])")
    }

    @Test("lesson 8: the GRU has fewer parameters than the LSTM of the same size")
    func lesson8() throws {
        let (_, run) = try CourseRuns.lesson(8)
        let gru = try #require(run.cells[.gru]?.model?.parameters.parameterCount)
        let lstm = try #require(run.cells[.lstm]?.model?.parameters.parameterCount)
        #expect(gru < lstm)
        // Three gate blocks against four: the recurrent layer alone is exactly 3/4 of the LSTM's.
        let h = try trace(run, .gru).hiddenSize, e = try trace(run, .gru).inputSize
        #expect(lstm - gru == h * (e + h) + 2 * h)
    }

    @Test("lesson 9: training lowers the prediction error")
    func lesson9() throws {
        let (lesson, run) = try CourseRuns.lesson(9)
        let cellRun = try #require(run.cells[.lstm])
        #expect(cellRun.epochLosses.last! < cellRun.epochLosses.first! / 2, "\(cellRun.epochLosses.first!) → \(cellRun.epochLosses.last!)")
        // On the lesson's input (not in the corpus): the trained model against the same network untrained.
        let model = try #require(cellRun.model)
        let p = model.parameters
        let untrained = RNNModel(parameters: ModelParameters.initialized(cell: .lstm, task: .regression, vocabularySize: 0,
                                                                         inputSize: p.inputSize, embeddingSize: nil,
                                                                         hiddenSize: p.hiddenSize, outputSize: p.outputSize, seed: 9),
                                 tokenizer: model.tokenizer, vocabulary: model.vocabulary, task: .regression)
        let before = try #require(try Recording.record(model: untrained, text: lesson.input).loss)
        let after = try #require(cellRun.trace.loss)
        #expect(after < before / 2, "mean squared error untrained \(before), trained \(after)")
    }

    @Test("lesson 10: samples differ with temperature, and temperature sharpens or flattens the top choice")
    func lesson10() throws {
        let (lesson, run) = try CourseRuns.lesson(10)
        #expect(Set(run.samples.keys) == [0.5, 1.0, 2.0])
        let samples = [0.5, 1.0, 2.0].compactMap { run.samples[$0] }
        #expect(Set(samples).count == 3, "\(samples)")
        #expect(samples.allSatisfy { $0.count == lesson.sampleLength }, "\(samples.map(\.count))")
        // At step 8, p(top) at T = 0.5 > at T = 1 > at T = 2.
        let s = try trace(run, .lstm).steps[8]
        func top(_ temperature: Double) -> Double {
            let z = s.logits.map { $0 / temperature }
            let m = z.max()!
            let e = z.map { exp($0 - m) }
            return e.max()! / e.reduce(0, +)
        }
        #expect(top(0.5) > top(1) && top(1) > top(2), "\(top(0.5)) \(top(1)) \(top(2))")
        #expect(abs(top(1) - s.probs.max()!) < 1e-5)
    }

    @Test("lesson 11: the time per step is a real measurement and the sequence takes T steps of it")
    func lesson11() throws {
        let (lesson, run) = try CourseRuns.lesson(11)
        let playback = LessonPlayback(lesson: lesson, run: run)
        for cell in lesson.cells {
            let us = try #require(run.cells[cell]?.microsecondsPerStep)
            #expect(us > 0 && us < 1_000_000, "\(cell): \(us) µs per step")
        }
        let text = playback.resolve("{step_us .3}|{sequence_us .3}|{T}", step: 5)
        let parts = text.split(separator: "|").map(String.init)
        let step = try #require(Double(parts[0])), whole = try #require(Double(parts[1])), count = try #require(Double(parts[2]))
        #expect(abs(whole - step * count) <= 0.001 * count + 1e-9, "\(text)")
    }
}
