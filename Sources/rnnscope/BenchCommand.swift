import ArgumentParser
import Foundation
import RNNEngine

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine: µs per timestep for forward + BPTT with full recording, and training tokens/s.",
        discussion: "Build with -c release for meaningful numbers: swift run -c release rnnscope bench"
    )

    @Flag(name: .long, help: "One JSON object per line instead of a table.")
    var json = false

    @Option(name: .long, help: "Only this cell (rnn_tanh, rnn_relu, lstm, gru).")
    var cell: CellKind?

    @Option(name: .long, help: "Only this sequence length T (default: 100 and 1000).")
    var steps: Int?

    @Flag(name: .long, help: "Only the training benchmark (char-level tanh RNN, H=100, sequence length 25, Adagrad).")
    var train = false

    @Flag(name: .long, help: "Only the viewer benchmarks: a 200x60 frame, and key presses on a 10,000-step H=256 trace.")
    var view = false

    @Flag(name: .long, help: "Only the long-run benchmark: record a 10,000-step (--steps) char-level LSTM (--cell) with H=256 (--hidden) and export it as JSON and CSV; time and peak memory per step.")
    var long = false

    @Option(name: .long, help: "With --long: the hidden size (default 256).")
    var hidden: Int?

    func validate() throws {
        if let steps, steps < 2 || steps > 100_000 { throw ValidationError("--steps must be between 2 and 100000") }
        if let hidden, !(1...4096).contains(hidden) { throw ValidationError("--hidden must be between 1 and 4096") }
        if hidden != nil && !long { throw ValidationError("--hidden goes with --long") }
    }

    func run() throws {
        if long {
            let bench = LongBenchmark(cell: cell ?? .lstm, hiddenSize: hidden ?? 256, steps: steps ?? 10_000)
            let (baseline, phases) = try bench.run()
            for phase in phases {
                let perStep = phase.seconds / Double(bench.steps) * 1e6
                let perStepBytes = Double(phase.peakBytes - baseline) / Double(bench.steps)
                var text = "long \(bench.cell.rawValue) H=\(bench.hiddenSize) T=\(bench.steps) \(phase.name)\t"
                    + String(format: "%.2f s (%.1f µs/step), peak memory %.0f MB (%.1f KB/step over the %.0f MB at start)",
                             phase.seconds, perStep, Double(phase.peakBytes) / 1e6, perStepBytes / 1e3, Double(baseline) / 1e6)
                if let bytes = phase.outputBytes { text += String(format: ", %.0f MB written", Double(bytes) / 1e6) }
                report(["bench": "long_\(phase.name)", "cell": bench.cell.rawValue, "hidden_size": bench.hiddenSize,
                        "steps": bench.steps, "seconds": rounded(phase.seconds, 3), "us_per_step": rounded(perStep, 2),
                        "peak_bytes": phase.peakBytes, "bytes_per_step": Int(perStepBytes.rounded()),
                        "output_bytes": phase.outputBytes ?? 0], text: text)
            }
            return
        }
        if view {
            let r = try ViewBenchmark().run()
            report(["bench": "view_frame", "width": 200, "height": 60, "ms_per_frame": rounded(r.frameMilliseconds, 3)],
                   text: "view: build one 200x60 frame\t\(String(format: "%.3f", r.frameMilliseconds)) ms")
            report(["bench": "view_key", "steps": r.traceSteps, "hidden_size": r.hiddenSize,
                    "ms_per_key": rounded(r.keyMilliseconds, 3), "record_seconds": rounded(r.recordSeconds, 3)],
                   text: "view: key press (apply + 200x60 frame), T=\(r.traceSteps) H=\(r.hiddenSize)\t\(String(format: "%.3f", r.keyMilliseconds)) ms (recording the trace: \(String(format: "%.2f", r.recordSeconds)) s)")
            if let flush = r.flushMilliseconds, let size = r.terminalSize {
                report(["bench": "view_flush", "width": size.width, "height": size.height, "ms_per_frame": rounded(flush, 3)],
                       text: "view: step + build + flush to this \(size.width)x\(size.height) terminal\t\(String(format: "%.3f", flush)) ms")
            }
            return
        }
        if !train {
            for kind in cell.map({ [$0] }) ?? CellKind.allCases {
                for size in [16, 64, 128, 256] {
                    for t in steps.map({ [$0] }) ?? [100, 1000] {
                        let us = StepBenchmark(cell: kind, inputSize: size, hiddenSize: size, steps: t).microsecondsPerStep()
                        report(["bench": "step", "cell": kind.rawValue, "input_size": size, "hidden_size": size,
                                "steps": t, "us_per_step": rounded(us, 3)],
                               text: "\(kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) E=H=\(size)\tT=\(t)\t\(String(format: "%8.2f", us)) µs/step")
                    }
                }
            }
        }
        if train || (cell == nil && steps == nil) {
            let rate = try TrainingBenchmark().tokensPerSecond()
            report(["bench": "train", "cell": "rnn_tanh", "hidden_size": 100, "seq_length": 25,
                    "tokens_per_second": Int(rate)],
                   text: "train rnn_tanh H=100 seq 25 adagrad\t\(Int(rate)) tokens/s")
        }
    }

    private func report(_ object: KeyValuePairs<String, Any>, text: String) {
        guard json else {
            Console.out(text + "\n")
            return
        }
        // Keys in a fixed order, as documented.
        let fields = object.map { key, value -> String in
            let encoded: String
            switch value {
            case let s as String: encoded = "\"\(s)\""
            case let d as Double: encoded = "\(d)"
            default: encoded = "\(value)"
            }
            return "\"\(key)\":\(encoded)"
        }
        Console.out("{" + fields.joined(separator: ",") + "}\n")
    }

    private func rounded(_ x: Double, _ digits: Int) -> Double {
        let p = pow(10.0, Double(digits))
        return (x * p).rounded() / p
    }
}

