import Foundation
import RNNEngine
import RNNTrace

/// A long recorded run, as `rnnscope trace` and `view` make it: a character-level model (one-hot over
/// 19 symbols) reads `steps` tokens; recording (forward + BPTT into a `Recording`), then the JSON and
/// the CSV export (streamed to a byte counter), each timed, with the peak resident memory after each.
struct LongBenchmark {
    let cell: CellKind
    let hiddenSize: Int
    let steps: Int

    struct Phase {
        var name: String
        var seconds: Double
        /// Peak resident set size of the process so far.
        var peakBytes: Int
        /// Bytes written (exports only).
        var outputBytes: Int?
    }

    /// Peak resident memory before the run (the program and the model), and the phases.
    func run() throws -> (baselineBytes: Int, phases: [Phase]) {
        let baseline = Self.peakResidentBytes()
        let symbols = Array("abcdefghijklmnopqr ").map(String.init)
        let params = ModelParameters.initialized(cell: cell, vocabularySize: symbols.count, embeddingSize: nil,
                                                 hiddenSize: hiddenSize, seed: 1)
        let model = RNNModel(parameters: params, tokenizer: .char, vocabulary: Vocabulary(symbols))
        var rng = SeededGenerator(seed: 2)
        let text = (0..<steps).map { _ in symbols[Int(rng.next() % UInt64(symbols.count))] }.joined()
        var phases: [Phase] = []
        var start = DispatchTime.now().uptimeNanoseconds
        func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let recording = try cli { try Recording.record(model: model, text: text, modelName: "bench") }
        phases.append(Phase(name: "record", seconds: seconds(), peakBytes: Self.peakResidentBytes()))
        for format in TraceFormat.allCases {
            var written = 0
            start = DispatchTime.now().uptimeNanoseconds
            var out = TraceOutput { written += $0.count; return nil }
            recording.write(as: format, to: &out)
            phases.append(Phase(name: "export_\(format.rawValue)", seconds: seconds(), peakBytes: Self.peakResidentBytes(),
                                outputBytes: written))
        }
        return (baseline, phases)
    }

    /// The process's peak resident set size (getrusage: kilobytes on Linux, bytes on macOS).
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        #if canImport(Darwin)
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss)
        #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024
        #endif
    }
}
