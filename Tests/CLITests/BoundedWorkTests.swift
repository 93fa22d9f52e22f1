import Foundation
import Testing
import TestSupport

/// Work that would take days or more memory than the machine has is refused up front, with one line
/// that says the estimate; a lesson reads only files in its own directory.
@Suite("rnnscope refuses unbounded work and files outside a lesson's directory")
struct BoundedWorkTests {
    /// A lesson in `dir` whose recipe trains per line on a tiny inline corpus, with `frontMatter` changes.
    func recipeLesson(hidden: Int = 4, epochs: Int = 1, embedding: Int = 0, extra: String = "") -> String {
        """
        ---
        title: Recipe
        summary: A recipe lesson.
        cell: rnn_tanh
        input: a b
        sequences: per_line
        tokenizer: word
        embedding: \(embedding)
        hidden_size: \(hidden)
        optimizer: adam
        learning_rate: 0.01
        epochs: \(epochs)
        seq_length: 16
        seed: 1
        \(extra)---

        Text.

        ## corpus

        ```
        a b a b c
        b a c a b
        ```
        """
    }

    @Test func aRecipeThatWouldTrainForHoursIsRefusedBeforeTraining() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let heavy = dir.appendingPathComponent("heavy.md")
        let text = recipeLesson(hidden: 1024, epochs: 100_000, embedding: 4096)
        try text.write(to: heavy, atomically: true, encoding: .utf8)
        let epochsLine = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("epochs:") }) + 1
        for args in [["lesson", "validate", heavy.path], ["lesson", heavy.path, "--plain"], ["trace", "--lesson", heavy.path]] {
            let r = try run(Paths.binary.path, args)
            #expect(r.status == 1, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("\(heavy.path):\(epochsLine): this recipe would train for about"), "\(r.stderr)")
            #expect(r.stderr.contains("about 19 hours on this machine class (100000 epoch(s) × 10 tokens, hidden_size 1024"), "\(r.stderr)")
            #expect(r.stderr.contains("expected under ~10 s") && r.stderr.contains("lower epochs or hidden_size"), "\(r.stderr)")
        }
        // A small one passes and says its estimate.
        let light = dir.appendingPathComponent("light.md")
        try recipeLesson().write(to: light, atomically: true, encoding: .utf8)
        let ok = try rnnscope("lesson", "validate", light.path)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("recipe: training estimated at under 0.1 s"), "\(ok.stdout)")
    }

    /// A fresh directory with the tiny training corpus `corpus.txt` ("abcd abcd"); the caller removes it.
    func directoryWithTinyCorpus() throws -> (dir: URL, corpus: URL) {
        let dir = try Paths.temporaryDirectory()
        let corpus = dir.appendingPathComponent("corpus.txt")
        try "abcd abcd\n".write(to: corpus, atomically: true, encoding: .utf8)
        return (dir, corpus)
    }

    @Test func trainingThatWouldRunForYearsIsRefusedBeforeTheFirstEpoch() throws {
        let (dir, corpus) = try directoryWithTinyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m.safetensors")
        let r = try rnnscope("train", "--text-file", corpus.path, "--hidden", "4", "--epochs", "9223372036854775807", "-o", model.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("this training would take about") && r.stderr.contains("years on this machine class"), "\(r.stderr)")
        #expect(r.stderr.contains("expected under a day; lower --epochs or --hidden"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: model.path))
        let ok = try rnnscope("train", "--text-file", corpus.path, "--hidden", "4", "--epochs", "2", "-o", model.path)
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test func aSampleLongerThanAnyoneReadsIsRefusedUpFront() throws {
        let model = GoldenFiles.model("lstm_word_embed").path
        let r = try rnnscope("sample", "--model", model, "--length", "100001")
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("--length must be between 0 and 100000, got 100001"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let most = try rnnscope("sample", "--model", model, "--length", "100000", "--seed", "4")
        #expect(most.status == 0, "\(most.stderr)")
        #expect(most.stdout.split(separator: " ").count >= 100_000)
    }

    @Test func aCorpusFileOutsideTheLessonDirectoryIsRefusedWithoutShowingIt() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lesson = dir.appendingPathComponent("outside.md")
        let text = recipeLesson(extra: "corpus_file: ../../../../../../../../etc/passwd\n")
            .replacingOccurrences(of: "## corpus\n\n```\na b a b c\nb a c a b\n```", with: "")
        try text.write(to: lesson, atomically: true, encoding: .utf8)
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("corpus_file:") }) + 1
        for args in [["lesson", "validate", lesson.path], ["lesson", "corpus", lesson.path]] {
            let r = try run(Paths.binary.path, args)
            #expect(r.status == 1, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("\(lesson.path):\(line): corpus_file \"../../../../../../../../etc/passwd\" is outside the lesson's directory"), "\(r.stderr)")
            #expect(!r.stderr.contains("root") && !r.stdout.contains("root"), "\(r.stderr)")
        }
    }

    @Test func aRunTooLargeForMemoryIsRefusedUpFront() throws {
        let (dir, corpus) = try directoryWithTinyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        // An H=256 char LSTM (untrained: 0 epochs) and an input of 100,000 characters.
        let model = dir.appendingPathComponent("h256.safetensors")
        let trained = try rnnscope("train", "--text-file", corpus.path, "--hidden", "256", "--epochs", "0", "-o", model.path)
        #expect(trained.status == 0, "\(trained.stderr)")
        // 2,000,000 characters: too long to record (and so to show or export) in 8 GB.
        let input = dir.appendingPathComponent("input.txt")
        try String(repeating: "abcd ", count: 400_000).write(to: input, atomically: true, encoding: .utf8)
        let json = try rnnscope("trace", "--model", model.path, "--text-file", input.path, "-o", dir.appendingPathComponent("t.json").path)
        #expect(json.status == 1)
        #expect(json.stderr.contains("this run would need about 46 GB of memory to export as JSON (2,000,000 steps × 4,626 numbers per step"), "\(json.stderr)")
        #expect(json.stderr.contains("shorten the input to at most"), "\(json.stderr)")
        #expect(json.stderr.split(separator: "\n").count == 1, "\(json.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("t.json").path))
        let csv = try rnnscope("trace", "--model", model.path, "--text-file", input.path, "--format", "csv")
        #expect(csv.status == 1 && csv.stderr.contains("to export as CSV"), "\(csv.stderr)")
        #expect(csv.stdout.isEmpty)
        let view = try rnnscope("view", "--model", model.path, "--text-file", input.path, "--plain")
        #expect(view.status == 1 && view.stderr.contains("of memory to record and show (2,000,000 steps"), "\(view.stderr)")
        // A short input still runs.
        let short = try rnnscope("trace", "--model", model.path, "--text", "abcd", "--format", "csv")
        #expect(short.status == 0, "\(short.stderr)")
    }

    @Test func aLessonPathWithANewlineIsReportedOnOneLine() throws {
        // Found by the CLI fuzzer: `rnnscope lesson $'\n'` printed its refusal over two lines.
        let r = try rnnscope("lesson", "no\nsuch.md", "--plain")
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("such.md: no such file"), "\(r.stderr)")
    }
}
