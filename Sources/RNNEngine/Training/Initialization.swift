extension ModelParameters {
    /// A freshly initialised model, the way PyTorch initialises `nn.RNN`/`nn.LSTM`/`nn.GRU` (every weight and
    /// bias uniform in ±1/√H), `nn.Linear` (weight and bias uniform in ±1/√H for H inputs) and `nn.Embedding`
    /// (standard normal). Deterministic from `seed`.
    ///
    /// - Parameters:
    ///   - embeddingSize: E for an embedding over `vocabularySize` tokens; nil for one-hot input (E = V), or
    ///     for regression, where `inputSize` numbers are read per step.
    ///   - layers: stacked recurrent layers (PyTorch's `num_layers`), drawn bottom first after the embedding
    ///     and before the head, so a one-layer model draws exactly what it always did.
    public static func initialized(cell: CellKind, task: ModelTask = .classification, vocabularySize: Int,
                                   inputSize: Int? = nil, embeddingSize: Int?, hiddenSize: Int,
                                   outputSize: Int? = nil, layers layerCount: Int = 1, seed: UInt64) -> ModelParameters {
        var rng = SeededGenerator(seed: seed)
        let e = embeddingSize ?? inputSize ?? vocabularySize
        let outputs = outputSize ?? (task == .regression ? 1 : vocabularySize)
        let bound = 1 / Float(hiddenSize).squareRoot()
        func uniform(_ count: Int) -> [Float] { (0..<count).map { _ in rng.uniform(-bound, bound) } }

        var embedding: Matrix?
        if let embeddingSize {
            embedding = Matrix(rows: vocabularySize, cols: embeddingSize,
                               values: (0..<(vocabularySize * embeddingSize)).map { _ in rng.normal() })
        }
        let gh = cell.gateCount * hiddenSize
        var layers: [RecurrentLayerWeights] = []
        for k in 0..<max(1, layerCount) {
            let inputs = k == 0 ? e : hiddenSize
            layers.append(RecurrentLayerWeights(
                weightIH: Matrix(rows: gh, cols: inputs, values: uniform(gh * inputs)),
                weightHH: Matrix(rows: gh, cols: hiddenSize, values: uniform(gh * hiddenSize)),
                biasIH: uniform(gh), biasHH: uniform(gh)))
        }
        let headWeight = Matrix(rows: outputs, cols: hiddenSize, values: uniform(outputs * hiddenSize))
        return ModelParameters(cell: cell, embedding: embedding, layers: layers, headWeight: headWeight,
                               headBias: uniform(outputs))
    }
}
