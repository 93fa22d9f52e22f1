import Foundation
import TestSupport
import Testing
import RNNEngine
@testable import RNNTrace

/// Recordings written as trace JSON / CSV and read back: the golden files, every kind rnnscope records,
/// numbers that JSON has no literal for, and the pieces the writer hands on.
@Suite("Trace values and export")
struct TraceCodingTests {
    @Test(arguments: GoldenFiles.singleLayerCases)
    func goldenTracesRead(_ name: String) throws {
        let trace = try TraceJSONReader.read(path: GoldenFiles.trace(name).path)
        #expect(trace.task == .classification)
        #expect(trace.stepCount == trace.tokens.count && trace.stepCount > 2)
        #expect(trace.targets.last! == nil)
        // h_norm is absent in the golden file: derived from grad.h.
        let step = trace.step(0)
        let norm = (step.grad!.h.map { $0 * $0 }.reduce(0, +)).squareRoot()
        #expect(abs(step.grad!.hNorm - norm) < 1e-6)
        // h_prev of step 1 is h of step 0: one buffer row, read once.
        #expect(trace.step(1).hPrev == step.h)
    }

    /// Every kind of recording rnnscope exports: each cell, stacked layers, regression.
    static let kinds: [(CellKind, Int, ModelTask)] = [
        (.rnnTanh, 1, .classification), (.rnnRelu, 1, .classification), (.lstm, 1, .classification),
        (.gru, 1, .classification), (.lstm, 2, .classification), (.gru, 3, .classification),
        (.rnnTanh, 2, .classification), (.lstm, 1, .regression),
    ]

    static func recording(_ cell: CellKind, layers: Int, task: ModelTask) throws -> Recording {
        let regression = task == .regression
        let vocab = regression ? [] : ["a", "b", ",", "\"", "é"]
        let params = ModelParameters.initialized(
            cell: cell, task: task, vocabularySize: vocab.count, inputSize: regression ? 1 : nil,
            embeddingSize: regression ? nil : 3, hiddenSize: 4, outputSize: regression ? 1 : vocab.count,
            layers: layers, seed: 7)
        let model = RNNModel(parameters: params, tokenizer: regression ? .word : .char,
                             vocabulary: Vocabulary(vocab), task: task)
        return try Recording.record(model: model, text: regression ? "0.5 -1 2 0.25" : "ab,\"aé", modelName: "m\n\"x\"")
    }

    @Test func everyKindRoundTripsByteForByte() throws {
        for (cell, layers, task) in Self.kinds {
            let trace = try Self.recording(cell, layers: layers, task: task)
            let bytes = trace.exported(as: .json)
            let back = try TraceJSONReader.read(bytes: bytes, name: "t.json")
            #expect(back.exported(as: .json) == bytes, "\(cell) \(layers) \(task)")
            #expect(back.layers.map(\.hidden) == trace.layers.map(\.hidden))
            #expect(back.layers.map(\.dPreactivations) == trace.layers.map(\.dPreactivations))
            #expect(back.cell == cell && back.task == task && back.layerCount == layers)
            #expect(back.modelName == "m\n\"x\"")
        }
    }

    @Test func stepsBeforeTheSizesAreReadInASecondPass() throws {
        let trace = try Self.recording(.lstm, layers: 2, task: .classification)
        let text = String(decoding: trace.exported(as: .json), as: UTF8.self)
        // Move "steps" to the front, before "cell", "hidden_size", "num_layers" … that its reading needs.
        let start = try #require(text.range(of: ",\"steps\":")), end = try #require(text.range(of: ",\"task\":"))
        let steps = text[start.lowerBound..<end.lowerBound].dropFirst()
        let reordered = "{" + steps + "," + text[text.index(after: text.startIndex)..<start.lowerBound] + text[end.lowerBound...]
        let back = try TraceJSONReader.read(bytes: Array(reordered.utf8), name: "t.json")
        #expect(back.exported(as: .json) == trace.exported(as: .json))
    }

