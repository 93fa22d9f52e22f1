import RNNLessons

/// What a waiting lesson question covers on screen, decided in one place: predict, then reveal.
///
/// `AppState` computes it whenever the narration changes (a move, an answer, a new trace) from the waiting
/// question's subject, and every panel asks it what to hide instead of deciding for itself:
/// - `output`: the probabilities, predictions and loss (output panel, the equations' L_t line and dL/dy,
///   the compare view's "predicts" line and loss, the header's mean loss, the loss curve, the samples'
///   distribution, the series' prediction at this step);
/// - `gates`: gate values (gates panel, gate rows of the compare view and the overview, the equations'
///   live numbers that quote a gate);
/// - `gradients`: dL/d· values, the ‖dL/dh‖ sparklines, the backward equations' live numbers;
/// - `waiting`: a question waits on this page, so the targets from here on and every value of a later
///   step (overview columns, sparkline entries, series points) stay covered.
/// The narration written after a question shows only once it is answered (see `LessonPlayback.page`).
public struct QuestionCover: Equatable, Sendable {
    /// What a question is about, read from the lesson: the section's highlight and the answer's names.
    public struct Subject: OptionSet, Equatable, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let output = Subject(rawValue: 1)
        public static let gates = Subject(rawValue: 2)
        public static let gradients = Subject(rawValue: 4)
        /// When the answer names something the rule does not know: everything a panel could give away.
        public static let all: Subject = [.output, .gates, .gradients]
    }

    /// What is covered at this step.
    public var subject: Subject = []
    /// A question waits on the page shown: later steps and the targets from here on are covered.
    public var waiting = false
    public var step = 0
    public var mode: StepMode = .forward

    public static let none = QuestionCover()

    public init() {}

    public var output: Bool { subject.contains(.output) }
    public var gates: Bool { subject.contains(.gates) }
    public var gradients: Bool { subject.contains(.gradients) }

    /// Whether step `t`'s values of a quantity stay covered as "the future": later in the forward pass;
    /// in the backward pass the gradients of earlier steps (backpropagation visits them next).
    public func hides(step t: Int, gradient: Bool = false) -> Bool {
        guard waiting else { return false }
        if mode == .forward { return t > step }
        return gradient && t < step
    }

    /// The cover for the page at `step` in `mode` of `playback`: the subject of the question waiting on that
    /// page, plus the gradients while any question about them waits anywhere in the lesson (the ‖dL/dh‖
    /// sparklines show every step at once). Nothing when the trace shown is not the lesson's own run.
    init(playback: LessonPlayback, narration: Narration?, step: Int, mode: StepMode, ownInput: Bool) {
        self.step = step
        self.mode = mode
        guard ownInput, let open = narration?.openQuestion else {
            if ownInput { subject = Self.waitingGradients(playback) }
            return
        }
        waiting = true
        subject = Self.waitingGradients(playback)
        if let section = playback.lesson.section(step: open.id.step, mode: open.id.mode),
           section.questions.indices.contains(open.id.index) {
            subject.formUnion(Self.subject(of: section.questions[open.id.index], highlight: section.highlight?.panel))
        } else {
            subject = .all
        }
    }

    private static func waitingGradients(_ playback: LessonPlayback) -> Subject {
        let waits = playback.questionIDs.contains { id in
            guard playback.answers[id] == nil, let section = playback.lesson.section(step: id.step, mode: id.mode),
                  section.questions.indices.contains(id.index) else { return false }
            return subject(of: section.questions[id.index], highlight: section.highlight?.panel).contains(.gradients)
        }
        return waits ? .gradients : []
    }

    /// A question's subject: the panel its section highlights, and what its answer expression names.
    public static func subject(of question: Question, highlight: LessonPanel?) -> Subject {
        var s: Subject = []
        switch highlight {
        case .output?, .loss?: s.insert(.output)
        case .gates?: s.insert(.gates)
        case .gradient?: s.insert(.gradients)
        default: break
        }
        switch question.answer {
        case .value(let e), .closest(let e): s.formUnion(subject(of: e))
        case let .conditional(_, c, _): s.formUnion(subject(of: c.left)); s.formUnion(subject(of: c.right))
        }
        return s
    }

    /// What an expression's value would give away on screen.
    static func subject(of e: Expression) -> Subject {
        switch e {
        case .number: return []
        case .term(let t): return subject(ofName: t.name)
        case .function(_, let x), .inCell(_, let x): return subject(of: x)
        case let .binary(_, a, b): return subject(of: a).union(subject(of: b))
        case .probability, .sample, .novelty: return .output
        // A run over an input the lesson never shows: nothing on screen answers it.
        case .after: return []
        }
    }

    static func subject(ofName name: String) -> Subject {
        if outputNames.contains(name) { return .output }
        if LessonName.gates.contains(name) { return .gates }
        if gradientNames.contains(name) || LessonName.gradientOfGate(name) != nil { return .gradients }
        if shownElsewhere.contains(name) || LessonName.probes[name] != nil { return [] }
        return .all
    }

    static let outputNames: Set<String> = [
        "predicted", "prediction", "target", "target_value", "loss", "logits", "probs", "losses", "mean_loss", "epoch_loss",
    ]
    static let gradientNames: Set<String> = [
        "grad_norm", "grad_x_norm", "grad_local_norm", "grad_recurrent_norm", "grad.h", "grad.c", "grad_norms",
        "param_grad_norm", "clipped_grad_norm",
    ]
    /// Names whose value the panels do not give away, or that are on screen as the lesson's input.
    static let shownElsewhere: Set<String> = [
        "t", "token", "x", "T", "hidden_size", "input_size", "vocab_size", "params", "unrolled_params", "cell", "epochs",
        "clip", "step_us", "sequence_us",
    ]
}
