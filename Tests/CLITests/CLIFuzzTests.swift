import Foundation
import Testing
import TestSupport

/// Seeded, deterministic fuzzing of the command line: random combinations of the real commands and their
/// options with odd values, run through the real binary with a timeout. Each case must end by itself (not
/// killed by the timeout) with a status from 0 to 125 (no signal, no trap); a refusal must be one line on
/// standard error with nothing on standard output. Every case's time is measured and the slowest printed.
///
/// `RNNSCOPE_FUZZ_CASES=10000 swift test --filter CLIFuzzTests` runs a long campaign (default 200);
/// `RNNSCOPE_FUZZ_SEED` changes the seed, `RNNSCOPE_FUZZ_BINARY` runs another build (e.g. the release one).
@Suite struct CLIFuzzTests {

    /// Longer than this and the case counts as hung (the process is killed). Generous: the debug build on a
    /// shared machine, while the rest of the suite runs, takes seconds for a lesson that trains.
    static let timeout: TimeInterval = 60

    // Odd values, each option's own and some shared.
    static let numbers = ["0", "1", "2", "-1", "3", "999", "1e3", "9223372036854775807", "-9223372036854775808",
                          "99999999999999999999", "nan", "inf", "-inf", "1e-320", "1e308", "0.5", "", "x", "--", "-"]
    static let texts = ["I love AI", "I", "", " ", "love love love", "unknown words", "\u{1b}[2J", "a\u{7}b", "🙂",
                        "I love AI and AI loves me", String(repeating: "I love AI ", count: 200), "-", "--text", "\n"]
    static let sizes = ["80x24", "120x40", "1x1", "0x0", "1000x1000", "20x10", "80", "x", "80x-1", "9999x9999", "1001x5"]
    /// Every screen, and names that are not one.
    static let screens = ["panels", "sum", "weights", "cell", "text", "connect", "Sum", "", "diagram"]

    /// Files the cases refer to, made once in the case directory.
    struct Files {
        var models: [String]
        var traces: [String]
        var texts: [String]
        var lessons: [String]
    }

    static func makeFiles(in dir: URL) throws -> Files {
        var models = GoldenFiles.singleLayerCases.map { GoldenFiles.model($0).path }
        let broken = dir.appendingPathComponent("broken.safetensors")
        var bytes = try Data(contentsOf: GoldenFiles.model("lstm_word_embed"))
        bytes[9] = UInt8(ascii: "]")
        try bytes.write(to: broken)
        let empty = dir.appendingPathComponent("empty.safetensors")
        try Data().write(to: empty)
        models += [broken.path, empty.path, dir.path, dir.appendingPathComponent("missing.safetensors").path, "/dev/null"]
        let traces = [GoldenFiles.trace("lstm_word_embed").path, GoldenFiles.trace("gru_word_embed").path,
                      GoldenFiles.model("lstm_word_embed").path, empty.path, dir.appendingPathComponent("nowhere.json").path]
        let corpus = dir.appendingPathComponent("corpus.txt")
        try "I love AI . AI loves me . you love me .\nI love music\n".write(to: corpus, atomically: true, encoding: .utf8)
        let latin1 = dir.appendingPathComponent("latin1.txt")
        try Data([0x63, 0x61, 0x66, 0xE9]).write(to: latin1)
        let textFiles = [corpus.path, latin1.path, empty.path, dir.path, "/dev/null", GoldenFiles.input("lstm_word_embed").path]
        let lessons = ["1", "5", "7", "11", "0", "12", "-1", "99999999999999999999", "x", dir.appendingPathComponent("none.md").path,
                       corpus.path]
        return Files(models: models, traces: traces, texts: textFiles, lessons: lessons)
    }

