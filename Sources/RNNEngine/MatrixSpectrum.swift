import Foundation

extension Matrix {
    /// ρ, the spectral radius: the largest |λ| over the eigenvalues of a square matrix, the factor by which
    /// repeated multiplication grows or shrinks a vector in the long run (‖Mᵏ‖ ≈ ρᵏ). Gelfand's formula
    /// ρ = lim ‖Mᵏ‖^{1/k}, with k = 2^m reached by squaring and rescaling in Double: it needs no complex
    /// arithmetic (a rotation's eigenvalues are complex) and holds for non-normal matrices, where ρ < σ_max.
    /// nil for a matrix that is not square.
    public var spectralRadius: Double? {
        guard rows == cols else { return nil }
        let n = rows
        guard n > 0 else { return 0 }
        guard values.allSatisfy(\.isFinite) else { return .nan }
        var power = values.map(Double.init)
        var logNorm = Self.frobenius(power).map(Foundation.log) ?? -.infinity   // log ‖M^(2^m)‖
        guard logNorm.isFinite else { return logNorm == -.infinity ? 0 : .infinity }
        var estimate = Foundation.exp(logNorm)
        var exponent = 1.0                                                       // k = 2^m
        for _ in 0..<60 {
            // The power is kept at norm 1 (its scale lives in logNorm), so nothing under- or overflows.
            let norm = Self.frobenius(power)!
            for i in power.indices { power[i] /= norm }
            power = Self.square(power, n)
            guard let grown = Self.frobenius(power), grown > 0 else { return 0 }   // nilpotent: ρ = 0
            logNorm = 2 * logNorm + Foundation.log(grown)
            exponent *= 2
            let next = Foundation.exp(logNorm / exponent)
            let settled = abs(next - estimate) <= 1e-10 * max(1, next)
            estimate = next
            if settled { break }
        }
        return estimate
    }

    private static func frobenius(_ m: [Double]) -> Double? {
        let s = m.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return s.isFinite ? s : nil
    }

    private static func square(_ m: [Double], _ n: Int) -> [Double] {
        var out = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for k in 0..<n {
                let a = m[i * n + k]
                if a == 0 { continue }
                for j in 0..<n { out[i * n + j] += a * m[k * n + j] }
            }
        }
        return out
    }
}
