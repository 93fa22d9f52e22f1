import Foundation

extension RNNModel {
    /// Generates `count` tokens after reading `prime`, each drawn from softmax(logits / temperature).
    /// Temperature → 0 approaches always taking the most likely token; 1 samples the model's own
    /// distribution; above 1 flattens it. Deterministic from `seed`. Returns the generated tokens.
    public func sample(prime: String, count: Int, temperature: Double, seed: UInt64) throws(EngineError) -> [String] {
        guard task == .classification else { throw .invalidArgument("sampling text needs a model that predicts tokens") }
        guard temperature > 0, temperature.isFinite else { throw .invalidArgument("temperature must be a positive number, got \(temperature)") }
        var rng = SeededGenerator(seed: seed)
        let primeIDs = try vocabulary.encode(tokenizer.tokenize(prime))
        var state = RecurrentState.zero(cell: cell, hiddenSize: parameters.hiddenSize, layers: parameters.numLayers)
        var next: Int
        if primeIDs.isEmpty {
            next = 0
        } else {
            let f = parameters.forward(.tokens(primeIDs), targets: .tokens(primeIDs.map { _ in nil }), task: task)
            state = f.finalState
            next = draw(logits: f.logits(primeIDs.count - 1), temperature: temperature, rng: &rng)
        }
        var out: [String] = []
        for _ in 0..<count {
            out.append(vocabulary.tokens[next])
            let f = parameters.forward(.tokens([next]), targets: .tokens([nil]), task: task, initialState: state)
            state = f.finalState
            next = draw(logits: f.logits(0), temperature: temperature, rng: &rng)
        }
        return out
    }

    private func draw(logits: ArraySlice<Float>, temperature: Double, rng: inout SeededGenerator) -> Int {
        let probabilities = Softmax.probabilities(logits: logits.map(Double.init), temperature: temperature)
        // A NaN or infinite logit leaves no distribution to draw from: take the largest finite choice.
        guard probabilities.allSatisfy(\.isFinite) else { return logits.indices.max { logits[$0] < logits[$1] }! - logits.startIndex }
        var r = Double(rng.next() >> 11) / Double(1 << 53)
        for (i, p) in probabilities.enumerated() {
            r -= p
            if r < 0 { return i }
        }
        return probabilities.count - 1
    }
}
