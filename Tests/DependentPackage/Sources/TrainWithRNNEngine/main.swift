import RNNEngine
import Foundation

// Trains a small LSTM on a repeating text through the public API only and prints the first and last epoch's
// mean loss; exits with status 1 unless training lowered it.
let config = TrainingConfig(cell: .lstm, hiddenSize: 16, epochs: 10, sequenceLength: 12, seed: 7)
do {
    var trainer = try Trainer(corpus: String(repeating: "hello world ", count: 20), config: config)
    trainer.train()
    let first = trainer.epochLosses.first ?? .nan, last = trainer.epochLosses.last ?? .nan
    print("lstm loss \(first) -> \(last)")
    if !(last < first) { exit(1) }
} catch {
    print("error: \(error)")
    exit(1)
}
