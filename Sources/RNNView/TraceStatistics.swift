import Foundation
import RNNEngine
import RNNTrace

/// Whole-trace numbers the panels need on every frame (gradient scales, the ‖dL/dh_t‖ range, steps with
/// non-finite values), computed once per trace so that a key press costs what is visible, not the
/// length of the sequence.
public struct TraceStatistics: Sendable {
    /// Largest finite |dL/dh_t| and |dL/dc_t| over all steps (1 when there is none): heat-row scales.
    public let gradHScale: Double
    public let gradCScale: Double
    /// ‖dL/dh_t‖ per step; NaN where a step has no gradient.
    public let hNorms: [Double]
    /// Smallest and largest finite, positive ‖dL/dh_t‖.
    public let positiveNormRange: ClosedRange<Double>?
    /// ‖dL/dc_t‖ per step for a run with a cell state and gradients; empty otherwise.
    public let cNorms: [Double]
    /// Steps holding a NaN or ±Inf anywhere.
    public let nonFiniteSteps: [Int]
    /// Steps with a loss: the N the mean loss divides by.
    public let lossStepCount: Int
    /// The last step with a loss.
    public let lastLossStep: Int?

    public init(_ trace: Recording) {
        let layer = trace.layers[trace.shownLayer]
        let steps = trace.stepCount
        func maxAbs(_ values: [Float]) -> Double {
            var m: Float = 0
            for v in values where v.isFinite { m = Swift.max(m, Swift.abs(v)) }
            return Double(m)
        }
        let hMax = maxAbs(layer.dHidden), cMax = maxAbs(layer.dCell)
        var norms: [Double] = []
        norms.reserveCapacity(steps)
        var lo = Double.infinity, hi = 0.0
        for t in 0..<steps {
            let norm = layer.dHidden.isEmpty ? .nan : Double(layer.hiddenGradientNorm(at: t))
            norms.append(norm)
            if norm > 0 && norm.isFinite {
                lo = Swift.min(lo, norm)
                hi = Swift.max(hi, norm)
            }
        }
        let cellNorms: [Double] = layer.dCell.count < steps * layer.hiddenSize ? [] : (0..<steps).map { t in
            Double(layer.dc(t)!.reduce(0) { $0 + $1 * $1 }.squareRoot())
        }
        // Steps with a NaN or ±Inf: one pass over each buffer, rows mapped back to their steps.
        var bad = Set<Int>()
        /// `buffer` holds `leadingRows` + one row per step (h and c lead with the initial state).
        func scan(_ buffer: [Float], leadingRows: Int = 0) {
            guard steps > 0, !buffer.isEmpty else { return }
            let width = buffer.count / (steps + leadingRows)
            guard width > 0 else { return }
            for (i, v) in buffer.enumerated() where !v.isFinite {
                let step = i / width - leadingRows
                if (0..<steps).contains(step) { bad.insert(step) }
            }
        }
        scan(trace.shownLayer == 0 ? trace.inputs : trace.layers[trace.shownLayer - 1].hidden,
             leadingRows: trace.shownLayer == 0 ? 0 : 1)
        scan(layer.hidden, leadingRows: 1)
        scan(layer.cellState, leadingRows: 1)
        scan(layer.gates)
        scan(trace.logits)
        scan(trace.probabilities)
        scan(layer.dHidden)
        scan(layer.dCell)
        var losses = 0, lastLoss: Int?
        for (t, loss) in trace.stepLosses.enumerated() {
            guard let loss else { continue }
            if !loss.isFinite { bad.insert(t) }
            losses += 1
            lastLoss = t
        }
        gradHScale = hMax > 0 ? hMax : 1
        gradCScale = cMax > 0 ? cMax : 1
        hNorms = norms
        positiveNormRange = hi > 0 ? lo...hi : nil
        cNorms = cellNorms
        nonFiniteSteps = bad.sorted()
        lossStepCount = losses
        lastLossStep = lastLoss
    }
}

/// Names of the quantities of `step` that hold a NaN or ±Inf.
func nonFiniteFields(_ s: RecordedStep, cell: CellKind) -> [String] {
    func bad(_ v: [Double]?) -> Bool { v?.contains { !$0.isFinite } ?? false }
    var n: [String] = []
    if bad(s.x) { n.append("x") }
    if bad(s.h) { n.append("h") }
    if bad(s.c) { n.append("c") }
    for g in cell.gates.sorted(by: { $0.symbol < $1.symbol }) where bad(s.gate(g)) { n.append(g.symbol) }
    let grad = s.grad
    if bad(s.logits) { n.append("logits") }
    if bad(s.probs) { n.append("probs") }
    if bad(grad?.h) || bad(grad?.c) { n.append("gradients") }
    if let l = s.loss, !l.isFinite { n.append("loss") }
    return n
}
