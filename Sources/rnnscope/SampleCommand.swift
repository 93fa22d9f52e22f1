import ArgumentParser
import RNNEngine
import RNNTrace

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Generate text from a trained model, token by token, at a temperature."
    )

    @Option(name: .long, help: "The model (.safetensors).", completion: .file(extensions: ["safetensors"]))
    var model: String

    @Option(name: .long, help: "Text to read first (tokens must be in the model's vocabulary).")
    var prime: String = ""

    /// More text than anyone reads, yet seconds of work for the models this tool teaches with; a larger
    /// request is almost always a typo, and the text is built whole before it is printed.
    static let maximumLength = 100_000

    @Option(name: .long, parsing: .unconditional, help: "How many tokens to generate (at most 100000).")
    var length: Int = 200

    @Option(name: .long, parsing: .unconditional, help: "Below 1: safer, more repetitive; above 1: more surprising.")
    var temperature: Double = 1

    @Option(name: .long, parsing: .unconditional, help: "Random seed: the same seed gives the same text.")
    var seed: UInt64 = 1

    func validate() throws {
        if length < 0 || length > Self.maximumLength {
            throw ValidationError("--length must be between 0 and \(Self.maximumLength), got \(length)")
        }
        guard temperature > 0, temperature.isFinite else {
            throw ValidationError("--temperature must be a finite number > 0 (small values approach the greedy choice), got \(temperature)")
        }
    }

    func run() throws {
        let loaded = try loadModel(model)
        let tokens = try cli { try loaded.sample(prime: prime, count: length, temperature: temperature, seed: seed) }
        let text = prime + (loaded.tokenizer == .word && !prime.isEmpty ? " " : "") + loaded.tokenizer.join(tokens)
        // Generated text is vocabulary entries from the model file: shown with control characters escaped
        // (a char model's newlines and tabs are kept, they are what it learnt to write).
        Console.out(TerminalText.escaped(text, keepNewlines: true, keepTabs: true) + "\n")
    }
}
