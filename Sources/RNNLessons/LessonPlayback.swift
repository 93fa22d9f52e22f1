import Foundation
import RNNEngine
import RNNTrace

/// Identifies one question: the step and mode of its section and its place there.
public struct QuestionID: Hashable, Sendable {
    public var step: Int
    public var mode: StepMode
    public var index: Int

    public init(step: Int, mode: StepMode, index: Int = 0) {
        self.step = step
        self.mode = mode
        self.index = index
    }
}

/// What answering a question shows: the live answer, whether the choice was right, the explanation.
public struct QuestionReveal: Equatable, Sendable {
    /// The letter the learner chose.
    public var chosen: Character
    /// The letter whose text matches the live answer; nil when no choice matches it.
    public var correct: Character?
    public var isCorrect: Bool { correct == chosen }
    /// The live answer as text (e.g. the predicted token, or "open").
    public var answer: String
    /// The explanation with placeholders resolved.
    public var explanation: String
}

/// A question as the screen shows it.
public struct QuestionState: Equatable, Sendable {
    public var id: QuestionID
    /// Prompt with placeholders resolved.
    public var prompt: String
    /// Letter and text of each choice (placeholders resolved).
    public var choices: [(letter: Character, text: String)]
    /// Present once answered.
    public var reveal: QuestionReveal?
    /// The narration the lesson writes after this question (placeholders resolved): present only once the
    /// question is answered, so nothing written after a question shows before the learner predicts.
    public var followUp: String?

    public static func == (a: QuestionState, b: QuestionState) -> Bool {
        a.id == b.id && a.prompt == b.prompt && a.reveal == b.reveal && a.followUp == b.followUp
            && a.choices.map(\.letter) == b.choices.map(\.letter) && a.choices.map(\.text) == b.choices.map(\.text)
    }
}

/// What the lesson says at one step in one mode.
public struct LessonPage: Equatable, Sendable {
    public var step: Int
    public var mode: StepMode
    /// Narration with placeholders resolved (Markdown); nil when the lesson says nothing here.
    public var narration: String?
    public var highlight: Highlight?
    public var questions: [QuestionState]
}

/// How far the learner is: `step 3/7 · 1 of 2 questions answered`.
public struct LessonProgress: Equatable, Sendable, CustomStringConvertible {
    /// The step shown, t (from 0).
    public var step: Int
    public var stepCount: Int
    public var answered: Int
    public var questionCount: Int
    public var correct: Int

    public var description: String {
        var s = timeLabel(step, stepCount: stepCount)
        if questionCount > 0 { s += " · \(answered) of \(questionCount) question\(questionCount == 1 ? "" : "s") answered" }
        return s
    }
}

/// Why an answer was not accepted.
public enum LessonPlaybackError: Error, Equatable, Sendable, CustomStringConvertible {
    case noSuchQuestion(QuestionID)
    case noSuchChoice(Character, valid: [Character])

    public var description: String {
        switch self {
        case .noSuchQuestion(let id):
            return "there is no question \(id.index + 1) at step \(id.step) (\(id.mode.rawValue))"
        case let .noSuchChoice(letter, valid):
            return "\"\(letter)\" is not a choice: expected one of \(valid.map(String.init).joined(separator: ", "))"
        }
    }
}

/// Pure lesson playback for the TUI: narration, highlight and questions at each step, resolved against
/// the live numbers of the run; answers recorded here.
public struct LessonPlayback: Sendable {
    public let lesson: Lesson
    public let run: LessonRun
    /// Choices made so far.
    public private(set) var answers: [QuestionID: Character] = [:]

    /// Whether the lesson's placeholders quote the training losses (`epoch_loss`), read from its parsed
    /// templates once: such a lesson shows the loss curve beside the steps.
    public let quotesTrainingLoss: Bool

    public init(lesson: Lesson, run: LessonRun) {
        self.lesson = lesson
        self.run = run
        var quoted = Set<String>()
        for template in lesson.templates.values {
            for (placeholder, _) in template.placeholders { placeholder.expression.collectNames(into: &quoted) }
        }
        self.quotesTrainingLoss = quoted.contains("epoch_loss")
    }

    /// A single-cell playback from one trace (the common case).
    public init(lesson: Lesson, trace: Recording, epochLosses: [Double] = []) {
        self.init(lesson: lesson, run: LessonRun(trace: trace, epochLosses: epochLosses))
    }

    public var stepCount: Int { run.stepCount }

    /// Every question of the lesson, in step order (forward before backward).
    public var questionIDs: [QuestionID] {
        lesson.steps.sorted { ($0.step, $0.mode == .forward ? 0 : 1) < ($1.step, $1.mode == .forward ? 0 : 1) }
            .flatMap { s in s.questions.indices.map { QuestionID(step: s.step, mode: s.mode, index: $0) } }
    }

    /// The intro narration, resolved at step 0.
    public var intro: String? { lesson.intro.map { resolve($0.text, step: 0) } }

    /// The closing narration, resolved at the last step.
    public var ending: String? { lesson.ending.map { resolve($0.text, step: Swift.max(0, stepCount - 1)) } }

