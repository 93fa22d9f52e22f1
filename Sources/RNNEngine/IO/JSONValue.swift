/// A JSON value as read from a safetensors header or from the `vocab` metadata.
///
/// The model file is untrusted input, so we parse it ourselves rather than through `JSONSerialization`:
/// numbers keep their exact text (offsets must be whole numbers that fit in `Int`, checked by the caller),
/// duplicate object keys are an error instead of "last one wins", object order is kept for messages,
/// and nesting depth is bounded so a hostile header cannot exhaust the stack.
enum JSONValue: Equatable, Sendable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// The number's text exactly as written, already checked against the JSON number grammar.
    case number(String)
    case bool(Bool)
    case null

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(x), .array(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// "an object", "a string", … for messages such as `metadata "vocab" is a number, not a string`.
    var kindDescription: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// The value as compact JSON text, for quoting it in a message.
    var compactText: String {
        switch self {
        case let .object(pairs):
            return "{" + pairs.map { JSONText.quoted($0.key) + ":" + $0.value.compactText }.joined(separator: ",") + "}"
        case let .array(items): return "[" + items.map(\.compactText).joined(separator: ", ") + "]"
        case let .string(s): return JSONText.quoted(s)
        case let .number(n): return n
        case let .bool(b): return b ? "true" : "false"
        case .null: return "null"
        }
    }
}

/// Why a JSON text could not be parsed, with the byte offset where the parser stopped.
struct JSONParseError: Error, Equatable {
    var message: String
    var offset: Int
    var description: String { "\(message) at byte \(offset)" }
}

/// A strict RFC 8259 parser over UTF-8 bytes.
struct JSONParser {
    /// Deeper nesting than this is refused; a safetensors header needs 3 levels.
    static let maximumDepth = 64

