import Foundation
import Testing
import TestSupport
@testable import RNNEngine

private typealias F = ModelFileFixtures

@Suite("SafetensorsFile")
struct SafetensorsFileTests {
    // MARK: - Reading the golden files

    @Test("reads every golden file: metadata, shapes and all values match an independent decode", arguments: F.goldenNames)
    func readsGolden(name: String) throws {
        let bytes = try F.goldenBytes(name)
        let file = try SafetensorsFile(contentsOf: F.goldenPath(name))
        let raw = try F.rawTensors(bytes)

        #expect(file.metadata == (try F.rawMetadata(bytes)))
        #expect(Set(file.tensors.keys) == Set(raw.keys))
        for (tensorName, expected) in raw {
            let tensor = try #require(file.tensors[tensorName])
            #expect(tensor.shape == expected.shape, "\(tensorName)")
            #expect(tensor.values == expected.values, "\(tensorName)")
            #expect(tensor.dtype == .f32)
        }
    }

    @Test("re-encoding a golden file gives the same bytes (sorted keys, space padding, data order)", arguments: F.goldenNames)
    func reencodesGoldenByteForByte(name: String) throws {
        let bytes = try F.goldenBytes(name)
        let file = try SafetensorsFile(bytes: bytes, path: name)
        #expect(try file.encoded() == bytes)
    }

    // MARK: - Other dtypes

    @Test("F64, F16 and BF16 tensors are converted to Float")
    func decodesOtherDTypes() throws {
        let halfBits: [UInt16] = [0x3C00, 0xC000, 0x3555, 0x0001, 0x7BFF, 0x7C00, 0xFC00, 0x8000]
        let bfloatBits: [UInt16] = [0x3F80, 0xC040, 0x4049]
        let bytes = F.build([
            .init(name: "d", dtype: "F64", shape: [2], bytes: F.f64Bytes([0.1, -2.5])),
            .init(name: "h", dtype: "F16", shape: [2, 4], bytes: F.littleEndian(halfBits)),
            .init(name: "b", dtype: "BF16", shape: [3], bytes: F.littleEndian(bfloatBits)),
        ])
        let file = try SafetensorsFile(bytes: bytes, path: "mixed.safetensors")

        let d = try #require(file.tensors["d"])
        #expect(d.dtype == .f64 && d.values == [Float(0.1), -2.5])

        let h = try #require(file.tensors["h"])
        #expect(h.dtype == .f16 && h.shape == [2, 4])
        #expect(h.values[0] == 1 && h.values[1] == -2)
        #expect(abs(h.values[2] - 0.333251953125) < 1e-12)  // 0x3555 = 1365/4096
        #expect(h.values[3] == Float(sign: .plus, exponent: -24, significand: 1))  // smallest subnormal
        #expect(h.values[4] == 65504)
        #expect(h.values[5] == .infinity && h.values[6] == -.infinity)
        #expect(h.values[7] == 0 && h.values[7].sign == .minus)

        let b = try #require(file.tensors["b"])
        #expect(b.dtype == .bf16 && b.values == [1, -3, 3.140625])
    }

    @Test("scalars (shape []) and empty tensors are read")
    func scalarsAndEmptyTensors() throws {
        let bytes = F.build([
            .init(name: "empty", dtype: "F32", shape: [0, 3], bytes: []),
            .init(name: "scalar", dtype: "F32", shape: [], bytes: F.f32Bytes([7])),
        ])
        let file = try SafetensorsFile(bytes: bytes, path: "x")
        #expect(file.tensors["scalar"]?.values == [7] && file.tensors["scalar"]?.shape == [])
        #expect(file.tensors["empty"]?.values == [] && file.tensors["empty"]?.shape == [0, 3])
    }

    // MARK: - Bad input: one exact line each

    /// A corrupt file and the message it must produce (after "model.safetensors: ").
    struct BadCase: CustomTestStringConvertible, Sendable {
        var label: String
        var make: @Sendable () throws -> [UInt8]
        var problem: String
        var testDescription: String { label }
    }

    static let lstm = "lstm_word_embed"
    static let tiny = "{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}"

