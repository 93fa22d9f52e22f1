import RNNEngine

/// A placeholder expression, e.g. `h[2]`, `mean f`, `prob target`, `ratio grad_norm@0 grad_norm@-2`.
///
/// Prefix notation, words separated by spaces, so that it parses without precedence rules and reads
/// left to right the way a teacher would say it ("the mean of f", "the ratio of … to …").
/// The grammar and every name are documented in lessons/README.md, "Placeholders".
public indirect enum Expression: Equatable, Sendable {
    /// A literal number (used in comparisons: `mean f > 0.5`).
    case number(Double)
    /// A named value, optionally indexed and taken at another step: `h[2]@prev`.
    case term(Term)
    /// `mean h`, `argmax probs`, `log10 grad_norm`, …
    case function(LessonFunction, Expression)
    /// `ratio a b` = a / b; `diff a b` = a − b.
    case binary(BinaryFunction, Expression, Expression)
    /// `prob target`, `prob "love"@2`, `prob predicted temp 0.5`: the probability the model gives a token.
    case probability(TokenReference, step: StepSelector?, temperature: Double?)
    /// `sample 0.5`: the text the model generated at that temperature (lessons with `temperature:`).
    case sample(temperature: Double)
    /// `novelty 0.5`: the share of that sample's 12-character windows found nowhere in the training corpus.
    case novelty(temperature: Double)
    /// `lstm: grad_norm`: evaluate the rest in the run of another cell of the lesson.
    case inCell(CellKind, Expression)
    /// `after "red w w . green w w" predicted`: evaluate the rest in a run of the model over that text (from
    /// the zero state, a loss at every step), at its last step: a question about an input never shown.
    case after(String, Expression)
}

/// A named value with an optional `[index]` and `@step`.
public struct Term: Equatable, Sendable {
    public var name: String
    /// Index into a vector value; negative counts from the end (`[-1]` = last).
    public var index: Int?
    public var step: StepSelector?

    public init(name: String, index: Int? = nil, step: StepSelector? = nil) {
        self.name = name
        self.index = index
        self.step = step
    }
}

/// `@3`, `@-2` (from the end), `@first`, `@last`, `@prev`, `@next`.
public enum StepSelector: Equatable, Sendable {
    /// Absolute step index; negative counts from the end (`-1` = last step).
    case absolute(Int)
    /// Offset from the step being shown (`prev` = −1, `next` = +1).
    case relative(Int)

    /// The step index this selects, given the step shown and the number of steps (may be out of range).
    public func resolve(current: Int, count: Int) -> Int {
        switch self {
        case .absolute(let i): return i < 0 ? count + i : i
        case .relative(let d): return current + d
        }
    }
}

/// The token a `prob` asks about.
public enum TokenReference: Equatable, Sendable {
    /// This step's target (the actual next token).
    case target
    /// This step's most probable token.
    case predicted
    /// A vocabulary token by its text.
    case literal(String)
}

/// One-argument functions.
public enum LessonFunction: String, Equatable, Sendable, CaseIterable {
    case mean, min, max, sum, norm, argmax, argmin, abs, log10
}

/// Two-argument functions: `ratio a b` = a / b, `diff a b` = a − b, `plus a b`, `times a b`, `power a b` = aᵇ.
public enum BinaryFunction: String, Equatable, Sendable, CaseIterable {
    case ratio, diff, plus, times, power
}

/// How a placeholder's number is written: `{prob target %}`, `{h[2] .2}`.
public enum PlaceholderFormat: Equatable, Sendable {
    /// Three significant digits (`0.482`, `12.3`, `1.23e-5`); integers in full.
    case automatic
    /// Times 100 with one decimal and a `%` sign.
    case percent
    /// Fixed number of decimals.
    case decimals(Int)
}

/// A parsed `{…}` in narration: the expression and how to write its value.
public struct Placeholder: Equatable, Sendable {
    /// The text between the braces, as written.
    public var source: String
    public var expression: Expression
    public var format: PlaceholderFormat

}

/// The names a term may use, by what they denote. One table, used by the parser, checker and evaluator.
public enum LessonName {
    /// Values of one step that are single numbers or words.
    public static let stepScalars: Set<String> = [
        "t", "token", "target", "predicted", "loss", "grad_norm", "prediction", "target_value",
        "divergence", "divergence_c", "grad_x_norm", "grad_local_norm", "grad_recurrent_norm",
    ]
    /// Vectors of one step (gate names are added per cell).
    public static let stepVectors: Set<String> = [
        "x", "h", "h_prev", "c", "c_prev", "logits", "probs", "grad.h", "grad.c", "f_keep",
    ]
    /// All gate names of all cells; which ones exist depends on the cell.
    public static let gates: Set<String> = ["i", "f", "g", "o", "r", "z", "n"]
    /// Values of the whole run.
    public static let runScalars: Set<String> = [
        "T", "mean_loss", "hidden_size", "input_size", "vocab_size", "params", "unrolled_params", "cell",
        "param_grad_norm", "epochs", "clip", "clipped_grad_norm", "step_us", "sequence_us",
    ]
    /// Vectors of the whole run (indexable by step or epoch).
    public static let runVectors: Set<String> = ["epoch_loss", "grad_norms", "losses"]

    /// What a probe (`LessonProbes`) needs from the lesson to be measured.
    public enum ProbeNeed: Sendable {
        /// A model, loaded or trained.
        case model
        /// A training recipe (its corpus).
        case recipe
        /// A next-token training recipe.
        case classificationRecipe
        /// A regression model.
        case regression
        /// `corpus_generator: recall …`.
        case recallTask
        /// `corpus_generator: sine …`.
        case sineTask
    }

    /// Whole-run values measured beyond the lesson's input, and what each needs.
    public static let probes: [String: ProbeNeed] = [
        "recall_min": .recallTask, "recall_mean": .recallTask, "recall_min_zero": .recallTask, "recall_min_after": .recallTask,
        "worst_phase_ratio": .sineTask, "worst_phase_mse": .sineTask, "worst_phase_persistence": .sineTask,
        "unigram_loss": .classificationRecipe, "persistence_mse": .regression, "corpus_lines": .recipe,
        "sigma_max_whh": .model,
        "sequence_us_10": .model, "sequence_us_100": .model, "sequence_us_1000": .model, "chain_us_1000": .model, "batched_us_1000": .model,
    ]

    /// Probes that are timings, measured only when a lesson names one.
    public static let timingProbes: Set<String> = [
        "sequence_us_10", "sequence_us_100", "sequence_us_1000", "chain_us_1000", "batched_us_1000",
    ]

    /// Whether `name` is a per-step value (so `@step` makes sense).
    public static func isStepValue(_ name: String) -> Bool {
        stepScalars.contains(name) || stepVectors.contains(name) || gates.contains(name)
            || gradientOfGate(name) != nil
    }

    /// Whether `name` is known at all (independent of cell).
    public static func isKnown(_ name: String) -> Bool {
        isStepValue(name) || runScalars.contains(name) || runVectors.contains(name) || probes[name] != nil
    }

    /// `grad.f` → `f` (gradient with respect to a gate's pre-activation); nil otherwise.
    public static func gradientOfGate(_ name: String) -> String? {
        guard name.hasPrefix("grad.") else { return nil }
        let gate = String(name.dropFirst(5))
        return gates.contains(gate) ? gate : nil
    }

    /// Whether the value is a vector (so `[i]` and vector functions apply).
    public static func isVector(_ name: String) -> Bool {
        stepVectors.contains(name) || gates.contains(name) || gradientOfGate(name) != nil
            || runVectors.contains(name)
    }
}
