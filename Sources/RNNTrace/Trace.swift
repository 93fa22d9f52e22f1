import RNNEngine
/// A recorded run of a model over one sequence: what the screen shows and what `rnnscope trace` exports.
///
/// Plain values mirroring schema version 1 of the golden trace format (see README "Trace format"),
/// plus extra fields rnnscope adds (pre-activations, gate gradients, gradient norms, regression values).
/// Numbers are `Double` so that exported JSON round-trips exactly.
public struct Trace: Codable, Equatable, Sendable {
    public static let formatName = "rnnscope-trace"
    public static let currentVersion = 1

    public var format: String = Trace.formatName
    public var version: Int = Trace.currentVersion
    /// `rnn_tanh`, `rnn_relu`, `lstm` or `gru`.
    public var cell: String
    /// `classification` (next token) or `regression` (next number). Extra field.
    public var task: String = "classification"
    /// Extra field: where the model came from (file name or lesson), for headers.
    public var modelName: String?
    public var inputSize: Int
    public var hiddenSize: Int
    /// Stacked recurrent layers; nil means 1 (written only when there are 2 or more). Each step then has
    /// `layers`, and the step's own h, gates, grad … are the top layer's.
    public var numLayers: Int?
    public var vocab: [String]
    public var tokens: [String]
    public var tokenIds: [Int]
    /// Mean loss over the steps that have a target (cross-entropy, or MSE for regression).
    public var loss: Double?
    public var steps: [TraceStep]
    /// Parameter gradients by name: `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh` (layer 0),
    /// `weight_ih_l{k}` … for layers k ≥ 1, `fc.weight`, `fc.bias`, `embedding.weight`.
    public var paramGrads: [String: ParameterGradient]

    public init(cell: String, task: String = "classification", modelName: String? = nil, inputSize: Int,
                hiddenSize: Int, numLayers: Int? = nil, vocab: [String], tokens: [String], tokenIds: [Int],
                loss: Double?, steps: [TraceStep], paramGrads: [String: ParameterGradient]) {
        self.cell = cell
        self.task = task
        self.modelName = modelName
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.vocab = vocab
        self.tokens = tokens
        self.tokenIds = tokenIds
        self.loss = loss
        self.steps = steps
        self.paramGrads = paramGrads
    }

    enum CodingKeys: String, CodingKey {
        case format, version, cell, task
        case modelName = "model_name"
        case inputSize = "input_size"
        case hiddenSize = "hidden_size"
        case numLayers = "num_layers"
        case vocab, tokens
        case tokenIds = "token_ids"
        case loss, steps
        case paramGrads = "param_grads"
    }

    // Traces from other tools (the golden PyTorch ones among them) have no `task` or `model_name`:
    // those extra fields default when absent.
    public init(from decoder: Decoder) throws {
        let k = try decoder.container(keyedBy: CodingKeys.self)
        format = try k.decode(String.self, forKey: .format)
        version = try k.decode(Int.self, forKey: .version)
        cell = try k.decode(String.self, forKey: .cell)
        task = try k.decodeIfPresent(String.self, forKey: .task) ?? "classification"
        modelName = try k.decodeIfPresent(String.self, forKey: .modelName)
        inputSize = try k.decode(Int.self, forKey: .inputSize)
        hiddenSize = try k.decode(Int.self, forKey: .hiddenSize)
        numLayers = try k.decodeIfPresent(Int.self, forKey: .numLayers)
        vocab = try k.decode([String].self, forKey: .vocab)
        tokens = try k.decode([String].self, forKey: .tokens)
        tokenIds = try k.decode([Int].self, forKey: .tokenIds)
        loss = try k.decodeIfPresent(Double.self, forKey: .loss)
        steps = try k.decode([TraceStep].self, forKey: .steps)
        paramGrads = try k.decode([String: ParameterGradient].self, forKey: .paramGrads)
    }

    /// The cell kind named by `cell`; nil for a name rnnscope does not know.
    public var cellKind: CellKind? { CellKind(rawValue: cell) }

    /// Gate names in the order the trace stores them.
    public var gateNames: [String] { cellKind?.gateNames ?? [] }

    public var isLSTM: Bool { cellKind == .lstm }

