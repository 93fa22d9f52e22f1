import RNNEngine

/// Parses the text inside `{…}` (and answer expressions) into an `Expression`.
///
/// Words are separated by spaces; `"…"` quotes a token that contains spaces or braces (`prob " "`).
/// Errors are one line saying what was found and what was expected; the caller adds `file:line`.
public enum PlaceholderParser {
    /// Parses a whole placeholder: an expression, optionally followed by a format word (`%` or `.N`).
    public static func parsePlaceholder(_ source: String) throws(LessonSyntaxError) -> Placeholder {
        var words = try split(source)
        var format = PlaceholderFormat.automatic
        if let last = words.last, words.count > 1 {
            if last == "%" {
                format = .percent
                words.removeLast()
            } else if last.hasPrefix("."), let n = Int(last.dropFirst()), last.count > 1 {
                guard (0...8).contains(n) else {
                    throw LessonSyntaxError("format \"\(last)\" asks for \(n) decimals: expected .0 to .8")
                }
                format = .decimals(n)
                words.removeLast()
            }
        }
        let expression = try parse(words: words, whole: source)
        return Placeholder(source: source, expression: expression, format: format)
    }

    /// Parses an expression with no format word (used by `answer:` lines).
    public static func parseExpression(_ source: String) throws(LessonSyntaxError) -> Expression {
        try parse(words: try split(source), whole: source)
    }

    private static func parse(words: [String], whole: String) throws(LessonSyntaxError) -> Expression {
        guard !words.isEmpty else {
            throw LessonSyntaxError("empty placeholder {}: expected a name such as {h[0]}, {token} or {mean f}")
        }
        var cursor = Cursor(words: words)
        let expression = try parseOne(&cursor)
        if let extra = cursor.peek() {
            throw LessonSyntaxError("unexpected \"\(extra)\" after a complete expression in {\(whole)}: "
                + "expected the placeholder to end there (functions come first: {mean h}, {ratio a b})")
        }
        return expression
    }

    private struct Cursor {
        var words: [String]
        var position = 0
        func peek() -> String? { position < words.count ? words[position] : nil }
        mutating func next() -> String? {
            defer { position += 1 }
            return peek()
        }
    }

    private static func parseOne(_ cursor: inout Cursor) throws(LessonSyntaxError) -> Expression {
        guard let word = cursor.next() else {
            throw LessonSyntaxError("the expression ends too early: expected a value after the last word")
        }
        // `lstm:` or `lstm:grad_norm` — the rest is evaluated in that cell's run.
        if let colon = word.firstIndex(of: ":"), !word.hasPrefix("\"") {
            let prefix = String(word[..<colon])
            guard let cell = CellKind(rawValue: prefix) else {
                throw LessonSyntaxError("\"\(prefix):\" names no cell: expected rnn_tanh:, rnn_relu:, lstm: or gru:")
            }
            let rest = String(word[word.index(after: colon)...])
            if !rest.isEmpty { cursor.words.insert(rest, at: cursor.position) }
            return .inCell(cell, try parseOne(&cursor))
        }
        if let function = LessonFunction(rawValue: word) {
            return .function(function, try parseOne(&cursor))
        }
        if let binary = BinaryFunction(rawValue: word) {
            let a = try parseOne(&cursor)
            let b = try parseOne(&cursor)
            return .binary(binary, a, b)
        }
        if word == "sample" || word == "novelty" {
            guard let text = cursor.next(), let t = Double(text), t > 0, t.isFinite else {
                throw LessonSyntaxError("\"\(word)\" needs a temperature: expected e.g. \(word) 0.5 (one of the lesson's temperature: values)")
            }
            return word == "sample" ? .sample(temperature: t) : .novelty(temperature: t)
        }
        if word == "prob" {
            return try parseProbability(&cursor)
        }
        if word == "after" {
            guard let quoted = cursor.next(), quoted.count >= 2, quoted.hasPrefix("\""), quoted.hasSuffix("\"") else {
                throw LessonSyntaxError("\"after\" needs a text in quotes, then a value: expected e.g. after \"red w w . green w w\" predicted")
            }
            let text = unescape(String(quoted.dropFirst().dropLast()))
            guard !text.trimmingSpaces.isEmpty else {
                throw LessonSyntaxError("\"after\" needs a text to run the model on: expected e.g. after \"red w w . green w w\" predicted")
            }
            return .after(text, try parseOne(&cursor))
        }
        if let first = word.first, first.isNumber || first == "-" || first == ".", let value = Double(word) {
            return .number(value)
        }
        return .term(try parseTerm(word))
    }

