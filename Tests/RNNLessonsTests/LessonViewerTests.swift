import Foundation
import RNNTrace
import Testing
@testable import RNNLessons
@testable import RNNView

/// A lesson over the golden PyTorch LSTM trace ("I love AI and AI loves me"), shown through `AppState`.
let viewerLessonText = """
---
title: Gates on a tiny sentence
summary: Watch the forget gate while the LSTM reads seven words.
cell: lstm
input: I love AI and AI loves me
corpus: I love AI and AI loves me
tokenizer: word
hidden_size: 3
optimizer: adam
learning_rate: 0.01
epochs: 1
seq_length: 4
seed: 1
---

# Gates on a tiny sentence

The LSTM reads **{T}** words; its hidden state has {hidden_size} units:

    c = f⊙c_prev + i⊙g

## step 0 forward
highlight: gates.f[1]

The model reads **{token}**. Unit 1 of h is {h[1] .3}.

> question: Which word will it predict next?
> - a: love
> - b: AI
> - c: me
> answer: predicted
> explain: The most probable next word is "{predicted}" at {prob predicted %}.

## step 2 forward
highlight: output

It reads {token}.

## step 5 backward
highlight: gradient

‖dL/dh‖ here is {grad_norm}.

## end

The mean loss over the run was {mean_loss .3}.
"""

func viewerLesson(path: String = "/lessons/01-gates.md") throws -> (Lesson, Recording) {
    let report = LessonValidator.validate(text: viewerLessonText, path: path)
    let lesson = try #require(report.lesson, "\(report.problems)")
    return (lesson, try Fixture.goldenTrace("lstm_word_embed"))
}

/// A course of fake lessons (all the same golden lesson) that counts what it was asked to open.
final class FakeCourse: CourseSource {
    let count: Int
    var opened: [Int] = []
    var broken: Set<Int> = []
    init(count: Int) { self.count = count }

    var lessonCount: Int { count }

    func openLesson(number: Int, shouldStop: @escaping () -> Bool) throws -> LessonSession {
        opened.append(number)
        if broken.contains(number) {
            throw LessonLoadError(problems: [LessonProblem(file: "lessons/0\(number)-x.md", line: 3, message: "unknown key \"colour\""),
                                             LessonProblem(file: "lessons/0\(number)-x.md", line: 9, message: "no such panel")])
        }
        let (lesson, trace) = try viewerLesson(path: "/lessons/0\(number)-gates.md")
        var retitled = lesson
        retitled.title = "Fake lesson \(number)"
        return LessonSession(playback: LessonPlayback(lesson: retitled, trace: trace),
                             position: CoursePosition(number: number, count: count))
    }
}

@Suite("A lesson in the viewer: narration, questions, n / p")
struct LessonViewerTests {
    func state(course: FakeCourse? = nil) throws -> AppState {
        let (lesson, trace) = try viewerLesson()
        let session = LessonSession(playback: LessonPlayback(lesson: lesson, trace: trace),
                                    position: CoursePosition(number: 1, count: course?.count ?? 11))
        return AppState(lesson: session, course: course, options: ViewOptions(colorMode: .monochrome))
    }

    func text(_ s: AppState, _ w: Int = 120, _ h: Int = 40) -> String {
        renderFrame(s, width: w, height: h).lines.joined(separator: "\n")
    }

    @Test("without a lesson the panel says how to start")
    func noLesson() throws {
        let s = AppState(trace: try Fixture.goldenTrace("lstm_word_embed"), options: ViewOptions())
        #expect(s.narration == nil)
        #expect(text(s, 80, 24).contains("No lesson: press ? for keys"))
    }

    @Test("the first page shows the title, the intro and step 0, with the lesson's highlight")
    func firstPage() throws {
        let s = try state()
        let n = try #require(s.narration)
        #expect(n.heading == "Gates on a tiny sentence")
        #expect(n.paragraphs.first == "The LSTM reads 7 words; its hidden state has 3 units:", "emphasis removed, placeholders resolved")
        #expect(n.paragraphs.contains("  c = f⊙c_prev + i⊙g"), "an indented equation stays a line of its own: \(n.paragraphs)")
        #expect(n.highlightPanel == .gates)
        #expect(s.unit == 1, "the lesson selects unit 1")
        #expect(n.progress == "lesson 1/11 · t=0 of 0…6 · 0 of 1 question answered")
        let frame = text(s)
        #expect(frame.contains("lesson 1/11 · t=0 of 0…6 · 0 of 1 question answered"), "\(frame)")
        #expect(frame.contains("Lesson 1: Gates on a tiny sentence"), "header names the lesson\n\(frame)")
        #expect(frame.contains("The model reads I. Unit 1 of h is"), "\(frame)")
        #expect(frame.contains("? Which word will it predict next?"))
        #expect(frame.contains("Predict first: press 1, 2 or 3 to answer."))
        #expect(frame.contains("1) love") && frame.contains("2) AI") && frame.contains("3) me"), "choices are numbered\n\(frame)")
        #expect(frame.contains("1–3 answer"), "the status line names the answer keys\n\(frame)")
        #expect(frame.contains("Hidden until you answer"), "the output panel waits for the prediction\n\(frame)")
        let lines = NarrationPanel.lines(n, width: 58, theme: Theme(s.options)).map(\.0)
        #expect(!lines.joined().contains("{"), "unresolved placeholder: \(lines)")
    }

