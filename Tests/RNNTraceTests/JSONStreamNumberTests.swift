#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import RNNEngine
@testable import RNNTrace

/// Number arrays are read by a fast scan over the buffer with its own decimal conversion: it must give the
/// same float32 as strtof for every text, and leave every other case (pieces, NaN, errors) to the byte-by-byte
/// path with the same result and message.
@Suite("Number arrays in a trace file")
struct JSONStreamNumberTests {
    static func strtofBits(_ text: String) -> UInt32 { strtof(text, nil).bitPattern }

    /// Texts of many kinds: shortest float32, 9 and 17 significant digits, short decimals, exponents from
    /// far below float32's range to above it, zeros, halfway cases.
    static func texts(count: Int) -> [String] {
        var rng = SeededGenerator(seed: 7)
        var out: [String] = ["0", "-0", "0.0", "-0.0", "1", "-1", "0.5", "1e0", "1E+2", "1e-2", "123456789", "1.5e-45",
                             "3.4028235e38", "3.4028236e38", "1e39", "1e-50", "0.000000000000000000001", "9007199254740993",
                             "16777217", "16777219", "1.00000005960464477539", "33554435e-1", "0.30000001192092896"]
        for _ in 0..<count {
            let bits = UInt32(truncatingIfNeeded: rng.next())
            let f = Float(bitPattern: bits)
            guard f.isFinite else { continue }
            out.append("\(f)")
            out.append(String(format: "%.9g", Double(f)))
            let d = Double(bitPattern: rng.next() & 0x3FFF_FFFF_FFFF_FFFF | 0x3800_0000_0000_0000)
            out.append(String(format: "%.17g", d))
            // Halfway between two neighbouring floats, printed short enough to reach the fast path.
            let next = f.nextUp
            if next.isFinite { out.append(String(format: "%.15g", (Double(f) + Double(next)) / 2)) }
            out.append("\(rng.next() % 100_000)e-\(rng.next() % 30)")
        }
        return out
    }

    static func read(_ json: String, piece: Int? = nil) throws -> [Float] {
        let bytes = Array(json.utf8)
        let stream: JSONStream
        if let piece {
            var at = 0
            stream = JSONStream { buffer in
                guard at < bytes.count else { return false }
                buffer = Array(bytes[at..<min(at + piece, bytes.count)])
                at += piece
                return true
            }
        } else {
            stream = JSONStream(bytes: bytes)
        }
        var values: [Float] = []
        let n = try stream.floats(into: &values)
        #expect(n == values.count)
        try stream.expectEnd()
        return values
    }

    @Test func everyNumberIsTheFloatStrtofGives() throws {
        let texts = Self.texts(count: 20_000)
        let values = try Self.read("[" + texts.joined(separator: ",") + "]")
        try #require(values.count == texts.count)
        for (text, value) in zip(texts, values) where value.bitPattern != Self.strtofBits(text) {
            Issue.record("\(text) read as \(value), strtof gives \(Float(bitPattern: Self.strtofBits(text)))")
        }
    }

    @Test(arguments: [1, 2, 3, 7, 64])
    func numbersSplitAcrossPiecesReadTheSame(piece: Int) throws {
        let texts = Self.texts(count: 300)
        let json = "[ " + texts.joined(separator: " ,\n") + " ]"
        let whole = try Self.read(json)
        let pieces = try Self.read(json, piece: piece)
        #expect(whole.map(\.bitPattern) == pieces.map(\.bitPattern))
        #expect(whole.map(\.bitPattern) == texts.map(Self.strtofBits))
    }

    @Test func nonFiniteAndOverLongNumbersAmongPlainOnes() throws {
        let long = "0." + String(repeating: "1", count: 40)
        let values = try Self.read("[1.5, \"NaN\", 2, \"-Infinity\", \(long), 1e-30, 12345678901234567890123, 3]")
        #expect(values[0] == 1.5 && values[1].isNaN && values[2] == 2 && values[3] == -.infinity)
        #expect(values[4].bitPattern == Self.strtofBits(long))
        #expect(values[5].bitPattern == Self.strtofBits("1e-30"))
        #expect(values[6].bitPattern == Self.strtofBits("12345678901234567890123") && values[7] == 3)
        #expect(try Self.read("[]").isEmpty)
    }

    /// The message (and its byte offset) is the same whole or in pieces of any size.
    @Test(arguments: [
        ("[1,2,]", "invalid JSON at byte 5: expected a number"),
        ("[1, 01]", "invalid JSON at byte 6: a malformed number"),
        ("[1.5 2]", "invalid JSON at byte 5: expected ',' or ']'"),
        ("[1.e3]", "invalid JSON at byte 5: a malformed number"),
        ("[1e+]", "invalid JSON at byte 4: a malformed number"),
        ("[-]", "invalid JSON at byte 2: a malformed number"),
        ("[0.5, 3", "invalid JSON at byte 7: expected ',' or ']'"),
        ("[2, 1" + String(repeating: "0", count: 70) + "]", "invalid JSON at byte 67: a number longer than 63 characters"),
    ])
    func brokenArraysGiveTheSameMessage(json: String, message: String) {
        for piece in [nil, 1, 3] as [Int?] {
            do {
                _ = try Self.read(json, piece: piece)
                Issue.record("\(json) was read")
            } catch let error as JSONStreamError {
                #expect(error.problem == message, "piece \(piece.map(String.init) ?? "whole")")
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
