import RNNEngine
import RNNTrace

/// The live numbers a lesson's placeholders and answers are computed from: one run per cell.
public struct LessonRun: Sendable {
    /// What running one cell of the lesson produced.
    public struct CellRun: Sendable {
        /// Forward and backward values over the lesson's input.
        public var trace: Trace
        /// Mean training loss per epoch (empty for a bundled model).
        public var epochLosses: [Double]
        /// Learnable numbers in the model; nil = count the parameter gradients of the trace.
        public var parameterCount: Int?

        public init(trace: Trace, epochLosses: [Double] = [], parameterCount: Int? = nil) {
            self.trace = trace
            self.epochLosses = epochLosses
            self.parameterCount = parameterCount
        }
    }

    /// Runs in the lesson's cell order; the first is the one the steps walk through.
    public var cells: [CellKind: CellRun]
    public var primary: CellKind

    public init(primary: CellKind, cells: [CellKind: CellRun]) {
        self.primary = primary
        self.cells = cells
    }

    /// A run of a single cell.
    public init(trace: Trace, epochLosses: [Double] = [], parameterCount: Int? = nil) {
        let cell = CellKind(rawValue: trace.cell) ?? .rnnTanh
        self.primary = cell
        self.cells = [cell: CellRun(trace: trace, epochLosses: epochLosses, parameterCount: parameterCount)]
    }

    /// Number of steps of the primary run.
    public var stepCount: Int { cells[primary]?.trace.steps.count ?? 0 }
}
