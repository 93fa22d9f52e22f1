import Foundation
import TestSupport
import Testing

@Suite("rnnscope train, sample and bad input")
struct TrainAndBadInputTests {
    let corpusText = "I love AI and AI loves me . I love AI and AI loves me . I love AI and AI loves me ."

    @Test func trainIsDeterministicAndItsModelTraces() throws {
        let dir = try Paths.temporaryDirectory()
        let corpus = dir.appendingPathComponent("corpus.txt")
        try corpusText.write(to: corpus, atomically: true, encoding: .utf8)
        let a = dir.appendingPathComponent("a.safetensors"), b = dir.appendingPathComponent("b.safetensors")
        for out in [a, b] {
            let r = try rnnscope("train", "--text-file", corpus.path, "--cell", "gru", "--hidden", "8", "--tokenizer", "word",
                                 "--epochs", "5", "--seq-length", "6", "--seed", "3", "-o", out.path)
            #expect(r.status == 0, "stderr: \(r.stderr)")
            // Not a terminal: one plain progress line per epoch, no carriage returns.
            #expect(r.stderr.contains("epoch 5/5 loss"))
            #expect(!r.stderr.contains("\r"))
        }
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
        let trace = try rnnscope("trace", "--model", a.path, "--text", "I love AI")
        #expect(trace.status == 0, "stderr: \(trace.stderr)")
        #expect(trace.stdout.contains("\"cell\":\"gru\""))
        let sample = try rnnscope("sample", "--model", a.path, "--prime", "I", "--length", "5", "--temperature", "0.5")
        #expect(sample.status == 0)
        #expect(sample.stdout.split(separator: " ").count == 6)
    }

    @Test(arguments: ["rnn_tanh", "rnn_relu", "lstm", "gru"])
    func stackedTrainingIsDeterministicAndKeepsPyTorchNames(_ cell: String) throws {
        let dir = try Paths.temporaryDirectory()
        let corpus = dir.appendingPathComponent("corpus.txt")
        try corpusText.write(to: corpus, atomically: true, encoding: .utf8)
        let a = dir.appendingPathComponent("a.safetensors"), b = dir.appendingPathComponent("b.safetensors")
        for out in [a, b] {
            let r = try rnnscope("train", "--text-file", corpus.path, "--cell", cell, "--layers", "2", "--hidden", "6",
                                 "--embedding", "4", "--tokenizer", "word", "--epochs", "3", "--seq-length", "6",
                                 "--seed", "5", "-o", out.path)
            #expect(r.status == 0, "stderr: \(r.stderr)")
            #expect(r.stderr.contains("\(cell), 2 layers, H=6"))
        }
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
        let bytes = try Data(contentsOf: a)
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + headerLength))) as! [String: Any]
        #expect(Set(header.keys) == ["__metadata__", "embedding.weight", "fc.weight", "fc.bias",
                                     "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
                                     "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1"])
        #expect((header["__metadata__"] as? [String: String])?["cell"] == cell)
        let trace = try rnnscope("trace", "--model", a.path, "--text", "I love AI")
        #expect(trace.status == 0, "stderr: \(trace.stderr)")
        let object = try JSONSerialization.jsonObject(with: trace.stdoutData) as! [String: Any]
        #expect(object["num_layers"] as? Int == 2 && object["cell"] as? String == cell)
        let steps = object["steps"] as! [[String: Any]]
        #expect((steps[0]["layers"] as? [Any])?.count == 2)
        #expect((object["param_grads"] as! [String: Any])["weight_ih_l1"] != nil)
        let frame = try rnnscope("view", "--model", a.path, "--text", "I love AI", "--plain", "--layer", "1")
        #expect(frame.status == 0, "stderr: \(frame.stderr)")
        #expect(frame.stdout.contains("State at t=0, layer 1/2"))
        let bad = try rnnscope("view", "--model", a.path, "--text", "I love AI", "--plain", "--layer", "3")
        #expect(bad.status != 0 && bad.stderr.contains("--layer 3 is outside 1…2 (the model has 2 recurrent layers)"))
        let tooMany = try rnnscope("train", "--text-file", corpus.path, "--layers", "5", "-o", b.path)
        #expect(tooMany.status != 0 && tooMany.stderr.contains("layers must be between 1 and 4, got 5"))
    }

    @Test func unknownTokenIsNamedWithItsPosition() throws {
        let model = GoldenFiles.model("lstm_word_embed").path
        let r = try rnnscope("trace", "--model", model, "--text", "I love cats")
        #expect(r.status != 0)
        #expect(r.stderr.contains("token \"cats\" at position 3 is not in the model's vocabulary"))
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stdout.isEmpty)
    }

    @Test func emptyInputAndMissingFilesAreReported() throws {
        let model = GoldenFiles.model("lstm_word_embed").path
        let empty = try rnnscope("trace", "--model", model, "--text", "   ")
        #expect(empty.status != 0)
        #expect(empty.stderr.contains("the input text is empty"))
        let missing = try rnnscope("trace", "--model", "/nonexistent/model.safetensors", "--text", "I")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("/nonexistent/model.safetensors"))
        let noText = try rnnscope("trace", "--model", model, "--text-file", "/nonexistent/input.txt")
        #expect(noText.status != 0)
        #expect(noText.stderr.contains("/nonexistent/input.txt: no such file"))
    }

    @Test func truncatedModelFileIsRejectedAndOutputIsNotTouched() throws {
        let dir = try Paths.temporaryDirectory()
        let good = try Data(contentsOf: GoldenFiles.model("gru_word_embed"))
        let bad = dir.appendingPathComponent("truncated.safetensors")
        try good.prefix(good.count - 40).write(to: bad)
        let out = dir.appendingPathComponent("existing.json")
        try Data("keep me".utf8).write(to: out)
        let r = try rnnscope("trace", "--model", bad.path, "--text", "I love AI", "-o", out.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("truncated.safetensors"))
        #expect(try String(contentsOf: out, encoding: .utf8) == "keep me")
        // No temporary files left beside the output.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["existing.json", "truncated.safetensors"])
    }

    @Test func badTrainingSettingsAreNamed() throws {
        let dir = try Paths.temporaryDirectory()
        let corpus = dir.appendingPathComponent("c.txt")
        try corpusText.write(to: corpus, atomically: true, encoding: .utf8)
        let r = try rnnscope("train", "--text-file", corpus.path, "--hidden", "0", "-o", dir.appendingPathComponent("m.safetensors").path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("hidden size must be between 1 and 4096, got 0"))
        let cell = try rnnscope("train", "--text-file", corpus.path, "--cell", "transformer", "-o", dir.appendingPathComponent("m.safetensors").path)
        #expect(cell.status != 0)
        #expect(cell.stderr.contains("transformer"))
    }

    @Test func helpListsEverySubcommandWithAnAbstract() throws {
        let r = try rnnscope("--help")
        #expect(r.status == 0)
        for sub in ["trace", "train", "sample", "bench"] {
            #expect(r.stdout.contains("  \(sub) "), "missing \(sub) in:\n\(r.stdout)")
        }
    }
}

