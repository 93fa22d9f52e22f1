import Foundation
import Testing
@testable import RNNEngine

@Suite("Training")
struct TrainingTests {
    static let corpus = "I love AI and AI loves me . I love AI and AI loves me . I love AI and AI loves me ."

    @Test(arguments: OptimizerKind.allCases)
    func lossFallsWithEveryOptimizer(_ optimizer: OptimizerKind) throws {
        for cell in CellKind.allCases {
            var trainer = try Trainer(corpus: Self.corpus, config: TrainingConfig(
                cell: cell, tokenizer: .word, hiddenSize: 8, embeddingSize: 4, epochs: 30, sequenceLength: 6,
                optimizer: optimizer, seed: 5))
            trainer.train()
            let first = trainer.epochLosses.first!, last = trainer.epochLosses.last!
            #expect(last < first * 0.5, "\(cell) \(optimizer): loss \(first) → \(last)")
        }
    }

    @Test func sameSeedGivesIdenticalWeightsAndSamples() throws {
        let config = TrainingConfig(cell: .gru, tokenizer: .char, hiddenSize: 6, epochs: 3, sequenceLength: 10, seed: 9)
        var a = try Trainer(corpus: Self.corpus, config: config)
        var b = try Trainer(corpus: Self.corpus, config: config)
        a.train()
        b.train()
        #expect(a.model == b.model)
        let sa = try a.model.sample(prime: "I", count: 20, temperature: 0.8, seed: 3)
        let sb = try b.model.sample(prime: "I", count: 20, temperature: 0.8, seed: 3)
        #expect(sa == sb)
        var other = config
        other.seed = 10
        var c = try Trainer(corpus: Self.corpus, config: other)
        c.train()
        #expect(c.model != a.model)
    }

    @Test func regressionLearnsASine() throws {
        let series = (0..<120).map { String(format: "%.3f", sin(Double($0) * 0.3)) }.joined(separator: " ")
        var trainer = try Trainer(corpus: series, config: TrainingConfig(
            cell: .lstm, task: .regression, tokenizer: .word, hiddenSize: 8, epochs: 40, sequenceLength: 20,
            optimizer: .adam, learningRate: 0.02, seed: 2))
        trainer.train()
        #expect(trainer.epochLosses.last! < 0.05, "MSE after training: \(trainer.epochLosses.last!)")
        #expect(trainer.epochLosses.last! < trainer.epochLosses.first! / 4)
    }

    @Test func lowTemperatureFollowsTheMostLikelyToken() throws {
        var trainer = try Trainer(corpus: Self.corpus, config: TrainingConfig(
            cell: .lstm, tokenizer: .word, hiddenSize: 16, embeddingSize: 8, epochs: 60, sequenceLength: 8, seed: 4))
        trainer.train()
        let text = try trainer.model.sample(prime: "I love", count: 4, temperature: 0.01, seed: 1)
        #expect(text == ["AI", "and", "AI", "loves"])
    }

    @Test func badSettingsAreNamed() {
        #expect(throws: EngineError.invalidArgument("hidden size must be between 1 and 4096, got 0")) {
            try Trainer(corpus: "a b", config: TrainingConfig(cell: .lstm, hiddenSize: 0))
        }
        #expect(throws: EngineError.invalidArgument("the corpus needs at least 2 tokens to learn from, it has 1")) {
            try Trainer(corpus: "a", config: TrainingConfig(cell: .lstm, tokenizer: .word))
        }
    }

    /// `shouldStop` ends training between updates; the unfinished epoch is not counted.
    @Test func shouldStopEndsTrainingBetweenUpdates() throws {
        var trainer = try Trainer(corpus: Self.corpus, config: TrainingConfig(cell: .rnnTanh, hiddenSize: 8, epochs: 50, sequenceLength: 4))
        var updates = 0
        trainer.train(progress: { _ in updates += 1 }, shouldStop: { updates >= 3 })
        #expect(trainer.wasStopped)
        #expect(updates == 3)
        #expect(trainer.epochLosses.count < 50)
    }
}
