import Foundation
import RNNLessons
import RNNTrace

/// What the narration panel shows at the current step and mode. `AppState` builds it from the lesson
/// whenever the learner moves or answers (not every frame), so panels can ask it cheaply.
public struct Narration: Equatable, Sendable {
    public var title: String
    /// "lesson 1/11 · step 2/3 · 1 of 1 questions answered", for the panel's title.
    public var progress: String
    /// The same in fewer columns: "1/11 · step 2/3 · 1/1 answered".
    public var shortProgress: String
    /// A bold first line (the lesson's title on its first page).
    public var heading: String?
    /// Text blocks, shown with a blank line between them; "\n" inside a block keeps a line break
    /// (equations, lists). Markdown emphasis is already removed.
    public var paragraphs: [String]
    /// A panel to draw attention to (its border is highlighted).
    public var highlightPanel: PanelID?
    /// A hidden unit to select, when the lesson points at one.
    public var highlightUnit: Int?
    /// The lesson's closing text (`## end`), where the lesson's walk ends; shown after the questions,
    /// once they are answered (it may give their answers away).
    public var ending: [String]
    /// This page's questions, answered or not (the lesson's own type: prompt, lettered choices, reveal).
    public var questions: [QuestionState]
    /// Where the lesson goes on from here ("→ t=2", "b: backward", "n: next lesson"), shown dim at the end.
    public var hint: String?

    public init(title: String, progress: String, shortProgress: String? = nil, heading: String? = nil, paragraphs: [String],
                highlightPanel: PanelID? = nil, highlightUnit: Int? = nil, questions: [QuestionState] = [],
                ending: [String] = [], hint: String? = nil) {
        self.title = title
        self.progress = progress
        self.shortProgress = shortProgress ?? progress
        self.heading = heading
        self.paragraphs = paragraphs
        self.highlightPanel = highlightPanel
        self.highlightUnit = highlightUnit
        self.questions = questions
        self.ending = ending
        self.hint = hint
    }

    /// The first question on the page still waiting for an answer: the one the digit keys answer.
    public var openQuestion: QuestionState? { questions.first { $0.reveal == nil } }

    /// About how many lines the page takes in a narrow panel (bounds the scroll keys).
    var roughLineCount: Int {
        (paragraphs + ending).reduce(0) { $0 + $1.count / 24 + 2 } + questions.reduce(0) { $0 + $1.choices.count + 8 + ($1.followUp?.count ?? 0) / 24 }
    }
}

extension Narration {
    /// The page of `playback` at `step` in `mode`: the intro at the start (step 0, forward), the step's
    /// section, the `## end` text where the lesson's walk ends, and a hint to the next section.
    init(playback: LessonPlayback, position: CoursePosition?, step: Int, mode: StepMode, ownInput: Bool) {
        let lesson = playback.lesson
        let walk = LessonWalk(lesson: lesson, stepCount: playback.stepCount)
        let here = LessonWalk.Position(step: step, mode: mode)
        var paragraphs: [String] = []
        var questions: [QuestionState] = []
        var highlight: Highlight?
        var ending: [String] = []
        if !ownInput {
            // The numbers on screen are no longer the lesson's: say so instead of narrating wrong values.
            paragraphs.append("You are exploring your own input. The lesson's text is about \"\(lesson.input)\": press r to go back to it.")
        } else {
            if here == walk.start {
                if let intro = playback.intro { paragraphs += markdownBlocks(intro) }
            }
            let page = playback.page(step: step, mode: mode)
            if let text = page.narration { paragraphs += markdownBlocks(text) }
            questions = page.questions.map { q in
                var plain = q
                plain.prompt = inlinePlain(q.prompt)
                plain.choices = q.choices.map { ($0.letter, inlinePlain($0.text)) }
                if var r = plain.reveal {
                    r.explanation = inlinePlain(r.explanation)
                    plain.reveal = r
                }
                // Text blocks, one blank line apart, as `paragraphs` holds them.
                plain.followUp = q.followUp.map { markdownBlocks($0).joined(separator: "\n\n") }
                return plain
            }
            highlight = page.highlight
            if here == walk.end, let text = playback.ending { ending = markdownBlocks(text) }
        }

        let progress = playback.progress(step: step)
        let lessonPart = position.map { "lesson \($0.number)/\($0.count)" }
        let time = timeLabel(progress.step, stepCount: progress.stepCount)
        var long = [lessonPart, time].compactMap { $0 }
        var short = [position.map { "\($0.number)/\($0.count)" }, time].compactMap { $0 }
        if progress.questionCount > 0 {
            long.append("\(progress.answered) of \(progress.questionCount) question\(progress.questionCount == 1 ? "" : "s") answered")
            short.append("\(progress.answered)/\(progress.questionCount) answered")
        }

        var hint: String?
        if ownInput {
            if let next = walk.next(after: here) {
                hint = walk.directions(from: here, to: next)
            } else if let position {
                hint = position.number < position.count ? "End of this lesson: n opens lesson \(position.number + 1)."
                    : "End of the course. p goes back a lesson, q quits."
            } else {
                hint = "End of this lesson."
            }
            // At the end, point back at a question the learner stepped past.
            if walk.next(after: here) == nil,
               let open = playback.questionIDs.first(where: { playback.answers[$0] == nil }) {
                hint = "A question is still waiting at t=\(open.step) (\(open.mode.rawValue)). " + (hint ?? "")
            }
        }

        self.init(title: lesson.title, progress: long.joined(separator: " · "), shortProgress: short.joined(separator: " · "),
                  heading: here == walk.start ? lesson.title : nil, paragraphs: paragraphs, highlightPanel: highlight.map { PanelID(lessonPanel: $0.panel) },
                  highlightUnit: highlight.flatMap { [.hidden, .cell, .gates].contains($0.panel) ? $0.unit : nil },
                  questions: questions, ending: ending, hint: hint)
    }
}

