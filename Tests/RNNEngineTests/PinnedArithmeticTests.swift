import Foundation
import Testing
@testable import RNNEngine

/// The exact bits a short, seeded training run produces, per cell. Every build of the engine must do
/// the same float32 arithmetic (no fused multiply–add, no reordered sums), or lessons would show
/// different numbers in different builds; any change of arithmetic anywhere in forward, BPTT, the
/// losses or the optimizers changes these hashes. If a change of arithmetic is intended, update the
/// hashes and say so in the commit.
@Suite("Pinned training arithmetic")
struct PinnedArithmeticTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let config: TrainingConfig
        let corpus: String
        /// FNV-1a of the trained model's .safetensors bytes (every weight's bit pattern, in file order).
        let weightsHash: UInt64
        /// Bit pattern of the last epoch's mean loss.
        let lastLossBits: UInt64
        var testDescription: String { "\(config.cell.rawValue) \(config.task.rawValue) \(config.optimizer.rawValue)" }
    }

    static let words = "I love AI and AI loves me . you love me and I love music . AI loves music ."
    static let series = (0..<40).map { String(format: "%.2f", sin(Double($0) * 0.4)) }.joined(separator: " ")

    // Sizes off the 8-float SIMD blocks (H = 10, E = 5) run the full and the partial-block code paths;
    // each optimizer and both heads appear once.
    static let cases: [Case] = [
        Case(config: TrainingConfig(cell: .rnnTanh, tokenizer: .word, hiddenSize: 10, epochs: 3, sequenceLength: 7,
                                    optimizer: .adagrad, seed: 11),
             corpus: words, weightsHash: 0x943c0a9bcc102223, lastLossBits: 0x3ff6a144ac7a76b6),
        Case(config: TrainingConfig(cell: .lstm, tokenizer: .word, hiddenSize: 10, embeddingSize: 5, epochs: 3,
                                    sequenceLength: 7, optimizer: .adam, seed: 12),
             corpus: words, weightsHash: 0xf0217b387849c066, lastLossBits: 0x40015b69552f4327),
        Case(config: TrainingConfig(cell: .gru, tokenizer: .char, hiddenSize: 10, embeddingSize: 5, epochs: 2,
                                    sequenceLength: 9, optimizer: .sgd, seed: 13),
             corpus: words, weightsHash: 0xdeaaf8bbce09dc31, lastLossBits: 0x4003d1eb5d32053b),
        Case(config: TrainingConfig(cell: .lstm, task: .regression, tokenizer: .word, hiddenSize: 10, epochs: 3,
                                    sequenceLength: 8, optimizer: .adam, clipNorm: 0.5, seed: 14),
             corpus: series, weightsHash: 0xc89d111592634e29, lastLossBits: 0x3fda5b383a12a0cb),
    ]

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    @Test(arguments: cases)
    func trainedWeightsHaveTheirPinnedBits(_ pinned: Case) throws {
        var trainer = try Trainer(corpus: pinned.corpus, config: pinned.config)
        trainer.train()
        let hash = Self.fnv1a(try trainer.model.safetensors().encoded())
        let lastLoss = try #require(trainer.epochLosses.last)
        #expect(hash == pinned.weightsHash, "weights hash 0x\(String(hash, radix: 16))")
        #expect(lastLoss.bitPattern == pinned.lastLossBits, "last loss \(lastLoss), bits 0x\(String(lastLoss.bitPattern, radix: 16))")
    }

    @Test func theHashSeesASingleBitOfOneWeight() throws {
        var trainer = try Trainer(corpus: Self.words, config: Self.cases[0].config)
        trainer.train()
        var model = trainer.model
        let before = Self.fnv1a(try model.safetensors().encoded())
        model.parameters.layers[0].weightHH.values[3] = Float(bitPattern: model.parameters.layers[0].weightHH.values[3].bitPattern ^ 1)
        #expect(Self.fnv1a(try model.safetensors().encoded()) != before)
    }
}
