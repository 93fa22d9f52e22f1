/// Model files: safetensors with PyTorch state_dict names and rnnscope's metadata.
///
/// A model `nn.Module` with attributes `embedding` (optional `nn.Embedding`), `rnn` (`nn.RNN`/`nn.LSTM`/
/// `nn.GRU`, `num_layers` 1…4, unidirectional, `batch_first` irrelevant) and `fc` (`nn.Linear`) saved with
/// `safetensors.torch.save_file(model.state_dict(), path, metadata={...})` loads here, and what we save
/// loads back into such a module with `load_state_dict`. On reading, any name prefix works
/// (`model.lstm.weight_ih_l0`, `head.weight`, …): see `ModelTensorNames`.
///
/// Metadata (all strings): `cell` = rnn_tanh | rnn_relu | lstm | gru (the tensors cannot tell relu from
/// tanh, so the metadata always says which); `tokenizer` = word | char; `vocab` = JSON array
/// of token strings (token id = index); optional `task` = classification (default) | regression.
/// `ModelMetadata` reads them and reports everything missing at once, with the line that adds it.
extension RNNModel {
    /// Metadata keys rnnscope reads and writes.
    public enum MetadataKey {
        public static let cell = "cell"
        public static let tokenizer = "tokenizer"
        public static let vocab = "vocab"
        public static let task = "task"
    }

    /// Reads and checks a model file; every problem is one `EngineError.file` line naming the file.
    public static func load(contentsOf path: String) throws(EngineError) -> RNNModel {
        try RNNModel(safetensors: SafetensorsFile(contentsOf: path), path: path)
    }

    /// Writes the model atomically (temporary file + rename) with PyTorch state_dict names.
    public func save(to path: String) throws(EngineError) {
        try safetensors().write(to: path)
    }

    /// The model as safetensors contents: `embedding.weight` (if any), `rnn.weight_ih_l{k}`,
    /// `rnn.weight_hh_l{k}`, `rnn.bias_ih_l{k}`, `rnn.bias_hh_l{k}` for every layer k, `fc.weight`, `fc.bias`,
    /// plus metadata.
    /// The vocab is written as Python's `json.dumps` would, so PyTorch-made files round-trip byte for byte.
    public func safetensors() -> SafetensorsFile {
        typealias T = SafetensorsFile.Tensor
        var tensors: [String: T] = [:]
        let p = parameters
        let names = StateDictNames.rnnscope(layerCount: p.layers.count, embedding: p.embedding != nil)
        if let e = p.embedding, let name = names.embedding { tensors[name] = T(shape: e.shape, values: e.values) }
        for (layer, n) in zip(p.layers, names.layers) {
            tensors[n[0]] = T(shape: layer.weightIH.shape, values: layer.weightIH.values)
            tensors[n[1]] = T(shape: layer.weightHH.shape, values: layer.weightHH.values)
            tensors[n[2]] = T(shape: [layer.biasIH.count], values: layer.biasIH)
            tensors[n[3]] = T(shape: [layer.biasHH.count], values: layer.biasHH)
        }
        tensors[names.headWeight] = T(shape: p.headWeight.shape, values: p.headWeight.values)
        tensors[names.headBias] = T(shape: [p.headBias.count], values: p.headBias)

        var metadata = [MetadataKey.cell: cell.rawValue, MetadataKey.tokenizer: tokenizer.rawValue]
        switch task {
        case .classification:
            metadata[MetadataKey.vocab] = JSONText.pythonStyleArray(vocabulary.tokens)
        case .regression:
            metadata[MetadataKey.task] = task.rawValue
        }
        return SafetensorsFile(metadata: metadata, tensors: tensors)
    }

