/// How long a training run will take, estimated before it starts from the sizes alone.
///
/// Per epoch the trainer runs forward + BPTT over every token (the recurrent product costs G·H² per step,
/// the input product G·H·E — a gather of one column for one-hot input — and the head V·H), and after each
/// chunk of `sequenceLength` steps handles a full set of parameter gradients (zeroed, clipped, the optimizer
/// step: proportional to the parameter count). The constants are calibrated on this project's machine class
/// (2 cores, x86-64, shared with other builds; a debug build, whose engine is optimised too) with the lessons
/// of the course and recipes up to H = 512, where the estimate is within about 2× of the time measured; it
/// is meant to tell seconds from hours, not to predict to the second.
public struct TrainingCost: Equatable, Sendable {
    /// Nanoseconds per multiply–add of forward + BPTT (3× the forward products), and per parameter per chunk.
    static let nanosecondsPerMultiplyAdd = 1.0
    static let nanosecondsPerParameterPerChunk = 4.0

    /// Most seconds `rnnscope train` starts: a day. More is a typo (`--epochs 9223372036854775807`) or a
    /// model far beyond what this tool is for, and would otherwise run until someone kills it.
    public static let commandLimit: Double = 86_400

    /// Tokens read per epoch, over all sequences.
    public var tokensPerEpoch: Int
    /// Chunks (gradient computations) per epoch.
    public var chunksPerEpoch: Int
    public var parameterCount: Int
    public var epochs: Int
    /// Estimated wall-clock seconds of the whole run.
    public var seconds: Double

    /// - Parameters:
    ///   - sequenceLengths: tokens of each sequence the corpus splits into (one for a whole text).
    ///   - vocabularySize: distinct tokens (classification); ignored for regression (one number in and out).
    public init(config: TrainingConfig, sequenceLengths: [Int], vocabularySize: Int) {
        let g = Double(config.cell.gateCount), h = Double(config.hiddenSize)
        let regression = config.task == .regression
        let v = regression ? 1.0 : Double(max(1, vocabularySize))
        // Input product: an embedding row of E, one-hot input picks one column, a number is one column.
        let inputWork = config.embeddingSize.map(Double.init) ?? 1
        let inputColumns = config.embeddingSize.map(Double.init) ?? (regression ? 1 : v)
        let perToken = 3 * (g * h * (h + inputWork) + v * h) + 10 * (g * h + v)
        var parameters = g * h * (inputColumns + h + 2) + v * (h + 1)
        if let e = config.embeddingSize, !regression { parameters += v * Double(e) }
        let usable = sequenceLengths.filter { $0 >= 2 }
        let tokens = usable.reduce(0.0) { $0 + Double($1) }
        let length = Double(max(1, config.sequenceLength))
        let chunks = usable.reduce(0.0) { $0 + (Double($1 - 1) / length).rounded(.up) }
        let epochs = Double(max(0, config.epochs))
        // Weights read at every step (W_hh, a dense W_ih, the head): past the ~1 MB of L2 cache each
        // multiply–add waits for memory (measured: 1.9× at 0.8 MB, 3.4× at 4.5 MB in a debug build).
        let streamed = 4 * (g * h * (h + (config.embeddingSize == nil ? 0 : inputWork)) + v * h)
        let memoryFactor = min(4, 1 + streamed / 1_000_000)
        let nanoseconds = epochs * (tokens * perToken * memoryFactor * Self.nanosecondsPerMultiplyAdd
            + chunks * parameters * Self.nanosecondsPerParameterPerChunk)
        tokensPerEpoch = Int(min(tokens, Double(Int.max / 2)))
        chunksPerEpoch = Int(min(chunks, Double(Int.max / 2)))
        parameterCount = Int(min(parameters, Double(Int.max / 2)))
        self.epochs = config.epochs
        seconds = nanoseconds / 1e9
    }

    /// "about 46 days", "about 3 min", "about 2.5 s".
    public static func describe(seconds: Double) -> String {
        func about(_ value: Double, _ unit: String) -> String {
            value >= 10 ? "about \(Int(min(value, 1e15).rounded())) \(unit)" : "about \((value * 10).rounded() / 10) \(unit)"
        }
        switch seconds {
        case _ where !seconds.isFinite: return "forever"
        case ..<0.1: return "under 0.1 s"
        case ..<60: return about(seconds, "s")
        case ..<3600: return about(seconds / 60, "min")
        case ..<(2 * 86400): return about(seconds / 3600, "hours")
        case ..<(2 * 365 * 86400): return about(seconds / 86400, "days")
        default: return about(seconds / (365 * 86400), "years")
        }
    }
}