    @Test func valuesAreShortestFloat32Text() throws {
        let trace = try Self.recording(.lstm, layers: 1, task: .classification)
        let text = String(decoding: trace.exported(as: .json), as: UTF8.self)
        let h = trace.layers[0].h(0).first!
        #expect(text.contains("\"h\":[\(h.description),"))
        // No float64 widening: every recorded vector's numbers have at most 9 significant digits (the
        // losses, computed in Double, are the only longer ones).
        let vectors = try NSRegularExpression(pattern: "\"(h|c|x|logits|probs|f|g|i|o)\":\\[([^\\]]*)\\]")
        var numbers = 0
        for match in vectors.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            for number in text[Range(match.range(at: 2), in: text)!].split(separator: ",") {
                let mantissa = number.split(separator: "e").first ?? ""
                let digits = mantissa.filter(\.isNumber).drop { $0 == "0" }
                #expect(digits.count <= 9, "\(number)")
                numbers += 1
            }
        }
        #expect(numbers > 100)
    }

    @Test func parameterGradientsAlsoUnderTheFileNames() throws {
        let trace = try Self.recording(.gru, layers: 2, task: .classification)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(trace.exported(as: .json))) as? [String: Any])
        let grads = try #require(json["param_grads"] as? [String: Any])
        for (short, file) in [("weight_ih", "rnn.weight_ih_l0"), ("bias_hh_l1", "rnn.bias_hh_l1"), ("fc.weight", "fc.weight")] {
            let a = try #require(grads[short] as? NSArray), b = try #require(grads[file] as? NSArray)
            #expect(a == b, "\(short) vs \(file)")
        }
        #expect(grads.keys.contains("embedding.weight"))
    }

    /// A model saved from a user's own module (`model.encoder.lstm.…`, `decoder.…`, `embed.…`): its gradients
    /// are also written under those names, the keys a notebook finds in its own `state_dict()`.
    @Test func parameterGradientsUnderTheUsersOwnNames() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnnscope-names-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = try SafetensorsFile(contentsOf: GoldenFiles.model("lstm2_word_embed").path)
        var renamed = original
        renamed.tensors = [:]
        for (name, tensor) in original.tensors {
            let user = name.replacingOccurrences(of: "rnn.", with: "model.encoder.lstm.")
                .replacingOccurrences(of: "fc.", with: "decoder.").replacingOccurrences(of: "embedding.", with: "embed.")
            renamed.tensors[user] = tensor
        }
        let path = dir.appendingPathComponent("user.safetensors").path
        try renamed.write(to: path)
        let model = try RNNModel.load(contentsOf: path)
        #expect(model.fileNames?.layers[1][0] == "model.encoder.lstm.weight_ih_l1")
        let text = try String(contentsOf: GoldenFiles.input("lstm2_word_embed"), encoding: .utf8)
        let trace = try Recording.record(model: model, text: text, modelName: "user")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(trace.exported(as: .json))) as? [String: Any])
        let grads = try #require(json["param_grads"] as? [String: Any])
        for (short, file) in [("weight_ih", "model.encoder.lstm.weight_ih_l0"), ("bias_hh_l1", "model.encoder.lstm.bias_hh_l1"),
                              ("fc.weight", "decoder.weight"), ("embedding.weight", "embed.weight")] {
            let a = try #require(grads[short] as? NSArray, "\(short)"), b = try #require(grads[file] as? NSArray, "\(file)")
            #expect(a == b, "\(short) vs \(file)")
        }
        #expect(!grads.keys.contains("rnn.weight_ih_l0"), "rnnscope's names are not the file's")
        // A model in rnnscope's own names keeps none.
        let own = dir.appendingPathComponent("own.safetensors").path
        try model.save(to: own)
        #expect(try RNNModel.load(contentsOf: own).fileNames == nil)
    }

    @Test func nonFiniteNumbersSurviveJSONAndCSV() throws {
        var trace = try Self.recording(.rnnTanh, layers: 1, task: .classification)
        trace.layers[0].hidden[4] = .nan
        trace.layers[0].hidden[5] = -.infinity
        let text = String(decoding: trace.exported(as: .json), as: UTF8.self)
        #expect(text.contains("\"h\":[\"NaN\",\"-Infinity\""))
        let back = try TraceJSONReader.read(bytes: Array(text.utf8), name: "t.json")
        #expect(back.layers[0].hidden[4].isNaN && back.layers[0].hidden[5] == -.infinity)
        let csv = String(decoding: trace.exported(as: .csv), as: UTF8.self)
        #expect(csv.contains("0,a,h,0,,,NaN\n0,a,h,1,,,-inf\n"), "\(csv.prefix(400))")
    }

    @Test func csvFieldsAreTheJSONNamesAndMatricesCarryRowAndColumn() throws {
        let trace = try Self.recording(.lstm, layers: 2, task: .classification)
        let csv = String(decoding: trace.exported(as: .csv), as: UTF8.self)
        let lines = csv.split(separator: "\n")
        #expect(lines.first == "t,token,field,index,row,column,value")
        let fields = Set(lines.dropFirst().compactMap { line -> String? in
            let columns = line.split(separator: ",", omittingEmptySubsequences: false)
            return columns.count >= 3 && columns[0] == "1" ? String(columns[2]) : nil
        })
        for field in ["x", "h", "h_prev", "c", "c_prev", "gates.f", "preactivations.g", "logits", "probs", "loss", "target",
                      "grad.h", "grad.c", "grad.gates.o", "grad.h_norm", "layers.0.h", "layers.1.gates.i", "layers.0.grad.h"] {
            #expect(fields.contains(field), "\(field) missing from \(fields.sorted())")
        }
        // fc.weight is V × H = 5 × 4: entry 6 is row 1, column 2.
        #expect(lines.contains { $0.hasPrefix(",,param_grads.fc.weight,6,1,2,") })
        #expect(lines.contains { $0.hasPrefix(",,param_grads.rnn.weight_hh_l1,0,0,0,") })
        #expect(lines.contains { $0.hasPrefix(",,param_grads.fc.bias,3,,,") })
        // A token with a comma or quote is quoted (RFC 4180).
        #expect(lines.contains { $0.hasPrefix("2,\",\",x,") } && lines.contains { $0.hasPrefix("3,\"\"\"\",x,") })
    }

    @Test func theWriterHandsOnPiecesNotTheWholeText() throws {
        let params = ModelParameters.initialized(cell: .lstm, vocabularySize: 3, embeddingSize: 8, hiddenSize: 64, seed: 1)
        let model = RNNModel(parameters: params, tokenizer: .char, vocabulary: Vocabulary(["a", "b", "c"]))
        let trace = try Recording.record(model: model, text: String(repeating: "abc", count: 300))
        for format in TraceFormat.allCases {
            var pieces: [Int] = []
            var out = TraceOutput { pieces.append($0.count); return nil }
            trace.write(as: format, to: &out)
            // A piece is about a megabyte (a block of steps may carry it over): far less than the whole text.
            let total = pieces.reduce(0, +)
            #expect(total > 4 * TraceOutput.pieceSize, "\(format): \(total) bytes")
            #expect(pieces.max()! < 2 * TraceOutput.pieceSize, "\(format): \(pieces.max()!)")
            #expect(total == trace.exported(as: format).count)
        }
        // A failing output stops the writing and says why.
        var calls = 0
        var out = TraceOutput { calls += 1; return writeAll(-1, $0) }
        trace.write(as: .json, to: &out)
        #expect(out.failure?.code == EBADF && calls == 1)
    }

    @Test func csvQuotesTokensWithCommasAndQuotes() {
        #expect(csvField("a") == "a")
        #expect(csvField(",") == "\",\"")
        #expect(csvField("\"") == "\"\"\"\"")
    }
}
