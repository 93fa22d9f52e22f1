import RNNEngine

/// A recorded run of a model over one sequence, typed and flat: what the viewer shows and the lessons
/// read. The cell and task are the engine's enums, gates are `Gate`s, and every quantity is one `Float`
/// buffer indexed by step, layer and unit (row t of a `T × n` buffer is step t), so a 10,000-step run costs
/// what its numbers cost. The trace file (`TraceJSONWriter`, `TraceCSVWriter`, `TraceJSONReader`) is
/// only its export/import format.
public struct Recording: Sendable {
    public var cell: CellKind
    public var task: ModelTask
    /// Where the model came from (file name or lesson), for headers.
    public var modelName: String?
    /// E: numbers in layer 0's x_t.
    public var inputSize: Int
    public var hiddenSize: Int
    /// V for classification, 1 (the prediction) for regression.
    public var outputSize: Int
    /// Empty for regression.
    public var vocab: [String]
    public var tokens: [String]
    /// Empty for regression.
    public var tokenIds: [Int]
    /// Mean loss over the steps that have a target (cross-entropy, or squared error for regression).
    public var loss: Double?
    /// x_t as layer 0 read it (one-hot, embedding row or number), T × E.
    public var inputs: [Float]
    /// Every recurrent layer's values, bottom first; the last one is the layer the head reads.
    public var layers: [RecordedLayer]
    /// Head outputs, T × V (regression: the prediction).
    public var logits: [Float]
    /// softmax(logits), T × V; empty for regression.
    public var probabilities: [Float]
    /// Each step's next-token id (classification); nil at the last step and where the loss skips a step.
    public var targets: [Int?]
    /// Regression only: each step's number to predict.
    public var targetValues: [Double?]
    /// Each step's own loss; nil without a target.
    public var stepLosses: [Double?]
    /// Gradients of the mean loss for every parameter (empty when the trace had none).
    public var parameterGradients: [ParameterGradient]
    /// The layer `step(_:)` shows (see `layerView`); the top layer unless chosen.
    public private(set) var shownLayer: Int
    /// The weights that produced the run, for views that show where a number comes from; nil for a run
    /// read from a trace file, which carries no weights.
    public var model: RNNModel?

    public init(cell: CellKind, task: ModelTask, modelName: String?, inputSize: Int, hiddenSize: Int, outputSize: Int,
                vocab: [String], tokens: [String], tokenIds: [Int], loss: Double?, inputs: [Float],
                layers: [RecordedLayer], logits: [Float], probabilities: [Float], targets: [Int?],
                targetValues: [Double?], stepLosses: [Double?], parameterGradients: [ParameterGradient]) {
        self.cell = cell
        self.task = task
        self.modelName = modelName
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.outputSize = outputSize
        self.vocab = vocab
        self.tokens = tokens
        self.tokenIds = tokenIds
        self.loss = loss
        self.inputs = inputs
        self.layers = layers
        self.logits = logits
        self.probabilities = probabilities
        self.targets = targets
        self.targetValues = targetValues
        self.stepLosses = stepLosses
        self.parameterGradients = parameterGradients
        self.shownLayer = layers.count - 1
    }

    public var stepCount: Int { tokens.count }
    public var layerCount: Int { layers.count }
    public var isRegression: Bool { task == .regression }
    public var hasCellState: Bool { cell.hasCellState }
    /// The cell's name for screens and narration ("tanh RNN", "LSTM", …).
    public var cellDisplayName: String { cell.displayName }
    /// True when backpropagation was recorded (a trace file may carry no gradients).
    public var hasGradients: Bool { !layers[shownLayer].dHidden.isEmpty }

    /// The same recording with `step(_:)` showing layer `k` (bottom = 0): h_prev, h, c, gates and
    /// gradients are layer k's, and x is what layer k reads (layer k−1's h for k ≥ 1). The buffers are
    /// shared, not copied. Out of range keeps the shown layer.
    public func layerView(_ k: Int) -> Recording {
        guard layers.indices.contains(k) else { return self }
        var view = self
        view.shownLayer = k
        return view
    }

    /// Numbers in the x the shown layer reads: E for the bottom layer, H above it.
    public var shownInputSize: Int { shownLayer == 0 ? inputSize : hiddenSize }

    /// The values at step t of the shown layer, widened for drawing; nothing is stored per step.
    public func step(_ t: Int) -> RecordedStep { RecordedStep(recording: self, t: t, layer: shownLayer) }

