import Foundation

/// Everything that decides a training run; the same configuration and corpus give byte-identical weights.
public struct TrainingConfig: Equatable, Sendable {
    public var cell: CellKind
    public var task: ModelTask
    public var tokenizer: TokenizerKind
    public var hiddenSize: Int
    /// E for an embedding; nil for one-hot input (or raw numbers for regression).
    public var embeddingSize: Int?
    public var epochs: Int
    /// Truncated BPTT: gradients flow back at most this many steps; the state carries over between chunks.
    public var sequenceLength: Int
    public var optimizer: OptimizerKind
    public var learningRate: Double
    /// Clip the global gradient norm to this value before each update (nil: no clipping).
    public var clipNorm: Double?
    public var seed: UInt64

    public init(cell: CellKind, task: ModelTask = .classification, tokenizer: TokenizerKind = .char,
                hiddenSize: Int = 32, embeddingSize: Int? = nil, epochs: Int = 20, sequenceLength: Int = 25,
                optimizer: OptimizerKind = .adam, learningRate: Double? = nil, clipNorm: Double? = 5,
                seed: UInt64 = 1) {
        self.cell = cell
        self.task = task
        self.tokenizer = tokenizer
        self.hiddenSize = hiddenSize
        self.embeddingSize = embeddingSize
        self.epochs = epochs
        self.sequenceLength = sequenceLength
        self.optimizer = optimizer
        self.learningRate = learningRate ?? optimizer.defaultLearningRate
        self.clipNorm = clipNorm
        self.seed = seed
    }

    /// Checks the numbers a user typed; the message names the option.
    public func validate() throws(EngineError) {
        if hiddenSize < 1 || hiddenSize > 4096 { throw .invalidArgument("hidden size must be between 1 and 4096, got \(hiddenSize)") }
        if let e = embeddingSize, e < 1 || e > 4096 { throw .invalidArgument("embedding size must be between 1 and 4096, got \(e)") }
        if epochs < 0 { throw .invalidArgument("epochs must be 0 or more, got \(epochs)") }
        if sequenceLength < 1 { throw .invalidArgument("sequence length must be at least 1, got \(sequenceLength)") }
        if !(learningRate > 0) || !learningRate.isFinite { throw .invalidArgument("learning rate must be a positive number, got \(learningRate)") }
        if let c = clipNorm, !(c > 0) || !c.isFinite { throw .invalidArgument("clip norm must be a positive number, got \(c)") }
        if task == .regression && embeddingSize != nil { throw .invalidArgument("a regression model reads numbers: it has no embedding") }
    }
}

/// What a training run reports after each update.
public struct TrainingProgress: Sendable {
    public var epoch: Int
    public var epochs: Int
    /// Updates done in this epoch, and how many the epoch has.
    public var update: Int
    public var updatesPerEpoch: Int
    /// Mean loss of the last chunk.
    public var loss: Double
    public var tokensSeen: Int
}

/// Trains a model on a corpus with truncated backpropagation through time.
///
/// Each epoch walks the corpus from the start in chunks of `sequenceLength` steps (step t predicts token t+1),
/// carrying the recurrent state from one chunk to the next (as min-char-rnn does) and updating after each chunk.
public struct Trainer: Sendable {
    public let config: TrainingConfig
    public private(set) var model: RNNModel
    /// Mean training loss of each finished epoch.
    public private(set) var epochLosses: [Double] = []
    private var optimizer: Optimizer
    private let inputs: SequenceInputs
    private let targets: SequenceTargets
    private let length: Int

    /// Tokenizes `corpus` and builds a vocabulary in order of first appearance (classification), or parses
    /// numbers (regression); then initialises the model deterministically from the seed.
    public init(corpus: String, config: TrainingConfig) throws(EngineError) {
        try config.validate()
        self.config = config
        let tokens = config.tokenizer.tokenize(corpus)
        guard tokens.count >= 2 else {
            throw .invalidArgument("the corpus needs at least 2 tokens to learn from, it has \(tokens.count)")
        }
        var vocabulary: [String] = []
        switch config.task {
        case .classification:
            var seen = Set<String>()
            for t in tokens where seen.insert(t).inserted { vocabulary.append(t) }
            let vocab = Vocabulary(vocabulary)
            let ids = try vocab.encode(tokens)
            inputs = .tokens(ids)
            targets = .nextTokens(ids)
        case .regression:
            var values: [Float] = []
            for (i, t) in tokens.enumerated() {
                guard let v = Float(t), v.isFinite else {
                    throw .invalidArgument("corpus token \(i + 1) \"\(t)\" is not a number (a regression corpus is numbers separated by spaces)")
                }
                values.append(v)
            }
            inputs = .numbers(values)
            targets = .nextNumbers(values)
        }
        length = tokens.count
        let parameters = ModelParameters.initialized(
            cell: config.cell, task: config.task, vocabularySize: vocabulary.count,
            inputSize: config.task == .regression ? 1 : nil, embeddingSize: config.embeddingSize,
            hiddenSize: config.hiddenSize, seed: config.seed)
        model = RNNModel(parameters: parameters, tokenizer: config.tokenizer, vocabulary: Vocabulary(vocabulary), task: config.task)
        optimizer = Optimizer(kind: config.optimizer, learningRate: config.learningRate, parameters: parameters)
    }

    /// Steps (tokens read with a target) per epoch.
    public var stepsPerEpoch: Int { length - 1 }

    /// Updates per epoch: chunks of `sequenceLength` over the length−1 steps that have a target.
    public var updatesPerEpoch: Int { (length - 1 + config.sequenceLength - 1) / config.sequenceLength }

    /// Runs one epoch; returns its mean loss.
    @discardableResult
    public mutating func trainEpoch(progress: ((TrainingProgress) -> Void)? = nil) -> Double {
        var state = RecurrentState.zero(cell: config.cell, hiddenSize: config.hiddenSize)
        var total = 0.0, counted = 0, update = 0
        var start = 0
        while start < length - 1 {
            let end = min(start + config.sequenceLength, length - 1)
            let chunkInputs: SequenceInputs
            let chunkTargets: SequenceTargets
            switch (inputs, targets) {
            case (.tokens(let ids), .tokens(let next)):
                chunkInputs = .tokens(Array(ids[start..<end]))
                chunkTargets = .tokens(Array(next[start..<end]))
            case (.numbers(let v), .numbers(let next)):
                chunkInputs = .numbers(Array(v[start..<end]))
                chunkTargets = .numbers(Array(next[start..<end]))
            default:
                preconditionFailure("inputs and targets are built together")
            }
            let forward = model.parameters.forward(chunkInputs, targets: chunkTargets, task: config.task, initialState: state)
            var backward = model.parameters.backward(forward)
            if let clip = config.clipNorm { backward.clipGradients(maxNorm: clip) }
            optimizer.step(&model.parameters, gradients: backward.parameterGradients)
            state = forward.finalState
            let loss = forward.meanLoss ?? 0
            total += loss * Double(end - start)
            counted += end - start
            update += 1
            progress?(TrainingProgress(epoch: epochLosses.count + 1, epochs: config.epochs, update: update,
                                       updatesPerEpoch: updatesPerEpoch, loss: loss, tokensSeen: counted))
            start = end
        }
        let mean = counted > 0 ? total / Double(counted) : 0
        epochLosses.append(mean)
        return mean
    }

    /// Runs all configured epochs.
    public mutating func train(progress: ((TrainingProgress) -> Void)? = nil) {
        while epochLosses.count < config.epochs { trainEpoch(progress: progress) }
    }
}
