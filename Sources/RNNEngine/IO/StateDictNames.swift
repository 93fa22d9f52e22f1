/// The state_dict name of each tensor of a model: rnnscope's own (`embedding.weight`, `rnn.weight_ih_l{k}` …,
/// `fc.weight`, `fc.bias`) or the ones a model file used (`model.encoder.lstm.weight_ih_l0`, `decoder.bias`
/// …), so that a gradient can be named as the user's own `state_dict()` names it.
public struct StateDictNames: Equatable, Sendable {
    public var embedding: String?
    /// Per recurrent layer, bottom first: weight_ih, weight_hh, bias_ih, bias_hh.
    public var layers: [[String]]
    public var headWeight: String
    public var headBias: String

    public init(embedding: String?, layers: [[String]], headWeight: String, headBias: String) {
        self.embedding = embedding
        self.layers = layers
        self.headWeight = headWeight
        self.headBias = headBias
    }

    /// The names rnnscope writes for a model of `layerCount` layers, with or without an embedding.
    public static func rnnscope(layerCount: Int, embedding: Bool) -> StateDictNames {
        StateDictNames(embedding: embedding ? "embedding.weight" : nil,
                       layers: (0..<layerCount).map { k in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"].map { "rnn.\($0)_l\(k)" } },
                       headWeight: "fc.weight", headBias: "fc.bias")
    }
}

extension RNNModel {
    /// The names of this model's tensors: the file's own when it was loaded from one that names them
    /// otherwise, else rnnscope's.
    public var stateDictNames: StateDictNames {
        fileNames ?? .rnnscope(layerCount: parameters.layers.count, embedding: parameters.embedding != nil)
    }
}
