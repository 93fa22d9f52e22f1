import Foundation
import Testing
@testable import RNNEngine

private typealias F = ModelFileFixtures

/// Interoperability with the reference implementation: Hugging Face's `safetensors` Python package.
/// Needs `python3` with `safetensors` and `numpy` (`python3 -m pip install safetensors numpy`).
@Suite("SafetensorsPython")
struct SafetensorsPythonTests {
    static let installHint = "python3 with the safetensors and numpy packages is needed for this test: run `python3 -m pip install safetensors numpy`"

    /// Runs `python3 -c script args…`, returning exit status, stdout and stderr.
    static func python(_ script: String, _ arguments: [String] = []) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// True when the reference package can be imported; otherwise records an issue saying how to install it.
    static func referenceAvailable() throws -> Bool {
        let probe = try python("import safetensors, safetensors.numpy, numpy")
        if probe.status != 0 {
            Issue.record("\(installHint)\n\(probe.err)")
            return false
        }
        return true
    }

    /// Loads a file with `safetensors.numpy.load_file` and prints metadata and every tensor as JSON.
    static let dumpScript = """
    import sys, json
    from safetensors.numpy import load_file
    from safetensors import safe_open
    path = sys.argv[1]
    arrays = load_file(path)
    with safe_open(path, framework="numpy") as f:
        metadata = f.metadata()
    print(json.dumps({"metadata": metadata, "tensors": {name: {"dtype": str(a.dtype), "shape": list(a.shape),
        "values": [float(x) if abs(float(x)) != float("inf") else str(float(x)) for x in a.reshape(-1)]}
        for name, a in arrays.items()}}))  # JSON has no infinity: "inf" / "-inf" as strings
    """

    struct Dump {
        var metadata: [String: String]
        var tensors: [String: (dtype: String, shape: [Int], values: [Double])]
    }

