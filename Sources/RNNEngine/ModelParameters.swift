/// Weights of one recurrent layer, in PyTorch's stacked layout.
///
/// Shapes (G = gate count, H = hidden size, E = input size):
/// `weightIH` [G·H, E], `weightHH` [G·H, H], `biasIH` [G·H], `biasHH` [G·H].
/// Gate blocks are stacked by rows in the order of `CellKind.gateNames`.
public struct RecurrentLayerWeights: Equatable, Sendable {
    public var weightIH: Matrix
    public var weightHH: Matrix
    public var biasIH: [Float]
    public var biasHH: [Float]

    public init(weightIH: Matrix, weightHH: Matrix, biasIH: [Float], biasHH: [Float]) {
        self.weightIH = weightIH
        self.weightHH = weightHH
        self.biasIH = biasIH
        self.biasHH = biasHH
    }

    public var inputSize: Int { weightIH.cols }
    public var hiddenSize: Int { weightHH.cols }

    public static func zeros(cell: CellKind, inputSize: Int, hiddenSize: Int) -> RecurrentLayerWeights {
        let gh = cell.gateCount * hiddenSize
        return RecurrentLayerWeights(
            weightIH: Matrix(zeros: gh, inputSize), weightHH: Matrix(zeros: gh, hiddenSize),
            biasIH: [Float](repeating: 0, count: gh), biasHH: [Float](repeating: 0, count: gh))
    }
}

/// What the model predicts: the next token (softmax + cross-entropy) or the next number (mean-squared error).
public enum ModelTask: String, Codable, Sendable {
    case classification
    case regression
}

/// Every learnable tensor of a model. Also used, with the same shapes, for gradients and optimizer state.
///
/// `layers` holds the stacked recurrent layers, bottom first (PyTorch's `num_layers`): layer 0 reads the
/// input (E columns), layer k ≥ 1 reads layer k−1's h (H columns); the head reads the top layer.
public struct ModelParameters: Equatable, Sendable {
    public var cell: CellKind
    /// Embedding [V, E]; nil means one-hot input over the vocabulary (E = V) or raw numbers (regression).
    public var embedding: Matrix?
    public var layers: [RecurrentLayerWeights]
    /// Linear head [outputs, H] and its bias [outputs].
    public var headWeight: Matrix
    public var headBias: [Float]

    public init(cell: CellKind, embedding: Matrix?, layers: [RecurrentLayerWeights], headWeight: Matrix, headBias: [Float]) {
        self.cell = cell
        self.embedding = embedding
        self.layers = layers
        self.headWeight = headWeight
        self.headBias = headBias
    }

    public var inputSize: Int { layers[0].inputSize }
    public var numLayers: Int { layers.count }
    public var hiddenSize: Int { layers[layers.count - 1].hiddenSize }
    public var outputSize: Int { headWeight.rows }

    /// A same-shaped set of zeros (gradient accumulators, optimizer state).
    public func zeros() -> ModelParameters {
        var copy = self
        copy.apply { values in for i in values.indices { values[i] = 0 } }
        return copy
    }

    /// Total number of learnable numbers.
    public var parameterCount: Int {
        var n = 0
        forEach { _, v in n += v.count }
        return n
    }

    /// Visits every tensor with its PyTorch state_dict name (layer suffix `_l0` …).
    public func forEach(_ body: (String, [Float]) -> Void) {
        if let e = embedding { body("embedding.weight", e.values) }
        for (l, layer) in layers.enumerated() {
            body("rnn.weight_ih_l\(l)", layer.weightIH.values)
            body("rnn.weight_hh_l\(l)", layer.weightHH.values)
            body("rnn.bias_ih_l\(l)", layer.biasIH)
            body("rnn.bias_hh_l\(l)", layer.biasHH)
        }
        body("fc.weight", headWeight.values)
        body("fc.bias", headBias)
    }

    /// Mutates every tensor's values in place, in the same order as `forEach`.
    public mutating func apply(_ body: (inout [Float]) -> Void) {
        if embedding != nil { body(&embedding!.values) }
        for l in layers.indices {
            body(&layers[l].weightIH.values)
            body(&layers[l].weightHH.values)
            body(&layers[l].biasIH)
            body(&layers[l].biasHH)
        }
        body(&headWeight.values)
        body(&headBias)
    }

    /// Mutates every tensor together with the matching tensor of `other` (same shapes), in `forEach` order.
    public mutating func apply(with other: ModelParameters, _ body: (inout [Float], [Float]) -> Void) {
        if embedding != nil, let o = other.embedding { body(&embedding!.values, o.values) }
        for l in layers.indices {
            body(&layers[l].weightIH.values, other.layers[l].weightIH.values)
            body(&layers[l].weightHH.values, other.layers[l].weightHH.values)
            body(&layers[l].biasIH, other.layers[l].biasIH)
            body(&layers[l].biasHH, other.layers[l].biasHH)
        }
        body(&headWeight.values, other.headWeight.values)
        body(&headBias, other.headBias)
    }
}