    /// What to show at `step` in `mode`.
    public func page(step: Int, mode: StepMode) -> LessonPage {
        guard let section = lesson.section(step: step, mode: mode) else {
            return LessonPage(step: step, mode: mode, narration: nil, highlight: nil, questions: [])
        }
        let questions = section.questions.enumerated().map { index, q in
            let id = QuestionID(step: step, mode: mode, index: index)
            return QuestionState(
                id: id, prompt: resolve(q.prompt, step: step),
                choices: q.choices.map { ($0.letter, resolve($0.text, step: step)) },
                reveal: answers[id].map { reveal(q, chosen: $0, step: step) },
                followUp: answers[id] == nil ? nil : q.followUp.map { resolve($0.text, step: step) })
        }
        let text = section.narration.text
        return LessonPage(step: step, mode: mode, narration: text.isEmpty ? nil : resolve(text, step: step),
                          highlight: section.highlight, questions: questions)
    }

    /// Records `letter` as the answer to `id` and returns the reveal. Answering again keeps the first
    /// choice (predict, then reveal: no second guess) and returns the same reveal.
    @discardableResult
    public mutating func answer(_ id: QuestionID, choice letter: Character) throws(LessonPlaybackError) -> QuestionReveal {
        guard let section = lesson.section(step: id.step, mode: id.mode), section.questions.indices.contains(id.index) else {
            throw .noSuchQuestion(id)
        }
        let question = section.questions[id.index]
        let chosen = Character(letter.lowercased())
        if let earlier = answers[id] { return reveal(question, chosen: earlier, step: id.step) }
        guard question.choices.contains(where: { $0.letter == chosen }) else {
            throw .noSuchChoice(letter, valid: question.choices.map(\.letter))
        }
        answers[id] = chosen
        return reveal(question, chosen: chosen, step: id.step)
    }

    /// Progress at `step` (0-based t), counting answered questions over the whole lesson.
    public func progress(step: Int) -> LessonProgress {
        let ids = questionIDs
        var correct = 0
        for id in ids {
            guard let chosen = answers[id], let section = lesson.section(step: id.step, mode: id.mode) else { continue }
            if reveal(section.questions[id.index], chosen: chosen, step: id.step).isCorrect { correct += 1 }
        }
        return LessonProgress(step: step, stepCount: stepCount, answered: ids.filter { answers[$0] != nil }.count,
                              questionCount: ids.count, correct: correct)
    }

    // MARK: - Resolution

    /// `text` with every `{placeholder}` replaced by its live value. A placeholder that has no value in
    /// this run (the validator should have caught it) shows as `{source?}` rather than stopping playback.
    public func resolve(_ text: String, step: Int) -> String {
        let template = lesson.template(text)
        let evaluator = ExpressionEvaluator(run: run, step: step)
        return template.parts.map { part in
            switch part {
            case .text(let s): return s
            case let .placeholder(p, _):
                guard let value = try? evaluator.evaluate(p.expression) else { return "{\(p.source)?}" }
                return value.formatted(p.format)
            }
        }.joined()
    }

    /// The live answer to `question` at `step`, as text (nil when it cannot be computed).
    public func liveAnswer(_ question: Question, step: Int) -> String? {
        let evaluator = ExpressionEvaluator(run: run, step: step)
        switch question.answer {
        case .value(let e):
            return try? evaluator.evaluate(e).formatted()
        case let .conditional(yes, condition, no):
            guard let l = try? evaluator.evaluate(condition.left).numeric,
                  let r = try? evaluator.evaluate(condition.right).numeric else { return nil }
            return condition.op.holds(l, r) ? yes : no
        case .closest(let e):
            guard let v = try? evaluator.evaluate(e).numeric else { return nil }
            return Self.closestChoice(to: v, in: question.choices)?.text
        }
    }

    /// The choice whose number is nearest `value`: by ratio when everything is positive (orders of
    /// magnitude), by difference otherwise. Choices that are not numbers are skipped.
    static func closestChoice(to value: Double, in choices: [Choice]) -> Choice? {
        let numbered = choices.compactMap { c in Double(c.text.trimmingSpaces).map { (c, $0) } }
        let logScale = value > 0 && numbered.allSatisfy { $0.1 > 0 }
        return numbered.min { a, b in
            let da = logScale ? abs(log(a.1 / value)) : abs(a.1 - value)
            let db = logScale ? abs(log(b.1 / value)) : abs(b.1 - value)
            return da < db
        }?.0
    }

    private func reveal(_ question: Question, chosen: Character, step: Int) -> QuestionReveal {
        let answer = liveAnswer(question, step: step)
        let correct = answer.flatMap { a in question.choices.first { matches($0.text, a) }?.letter }
        return QuestionReveal(chosen: chosen, correct: correct, answer: answer ?? "(not available in this run)",
                              explanation: resolve(question.explanation, step: step))
    }

    /// Choice text equals the answer: ignoring case and spaces, or numerically equal.
    private func matches(_ choice: String, _ answer: String) -> Bool {
        let c = choice.trimmingSpaces.lowercased(), a = answer.trimmingSpaces.lowercased()
        if c == a { return true }
        if let x = Double(c), let y = Double(a) { return x == y }
        return false
    }
}
