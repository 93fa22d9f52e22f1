import Foundation

/// Everything that decides a training run; the same configuration and corpus give byte-identical weights.
public struct TrainingConfig: Equatable, Sendable {
    public var cell: CellKind
    public var task: ModelTask
    public var tokenizer: TokenizerKind
    public var hiddenSize: Int
    /// Stacked recurrent layers (PyTorch's `num_layers`), 1…`maximumLayers`.
    public var layers: Int
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
    /// How the corpus splits into independent sequences, each read from the zero state.
    public var sequences: SequenceSplit
    /// Which targets of each sequence the loss takes.
    public var lossOn: LossPlacement
    /// LSTM only: start the forget gate's bias b_ih at this value instead of PyTorch's random one, so f starts
    /// near σ(value) and the cell state (and its gradient) survives many steps from the first update.
    public var forgetBias: Float?
    /// Sequences whose gradients are averaged (weighted by their targets) before one update, like the rows of
    /// a PyTorch batch; 1 = an update after every chunk.
    public var batchSize: Int

    public init(cell: CellKind, task: ModelTask = .classification, tokenizer: TokenizerKind = .char,
                hiddenSize: Int = 32, layers: Int = 1, embeddingSize: Int? = nil, epochs: Int = 20, sequenceLength: Int = 25,
                optimizer: OptimizerKind = .adam, learningRate: Double? = nil, clipNorm: Double? = 5,
                seed: UInt64 = 1, sequences: SequenceSplit = .whole, lossOn: LossPlacement = .everyStep,
                forgetBias: Float? = nil, batchSize: Int = 1) {
        self.cell = cell
        self.task = task
        self.tokenizer = tokenizer
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.embeddingSize = embeddingSize
        self.epochs = epochs
        self.sequenceLength = sequenceLength
        self.optimizer = optimizer
        self.learningRate = learningRate ?? optimizer.defaultLearningRate
        self.clipNorm = clipNorm
        self.seed = seed
        self.sequences = sequences
        self.lossOn = lossOn
        self.forgetBias = forgetBias
        self.batchSize = batchSize
    }

    /// The largest hidden size, embedding size and layer count a model is trained with, by `rnnscope train`
    /// and by lessons alike.
    public static let maximumHiddenSize = 4096
    public static let maximumEmbeddingSize = 4096
    public static let maximumLayers = 4

