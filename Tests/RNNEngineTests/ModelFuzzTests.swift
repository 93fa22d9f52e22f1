import Foundation
import Testing
import TestSupport
@testable import RNNEngine

/// Seeded, deterministic fuzzing of model files: structured mutations of the golden .safetensors files
/// (header JSON fields, lengths, offsets, dtypes, shapes, names, metadata, data bytes, byte damage) go
/// through the loader (`RNNModel(safetensors:)`); a rejected one must give one line naming the file, an
/// accepted one must run forward + BPTT and sample without trapping.
///
/// `RNNSCOPE_FUZZ_CASES=10000 swift test --filter ModelFuzzTests` runs a long campaign (default 400);
/// `RNNSCOPE_FUZZ_SEED` changes the seed.
@Suite struct ModelFuzzTests {
    nonisolated(unsafe) static let weirdInts: [Any] = [-1, 0, 1, 2, 3, 7, 999, 1 << 31, Int.max, Int.min, 1 << 40, 1.5, "4", NSNull()]
    static let dtypes = ["F32", "F16", "BF16", "F64", "I32", "U8", "BOOL", "f32", "", "F8_E4M3"]
    static let names = ["embedding.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
                        "fc.weight", "fc.bias", "rnn.weight_ih_l1", "model.rnn.weight_hh_l0", "__metadata__", "", "x"]
    static let weirdStrings = ["", "\u{1b}[2J", "\u{1b}]0;title\u{07}", "a\u{0}b", "\n", "🙂", "\\", "\"",
                               String(repeating: "w", count: 300), "[", "[]", "[\"a\"]", "[\"a\", \"a\"]", "[1, 2]", "{}",
                               "[\"I\", \"love\", \"AI\", \"and\", \"loves\", \"me\", \"x\"]", "[\"I\"]"]

    /// A golden file as its header object and data bytes.
    struct Parts {
        var header: [String: Any]
        var data: [UInt8]
    }

