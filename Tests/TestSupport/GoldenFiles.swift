import Foundation

/// The golden reference set made with real PyTorch, kept in the repository at Tests/Golden (models,
/// input texts, traces, and the `compare.py` checker with its README). Every test target finds it
/// through here, so a clone alone passes `swift test`.
public enum GoldenFiles {
    /// Tests/Golden, found from this file's path (Tests/TestSupport/GoldenFiles.swift).
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden")

    /// The single-layer tanh RNN, LSTM and GRU cases, on "I love AI and AI loves me".
    public static let singleLayerCases = ["rnn_tanh_word_onehot", "lstm_word_embed", "gru_word_embed"]

    /// The cases of the README's "Stacked layers and ReLU" section, on "I love AI and I love RNNs": a ReLU
    /// RNN (one-hot, H = 8) and a 2-layer LSTM (E = 6, H = 8).
    public static let reluAndStackedCases = ["rnn_relu_word_onehot", "lstm2_word_embed"]

    /// Every golden case.
    public static let allCases = singleLayerCases + reluAndStackedCases

    /// NAME.safetensors: the model.
    public static func model(_ name: String) -> URL { directory.appendingPathComponent(name + ".safetensors") }
    /// NAME.trace.json: PyTorch's trace of the model over its input.
    public static func trace(_ name: String) -> URL { directory.appendingPathComponent(name + ".trace.json") }
    /// NAME.txt: the exact input text.
    public static func input(_ name: String) -> URL { directory.appendingPathComponent(name + ".txt") }
    /// compare.py EXPECTED ACTUAL: exit 0 when the traces agree within float32 tolerance.
    public static var compareScript: URL { directory.appendingPathComponent("compare.py") }
}
