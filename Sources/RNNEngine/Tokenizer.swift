/// How text becomes tokens, as named in the model file's `tokenizer` metadata.
public enum TokenizerKind: String, Codable, CaseIterable, Sendable {
    /// Splits on runs of whitespace, ignoring leading/trailing whitespace (Python's `str.split()`).
    case word
    /// One token per Unicode scalar.
    case char

    public func tokenize(_ text: String) -> [String] {
        switch self {
        case .word:
            return text.unicodeScalars
                .split(whereSeparator: { $0.properties.isWhitespace })
                .map { String(String.UnicodeScalarView($0)) }
        case .char:
            return text.unicodeScalars.map { String($0) }
        }
    }

    /// Joins tokens back into text (for sampling output).
    public func join(_ tokens: [String]) -> String {
        switch self {
        case .word: return tokens.joined(separator: " ")
        case .char: return tokens.joined()
        }
    }
}
