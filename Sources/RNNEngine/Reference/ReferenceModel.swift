import Foundation

/// The engine's model written out plainly: nested `Double` arrays, one loop per sum, no pointers, SIMD or
/// fused buffers. Its forward pass and backpropagation through time (`ReferenceForward.swift`,
/// `ReferenceBackward.swift`) read like the equations of the cells and are the oracle the tests hold the
/// fast path (`ModelParameters.forward` / `backward`) to. Slow on purpose: O(T·H²) scalar steps, in Double.
///
/// The same shapes as `ModelParameters` (PyTorch's layout, gate blocks stacked by rows in
/// `CellKind.gateNames` order); also used, with the same shapes, for gradients.
public struct ReferenceModel: Equatable, Sendable {
    /// One recurrent layer: W_ih [G·H][E], W_hh [G·H][H], b_ih and b_hh [G·H].
    public struct Layer: Equatable, Sendable {
        public var weightIH: [[Double]]
        public var weightHH: [[Double]]
        public var biasIH: [Double]
        public var biasHH: [Double]
    }

    public var cell: CellKind
    /// Embedding [V][E]; nil for one-hot input or raw numbers.
    public var embedding: [[Double]]?
    /// Stacked layers, bottom first.
    public var layers: [Layer]
    /// Head W_hy [outputs][H] and b_y [outputs].
    public var headWeight: [[Double]]
    public var headBias: [Double]

    /// The same model as `parameters`, every value widened to Double.
    public init(_ parameters: ModelParameters) {
        cell = parameters.cell
        embedding = parameters.embedding.map(Self.rows)
        layers = parameters.layers.map {
            Layer(weightIH: Self.rows($0.weightIH), weightHH: Self.rows($0.weightHH),
                  biasIH: $0.biasIH.map(Double.init), biasHH: $0.biasHH.map(Double.init))
        }
        headWeight = Self.rows(parameters.headWeight)
        headBias = parameters.headBias.map(Double.init)
    }

    public var hiddenSize: Int { layers[0].weightHH[0].count }

    /// A same-shaped model of zeros: gradient accumulators.
    func zeros() -> ReferenceModel {
        func zero(_ m: [[Double]]) -> [[Double]] { m.map { [Double](repeating: 0, count: $0.count) } }
        var z = self
        z.embedding = embedding.map(zero)
        z.layers = layers.map {
            Layer(weightIH: zero($0.weightIH), weightHH: zero($0.weightHH),
                  biasIH: [Double](repeating: 0, count: $0.biasIH.count),
                  biasHH: [Double](repeating: 0, count: $0.biasHH.count))
        }
        z.headWeight = zero(headWeight)
        z.headBias = [Double](repeating: 0, count: headBias.count)
        return z
    }

    /// Visits every tensor, flattened row by row, with its PyTorch state_dict name — the names and order of
    /// `ModelParameters.forEach`.
    public func forEach(_ body: (String, [Double]) -> Void) {
        if let embedding { body("embedding.weight", embedding.flatMap { $0 }) }
        for (l, layer) in layers.enumerated() {
            body("rnn.weight_ih_l\(l)", layer.weightIH.flatMap { $0 })
            body("rnn.weight_hh_l\(l)", layer.weightHH.flatMap { $0 })
            body("rnn.bias_ih_l\(l)", layer.biasIH)
            body("rnn.bias_hh_l\(l)", layer.biasHH)
        }
        body("fc.weight", headWeight.flatMap { $0 })
        body("fc.bias", headBias)
    }

    private static func rows(_ m: Matrix) -> [[Double]] {
        (0..<m.rows).map { r in (0..<m.cols).map { c in Double(m[r, c]) } }
    }
}

// MARK: - The few vector operations the equations use

/// A column of numbers with the element-wise arithmetic the equations write: a + b, a − b, a ⊙ b (`*`).
struct Vector: Equatable {
    var values: [Double]

    init(_ values: [Double]) { self.values = values }
    init(repeating value: Double, count: Int) { values = [Double](repeating: value, count: count) }

    var count: Int { values.count }
    subscript(i: Int) -> Double {
        get { values[i] }
        set { values[i] = newValue }
    }
    func map(_ f: (Double) -> Double) -> Vector { Vector(values.map(f)) }
    /// Gate block `k` of a stacked G·H vector (H = `size`).
    func block(_ k: Int, size n: Int) -> Vector { Vector(Array(values[(k * n)..<((k + 1) * n)])) }

    static func + (a: Vector, b: Vector) -> Vector { Vector(zip(a.values, b.values).map { $0 + $1 }) }
    static func - (a: Vector, b: Vector) -> Vector { Vector(zip(a.values, b.values).map { $0 - $1 }) }
    /// The element-wise (Hadamard) product ⊙.
    static func * (a: Vector, b: Vector) -> Vector { Vector(zip(a.values, b.values).map { $0 * $1 }) }
    static func * (s: Double, a: Vector) -> Vector { a.map { s * $0 } }
    static func - (s: Double, a: Vector) -> Vector { a.map { s - $0 } }
    static func += (a: inout Vector, b: Vector) { a = a + b }
    /// The stacked G·H vector of gate blocks, in order.
    static func stacked(_ blocks: [Vector]) -> Vector { Vector(blocks.flatMap(\.values)) }
}

/// W · x for W [rows][cols] and x [cols].
func matVec(_ w: [[Double]], _ x: Vector) -> Vector {
    Vector(w.map { row in
        var sum = 0.0
        for j in row.indices { sum += row[j] * x[j] }
        return sum
    })
}

/// Wᵀ · y for W [rows][cols] and y [rows]: how a gradient at W's outputs reaches its inputs.
func transposedMatVec(_ w: [[Double]], _ y: Vector) -> Vector {
    var out = Vector(repeating: 0, count: w.first?.count ?? 0)
    for i in w.indices {
        for j in w[i].indices { out[j] += w[i][j] * y[i] }
    }
    return out
}

/// dW += y ⊗ x: the gradient of W · x, for every (row, column).
func addOuterProduct(_ dw: inout [[Double]], _ y: Vector, _ x: Vector) {
    for i in 0..<y.count {
        for j in 0..<x.count { dw[i][j] += y[i] * x[j] }
    }
}

func add(_ y: Vector, to b: inout [Double]) {
    for i in b.indices { b[i] += y[i] }
}

func sigmoid(_ a: Vector) -> Vector { a.map { 1 / (1 + exp(-$0)) } }
func tanh(_ a: Vector) -> Vector { a.map { Foundation.tanh($0) } }
/// relu, keeping NaN as NaN (as PyTorch does).
func relu(_ a: Vector) -> Vector { a.map { $0 < 0 ? 0 : $0 } }
