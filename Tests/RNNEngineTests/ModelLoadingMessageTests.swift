import Foundation
import Testing
@testable import RNNEngine

private typealias F = ModelFileFixtures

/// A model saved from PyTorch without rnnscope's metadata loads in one round trip: one message names every
/// missing key, says what the tensors show and gives the line that saves the model right.
@Suite("Model loading messages")
struct ModelLoadingMessageTests {
    private func message(_ file: SafetensorsFile, path: String = "m.safetensors") -> String {
        F.message { _ = try RNNModel(safetensors: file, path: path) }
    }

    @Test("a state_dict saved with no metadata: every key named at once, and the line that fixes it loads")
    func noMetadataOneRoundTrip() throws {
        let golden = try SafetensorsFile(contentsOf: F.goldenPath("lstm_word_embed"))
        var file = golden
        file.metadata = [:]
        #expect(message(file) == "m.safetensors: metadata has no \"cell\", \"tokenizer\" or \"vocab\"; the tensors are an LSTM, 1 layer of hidden size 3, reading an embedding of 6 tokens × 4, with 6 outputs. Save it with: save_file(model.state_dict(), \"m.safetensors\", metadata={\"cell\": \"lstm\", \"tokenizer\": \"char\", \"vocab\": json.dumps(chars)}) (chars is the list of the 6 token strings in id order; tokenizer \"char\" reads one token per character, \"word\" splits at whitespace)")
        // The keys the line names, with the golden model's values, load the golden model.
        file.metadata = ["cell": "lstm", "tokenizer": "word", "vocab": golden.metadata["vocab"] ?? ""]
        #expect(try RNNModel(safetensors: file, path: "m") == RNNModel(safetensors: golden, path: "m"))
    }

    @Test("a plain RNN's cell is never guessed: the line reads it from the model, under the module's own path")
    func plainRNNIsNotGuessed() throws {
        var file = try SafetensorsFile(contentsOf: F.goldenPath("rnn_tanh_word_onehot"))
        for (name, tensor) in file.tensors where name.hasPrefix("rnn.") {
            file.tensors[name] = nil
            file.tensors["blocks.0.rnn." + name.dropFirst(4)] = tensor
        }
        file.metadata["cell"] = nil
        let text = message(file, path: "dir/plain.safetensors")
        #expect(text == "dir/plain.safetensors: metadata has no \"cell\"; the tensors are a plain RNN (tanh or ReLU: the tensors are the same for both), 1 layer of hidden size 4, reading 6 inputs per step (one-hot tokens), with 6 outputs. Save it with: save_file(model.state_dict(), \"plain.safetensors\", metadata={\"cell\": \"rnn_\" + model.blocks[0].rnn.nonlinearity, \"tokenizer\": \"word\", \"vocab\": json.dumps(words)}) (nn.RNN's nonlinearity makes the cell \"rnn_tanh\" or \"rnn_relu\")")
        #expect(!text.contains("\"cell\": \"rnn_tanh\"") && !text.contains("\"cell\": \"rnn_relu\""))
    }

    @Test("Python's str(list), a joined string and a token → id dict as vocab each say how to write it")
    func vocabSlips() throws {
        var file = try SafetensorsFile(contentsOf: F.goldenPath("gru_word_embed"))
        let tail = "; the tensors are a GRU, 1 layer of hidden size 4, reading an embedding of 6 tokens × 5, with 6 outputs. Save it with: save_file(model.state_dict(), \"m.safetensors\", metadata={\"cell\": \"gru\", \"tokenizer\": \"word\", \"vocab\": json.dumps(words)}) (words is the list of the 6 token strings in id order)"
        file.metadata["vocab"] = "['I', 'love', 'AI', 'and', 'loves', 'me']"
        #expect(message(file) == "m.safetensors: metadata vocab is Python's str() of a list (quoted with '), not JSON: write it with json.dumps" + tail)
        file.metadata["vocab"] = "Iloveme"
        #expect(message(file) == "m.safetensors: metadata vocab is not a JSON array (it starts \"Iloveme\"); write the token list with json.dumps" + tail)
        file.metadata["vocab"] = "{\"I\": 0, \"love\": 1}"
        #expect(message(file) == "m.safetensors: metadata vocab is an object (a token → id dict?), not a JSON array of token strings in id order" + tail)
    }

    @Test("several problems in one message: a missing tokenizer, a capitalised cell, a str(list) vocab")
    func severalProblemsAtOnce() throws {
        var file = try SafetensorsFile(contentsOf: F.goldenPath("gru_word_embed"))
        file.metadata = ["cell": "GRU", "vocab": "['I', 'love']"]
        #expect(message(file) == "m.safetensors: metadata has no \"tokenizer\"; metadata cell is \"GRU\"; expected one of rnn_tanh, rnn_relu, lstm, gru (lower case: \"gru\"); metadata vocab is Python's str() of a list (quoted with '), not JSON: write it with json.dumps; the tensors are a GRU, 1 layer of hidden size 4, reading an embedding of 6 tokens × 5, with 6 outputs. Save it with: save_file(model.state_dict(), \"m.safetensors\", metadata={\"cell\": \"gru\", \"tokenizer\": \"char\", \"vocab\": json.dumps(chars)}) (chars is the list of the 6 token strings in id order; tokenizer \"char\" reads one token per character, \"word\" splits at whitespace)")
    }