    static func parts(_ bytes: [UInt8]) throws -> Parts {
        let (header, data) = ModelFileFixtures.split(bytes)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any])
        return Parts(header: object, data: data)
    }

    static func assemble(_ parts: Parts) throws -> [UInt8] {
        let json = try JSONSerialization.data(withJSONObject: parts.header, options: [.sortedKeys])
        return ModelFileFixtures.assemble(header: String(decoding: json, as: UTF8.self), data: parts.data)
    }

    func mutate(_ p: inout Parts, _ rng: inout SeededGenerator) {
        let tensors = p.header.keys.filter { $0 != "__metadata__" }.sorted()
        guard let name = tensors.randomElement(using: &rng) else {
            p.header["fc.bias"] = ["dtype": "F32", "shape": [1], "data_offsets": [0, 4]]
            return
        }
        var tensor = p.header[name] as? [String: Any] ?? [:]
        var meta = p.header["__metadata__"] as? [String: Any] ?? [:]
        switch Int.random(in: 0..<14, using: &rng) {
        case 0:  // one offset
            var offsets = tensor["data_offsets"] as? [Any] ?? [0, 0]
            if offsets.isEmpty { offsets = [0] }
            offsets[Int.random(in: 0..<offsets.count, using: &rng)] = Self.weirdInts.randomElement(using: &rng)!
            tensor["data_offsets"] = offsets
        case 1:  // offsets shifted together (a gap or an overlap)
            if let offsets = tensor["data_offsets"] as? [Int], offsets.count == 2 {
                let d = [-8, -4, -1, 1, 4, 8].randomElement(using: &rng)!
                tensor["data_offsets"] = [offsets[0] + d, offsets[1] + d]
            }
        case 2:  // one dimension
            var shape = tensor["shape"] as? [Any] ?? []
            if shape.isEmpty || Bool.random(using: &rng) {
                shape.append(Self.weirdInts.randomElement(using: &rng)!)
            } else {
                shape[Int.random(in: 0..<shape.count, using: &rng)] = Self.weirdInts.randomElement(using: &rng)!
            }
            tensor["shape"] = shape
        case 3:  // a consistent reshape: same element count, other dims
            if let shape = tensor["shape"] as? [Int], shape.count == 2 {
                tensor["shape"] = [shape[1], shape[0]]
            } else if let shape = tensor["shape"] as? [Int], shape.count == 1 {
                tensor["shape"] = [1, shape[0]]
            }
        case 4: tensor["dtype"] = Self.dtypes.randomElement(using: &rng)!
        case 5:  // a key of the tensor removed or added
            if let key = ["dtype", "shape", "data_offsets"].randomElement(using: &rng), Bool.random(using: &rng) {
                tensor.removeValue(forKey: key)
            } else {
                tensor["extra"] = 1
            }
        case 6:  // rename or drop a tensor
            p.header.removeValue(forKey: name)
            if Bool.random(using: &rng) { p.header[Self.names.randomElement(using: &rng)!] = tensor }
            return
        case 7:  // metadata values
            let key = ["cell", "tokenizer", "vocab", "task", "format"].randomElement(using: &rng)!
            let values: [Any] = ["rnn_tanh", "lstm", "gru", "rnn_relu", "word", "char", "regression", "classification", 3, NSNull()]
            meta[key] = Bool.random(using: &rng) ? values.randomElement(using: &rng)! : Self.weirdStrings.randomElement(using: &rng)!
        case 8:  // metadata key removed, or the whole metadata of another kind
            if Bool.random(using: &rng), let key = meta.keys.sorted().randomElement(using: &rng) {
                meta.removeValue(forKey: key)
            } else {
                p.header["__metadata__"] = [[1], "x", 3, NSNull()].randomElement(using: &rng)!
                return
            }
        case 9:  // a vocab entry changed
            if let text = meta["vocab"] as? String, var vocab = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String],
               !vocab.isEmpty {
                let i = Int.random(in: 0..<vocab.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: vocab[i] = Self.weirdStrings.randomElement(using: &rng)!
                case 1: vocab.remove(at: i)
                default: vocab.append(vocab[i])
                }
                meta["vocab"] = String(decoding: (try? JSONSerialization.data(withJSONObject: vocab)) ?? Data(), as: UTF8.self)
            }
        case 10:  // special values in the data
            let specials: [Float] = [.nan, .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude, 0, -0.0]
            if p.data.count >= 4 {
                let at = Int.random(in: 0..<(p.data.count / 4), using: &rng) * 4
                let bits = specials.randomElement(using: &rng)!.bitPattern
                for k in 0..<4 { p.data[at + k] = UInt8(truncatingIfNeeded: bits >> (8 * k)) }
            }
        case 11:  // data truncated or extended
            if Bool.random(using: &rng), !p.data.isEmpty {
                p.data.removeLast(Int.random(in: 1...min(p.data.count, 16), using: &rng))
            } else {
                p.data += [UInt8](repeating: 0, count: Int.random(in: 1...16, using: &rng))
            }
        case 12:  // hidden size changed consistently on W_hh: the other tensors no longer agree
            if name.contains("weight_hh"), let shape = tensor["shape"] as? [Int], shape.count == 2 {
                tensor["shape"] = [shape[0], shape[1] + 1]
            }
        default:  // the whole header of another JSON kind
            p.header = ["__metadata__": meta]
            return
        }
        p.header[name] = tensor
        if !meta.isEmpty || p.header["__metadata__"] != nil { p.header["__metadata__"] = meta }
    }

    /// Byte-level damage to the file: the length prefix, truncation or one changed byte.
    func damage(_ bytes: inout [UInt8], _ rng: inout SeededGenerator) {
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
            let lengths: [UInt64] = [0, 1, 7, UInt64(bytes.count), UInt64(bytes.count - 8), UInt64.max, 100_000_001, UInt64(Int.max)]
            let n = lengths.randomElement(using: &rng)!
            for k in 0..<8 { bytes[k] = UInt8(truncatingIfNeeded: n >> (8 * UInt64(k))) }
        case 1: bytes.removeLast(Int.random(in: 1..<bytes.count, using: &rng))
        default: bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
        }
    }

    @Test func mutatedModelsAreRejectedInOneLineOrRunWithoutTrapping() throws {
        let env = ProcessInfo.processInfo.environment
        let count = env["RNNSCOPE_FUZZ_CASES"].flatMap { Int($0) } ?? 400
        var rng = SeededGenerator(seed: env["RNNSCOPE_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_240_602)
        let bases = try GoldenFiles.singleLayerCases.map { try Self.parts(ModelFileFixtures.goldenBytes($0)) }
        var accepted = 0, rejected = 0, runs = 0
        var slowest = 0.0
        let started = Date()
        for n in 0..<count {
            let caseStart = Date()
            var parts = bases[n % bases.count]
            for _ in 0..<Int.random(in: 1...3, using: &rng) { mutate(&parts, &rng) }
            var bytes = try Self.assemble(parts)
            if n % 8 == 7 { damage(&bytes, &rng) }
            do {
                let model = try RNNModel(safetensors: SafetensorsFile(bytes: bytes, path: "model.safetensors"), path: "model.safetensors")
                accepted += 1
                // What the commands do with a model: run a few of its own tokens forward and back, sample.
                let tokens = Array(model.vocabulary.tokens.prefix(4))
                let text = model.task == .regression ? "0.5 -1 2" : model.tokenizer.join(tokens)
                do {
                    let run = try model.run(text)
                    #expect(run.forward.steps == run.tokens.count)
                    if model.task == .classification {
                        _ = try model.sample(prime: text, count: 5, temperature: 1, seed: 1)
                    }
                    runs += 1
                } catch {
                    #expect(!error.description.contains("\n"), "case \(n): \(error.description)")
                }
            } catch {
                rejected += 1
                let line = error.description
                #expect(line.hasPrefix("model.safetensors: "), "case \(n): \(line)")
                #expect(!line.contains("\n"), "case \(n): \(line)")
            }
            slowest = max(slowest, Date().timeIntervalSince(caseStart))
        }
        print("model fuzzer: \(count) cases, \(rejected) rejected with one line, \(accepted) accepted (\(runs) ran), "
            + "slowest case \(String(format: "%.3f", slowest)) s, \(String(format: "%.1f", Date().timeIntervalSince(started))) s in all")
        #expect(accepted + rejected == count)
        #expect(accepted > 0 && rejected > 0)
    }
}
