import Foundation
import RNNEngine

/// `corpus_generator:` — a seeded synthetic task, written out as a corpus of independent sequences, one per
/// line (so it trains with `SequenceSplit.perLine`, every sequence from the zero state).
///
/// A lesson about memory needs many sentences with *random* keys: with one short fixed-order corpus a model
/// learns where it is in the corpus instead of the dependency. The generator also knows the task, so the
/// lesson can test its model on every key in every context (`LessonProbes`).
public enum CorpusGenerator: Equatable, Sendable {
    case recall(RecallTask)
    case sine(SineTask)

    /// What `corpus_generator:` expects, for messages and the README.
    public static let expects = "recall keys=red,blue,green filler=w gap=5 lines=300 before=0-2, "
        + "or sine lines=300 length=24 period=12 noise=0.05"

    /// The corpus text: one sequence per line, the same for the same seed on every machine.
    public func corpus(seed: UInt64) -> String {
        var random = SeededGenerator(seed: seed)
        switch self {
        case .recall(let task): return (0..<task.lines).map { _ in task.randomLine(&random) }.joined(separator: "\n")
        case .sine(let task): return (0..<task.lines).map { _ in task.randomLine(&random) }.joined(separator: "\n")
        }
    }

    /// Tokens of each line, at least, and the vocabulary's size: what training on the corpus costs is known
    /// before it is written (lines=20000 length=1000 is 20 million numbers to write and tokenize).
    public var minimumLineLengths: [Int] {
        switch self {
        case .recall(let task): return Array(repeating: task.gap + 2, count: task.lines)
        case .sine(let task): return Array(repeating: task.length, count: task.lines)
        }
    }

    public var vocabularySize: Int {
        switch self {
        case .recall(let task): return task.keys.count + task.fillers.count
        case .sine: return 1
        }
    }

    /// Parses `recall key=value …` or `sine key=value …`.
    public static func parse(_ text: String) throws(LessonSyntaxError) -> CorpusGenerator {
        let words = text.split(separator: " ").map(String.init)
        guard let kind = words.first else { throw LessonSyntaxError("empty corpus_generator: expected \(expects)") }
        var settings: [String: String] = [:]
        for word in words.dropFirst() {
            guard let eq = word.firstIndex(of: "="), eq != word.startIndex else {
                throw LessonSyntaxError("\"\(word)\" in corpus_generator is not key=value: expected \(expects)")
            }
            settings[String(word[..<eq])] = String(word[word.index(after: eq)...])
        }
        var reader = SettingsReader(kind: kind, settings: settings)
        let generator: CorpusGenerator
        switch kind {
        case "recall":
            let keys = try reader.list("keys")
            let fillers = try reader.list("filler")
            guard keys.count >= 2, Set(keys).count == keys.count, Set(keys).isDisjoint(with: fillers), !keys.contains("."),
                  !fillers.contains("."), !fillers.contains(""), !keys.contains("") else {
                throw LessonSyntaxError("recall keys=\(keys.joined(separator: ",")): expected two or more different keys, none of them a filler or \".\"")
            }
            let before = try reader.range("before", default: 0...0, within: 0...5)
            generator = .recall(RecallTask(keys: keys, fillers: fillers, gap: try reader.int("gap", 1...200),
                                           lines: try reader.int("lines", 1...20_000), sentencesBefore: before))
        case "sine":
            generator = .sine(SineTask(lines: try reader.int("lines", 1...20_000), length: try reader.int("length", 2...1000),
                                       period: try reader.number("period", 2...1000), noise: try reader.number("noise", 0...1)))
        default:
            throw LessonSyntaxError("unknown corpus_generator \"\(kind)\": expected \(expects)")
        }
        if let extra = reader.unread.first {
            throw LessonSyntaxError("unknown setting \"\(extra)\" for corpus_generator \(kind): expected \(expects)")
        }
        return generator
    }
}

/// Remember-the-key: each line is `before` complete sentences "k w … w k ." and one more sentence whose final
/// key is the target. Keys are drawn at random, so nothing but memory predicts the last word.
public struct RecallTask: Equatable, Sendable {
    public var keys: [String]
    /// The words between a key and its recall: one repeated, or several drawn at random (distractors the
    /// memory must survive).
    public var fillers: [String]
    /// Filler words between a key and its recall.
    public var gap: Int
    public var lines: Int
    /// How many complete sentences come before the one whose recall is trained (drawn per line).
    public var sentencesBefore: ClosedRange<Int>