    @Test("a valid vocab decides the tokenizer the line suggests when only one fits")
    func tokenizerFromVocab() throws {
        var file = try SafetensorsFile(contentsOf: F.goldenPath("lstm_word_embed"))
        file.metadata["tokenizer"] = nil
        #expect(message(file).contains("\"tokenizer\": \"word\", \"vocab\": json.dumps(words)})"))  // "love" is a word
        file.metadata["vocab"] = "[\"a\", \" \", \"b\", \"c\", \"d\", \"e\"]"
        #expect(message(file).contains("\"tokenizer\": \"char\", \"vocab\": json.dumps(chars)})"))  // " " is no word
        file.metadata["vocab"] = "[\"a\", \"x\", \"b\", \"c\", \"d\", \"e\"]"
        #expect(message(file).hasSuffix("(tokenizer \"char\" reads one token per character, \"word\" splits at whitespace)"))
    }

    @Test("tied embedding and output weights saved as one copy: named, and the line saves both")
    func tiedWeights() throws {
        let p = ModelParameters.initialized(cell: .gru, vocabularySize: 5, embeddingSize: 4, hiddenSize: 4, seed: 3)
        let model = RNNModel(parameters: p, tokenizer: .char, vocabulary: Vocabulary(["a", "b", "c", "d", "e"]))
        var file = model.safetensors()
        file.tensors["decoder.weight"] = file.tensors["fc.weight"]
        file.tensors["decoder.bias"] = file.tensors["fc.bias"]
        for name in ["fc.weight", "fc.bias", "embedding.weight"] { file.tensors[name] = nil }
        #expect(message(file) == "m.safetensors: there is no embedding tensor, yet \"rnn.weight_ih_l0\" reads 4 inputs (one-hot input would be 5 wide) and \"decoder.weight\" is [5, 4]: the embedding looks tied to the output layer, and the file kept one copy; the tensors are a GRU, 1 layer of hidden size 4, reading 4 inputs per step, with 5 outputs. Save it with: save_file({k: v.clone() for k, v in model.state_dict().items()}, \"m.safetensors\", metadata={\"cell\": \"gru\", \"tokenizer\": \"char\", \"vocab\": json.dumps(chars)}) (the clone saves the tied matrix both as the embedding and as the output layer)")
        // Saved as the line says (both copies), it loads, the embedding being the output matrix.
        file.tensors["encoder.weight"] = file.tensors["decoder.weight"]
        let loaded = try RNNModel(safetensors: file, path: "m")
        #expect(loaded.parameters.embedding == loaded.parameters.headWeight)
    }

    @Test("one number in, one number out and no vocab: the missing key is task")
    func regressionIsNamed() throws {
        let p = ModelParameters.initialized(cell: .lstm, task: .regression, vocabularySize: 1, inputSize: 1, embeddingSize: nil,
                                                hiddenSize: 3, outputSize: 1, seed: 2)
        var file = RNNModel(parameters: p, tokenizer: .word, vocabulary: Vocabulary([]), task: .regression).safetensors()
        file.metadata = [:]
        #expect(message(file) == "m.safetensors: metadata has no \"cell\" or \"task\"; the tensors are an LSTM, 1 layer of hidden size 3, reading 1 input per step, with 1 output. Save it with: save_file(model.state_dict(), \"m.safetensors\", metadata={\"cell\": \"lstm\", \"task\": \"regression\"})")
        file.metadata = ["cell": "lstm", "task": "regression"]
        #expect(try RNNModel(safetensors: file, path: "m").task == .regression)
    }

    @Test("weights that fit no cell are named as such, with PyTorch's layout")
    func shapeFitsNoCell() throws {
        var file = try SafetensorsFile(contentsOf: F.goldenPath("lstm_word_embed"))
        file.metadata["cell"] = nil
        file.tensors["rnn.weight_hh_l0"] = .init(shape: [6, 3], values: [Float](repeating: 0, count: 18))
        #expect(message(file) == "m.safetensors: metadata has no valid \"cell\", and tensor \"rnn.weight_hh_l0\" has shape [6, 3], which fits no cell: PyTorch's weight_hh is [G·H, H] with G = 1 (RNN), 3 (GRU) or 4 (LSTM)")
    }

    @Test("a torch.save file (zip or bare pickle) says so and how to save safetensors")
    func torchSaveFiles() throws {
        let advice = "save the weights with safetensors instead: from safetensors.torch import save_file; save_file(model.state_dict(), \"model.safetensors\") (rnnscope then says which metadata to add)"
        let zip: [UInt8] = Array("PK\u{3}\u{4}".utf8) + Array(repeating: 0x14, count: 60)
        #expect(F.message { _ = try SafetensorsFile(bytes: zip, path: "m.pt") } == "m.pt: is a zip archive (what torch.save writes), not safetensors; " + advice)
        let pickle: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8]
        #expect(F.message { _ = try SafetensorsFile(bytes: pickle, path: "m.pt") } == "m.pt: is a Python pickle (torch.save's old format), not safetensors; " + advice)
    }

    @Test("a real safetensors file whose header length starts like a pickle (0x80 0x02 = 640 bytes) still loads")
    func pickleLookalikeLoads() throws {
        // Grow a metadata value until the padded header is exactly 640 bytes long.
        var file = SafetensorsFile(metadata: ["x": ""], tensors: ["w": .init(shape: [1], values: [1])])
        var bytes = try file.encoded()
        while bytes[0] != 0x80 || bytes[1] != 0x02 {
            file.metadata["x"]! += "a"
            bytes = try file.encoded()
            try #require(bytes[1] <= 0x02)
        }
        #expect(try SafetensorsFile(bytes: bytes, path: "p") == file)
    }
}
