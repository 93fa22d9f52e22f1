import Foundation
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

    @Test func unknownTokenIsNamedWithItsPosition() throws {
        let model = Paths.golden.appendingPathComponent("lstm_word_embed.safetensors").path
        let r = try rnnscope("trace", "--model", model, "--text", "I love cats")
        #expect(r.status != 0)
        #expect(r.stderr.contains("token \"cats\" at position 3 is not in the model's vocabulary"))
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stdout.isEmpty)
    }

    @Test func emptyInputAndMissingFilesAreReported() throws {
        let model = Paths.golden.appendingPathComponent("lstm_word_embed.safetensors").path
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
        let good = try Data(contentsOf: Paths.golden.appendingPathComponent("gru_word_embed.safetensors"))
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