    /// How many recurrent layers the trace has (`num_layers`, absent = 1).
    public var layerCount: Int { numLayers ?? 1 }

    /// The trace as layer `k` sees it, for a viewer that shows one layer at a time: every step's h_prev, h,
    /// c_prev, c, gates, pre-activations and gradients are layer k's, and x is layer k's input (layer k−1's
    /// h for k ≥ 1, with `inputSize` = H). The output fields stay the model's. A single-layer trace is its
    /// own view.
    public func layerView(_ k: Int) -> Trace {
        guard layerCount > 1, (0..<layerCount).contains(k) else { return self }
        var view = self
        if k > 0 { view.inputSize = hiddenSize }
        for i in view.steps.indices {
            guard let layers = steps[i].layers, layers.indices.contains(k) else { continue }
            let l = layers[k]
            view.steps[i].hPrev = l.hPrev
            view.steps[i].h = l.h
            view.steps[i].cPrev = l.cPrev
            view.steps[i].c = l.c
            view.steps[i].gates = l.gates
            view.steps[i].preactivations = l.preactivations
            view.steps[i].grad = l.grad
            if k > 0 { view.steps[i].x = layers[k - 1].h }
        }
        return view
    }

    /// The cell's name for screens and narration ("tanh RNN", "ReLU RNN", "LSTM", "GRU").
    public var cellDisplayName: String { cellKind?.displayName ?? cell }
}

/// One time step: forward values and, after backpropagation through time, the gradients.
public struct TraceStep: Codable, Equatable, Sendable {
    public var t: Int
    public var token: String
    /// Id of the next token (classification); nil at the last step.
    public var target: Int?
    public var x: [Double]
    public var hPrev: [Double]
    public var h: [Double]
    /// LSTM only.
    public var cPrev: [Double]?
    public var c: [Double]?
    /// Post-activation gates by name (`i f g o`, `r z n`); empty for the tanh RNN.
    public var gates: [String: [Double]]
    /// Extra field: gate pre-activations by name (tanh RNN: `h`), before σ / tanh.
    public var preactivations: [String: [Double]]?
    public var logits: [Double]
    public var probs: [Double]
    public var loss: Double?
    /// Extra fields for regression: the number to predict next and the model's prediction.
    public var targetValue: Double?
    public var prediction: Double?
    public var grad: StepGradient?
    /// Stacked layers only: every layer's values at this step, bottom first (the last one equals the step's
    /// own h_prev, h, c_prev, c, gates, grad).
    public var layers: [TraceLayerStep]?

    public init(t: Int, token: String, target: Int?, x: [Double], hPrev: [Double], h: [Double],
                cPrev: [Double]? = nil, c: [Double]? = nil, gates: [String: [Double]],
                preactivations: [String: [Double]]? = nil, logits: [Double], probs: [Double], loss: Double?,
                targetValue: Double? = nil, prediction: Double? = nil, grad: StepGradient? = nil,
                layers: [TraceLayerStep]? = nil) {
        self.t = t
        self.token = token
        self.target = target
        self.x = x
        self.hPrev = hPrev
        self.h = h
        self.cPrev = cPrev
        self.c = c
        self.gates = gates
        self.preactivations = preactivations
        self.logits = logits
        self.probs = probs
        self.loss = loss
        self.targetValue = targetValue
        self.prediction = prediction
        self.grad = grad
        self.layers = layers
    }

    /// Layer `k`'s values at this step (k = the top layer, or a single-layer trace: the step's own fields).
    public func layer(_ k: Int) -> TraceLayerStep {
        if let layers, layers.indices.contains(k) { return layers[k] }
        return TraceLayerStep(hPrev: hPrev, h: h, cPrev: cPrev, c: c, gates: gates,
                              preactivations: preactivations, grad: grad)
    }

    enum CodingKeys: String, CodingKey {
        case t, token, target, x
        case hPrev = "h_prev"
        case h
        case cPrev = "c_prev"
        case c, gates, preactivations, logits, probs, loss
        case targetValue = "target_value"
        case prediction, grad, layers
    }