    @Test("a digit answers the question and reveals the live answer; then keys are normal again")
    func answering() throws {
        var s = try state()
        let predicted = try #require(s.lesson?.liveAnswer(s.lesson!.lesson.steps[0].questions[0], step: 0))
        // Digits answer (2 is the file's "b)"); letters stay commands: "b" switches the pass, "c" compares.
        #expect(keymap(.character("2"), state: s) == .answer("b"))
        #expect(keymap(.character("3"), state: s) == .answer("c"))
        #expect(keymap(.character("1"), state: s) == .answer("a"))
        #expect(keymap(.character("4"), state: s) == nil, "not a choice, and not a key")
        #expect(keymap(.character("0"), state: s) == nil)
        #expect(keymap(.character("b"), state: s) == .toggleMode)
        #expect(keymap(.character("c"), state: s) == .toggleCompare)
        s.apply(keymap(.character("2"), state: s)!)
        #expect(s.mode == .forward)
        let q = try #require(s.narration?.questions.first)
        #expect(q.reveal?.chosen == "b")
        #expect(q.reveal?.answer == predicted)
        #expect(s.narration?.openQuestion == nil)
        #expect(s.narration?.progress.hasSuffix("1 of 1 question answered") == true)
        let frame = text(s)
        if predicted == "AI" {
            #expect(frame.contains("Right: the live answer is 2) AI."), "\(frame)")
        } else {
            #expect(frame.contains("Not quite: you chose 2; the live answer is"), "\(frame)")
        }
        #expect(frame.contains("The most probable next word is \"\(predicted)\""), "\(frame)")
        #expect(!frame.contains("Hidden until you answer"), "the output panel shows the numbers again")
        #expect(s.status?.text.contains(predicted) == true)
        // One guess: the keys are back to their usual meaning and the answer stays.
        #expect(keymap(.character("b"), state: s) == .toggleMode)
        #expect(keymap(.character("1"), state: s) == nil, "no question waits: digits do nothing")
        s.apply(.answer("a"))
        #expect(s.narration?.questions.first?.reveal?.chosen == "b")
    }

