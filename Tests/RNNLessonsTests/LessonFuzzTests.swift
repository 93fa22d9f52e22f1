import Foundation
import RNNEngine
import Testing
@testable import RNNLessons

/// Seeded, deterministic fuzzing of lesson files: mutations of the real lessons (front matter keys and values,
/// files named, step headings, placeholders, questions, checks, byte damage) go through the reader, parser and
/// validator, in a copy of the course (so lesson 10 finds its model and corpus). Only parsing and validation:
/// the validator estimates a recipe's training instead of training it, so no case trains a model.
/// Every problem must be one line `file:line: …` (or `file: …`); an accepted lesson must be complete.
///
/// `RNNSCOPE_FUZZ_CASES=10000 swift test --filter LessonFuzzTests` runs a long campaign (default 300);
/// `RNNSCOPE_FUZZ_SEED` changes the seed.
@Suite struct LessonFuzzTests {
    static let keys = LessonParser.frontMatterKeys.map(\.key)
    static let weirdValues = [
        "", "0", "-1", "1", "1024", "1025", "4096", "100000", "100001", "9223372036854775807", "-9223372036854775808",
        "1e308", "nan", "inf", "0.0001", "1.5", "abc", "lstm", "rnn_tanh, lstm, gru", "gru, gru", "word", "char",
        "per_line", "last_step", "regression", "sgd", "adam, adam", "../../../../../../etc/passwd", "/etc/passwd",
        "models/10-text-generation.safetensors", "corpora/lighthouse-log.txt", "corpora", "nowhere.safetensors",
        "recall keys=red,blue filler=w,x gap=200 lines=20000 before=0-5", "recall keys=a gap=0",
        "sine lines=20000 length=1000 period=2 noise=1", "sine lines=1", "\u{1b}[2J", "a\u{0}b", "🙂", "\u{202e}",
        String(repeating: "w ", count: 500),
    ]
    static let placeholders = [
        "{h[999]}", "{h[-1]}", "{h[9223372036854775807]}", "{prob \"x\"}", "{mean f}", "{", "}", "{{", "{}",
        "{epoch_loss[-99999999999]}", "{lstm: grad_norm}", "{gru: mean z}", "{token}", "{predicted}", "{T}",
        "{hidden_size}", "{corpus_lines .0}", "{prob target %}", "{x[0] / 0}", "{h[0] * 1e308 * 1e308}",
        "{sample[9.5]}", "{novelty}", "{unigram_loss}", "{timing 1000}", "{sigma_max}", "{divergence}",
    ]
    static let headings = [
        "## step 0", "## step -1", "## step 9223372036854775807", "## step 99999999999999999999", "## step 1.5",
        "## step 0 sideways", "## step 999 backward", "## end", "## end now", "## corpus", "## checks", "## steps 1",
        "## ", "##", "## step", "## step 0 forward extra",
    ]
    static let questionLines = [
        "> question: Which one?", "> - a: yes", "> - b: no", "> - z: late", "> - a:", "> answer: predicted",
        "> answer: closest {prob target}", "> answer: yes if mean f > 0.5 else no", "> answer: yes if else",
        "> explain: because {h[0]}", "> explain:", "> question: another", ">", "> - b: 0.5", "> answer: closest h[0]",
    ]
    static let checkLines = [
        "- lstm: recall_min >= 0.8", "- loss < 9", "- epoch_loss[-1] <= epoch_loss[0]", "- h[0] > ", "- > 1",
        "- gru: mean z >= 0", "- 1 < 2 < 3", "- prob target % >= 0", "- unknown_value > 0", "- {h[0]} > 0",
    ]

