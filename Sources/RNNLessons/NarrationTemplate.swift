/// Narration split into literal text and `{…}` placeholders, each placeholder with its line.
///
/// `{{` and `}}` stand for literal braces. Quoted text inside a placeholder may contain braces
/// (`{prob "}"}`).
public struct NarrationTemplate: Equatable, Sendable {
    public enum Part: Equatable, Sendable {
        case text(String)
        case placeholder(Placeholder, line: Int)
    }

    public var parts: [Part]

    public init(parts: [Part]) { self.parts = parts }

    /// Told the text of every parse; nil (nobody told) except where a test counts how often a lesson's
    /// narration is parsed (`$parseObserver.withValue`): each text is meant to be parsed once, with its file.
    @TaskLocal public static var parseObserver: (@Sendable (String) -> Void)?

    /// Every placeholder with its line.
    public var placeholders: [(Placeholder, Int)] {
        parts.compactMap { if case let .placeholder(p, line) = $0 { return (p, line) } else { return nil } }
    }

    /// Parses `text` whose first line is `line`. Problems are collected, not thrown, so that a
    /// validator sees all of them; a bad placeholder is kept as literal text.
    public static func parse(_ text: String, line firstLine: Int) -> (NarrationTemplate, [LessonProblem.Located]) {
        parseObserver?(text)
        var parts: [Part] = []
        var problems: [LessonProblem.Located] = []
        var literal = ""
        var line = firstLine
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            if ch == "{" && i + 1 < chars.count && chars[i + 1] == "{" {
                literal.append("{"); i += 2; continue
            }
            if ch == "}" && i + 1 < chars.count && chars[i + 1] == "}" {
                literal.append("}"); i += 2; continue
            }
            if ch == "}" {
                problems.append(.init(line: line, message: "a lone \"}\": expected it to close a {placeholder}, or write }} for a literal brace"))
                literal.append(ch); i += 1; continue
            }
            if ch == "\n" { line += 1 }
            guard ch == "{" else { literal.append(ch); i += 1; continue }
            // Find the closing brace, skipping quoted text.
            var j = i + 1
            var inQuote = false
            var escaped = false
            while j < chars.count {
                let c = chars[j]
                if c == "\n" { break }
                if inQuote {
                    if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inQuote = false }
                } else if c == "\"" {
                    inQuote = true
                } else if c == "}" {
                    break
                }
                j += 1
            }
            guard j < chars.count, chars[j] == "}" else {
                problems.append(.init(line: line, message: "unclosed placeholder \"{\(String(chars[(i + 1)..<j]))\": expected a closing } on the same line (write {{ for a literal brace)"))
                literal.append(contentsOf: chars[i..<j]); i = j; continue
            }
            let source = String(chars[(i + 1)..<j]).trimmingSpaces
            do {
                let placeholder = try PlaceholderParser.parsePlaceholder(source)
                if !literal.isEmpty { parts.append(.text(literal)); literal = "" }
                parts.append(.placeholder(placeholder, line: line))
            } catch {
                problems.append(.init(line: line, message: error.message))
                literal.append(contentsOf: chars[i...j])
            }
            i = j + 1
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        return (NarrationTemplate(parts: parts), problems)
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines (Foundation-free trimming).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
