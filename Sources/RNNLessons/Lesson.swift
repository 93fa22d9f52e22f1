import RNNEngine

/// One lesson of the course, as parsed from its Markdown file (format: lessons/README.md).
///
/// A lesson names the cell(s) it runs, where the model comes from (a bundled file or a training recipe),
/// the input sequence, and per step and mode the narration, highlight and predict-then-reveal questions.
/// Every part keeps the line it came from so that problems can be reported as `file:line`.
public struct Lesson: Equatable, Sendable {
    /// Path the lesson was read from (as given), used in messages.
    public var path: String
    public var title: String
    public var summary: String
    /// The cells run over the input, in the order given; the first is the one the steps walk through,
    /// the others are for comparisons (placeholders can name them, e.g. `{lstm: grad_norm}`).
    public var cells: [CellKind]
    public var model: ModelSource
    /// The input text, tokenized by the model's tokenizer (numbers separated by spaces for regression).
    public var input: String
    /// Narration shown before the first step (`## intro`), if any.
    public var intro: LessonSection?
    /// Narration shown after the last step (`## end`), if any.
    public var ending: LessonSection?
    /// Per-step sections, in file order.
    public var steps: [LessonStep]
    /// Temperatures for sampling lessons (`temperature: 0.5, 1.0, 2.0`); empty when not sampling.
    public var temperatures: [Double]
    /// How many tokens to sample at each temperature.
    public var sampleLength: Int?
    /// A second input of the same length (`contrast:`), e.g. with the first word changed: the placeholder
    /// `divergence` is how far apart the two runs' hidden states are at each step.
    public var contrast: String?
    /// What the lesson's model must show (`## checks`), run by `rnnscope lesson validate` and the tests.
    public var checks: [LessonCheck]
    /// Every narration text of the lesson (sections, prompts, choices, explanations), parsed once when the
    /// lesson is compiled; placeholder lines count from the text's first line, 0. Playback and the
    /// checks read these instead of parsing the text again.
    public private(set) var templates: [String: NarrationTemplate]

    /// `templates` are those the parser made while reading the file; without them (a lesson built in code)
    /// every text is parsed here, once.
    public init(path: String, title: String, summary: String, cells: [CellKind], model: ModelSource, input: String,
                intro: LessonSection? = nil, ending: LessonSection? = nil, steps: [LessonStep],
                temperatures: [Double] = [], sampleLength: Int? = nil, contrast: String? = nil,
                checks: [LessonCheck] = [], templates: [String: NarrationTemplate]? = nil) {
        self.path = path
        self.title = title
        self.summary = summary
        self.cells = cells
        self.model = model
        self.input = input
        self.intro = intro
        self.ending = ending
        self.steps = steps
        self.temperatures = temperatures
        self.sampleLength = sampleLength
        self.contrast = contrast
        self.checks = checks
        self.templates = [:]
        if let templates {
            self.templates = templates
        } else {
            for text in templateTexts where self.templates[text] == nil {
                self.templates[text] = NarrationTemplate.parse(text, line: 0).0
            }
        }
    }

    /// Every text of the lesson that may hold placeholders.
    var templateTexts: [String] {
        var texts: [String] = [intro?.text, ending?.text].compactMap { $0 }
        for step in steps {
            texts.append(step.narration.text)
            for q in step.questions {
                texts += [q.prompt, q.explanation, q.followUp?.text].compactMap { $0 } + q.choices.map(\.text)
            }
        }
        return texts
    }

    /// The parsed form of `text`, one of the lesson's own texts. A text the lesson was changed to after it
    /// was made (tests do) is parsed on the spot.
    public func template(_ text: String) -> NarrationTemplate {
        templates[text] ?? NarrationTemplate.parse(text, line: 0).0
    }

    /// The cell the lesson's steps walk through.
    public var primaryCell: CellKind { cells[0] }

    /// Whether only the last target of the input counts in the lesson's run (`loss_on: last_step`).
    public var lossOnLastStep: Bool {
        model.recipe?.lossOn == .lastStep
    }

    /// The section for `step` in `mode`, if the lesson has one.
    public func section(step: Int, mode: StepMode) -> LessonStep? {
        steps.first { $0.step == step && $0.mode == mode }
    }
}