    /// Checks the numbers a user typed; the message names the option.
    public func validate() throws(EngineError) {
        let h = Self.maximumHiddenSize, e = Self.maximumEmbeddingSize, l = Self.maximumLayers
        if hiddenSize < 1 || hiddenSize > h { throw .invalidArgument("hidden size must be between 1 and \(h), got \(hiddenSize)") }
        if layers < 1 || layers > l { throw .invalidArgument("layers must be between 1 and \(l), got \(layers)") }
        if let size = embeddingSize, size < 1 || size > e { throw .invalidArgument("embedding size must be between 1 and \(e), got \(size)") }
        if epochs < 0 { throw .invalidArgument("epochs must be 0 or more, got \(epochs)") }
        if sequenceLength < 1 { throw .invalidArgument("sequence length must be at least 1, got \(sequenceLength)") }
        if !(learningRate > 0) || !learningRate.isFinite { throw .invalidArgument("learning rate must be a positive number, got \(learningRate)") }
        if let c = clipNorm, !(c > 0) || !c.isFinite { throw .invalidArgument("clip norm must be a positive number, got \(c)") }
        if batchSize < 1 || batchSize > 10_000 { throw .invalidArgument("batch size must be between 1 and 10000, got \(batchSize)") }
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

/// How a training corpus splits into independent sequences.
public enum SequenceSplit: String, Equatable, Sendable, CaseIterable {
    /// The whole corpus is one long sequence (a text): the state carries over from chunk to chunk.
    case whole
    /// Each line is its own sequence, read from the zero state — as every lesson input and every row of a
    /// PyTorch batch is. Without it a model sees the zero state only at the corpus start and can learn
    /// "where am I in the corpus" instead of the dependency a task is about.
    case perLine = "per_line"

    /// The texts of the sequences `corpus` holds.
    public func texts(of corpus: String) -> [String] {
        switch self {
        case .whole: return [corpus]
        case .perLine: return corpus.split(whereSeparator: \.isNewline).map(String.init)
        }
    }
}

/// Which targets of a sequence count in the loss.
public enum LossPlacement: String, Equatable, Sendable, CaseIterable {
    /// Next-token (or next-number) loss at every step that has a target.
    case everyStep = "every_step"
    /// Only the last target of each sequence counts (many-to-one: remember-something tasks, vanishing
    /// gradients), so the gradient at step t is exactly what flows back from the end.
    case lastStep = "last_step"
}

/// Trains a model on a corpus with truncated backpropagation through time.
///
/// The corpus is one sequence or, with `SequenceSplit.perLine`, many independent ones. Each sequence starts
/// from the zero state and is cut into chunks of `sequenceLength` steps (step t predicts token t+1); the state
/// carries from one chunk to the next within a sequence (as min-char-rnn does), with an update after each chunk
/// that has a target. Several sequences are visited in a new seeded order every epoch.
public struct Trainer: Sendable {
    public let config: TrainingConfig
    public private(set) var model: RNNModel
    /// Mean training loss of each finished epoch.
    public private(set) var epochLosses: [Double] = []
    /// True once `shouldStop` stopped an epoch part-way: the model is then between updates of an epoch
    /// that was never finished (nor counted in `epochLosses`), so it is not what the recipe trains.
    public private(set) var wasStopped = false
    private var optimizer: Optimizer
    private let sequences: [(inputs: SequenceInputs, targets: SequenceTargets)]
    private var order: SeededGenerator

    /// Tokenizes `corpus` and builds a vocabulary in order of first appearance (classification), or parses
    /// numbers (regression); then initialises the model deterministically from the seed.
    public init(corpus: String, config: TrainingConfig) throws(EngineError) {
        try config.validate()
        self.config = config
        let tokenized = config.sequences.texts(of: corpus).map { config.tokenizer.tokenize($0) }.filter { !$0.isEmpty }
        let tokenCount = tokenized.reduce(0) { $0 + $1.count }
        guard tokenized.contains(where: { $0.count >= 2 }) else {
            throw .invalidArgument(config.sequences == .whole
                ? "the corpus needs at least 2 tokens to learn from, it has \(tokenCount)"
                : "no line of the corpus has 2 tokens or more: each line is a sequence, and a sequence needs 2 tokens to learn from")
        }
        var vocabulary: [String] = []
        var sequences: [(inputs: SequenceInputs, targets: SequenceTargets)] = []
        switch config.task {
        case .classification:
            var seen = Set<String>()
            for tokens in tokenized { for t in tokens where seen.insert(t).inserted { vocabulary.append(t) } }
            let vocab = Vocabulary(vocabulary)
            for tokens in tokenized where tokens.count >= 2 {
                let ids = try vocab.encode(tokens)
                sequences.append((.tokens(ids), .nextTokens(ids)))
            }
        case .regression:
            var position = 0
            for tokens in tokenized {
                var values: [Float] = []
                for t in tokens {
                    position += 1
                    guard let v = SeriesValue.parse(t) else {
                        throw .invalidArgument("corpus token \(position) \"\(t)\" is not a number (a regression corpus is numbers separated by spaces)")
                    }
                    values.append(v)
                }
                if values.count >= 2 { sequences.append((.numbers(values), .nextNumbers(values))) }
            }
        }
        if config.lossOn == .lastStep {
            sequences = sequences.map { ($0.inputs, $0.targets.keepingOnlyLast()) }
        }
        self.sequences = sequences
        order = SeededGenerator(seed: config.seed ^ 0x5EC0_0E0C)
        var parameters = ModelParameters.initialized(
            cell: config.cell, task: config.task, vocabularySize: vocabulary.count,
            inputSize: config.task == .regression ? 1 : nil, embeddingSize: config.embeddingSize,
            hiddenSize: config.hiddenSize, layers: config.layers, seed: config.seed)
        if let bias = config.forgetBias, config.cell == .lstm {
            // Gate order i f g o: the forget gate's rows are H..<2H; b_hh's part is zeroed so b_ih + b_hh = bias.
            // Every layer's forget gate.
            let h = config.hiddenSize
            for k in parameters.layers.indices {
                for r in h..<(2 * h) {
                    parameters.layers[k].biasIH[r] = bias
                    parameters.layers[k].biasHH[r] = 0
                }
            }
        }
        model = RNNModel(parameters: parameters, tokenizer: config.tokenizer, vocabulary: Vocabulary(vocabulary), task: config.task)
        optimizer = Optimizer(kind: config.optimizer, learningRate: config.learningRate, parameters: parameters)
    }

    /// The estimated time of all `config.epochs` epochs over this corpus (see `TrainingCost`), before any.
    public var cost: TrainingCost {
        TrainingCost(config: config, sequenceLengths: sequences.map { $0.inputs.count }, vocabularySize: model.vocabulary.count)
    }

    /// Independent sequences the corpus holds.
    public var sequenceCount: Int { sequences.count }

    /// Steps with a target per epoch (what the loss is averaged over).
    public var stepsPerEpoch: Int { sequences.reduce(0) { $0 + $1.targets.targetCount } }

    /// Updates per epoch: one per chunk of `sequenceLength` steps that has a target, or one per batch.
    public var updatesPerEpoch: Int {
        if config.batchSize > 1 { return (sequences.count + config.batchSize - 1) / config.batchSize }
        return sequences.reduce(0) { total, sequence in
            total + chunks(of: sequence.inputs.count).filter { sequence.targets.slice($0).targetCount > 0 }.count
        }
    }

    /// Chunks of at most `sequenceLength` over a sequence's steps that can have a target (all but the last).
    private func chunks(of length: Int) -> [Range<Int>] {
        stride(from: 0, to: length - 1, by: config.sequenceLength).map { $0..<min($0 + config.sequenceLength, length - 1) }
    }

    /// Runs one epoch; returns its mean loss. `shouldStop` is asked before every chunk (so between
    /// updates, which are milliseconds apart for a lesson-sized model): when it says yes, the epoch ends
    /// there, unfinished and uncounted, and `wasStopped` is set.
    @discardableResult
    public mutating func trainEpoch(progress: ((TrainingProgress) -> Void)? = nil, shouldStop: (() -> Bool)? = nil) -> Double {
        var visit = Array(sequences.indices)
        order.shuffle(&visit)
        var total = 0.0, counted = 0, update = 0
        let updates = updatesPerEpoch
        // With batches: the target-weighted sum of the gradients since the last update, and its weight.
        var batch: (gradients: ModelParameters, targets: Int, loss: Double, sequences: Int)?

        func step(_ gradients: inout ModelParameters, loss: Double) {
            if let clip = config.clipNorm { gradients.clipGlobalNorm(clip) }
            optimizer.step(&model.parameters, gradients: gradients)
            update += 1
            progress?(TrainingProgress(epoch: epochLosses.count + 1, epochs: config.epochs, update: update,
                                       updatesPerEpoch: updates, loss: loss, tokensSeen: counted))
        }
        func finishBatch() {
            guard var b = batch else { return }
            let scale = Float(1) / Float(b.targets)
            b.gradients.apply { v in for i in v.indices { v[i] *= scale } }
            step(&b.gradients, loss: b.loss / Double(b.targets))
            batch = nil
        }

        for index in visit {
            let (inputs, targets) = sequences[index]
            var state = RecurrentState.zero(cell: config.cell, hiddenSize: config.hiddenSize, layers: config.layers)
            for range in chunks(of: inputs.count) {
                if let shouldStop, shouldStop() {
                    wasStopped = true
                    return counted > 0 ? total / Double(counted) : 0
                }
                let chunkInputs: SequenceInputs
                switch inputs {
                case .tokens(let ids): chunkInputs = .tokens(Array(ids[range]))
                case .numbers(let v): chunkInputs = .numbers(Array(v[range]))
                case .vectors: preconditionFailure("training reads tokens or numbers")
                }
                let chunkTargets = targets.slice(range)
                let forward = model.parameters.forward(chunkInputs, targets: chunkTargets, task: config.task, initialState: state)
                state = forward.finalState
                let targetCount = chunkTargets.targetCount
                // A chunk without a target (the long start of a many-to-one sequence) only carries the state.
                guard targetCount > 0 else { continue }
                var gradients = model.parameters.backward(forward).parameterGradients
                let loss = forward.meanLoss ?? 0
                total += loss * Double(targetCount)
                counted += targetCount
                if config.batchSize == 1 {
                    step(&gradients, loss: loss)
                    continue
                }
                // The chunk's gradient is of its mean loss: weight it by its targets to average over the batch.
                let weight = Float(targetCount)
                if batch == nil {
                    gradients.apply { v in for i in v.indices { v[i] *= weight } }
                    batch = (gradients, targetCount, loss * Double(targetCount), 0)
                } else {
                    batch!.gradients.apply(with: gradients) { sum, g in for i in sum.indices { sum[i] += weight * g[i] } }
                    batch!.targets += targetCount
                    batch!.loss += loss * Double(targetCount)
                }
            }
            if config.batchSize > 1, batch != nil {
                batch!.sequences += 1
                if batch!.sequences == config.batchSize { finishBatch() }
            }
        }
        finishBatch()
        let mean = counted > 0 ? total / Double(counted) : 0
        epochLosses.append(mean)
        return mean
    }

    /// Runs all configured epochs, or until `shouldStop` says yes (see `trainEpoch`).
    public mutating func train(progress: ((TrainingProgress) -> Void)? = nil, shouldStop: (() -> Bool)? = nil) {
        while !wasStopped, epochLosses.count < config.epochs { trainEpoch(progress: progress, shouldStop: shouldStop) }
    }
}
