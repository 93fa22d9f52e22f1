#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a trace file could not be read: the JSON was broken, or a value was of the wrong kind.
struct JSONStreamError: Error {
    let problem: String
}

/// A pull parser over JSON bytes read a piece at a time (from a file descriptor or from memory), so that
/// a trace file of any size is read in one pass without holding its text or a tree of it.
final class JSONStream {
    private var buffer: [UInt8]
    private var position = 0
    /// Bytes consumed before `buffer`, for messages.
    private var offset = 0
    private let refill: (inout [UInt8]) -> Bool
    private var scratch = [CChar](repeating: 0, count: 64)

    /// `refill` replaces the buffer's contents with the next bytes and returns false at the end.
    init(refill: @escaping (inout [UInt8]) -> Bool) {
        buffer = []
        self.refill = refill
    }

    convenience init(bytes: [UInt8]) {
        var pending: [UInt8]? = bytes
        self.init { buffer in
            guard let next = pending else { return false }
            buffer = next
            pending = nil
            return true
        }
    }

    /// Reads the file open at `fd` in pieces of a megabyte.
    convenience init(descriptor fd: Int32) {
        self.init { buffer in
            buffer = [UInt8](repeating: 0, count: 1 << 20)
            var n = 0
            repeat { n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } } while n < 0 && errno == EINTR
            guard n > 0 else { return false }
            buffer.removeLast(buffer.count - n)
            return true
        }
    }

    func fail(_ what: String) -> JSONStreamError {
        JSONStreamError(problem: "invalid JSON at byte \(offset + position): \(what)")
    }

    /// The next byte, or nil at the end of the input.
    @inline(__always) private func peekByte() -> UInt8? {
        if position < buffer.count { return buffer[position] }
        offset += buffer.count
        position = 0
        guard refill(&buffer), !buffer.isEmpty else { buffer = []; return nil }
        return buffer[0]
    }

    @inline(__always) private func nextByte() throws(JSONStreamError) -> UInt8 {
        guard let b = peekByte() else { throw fail("unexpected end") }
        position += 1
        return b
    }

    /// The next byte that is not whitespace, not consumed.
    func peek() -> UInt8? {
        while let b = peekByte() {
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return b }
            position += 1
        }
        return nil
    }

    func expect(_ byte: UInt8) throws(JSONStreamError) {
        guard peek() == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
        position += 1
    }

    /// Nothing but whitespace is left.
    func expectEnd() throws(JSONStreamError) {
        if peek() != nil { throw fail("text after the end of the trace") }
    }

    /// Calls `body` with each key of an object, positioned at its value (which `body` must consume).
    func object(_ body: (String) throws(JSONStreamError) -> Void) throws(JSONStreamError) {
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") { position += 1; return }
        while true {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try body(key)
            let b = peek()
            position += 1
            if b == UInt8(ascii: "}") { return }
            guard b == UInt8(ascii: ",") else { position -= 1; throw fail("expected ',' or '}'") }
        }
    }

    /// Calls `body` with each index of an array, positioned at its element (which `body` must consume).
    func array(_ body: (Int) throws(JSONStreamError) -> Void) throws(JSONStreamError) {
        try expect(UInt8(ascii: "["))
        if peek() == UInt8(ascii: "]") { position += 1; return }
        var i = 0
        while true {
            try body(i)
            i += 1
            let b = peek()
            position += 1
            if b == UInt8(ascii: "]") { return }
            guard b == UInt8(ascii: ",") else { position -= 1; throw fail("expected ',' or ']'") }
        }
    }

    /// True (and consumed) when the next value is `null`.
    func null() throws(JSONStreamError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        for c in "null".utf8 where try nextByte() != c { throw fail("expected null") }
        return true
    }

    func string() throws(JSONStreamError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        position += 1
        var bytes: [UInt8] = []
        while true {
            let b = try nextByte()
            switch b {
            case UInt8(ascii: "\""):
                return String(decoding: bytes, as: UTF8.self)
            case UInt8(ascii: "\\"):
                let e = try nextByte()
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(e)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A surrogate pair: the low half must follow as another \u escape.
                        guard try nextByte() == UInt8(ascii: "\\"), try nextByte() == UInt8(ascii: "u") else { throw fail("a lone surrogate") }
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("a lone surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("a lone surrogate") }
                    bytes.append(contentsOf: String(Character(u)).utf8)
                default: throw fail("an unknown escape")
                }
            case ..<0x20: throw fail("a control character inside a string")
            default: bytes.append(b)
            }
        }
    }

    private func hex4() throws(JSONStreamError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = try nextByte()
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw fail("a bad \\u escape")
            }
            v = v * 16 + UInt32(digit)
        }
        return v
    }

    /// A JSON number's text, checked against the JSON grammar, in `scratch` (NUL-terminated); false when
    /// the next value is not a number.
    private func numberText() throws(JSONStreamError) -> Bool {
        guard let first = peek(), first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        // Most numbers lie inside the buffer: scanned there with one access to each property (a class's
        // properties are checked for exclusive access on every use); one that crosses into the next
        // piece of the file goes on byte by byte.
        var n = 0, pos = position, stopped = false
        let end = buffer.count
        scratch.withUnsafeMutableBufferPointer { out in
            buffer.withUnsafeBufferPointer { bytes in
                while pos < end, n < out.count - 1 {
                    guard Self.isNumberByte(bytes[pos]) else { stopped = true; return }
                    out[n] = CChar(bitPattern: bytes[pos])
                    n += 1
                    pos += 1
                }
            }
        }
        position = pos
        while !stopped, let b = peekByte(), Self.isNumberByte(b) {
            guard n < scratch.count - 1 else { throw fail("a number longer than \(scratch.count - 1) characters") }
            scratch[n] = CChar(bitPattern: b)
            n += 1
            position += 1
        }
        scratch[n] = 0
        guard JSONStream.isJSONNumber(scratch[0..<n]) else { throw fail("a malformed number") }
        return true
    }

    @inline(__always) static func isNumberByte(_ b: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
            || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    }

    /// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    static func isJSONNumber(_ text: ArraySlice<CChar>) -> Bool {
        var i = text.startIndex
        func digit(_ k: Int) -> Bool { k < text.endIndex && (48...57).contains(text[k]) }
        if i < text.endIndex && text[i] == 45 { i += 1 }
        guard digit(i) else { return false }
        if text[i] == 48 { i += 1 } else { while digit(i) { i += 1 } }
        if i < text.endIndex && text[i] == 46 {
            i += 1
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        if i < text.endIndex && (text[i] == 101 || text[i] == 69) {
            i += 1
            if i < text.endIndex && (text[i] == 43 || text[i] == 45) { i += 1 }
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        return i == text.endIndex
    }

    /// A number that may be NaN or infinite: a JSON number, or the strings "NaN", "Infinity", "-Infinity".
    func double() throws(JSONStreamError) -> Double {
        if try numberText() { return scratch.withUnsafeBufferPointer { strtod($0.baseAddress!, nil) } }
        return try nonFinite()
    }

    /// As `double()`, read straight to float32 (one rounding, as a float32 parser would).
    func float() throws(JSONStreamError) -> Float {
        if try numberText() { return scratch.withUnsafeBufferPointer { strtof($0.baseAddress!, nil) } }
        return Float(try nonFinite())
    }

    private func nonFinite() throws(JSONStreamError) -> Double {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a number") }
        switch try string() {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: throw fail("expected a number")
        }
    }

    /// An integer (a JSON number with no fraction or exponent that fits in Int).
    func integer() throws(JSONStreamError) -> Int {
        guard try numberText() else { throw fail("expected an integer") }
        let text = String(decoding: scratch.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let value = Int(text) else { throw fail("\(text) is not an integer rnnscope can use") }
        return value
    }

    /// Appends the numbers of an array to `values`; returns how many there were.
    @discardableResult
    func floats(into values: inout [Float]) throws(JSONStreamError) -> Int {
        try expect(UInt8(ascii: "["))
        if peek() == UInt8(ascii: "]") { position += 1; return 0 }
        var n = 0
        while true {
            if plainFloats(into: &values, count: &n) { return n }
            // One element the fast scan left, read (or refused, with its message) byte by byte.
            values.append(try float())
            n += 1
            let b = peek()
            position += 1
            if b == UInt8(ascii: "]") { return n }
            guard b == UInt8(ascii: ",") else { position -= 1; throw fail("expected ',' or ']'") }
        }
    }

    /// The fast path of `floats`: from an element's start, takes the elements that lie wholly in the buffer —
    /// a plain number, then ',' or the closing ']' — in one pass over the bytes, and returns true when it took
    /// the ']'. It stops, with `position` at the element, at anything else: NaN or ±Infinity, a number that
    /// goes on into the next piece of the file, a malformed or over-long one, one `DecimalFloat` leaves to
    /// strtof, or an error; the byte-by-byte path then reads that element and gives any message exactly as
    /// it always has.
    private func plainFloats(into values: inout [Float], count n: inout Int) -> Bool {
        var pos = position, closed = false
        let longest = scratch.count - 1
        buffer.withUnsafeBufferPointer { bytes in
            let end = bytes.count
            @inline(__always) func isDigit(_ i: Int) -> Bool { i < end && bytes[i] &- UInt8(ascii: "0") < 10 }
            @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
            while true {
                var i = pos
                while i < end, isSpace(bytes[i]) { i += 1 }
                let start = i
                let negative = i < end && bytes[i] == UInt8(ascii: "-")
                if negative { i += 1 }
                guard isDigit(i) else { return }
                // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, as `isJSONNumber`, read into digits × 10^exponent.
                var digits: UInt64 = 0, significant = 0, exponent = 0
                if bytes[i] == UInt8(ascii: "0") {
                    i += 1
                } else {
                    while isDigit(i) {
                        digits = digits &* 10 &+ UInt64(bytes[i] &- UInt8(ascii: "0"))
                        significant += 1
                        i += 1
                    }
                }
                if i < end, bytes[i] == UInt8(ascii: ".") {
                    i += 1
                    guard isDigit(i) else { return }
                    while isDigit(i) {
                        digits = digits &* 10 &+ UInt64(bytes[i] &- UInt8(ascii: "0"))
                        if digits != 0 { significant += 1 }
                        exponent -= 1
                        i += 1
                    }
                }
                if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                    i += 1
                    let negativeExponent = i < end && bytes[i] == UInt8(ascii: "-")
                    if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
                    guard isDigit(i) else { return }
                    var e = 0
                    while isDigit(i) {
                        if e < 100_000 { e = e * 10 + Int(bytes[i] &- UInt8(ascii: "0")) }
                        i += 1
                    }
                    exponent += negativeExponent ? -e : e
                }
                // The number must end here, inside this piece, be no longer than `numberText` takes, and fit.
                guard i < end, !Self.isNumberByte(bytes[i]), i - start <= longest, significant <= 19,
                      let value = DecimalFloat.float(digits: digits, exponent: exponent, negative: negative) else { return }
                while i < end, isSpace(bytes[i]) { i += 1 }
                guard i < end, bytes[i] == UInt8(ascii: ",") || bytes[i] == UInt8(ascii: "]") else { return }
                values.append(value)
                n += 1
                pos = i + 1
                if bytes[i] == UInt8(ascii: "]") { closed = true; return }
            }
        }
        position = pos
        return closed
    }

    func strings() throws(JSONStreamError) -> [String] {
        var out: [String] = []
        try array { _ throws(JSONStreamError) in out.append(try string()) }
        return out
    }

    /// Skips one value of any kind (nested at most 64 deep: the stack stays small whatever the file holds).
    func skip(depth: Int = 0) throws(JSONStreamError) {
        guard depth < 64 else { throw fail("values nested more than 64 deep") }
        switch peek() {
        case UInt8(ascii: "{"): try object { _ throws(JSONStreamError) in try skip(depth: depth + 1) }
        case UInt8(ascii: "["): try array { _ throws(JSONStreamError) in try skip(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): for c in "true".utf8 where try nextByte() != c { throw fail("expected true") }
        case UInt8(ascii: "f"): for c in "false".utf8 where try nextByte() != c { throw fail("expected false") }
        case UInt8(ascii: "n"): _ = try null()
        default: guard try numberText() else { throw fail("expected a value") }
        }
    }
}