/// Where a lesson's model comes from.
public enum ModelSource: Equatable, Sendable {
    /// Bundled safetensors files, one per cell (paths as written, relative to the lesson file).
    case files([String])
    /// Train a fresh model per cell from this recipe.
    case recipe(TrainingRecipe)
    /// Bundled files that this recipe trained: the lesson loads the files (it opens at once) and the recipe
    /// documents how to rebuild them byte for byte (the course's tests retrain and compare).
    case pretrained(files: [String], recipe: TrainingRecipe)

    /// The model files, when the lesson loads them.
    public var files: [String]? {
        switch self {
        case .files(let files), .pretrained(let files, _): return files
        case .recipe: return nil
        }
    }

    /// The training recipe, when the lesson has one (trained on opening, or documenting its files).
    public var recipe: TrainingRecipe? {
        switch self {
        case .recipe(let recipe), .pretrained(_, let recipe): return recipe
        case .files: return nil
        }
    }
}

/// How to train the lesson's model: everything needed to reproduce it from a seed.
public struct TrainingRecipe: Equatable, Sendable {
    /// Training text (or whitespace-separated numbers for regression), inline or from `corpus_file`.
    public var corpus: String
    /// `corpus_file` as written (relative to the lesson file), when the corpus came from a file.
    public var corpusFile: String?
    public var tokenizer: TokenizerKind
    public var task: ModelTask
    /// Embedding size; nil = one-hot input over the vocabulary (or raw numbers for regression).
    public var embeddingSize: Int?
    public var hiddenSize: Int
    public var optimizer: OptimizerKind
    public var learningRate: Double
    public var epochs: Int
    /// Length of the training windows cut from the corpus (truncated BPTT length).
    public var sequenceLength: Int
    public var seed: UInt64
    /// Clip the global gradient norm to this value; nil = no clipping.
    public var clipNorm: Double?
    /// Multiply the recurrent weights (`weight_hh`) by this after initialisation (exploding gradients).
    public var scaleRecurrent: Double?
    /// Where the loss is taken: every step (next-token prediction) or only the last target of each
    /// sequence, in training and in the lesson's run.
    public var lossOn: LossPlacement
    /// Whether the corpus is one text or one independent sequence per line.
    public var sequences: SequenceSplit
    /// The synthetic task the corpus was generated from (`corpus_generator:`), if any.
    public var generator: CorpusGenerator?
    /// LSTM only: the forget gate's initial bias (`forget_bias:`).
    public var forgetBias: Double?
    /// Sequences averaged per update (`batch_size:`, default 1).
    public var batchSize: Int

    public init(corpus: String, corpusFile: String? = nil, tokenizer: TokenizerKind, task: ModelTask = .classification,
                embeddingSize: Int? = nil, hiddenSize: Int, optimizer: OptimizerKind, learningRate: Double,
                epochs: Int, sequenceLength: Int, seed: UInt64, clipNorm: Double? = nil,
                scaleRecurrent: Double? = nil, lossOn: LossPlacement = .everyStep, sequences: SequenceSplit = .whole,
                generator: CorpusGenerator? = nil, forgetBias: Double? = nil, batchSize: Int = 1) {
        self.corpus = corpus
        self.corpusFile = corpusFile
        self.tokenizer = tokenizer
        self.task = task
        self.embeddingSize = embeddingSize
        self.hiddenSize = hiddenSize
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.epochs = epochs
        self.sequenceLength = sequenceLength
        self.seed = seed
        self.clipNorm = clipNorm
        self.scaleRecurrent = scaleRecurrent
        self.lossOn = lossOn
        self.sequences = sequences
        self.generator = generator
        self.forgetBias = forgetBias
        self.batchSize = batchSize
    }

    /// The engine's training configuration for `cell`. `scaleRecurrent` is not part of `TrainingConfig`;
    /// whoever runs the recipe applies it after training (see lessons/README.md).
    public func trainingConfig(for cell: CellKind) -> TrainingConfig {
        TrainingConfig(cell: cell, task: task, tokenizer: tokenizer, hiddenSize: hiddenSize, embeddingSize: embeddingSize,
                       epochs: epochs, sequenceLength: sequenceLength, optimizer: optimizer, learningRate: learningRate,
                       clipNorm: clipNorm, seed: seed, sequences: sequences, lossOn: lossOn,
                       forgetBias: forgetBias.map { Float($0) }, batchSize: batchSize)
    }
}