    func arguments(_ files: Files, out: String, _ rng: inout SplitMix64) -> [String] {
        func pick(_ values: [String]) -> String { values.randomElement(using: &rng)! }
        func maybe(_ option: String, _ values: [String], _ odds: Int = 2) -> [String] {
            Int.random(in: 0..<odds, using: &rng) == 0 ? [option, pick(values)] : []
        }
        var args: [String]
        switch Int.random(in: 0..<9, using: &rng) {
        case 0, 1:
            args = ["trace"]
            if Int.random(in: 0..<4, using: &rng) == 0 {
                args += ["--lesson", pick(["1", "7", "11", "0", "x"])] + maybe("--cell", ["lstm", "gru", "rnn_tanh", "relu"], 3)
            } else {
                args += ["--model", pick(files.models)]
            }
            args += Bool.random(using: &rng) ? ["--text", pick(Self.texts)] : maybe("--text-file", files.texts)
            args += maybe("--format", ["json", "csv", "xml", ""]) + maybe("--loss-on", ["every_step", "last_step", "first"], 3)
            args += maybe("-o", [out, out + ".csv", "-", "/dev/null", files.texts[0], "nowhere/x.json"], 3)
        case 2, 3:
            args = ["view", "--plain"]
            if Bool.random(using: &rng) {
                args += ["--model", pick(files.models), "--text", pick(Self.texts)]
            } else {
                args += ["--trace", pick(files.traces)]
            }
            args += maybe("--step", Self.numbers) + maybe("--mode", ["forward", "backward", "sideways"]) + maybe("--size", Self.sizes)
            args += maybe("--view", Self.screens)
            if Int.random(in: 0..<3, using: &rng) == 0 { args.append(pick(["--ascii", "--no-color", "--monochrome"])) }
        case 4:
            args = ["sample", "--model", pick(files.models)] + maybe("--prime", Self.texts)
            args += maybe("--length", ["0", "1", "50", "100000", "100001", "1000000", "-1", "x"]) + maybe("--temperature", Self.numbers)
            args += maybe("--seed", Self.numbers, 3)
        case 5:
            // Small corpus and sizes: a case may train, but briefly.
            args = ["train", "--text-file", pick(files.texts), "-o", pick([out, out, "nowhere/m.safetensors", files.texts[0]])]
            args += maybe("--cell", ["lstm", "gru", "rnn_tanh", "elman"]) + maybe("--hidden", ["0", "1", "4", "8", "-1", "4097", "x"])
            args += maybe("--epochs", ["0", "1", "2", "-1", "9223372036854775807", "x"])
            args += maybe("--seq-length", ["0", "1", "3", "-5", "100000"]) + maybe("--lr", Self.numbers, 3)
            args += maybe("--clip", Self.numbers, 3) + maybe("--embedding", ["0", "1", "3", "5000"], 3)
            args += maybe("--tokenizer", ["word", "char", "byte"], 3) + maybe("--task", ["regression", "classification"], 4)
            if Bool.random(using: &rng) { args += ["--sequence-per-line"] + maybe("--batch-size", ["1", "2", "0", "10001"]) }
            args += maybe("--loss-on", ["every_step", "last_step"], 3) + maybe("--forget-bias", Self.numbers, 4)
            args += maybe("--optimizer", ["sgd", "adam", "adagrad", "rmsprop"], 3)
            if !args.contains("--epochs") { args += ["--epochs", "1"] }
        case 6:
            args = ["lesson", pick(files.lessons), "--plain"] + maybe("--step", Self.numbers) + maybe("--size", Self.sizes)
            args += maybe("--mode", ["forward", "backward", "up"], 3) + maybe("--view", Self.screens)
        case 7:
            args = ["lesson", pick(["validate", "corpus", "model"]), pick(files.lessons)]
            if args[1] == "model" { args += ["-o", pick([out, "-", files.texts[0]])] + maybe("--cell", ["gru", "lstm", "x"], 3) }
        default:
            args = [pick(["lessons", "--help", "--version", "bogus", "help", "trace", "view", "lesson"])]
            args += maybe(pick(["--model", "--text", "--plain", "--size", "-o", "--directory"]), Self.texts, 2)
        }
        return args
    }

    @Test func randomCommandLinesEndCleanlyWithOneLineRefusals() throws {
        let env = ProcessInfo.processInfo.environment
        let count = env["RNNSCOPE_FUZZ_CASES"].flatMap { Int($0) } ?? 200
        var rng = SplitMix64(seed: env["RNNSCOPE_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_240_604)
        let binary = env["RNNSCOPE_FUZZ_BINARY"] ?? Paths.binary.path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "rnnscope is not built at \(binary)")
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try Self.makeFiles(in: dir)
        let out = dir.appendingPathComponent("out.json").path
        var ok = 0, refused = 0, slowest = (seconds: 0.0, args: [String]())
        var overFive: [String] = []
        let started = Date()
        for n in 0..<count {
            let args = arguments(files, out: out, &rng)
            let r = try run(binary, args, directory: dir, timeout: Self.timeout, environment: ["SWIFT_BACKTRACE": "enable=no"])
            let shown = args.map { $0.count > 40 ? String($0.prefix(40)) + "…" : $0 }.joined(separator: " ").debugDescription
            #expect(!r.timedOut, "case \(n) hung (> \(Int(Self.timeout)) s): \(shown)")
            #expect(!r.signaled && (0...125).contains(r.status), "case \(n) crashed (status \(r.status)): \(shown)\n\(r.stderr.prefix(500))")
            if r.seconds > 5 { overFive.append(String(format: "%.1f s: ", r.seconds) + shown) }
            if r.seconds > slowest.seconds { slowest = (r.seconds, args) }
            if r.status == 0 {
                ok += 1
            } else {
                refused += 1
                // Training prints one progress line per epoch before it may stop.
                let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true).filter { !$0.hasPrefix("epoch ") }
                // Argument errors print the usage after their one-line reason; a lesson file lists each of its
                // problems on its own `file:line: …` line; every other refusal is one line.
                let usage = r.stderr.contains("Usage: ") || r.stderr.contains("USAGE: ") || r.stderr.contains("Help:")
                let problemList = args.first == "lesson" && lines.allSatisfy { line in
                    line.contains(".md:") || line.contains(".txt:") || line.hasPrefix("Error: ")
                }
                #expect(!lines.isEmpty, "case \(n): refused with no message: \(shown)")
                #expect(usage || problemList || lines.count == 1, "case \(n): \(shown)\n\(r.stderr.prefix(800))")
                #expect(r.stdoutData.isEmpty || args.first == "lesson" || usage, "case \(n): output and a refusal: \(shown)")
            }
            try? FileManager.default.removeItem(atPath: out)
        }
        let slowestShown = slowest.args.map { $0.count > 40 ? String($0.prefix(40)) + "…" : $0 }.joined(separator: " ")
        print("CLI fuzzer: \(count) cases, \(refused) refused, \(ok) ran, \(overFive.count) over 5 s, "
            + "slowest \(String(format: "%.2f", slowest.seconds)) s (\(slowestShown)), \(String(format: "%.1f", Date().timeIntervalSince(started))) s in all")
        for slow in overFive { print("  over 5 s: \(slow)") }
        #expect(ok + refused == count)
        #expect(ok > 0 && refused > 0)
    }
}
