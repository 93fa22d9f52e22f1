import Foundation
import RNNTrace
import TestSupport
import Testing

/// Paths and fixtures shared by the lesson tests.
enum Fixture {
    /// The package root, found from this file's path (Tests/RNNLessonsTests/Support.swift).
    static let packageRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    static var lessonsDirectory: String { packageRoot + "/lessons" }
    static func goldenTrace(_ name: String) throws -> Recording {
        try TraceJSONReader.read(path: GoldenFiles.trace(name).path)
    }

    /// Model files as a lesson in a `TempDirectory` names them: a lesson may read only files in its own
    /// directory, so every temporary directory holds a copy of these golden models.
    static let lstmModel = "lstm_word_embed.safetensors"
    static let tanhModel = "rnn_tanh_word_onehot.safetensors"
    static let goldenModels = ["lstm_word_embed", "rnn_tanh_word_onehot"]
}

/// A fresh temporary directory, removed when the value is released.
final class TempDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "rnnlessons-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for name in Fixture.goldenModels {
            try FileManager.default.copyItem(atPath: GoldenFiles.model(name).path, toPath: path + "/" + name + ".safetensors")
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }
}

/// A valid lesson over the golden LSTM model, used as the base that bad-file tests break one way each.
func goldenLSTMLesson(extraFrontMatter: String = "", body: String? = nil) -> String {
    """
    ---
    title: Gates on a tiny sentence
    summary: Watch the forget gate while the LSTM reads seven words.
    cell: lstm
    model: \(Fixture.lstmModel)
    input: I love AI and AI loves me
    \(extraFrontMatter)---

    # Gates on a tiny sentence

    The LSTM reads {T} words; its hidden state has {hidden_size} units.

    \(body ?? defaultBody)
    """
}

let defaultBody = """
## step 0 forward
highlight: gates.f[1]

The model reads **{token}**. The forget gate's mean is {mean f}, unit 1 of h is {h[1]}.
It expects "{predicted}" next with probability {prob predicted %}; the real next word is "{target}" ({prob target}).

> question: Which word will it predict next?
> - a: love
> - b: AI
> - c: me
> answer: predicted
> explain: The most probable next word is "{predicted}" at {prob predicted %}.

> question: Is the forget gate mostly open?
> - a: open
> - b: closed
> answer: open if mean f > 0.5 else closed
> explain: Its mean is {mean f .2}.

## step 5 backward
highlight: gradient

‖dL/dh‖ here is {grad_norm}; at the start it was {grad_norm@0}, a ratio of {ratio grad_norm@0 grad_norm}.

## end

The mean loss over the run was {mean_loss}.
"""

extension Recording {
    /// Every step's values, for assertions over a whole (short) run.
    var steps: [RecordedStep] { (0..<stepCount).map(step) }
}