/// Forward (reading tokens) or backward (backpropagation through time).
public enum StepMode: String, Equatable, Hashable, Sendable, CaseIterable {
    case forward
    case backward
}

/// Narration text with the line where it starts.
public struct LessonSection: Equatable, Sendable {
    /// Markdown text, placeholders unresolved.
    public var text: String
    public var line: Int

}

/// What the lesson shows at one step in one mode.
public struct LessonStep: Equatable, Sendable {
    /// The step index t (from 0, as on screen).
    public var step: Int
    public var mode: StepMode
    /// Line of the `## step` heading.
    public var line: Int
    public var narration: LessonSection
    public var highlight: Highlight?
    public var questions: [Question]

    public init(step: Int, mode: StepMode, line: Int, narration: LessonSection, highlight: Highlight? = nil,
                questions: [Question] = []) {
        self.step = step
        self.mode = mode
        self.line = line
        self.narration = narration
        self.highlight = highlight
        self.questions = questions
    }
}

/// The screen panels a lesson can point at.
public enum LessonPanel: String, Equatable, Sendable, CaseIterable {
    /// The current token and its input vector x_t.
    case input
    /// Hidden state h_t.
    case hidden
    /// LSTM cell state c_t.
    case cell
    /// Gate activations (LSTM i f g o, GRU r z n).
    case gates
    /// Output probabilities (next-token prediction) or the predicted number.
    case output
    /// Loss of this step and of the run.
    case loss
    /// Gradients dL/dh_t over time (the vanishing/exploding-gradient plot).
    case gradient
    /// Parameter counts and weights.
    case weights
}

/// A panel (and optionally a gate and unit) to draw attention to: `highlight: gates.f[2]`.
public struct Highlight: Equatable, Sendable {
    public var panel: LessonPanel
    /// Gate name within the gates panel (`f`, `z`, …).
    public var gate: String?
    /// Unit (row of the hidden/cell/gate vector, or vocabulary index in the output panel).
    public var unit: Int?
    public var line: Int

}

/// A claim the lesson's model must make true, `- lstm: recall_min >= 0.8` in `## checks`: a comparison of
/// live values, evaluated at the last step of the run.
public struct LessonCheck: Equatable, Sendable {
    /// The comparison as written.
    public var source: String
    public var comparison: Comparison
    public var line: Int

}

/// A predict-then-reveal question; its answer is computed from the live numbers of the run.
public struct Question: Equatable, Sendable {
    /// Prompt text (may contain placeholders).
    public var prompt: String
    public var choices: [Choice]
    public var answer: AnswerRule
    /// Explanation shown on reveal (may contain placeholders).
    public var explanation: String
    public var line: Int
    /// The section's narration written after this question (up to the next one): it may build on the
    /// answer, so it shows only once the question is answered.
    public var followUp: LessonSection?

}

/// One answer choice: `- a: love`.
public struct Choice: Equatable, Sendable {
    public var letter: Character
    public var text: String
    public var line: Int

}

/// How the right answer is computed from the run.
public enum AnswerRule: Equatable, Sendable {
    /// The value of an expression (e.g. `predicted`, `argmax h`), matched against the choice texts.
    case value(Expression)
    /// `open if mean f > 0.5 else closed`: one of two words, chosen by a comparison.
    case conditional(ifTrue: String, condition: Comparison, ifFalse: String)
    /// `closest ratio gru: params lstm: params`: the numeric choice nearest the value (on a log scale when
    /// the value and all choices are positive), for order-of-magnitude and estimate questions.
    case closest(Expression)
}

/// `left op right` between two expressions (numbers are expressions too).
public struct Comparison: Equatable, Sendable {
    public enum Operator: String, Equatable, Sendable, CaseIterable {
        case less = "<", greater = ">", lessOrEqual = "<=", greaterOrEqual = ">="

        /// Whether `left op right` holds.
        public func holds(_ left: Double, _ right: Double) -> Bool {
            switch self {
            case .less: return left < right
            case .greater: return left > right
            case .lessOrEqual: return left <= right
            case .greaterOrEqual: return left >= right
            }
        }
    }
    public var left: Expression
    public var op: Operator
    public var right: Expression

    public init(left: Expression, op: Operator, right: Expression) {
        self.left = left
        self.op = op
        self.right = right
    }
}