    @Test("every command key pressed while a question waits does its command and never answers it")
    func commandKeysNeverAnswer() throws {
        let base = try state()
        #expect(base.narration?.openQuestion != nil)
        var keys: [Key] = [.left, .right, .up, .down, .home, .end, .pageUp, .pageDown, .tab, .backTab, .enter, .backspace, .delete]
        keys += Array(keyTable.keys)
        keys += "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ +-=/?!.,;:'\"".map { Key.character($0) }
        for key in keys {
            let action = keymap(key, state: base)
            if case .answer = action { Issue.record("\(key) answers the question"); continue }
            if key != .escape && key != .character("q") { #expect(action == keyTable[key], "\(key) keeps its command while a question waits") }
            var s = base
            if let action { s.apply(action) }
            #expect(s.lesson?.answers.isEmpty == true, "\(key) recorded an answer")
        }
        for (digit, letter) in zip("123", "abc") {
            var s = base
            let action = try #require(keymap(.character(digit), state: s))
            #expect(action == .answer(letter))
            s.apply(action)
            #expect(s.narration?.questions.first?.reveal?.chosen == letter)
        }
    }

    @Test("Enter walks the lesson's narrated pages in story order and waits at a question")
    func enterWalksTheStory() throws {
        var s = try state()
        #expect(keymap(.enter, state: s) == .nextNarratedPage)
        s.apply(.nextNarratedPage)
        #expect(s.step == 0 && s.mode == .forward, "the question at t=0 waits")
        #expect(s.status?.text == "a question waits here: press 1–\(s.narration?.openQuestion?.choices.count ?? 0) to answer it first", "\(String(describing: s.status))")
        s.apply(.answer("a"))
        var visited: [String] = []
        for _ in 0..<4 {
            s.apply(.nextNarratedPage)
            visited.append("\(s.step) \(s.mode)")
        }
        #expect(visited == ["2 forward", "5 backward", "0 backward", "0 backward"], "\(visited)")
        #expect(s.status?.text == "the end of this lesson: n opens the next")
        #expect(s.narration?.ending.isEmpty == false, "the end text is on the last page")
    }

    @Test("P switches the presenter's layout on and off, with every other key unchanged")
    func pTogglesThePresenterLayout() throws {
        var s = try state()
        #expect(keymap(.character("P"), state: s) == .togglePresenter)
        let full = text(s)
        #expect(full.contains("Equations"))
        s.apply(.togglePresenter)
        #expect(s.options.presenter)
        let presenter = text(s)
        #expect(!presenter.contains("Equations"), "the presenter shows no equations here")
        #expect(presenter.contains("Overview"), "the presenter gives the room left to the overview")
        #expect(keymap(.character("b"), state: s) == .toggleMode)
        s.apply(.togglePresenter)
        // All but the status line, which says which layout is on.
        #expect(text(s).split(separator: "\n").dropLast() == full.split(separator: "\n").dropLast(), "P again gives the full layout back")
        #expect(s.status?.text == "full layout")
    }

    @Test("the walk: hints lead to the next section, the end text shows where the lesson ends")
    func walkAndEnding() throws {
        var s = try state()
        s.apply(.answer("a"))
        #expect(s.narration?.hint == "The lesson continues at t=2: press → (Enter goes there at once).")
        s.apply(.stepForward)
        #expect(s.narration?.paragraphs.isEmpty == true, "no section at t=1")
        #expect(s.narration?.heading == nil, "the intro only on the first page")
        s.apply(.stepForward)
        #expect(s.narration?.highlightPanel == .output)
        #expect(s.narration?.hint == "Next: backward through time. Press b, then ← toward t=5 (Enter goes there at once).")
        s.apply(.lastStep)
        s.apply(.toggleMode)
        #expect(s.narration?.hint == "The lesson continues at t=5: press ← (Enter goes there at once).")
        s.apply(.stepBackward)
        let n = try #require(s.narration)
        #expect(n.highlightPanel == .gradients)
        #expect(n.paragraphs.first?.hasPrefix("‖dL/dh‖ here is ") == true)
        #expect(text(s).contains("‖dL/dh‖ here is"))
        // The lesson goes backward, so its end is at t=0 of the backward pass.
        s.apply(.firstStep)
        let end = try #require(s.narration)
        #expect(end.ending.first?.hasPrefix("The mean loss over the run was ") == true)
        #expect(end.hint == "End of this lesson: n opens lesson 2.")
        let frame = text(s)
        #expect(frame.contains("The mean loss over the run was"), "\(frame)")
        #expect(frame.contains("End of this lesson: n opens lesson 2."), "\(frame)")
    }

    @Test("n asks for the next lesson as an effect and opens it on the outcome; p comes back to the answers given")
    func nextAndPrevious() throws {
        let course = FakeCourse(count: 3)
        var s = try state(course: course)
        s.apply(.answer("a"))
        s.apply(.stepForward)
        #expect(keymap(.character("n"), state: s) == .nextLesson)
        let effects = s.apply(.nextLesson)
        // Asked for, not done: nothing is opened until the effect runs, and the state has not moved.
        #expect(effects.count == 1)
        guard case .openLesson(let number, _)? = effects.first else { Issue.record("\(effects)"); return }
        #expect(number == 2)
        #expect(effects.first?.label == "opening lesson 2/3")
        #expect(course.opened.isEmpty)
        #expect(s.coursePosition?.number == 1)
        #expect(s.tickInterval == nil, "no tick is needed for the opening frame: the loop draws while the work runs")
        s.working(on: effects[0], seconds: 2)
        #expect(text(s).contains("opening lesson 2/3… 2 s · q stops"))
        let further = s.receive(effects[0].perform())
        #expect(further.isEmpty, "no progress store: nothing to save")
        #expect(course.opened == [2])
        #expect(s.coursePosition == CoursePosition(number: 2, count: 3))
        #expect(s.step == 0 && s.mode == .forward)
        #expect(s.narration?.heading == "Fake lesson 2")
        #expect(s.narration?.openQuestion != nil, "a new lesson's question is open")
        #expect(s.tickInterval == nil)
        #expect(text(s).contains("Lesson 2: Fake lesson 2"))
        #expect(!text(s).contains("opening lesson"), "the opening message goes once the lesson is open")
        // Back to lesson 1: not reopened (no retraining), at the furthest step reached, its answer still there.
        #expect(s.apply(.previousLesson).isEmpty, "a lesson visited before shows at once")
        #expect(course.opened == [2])
        #expect(s.coursePosition?.number == 1)
        #expect(s.step == 1)
        s.apply(.firstStep)
        #expect(s.narration?.questions.first?.reveal?.chosen == "a")
        // The ends of the course.
        #expect(s.apply(.previousLesson).isEmpty)
        #expect(s.status?.text == "this is the first lesson of the course")
    }

    @Test("a lesson that fails to open leaves the current one, with one line on the status line")
    func brokenLesson() throws {
        let course = FakeCourse(count: 3)
        course.broken = [2]
        var s = try state(course: course)
        s.applyRunningEffects(.nextLesson)
        #expect(s.coursePosition?.number == 1)
        #expect(s.status?.kind == .error)
        #expect(s.status?.text == "lesson 2 did not open: lessons/02-x.md:3: unknown key \"colour\" (+1 more problems)")
        #expect(renderFrame(s, width: 120, height: 40).lines.last?.contains("lesson 2 did not open") == true)
    }

    @Test("without a course n / p explain themselves")
    func noCourse() throws {
        var s = AppState(trace: try Fixture.goldenTrace("lstm_word_embed"), options: ViewOptions())
        #expect(s.apply(.nextLesson).isEmpty)
        #expect(s.status?.kind == .warning)
        #expect(s.status?.text.contains("start rnnscope with no arguments") == true)
    }

    @Test("long text scrolls with PgUp / PgDn and says how much more there is")
    func scrolling() throws {
        var s = try state()
        s.apply(.answer("a"))
        let short = text(s, 80, 24)
        #expect(short.contains("PgUp"), "\(short)")
        // A page with a question shows its end (the answer); PgUp goes back to the narration above it.
        #expect(short.contains("live answer is"), "\(short)")
        s.apply(keymap(.pageUp, state: s)!)
        #expect(s.narrationScroll == -3)
        let scrolled = text(s, 80, 24)
        #expect(scrolled != short)
        // Three lines further up: three fewer above.
        func above(_ frame: String) -> Int? {
            frame.range(of: #"PgUp \d+ more"#, options: .regularExpression).flatMap { Int(frame[$0].split(separator: " ")[1]) }
        }
        let before = try #require(above(short))
        #expect(above(scrolled) == (before > 3 ? before - 3 : nil), "\(scrolled)")
        #expect(scrolled.contains("▼ PgDn"), "\(scrolled)")
        s.apply(.stepForward)
        #expect(s.narrationScroll == 0, "a new page starts at its top")
    }

    @Test("help lists every key, n / p and the answer digits among them")
    func help() throws {
        var s = try state()
        s.apply(.answer("a"))
        s.apply(keymap(.character("?"), state: s)!)
        let frame = text(s, 80, 24)
        for binding in keyBindings { #expect(frame.contains(binding.help), "help lacks \(binding.help)\n\(frame)") }
        #expect(frame.contains("next / previous lesson"))
        #expect(frame.contains("answer the lesson's question"))
        #expect(frame.contains("1 2 3 …"))
    }

    @Test("edited input: the panel says the text is about the lesson's input, r brings it back")
    func editedInputAndRestore() throws {
        let (lesson, trace) = try viewerLesson()
        let session = LessonSession(playback: LessonPlayback(lesson: lesson, trace: trace), source: ShorterInput(trace))
        var s = AppState(lesson: session, options: ViewOptions())
        s.applyRunningEffects(.answer("a"))
        s.applyRunningEffects(.beginEdit)
        #expect(s.edit?.text == "I love AI and AI loves me")
        for _ in 0..<9 { s.applyRunningEffects(.editBackspace) }
        s.applyRunningEffects(.editSubmit)
        #expect(s.trace.tokens == ["I", "love", "AI", "and", "AI"])
        #expect(!s.showsLessonInput)
        #expect(s.narration?.paragraphs.first?.contains("press r to go back") == true)
        #expect(s.narration?.questions.isEmpty == true, "the lesson's questions are about its own numbers")
        s.applyRunningEffects(keymap(.character("r"), state: s)!)
        #expect(s.trace.tokens == trace.tokens)
        #expect(s.narration?.questions.first?.reveal?.chosen == "a", "answers survive the detour")
    }

    @Test("every size renders a lesson page without trapping")
    func sizes() throws {
        var s = try state()
        for w in stride(from: 0, through: 130, by: 7) {
            for h in stride(from: 0, through: 45, by: 5) {
                let b = renderFrame(s, width: w, height: h)
                #expect(b.width == w && b.height == h)
            }
        }
        s.apply(.answer("c"))
        #expect(renderFrame(s, width: 80, height: 24).lines.count == 24)
    }
}

/// Runs "the model" by cutting the golden trace to the words typed (enough to change the input).
struct ShorterInput: TraceSource {
    let base: Recording
    init(_ base: Recording) { self.base = base }
    func trace(for text: String) throws -> Recording {
        let tokens = text.split(separator: " ").map(String.init)
        var t = base.prefix(steps: tokens.count)
        t.tokens = tokens
        return t
    }
    func comparison(for text: String) throws -> [Recording] { [try trace(for: text)] }
    func export(_ trace: Recording) throws -> String { "/dev/null" }
}