@Suite("rnnscope train on a number series")
struct RegressionTrainingTests {
    @Test func aSeriesTrainsWithWordTokensByDefaultAndPredictsTheNextValue() throws {
        let dir = try Paths.temporaryDirectory()
        let series = dir.appendingPathComponent("sine.txt")
        try (0..<120).map { String(format: "%.3f", sin(Double($0) * 0.3)) }.joined(separator: " ")
            .write(to: series, atomically: true, encoding: .utf8)
        let model = dir.appendingPathComponent("sine.safetensors")
        let r = try rnnscope("train", "--text-file", series.path, "--task", "regression", "--cell", "lstm", "--hidden", "8",
                             "--epochs", "60", "--seq-length", "20", "--lr", "0.02", "-o", model.path)
        #expect(r.status == 0, "\(r.stderr)")
        let trace = try rnnscope("trace", "--model", model.path, "--text", "0.000 0.296 0.565 0.783")
        #expect(trace.status == 0, "\(trace.stderr)")
        let object = try JSONSerialization.jsonObject(with: trace.stdoutData) as! [String: Any]
        #expect(object["task"] as? String == "regression")
        let steps = object["steps"] as! [[String: Any]]
        // The next value after 0.565 is sin(0.9) = 0.783: a trained model gets close.
        let prediction = try #require(steps[2]["prediction"] as? Double)
        #expect(abs(prediction - 0.783) < 0.15, "predicted \(prediction)")

        let char = try rnnscope("train", "--text-file", series.path, "--task", "regression", "--tokenizer", "char", "-o", model.path)
        #expect(char.status != 0)
        #expect(char.stderr.contains("--task regression reads numbers"), "\(char.stderr)")
    }
}
