import Foundation
import Testing
@testable import RNNEngine

private typealias F = ModelFileFixtures

@Suite("ModelFile")
struct ModelFileTests {
    // MARK: - Golden models

    /// (case, cell, E, H, has embedding) as made by PyTorch for the golden traces.
    static let goldenShapes: [(String, CellKind, Int, Int, Bool)] = [
        ("rnn_tanh_word_onehot", .rnnTanh, 6, 4, false),
        ("lstm_word_embed", .lstm, 4, 3, true),
        ("gru_word_embed", .gru, 5, 4, true),
    ]

    @Test("loads each golden model; metadata, shapes and values match the file read independently", arguments: goldenShapes)
    func loadsGolden(_ expected: (String, CellKind, Int, Int, Bool)) throws {
        let (name, cell, inputSize, hidden, hasEmbedding) = expected
        let bytes = try F.goldenBytes(name)
        let raw = try F.rawTensors(bytes)
        let meta = try F.rawMetadata(bytes)
        let vocab = try #require(try JSONSerialization.jsonObject(with: Data((meta["vocab"] ?? "").utf8)) as? [String])

        let model = try RNNModel.load(contentsOf: F.goldenPath(name))
        #expect(model.cell == cell && model.cell.rawValue == meta["cell"])
        #expect(model.tokenizer.rawValue == meta["tokenizer"])
        #expect(model.task == .classification)
        #expect(model.vocabulary.tokens == vocab)
        #expect(vocab == ["I", "love", "AI", "and", "loves", "me"])

        let p = model.parameters
        #expect(p.layers.count == 1)
        #expect(p.inputSize == inputSize && p.hiddenSize == hidden && p.outputSize == vocab.count)
        let g = cell.gateCount
        let layer = p.layers[0]
        #expect(layer.weightIH.shape == [g * hidden, inputSize] && layer.weightIH.shape == raw["rnn.weight_ih_l0"]?.shape)
        #expect(layer.weightHH.shape == [g * hidden, hidden] && layer.weightHH.shape == raw["rnn.weight_hh_l0"]?.shape)
        #expect(layer.weightIH.values == raw["rnn.weight_ih_l0"]?.values)
        #expect(layer.weightHH.values == raw["rnn.weight_hh_l0"]?.values)
        #expect(layer.biasIH == raw["rnn.bias_ih_l0"]?.values && layer.biasIH.count == g * hidden)
        #expect(layer.biasHH == raw["rnn.bias_hh_l0"]?.values)
        #expect(p.headWeight.shape == [vocab.count, hidden] && p.headWeight.values == raw["fc.weight"]?.values)
        #expect(p.headBias == raw["fc.bias"]?.values)
        #expect((p.embedding != nil) == hasEmbedding)
        if let e = p.embedding {
            #expect(e.shape == [vocab.count, inputSize] && e.shape == raw["embedding.weight"]?.shape)
            #expect(e.values == raw["embedding.weight"]?.values)
        }
        // First stored value, spelled out: what PyTorch wrote for weight_ih[0][0].
        #expect(layer.weightIH[0, 0] == raw["rnn.weight_ih_l0"]?.values.first)
    }