    // `target` and `loss` are written as null rather than left out (the schema has them at every step).
    public func encode(to encoder: Encoder) throws {
        var k = encoder.container(keyedBy: CodingKeys.self)
        try k.encode(t, forKey: .t)
        try k.encode(token, forKey: .token)
        try k.encode(target, forKey: .target)
        try k.encode(x, forKey: .x)
        try k.encode(hPrev, forKey: .hPrev)
        try k.encode(h, forKey: .h)
        try k.encodeIfPresent(cPrev, forKey: .cPrev)
        try k.encodeIfPresent(c, forKey: .c)
        try k.encode(gates, forKey: .gates)
        try k.encodeIfPresent(preactivations, forKey: .preactivations)
        try k.encode(logits, forKey: .logits)
        try k.encode(probs, forKey: .probs)
        try k.encode(loss, forKey: .loss)
        try k.encodeIfPresent(targetValue, forKey: .targetValue)
        try k.encodeIfPresent(prediction, forKey: .prediction)
        try k.encodeIfPresent(grad, forKey: .grad)
        try k.encodeIfPresent(layers, forKey: .layers)
    }
}

/// One recurrent layer's values at one step of a stacked-layer trace.
public struct TraceLayerStep: Codable, Equatable, Sendable {
    public var hPrev: [Double]
    public var h: [Double]
    /// LSTM only.
    public var cPrev: [Double]?
    public var c: [Double]?
    /// Post-activation gates by name; empty for the plain RNNs.
    public var gates: [String: [Double]]
    /// Extra field: gate pre-activations by name (plain RNN: `h`).
    public var preactivations: [String: [Double]]?
    /// Total dL/dh of this layer (through the layer above at this step and through this layer's next step).
    public var grad: StepGradient?

    public init(hPrev: [Double], h: [Double], cPrev: [Double]? = nil, c: [Double]? = nil,
                gates: [String: [Double]], preactivations: [String: [Double]]? = nil, grad: StepGradient? = nil) {
        self.hPrev = hPrev
        self.h = h
        self.cPrev = cPrev
        self.c = c
        self.gates = gates
        self.preactivations = preactivations
        self.grad = grad
    }

    enum CodingKeys: String, CodingKey {
        case hPrev = "h_prev"
        case h
        case cPrev = "c_prev"
        case c, gates, preactivations, grad
    }
}

/// Gradients of the mean loss at one step.
public struct StepGradient: Codable, Equatable, Sendable {
    /// Total dL/dh_t (through step t's output and through step t+1).
    public var h: [Double]
    /// Total dL/dc_t (LSTM only).
    public var c: [Double]?
    /// Extra field: dL/d(gate pre-activation) by gate name (tanh RNN: `h`).
    public var gates: [String: [Double]]?
    /// Extra field: ‖dL/dh_t‖₂, the number behind the vanishing/exploding-gradient plot.
    public var hNorm: Double

    public init(h: [Double], c: [Double]?, gates: [String: [Double]]?, hNorm: Double) {
        self.h = h
        self.c = c
        self.gates = gates
        self.hNorm = hNorm
    }

    enum CodingKeys: String, CodingKey {
        case h, c, gates
        case hNorm = "h_norm"
    }

    // Golden traces from PyTorch carry no `h_norm`; it is derived from `h`, so recompute it when absent.
    public init(from decoder: Decoder) throws {
        let k = try decoder.container(keyedBy: CodingKeys.self)
        h = try k.decode([Double].self, forKey: .h)
        c = try k.decodeIfPresent([Double].self, forKey: .c)
        gates = try k.decodeIfPresent([String: [Double]].self, forKey: .gates)
        hNorm = try k.decodeIfPresent(Double.self, forKey: .hNorm) ?? h.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
}

/// A parameter gradient: a matrix (list of rows, state_dict layout) or a vector.
public enum ParameterGradient: Codable, Equatable, Sendable {
    case matrix([[Double]])
    case vector([Double])

    public init(from decoder: Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let rows = try? single.decode([[Double]].self) {
            self = .matrix(rows)
        } else {
            self = .vector(try single.decode([Double].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var single = encoder.singleValueContainer()
        switch self {
        case .matrix(let rows): try single.encode(rows)
        case .vector(let v): try single.encode(v)
        }
    }

    /// All numbers, row by row.
    public var flattened: [Double] {
        switch self {
        case .matrix(let rows): return rows.flatMap { $0 }
        case .vector(let v): return v
        }
    }
}
