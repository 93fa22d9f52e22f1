/// What a model reads, one entry per time step.
public enum SequenceInputs: Sendable {
    /// Token ids: one-hot vectors (no embedding) or embedding rows.
    case tokens([Int])
    /// One number per step (regression on a time series; E = 1).
    case numbers([Float])
    /// Dense input vectors, one row per step (T × E); used by benchmarks and tests.
    case vectors(Matrix)

    /// The one rule for a number read as a step of a series (model input, regression corpus, lesson
    /// input): a finite Float ("inf" and "nan" are not numbers a model can read).
    public static func number(_ token: some StringProtocol) -> Float? {
        guard let value = Float(token), value.isFinite else { return nil }
        return value
    }

    public var count: Int {
        switch self {
        case .tokens(let ids): return ids.count
        case .numbers(let values): return values.count
        case .vectors(let m): return m.rows
        }
    }
}

/// What each step should predict; nil where a step has no target (the last step of a trace).
public enum SequenceTargets: Sendable {
    case tokens([Int?])
    case numbers([Float?])

    public var count: Int {
        switch self {
        case .tokens(let t): return t.count
        case .numbers(let t): return t.count
        }
    }

    /// Next-token targets within the sequence itself: step t predicts token t+1, the last step nothing.
    public static func nextTokens(_ ids: [Int]) -> SequenceTargets {
        .tokens(ids.indices.map { $0 + 1 < ids.count ? ids[$0 + 1] : nil })
    }

    /// Next-number targets within the series itself.
    public static func nextNumbers(_ values: [Float]) -> SequenceTargets {
        .numbers(values.indices.map { $0 + 1 < values.count ? values[$0 + 1] : nil })
    }

    /// The same targets with all but the last one removed: a many-to-one task, where only the prediction
    /// at the end of the sequence counts.
    public func keepingOnlyLast() -> SequenceTargets {
        switch self {
        case .tokens(let t):
            let last = t.lastIndex { $0 != nil }
            return .tokens(t.indices.map { $0 == last ? t[$0] : nil })
        case .numbers(let t):
            let last = t.lastIndex { $0 != nil }
            return .numbers(t.indices.map { $0 == last ? t[$0] : nil })
        }
    }

    /// Steps `range` of the targets.
    public func slice(_ range: Range<Int>) -> SequenceTargets {
        switch self {
        case .tokens(let t): return .tokens(Array(t[range]))
        case .numbers(let t): return .numbers(Array(t[range]))
        }
    }

    /// How many steps have a target.
    public var targetCount: Int {
        switch self {
        case .tokens(let t): return t.lazy.filter { $0 != nil }.count
        case .numbers(let t): return t.lazy.filter { $0 != nil }.count
        }
    }
}

/// The recurrent state carried between steps (and between chunks in truncated BPTT).
///
/// With stacked layers the layers' states are concatenated, bottom layer first (L·H numbers).
public struct RecurrentState: Equatable, Sendable {
    public var hidden: [Float]
    /// LSTM cell state; empty for the other cells.
    public var cell: [Float]

    public init(hidden: [Float], cell: [Float]) {
        self.hidden = hidden
        self.cell = cell
    }

    /// h0 = 0 (and c0 = 0 for the LSTM) in every layer, PyTorch's default initial state.
    public static func zero(cell: CellKind, hiddenSize: Int, layers: Int = 1) -> RecurrentState {
        RecurrentState(hidden: [Float](repeating: 0, count: layers * hiddenSize),
                       cell: cell.hasCellState ? [Float](repeating: 0, count: layers * hiddenSize) : [])
    }
}
