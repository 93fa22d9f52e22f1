import RNNEngine

/// What the parser could read from a lesson file, possibly incomplete.
///
/// The validator checks a draft (not a `Lesson`) so that it can report problems in the steps even when
/// the front matter is broken, and vice versa: every problem at once, not just the first.
public struct LessonDraft: Sendable {
    /// A front matter value with its line.
    public struct Entry: Sendable {
        public var value: String
        public var line: Int
    }

    public var path: String
    /// Front matter entries by key (first occurrence).
    public var entries: [String: Entry] = [:]
    /// Line of the closing `---` (or the last line read), where missing keys are reported.
    public var frontMatterEnd: Int = 1

    // Typed front matter, filled in when the value was valid.
    public var title: String?
    public var summary: String?
    public var cells: [CellKind]?
    public var modelFiles: [String]?
    public var input: String?
    public var corpus: String?
    public var corpusLine: Int?
    public var corpusFile: String?
    public var tokenizer: TokenizerKind?
    public var task: ModelTask?
    public var embeddingSize: Int?
    public var hiddenSize: Int?
    public var optimizer: OptimizerKind?
    public var learningRate: Double?
    public var epochs: Int?
    public var sequenceLength: Int?
    public var seed: UInt64?
    public var clipNorm: Double?
    public var scaleRecurrent: Double?
    public var lossOn: LossPlacement?
    public var sequences: SequenceSplit?
    public var generator: CorpusGenerator?
    public var forgetBias: Double?
    public var batchSize: Int?
    public var temperatures: [Double] = []
    public var sampleLength: Int?
    public var contrast: String?
    public var checks: [LessonCheck] = []

    public var intro: LessonSection?
    public var ending: LessonSection?
    public var steps: [LessonStep] = []
    /// Every narration text read, parsed once (placeholder lines from the text's first line, 0).
    public var templates: [String: NarrationTemplate] = [:]

    public init(path: String) { self.path = path }

    /// Whether the lesson trains its model (any recipe key or a corpus) rather than loading files.
    public var usesRecipe: Bool {
        corpus != nil || corpusFile != nil || ["corpus", "corpus_file", "corpus_generator"].contains { entries[$0] != nil }
    }

    /// The complete lesson, when every required part is present and valid (nil otherwise).
    public func lesson(corpusText: String?) -> Lesson? {
        guard let title, let summary, let cells, let input else { return nil }
        let source: ModelSource
        if let modelFiles, !usesRecipe {
            source = .files(modelFiles)
        } else {
            guard let corpus = corpusText ?? corpus, let tokenizer, let hiddenSize, let optimizer, let learningRate,
                  let epochs, let sequenceLength, let seed else { return nil }
            let recipe = TrainingRecipe(
                corpus: corpus, corpusFile: corpusFile, tokenizer: tokenizer, task: task ?? .classification,
                embeddingSize: embeddingSize, hiddenSize: hiddenSize, optimizer: optimizer, learningRate: learningRate,
                epochs: epochs, sequenceLength: sequenceLength, seed: seed, clipNorm: clipNorm,
                scaleRecurrent: scaleRecurrent, lossOn: lossOn ?? .everyStep,
                sequences: generator != nil ? .perLine : (sequences ?? .whole), generator: generator, forgetBias: forgetBias,
                batchSize: batchSize ?? 1)
            source = modelFiles.map { .pretrained(files: $0, recipe: recipe) } ?? .recipe(recipe)
        }
        return Lesson(path: path, title: title, summary: summary, cells: cells, model: source, input: input,
                      intro: intro, ending: ending, steps: steps, temperatures: temperatures, sampleLength: sampleLength,
                      contrast: contrast, checks: checks, templates: templates)
    }
}
