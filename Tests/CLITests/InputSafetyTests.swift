import Foundation
import Testing
import TestSupport

/// Text from files never reaches the terminal raw; replayed traces are checked once when read; numeric
/// options get range errors.
@Suite("rnnscope shows file text safely and checks traces")
struct InputSafetyTests {
    let model = GoldenFiles.model("lstm_word_embed").path
    let goldenTrace = GoldenFiles.trace("lstm_word_embed")

    /// Writes the golden LSTM trace changed by `edit` and replays it with `view --trace --plain`.
    func replay(_ edit: (inout [String: Any]) -> Void, extra: [String] = []) throws -> CommandResult {
        var json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: goldenTrace)) as? [String: Any])
        edit(&json)
        let dir = try Paths.temporaryDirectory()
        let file = dir.appendingPathComponent("trace.json")
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        let args = ["view", "--trace", file.path, "--plain", "--size", "120x40"] + extra
        return try run(Paths.binary.path, args)
    }

    func editStep(_ i: Int, _ key: String, _ value: Any) -> (inout [String: Any]) -> Void {
        { json in
            var steps = json["steps"] as! [[String: Any]]
            steps[i][key] = value
            json["steps"] = steps
        }
    }

    @Test func badTracesGetOneLineNamingTheFirstProblem() throws {
        let cases: [(String, (inout [String: Any]) -> Void, String)] = [
            ("target 999", editStep(4, "target", 999), "trace.json: step 4: target 999 is outside the vocabulary (0…5)"),
            ("target -1", editStep(2, "target", -1), "step 2: target -1 is outside the vocabulary"),
            ("t = Int.max", editStep(1, "t", Int.max), "step 1: t is 9223372036854775807, expected 1"),
            ("short probs", editStep(3, "probs", [0.5]), "step 3: probs has 1 numbers, expected 6"),
            ("short h", editStep(0, "h", [0.1]), "step 0: h has 1 numbers, expected 3"),
            ("gate names", editStep(0, "gates", ["r": [0.1, 0.2, 0.3]]), "step 0: gates are [r], expected [i f g o]"),
            ("version", { $0["version"] = 999 }, "version 999"),
            ("hidden size", { $0["hidden_size"] = 1 << 62 }, "hidden_size 4611686018427387904 is outside 1…4096"),
            ("input size", { $0["input_size"] = -5 }, "input_size -5 is outside"),
            ("empty vocab", { $0["vocab"] = [String]() }, "the vocabulary is empty"),
            ("token id", { $0["token_ids"] = [0, 1, 2, 3, 4, 5, 77] }, "token_ids[6] = 77 is outside the vocabulary"),
            ("cell", { $0["cell"] = "rnn_gelu" }, "cell \"rnn_gelu\" is not one rnnscope shows (rnn_tanh, rnn_relu, lstm or gru)"),
            ("layers missing", { $0["num_layers"] = 2 }, "step 0: layers has 0 entries, expected 2 (num_layers)"),
            ("num_layers", { $0["num_layers"] = 0 }, "num_layers 0 is outside 1…16"),
        ]
        for (name, edit, message) in cases {
            let r = try replay(edit)
            #expect(r.status == 1, "\(name): status \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(message), "\(name): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(name): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        // The unchanged golden trace still replays.
        let ok = try replay { _ in }
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test func controlCharactersFromFilesAreEscaped() throws {
        let esc = "\u{1b}]0;pwned\u{07}\u{1b}[2J"
        // Trace tokens and vocabulary entries in a plain frame.
        let r = try replay { json in
            var vocab = json["vocab"] as! [String]
            vocab[0] = esc
            json["vocab"] = vocab
            var tokens = json["tokens"] as! [String]
            tokens[1] = "x\u{9b}31m"
            json["tokens"] = tokens
        }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 || $0.value == 0x9b }, "\(r.stdout)")
        #expect(r.stdout.contains("\\u{1b}"), "\(r.stdout)")

        // An error message echoing the user's input.
        let e = try rnnscope("trace", "--model", model, "--text", "I love \u{1b}[2J")
        #expect(e.status != 0)
        #expect(e.stderr.contains("\\u{1b}[2J"), "\(e.stderr)")
        #expect(!e.stderr.unicodeScalars.contains { $0.value == 0x1b })

        // `sample` from a model whose vocabulary holds ESC and BEL (a char model trained on such a corpus).
        let dir = try Paths.temporaryDirectory()
        let corpus = dir.appendingPathComponent("c.txt"), m = dir.appendingPathComponent("m.safetensors")
        try String(repeating: "ab\u{1b}[2J\u{07}\n", count: 20).write(to: corpus, atomically: true, encoding: .utf8)
        let t = try rnnscope("train", "--text-file", corpus.path, "--hidden", "8", "--epochs", "3", "-o", m.path)
        #expect(t.status == 0, "\(t.stderr)")
        let s = try rnnscope("sample", "--model", m.path, "--length", "200")
        #expect(s.status == 0, "\(s.stderr)")
        #expect(!s.stdout.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 }, "\(s.stdout)")
        #expect(s.stdout.contains("\\u{1b}") || s.stdout.contains("\\u{7}"))
    }

    @Test func negativeAndNonFiniteNumbersGetRangeErrors() throws {
        let dir = try Paths.temporaryDirectory()
        let corpus = dir.appendingPathComponent("c.txt")
        try "I love AI and AI loves me . I love AI and AI loves me .".write(to: corpus, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("m.safetensors").path
        let cases: [([String], String)] = [
            (["view", "--model", model, "--text", "I love AI", "--plain", "--step", "-1"], "--step -1 is outside 0…2"),
            (["train", "--text-file", corpus.path, "--hidden", "-1", "-o", out], "hidden size must be between 1 and 4096, got -1"),
            (["sample", "--model", model, "--temperature", "-1"], "--temperature must be a finite number > 0"),
            (["train", "--text-file", corpus.path, "--clip", "nan", "-o", out], "--clip must be a finite number ≥ 0"),
            (["view", "--model", model, "--text", "I love AI", "--plain", "--size", "60x10"], "--size 60x10 is too small"),
        ]
        for (args, message) in cases {
            let r = try run(Paths.binary.path, args)
            #expect(r.status != 0, "\(args)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("Missing value"))
            #expect(r.stdout.isEmpty, "\(args): \(r.stdout)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func divergedTrainingWritesNothing() throws {
        let dir = try Paths.temporaryDirectory()
        let corpus = dir.appendingPathComponent("c.txt"), out = dir.appendingPathComponent("m.safetensors")
        try "I love AI and AI loves me . I love AI and AI loves me .".write(to: corpus, atomically: true, encoding: .utf8)
        let r = try rnnscope("train", "--text-file", corpus.path, "--hidden", "4", "--epochs", "3", "--lr", "1e308", "-o", out.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("training diverged"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func aTinyTemperatureIsTheGreedyChoice() throws {
        let greedy = try rnnscope("sample", "--model", model, "--prime", "I", "--length", "6", "--temperature", "1e-6")
        #expect(greedy.status == 0)
        for t in ["1e-300", "1e-308", "1e-320"] {
            let r = try rnnscope("sample", "--model", model, "--prime", "I", "--length", "6", "--temperature", t)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout == greedy.stdout, "temperature \(t): \(r.stdout) vs \(greedy.stdout)")
        }
    }
}