/// Forward + BPTT with full recording over T steps of dense random inputs of size E, a head of V = E classes
/// and mean cross-entropy over the T−1 targets: the same work as the PyTorch reference.
struct StepBenchmark {
    let cell: CellKind
    let inputSize: Int
    let hiddenSize: Int
    let steps: Int

    func microsecondsPerStep() -> Double {
        var rng = SeededGenerator(seed: 1)
        let params = ModelParameters.initialized(cell: cell, vocabularySize: inputSize, inputSize: inputSize,
                                                 embeddingSize: nil, hiddenSize: hiddenSize, seed: 2)
        let x = Matrix(rows: steps, cols: inputSize, values: (0..<(steps * inputSize)).map { _ in rng.uniform(-1, 1) })
        let targets = SequenceTargets.tokens((0..<steps).map { $0 + 1 < steps ? Int(rng.next() % UInt64(inputSize)) : nil })
        var best = Double.infinity
        var total = 0.0
        var repetitions = 0
        // At least 3 repetitions and 0.3 s of work; the best repetition is the least disturbed one.
        while repetitions < 3 || total < 0.3 {
            let start = DispatchTime.now().uptimeNanoseconds
            let forward = params.forward(.vectors(x), targets: targets, task: .classification)
            let backward = params.backward(forward)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            precondition(backward.hiddenGradientNorms.count == steps)
            best = min(best, seconds)
            total += seconds
            repetitions += 1
        }
        return best / Double(steps) * 1e6
    }
}

/// Training throughput in the setting of Karpathy's min-char-rnn: character-level tanh RNN, H = 100,
/// sequence length 25, Adagrad with learning rate 0.1, on the bundled public-domain text.
struct TrainingBenchmark {
    func tokensPerSecond() throws -> Double {
        let corpus = String(repeating: Self.text + "\n", count: 8)
        let config = TrainingConfig(cell: .rnnTanh, tokenizer: .char, hiddenSize: 100, epochs: 1_000_000,
                                    sequenceLength: 25, optimizer: .adagrad, learningRate: 0.1, clipNorm: nil, seed: 1)
        var trainer = try cli { try Trainer(corpus: corpus, config: config) }
        trainer.trainEpoch()  // warm-up
        var tokens = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var seconds = 0.0
        while seconds < 1.0 {
            trainer.trainEpoch()
            tokens += trainer.stepsPerEpoch
            seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        return Double(tokens) / seconds
    }

    /// The opening of A Tale of Two Cities (Dickens, 1859; public domain).
    static let text = """
        It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of \
        foolishness, it was the epoch of belief, it was the epoch of incredulity, it was the season of Light, \
        it was the season of Darkness, it was the spring of hope, it was the winter of despair, we had \
        everything before us, we had nothing before us, we were all going direct to Heaven, we were all going \
        direct the other way - in short, the period was so far like the present period, that some of its \
        noisiest authorities insisted on its being received, for good or for evil, in the superlative degree \
        of comparison only.
        """
}