    @Test("save → load gives an equal model, and the bytes equal PyTorch's file", arguments: F.goldenNames)
    func roundTrips(name: String) throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try RNNModel.load(contentsOf: F.goldenPath(name))
        let path = dir + "/" + name + ".safetensors"
        try model.save(to: path)
        #expect(try RNNModel.load(contentsOf: path) == model)
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == (try F.goldenBytes(name)))
    }

    @Test("a regression model (task metadata, no vocab, one input, one output) round-trips")
    func regressionRoundTrip() throws {
        let layer = RecurrentLayerWeights(
            weightIH: Matrix(rows: 6, cols: 1, values: [0.1, -0.2, 0.3, 0.4, -0.5, 0.6]),
            weightHH: Matrix(rows: 6, cols: 2, values: (0..<12).map { Float($0) / 10 }),
            biasIH: [1, 2, 3, 4, 5, 6], biasHH: [-1, -2, -3, -4, -5, -6])
        let model = RNNModel(
            parameters: ModelParameters(cell: .gru, embedding: nil, layers: [layer],
                                        headWeight: Matrix(rows: 1, cols: 2, values: [0.5, -0.25]), headBias: [0.125]),
            tokenizer: .word, vocabulary: Vocabulary([]), task: .regression)
        let file = model.safetensors()
        #expect(file.metadata == ["cell": "gru", "tokenizer": "word", "task": "regression"])
        #expect(try RNNModel(safetensors: SafetensorsFile(bytes: file.encoded(), path: "r"), path: "r") == model)
    }

    @Test("the ReLU golden model: cell from the metadata, never from the tensors (same shapes as tanh)")
    func reluGolden() throws {
        let relu = try RNNModel.load(contentsOf: F.goldenPath("rnn_relu_word_onehot"))
        #expect(relu.cell == .rnnRelu && relu.parameters.layers.count == 1)
        #expect(relu.parameters.inputSize == 5 && relu.parameters.hiddenSize == 8)
        #expect(relu.safetensors().metadata["cell"] == "rnn_relu")
        // The same tensors under cell = rnn_tanh load as a tanh RNN: the metadata decides.
        var file = try SafetensorsFile(contentsOf: F.goldenPath("rnn_relu_word_onehot"))
        file.metadata["cell"] = "rnn_tanh"
        #expect(try RNNModel(safetensors: file, path: "t").cell == .rnnTanh)
        // Without the metadata nothing is guessed: the message names both plain cells.
        file.metadata["cell"] = nil
        #expect(throws: EngineError.file(path: "t", problem: "metadata has no \"cell\"; the tensors are a plain RNN (tanh or ReLU: the tensors are the same for both), 1 layer of hidden size 8, reading 5 inputs per step (one-hot tokens), with 5 outputs. Save it with: save_file(model.state_dict(), \"t\", metadata={\"cell\": \"rnn_\" + model.rnn.nonlinearity, \"tokenizer\": \"word\", \"vocab\": json.dumps(words)}) (nn.RNN's nonlinearity makes the cell \"rnn_tanh\" or \"rnn_relu\")")) {
            try RNNModel(safetensors: file, path: "t")
        }
    }

    @Test("the 2-layer golden LSTM: PyTorch's weight_ih_l1 … read into layer 1 and written back under the same names")
    func stackedGolden() throws {
        let bytes = try F.goldenBytes("lstm2_word_embed")
        let raw = try F.rawTensors(bytes)
        let model = try RNNModel.load(contentsOf: F.goldenPath("lstm2_word_embed"))
        let p = model.parameters
        #expect(model.cell == .lstm && p.layers.count == 2 && p.numLayers == 2)
        #expect(p.inputSize == 6 && p.hiddenSize == 8)
        #expect(p.layers[0].weightIH.shape == [32, 6] && p.layers[1].weightIH.shape == [32, 8])
        for k in 0..<2 {
            #expect(p.layers[k].weightIH.values == raw["rnn.weight_ih_l\(k)"]?.values)
            #expect(p.layers[k].weightHH.values == raw["rnn.weight_hh_l\(k)"]?.values)
            #expect(p.layers[k].biasIH == raw["rnn.bias_ih_l\(k)"]?.values)
            #expect(p.layers[k].biasHH == raw["rnn.bias_hh_l\(k)"]?.values)
        }
        #expect(model.safetensors().tensors.keys.sorted() == raw.keys.sorted())
        // A user's own prefix works for every layer.
        var file = try SafetensorsFile(contentsOf: F.goldenPath("lstm2_word_embed"))
        for (name, tensor) in file.tensors where name.hasPrefix("rnn.") {
            file.tensors[name] = nil
            file.tensors["encoder.lstm." + name.dropFirst(4)] = tensor
        }
        #expect(try RNNModel(safetensors: file, path: "p") == model)
    }

    @Test("saved names are exactly PyTorch's embedding/rnn/fc state_dict keys")
    func savedNames() throws {
        let lstm = try RNNModel.load(contentsOf: F.goldenPath("lstm_word_embed")).safetensors()
        #expect(lstm.tensors.keys.sorted() == ["embedding.weight", "fc.bias", "fc.weight", "rnn.bias_hh_l0", "rnn.bias_ih_l0", "rnn.weight_hh_l0", "rnn.weight_ih_l0"])
        let tanh = try RNNModel.load(contentsOf: F.goldenPath("rnn_tanh_word_onehot")).safetensors()
        #expect(tanh.tensors.keys.sorted() == ["fc.bias", "fc.weight", "rnn.bias_hh_l0", "rnn.bias_ih_l0", "rnn.weight_hh_l0", "rnn.weight_ih_l0"])
    }

    // MARK: - Other names and dtypes

    /// Renames applied to the golden LSTM's tensors: a user's own module names.
    static let renamings: [(String, [String: String])] = [
        ("nested module with head/embed", ["embedding.weight": "model.embed.weight", "fc.weight": "model.head.weight", "fc.bias": "model.head.bias",
                                           "rnn.weight_ih_l0": "model.lstm.weight_ih_l0", "rnn.weight_hh_l0": "model.lstm.weight_hh_l0",
                                           "rnn.bias_ih_l0": "model.lstm.bias_ih_l0", "rnn.bias_hh_l0": "model.lstm.bias_hh_l0"]),
        ("word_language_model encoder/decoder", ["embedding.weight": "encoder.weight", "fc.weight": "decoder.weight", "fc.bias": "decoder.bias"]),
        ("no prefix, out/emb", ["embedding.weight": "emb.weight", "fc.weight": "output.weight", "fc.bias": "output.bias",
                                "rnn.weight_ih_l0": "weight_ih_l0", "rnn.weight_hh_l0": "weight_hh_l0",
                                "rnn.bias_ih_l0": "bias_ih_l0", "rnn.bias_hh_l0": "bias_hh_l0"]),
        ("unknown names, decided by shape", ["embedding.weight": "table.weight", "fc.weight": "proj.weight", "fc.bias": "proj.bias"]),
        ("compiled module prefix", ["embedding.weight": "_orig_mod.embedding.weight", "fc.weight": "_orig_mod.fc.weight", "fc.bias": "_orig_mod.fc.bias",
                                    "rnn.weight_ih_l0": "_orig_mod.rnn.weight_ih_l0", "rnn.weight_hh_l0": "_orig_mod.rnn.weight_hh_l0",
                                    "rnn.bias_ih_l0": "_orig_mod.rnn.bias_ih_l0", "rnn.bias_hh_l0": "_orig_mod.rnn.bias_hh_l0"]),
    ]

    @Test("models saved under other prefixes load to the same model", arguments: renamings)
    func otherPrefixes(_ renaming: (String, [String: String])) throws {
        let original = try SafetensorsFile(contentsOf: F.goldenPath("lstm_word_embed"))
        let expected = try RNNModel(safetensors: original, path: "golden")
        var renamed = original
        renamed.tensors = Dictionary(uniqueKeysWithValues: original.tensors.map { (renaming.1[$0.key] ?? $0.key, $0.value) })
        #expect(Set(renamed.tensors.keys) != Set(original.tensors.keys))

        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try renamed.write(to: dir + "/user.safetensors")
        #expect(try RNNModel.load(contentsOf: dir + "/user.safetensors") == expected)
    }

    @Test("F64 and BF16 model files load, converted to Float")
    func otherDTypes() throws {
        let golden = try SafetensorsFile(contentsOf: F.goldenPath("gru_word_embed"))
        let expected = try RNNModel(safetensors: golden, path: "golden")
        let names = golden.tensors.keys.sorted()

        let f64 = F.build(names.map { n in
            let t = golden.tensors[n]!
            return .init(name: n, dtype: "F64", shape: t.shape, bytes: F.f64Bytes(t.values.map(Double.init)))
        }, metadata: golden.metadata)
        #expect(try RNNModel(safetensors: SafetensorsFile(bytes: f64, path: "f64"), path: "f64") == expected)

        // bfloat16 keeps the top 16 bits of each float32.
        let bf16 = F.build(names.map { n in
            let t = golden.tensors[n]!
            return .init(name: n, dtype: "BF16", shape: t.shape, bytes: F.littleEndian(t.values.map { UInt16($0.bitPattern >> 16) }))
        }, metadata: golden.metadata)
        let loaded = try RNNModel(safetensors: SafetensorsFile(bytes: bf16, path: "bf16"), path: "bf16")
        let truncated = expected.parameters.layers[0].weightHH.values.map { Float(bitPattern: $0.bitPattern & 0xFFFF_0000) }
        #expect(loaded.parameters.layers[0].weightHH.values == truncated)
        #expect(loaded.parameters.layers[0].weightHH.values != expected.parameters.layers[0].weightHH.values)
        #expect(loaded.vocabulary == expected.vocabulary && loaded.cell == .gru)
    }

    // MARK: - Bad models: one exact line each

    struct BadModel: CustomTestStringConvertible, Sendable {
        var label: String
        var base = "lstm_word_embed"
        var change: @Sendable (inout SafetensorsFile) -> Void
        var problem: String
        var testDescription: String { label }
    }

    static func tensor(_ shape: [Int], _ fill: Float = 0.5) -> SafetensorsFile.Tensor {
        .init(shape: shape, values: [Float](repeating: fill, count: shape.reduce(1, *)))
    }

    /// What every metadata message about the golden LSTM ends with: the tensors, and the line to save it.
    static let lstmTail = "; the tensors are an LSTM, 1 layer of hidden size 3, reading an embedding of 6 tokens × 4, with 6 outputs. Save it with: save_file(model.state_dict(), \"m.safetensors\", metadata={\"cell\": \"lstm\", \"tokenizer\": \"word\", \"vocab\": json.dumps(words)})"

    static let badModels: [BadModel] = [
        BadModel(label: "missing weight_hh", change: { $0.tensors["rnn.weight_hh_l0"] = nil },
                 problem: "missing tensor \"rnn.weight_hh_l0\" (the recurrent layer's hidden-to-hidden weights)"),
        BadModel(label: "missing bias_ih", change: { $0.tensors["rnn.bias_ih_l0"] = nil },
                 problem: "missing tensor \"rnn.bias_ih_l0\" (a recurrent bias; PyTorch has it unless bias=False, and rnnscope needs it)"),
        BadModel(label: "no recurrent layer at all", change: { f in for k in f.tensors.keys where k.hasPrefix("rnn.") { f.tensors[k] = nil } },
                 problem: "missing tensor \"rnn.weight_ih_l0\" (the recurrent layer's input weights) — the file holds \"embedding.weight\", \"fc.bias\", \"fc.weight\""),
        BadModel(label: "missing head bias", change: { $0.tensors["fc.bias"] = nil },
                 problem: "missing tensor \"fc.bias\" (the output layer's bias; nn.Linear has it unless bias=False, and rnnscope needs it)"),
        BadModel(label: "missing output layer", change: { $0.tensors["fc.bias"] = nil; $0.tensors["fc.weight"] = nil },
                 problem: "missing the output layer: no tensor named like \"fc.weight\" with shape [outputs, 3] (other tensors: \"embedding.weight\")"),
        BadModel(label: "two recurrent layers side by side", change: { $0.tensors["other.weight_ih_l0"] = tensor([12, 4]) },
                 problem: "several tensors end in weight_ih_l0 (\"other.weight_ih_l0\", \"rnn.weight_ih_l0\"); rnnscope runs one recurrent module"),
        BadModel(label: "stacked layer without all its tensors", change: { $0.tensors["rnn.weight_ih_l1"] = tensor([12, 3]) },
                 problem: "missing tensor \"rnn.weight_hh_l1\" (recurrent layer 1's hidden-to-hidden weights)"),
        BadModel(label: "more than 4 layers", change: { $0.tensors["rnn.weight_ih_l4"] = tensor([12, 3]) },
                 problem: "tensor \"rnn.weight_ih_l4\" belongs to layer 4; rnnscope runs 1 to 4 stacked layers (num_layers ≤ 4)"),
        BadModel(label: "second layer reads the wrong size", change: { f in
            f.tensors["rnn.weight_ih_l1"] = tensor([12, 4]); f.tensors["rnn.weight_hh_l1"] = tensor([12, 3])
            f.tensors["rnn.bias_ih_l1"] = tensor([12]); f.tensors["rnn.bias_hh_l1"] = tensor([12])
        }, problem: "tensor \"rnn.weight_ih_l1\" has shape [12, 4], but layer 1 of an LSTM with hidden size 3 needs [12, 3] (it reads layer 0's h)"),
        BadModel(label: "bidirectional", change: { $0.tensors["rnn.weight_ih_l0_reverse"] = tensor([12, 4]) },
                 problem: "tensor \"rnn.weight_ih_l0_reverse\" belongs to the backward direction of a bidirectional layer; rnnscope runs one direction: train with bidirectional=False to view the model here (the output layer then reads H, not 2·H)"),
        BadModel(label: "LSTM projection", change: { $0.tensors["rnn.weight_hr_l0"] = tensor([2, 3]) },
                 problem: "tensor \"rnn.weight_hr_l0\" is an LSTM projection (proj_size > 0); rnnscope runs LSTMs without one: train with nn.LSTM(..., proj_size=0), the default, to view the model here"),
        BadModel(label: "extra tensor", change: { $0.tensors["norm.weight"] = tensor([3]) },
                 problem: "tensor \"norm.weight\" is not part of an embedding → RNN → linear model, which is all rnnscope runs"),
        BadModel(label: "ambiguous output layer", change: { f in
            f.tensors["head.weight"] = f.tensors["fc.weight"]; f.tensors["head.bias"] = f.tensors["fc.bias"]
            f.tensors["linear.weight"] = f.tensors["fc.weight"]; f.tensors["linear.bias"] = f.tensors["fc.bias"]
            f.tensors["fc.weight"] = nil; f.tensors["fc.bias"] = nil
        }, problem: "cannot tell which tensor is the output layer: \"head.weight\", \"linear.weight\""),
        BadModel(label: "unknown cell", change: { $0.metadata["cell"] = "transformer" },
                 problem: "metadata cell is \"transformer\"; expected one of rnn_tanh, rnn_relu, lstm, gru" + lstmTail),
        BadModel(label: "no cell", change: { $0.metadata["cell"] = nil },
                 problem: "metadata has no \"cell\"" + lstmTail),
        BadModel(label: "cell does not match the weights", change: { $0.metadata["cell"] = "gru" },
                 problem: "tensor \"rnn.weight_hh_l0\" has shape [12, 3], but a GRU with hidden size 3 needs [9, 3]: 3 gate blocks of 3 rows (that shape fits an LSTM: is the cell metadata right?)"),
        BadModel(label: "unknown cell with a newline stays one line", change: { $0.metadata["cell"] = "lstm\nrm -rf" },
                 problem: "metadata cell is \"lstm\\nrm -rf\"; expected one of rnn_tanh, rnn_relu, lstm, gru" + lstmTail),
        BadModel(label: "unknown tokenizer", change: { $0.metadata["tokenizer"] = "bpe" },
                 problem: "metadata tokenizer is \"bpe\"; expected word or char" + lstmTail),
        BadModel(label: "no tokenizer", change: { $0.metadata["tokenizer"] = nil },
                 problem: "metadata has no \"tokenizer\"" + lstmTail),
        BadModel(label: "unknown task", change: { $0.metadata["task"] = "ranking" },
                 problem: "metadata task is \"ranking\"; expected classification or regression" + lstmTail),
        BadModel(label: "no vocab", change: { $0.metadata["vocab"] = nil },
                 problem: "metadata has no \"vocab\"" + lstmTail + " (words is the list of the 6 token strings in id order)"),
        BadModel(label: "vocab not JSON", change: { $0.metadata["vocab"] = "[\"I\", " },
                 problem: "metadata vocab is not valid JSON: unexpected end of text at byte 6" + lstmTail + " (words is the list of the 6 token strings in id order)"),
        BadModel(label: "vocab not an array", change: { $0.metadata["vocab"] = "{\"I\": 0}" },
                 problem: "metadata vocab is an object (a token → id dict?), not a JSON array of token strings in id order" + lstmTail + " (words is the list of the 6 token strings in id order)"),
        BadModel(label: "vocab entry not a string", change: { $0.metadata["vocab"] = "[\"I\", 2, \"AI\", \"and\", \"loves\", \"me\"]" },
                 problem: "metadata vocab entry 1 is a number (2), not a string" + lstmTail + " (words is the list of the 6 token strings in id order)"),
        BadModel(label: "duplicate vocab entry", change: { $0.metadata["vocab"] = "[\"I\", \"love\", \"AI\", \"and\", \"love\", \"me\"]" },
                 problem: "metadata vocab lists \"love\" twice (entries 1 and 4); token ids must be unique" + lstmTail + " (words is the list of the 6 token strings in id order)"),
        BadModel(label: "empty vocab", change: { $0.metadata["vocab"] = "[]" },
                 problem: "metadata vocab is empty; a model that predicts tokens needs at least one" + lstmTail + " (words is the list of the 6 token strings in id order)"),
        BadModel(label: "vocab longer than the head", change: { $0.metadata["vocab"] = "[\"I\", \"love\", \"AI\", \"and\", \"loves\", \"me\", \"you\"]" },
                 problem: "tensor \"fc.weight\" has shape [6, 3]: 6 outputs but the vocab has 7 tokens (expected [7, 3])"),
        BadModel(label: "weight_ih rows", change: { $0.tensors["rnn.weight_ih_l0"] = tensor([11, 4]) },
                 problem: "tensor \"rnn.weight_ih_l0\" has shape [11, 4], but an LSTM with hidden size 3 needs [12, E] with E ≥ 1"),
        BadModel(label: "weight_hh not a matrix", change: { $0.tensors["rnn.weight_hh_l0"] = tensor([12, 3, 1]) },
                 problem: "tensor \"rnn.weight_hh_l0\" has shape [12, 3, 1]; expected a matrix (2 dimensions)"),
        BadModel(label: "bias length", change: { $0.tensors["rnn.bias_hh_l0"] = tensor([11]) },
                 problem: "tensor \"rnn.bias_hh_l0\" has shape [11], but an LSTM with hidden size 3 needs [12]"),
        BadModel(label: "bias not a vector", change: { $0.tensors["rnn.bias_ih_l0"] = tensor([12, 1]) },
                 problem: "tensor \"rnn.bias_ih_l0\" has shape [12, 1]; expected a vector (1 dimension)"),
        BadModel(label: "head columns", change: { $0.tensors["fc.weight"] = tensor([6, 4]) },
                 problem: "tensor \"fc.weight\" has shape [6, 4], but the output layer needs [outputs, 3] to read the hidden size 3"),
        BadModel(label: "head bias length", change: { $0.tensors["fc.bias"] = tensor([5]) },
                 problem: "tensor \"fc.bias\" has shape [5], but the output layer has 6 outputs (\"fc.weight\" is [6, 3])"),
        BadModel(label: "embedding rows", change: { $0.tensors["embedding.weight"] = tensor([5, 4]) },
                 problem: "tensor \"embedding.weight\" has shape [5, 4]: 5 rows but the vocab has 6 tokens (expected [6, 4])"),
        BadModel(label: "embedding columns", change: { $0.tensors["embedding.weight"] = tensor([6, 5]) },
                 problem: "tensor \"embedding.weight\" has shape [6, 5]: 5 columns but \"rnn.weight_ih_l0\" reads 4 inputs (expected [6, 4])"),
        BadModel(label: "one-hot input of the wrong width", change: { $0.tensors["embedding.weight"] = nil },
                 problem: "tensor \"rnn.weight_ih_l0\" has shape [12, 4] and there is no embedding, so the input is one-hot over the 6 vocab tokens and needs 6 columns, not 4"),
        BadModel(label: "non-finite weight", change: { $0.tensors["fc.bias"] = .init(shape: [6], values: [0, 1, .nan, 3, 4, 5]) },
                 problem: "tensor \"fc.bias\" holds nan at index 2; every weight must be a finite number"),
        BadModel(label: "regression with a vocab", change: { $0.metadata["task"] = "regression" },
                 problem: "metadata vocab lists 6 tokens, but a regression model reads numbers: remove vocab or set task to classification; the tensors are an LSTM, 1 layer of hidden size 3, reading an embedding of 6 tokens × 4, with 6 outputs. Save it with: save_file(model.state_dict(), \"m.safetensors\", metadata={\"cell\": \"lstm\", \"task\": \"regression\"})"),
        BadModel(label: "regression with an embedding", change: { $0.metadata["task"] = "regression"; $0.metadata["vocab"] = nil },
                 problem: "tensor \"embedding.weight\" is an embedding, but a regression model reads numbers, not tokens"),
        BadModel(label: "regression reading several inputs", base: "rnn_tanh_word_onehot", change: { $0.metadata["task"] = "regression"; $0.metadata["vocab"] = nil },
                 problem: "tensor \"rnn.weight_ih_l0\" has shape [4, 6], but a regression model reads one number per step (expected [4, 1])"),
        BadModel(label: "regression predicting several outputs", base: "rnn_tanh_word_onehot", change: {
            $0.metadata["task"] = "regression"; $0.metadata["vocab"] = nil; $0.tensors["rnn.weight_ih_l0"] = tensor([4, 1])
        }, problem: "tensor \"fc.weight\" has shape [6, 4], but a regression model predicts one number (expected [1, 4])"),
    ]

    @Test("each problem in a model gives its own one-line message", arguments: badModels)
    func rejects(_ bad: BadModel) throws {
        var file = try SafetensorsFile(contentsOf: F.goldenPath(bad.base))
        bad.change(&file)
        let message = F.message { _ = try RNNModel(safetensors: file, path: "m.safetensors") }
        #expect(message == "m.safetensors: " + bad.problem)
    }

    @Test("load reports a missing file and a damaged one with the path")
    func loadErrors() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(F.message { _ = try RNNModel.load(contentsOf: dir + "/none.safetensors") } == "\(dir)/none.safetensors: cannot open it (No such file or directory)")
        let damaged = dir + "/short.safetensors"
        try Data(try F.goldenBytes("gru_word_embed").prefix(700)).write(to: URL(fileURLWithPath: damaged))
        #expect(F.message { _ = try RNNModel.load(contentsOf: damaged) } == "\(damaged): tensor \"embedding.weight\" data_offsets [0, 120] run past the end of the data (84 bytes)")
    }

    @Test("save refuses a path it cannot write and keeps the old file")
    func saveKeepsOldFileOnFailure() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try RNNModel.load(contentsOf: F.goldenPath("gru_word_embed"))
        let blocked = dir + "/missing/model.safetensors"
        #expect(F.message { try model.save(to: blocked) }.hasPrefix("\(blocked): cannot write it (No such file or directory"))
        #expect(!FileManager.default.fileExists(atPath: blocked))
    }

    @Test("a non-ASCII vocab is written as Python's json.dumps would and reads back")
    func nonASCIIVocab() throws {
        var model = try RNNModel.load(contentsOf: F.goldenPath("rnn_tanh_word_onehot"))
        model.vocabulary = Vocabulary(["I", "❤️", "AI", "\"and\"", "loves\t", "mé"])
        let file = model.safetensors()
        #expect(file.metadata["vocab"] == "[\"I\", \"\\u2764\\ufe0f\", \"AI\", \"\\\"and\\\"\", \"loves\\t\", \"m\\u00e9\"]")
        #expect(try RNNModel(safetensors: SafetensorsFile(bytes: file.encoded(), path: "v"), path: "v") == model)
    }

    @Test("a model with a 100,000-token vocabulary (a header full of escapes) loads whole")
    func largeVocabulary() throws {
        // The vocab metadata is JSON inside a JSON string: 200,000 escaped quotes, plus the tokens' own escapes.
        // Parsing it used to take seconds (4.7 s in a release build), quadratic in the vocabulary.
        let tokens = (0..<100_000).map { $0 % 10 == 0 ? "q\"\($0)\\" : "w\($0)" }
        let parameters = ModelParameters.initialized(cell: .rnnTanh, vocabularySize: tokens.count, embeddingSize: 2,
                                                     hiddenSize: 2, seed: 1)
        let model = RNNModel(parameters: parameters, tokenizer: .word, vocabulary: Vocabulary(tokens))
        let loaded = try RNNModel(safetensors: SafetensorsFile(bytes: model.safetensors().encoded(), path: "v"), path: "v")
        #expect(loaded.vocabulary.tokens.count == 100_000)
        #expect(loaded.vocabulary.tokens == tokens)
    }
}
