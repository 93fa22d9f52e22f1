import Foundation
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
    /// Steps holding a NaN or ±Inf anywhere.
    public let nonFiniteSteps: [Int]
    /// Steps with a loss: the N the mean loss divides by.
    public let lossStepCount: Int
    /// The last step with a loss.
    public let lastLossStep: Int?

    public init(_ trace: Trace) {
        var hMax = 0.0, cMax = 0.0
        var norms: [Double] = []
        norms.reserveCapacity(trace.steps.count)
        var lo = Double.infinity, hi = 0.0
        var bad: [Int] = []
        var losses = 0, lastLoss: Int?
        func maxAbs(_ values: [Double]?, into m: inout Double) {
            guard let values else { return }
            for v in values where v.isFinite { m = Swift.max(m, Swift.abs(v)) }
        }
        for step in trace.steps {
            maxAbs(step.grad?.h, into: &hMax)
            maxAbs(step.grad?.c, into: &cMax)
            let norm = step.grad?.hNorm ?? .nan
            norms.append(norm)
            if norm > 0 && norm.isFinite {
                lo = Swift.min(lo, norm)
                hi = Swift.max(hi, norm)
            }
            if !nonFiniteFields(step).isEmpty { bad.append(step.t) }
            if step.loss != nil {
                losses += 1
                lastLoss = step.t
            }
        }
        gradHScale = hMax > 0 ? hMax : 1
        gradCScale = cMax > 0 ? cMax : 1
        hNorms = norms
        positiveNormRange = hi > 0 ? lo...hi : nil
        nonFiniteSteps = bad
        lossStepCount = losses
        lastLossStep = lastLoss
    }
}

/// Names of the quantities of `step` that hold a NaN or ±Inf.
func nonFiniteFields(_ s: TraceStep) -> [String] {
    func bad(_ v: [Double]?) -> Bool { v?.contains { !$0.isFinite } ?? false }
    var n: [String] = []
    if bad(s.x) { n.append("x") }
    if bad(s.h) { n.append("h") }
    if bad(s.c) { n.append("c") }
    for g in s.gates.keys.sorted() where bad(s.gates[g]) { n.append(g) }
    if bad(s.logits) { n.append("logits") }
    if bad(s.probs) { n.append("probs") }
    if bad(s.grad?.h) || bad(s.grad?.c) { n.append("gradients") }
    if let l = s.loss, !l.isFinite { n.append("loss") }
    return n
}
