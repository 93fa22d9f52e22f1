import RNNEngine

/// What is known about a lesson's run before running it: enough to check that placeholders name something.
///
/// Built by the validator from the model files (or the training recipe) and the tokenized input. Unknown
/// parts (nil) skip the checks that need them.
public struct LessonShape: Sendable {
    public var cells: [CellKind]
    /// Hidden size per cell.
    public var hiddenSizes: [CellKind: Int] = [:]
    /// Vocabulary of the primary model (nil for regression or when unknown).
    public var vocab: [String]?
    /// Number of input tokens = number of steps.
    public var stepCount: Int?
    public var task: ModelTask = .classification
    /// Whether the model is trained in the lesson (so `epoch_loss` and `epochs` exist).
    public var trained: Bool = false
    /// Temperatures the lesson samples at.
    public var temperatures: [Double] = []
    /// Whether the recipe clips gradients.
    public var clips: Bool = false
    /// How the model reads text (to check `after "…"` texts); nil when unknown.
    public var tokenizer: TokenizerKind?
    /// The recipe's synthetic task, if any (what recall and phase probes need).
    public var generator: CorpusGenerator?
    /// Whether the lesson has a `contrast:` input (what `divergence` needs).
    public var hasContrast: Bool = false
    /// Whether the lesson has a training recipe (trained on opening or documenting its model files): the
    /// corpus that `unigram_loss`, `corpus_lines` and `novelty` are counted from.
    public var hasRecipe: Bool = false

    public init(cells: [CellKind]) { self.cells = cells }
}

/// Checks an expression against a `LessonShape` without running anything; returns one message per problem.
public struct ExpressionChecker: Sendable {
    public var shape: LessonShape
    /// The step the narration belongs to (intro: 0, end: the last step).
    public var step: Int?

    public init(shape: LessonShape, step: Int?) {
        self.shape = shape
        self.step = step
    }

    enum Kind: Equatable { case number, text, vector, unknown }

    public func problems(in expression: Expression) -> [String] {
        var out: [String] = []
        _ = check(expression, cell: shape.cells.first ?? .rnnTanh, into: &out)
        return out
    }

    private func check(_ e: Expression, cell: CellKind, into out: inout [String]) -> Kind {
        switch e {
        case .number:
            return .number
        case let .inCell(other, inner):
            if !shape.cells.contains(other) {
                out.append("\(other.rawValue): names a cell this lesson does not run: expected one of \(shape.cells.map { $0.rawValue + ":" }.joined(separator: ", ")) (add it to cell:)")
                return .unknown
            }
            return check(inner, cell: other, into: &out)
        case let .function(f, inner):
            let k = check(inner, cell: cell, into: &out)
            switch f {
            case .abs, .log10:
                if k == .vector || k == .text { out.append("\(f.rawValue) needs a single number: expected e.g. \(f.rawValue) grad_norm, or \(f.rawValue) mean h") }
                return .number
            case .argmax, .argmin:
                if k == .number || k == .text { out.append("\(f.rawValue) needs a vector: expected e.g. \(f.rawValue) h or \(f.rawValue) probs") }
                return .number
            default:
                if k == .number || k == .text { out.append("\(f.rawValue) needs a vector: expected e.g. \(f.rawValue) h, \(f.rawValue) f or \(f.rawValue) grad.h (without [index])") }
                return .number
            }
        case let .binary(f, a, b):
            for k in [check(a, cell: cell, into: &out), check(b, cell: cell, into: &out)] where k == .vector || k == .text {
                out.append("\(f.rawValue) needs two single numbers: expected e.g. \(f.rawValue) grad_norm@0 grad_norm@-2, or \(f.rawValue) mean h norm c")
            }
            return .number
        case let .probability(reference, selector, _):
            if shape.task == .regression {
                out.append("prob names nothing in a regression lesson (there are no token probabilities): expected prediction or target_value")
                return .number
            }
            let s = checkStep(selector, name: "prob", into: &out)
            if case .literal(let token) = reference, let vocab = shape.vocab, !vocab.contains(token) {
                out.append("prob \"\(token)\": \"\(token)\" is not in the model's vocabulary (\(vocabList(vocab)))")
            }
            if reference == .target, let s, let n = shape.stepCount, s == n - 1 {
                out.append("prob target at step \(s): the last step has no target: expected a step before \(s)")
            }
            return .number
        case let .term(term):
            return check(term, cell: cell, into: &out)
        case let .after(text, inner):
            var other = self
            if let tokenizer = shape.tokenizer {
                let tokens = tokenizer.tokenize(text)
                other.shape.stepCount = tokens.count
                other.step = tokens.count - 1
                if let vocab = shape.vocab {
                    for token in tokens where !vocab.contains(token) {
                        out.append("after \"\(text)\": \"\(token)\" is not in the model's vocabulary (\(vocabList(vocab)))")
                        return .unknown
                    }
                }
            } else {
                other.shape.stepCount = nil
                other.step = nil
            }
            return other.check(inner, cell: cell, into: &out)
        case .sample(let t), .novelty(let t):
            if case .novelty = e, !shape.hasRecipe {
                out.append("novelty needs the corpus the model was trained on: expected a training recipe")
            }
            if !shape.temperatures.contains(t) {
                let listed = shape.temperatures.map { NumberText.placeholder($0, .automatic) }.joined(separator: ", ")
                out.append("sample \(NumberText.placeholder(t, .automatic)) names nothing: the lesson samples at \(listed.isEmpty ? "no temperature (add temperature: to the front matter)" : "temperature " + listed)")
            }
            if case .novelty = e { return .number }
            return .text
        }
    }