    /// The first `n` steps of the recording, as if the input had ended there (the parameter gradients
    /// stay those of the whole run).
    public func prefix(steps n: Int) -> Recording {
        var r = self
        r.tokens = Array(tokens.prefix(n))
        r.tokenIds = Array(tokenIds.prefix(n))
        r.inputs = Array(inputs.prefix(n * inputSize))
        r.logits = Array(logits.prefix(n * outputSize))
        r.probabilities = Array(probabilities.prefix(n * outputSize))
        r.targets = Array(targets.prefix(n))
        r.targetValues = Array(targetValues.prefix(n))
        r.stepLosses = Array(stepLosses.prefix(n))
        for k in r.layers.indices {
            let h = hiddenSize, g = layers[k].blockCount
            r.layers[k].hidden = Array(layers[k].hidden.prefix((n + 1) * h))
            r.layers[k].cellState = Array(layers[k].cellState.prefix((n + 1) * h))
            r.layers[k].gates = Array(layers[k].gates.prefix(n * g * h))
            r.layers[k].preactivations = Array(layers[k].preactivations.prefix(n * g * h))
            r.layers[k].dHidden = Array(layers[k].dHidden.prefix(n * h))
            r.layers[k].dCell = Array(layers[k].dCell.prefix(n * h))
            r.layers[k].dPreactivations = Array(layers[k].dPreactivations.prefix(n * g * h))
            r.layers[k].hiddenGradientNorms = Array(layers[k].hiddenGradientNorms.prefix(n))
        }
        return r
    }

    public func logits(at t: Int) -> ArraySlice<Float> { logits[(t * outputSize)..<((t + 1) * outputSize)] }
    public func probabilities(at t: Int) -> ArraySlice<Float> {
        probabilities.isEmpty ? [] : probabilities[(t * outputSize)..<((t + 1) * outputSize)]
    }
    public func x(at t: Int) -> ArraySlice<Float> { inputs[(t * inputSize)..<((t + 1) * inputSize)] }
    /// Regression: the model's prediction at step t.
    public func prediction(at t: Int) -> Double? { isRegression ? logits(at: t).first.map(Double.init) : nil }
}

/// One recurrent layer's recorded values, in flat buffers (T steps, H units, G gate blocks).
public struct RecordedLayer: Sendable {
    public let hiddenSize: Int
    /// G: gate blocks in `gates`, `preactivations` and `dPreactivations` (1 for a plain RNN).
    public let blockCount: Int
    /// h_0 … h_T, (T+1) × H: row 0 is the initial state, row t+1 the state after step t.
    public var hidden: [Float]
    /// c_0 … c_T, (T+1) × H, for the LSTM; empty otherwise.
    public var cellState: [Float]
    /// Post-activation gates, T × G·H, blocks in `CellKind.gates` order (a plain RNN's is unused).
    public var gates: [Float]
    /// Gate pre-activations, T × G·H (plain RNN: the argument of tanh / relu); empty when not recorded.
    public var preactivations: [Float]
    /// Total dL/dh_t, T × H; empty when not recorded.
    public var dHidden: [Float]
    /// Total dL/dc_t for the LSTM, T × H; empty otherwise.
    public var dCell: [Float]
    /// dL/d(pre-activation), T × G·H; empty when not recorded.
    public var dPreactivations: [Float]
    /// ‖dL/dh_t‖₂ per step; empty when not recorded.
    public var hiddenGradientNorms: [Float]

    public init(hiddenSize: Int, blockCount: Int, hidden: [Float], cellState: [Float], gates: [Float],
                preactivations: [Float], dHidden: [Float], dCell: [Float], dPreactivations: [Float],
                hiddenGradientNorms: [Float]) {
        self.hiddenSize = hiddenSize
        self.blockCount = blockCount
        self.hidden = hidden
        self.cellState = cellState
        self.gates = gates
        self.preactivations = preactivations
        self.dHidden = dHidden
        self.dCell = dCell
        self.dPreactivations = dPreactivations
        self.hiddenGradientNorms = hiddenGradientNorms
    }

    /// Row `row` (H numbers) of a buffer of H-wide rows, or nil when the buffer is empty.
    func row(_ buffer: [Float], _ row: Int) -> ArraySlice<Float>? {
        buffer.isEmpty ? nil : buffer[(row * hiddenSize)..<((row + 1) * hiddenSize)]
    }

