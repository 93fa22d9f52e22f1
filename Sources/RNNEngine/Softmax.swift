import Foundation

/// softmax(logits / T), the one the sampler, the lessons and the screens use (the forward pass has its own
/// SIMD kernel in `Loss`, checked against `ReferenceModel`).
public enum Softmax {
    /// softmax(logits / temperature), from e^{(logit − max)/T} so no exponential overflows. T ≤ 0 is
    /// greedy (all probability on the first largest logit), T = +∞ uniform over the finite logits; a NaN or
    /// +∞ logit, or a NaN temperature, makes every probability NaN (shown as such, never hidden); −∞ logits
    /// get probability 0.
    public static func probabilities(logits: [Double], temperature: Double = 1) -> [Double] {
        guard !logits.isEmpty else { return [] }
        let nan = [Double](repeating: .nan, count: logits.count)
        if temperature.isNaN || logits.contains(where: { $0.isNaN || $0 == .infinity }) { return nan }
        guard let top = logits.indices.max(by: { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) }),
              logits[top].isFinite else { return nan }
        if temperature <= 0 { return logits.indices.map { $0 == top ? 1 : 0 } }
        let m = logits[top]
        let e = logits.map { $0 == -.infinity ? 0 : exp(temperature.isInfinite ? 0 : ($0 - m) / temperature) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }
}