    static let badCases: [BadCase] = [
        BadCase(label: "shorter than 8 bytes", make: { [1, 2, 3, 4, 5] },
                problem: "the file is 5 bytes long, too short for safetensors (it starts with an 8-byte header length)"),
        BadCase(label: "header length past the end", make: {
            var b = try F.goldenBytes(lstm)
            b.replaceSubrange(0..<8, with: F.littleEndian([UInt64(5000)]))
            return b
        }, problem: "header length 5000 runs past the end of the file (1232 bytes follow the 8-byte length)"),
        BadCase(label: "absurd header length", make: {
            var b = try F.goldenBytes(lstm)
            b.replaceSubrange(0..<8, with: F.littleEndian([UInt64.max]))
            return b
        }, problem: "header length 18446744073709551615 is over the 100 MB limit; the file is not safetensors or is damaged"),
        BadCase(label: "empty header", make: { F.assemble(header: "", data: []) },
                problem: "the header is not valid JSON: unexpected end of text at byte 0"),
        BadCase(label: "header not JSON", make: { F.assemble(header: "{\"a\": }", data: []) },
                problem: "the header is not valid JSON: unexpected '}' at byte 6"),
        BadCase(label: "header is an array", make: { F.assemble(header: "[1,2]", data: []) },
                problem: "the header is an array, not a JSON object"),
        BadCase(label: "header not UTF-8", make: { F.littleEndian([UInt64(3)]) + [0x7B, 0xFF, 0x7D] },
                problem: "the header is not valid UTF-8"),
        BadCase(label: "duplicate tensor name", make: { F.assemble(header: tiny + "," + tiny.dropFirst() + "}", data: F.f32Bytes([1])) },
                problem: "the header is not valid JSON: duplicate key \"a\" at byte 53"),
        BadCase(label: "offsets past the end of the data", make: {
            try F.goldenWithHeader(lstm, replacing: "[288,432]", with: "[288,999]")
        }, problem: "tensor \"rnn.weight_hh_l0\" data_offsets [288, 999] run past the end of the data (624 bytes)"),
        BadCase(label: "offsets beyond any integer", make: {
            try F.goldenWithHeader(lstm, replacing: "[288,432]", with: "[288,99999999999999999999]")
        }, problem: "tensor \"rnn.weight_hh_l0\" data_offsets [288, 99999999999999999999] run past the end of the data (624 bytes)"),
        BadCase(label: "begin after end", make: {
            try F.goldenWithHeader(lstm, replacing: "[288,432]", with: "[432,288]")
        }, problem: "tensor \"rnn.weight_hh_l0\" data_offsets [432, 288] begin after they end"),
        BadCase(label: "negative offset", make: {
            try F.goldenWithHeader(lstm, replacing: "[288,432]", with: "[-288,432]")
        }, problem: "tensor \"rnn.weight_hh_l0\" has data_offsets [-288, 432], not two whole numbers from 0 up"),
        BadCase(label: "offsets not a pair", make: {
            try F.goldenWithHeader(lstm, replacing: "[288,432]", with: "[288]")
        }, problem: "tensor \"rnn.weight_hh_l0\" has data_offsets [288], not [begin, end]"),
        BadCase(label: "overlapping tensors", make: {
            try F.goldenWithHeader(lstm, replacing: "[120,192]", with: "[100,172]")
        }, problem: "tensors \"fc.bias\" [96, 120] and \"fc.weight\" [100, 172] overlap"),
        BadCase(label: "gap between tensors", make: {
            F.assemble(header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                           + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", data: F.f32Bytes([1, 0, 2]))
        }, problem: "data bytes [4, 8) belong to no tensor (safetensors allows no gaps)"),
        BadCase(label: "bytes after the last tensor", make: { try F.goldenBytes(lstm) + [0, 0, 0, 0] },
                problem: "the data has 628 bytes after the header but the tensors cover only 624"),
        BadCase(label: "size does not match shape × dtype", make: {
            try F.goldenWithHeader(lstm, replacing: "\"shape\":[6],\"data_offsets\":[96,120]", with: "\"shape\":[7],\"data_offsets\":[96,120]")
        }, problem: "tensor \"fc.bias\" of shape [7] and dtype F32 needs 28 bytes but data_offsets [96, 120] hold 24"),
        BadCase(label: "negative shape", make: {
            try F.goldenWithHeader(lstm, replacing: "\"shape\":[6],", with: "\"shape\":[-6],")
        }, problem: "tensor \"fc.bias\" has shape [-6] with a negative size"),
        BadCase(label: "shape overflowing Int", make: {
            try F.goldenWithHeader(lstm, replacing: "\"shape\":[6],", with: "\"shape\":[4294967296,4294967296],")
        }, problem: "tensor \"fc.bias\" has shape [4294967296, 4294967296], absurdly large"),
        BadCase(label: "shape beyond any integer", make: {
            try F.goldenWithHeader(lstm, replacing: "\"shape\":[6],", with: "\"shape\":[99999999999999999999],")
        }, problem: "tensor \"fc.bias\" has shape [99999999999999999999], absurdly large"),
        BadCase(label: "shape not whole numbers", make: {
            try F.goldenWithHeader(lstm, replacing: "\"shape\":[6],", with: "\"shape\":[6.0],")
        }, problem: "tensor \"fc.bias\" has shape [6.0]: 6.0 is not a whole number"),
        BadCase(label: "unsupported dtype", make: {
            try F.goldenWithHeader(lstm, replacing: "\"dtype\":\"F32\",\"shape\":[6],", with: "\"dtype\":\"I64\",\"shape\":[3],")
        }, problem: "tensor \"fc.bias\" has dtype I64; rnnscope reads only F32, F64, F16 and BF16"),
        BadCase(label: "tensor entry not an object", make: { F.assemble(header: "{\"a\":[1]}", data: []) },
                problem: "tensor \"a\" is an array in the header, not an object with dtype, shape and data_offsets"),
        BadCase(label: "tensor entry without data_offsets", make: { F.assemble(header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[]}}", data: []) },
                problem: "tensor \"a\" has no \"data_offsets\""),
        BadCase(label: "metadata value not a string", make: {
            try F.goldenWithHeader(lstm, replacing: "\"cell\":\"lstm\"", with: "\"cell\":4")
        }, problem: "metadata \"cell\" is a number, not a string (safetensors metadata values are strings)"),
        BadCase(label: "metadata not an object", make: { F.assemble(header: "{\"__metadata__\":\"x\"}", data: []) },
                problem: "\"__metadata__\" is a string, not an object of strings"),
    ]

    @Test("each kind of damage gives its own one-line message", arguments: badCases)
    func rejects(_ bad: BadCase) throws {
        let bytes = try bad.make()
        let message = F.message { _ = try SafetensorsFile(bytes: bytes, path: "model.safetensors") }
        #expect(message == "model.safetensors: " + bad.problem)
    }

    @Test("the same damage is reported when reading from disk")
    func rejectsOnDisk() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/model.safetensors"
        try Data(try F.goldenWithHeader(Self.lstm, replacing: "[288,432]", with: "[288,999]")).write(to: URL(fileURLWithPath: path))
        let message = F.message { _ = try SafetensorsFile(contentsOf: path) }
        #expect(message == "\(path): tensor \"rnn.weight_hh_l0\" data_offsets [288, 999] run past the end of the data (624 bytes)")
    }