    private func check(_ term: Term, cell: CellKind, into out: inout [String]) -> Kind {
        let name = term.name
        let regression = shape.task == .regression
        // Does this name exist for this cell and task?
        if LessonName.gates.contains(name) || LessonName.gradientOfGate(name) != nil {
            let gate = LessonName.gradientOfGate(name) ?? name
            if !cell.gateNames.contains(gate) {
                let has = cell.gateNames.isEmpty ? "it has no gates" : "its gates are \(cell.gateNames.joined(separator: " "))"
                out.append("\"\(name)\" names nothing: the \(cell.displayName) has no gate \(gate) (\(has))")
                return .unknown
            }
        }
        if ["c", "c_prev", "grad.c"].contains(name) && cell != .lstm {
            out.append("\"\(name)\" names nothing: the \(cell.displayName) has no cell state (only the LSTM has c)")
            return .unknown
        }
        if ["prediction", "target_value"].contains(name) && !regression {
            out.append("\"\(name)\" names nothing in a next-token lesson: expected predicted or target (these are for task: regression)")
            return .unknown
        }
        if ["epochs", "epoch_loss"].contains(name) && !shape.trained {
            out.append("\"\(name)\" names nothing: this lesson loads a trained model file, so there is no loss per epoch (use a training recipe)")
            return .unknown
        }
        if let need = LessonName.probes[name], let missing = missing(need) {
            out.append("\"\(name)\" names nothing: \(missing)")
            return .unknown
        }
        if ["divergence", "divergence_c"].contains(name) && !shape.hasContrast {
            out.append("\"\(name)\" names nothing: it needs contrast: in the front matter (a second input with as many tokens)")
            return .unknown
        }
        if ["divergence_c", "f_keep"].contains(name) && cell != .lstm {
            out.append("\"\(name)\" names nothing: the \(cell.displayName) has no cell state and no forget gate (only the LSTM)")
            return .unknown
        }
        if ["clip", "clipped_grad_norm"].contains(name) && !shape.clips {
            out.append("\"\(name)\" names nothing: this lesson does not clip gradients (add clip: to the recipe)")
            return .unknown
        }
        var s: Int?
        if LessonName.isStepValue(name) {
            s = checkStep(term.step, name: name, into: &out)
        }
        if let s, let n = shape.stepCount, s == n - 1, ["target", "loss", "target_value"].contains(name) {
            out.append("\"\(name)\" at step \(s): the last step has no target, so no \(name): expected a step before \(s)")
        }
        if let index = term.index, let length = length(of: name, cell: cell) {
            let i = index < 0 ? length + index : index
            if i < 0 || i >= length {
                out.append("\(name)[\(index)] is out of range: \(name) has \(length) values (indices 0 to \(length - 1))")
            }
        }
        if term.index != nil { return .number }
        if LessonName.isVector(name) { return .vector }
        switch name {
        case "token", "cell": return .text
        case "target", "predicted": return regression ? .number : .text
        default: return .number
        }
    }

    /// What the lesson lacks for a probe that needs `need`; nil when it has it.
    private func missing(_ need: LessonName.ProbeNeed) -> String? {
        switch need {
        case .model: return nil
        case .recipe: return shape.hasRecipe ? nil : "it needs a training recipe (its corpus)"
        case .classificationRecipe:
            return shape.hasRecipe && shape.task == .classification ? nil : "it needs a next-token training recipe (its corpus)"
        case .regression: return shape.task == .regression ? nil : "it needs task: regression"
        case .recallTask:
            if case .recall? = shape.generator { return nil }
            return "it needs corpus_generator: recall … in the recipe"
        case .sineTask:
            if case .sine? = shape.generator { return nil }
            return "it needs corpus_generator: sine … in the recipe"
        }
    }

    /// Checks `@step`, returning the step it selects when it can be known.
    private func checkStep(_ selector: StepSelector?, name: String, into out: inout [String]) -> Int? {
        guard let n = shape.stepCount else { return nil }
        guard let selector else { return step }
        guard let current = step ?? (selector.isRelative ? nil : 0) else { return nil }
        let s = selector.resolve(current: current, count: n)
        if s < 0 || s >= n {
            out.append("\(name)@\(selector.text) selects step \(s), outside the sequence: the input has \(n) tokens (steps 0 to \(n - 1))")
            return nil
        }
        return s
    }

    private func length(of name: String, cell: CellKind) -> Int? {
        switch name {
        case "h", "h_prev", "c", "c_prev", "grad.h", "grad.c": return shape.hiddenSizes[cell]
        case "logits", "probs": return shape.vocab?.count
        case "grad_norms": return shape.stepCount
        case "f_keep": return shape.hiddenSizes[cell]
        default:
            if LessonName.gates.contains(name) || LessonName.gradientOfGate(name) != nil { return shape.hiddenSizes[cell] }
            return nil
        }
    }

    private func vocabList(_ vocab: [String]) -> String {
        let shown = vocab.prefix(12).map { "\"\($0)\"" }.joined(separator: ", ")
        return vocab.count > 12 ? shown + ", … \(vocab.count) in all" : shown
    }
}

extension StepSelector {
    var isRelative: Bool { if case .relative = self { return true } else { return false } }
    /// As written after `@`.
    var text: String {
        switch self {
        case .absolute(let i): return String(i)
        case .relative(let d): return d == -1 ? "prev" : d == 1 ? "next" : String(d)
        }
    }
}