    static func dump(_ path: String) throws -> Dump {
        let run = try python(dumpScript, [path])
        guard run.status == 0 else { throw FixtureError("python could not load \(path): \(run.err)") }
        guard let object = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any],
              let tensors = object["tensors"] as? [String: [String: Any]] else { throw FixtureError("unexpected output: \(run.out)") }
        var out = Dump(metadata: object["metadata"] as? [String: String] ?? [:], tensors: [:])
        for (name, t) in tensors {
            out.tensors[name] = (t["dtype"] as? String ?? "", t["shape"] as? [Int] ?? [], (t["values"] as? [Any] ?? []).map(Self.number))
        }
        return out
    }

    /// A dumped value: a JSON number, or "inf" / "-inf" as a string.
    static func number(_ value: Any) -> Double {
        if let n = value as? NSNumber { return n.doubleValue }
        return (value as? String).flatMap(Double.init) ?? .nan
    }

    @Test("files rnnscope writes load in Python's safetensors.numpy with identical arrays and metadata")
    func pythonReadsOurFiles() throws {
        guard try Self.referenceAvailable() else { return }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }

        var model = try RNNModel.load(contentsOf: F.goldenPath("lstm_word_embed"))
        model.vocabulary = Vocabulary(["I", "❤️", "AI", "\"and\"", "loves", "mé"])
        let modelPath = dir + "/model.safetensors"
        try model.save(to: modelPath)

        let odd = SafetensorsFile(
            metadata: ["note": "quote \" backslash \\ newline \n é ❤️", "empty": ""],
            tensors: [
                "scalar": .init(shape: [], values: [-1.5e-30]),
                "empty": .init(shape: [3, 0], values: []),
                "big": .init(shape: [2, 2], values: [.greatestFiniteMagnitude, -.leastNonzeroMagnitude, .infinity, 0.1]),
                "ünïcode.name": .init(shape: [3], values: [1, 2, 3]),
            ])
        let oddPath = dir + "/odd.safetensors"
        try odd.write(to: oddPath)

        for (path, expected) in [(modelPath, model.safetensors()), (oddPath, odd)] {
            let dumped = try Self.dump(path)
            #expect(dumped.metadata == expected.metadata)
            #expect(Set(dumped.tensors.keys) == Set(expected.tensors.keys))
            for (name, tensor) in expected.tensors {
                let d = try #require(dumped.tensors[name])
                #expect(d.dtype == "float32")
                #expect(d.shape == tensor.shape, "\(name)")
                #expect(d.values.map(Float.init) == tensor.values, "\(name)")
            }
        }
        // The vocab metadata parses in Python to the same list.
        let vocab = try Self.python("import json,sys; from safetensors import safe_open\nwith safe_open(sys.argv[1], framework='numpy') as f: print(json.dumps(json.loads(f.metadata()['vocab'])))", [modelPath])
        #expect(try JSONSerialization.jsonObject(with: Data(vocab.out.utf8)) as? [String] == model.vocabulary.tokens)
    }

    @Test("files Python's safetensors writes (F32, F64, F16, and a renamed model) load here")
    func weReadPythonFiles() throws {
        guard try Self.referenceAvailable() else { return }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let script = """
        import sys, json, numpy as np
        from safetensors.numpy import save_file
        rng = np.random.default_rng(7)
        d = sys.argv[1]
        arrays = {"a32": rng.standard_normal((3, 5)).astype(np.float32),
                  "a64": rng.standard_normal((4,)).astype(np.float64),
                  "a16": rng.standard_normal((2, 3)).astype(np.float16)}
        save_file(arrays, d + "/mixed.safetensors", metadata={"who": "numpy"})
        V, E, H = 5, 3, 2
        vocab = ["a", "b", "c", "d", "e"]
        sd = {"model.embed.weight": rng.standard_normal((V, E)),
              "model.gru.weight_ih_l0": rng.standard_normal((3 * H, E)),
              "model.gru.weight_hh_l0": rng.standard_normal((3 * H, H)),
              "model.gru.bias_ih_l0": rng.standard_normal((3 * H,)),
              "model.gru.bias_hh_l0": rng.standard_normal((3 * H,)),
              "model.head.weight": rng.standard_normal((V, H)),
              "model.head.bias": rng.standard_normal((V,))}
        sd = {k: v.astype(np.float32) for k, v in sd.items()}
        save_file(sd, d + "/user.safetensors", metadata={"cell": "gru", "tokenizer": "char", "vocab": json.dumps(vocab)})
        out = {k: [float(x) for x in v.reshape(-1)] for k, v in list(arrays.items()) + list(sd.items())}
        print(json.dumps(out))
        """
        let run = try Self.python(script, [dir])
        try #require(run.status == 0, "python failed: \(run.err)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: [NSNumber]])
        func values(_ name: String) -> [Float] { (expected[name] ?? []).map { Float($0.doubleValue) } }

        let mixed = try SafetensorsFile(contentsOf: dir + "/mixed.safetensors")
        #expect(mixed.metadata == ["who": "numpy"])
        #expect(mixed.tensors["a32"]?.dtype == .f32 && mixed.tensors["a32"]?.shape == [3, 5] && mixed.tensors["a32"]?.values == values("a32"))
        #expect(mixed.tensors["a64"]?.dtype == .f64 && mixed.tensors["a64"]?.values == values("a64"))
        #expect(mixed.tensors["a16"]?.dtype == .f16 && mixed.tensors["a16"]?.shape == [2, 3] && mixed.tensors["a16"]?.values == values("a16"))

        let model = try RNNModel.load(contentsOf: dir + "/user.safetensors")
        #expect(model.cell == .gru && model.tokenizer == .char && model.vocabulary.tokens == ["a", "b", "c", "d", "e"])
        #expect(model.parameters.embedding?.values == values("model.embed.weight"))
        #expect(model.parameters.layers[0].weightIH.values == values("model.gru.weight_ih_l0"))
        #expect(model.parameters.layers[0].weightHH.shape == [6, 2])
        #expect(model.parameters.layers[0].biasHH == values("model.gru.bias_hh_l0"))
        #expect(model.parameters.headWeight.values == values("model.head.weight"))
        #expect(model.parameters.headBias == values("model.head.bias"))
    }
}
