import Foundation
import TestSupport
import Testing

/// A PyTorch user's files through the real binary (one-step model messages, stdin input, what `-o` wrote),
/// and an install to a prefix used from elsewhere, as a user finds it on their PATH.
@Suite("Install and model input")
struct InstallAndModelInputTests {
    /// The golden LSTM's bytes with its `__metadata__` taken out: what `save_file(model.state_dict(), path)`
    /// writes. Tensor offsets are relative to the data, so only the header changes.
    static func withoutMetadata(_ bytes: [UInt8]) throws -> [UInt8] {
        var length = 0
        for i in (0..<8).reversed() { length = length << 8 | Int(bytes[i]) }
        var header = try #require(try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
        header["__metadata__"] = nil
        var text = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        while text.count % 8 != 0 { text.append(0x20) }
        let size = (0..<8).map { UInt8(truncatingIfNeeded: text.count >> (8 * $0)) }
        return size + text + bytes[(8 + length)...]
    }

    /// Writes `bytes` as `name` in a fresh directory, runs rnnscope with `arguments(path)`, expects it to
    /// refuse (status 1, nothing on stdout) and returns the file's path and what it said on stderr.
    func refusal(ofFile bytes: [UInt8], named name: String, _ arguments: (String) -> [String]) throws -> (path: String, stderr: String) {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let r = try run(Paths.binary.path, arguments(path))
        #expect(r.status == 1 && r.stdout.isEmpty)
        return (path, r.stderr)
    }

    @Test func aStateDictWithNoMetadataGetsOneMessageWithTheLineToAddIt() throws {
        let golden = [UInt8](try Data(contentsOf: GoldenFiles.model("lstm_word_embed")))
        let (path, stderr) = try refusal(ofFile: try Self.withoutMetadata(golden), named: "plain.safetensors") {
            ["trace", "--model", $0, "--text", "I love AI"]
        }
        #expect(stderr == "Error: \(path): metadata has no \"cell\", \"tokenizer\" or \"vocab\"; the tensors are an LSTM, 1 layer of hidden size 3, reading an embedding of 6 tokens × 4, with 6 outputs. Save it with: save_file(model.state_dict(), \"plain.safetensors\", metadata={\"cell\": \"lstm\", \"tokenizer\": \"char\", \"vocab\": json.dumps(chars)}) (chars is the list of the 6 token strings in id order; tokenizer \"char\" reads one token per character, \"word\" splits at whitespace)\n")
    }

    @Test func aTorchSaveZipIsNamedWithHowToSaveSafetensors() throws {
        // The first bytes of every torch.save file: a zip local file header holding "archive/data.pkl".
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x08, 0x08] + Array("archive/data.pkl".utf8)
        let (path, stderr) = try refusal(ofFile: zip, named: "model.pt") { ["view", "--plain", "--model", $0, "--text", "I"] }
        #expect(stderr == "Error: \(path): is a zip archive (what torch.save writes), not safetensors; save the weights with safetensors instead: from safetensors.torch import save_file; save_file(model.state_dict(), \"model.safetensors\") (rnnscope then says which metadata to add)\n")
    }

    @Test func textFileDashReadsStandardInputAndDashOSaysWhatItWrote() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = GoldenFiles.model("gru_word_embed").path
        let out = dir.appendingPathComponent("t.json").path
        let piped = try run("/bin/sh", ["-c", "printf 'I love AI' | \"$0\" trace --model \"$1\" --text-file - -o \"$2\"", Paths.binary.path, model, out])
        #expect(piped.status == 0, "\(piped.stderr)")
        let written = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(piped.stderr == "wrote the json trace of 3 steps (\(written.count) bytes) to \(out)\n")
        let direct = try run(Paths.binary.path, ["trace", "--model", model, "--text", "I love AI"])
        #expect(direct.status == 0 && direct.stdoutData == written && direct.stderr.isEmpty)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/man"), "man is not installed (.ci/run installs man-db)"))
    func anInstallToAPrefixFindsItsCourseFromAnyDirectoryAndHasAManPage() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let prefix = dir.appendingPathComponent("prefix").path
        let install = try run(Paths.packageRoot.appendingPathComponent("scripts/install").path,
                              ["--prefix", prefix, "--binary", Paths.binary.path], timeout: 120)
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.hasPrefix("installed \(prefix)/bin/rnnscope"))

        // Run by name from $PATH, in a directory with no lessons, with no RNNSCOPE_LESSONS.
        let elsewhere = dir.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let path = "\(prefix)/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let env = ["PATH": path, "RNNSCOPE_LESSONS": ""]
        let lessons = try run("/usr/bin/env", ["rnnscope", "lessons"], directory: elsewhere, environment: env)
        #expect(lessons.status == 0, "\(lessons.stderr)")
        #expect(lessons.stdout.contains(" 1  What an RNN is") && lessons.stdout.contains("11  "))
        let opened = try run("/usr/bin/env", ["rnnscope", "lesson", "1", "--plain"], directory: elsewhere, environment: env)
        #expect(opened.status == 0 && opened.stdout.contains("Lesson 1: What an RNN is"), "\(opened.stderr)")

        let man = try run("/usr/bin/man", ["-M", prefix + "/share/man", "rnnscope"], environment: ["MANPAGER": "cat", "MANWIDTH": "80"])
        #expect(man.status == 0, "\(man.stderr)")
        #expect(man.stdout.contains("rnnscope - Step through a recurrent neural network"))
        #expect(man.stdout.contains("rnnscope lesson validate") && man.stdout.contains("RNNSCOPE_LESSONS"))
        let bash = try String(contentsOfFile: prefix + "/share/bash-completion/completions/rnnscope", encoding: .utf8)
        #expect(bash.contains("complete") && bash.contains("_rnnscope"))
        #expect(bash.contains("-fX '!*.@(safetensors)'"))  // trace --model completes model files
        #expect(FileManager.default.fileExists(atPath: prefix + "/share/zsh/site-functions/_rnnscope"))
        #expect(FileManager.default.fileExists(atPath: prefix + "/share/fish/vendor_completions.d/rnnscope.fish"))
    }
}
