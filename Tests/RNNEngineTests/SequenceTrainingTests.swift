import Foundation
import Testing
@testable import RNNEngine

/// Training on many independent sequences: each read from the zero state, losses where the task puts them.
@Suite("Training on independent sequences")
struct SequenceTrainingTests {
    /// One line of a remember-the-first-word task: the key, fillers, the key again.
    static let recallCorpus = (0..<60).map { i -> String in
        let key = ["red", "blue", "green"][(i * 7 + i / 3) % 3]
        return "\(key) w w w \(key)"
    }.joined(separator: "\n")

    @Test func perLineCountsSequencesTargetsAndUpdates() throws {
        let corpus = "a b c\n\nd e\nf"
        var config = TrainingConfig(cell: .rnnTanh, tokenizer: .word, hiddenSize: 3, epochs: 1, sequenceLength: 1, seed: 1,
                                    sequences: .perLine)
        let trainer = try Trainer(corpus: corpus, config: config)
        // "f" alone has nothing to predict: two sequences, 2 + 1 targets, one update per step with a target.
        #expect(trainer.sequenceCount == 2)
        #expect(trainer.stepsPerEpoch == 3)
        #expect(trainer.updatesPerEpoch == 3)
        #expect(trainer.model.vocabulary.tokens == ["a", "b", "c", "d", "e", "f"])
        config.lossOn = .lastStep
        let lastOnly = try Trainer(corpus: corpus, config: config)
        #expect(lastOnly.stepsPerEpoch == 2)
        #expect(lastOnly.updatesPerEpoch == 2)
        config.batchSize = 2
        #expect(try Trainer(corpus: corpus, config: config).updatesPerEpoch == 1)
    }

    @Test func wholeCorpusTrainingIsUnchangedByTheSequenceMachinery() throws {
        // The default (one text, state carried, every step) must give the weights of a hand-rolled loop.
        let corpus = "I love AI and AI loves me . I love AI"
        let config = TrainingConfig(cell: .lstm, tokenizer: .word, hiddenSize: 4, epochs: 2, sequenceLength: 3, seed: 3)
        var trainer = try Trainer(corpus: corpus, config: config)
        trainer.train()

        let tokens = config.tokenizer.tokenize(corpus)
        var vocabulary: [String] = []
        for t in tokens where !vocabulary.contains(t) { vocabulary.append(t) }
        let ids = try Vocabulary(vocabulary).encode(tokens)
        var parameters = ModelParameters.initialized(cell: .lstm, vocabularySize: vocabulary.count, embeddingSize: nil,
                                                     hiddenSize: 4, seed: 3)
        var optimizer = Optimizer(kind: .adam, learningRate: config.learningRate, parameters: parameters)
        let next = SequenceTargets.nextTokens(ids)
        for _ in 0..<2 {
            var state = RecurrentState.zero(cell: .lstm, hiddenSize: 4)
            for start in stride(from: 0, to: ids.count - 1, by: 3) {
                let range = start..<min(start + 3, ids.count - 1)
                let forward = parameters.forward(.tokens(Array(ids[range])), targets: next.slice(range), task: .classification,
                                                 initialState: state)
                var backward = parameters.backward(forward)
                backward.clipGradients(maxNorm: 5)
                optimizer.step(&parameters, gradients: backward.parameterGradients)
                state = forward.finalState
            }
        }
        #expect(trainer.model.parameters == parameters)
    }

    @Test func eachLineStartsFromTheZeroState() throws {
        // Two lines that are the same sequence: with a reset per line, one epoch over them equals two updates
        // on that sequence alone; carrying the state over would start the second from a non-zero state.
        let config = TrainingConfig(cell: .gru, tokenizer: .word, hiddenSize: 4, epochs: 1, sequenceLength: 10, seed: 2,
                                    sequences: .perLine)
        var twice = try Trainer(corpus: "a b c a\na b c a", config: config)
        twice.train()
        var once = try Trainer(corpus: "a b c a", config: TrainingConfig(cell: .gru, tokenizer: .word, hiddenSize: 4,
                                                                        epochs: 2, sequenceLength: 10, seed: 2))
        once.train()
        #expect(twice.model.parameters == once.model.parameters)
    }

    @Test func aBatchAveragesItsSequences() throws {
        // Two identical lines in one batch average to the gradient of one: one update equal to a lone line's.
        var batched = try Trainer(corpus: "a b c\na b c", config: TrainingConfig(
            cell: .rnnTanh, tokenizer: .word, hiddenSize: 3, epochs: 1, sequenceLength: 10, clipNorm: nil, seed: 4,
            sequences: .perLine, batchSize: 2))
        batched.train()
        var single = try Trainer(corpus: "a b c", config: TrainingConfig(
            cell: .rnnTanh, tokenizer: .word, hiddenSize: 3, epochs: 1, sequenceLength: 10, clipNorm: nil, seed: 4))
        single.train()
        let difference = zip(batched.model.parameters.flattenedValues, single.model.parameters.flattenedValues)
            .map { abs($0 - $1) }.max() ?? 1
        #expect(difference < 1e-6, "largest difference \(difference)")
    }

    @Test func anLSTMLearnsRecallWhenTrainedFromTheZeroState() throws {
        var trainer = try Trainer(corpus: Self.recallCorpus, config: TrainingConfig(
            cell: .lstm, tokenizer: .word, hiddenSize: 8, epochs: 15, sequenceLength: 10, learningRate: 0.02, seed: 1,
            sequences: .perLine, lossOn: .lastStep))
        trainer.train()
        for key in ["red", "blue", "green"] {
            let forward = try trainer.model.run("\(key) w w w \(key)").forward
            let p = forward.probabilities(3)
            #expect(p[p.startIndex + trainer.model.vocabulary.id(of: key)!] > 0.8, "p(\(key)) at the recall step")
        }
    }

    @Test func forgetBiasOpensTheLSTMForgetGate() throws {
        let trainer = try Trainer(corpus: "a b a b", config: TrainingConfig(cell: .lstm, tokenizer: .word, hiddenSize: 3,
                                                                           epochs: 0, seed: 1, forgetBias: 3))
        let layer = trainer.model.parameters.layers[0]
        #expect(Array(layer.biasIH[3..<6]) == [3, 3, 3])
        #expect(Array(layer.biasHH[3..<6]) == [0, 0, 0])
        // The other gates keep PyTorch's random start.
        #expect(layer.biasIH[0..<3].contains { $0 != 3 })
    }

    @Test func theSeededShuffleIsPinned() {
        // Written out (not the standard library's shuffle), so every Swift version visits lines in this order.
        var generator = SeededGenerator(seed: 42)
        var values = Array(0..<8)
        generator.shuffle(&values)
        #expect(values == Self.pinnedShuffle)
    }

    static let pinnedShuffle = [7, 2, 4, 0, 3, 5, 1, 6]

    @Test func badBatchSizesAreNamed() {
        #expect(throws: EngineError.invalidArgument("batch size must be between 1 and 10000, got 0")) {
            try Trainer(corpus: "a b", config: TrainingConfig(cell: .lstm, tokenizer: .word, batchSize: 0))
        }
        #expect(throws: EngineError.invalidArgument("no line of the corpus has 2 tokens or more: each line is a sequence, and a sequence needs 2 tokens to learn from")) {
            try Trainer(corpus: "a\nb", config: TrainingConfig(cell: .lstm, tokenizer: .word, sequences: .perLine))
        }
    }
}

extension ModelParameters {
    /// Every value of every tensor, in `forEach` order.
    var flattenedValues: [Float] {
        var all: [Float] = []
        forEach { _, v in all += v }
        return all
    }
}