    private let bytes: [UInt8]
    private var index = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses one complete JSON text; only whitespace may follow the value (safetensors pads with spaces).
    static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index < bytes.count {
            throw JSONParseError(message: "unexpected \(parser.describe(bytes[parser.index])) after the end of the value", offset: parser.index)
        }
        return value
    }

    static func parse(_ text: String) throws(JSONParseError) -> JSONValue { try parse(Array(text.utf8)) }

    // MARK: - Grammar

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw fail("nesting deeper than \(Self.maximumDepth) levels") }
        guard index < bytes.count else { throw fail("unexpected end of text") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case let b: throw fail("unexpected \(describe(b))")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        index += 1  // {
        var pairs: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()
        skipWhitespace()
        if peek(UInt8(ascii: "}")) { index += 1; return .object(pairs) }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw fail("expected a quoted key") }
            let keyOffset = index
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw JSONParseError(message: "duplicate key \(JSONText.quoted(key))", offset: keyOffset)
            }
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw fail("expected ':' after key \(JSONText.quoted(key))") }
            index += 1
            skipWhitespace()
            pairs.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { index += 1; continue }
            if peek(UInt8(ascii: "}")) { index += 1; return .object(pairs) }
            throw fail("expected ',' or '}' in object")
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        index += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { index += 1; continue }
            if peek(UInt8(ascii: "]")) { index += 1; return .array(items) }
            throw fail("expected ',' or ']' in array")
        }
    }

    /// Linear in the string's length: unescaped runs are checked as UTF-8 and copied once into one byte
    /// buffer, escapes are appended as their UTF-8 bytes, and the String is made once at the end (appending
    /// to a `String.UnicodeScalarView` copied everything built so far at each escape: quadratic).
    private mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        index += 1  // opening quote
        var utf8: [UInt8] = []  // the string so far, valid UTF-8
        var runStart = index    // start of the current unescaped run in `bytes`
        while true {
            guard index < bytes.count else {
                throw JSONParseError(message: "unterminated string", offset: start)
            }
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                let run = bytes[runStart..<index]
                guard let text = String(validating: run, as: UTF8.self) else {
                    throw JSONParseError(message: "string is not valid UTF-8", offset: start)
                }
                index += 1
                if b == UInt8(ascii: "\"") {
                    // No escape at all (most strings): the validated run is the string.
                    if utf8.isEmpty { return text }
                    utf8.append(contentsOf: run)
                    return String(decoding: utf8, as: UTF8.self)
                }
                utf8.append(contentsOf: run)
                guard index < bytes.count else { throw fail("unterminated escape") }
                let e = bytes[index]
                index += 1
                let scalar: Unicode.Scalar
                switch e {
                case UInt8(ascii: "\""): scalar = "\""
                case UInt8(ascii: "\\"): scalar = "\\"
                case UInt8(ascii: "/"): scalar = "/"
                case UInt8(ascii: "b"): scalar = "\u{08}"
                case UInt8(ascii: "f"): scalar = "\u{0C}"
                case UInt8(ascii: "n"): scalar = "\n"
                case UInt8(ascii: "r"): scalar = "\r"
                case UInt8(ascii: "t"): scalar = "\t"
                case UInt8(ascii: "u"): scalar = try parseUnicodeEscape()
                default:
                    index -= 1
                    throw fail("invalid escape \\\(describeBare(e))")
                }
                UTF8.encode(scalar) { utf8.append($0) }
                runStart = index
            case 0x00..<0x20:
                throw fail("control character \(describe(b)) inside a string (it must be escaped)")
            default:
                index += 1
            }
        }
    }

    /// After `\u`: four hex digits, combining a UTF-16 surrogate pair when one follows.
    private mutating func parseUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let escapeStart = index - 2
        let first = try parseHex4()
        if (0xD800...0xDBFF).contains(first) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw JSONParseError(message: "unpaired UTF-16 surrogate \\u\(hex(first))", offset: escapeStart)
            }
            index += 2
            let second = try parseHex4()
            guard (0xDC00...0xDFFF).contains(second) else {
                throw JSONParseError(message: "unpaired UTF-16 surrogate \\u\(hex(first))", offset: escapeStart)
            }
            let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else {
                throw JSONParseError(message: "invalid code point", offset: escapeStart)
            }
            return scalar
        }
        guard let scalar = Unicode.Scalar(first) else {
            throw JSONParseError(message: "unpaired UTF-16 surrogate \\u\(hex(first))", offset: escapeStart)
        }
        return scalar
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw fail("unterminated \\u escape") }
            let b = bytes[index]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw fail("\\u escape needs four hex digits")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    /// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?  — returns the text unchanged.
    private mutating func parseNumber() throws(JSONParseError) -> String {
        let start = index
        if peek(UInt8(ascii: "-")) { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a number needs digits") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw fail("numbers may not have leading zeros") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if peek(UInt8(ascii: ".")) {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a digit must follow the decimal point") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("an exponent needs digits") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    // MARK: - Helpers

    private mutating func expectWord(_ word: String) throws(JSONParseError) {
        let w = Array(word.utf8)
        guard index + w.count <= bytes.count, Array(bytes[index..<(index + w.count)]) == w else {
            throw fail("unexpected \(describe(bytes[index]))")
        }
        index += w.count
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func peek(_ b: UInt8) -> Bool { index < bytes.count && bytes[index] == b }
    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    private func fail(_ message: String) -> JSONParseError { JSONParseError(message: message, offset: index) }
    private func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    private func describe(_ b: UInt8) -> String {
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + String(b, radix: 16, uppercase: true)
    }

    private func describeBare(_ b: UInt8) -> String {
        b >= 0x21 && b < 0x7F ? String(Character(Unicode.Scalar(b))) : "0x" + String(b, radix: 16, uppercase: true)
    }
}

/// Writing JSON text the way the reference tools do.
public enum JSONText {
    /// A JSON string literal, escaping only what JSON requires (as serde_json does for safetensors headers).
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            out += escape(scalar) ?? String(scalar)
        }
        return out + "\""
    }

    /// Python's `json.dumps(list_of_strings)`: `["a", "b"]`, non-ASCII as `\uXXXX` (UTF-16, ensure_ascii).
    /// Matching it byte for byte lets a model saved here be identical to the one PyTorch tooling wrote.
    static func pythonStyleArray(_ strings: [String]) -> String {
        "[" + strings.map { s -> String in
            var out = "\""
            for scalar in s.unicodeScalars {
                if let e = escape(scalar) {
                    out += e
                } else if scalar.value < 0x7F {  // Python escapes DEL and everything above it
                    out += String(scalar)
                } else {
                    for unit in String(scalar).utf16 { out += "\\u" + hex4(UInt32(unit)) }
                }
            }
            return out + "\""
        }.joined(separator: ", ") + "]"
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "\"": return "\\\""
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{08}": return "\\b"
        case "\u{0C}": return "\\f"
        default:
            return scalar.value < 0x20 ? "\\u" + hex4(scalar.value) : nil
        }
    }

    private static func hex4(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}
