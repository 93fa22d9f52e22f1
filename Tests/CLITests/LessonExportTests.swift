import Foundation
import Testing

/// `rnnscope lesson model`, `lesson corpus` and the checks of `lesson validate`, through the real binary.
@Suite("rnnscope lesson model / corpus / checks")
struct LessonExportTests {
    let course = Paths.packageRoot.appendingPathComponent("lessons").path

    /// `lesson N --record`: an asciinema v2 file a player accepts — a JSON header, then [time, "o", text]
    /// events in time order — walking the lesson: every step, its questions asked, then answered.
    @Test func recordWritesAnAsciinemaWalkThroughTheLesson() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cast = dir.appendingPathComponent("lesson1.cast")
        let r = try rnnscope("lesson", "1", "--directory", course, "--record", cast.path, "--size", "160x50")
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOf: cast, encoding: .utf8).split(separator: "\n")
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(header["version"] as? Int == 2 && header["width"] as? Int == 160 && header["height"] as? Int == 50)
        #expect((header["title"] as? String)?.contains("Lesson 1: What an RNN is") == true, "\(header)")
        let events = try lines.dropFirst().map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [Any]) }
        let times = events.compactMap { $0[0] as? Double }
        #expect(times.count == events.count && times == times.sorted() && times.last! > 10, "\(times)")
        #expect(events.allSatisfy { $0[1] as? String == "o" })
        let screens = events.compactMap { $0[2] as? String }
            .map { $0.replacingOccurrences(of: "\u{1b}\\[[0-9;]*[mHJ]", with: "", options: .regularExpression) }
        let asked = try #require(screens.firstIndex { $0.contains("Predict first") }, "no frame with the question open")
        let revealed = try #require(screens.firstIndex { $0.contains("live answer is") }, "no frame with the reveal")
        #expect(asked < revealed)
        #expect(screens[revealed].contains("✓") && !screens[revealed].contains("✗"), "answered with the right choice:\n\(screens[revealed])")
        // Lesson 1 has no backward part: the walk is every step forward.
        for t in 0...2 { #expect(screens.contains { $0.contains("t=\(t) of 0…2") }, "t=\(t) is not in the walk") }
        #expect(!screens.contains { $0.contains("backward (BPTT)") })
        #expect(try rnnscope("lesson", "1", "--directory", course, "--record", cast.path, "--size", "160x50").stdout.isEmpty)
        #expect(try String(contentsOf: cast, encoding: .utf8) == lines.joined(separator: "\n") + "\n", "the same lesson records the same file")

        let plain = try rnnscope("lesson", "1", "--directory", course, "--record", cast.path, "--plain")
        #expect(plain.status == 64 && plain.stderr.contains("--record writes a recording instead of opening the viewer"), "\(plain.stderr)")
    }

    @Test func corpusPrintsTheGeneratedLinesTheSameEveryTime() throws {
        let first = try rnnscope("lesson", "corpus", "7", "--directory", course)
        #expect(first.status == 0, "\(first.stderr)")
        let lines = first.stdout.split(separator: "\n")
        #expect(lines.count == 300, "lesson 7 trains on 300 generated lines")
        for line in lines {
            // Every sentence: a colour, five fillers, the colour again.
            for sentence in line.split(separator: ".").map({ $0.split(separator: " ") }) {
                #expect(sentence.count == 7 && sentence.first == sentence.last, "\(line)")
            }
        }
        #expect(try rnnscope("lesson", "corpus", "7", "--directory", course).stdout == first.stdout)
    }

    @Test func aModelItWritesGivesTheLessonsNumbersThroughTrace() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("lesson7.safetensors").path
        let written = try rnnscope("lesson", "model", "7", "--directory", course, "-o", model)
        #expect(written.status == 0, "\(written.stderr)")
        let lessonFile = try String(contentsOfFile: course + "/07-lstm-gates.md", encoding: .utf8)
        let input = try #require(lessonFile.split(separator: "\n").first { $0.hasPrefix("input: ") }).dropFirst("input: ".count)
        let fromFile = try rnnscope("trace", "--model", model, "--text", String(input), "--loss-on", "last_step")
        let fromLesson = try rnnscope("trace", "--lesson", course + "/07-lstm-gates.md")
        #expect(fromFile.status == 0 && fromLesson.status == 0, "\(fromFile.stderr)\(fromLesson.stderr)")
        let a = try #require(try JSONSerialization.jsonObject(with: fromFile.stdoutData) as? [String: Any])
        let b = try #require(try JSONSerialization.jsonObject(with: fromLesson.stdoutData) as? [String: Any])
        #expect(NSDictionary(dictionary: ["steps": a["steps"]!, "loss": a["loss"]!, "param_grads": a["param_grads"]!])
                == NSDictionary(dictionary: ["steps": b["steps"]!, "loss": b["loss"]!, "param_grads": b["param_grads"]!]))
    }

    @Test func badRequestsAreRefusedInOneLine() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let noCell = try rnnscope("lesson", "model", "5", "--directory", course, "--cell", "gru", "-o", dir.appendingPathComponent("m").path)
        #expect(noCell.status != 0)
        #expect(noCell.stderr.contains("runs no gru model: expected --cell rnn_tanh or lstm"), "\(noCell.stderr)")
        let lessonPath = course + "/07-lstm-gates.md"
        let before = try Data(contentsOf: URL(fileURLWithPath: lessonPath))
        let overwrite = try rnnscope("lesson", "model", lessonPath, "-o", lessonPath)
        #expect(overwrite.status != 0)
        #expect(overwrite.stderr.contains("the same file as the lesson"), "\(overwrite.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: lessonPath)) == before, "the lesson file must be untouched")

        let modelOnly = dir.appendingPathComponent("01-model.md")
        // A lesson reads files in its own directory only.
        try FileManager.default.copyItem(atPath: "\(Paths.packageRoot.path)/Tests/Golden/lstm_word_embed.safetensors",
                                         toPath: dir.appendingPathComponent("lstm_word_embed.safetensors").path)
        try """
            ---
            title: A model file
            summary: No recipe.
            cell: lstm
            input: I love AI
            model: lstm_word_embed.safetensors
            ---
            """.write(to: modelOnly, atomically: true, encoding: .utf8)
        let corpus = try rnnscope("lesson", "corpus", modelOnly.path)
        #expect(corpus.status != 0)
        #expect(corpus.stderr.contains("loads a model file and has no training recipe"), "\(corpus.stderr)")
    }

    @Test func validateRunsTheChecksAndNamesAFailingOne() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("01-claims.md")
        try """
            ---
            title: Claims
            summary: One true, one false.
            cell: rnn_tanh
            input: a b a
            corpus: a b a b a b a b
            tokenizer: word
            hidden_size: 3
            optimizer: adam
            learning_rate: 0.05
            epochs: 30
            seq_length: 4
            seed: 1
            ---

            ## checks

            - prob "b"@0 > 0.5
            - prob "a"@0 > 0.5
            """.write(to: file, atomically: true, encoding: .utf8)
        let r = try rnnscope("lesson", "validate", file.path)
        #expect(r.status == 1)
        #expect(r.stdout.contains("1 of 2 check(s) failed"), "\(r.stdout)")
        #expect(r.stdout.contains("✓ prob \"b\"@0 > 0.5"), "\(r.stdout)")
        #expect(r.stderr.hasPrefix(file.path + ":19: check failed: prob \"a\"@0 > 0.5 (measured "), "\(r.stderr)")
    }

    @Test func trainsOneSequencePerLineDeterministically() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("recall.txt")
        try (0..<40).map { ["red w w red", "blue w w blue"][$0 % 2] }.joined(separator: "\n")
            .write(to: corpus, atomically: true, encoding: .utf8)
        var outputs: [Data] = []
        for name in ["a", "b"] {
            let out = dir.appendingPathComponent("\(name).safetensors")
            let r = try rnnscope("train", "--text-file", corpus.path, "--tokenizer", "word", "--cell", "lstm", "--hidden", "4",
                                 "--epochs", "3", "--sequence-per-line", "--loss-on", "last_step", "--batch-size", "4",
                                 "--forget-bias", "1", "-o", out.path)
            #expect(r.status == 0, "\(r.stderr)")
            outputs.append(try Data(contentsOf: out))
        }
        #expect(outputs[0] == outputs[1])
        let refused = try rnnscope("train", "--text-file", corpus.path, "--batch-size", "4", "-o", dir.appendingPathComponent("c").path)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--batch-size averages several sequences: it needs --sequence-per-line"), "\(refused.stderr)")
    }
}

@Suite("rnnscope help")
struct HelpTextTests {
    @Test func defaultsPrintAsUsersWriteThem() throws {
        let r = try rnnscope("help", "view")
        #expect(r.status == 0)
        #expect(r.stdout.contains("(default:\n                          120x40)") || r.stdout.contains("(default: 120x40)"), "\(r.stdout)")
        #expect(!r.stdout.contains("FrameSize("), "\(r.stdout)")
    }
}
