import ArgumentParser
import Foundation
import RNNEngine

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a small model on a text (or number series) file and save it as .safetensors."
    )

    @Option(name: .customLong("text-file"), help: "The training corpus (UTF-8 text; for --task regression, numbers separated by spaces).",
            completion: .file())
    var textFile: String

    @Option(name: .long, help: "rnn_tanh, rnn_relu, lstm or gru.")
    var cell: CellKind = .lstm

    @Option(name: .long, parsing: .unconditional, help: "Hidden size H.")
    var hidden: Int = 32

    @Option(name: .long, parsing: .unconditional, help: "Stacked recurrent layers, 1 to 4 (PyTorch's num_layers): layer k ≥ 1 reads layer k−1's h.")
    var layers: Int = 1

    @Option(name: .long, parsing: .unconditional, help: "Embedding size E (default: one-hot input, E = vocabulary size).")
    var embedding: Int?

    @Option(name: .long, help: "char or word (default: char; word for --task regression, which reads numbers).")
    var tokenizer: TokenizerKind?

    @Option(name: .long, help: "classification (next token) or regression (next number).")
    var task: ModelTask = .classification

    @Option(name: .long, parsing: .unconditional, help: "Passes over the corpus.")
    var epochs: Int = 20

    @Option(name: .customLong("seq-length"), parsing: .unconditional, help: "Truncated BPTT length: steps per update.")
    var seqLength: Int = 25

    @Option(name: .long, help: "sgd, adam or adagrad.")
    var optimizer: OptimizerKind = .adam

    @Option(name: .long, parsing: .unconditional, help: "Learning rate (default: 0.5 sgd, 0.01 adam, 0.1 adagrad).")
    var lr: Double?

    @Option(name: .long, parsing: .unconditional, help: "Clip the global gradient norm to this value (0 turns clipping off).")
    var clip: Double = 5

    @Option(name: .long, parsing: .unconditional, help: "Random seed: the same seed gives byte-identical weights.")
    var seed: UInt64 = 1

    @Flag(name: .customLong("sequence-per-line"), help: "Each line of the corpus is its own sequence, read from the zero state (as every input a model is shown later starts); the lines are visited in a new seeded order each epoch.")
    var sequencePerLine = false

    @Option(name: .customLong("loss-on"), help: "every_step, or last_step: only the last target of each sequence counts (many-to-one).")
    var lossOn: LossPlacement = .everyStep

    @Option(name: .customLong("batch-size"), help: "Sequences whose gradients are averaged before one update (with --sequence-per-line).")
    var batchSize: Int = 1

    @Option(name: .customLong("forget-bias"), help: "LSTM: the forget gate's initial bias (e.g. 1 or 3: f starts open, so the cell state and its gradient last from the first update).")
    var forgetBias: Float?

    @Option(name: .shortAndLong, help: "Where to write the model (.safetensors, written atomically).",
            completion: .file(extensions: ["safetensors"]))
    var output: String

    func validate() throws {
        if batchSize > 1 && !sequencePerLine {
            throw ValidationError("--batch-size averages several sequences: it needs --sequence-per-line")
        }
        guard clip.isFinite, clip >= 0 else {
            throw ValidationError("--clip must be a finite number ≥ 0 (0 turns clipping off), got \(clip)")
        }
        if let lr, !(lr.isFinite && lr > 0) { throw ValidationError("--lr must be a finite number > 0, got \(lr)") }
        if task == .regression && tokenizer == .char {
            throw ValidationError("--task regression reads numbers separated by spaces: use --tokenizer word (its default)")
        }
    }

    func run() throws {
        // The destination is checked before the training, so that a run is never lost at the end.
        let destination = try outputDestination(output, inputs: [("--text-file", textFile)])!
        let corpus = try readTextFile(textFile)
        let config = TrainingConfig(cell: cell, task: task, tokenizer: tokenizer ?? (task == .regression ? .word : .char),
                                    hiddenSize: hidden, layers: layers,
                                    embeddingSize: embedding, epochs: epochs, sequenceLength: seqLength,
                                    optimizer: optimizer, learningRate: lr, clipNorm: clip > 0 ? clip : nil, seed: seed,
                                    sequences: sequencePerLine ? .perLine : .whole, lossOn: lossOn,
                                    forgetBias: forgetBias, batchSize: batchSize)
        var trainer = try cli { try Trainer(corpus: corpus, config: config) }
        let cost = trainer.cost
        if cost.seconds > TrainingCost.commandLimit {
            throw CLIError("this training would take \(TrainingCost.describe(seconds: cost.seconds)) on this machine class "
                + "(\(epochs) epoch(s) × \(cost.tokensPerEpoch) tokens, H=\(hidden), \(cost.parameterCount) parameters): "
                + "expected under a day; lower --epochs or --hidden")
        }
        let report = ProgressReporter(interactive: isatty(2) == 1)
        let started = Date()
        var tokens = 0
        for epoch in 1...max(1, epochs) where epochs > 0 {
            let loss = trainer.trainEpoch { progress in
                report.update(progress, tokensPerSecond: Double(tokens + progress.tokensSeen) / max(1e-9, Date().timeIntervalSince(started)))
            }
            tokens += trainer.stepsPerEpoch
            report.finishEpoch(epoch: epoch, epochs: epochs, loss: loss,
                               tokensPerSecond: Double(tokens) / max(1e-9, Date().timeIntervalSince(started)))
            guard loss.isFinite else {
                throw CLIError("training diverged at epoch \(epoch): the loss is \(loss) (try a lower --lr or --clip); no model was written")
            }
        }
        // The same checks as loading (every weight finite): never write a model rnnscope would refuse.
        let file = trainer.model.safetensors()
        do { _ = try RNNModel(safetensors: file, path: output) } catch {
            throw CLIError("training diverged: \(error.description) (try a lower --lr or --clip); no model was written")
        }
        try writeOutput(try cli { try file.encoded() }, to: destination)
        printError("saved \(output): \(cell.rawValue), \(layers > 1 ? "\(layers) layers, " : "")H=\(hidden), vocabulary \(trainer.model.vocabulary.count), \(trainer.model.parameters.parameterCount) parameters, final loss \(String(format: "%.4g", trainer.epochLosses.last ?? .nan))")
    }
}

extension CellKind: ExpressibleByArgument {}
extension LossPlacement: ExpressibleByArgument {}
extension TokenizerKind: ExpressibleByArgument {}
extension ModelTask: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}

/// Training progress on standard error: a redrawn bar on a terminal, one plain line per epoch otherwise.
struct ProgressReporter {
    let interactive: Bool

    func update(_ p: TrainingProgress, tokensPerSecond: Double) {
        guard interactive else { return }
        let width = 24
        let done = p.updatesPerEpoch > 0 ? p.update * width / p.updatesPerEpoch : width
        let bar = String(repeating: "█", count: done) + String(repeating: "·", count: width - done)
        // Our own redraw sequences (CR, erase line) and numbers only: written as they are.
        Console.err("\repoch \(p.epoch)/\(p.epochs) \(bar) loss \(String(format: "%.4g", p.loss)) · \(Int(tokensPerSecond)) tokens/s\u{1B}[K", progress: true)
    }

    func finishEpoch(epoch: Int, epochs: Int, loss: Double, tokensPerSecond: Double) {
        let line = "epoch \(epoch)/\(epochs) loss \(String(format: "%.4g", loss)) · \(Int(tokensPerSecond)) tokens/s"
        Console.err((interactive ? "\r\(line)\u{1B}[K" : line) + "\n", progress: true)
    }
}