    /// Builds a model from safetensors contents, checking metadata, names and every shape.
    /// `path` names the file in error messages.
    public init(safetensors file: SafetensorsFile, path: String) throws(EngineError) {
        func fail(_ problem: String) -> EngineError { .file(path: path, problem: problem) }

        let names = try ModelTensorNames(file.tensors, fail: fail)
        let t = file.tensors

        // MARK: Metadata
        let evidence = TensorEvidence(t, names: names)
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let metadata = try ModelMetadata(file.metadata, evidence: evidence, fileName: fileName, fail: fail)
        let (cell, task, tokenizer, vocabulary) = (metadata.cell, metadata.task, metadata.tokenizer, metadata.vocabulary)

        // MARK: Shapes
        let g = cell.gateCount
        func describe(_ name: String) -> String {
            "tensor \(JSONText.quoted(name)) has shape \(t[name]?.shape ?? [])"
        }
        func matrixShape(_ name: String) throws(EngineError) -> (rows: Int, cols: Int) {
            guard let s = t[name]?.shape, s.count == 2 else { throw fail("\(describe(name)); expected a matrix (2 dimensions)") }
            return (s[0], s[1])
        }
        func vectorLength(_ name: String) throws(EngineError) -> Int {
            guard let s = t[name]?.shape, s.count == 1 else { throw fail("\(describe(name)); expected a vector (1 dimension)") }
            return s[0]
        }

        let hh = try matrixShape(names.weightHH)
        let hidden = hh.cols
        guard hidden > 0 else { throw fail("\(describe(names.weightHH)): the hidden size is 0") }
        let gh = g * hidden
        guard hh.rows == gh else {
            var hint = ""
            let others = hh.rows % hidden == 0 ? Self.cells(withGateCount: hh.rows / hidden) : []
            if !others.isEmpty {
                hint = " (that shape fits \(others.map(Self.withArticle).joined(separator: " or ")): is the cell metadata right?)"
            }
            throw fail("\(describe(names.weightHH)), but \(Self.withArticle(cell)) with hidden size \(hidden) needs [\(gh), \(hidden)]: \(g) gate block\(g == 1 ? "" : "s") of \(hidden) rows\(hint)")
        }
        let ih = try matrixShape(names.weightIH)
        let inputSize = ih.cols
        guard ih.rows == gh, inputSize > 0 else {
            throw fail("\(describe(names.weightIH)), but \(Self.withArticle(cell)) with hidden size \(hidden) needs [\(gh), E] with E ≥ 1")
        }
        for name in [names.layers[0].biasIH, names.layers[0].biasHH] {
            guard try vectorLength(name) == gh else {
                throw fail("\(describe(name)), but \(Self.withArticle(cell)) with hidden size \(hidden) needs [\(gh)]")
            }
        }
        // Stacked layers: layer k ≥ 1 reads layer k−1's h, so every matrix is [G·H, H].
        for (k, layer) in names.layers.enumerated().dropFirst() {
            for name in [layer.weightIH, layer.weightHH] {
                let m = try matrixShape(name)
                guard m.rows == gh, m.cols == hidden else {
                    throw fail("\(describe(name)), but layer \(k) of \(Self.withArticle(cell)) with hidden size \(hidden) needs [\(gh), \(hidden)] (it reads layer \(k - 1)'s h)")
                }
            }
            for name in [layer.biasIH, layer.biasHH] {
                guard try vectorLength(name) == gh else {
                    throw fail("\(describe(name)), but layer \(k) of \(Self.withArticle(cell)) with hidden size \(hidden) needs [\(gh)]")
                }
            }
        }
        let head = try matrixShape(names.headWeight)
        guard head.cols == hidden, head.rows > 0 else {
            throw fail("\(describe(names.headWeight)), but the output layer needs [outputs, \(hidden)] to read the hidden size \(hidden)")
        }
        guard try vectorLength(names.headBias) == head.rows else {
            throw fail("\(describe(names.headBias)), but the output layer has \(head.rows) outputs (\(JSONText.quoted(names.headWeight)) is \([head.rows, head.cols]))")
        }

        switch task {
        case .classification:
            let v = vocabulary.count
            guard head.rows == v else {
                throw fail("\(describe(names.headWeight)): \(head.rows) outputs but the vocab has \(v) tokens (expected [\(v), \(hidden)])")
            }
            if let embeddingName = names.embedding {
                let e = try matrixShape(embeddingName)
                guard e.rows == v else {
                    throw fail("\(describe(embeddingName)): \(e.rows) rows but the vocab has \(v) tokens (expected [\(v), \(inputSize)])")
                }
                guard e.cols == inputSize else {
                    throw fail("\(describe(embeddingName)): \(e.cols) columns but \(JSONText.quoted(names.weightIH)) reads \(inputSize) inputs (expected [\(v), \(inputSize)])")
                }
            } else if inputSize != v {
                throw fail("\(describe(names.weightIH)) and there is no embedding, so the input is one-hot over the \(v) vocab tokens and needs \(v) columns, not \(inputSize)")
            }
        case .regression:
            if let embeddingName = names.embedding {
                throw fail("tensor \(JSONText.quoted(embeddingName)) is an embedding, but a regression model reads numbers, not tokens")
            }
            guard inputSize == 1 else {
                throw fail("\(describe(names.weightIH)), but a regression model reads one number per step (expected [\(gh), 1])")
            }
            guard head.rows == 1 else {
                throw fail("\(describe(names.headWeight)), but a regression model predicts one number (expected [1, \(hidden)])")
            }
        }

        // MARK: Values
        for name in names.all {
            guard let values = t[name]?.values else { continue }
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw fail("tensor \(JSONText.quoted(name)) holds \(values[bad]) at index \(bad); every weight must be a finite number")
            }
        }
        func matrix(_ name: String) -> Matrix {
            let tensor = t[name]
            let shape = tensor?.shape ?? [0, 0]
            return Matrix(rows: shape[0], cols: shape[1], values: tensor?.values ?? [])
        }
        let layers = names.layers.map { layer in
            RecurrentLayerWeights(
                weightIH: matrix(layer.weightIH), weightHH: matrix(layer.weightHH),
                biasIH: t[layer.biasIH]?.values ?? [], biasHH: t[layer.biasHH]?.values ?? [])
        }
        let parameters = ModelParameters(
            cell: cell, embedding: names.embedding.map(matrix), layers: layers,
            headWeight: matrix(names.headWeight), headBias: t[names.headBias]?.values ?? [])
        self.init(parameters: parameters, tokenizer: tokenizer, vocabulary: vocabulary, task: task)
        let found = StateDictNames(embedding: names.embedding, layers: names.layers.map(\.all),
                                   headWeight: names.headWeight, headBias: names.headBias)
        if found != stateDictNames { fileNames = found }
    }

    /// "a tanh RNN", "a ReLU RNN", "an LSTM", "a GRU".
    private static func withArticle(_ cell: CellKind) -> String {
        (cell == .lstm ? "an " : "a ") + cell.displayName
    }

    /// The cells whose weights have G gate blocks, for hints: "an LSTM", "a tanh RNN or a ReLU RNN".
    private static func cells(withGateCount g: Int) -> [CellKind] {
        CellKind.allCases.filter { $0.gateCount == g }
    }
}
