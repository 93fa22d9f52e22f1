import Foundation
import RNNLessons
import Testing
import TestSupport
@testable import RNNView
import RNNTrace
import RNNEngine

/// Seeded, deterministic fuzzing of trace files: mutations of the fixture traces go through the parser and
/// validator (`TraceJSONReader`); a rejected one must give one line naming the file, an accepted one must draw
/// frames forward and backward at every step without trapping.
///
/// `RNNSCOPE_FUZZ_CASES=10000 swift test --filter TraceFuzzTests` runs a long campaign (default 400);
/// `RNNSCOPE_FUZZ_SEED` changes the seed.
@Suite struct TraceFuzzTests {
    static let stepVectorKeys = ["x", "h", "h_prev", "c", "c_prev", "logits", "probs"]
    nonisolated(unsafe) static let weirdInts: [Any] = [-1, 0, 1, 2, 5, 6, 7, 999, Int.max, Int.min, 1 << 40, -(1 << 40)]
    nonisolated(unsafe) static let weirdNumbers: [Any] = ["NaN", "Infinity", "-Infinity", 1e308, -1e308, 0, -0.0, 5e-324, 2.0]
    nonisolated(unsafe) static let weirdStrings: [Any] = ["", "\u{1b}[2J", "\u{1b}]0;title\u{07}", "\u{9b}31m", "a\u{0}b", "\n", "🙂", String(repeating: "w", count: 300)]

    func mutate(_ base: [String: Any], _ rng: inout SeededGenerator) -> [String: Any] {
        var json = base
        var steps = json["steps"] as! [[String: Any]]
        let i = Int.random(in: 0..<steps.count, using: &rng)
        switch Int.random(in: 0..<14, using: &rng) {
        case 0: steps[i]["target"] = Self.weirdInts.randomElement(using: &rng)!
        case 1: steps[i]["t"] = Self.weirdInts.randomElement(using: &rng)!
        case 2:
            let key = Self.stepVectorKeys.randomElement(using: &rng)!
            if var v = steps[i][key] as? [Any], !v.isEmpty {
                if Bool.random(using: &rng) { v.removeLast(Int.random(in: 1...v.count, using: &rng)) } else { v += v }
                steps[i][key] = v
            } else {
                steps[i][key] = [0.5, 0.5]
            }
        case 3:
            let key = (Self.stepVectorKeys + ["gates", "grad", "token", "t", "target", "loss"]).randomElement(using: &rng)!
            steps[i].removeValue(forKey: key)
        case 4:
            let key = ["hidden_size", "input_size", "version"].randomElement(using: &rng)!
            json[key] = Self.weirdInts.randomElement(using: &rng)!
        case 5: json["cell"] = ["rnn_tanh", "lstm", "gru", "rnn_relu", "", "LSTM"].randomElement(using: &rng)!
        case 6:
            var vocab = json["vocab"] as! [String]
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: vocab = []
            case 1: if !vocab.isEmpty { vocab.removeLast() }
            default:
                let weird = Self.weirdStrings.randomElement(using: &rng)! as! String
                if vocab.isEmpty { vocab.append(weird) } else { vocab[Int.random(in: 0..<vocab.count, using: &rng)] = weird }
            }
            json["vocab"] = vocab
        case 7:
            var tokens = json["tokens"] as! [String]
            if Bool.random(using: &rng) || !tokens.indices.contains(i) {
                if !tokens.isEmpty { tokens.removeLast() }
            } else {
                tokens[i] = Self.weirdStrings.randomElement(using: &rng)! as! String
            }
            json["tokens"] = tokens
            steps[i]["token"] = tokens.indices.contains(i) ? tokens[i] : "?"
        case 8:
            var gates = steps[i]["gates"] as? [String: Any] ?? [:]
            if let k = gates.keys.sorted().randomElement(using: &rng), Bool.random(using: &rng) {
                gates.removeValue(forKey: k)
            } else {
                gates["q"] = [0.1]
            }
            steps[i]["gates"] = gates
        case 9:
            let key = Self.stepVectorKeys.randomElement(using: &rng)!
            if var v = steps[i][key] as? [Any], !v.isEmpty {
                v[Int.random(in: 0..<v.count, using: &rng)] = Self.weirdNumbers.randomElement(using: &rng)!
                steps[i][key] = v
            }
        case 10:
            let j = Int.random(in: 0..<steps.count, using: &rng)
            steps.swapAt(i, j)
        case 11:
            var ids = json["token_ids"] as! [Any]
            if ids.isEmpty { ids.append(0) }
            ids[Int.random(in: 0..<ids.count, using: &rng)] = Self.weirdInts.randomElement(using: &rng)!
            json["token_ids"] = ids
        case 12:
            if var grad = steps[i]["grad"] as? [String: Any], var h = grad["h"] as? [Any], !h.isEmpty {
                if Bool.random(using: &rng) { h.removeLast() } else { h[0] = Self.weirdNumbers.randomElement(using: &rng)! }
                grad["h"] = h
                steps[i]["grad"] = grad
            }
        default:
            json["task"] = ["classification", "regression", "translation"].randomElement(using: &rng)!
        }
        json["steps"] = steps
        return json
    }

    /// Byte-level damage to the JSON text: truncation or one changed byte.
    func damage(_ bytes: Data, _ rng: inout SeededGenerator) -> Data {
        var b = [UInt8](bytes)
        let at = Int.random(in: 0..<b.count, using: &rng)
        if Bool.random(using: &rng) { b.removeLast(b.count - at) } else { b[at] = UInt8.random(in: 0...255, using: &rng) }
        return Data(b)
    }

    @Test func mutatedTracesAreRejectedInOneLineOrDrawnWithoutTrapping() throws {
        let env = ProcessInfo.processInfo.environment
        let count = env["RNNSCOPE_FUZZ_CASES"].flatMap { Int($0) } ?? 400
        var rng = SeededGenerator(seed: env["RNNSCOPE_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_240_601)
        var bases: [[String: Any]] = []
        for name in Fixtures.cases {
            let url = GoldenFiles.trace(name)
            bases.append(try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]))
        }
        var accepted = 0, rejected = 0, frames = 0
        for n in 0..<count {
            var json = bases[n % bases.count]
            for _ in 0..<Int.random(in: 1...3, using: &rng) { json = mutate(json, &rng) }
            var data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
            if n % 10 == 9 { data = damage(data, &rng) }
            do throws(TraceFileError) {
                let trace = try TraceJSONReader.read(bytes: Array(data), name: "trace.json")
                accepted += 1
                var state = AppState(trace: trace, options: ViewOptions(colorMode: .monochrome))
                for mode in [StepMode.forward, .backward] {
                    state.setMode(mode)
                    for step in 0..<trace.stepCount {
                        state.jump(toStep: step)
                        _ = renderFrame(state, width: 120, height: 40)
                        frames += 1
                    }
                }
            } catch {
                rejected += 1
                let line = error.description
                #expect(line.hasPrefix("trace.json: "), "case \(n): \(line)")
                #expect(!line.contains("\n"), "case \(n): \(line)")
                #expect(!line.unicodeScalars.contains { TerminalText.isControl($0) }, "case \(n): \(line)")
            }
        }
        print("trace fuzzer: \(count) cases, \(rejected) rejected with one line, \(accepted) accepted, \(frames) frames drawn")
        #expect(accepted + rejected == count)
        #expect(accepted > 0 && rejected > 0)
    }
}
