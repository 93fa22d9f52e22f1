import ArgumentParser
import RNNEngine

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Generate text from a trained model, token by token, at a temperature."
    )

    @Option(name: .long, help: "The model (.safetensors).")
    var model: String

    @Option(name: .long, help: "Text to read first (tokens must be in the model's vocabulary).")
    var prime: String = ""

    @Option(name: .long, help: "How many tokens to generate.")
    var length: Int = 200

    @Option(name: .long, help: "Below 1: safer, more repetitive; above 1: more surprising.")
    var temperature: Double = 1

    @Option(name: .long, help: "Random seed: the same seed gives the same text.")
    var seed: UInt64 = 1

    func validate() throws {
        if length < 0 || length > 1_000_000 { throw ValidationError("--length must be between 0 and 1000000") }
    }

    func run() throws {
        let loaded = try loadModel(model)
        let tokens = try cli { try loaded.sample(prime: prime, count: length, temperature: temperature, seed: seed) }
        print(prime + (loaded.tokenizer == .word && !prime.isEmpty ? " " : "") + loaded.tokenizer.join(tokens))
    }
}