    public func hPrev(_ t: Int) -> ArraySlice<Float> { row(hidden, t)! }
    public func h(_ t: Int) -> ArraySlice<Float> { row(hidden, t + 1)! }
    public func cPrev(_ t: Int) -> ArraySlice<Float>? { row(cellState, t) }
    public func c(_ t: Int) -> ArraySlice<Float>? { row(cellState, t + 1) }
    public func dh(_ t: Int) -> ArraySlice<Float>? { row(dHidden, t) }
    public func dc(_ t: Int) -> ArraySlice<Float>? { row(dCell, t) }
    /// ‖dL/dh_t‖₂ as recorded, or computed from dL/dh_t when the norms were not (NaN without gradients).
    public func hiddenGradientNorm(at t: Int) -> Float {
        if !hiddenGradientNorms.isEmpty { return hiddenGradientNorms[t] }
        guard let dh = dh(t) else { return .nan }
        return dh.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// Block `index` at step t of a T × G·H buffer.
    public func block(_ buffer: [Float], _ index: Int, at t: Int) -> ArraySlice<Float>? { row(buffer, t * blockCount + index) }
}

/// The gradient of one parameter tensor, under the trace's name and the model file's.
public struct ParameterGradient: Sendable, Equatable {
    /// The trace's name: `weight_ih` … (layer 0), `weight_ih_l{k}` … (k ≥ 1), `fc.weight`, `fc.bias`,
    /// `embedding.weight`.
    public var name: String
    /// The state_dict name in the model file (`rnn.weight_ih_l0`), also written when it differs from `name`.
    public var fileName: String?
    /// Rows and columns of a matrix (state_dict layout, row-major values); `columns` is nil for a vector.
    public var rows: Int
    public var columns: Int?
    public var values: [Float]

    public init(name: String, fileName: String?, rows: Int, columns: Int?, values: [Float]) {
        self.name = name
        self.fileName = fileName
        self.rows = rows
        self.columns = columns
        self.values = values
    }
}

/// The values of one step of one layer, widened to Double for drawing and narration. Built on demand from
/// the recording's buffers (which it shares); reading a field copies only that field's numbers.
public struct RecordedStep {
    let recording: Recording
    public let t: Int
    let layer: Int

    init(recording: Recording, t: Int, layer: Int) {
        self.recording = recording
        self.t = t
        self.layer = layer
    }

    private var values: RecordedLayer { recording.layers[layer] }
    private func widened(_ slice: ArraySlice<Float>?) -> [Double]? { slice.map { $0.map(Double.init) } }

    public var token: String { recording.tokens[t] }
    public var target: Int? { recording.targets.indices.contains(t) ? recording.targets[t] : nil }
    public var targetValue: Double? { recording.targetValues.indices.contains(t) ? recording.targetValues[t] : nil }
    public var loss: Double? { recording.stepLosses[t] }
    public var prediction: Double? { recording.prediction(at: t) }
    /// What this layer reads: x_t for the bottom layer, the layer below's h_t above it.
    public var x: [Double] { layer == 0 ? widened(recording.x(at: t))! : widened(recording.layers[layer - 1].h(t))! }
    public var hPrev: [Double] { widened(values.hPrev(t))! }
    public var h: [Double] { widened(values.h(t))! }
    public var cPrev: [Double]? { widened(values.cPrev(t)) }
    public var c: [Double]? { widened(values.c(t)) }
    /// Post-activation value of `gate`; nil when this cell has no such gate.
    public func gate(_ gate: Gate) -> [Double]? {
        recording.cell.blockIndex(of: gate).flatMap { widened(values.block(values.gates, $0, at: t)) }
    }
    /// Pre-activation of `gate` (nil: a plain RNN's is `preactivation`); nil when not recorded.
    public func preactivation(_ gate: Gate) -> [Double]? {
        recording.cell.blockIndex(of: gate).flatMap { widened(values.block(values.preactivations, $0, at: t)) }
    }
    /// A plain RNN's pre-activation a_t (h_t = tanh(a_t) or relu(a_t)); nil for a gated cell or when not recorded.
    public var preactivation: [Double]? {
        recording.cell.isPlainRNN ? widened(values.block(values.preactivations, 0, at: t)) : nil
    }
    public var logits: [Double] { widened(recording.logits(at: t))! }
    public var probs: [Double] { widened(recording.probabilities(at: t))! }
    /// This step's gradients; nil when the recording has none.
    public var grad: StepGradient? {
        guard let dh = values.dh(t) else { return nil }
        return StepGradient(values: values, cell: recording.cell, t: t, dh: dh)
    }
}

/// Gradients of the mean loss at one step of one layer, widened for drawing.
public struct StepGradient {
    let values: RecordedLayer
    let cell: CellKind
    let t: Int
    let dh: ArraySlice<Float>

    /// Total dL/dh_t (through the output or the layer above at t, and through step t+1).
    public var h: [Double] { dh.map(Double.init) }
    /// Total dL/dc_t (LSTM only).
    public var c: [Double]? { values.dc(t).map { $0.map(Double.init) } }
    /// ‖dL/dh_t‖₂.
    public var hNorm: Double { Double(values.hiddenGradientNorm(at: t)) }
    /// dL/d(pre-activation of `gate`); nil when not recorded.
    public func gate(_ gate: Gate) -> [Double]? {
        cell.blockIndex(of: gate).flatMap { values.block(values.dPreactivations, $0, at: t).map { $0.map(Double.init) } }
    }
}