    @Test("thousands of random corruptions of a golden file never trap; each either parses or gives an EngineError")
    func randomCorruptionNeverTraps() throws {
        let original = try F.goldenBytes(Self.lstm)
        var rng = SplitMix64(seed: 42)
        var rejected = 0
        for round in 0..<3000 {
            var bytes = original
            switch round % 4 {
            case 0:  // flip a few bytes anywhere, header length included
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                }
            case 1:  // truncate
                bytes.removeLast(Int(rng.next() % UInt64(bytes.count)))
            case 2:  // change a digit or punctuation inside the header
                let i = 8 + Int(rng.next() % 608)
                bytes[i] = Array("0123456789[]{},:\"-.e ".utf8)[Int(rng.next() % 21)]
            default:  // random header length
                bytes.replaceSubrange(0..<8, with: F.littleEndian([rng.next() % 2000]))
            }
            do {
                _ = try SafetensorsFile(bytes: bytes, path: "m")
            } catch {
                rejected += 1
                #expect(!error.description.contains("\n"), "message must be one line: \(error.description)")
            }
        }
        #expect(rejected > 2000)  // nearly every corruption is caught; digit changes in values may pass
    }

    @Test("a header string of 400,000 escapes is read whole (string building is linear in its length)")
    func longEscapedHeaderString() throws {
        // 1.2 MB of `a\"`: each escape used to copy the whole string built so far (5.6 s in a release build).
        let count = 400_000
        let junk = String(repeating: #"a\""#, count: count) + #"\u00e9\ud83d\ude00 end"#
        let header = #"{"__metadata__":{"junk":""# + junk + #""}}"#
        let file = try SafetensorsFile(bytes: F.assemble(header: header, data: []), path: "m")
        let expected = String(repeating: "a\"", count: count) + "é😀 end"
        #expect(file.metadata["junk"]?.count == expected.count)
        #expect(file.metadata["junk"] == expected)
    }

    @Test("unescaped runs are still checked as UTF-8 around escapes")
    func invalidUTF8BetweenEscapes() throws {
        var header = Array(#"{"__metadata__":{"a":"x\n"#.utf8) + [0xE2, 0x82] + Array(#"\ty"}}"#.utf8)
        header += Array(repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        let bytes = F.littleEndian([UInt64(header.count)]) + header
        let message = F.message { _ = try SafetensorsFile(bytes: bytes, path: "m") }
        #expect(message.contains("not valid UTF-8"), "\(message)")
    }

    // MARK: - Writing

    @Test("written header is sorted, space-padded to 8 bytes, data contiguous, and reads back equal")
    func writesReferenceLayout() throws {
        let file = SafetensorsFile(
            metadata: ["z": "last", "a": "quote \" and é"],
            tensors: [
                "b.weight": .init(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]),
                "a": .init(shape: [1], values: [-0.5]),
                "é": .init(shape: [], values: [.pi]),
            ])
        let bytes = try file.encoded()
        let (header, data) = F.split(bytes)
        #expect(header.utf8.count % 8 == 0)
        #expect(header.hasPrefix("{\"__metadata__\":{\"a\":\"quote \\\" and é\",\"z\":\"last\"},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[4,28]},\"é\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[28,32]}}"))
        #expect(header.reversed().drop(while: { $0 == " " }).first == "}")
        #expect(data.count == 32)
        #expect(try F.rawMetadata(bytes) == file.metadata)
        #expect(try SafetensorsFile(bytes: bytes, path: "x") == file)
    }

    @Test("a tensor named __metadata__ is refused")
    func refusesReservedName() {
        let file = SafetensorsFile(tensors: ["__metadata__": .init(shape: [1], values: [1])])
        #expect(F.message { _ = try file.encoded() } == "a tensor may not be named \"__metadata__\": safetensors reserves that name")
    }

    @Test("write replaces an existing file atomically and leaves no temporary file behind")
    func writesAtomically() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/m.safetensors"
        try Data("old contents".utf8).write(to: URL(fileURLWithPath: path))
        let file = try SafetensorsFile(contentsOf: F.goldenPath("gru_word_embed"))
        try file.write(to: path)
        #expect(try SafetensorsFile(contentsOf: path) == file)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["m.safetensors"])
    }

    @Test("write errors name the path and the reason, and leave nothing behind")
    func writeErrors() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = SafetensorsFile(tensors: ["a": .init(shape: [1], values: [1])])

        let missing = dir + "/nope/m.safetensors"
        #expect(F.message { try file.write(to: missing) } == "\(missing): cannot write it (No such file or directory in the directory \(dir)/nope)")

        let directory = dir + "/sub"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        #expect(F.message { try file.write(to: directory) } == "\(directory): is a directory: give a file name")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["sub"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [])
    }

    @Test("read errors name the path and the reason")
    func readErrors() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(F.message { _ = try SafetensorsFile(contentsOf: dir + "/absent.safetensors") } == "\(dir)/absent.safetensors: cannot open it (No such file or directory)")
        #expect(F.message { _ = try SafetensorsFile(contentsOf: dir) } == "\(dir): is a directory, not a model file")
    }
}