    func mutate(_ lines: inout [String], _ rng: inout SeededGenerator) {
        let frontEnd = lines.dropFirst().firstIndex { $0 == "---" } ?? min(1, lines.count)
        let anywhere = Int.random(in: 0...max(0, lines.count), using: &rng)
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1:  // a front matter value replaced, or a key given another value
            let key = Self.keys.randomElement(using: &rng)!
            let line = "\(key): \(Self.weirdValues.randomElement(using: &rng)!)"
            if let i = lines[..<frontEnd].firstIndex(where: { $0.hasPrefix(key + ":") }), Bool.random(using: &rng) {
                lines[i] = line
            } else {
                lines.insert(line, at: max(1, min(frontEnd, lines.count)))
            }
        case 2:  // a front matter line removed, or an unknown or broken one added
            if frontEnd > 1, Bool.random(using: &rng) {
                lines.remove(at: Int.random(in: 1..<frontEnd, using: &rng))
            } else {
                lines.insert(["colour: blue", "no colon here", ":", "---", "title:"].randomElement(using: &rng)!,
                             at: max(1, min(frontEnd, lines.count)))
            }
        case 3:  // a step heading changed or added
            if let i = lines.indices.filter({ lines[$0].hasPrefix("## ") }).randomElement(using: &rng), Bool.random(using: &rng) {
                lines[i] = Self.headings.randomElement(using: &rng)!
            } else {
                lines.insert(Self.headings.randomElement(using: &rng)!, at: anywhere)
            }
        case 4:  // a placeholder in some narration
            let i = Int.random(in: frontEnd..<max(frontEnd + 1, lines.count), using: &rng)
            if lines.indices.contains(i) { lines[i] += " " + Self.placeholders.randomElement(using: &rng)! }
        case 5:  // question lines changed or added
            if let i = lines.indices.filter({ lines[$0].hasPrefix(">") }).randomElement(using: &rng), Bool.random(using: &rng) {
                lines[i] = Self.questionLines.randomElement(using: &rng)!
            } else {
                lines.insert(contentsOf: ["", "> question: {predicted}?", "> - a: yes", "> - b: no",
                                          Self.questionLines.randomElement(using: &rng)!], at: anywhere)
            }
        case 6:  // a check
            if let i = lines.firstIndex(of: "## checks") {
                lines.insert(Self.checkLines.randomElement(using: &rng)!, at: i + 1)
            } else {
                lines += ["", "## checks", Self.checkLines.randomElement(using: &rng)!]
            }
        case 7:  // a highlight line after a step heading
            if let i = lines.indices.filter({ lines[$0].hasPrefix("## step") }).randomElement(using: &rng) {
                lines.insert("highlight: " + ["gates.f[2]", "hidden[999]", "cell", "gates.q", "output[-1]", "weights[1]",
                                              "hidden[9223372036854775808]", "nothing"].randomElement(using: &rng)!, at: i + 1)
            }
        case 8:  // lines removed or duplicated
            if !lines.isEmpty {
                let i = Int.random(in: 0..<lines.count, using: &rng)
                if Bool.random(using: &rng) { lines.remove(at: i) } else { lines.insert(lines[i], at: i) }
            }
        default:  // the corpus fence or section broken
            if let i = lines.firstIndex(where: { $0.hasPrefix("```") }) {
                lines.remove(at: i)
            } else {
                lines.insert(contentsOf: ["## corpus", "```", "a b a b", "```"], at: lines.count)
            }
        }
    }

    /// Byte-level damage: truncation, a changed byte, a NUL, CR line ends or a BOM.
    func damage(_ bytes: inout [UInt8], _ rng: inout SeededGenerator) {
        guard !bytes.isEmpty else { return }
        let at = Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: bytes.removeLast(bytes.count - at)
        case 1: bytes[at] = UInt8.random(in: 0...255, using: &rng)
        case 2: bytes.insert(0, at: at)
        case 3: bytes = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
        default: bytes = [0xEF, 0xBB, 0xBF] + bytes
        }
    }

    @Test func mutatedLessonsAreRejectedInOneLineOrAccepted() throws {
        let env = ProcessInfo.processInfo.environment
        let count = env["RNNSCOPE_FUZZ_CASES"].flatMap { Int($0) } ?? 300
        var rng = SeededGenerator(seed: env["RNNSCOPE_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_240_603)
        // A copy of the course: lessons with their corpora and models, mutated files written next to them.
        let dir = try TempDirectory()
        let course = Fixture.lessonsDirectory
        for item in try FileManager.default.contentsOfDirectory(atPath: course) {
            try FileManager.default.copyItem(atPath: course + "/" + item, toPath: dir.path + "/" + item)
        }
        let bases = try FileManager.default.contentsOfDirectory(atPath: course).filter { $0.hasSuffix(".md") && $0 != "README.md" }
            .sorted().map { try String(contentsOfFile: course + "/" + $0, encoding: .utf8) }
        #expect(bases.count == 11)
        var accepted = 0, rejected = 0, problemCount = 0
        var slowest = 0.0
        let started = Date()
        for n in 0..<count {
            let caseStart = Date()
            var lines = bases[n % bases.count].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for _ in 0..<Int.random(in: 1...3, using: &rng) { mutate(&lines, &rng) }
            var bytes = Array(lines.joined(separator: "\n").utf8)
            if n % 10 == 9 { damage(&bytes, &rng) }
            let path = dir.path + "/fuzz.md"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let report = LessonValidator.validate(path: path)
            if report.isValid {
                accepted += 1
                #expect(report.lesson != nil, "case \(n): valid without a lesson")
                if let seconds = report.trainingSeconds, report.lesson?.model.files == nil {
                    #expect(seconds <= LessonValidator.openingBudget, "case \(n): accepted a recipe estimated at \(seconds) s")
                }
            } else {
                rejected += 1
                problemCount += report.problems.count
                for problem in report.problems {
                    let line = problem.description
                    #expect(line.hasPrefix(path + ":"), "case \(n): \(line)")
                    #expect(!line.contains("\n"), "case \(n): \(line)")
                }
            }
            slowest = max(slowest, Date().timeIntervalSince(caseStart))
        }
        print("lesson fuzzer: \(count) cases, \(rejected) rejected (\(problemCount) problems, each one line), \(accepted) accepted, "
            + "slowest case \(String(format: "%.3f", slowest)) s, \(String(format: "%.1f", Date().timeIntervalSince(started))) s in all")
        #expect(accepted + rejected == count)
        #expect(accepted > 0 && rejected > 0)
    }
}