    private static func parseProbability(_ cursor: inout Cursor) throws(LessonSyntaxError) -> Expression {
        guard let word = cursor.next() else {
            throw LessonSyntaxError("\"prob\" needs a token: expected prob target, prob predicted or prob \"word\"")
        }
        var tokenText: String
        var stepText: String?
        var quoted = false
        if word.hasPrefix("\"") {
            // The closing quote is the last one; anything after it may be `@step`.
            guard let close = word.lastIndex(of: "\""), close != word.startIndex else {
                throw LessonSyntaxError("unclosed quote in \(word): expected \"token\"")
            }
            tokenText = unescape(String(word[word.index(after: word.startIndex)..<close]))
            let after = word[word.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix("@") else {
                    throw LessonSyntaxError("unexpected \"\(after)\" after \(word[...close]): expected @step or a space")
                }
                stepText = String(after.dropFirst())
            }
            quoted = true
        } else if let at = word.lastIndex(of: "@") {
            tokenText = String(word[..<at])
            stepText = String(word[word.index(after: at)...])
        } else {
            tokenText = word
        }
        let step = try stepText.map { text throws(LessonSyntaxError) in try parseStep(text) }
        let reference: TokenReference
        if !quoted && tokenText == "target" {
            reference = .target
        } else if !quoted && tokenText == "predicted" {
            reference = .predicted
        } else {
            reference = .literal(tokenText)
        }
        var temperature: Double?
        if cursor.peek() == "temp" {
            _ = cursor.next()
            guard let text = cursor.next(), let value = Double(text), value > 0, value.isFinite else {
                throw LessonSyntaxError("\"temp\" needs a positive number: expected e.g. prob predicted temp 0.5")
            }
            temperature = value
        }
        return .probability(reference, step: step, temperature: temperature)
    }

    /// `name`, `name[3]`, `name@prev`, `name[-1]@2`.
    static func parseTerm(_ word: String) throws(LessonSyntaxError) -> Term {
        let nameEnd = word.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") } ?? word.endIndex
        let name = String(word[..<nameEnd])
        guard !name.isEmpty else {
            throw LessonSyntaxError("\"\(word)\" is not a value: expected a name such as h, f, token or grad_norm")
        }
        guard LessonName.isKnown(name) else {
            throw LessonSyntaxError("unknown name \"\(name)\": expected one of \(knownNamesList)")
        }
        var rest = word[nameEnd...]
        var index: Int?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]"), let i = Int(rest[rest.index(after: rest.startIndex)..<close]) else {
                throw LessonSyntaxError("bad index in \"\(word)\": expected a whole number in brackets, e.g. \(name)[0]")
            }
            guard LessonName.isVector(name) else {
                throw LessonSyntaxError("\"\(name)\" is a single value and cannot be indexed: write {\(name)} without [\(i)]")
            }
            index = i
            rest = rest[rest.index(after: close)...]
        }
        var step: StepSelector?
        if rest.hasPrefix("@") {
            guard LessonName.isStepValue(name) else {
                throw LessonSyntaxError("\"\(name)\" belongs to the whole run, not to one step: remove the @\(rest.dropFirst())")
            }
            step = try parseStep(String(rest.dropFirst()))
            rest = ""
        }
        guard rest.isEmpty else {
            throw LessonSyntaxError("unexpected \"\(rest)\" in \"\(word)\": expected [index] and/or @step after the name")
        }
        return Term(name: name, index: index, step: step)
    }

    static func parseStep(_ text: String) throws(LessonSyntaxError) -> StepSelector {
        switch text {
        case "first": return .absolute(0)
        case "last": return .absolute(-1)
        case "prev": return .relative(-1)
        case "next": return .relative(1)
        default:
            guard let i = Int(text) else {
                throw LessonSyntaxError("bad step \"@\(text)\": expected @N, @-N (from the end), @first, @last, @prev or @next")
            }
            return .absolute(i)
        }
    }

    static let knownNamesList: String = {
        let names = LessonName.stepScalars.sorted() + LessonName.stepVectors.sorted() + ["i f g o (LSTM)", "r z n (GRU)"]
            + LessonName.runScalars.sorted() + LessonName.runVectors.sorted() + LessonName.probes.keys.sorted()
        return names.joined(separator: ", ") + ", or a function (" + LessonFunction.allCases.map(\.rawValue).joined(separator: ", ")
            + ", ratio, diff, prob, after, sample, novelty)"
    }()

    /// Splits on spaces, keeping `"…"` (with `\"` and `\\` escapes) inside one word.
    static func split(_ source: String) throws(LessonSyntaxError) -> [String] {
        var words: [String] = []
        var current = ""
        var inQuote = false
        var escaped = false
        for ch in source {
            if inQuote {
                current.append(ch)
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inQuote = false }
            } else if ch == " " || ch == "\t" {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(ch)
                if ch == "\"" { inQuote = true }
            }
        }
        if inQuote { throw LessonSyntaxError("unclosed quote in {\(source)}: expected a closing \"") }
        if !current.isEmpty { words.append(current) }
        return words
    }

    private static func unescape(_ s: String) -> String {
        var out = ""
        var escaped = false
        for ch in s {
            if escaped { out.append(ch); escaped = false } else if ch == "\\" { escaped = true } else { out.append(ch) }
        }
        return out
    }
}

/// A syntax problem without a location; the lesson parser adds `file:line`.
public struct LessonSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
