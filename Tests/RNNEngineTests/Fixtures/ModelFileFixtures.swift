import Foundation
import TestSupport
@testable import RNNEngine

/// Shared helpers for the model-file and safetensors tests: the golden files, temporary directories, and
/// an independent reader/assembler of safetensors bytes (JSONSerialization + raw byte decoding) so the
/// tests do not trust the code they test.
enum ModelFileFixtures {
    static let goldenNames = GoldenFiles.allCases

    static func goldenPath(_ name: String) -> String { GoldenFiles.model(name).path }

    static func goldenBytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: goldenPath(name))))
    }

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rnnscope-modelfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    // MARK: - Independent safetensors reading

    /// The header text and data bytes of a safetensors file, split by hand.
    static func split(_ bytes: [UInt8]) -> (header: String, data: [UInt8]) {
        var n = 0
        for i in (0..<8).reversed() { n = n << 8 | Int(bytes[i]) }
        return (String(decoding: bytes[8..<(8 + n)], as: UTF8.self), Array(bytes[(8 + n)...]))
    }

    /// The header as parsed by Foundation's JSONSerialization.
    static func headerObject(_ bytes: [UInt8]) throws -> [String: Any] {
        let (header, _) = split(bytes)
        guard let object = try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any] else {
            throw FixtureError("header is not an object")
        }
        return object
    }

    /// Tensor name → (shape, F32 values) decoded straight from the bytes, without the code under test.
    static func rawTensors(_ bytes: [UInt8]) throws -> [String: (shape: [Int], values: [Float])] {
        let header = try headerObject(bytes)
        let (_, data) = split(bytes)
        var out: [String: (shape: [Int], values: [Float])] = [:]
        for (name, entry) in header where name != "__metadata__" {
            guard let e = entry as? [String: Any], let shape = e["shape"] as? [Int], let offsets = e["data_offsets"] as? [Int],
                  e["dtype"] as? String == "F32" else { throw FixtureError("unexpected entry for \(name)") }
            var values: [Float] = []
            var i = offsets[0]
            while i < offsets[1] {
                let bits = UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24
                values.append(Float(bitPattern: bits))
                i += 4
            }
            out[name] = (shape, values)
        }
        return out
    }

    static func rawMetadata(_ bytes: [UInt8]) throws -> [String: String] {
        (try headerObject(bytes)["__metadata__"] as? [String: String]) ?? [:]
    }

    // MARK: - Building files by hand

    /// 8-byte little-endian length + header text (unpadded, as given) + data.
    static func assemble(header: String, data: [UInt8]) -> [UInt8] {
        let h = Array(header.utf8)
        var out: [UInt8] = []
        var n = UInt64(h.count)
        for _ in 0..<8 { out.append(UInt8(n & 0xFF)); n >>= 8 }
        return out + h + data
    }

    /// A golden file with one exact substring of its header replaced (the data kept).
    static func goldenWithHeader(_ name: String, replacing old: String, with new: String) throws -> [UInt8] {
        let (header, data) = split(try goldenBytes(name))
        guard header.contains(old) else { throw FixtureError("\(name) header has no \(old)") }
        return assemble(header: header.replacingOccurrences(of: old, with: new), data: data)
    }

    /// One tensor entry for a hand-built header.
    struct RawTensor {
        var name: String
        var dtype: String
        var shape: [Int]
        var bytes: [UInt8]
    }

    /// A header + data built from raw tensors laid out back to back in the given order.
    static func build(_ tensors: [RawTensor], metadata: [String: String]? = nil) -> [UInt8] {
        var parts: [String] = []
        if let metadata {
            let object = try? JSONSerialization.data(withJSONObject: metadata, options: [.sortedKeys])
            parts.append("\"__metadata__\":" + String(decoding: object ?? Data("{}".utf8), as: UTF8.self))
        }
        var data: [UInt8] = []
        for t in tensors {
            let shape = t.shape.map(String.init).joined(separator: ",")
            parts.append("\"\(t.name)\":{\"dtype\":\"\(t.dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(data.count),\(data.count + t.bytes.count)]}")
            data += t.bytes
        }
        return assemble(header: "{" + parts.joined(separator: ",") + "}", data: data)
    }

    static func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { v -> [UInt8] in
            let le = v.littleEndian
            return (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: le >> ($0 * 8)) }
        }
    }

    static func f32Bytes(_ values: [Float]) -> [UInt8] { littleEndian(values.map(\.bitPattern)) }
    static func f64Bytes(_ values: [Double]) -> [UInt8] { littleEndian(values.map(\.bitPattern)) }

    /// The message of the EngineError `body` throws, or a note that it threw nothing / something else.
    static func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "(no error)"
        } catch let error as EngineError {
            return error.description
        } catch {
            return "(not an EngineError: \(error))"
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