    /// "key filler … filler key": a key, `gap` fillers (drawn from `random`), the key again.
    public func sentence(_ key: String, random: inout SeededGenerator) -> String {
        let between = (0..<gap).map { _ in fillers.count == 1 ? fillers[0] : fillers[random.index(below: fillers.count)] }
        return ([key] + between + [key]).joined(separator: " ")
    }

    /// A sentence after `context` (complete sentences, each closed by "."), as the model reads it.
    public func sentence(_ key: String, after context: [String], random: inout SeededGenerator) -> String {
        (context.map { sentence($0, random: &random) + " ." } + [sentence(key, random: &random)]).joined(separator: " ")
    }

    func randomLine(_ random: inout SeededGenerator) -> String {
        let count = sentencesBefore.lowerBound + random.index(below: sentencesBefore.count)
        let context = (0..<count).map { _ in keys[random.index(below: keys.count)] }
        return sentence(keys[random.index(below: keys.count)], after: context, random: &random)
    }
}

/// A noisy sine wave, one stretch per line, each starting at a random phase: `length` values of
/// sin(2π(t + φ)/period) + noise·N(0, 1), written with two decimals.
public struct SineTask: Equatable, Sendable {
    public var lines: Int
    public var length: Int
    public var period: Double
    public var noise: Double

    /// `count` values starting at phase `phase` (in steps), with noise drawn from `random`.
    public func values(count: Int, phase: Double, random: inout SeededGenerator) -> [Double] {
        (0..<count).map { t in
            let clean = sin(2 * Double.pi * (Double(t) + phase) / period)
            let value = clean + noise * Double(random.normal())
            // Two decimals, as the corpus is written, so probes read exactly what training read.
            return (value * 100).rounded() / 100
        }
    }

    /// Numbers as the corpus writes them.
    public static func text(_ values: [Double]) -> String {
        values.map { String(format: "%.2f", $0) }.joined(separator: " ")
    }

    func randomLine(_ random: inout SeededGenerator) -> String {
        let phase = Double(random.uniform(0, 1)) * period
        return Self.text(values(count: length, phase: phase, random: &random))
    }
}

/// Reads `key=value` settings of one generator, remembering which were used.
private struct SettingsReader {
    let kind: String
    var settings: [String: String]

    var unread: [String] { settings.keys.sorted() }

    private mutating func take(_ key: String) throws(LessonSyntaxError) -> String {
        guard let value = settings.removeValue(forKey: key), !value.isEmpty else {
            throw LessonSyntaxError("corpus_generator \(kind) needs \(key)=…: expected \(CorpusGenerator.expects)")
        }
        return value
    }

    mutating func int(_ key: String, _ range: ClosedRange<Int>) throws(LessonSyntaxError) -> Int {
        let text = try take(key)
        guard let v = Int(text), range.contains(v) else {
            throw LessonSyntaxError("bad \(key)=\(text) in corpus_generator: expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return v
    }

    mutating func number(_ key: String, _ range: ClosedRange<Double>) throws(LessonSyntaxError) -> Double {
        let text = try take(key)
        guard let v = Double(text), v.isFinite, range.contains(v) else {
            throw LessonSyntaxError("bad \(key)=\(text) in corpus_generator: expected a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return v
    }

    mutating func word(_ key: String) throws(LessonSyntaxError) -> String {
        try take(key)
    }

    mutating func list(_ key: String) throws(LessonSyntaxError) -> [String] {
        try take(key).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }

    mutating func range(_ key: String, default fallback: ClosedRange<Int>,
                        within limits: ClosedRange<Int>) throws(LessonSyntaxError) -> ClosedRange<Int> {
        guard settings[key] != nil else { return fallback }
        let text = try take(key)
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...2).contains(parts.count), let low = parts.first ?? nil, let high = parts.last ?? nil,
              low <= high, limits.contains(low), limits.contains(high) else {
            throw LessonSyntaxError("bad \(key)=\(text) in corpus_generator: expected N or N-M with \(limits.lowerBound) ≤ N ≤ M ≤ \(limits.upperBound)")
        }
        return low...high
    }
}
