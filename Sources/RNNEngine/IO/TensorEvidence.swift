/// What a model file's tensors alone say about the model, so a message about missing metadata can say it
/// back and fill in the line that adds it. Nothing here decides how the model runs: the metadata does.
struct TensorEvidence {
    /// The cells whose PyTorch layout fits weight_hh (G·H rows of H columns): one for an LSTM (G = 4) or a
    /// GRU (G = 3), both plain RNNs for G = 1 (tanh and relu have the same tensors), none for other shapes.
    var cells: [CellKind]
    var layerCount: Int
    var hidden: Int?
    /// weight_ih_l0's columns: the embedding width, or the one-hot vocabulary size.
    var inputSize: Int?
    /// The output layer's rows: the vocabulary size of a token model.
    var outputs: Int?
    /// The embedding's [rows, columns], when the file has one.
    var embeddingShape: [Int]?
    var headWeight: String
    var weightIH: String
    var weightHH: String
    var weightHHShape: [Int]?
    /// The recurrent module as Python reaches it from the saved module: `model.rnn`, `model.layers[0].lstm`.
    var recurrentModule: String

    init(_ tensors: [String: SafetensorsFile.Tensor], names: ModelTensorNames) {
        func shape(_ name: String) -> [Int]? {
            guard let s = tensors[name]?.shape, s.count == 2 else { return nil }
            return s
        }
        let hh = shape(names.weightHH)
        if let hh, hh[1] > 0, hh[0] % hh[1] == 0 {
            cells = CellKind.allCases.filter { $0.gateCount == hh[0] / hh[1] }
        } else {
            cells = []
        }
        layerCount = names.layers.count
        hidden = hh?[1]
        inputSize = shape(names.weightIH)?[1]
        outputs = shape(names.headWeight)?[0]
        embeddingShape = names.embedding.flatMap(shape)
        headWeight = names.headWeight
        weightIH = names.weightIH
        weightHH = names.weightHH
        weightHHShape = tensors[names.weightHH]?.shape
        let prefix = names.weightIH.dropLast("weight_ih_l0".count).split(separator: ".")
        recurrentModule = "model" + prefix.map { Int($0) != nil ? "[\($0)]" : ".\($0)" }.joined()
    }

    /// No embedding, one input and one output: a model of a number series (`task: regression`).
    var looksLikeRegression: Bool { embeddingShape == nil && inputSize == 1 && outputs == 1 }

    /// No embedding tensor, but the recurrent layer reads H inputs and the output layer is [V, H]: the
    /// embedding was tied to the output layer (`decoder.weight = encoder.weight`) and only one copy was saved.
    var looksTied: Bool {
        guard embeddingShape == nil, let inputSize, let outputs, let hidden else { return false }
        return inputSize == hidden && inputSize != outputs
    }

    /// "an LSTM, 1 layer of hidden size 32, reading an embedding of 29 tokens × 16, with 29 outputs".
    var summary: String {
        var text: String
        switch cells.count {
        case 1: text = (cells[0] == .lstm ? "an " : "a ") + cells[0].displayName
        case 0: text = "a recurrent model"
        default: text = "a plain RNN (tanh or ReLU: the tensors are the same for both)"
        }
        text += ", \(layerCount) layer\(layerCount == 1 ? "" : "s")"
        if let hidden { text += " of hidden size \(hidden)" }
        if let e = embeddingShape {
            text += ", reading an embedding of \(e[0]) tokens × \(e[1])"
        } else if let inputSize {
            text += ", reading \(inputSize) input\(inputSize == 1 ? "" : "s") per step"
            if inputSize > 1 && inputSize == outputs { text += " (one-hot tokens)" }
        }
        if let outputs { text += ", with \(outputs) output\(outputs == 1 ? "" : "s")" }
        return text
    }
}