/// The order a learner meets a lesson's sections: forward from the first step to the last, then
/// backward from the last step to the first (the order backpropagation through time visits them).
struct LessonWalk {
    struct Position: Equatable {
        var step: Int
        var mode: StepMode
    }

    let sections: [Position]
    let stepCount: Int

    init(lesson: Lesson, stepCount: Int) {
        self.stepCount = stepCount
        let all = lesson.steps.map { Position(step: $0.step, mode: $0.mode) }
        sections = all.sorted { Self.rank($0, stepCount) < Self.rank($1, stepCount) }
    }

    private static func rank(_ p: Position, _ count: Int) -> Int {
        p.mode == .forward ? p.step : count + (count - 1 - p.step)
    }

    /// How far along the walk `p` is: later pages rank higher (the furthest page reached is kept).
    func rank(_ p: Position) -> Int { Self.rank(p, stepCount) }

    /// Every page in walking order: forward over the steps, then back through time (the backward pass only
    /// when `backward`). The order `rank` sorts by; recordings and tests walk a lesson with it.
    static func pages(stepCount: Int, backward: Bool = true) -> [Position] {
        (0..<stepCount).map { Position(step: $0, mode: .forward) }
            + (backward ? (0..<stepCount).reversed().map { Position(step: $0, mode: .backward) } : [])
    }

    /// Where the lesson opens: the first step of the forward pass.
    var start: Position { Position(step: 0, mode: .forward) }

    /// Where the `## end` text shows: the first step when the lesson goes backward, else the last step.
    var end: Position {
        sections.contains { $0.mode == .backward } ? Position(step: 0, mode: .backward)
            : Position(step: max(0, stepCount - 1), mode: .forward)
    }

    /// The next section after `p` in walking order, or nil when the lesson has nothing further.
    func next(after p: Position) -> Position? {
        sections.first { Self.rank($0, stepCount) > Self.rank(p, stepCount) }
    }

    /// Keys that lead from `p` to `target`, in words.
    func directions(from p: Position, to target: Position) -> String {
        if target.mode == p.mode {
            let arrow = target.step > p.step ? "→" : "←"
            return "The lesson continues at t=\(target.step): press \(arrow) (Enter goes there at once)."
        }
        if target.mode == .backward {
            return "Next: backward through time. Press b, then ← toward t=\(target.step) (Enter goes there at once)."
        }
        return "The lesson continues in the forward pass at t=\(target.step): press b (Enter goes there at once)."
    }
}

extension QuestionState {
    /// The number the screen shows for the choice the lesson file letters `letter` (a → 1, b → 2, …):
    /// choices are answered with digit keys, which are no command, so letters never answer by accident.
    func number(of letter: Character) -> Int? {
        choices.firstIndex { $0.letter == letter }.map { $0 + 1 }
    }

    /// "2) AI": a choice as the screen labels it, by its lesson-file letter.
    func label(of letter: Character) -> String {
        number(of: letter).map { "\($0))" } ?? "\(letter))"
    }
}

extension PanelID {
    /// The screen panel that shows what a lesson's `highlight:` names.
    init(lessonPanel: LessonPanel) {
        switch lessonPanel {
        case .input, .hidden, .cell: self = .state
        case .gates: self = .gates
        case .output, .loss: self = .output
        case .gradient: self = .gradients
        case .weights: self = .equations
        }
    }
}

// MARK: - Markdown to screen text

/// Lesson Markdown as text blocks for the panel: prose lines joined into paragraphs, indented lines
/// (equations) and list items kept as lines, headings and emphasis markers removed.
func markdownBlocks(_ markdown: String) -> [String] {
    var blocks: [String] = []
    var lines: [String] = []
    var prose = false
    func flush() {
        if !lines.isEmpty { blocks.append(lines.joined(separator: "\n")) }
        lines = []
        prose = false
    }
    for raw in markdown.components(separatedBy: "\n") {
        let line = raw.replacingOccurrences(of: "\t", with: "    ")
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { flush(); continue }
        if trimmed.hasPrefix("#") {
            // A sub-heading starts its own block.
            flush()
            lines.append(inlinePlain(String(trimmed.drop { $0 == "#" }).trimmingCharacters(in: .whitespaces)))
            flush()
            continue
        }
        if line.hasPrefix("    ") {
            // Equations: kept as written, indented by two.
            lines.append("  " + inlinePlain(trimmed, keepStars: true))
            prose = false
        } else if trimmed.range(of: #"^(- |\* |\d{1,2}\. )"#, options: .regularExpression) != nil {
            lines.append(inlinePlain(trimmed.hasPrefix("* ") ? "- " + trimmed.dropFirst(2) : trimmed))
            prose = true
        } else if prose, let last = lines.popLast() {
            lines.append(last + " " + inlinePlain(trimmed))
        } else {
            lines.append(inlinePlain(trimmed))
            prose = true
        }
    }
    flush()
    return blocks
}

/// Removes Markdown emphasis and code markers from one line (`**bold**`, `*it*`, `` `code` ``).
func inlinePlain(_ text: String, keepStars: Bool = false) -> String {
    var s = text.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
    if !keepStars {
        s = s.replacingOccurrences(of: #"(?<![\w*])\*(\S(?:[^*]*\S)?)\*(?![\w*])"#, with: "$1", options: .regularExpression)
    }
    return s
}
