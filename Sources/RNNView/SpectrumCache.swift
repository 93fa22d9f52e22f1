import Foundation
import RNNEngine

/// σ_max and ρ of a matrix, computed once per matrix and kept: ρ takes O(H³) per squaring.
final class SpectrumCache: @unchecked Sendable {
    struct Spectrum { let largestSingularValue: Double; let spectralRadius: Double? }
    static let shared = SpectrumCache()
    private let lock = NSLock()
    private var entries: [[Float]: Spectrum] = [:]

    func spectrum(of m: Matrix) -> Spectrum {
        let key = m.values + [Float(m.rows)]
        if let hit = lock.withLock({ entries[key] }) { return hit }
        let value = Spectrum(largestSingularValue: m.largestSingularValue, spectralRadius: m.spectralRadius)
        lock.withLock {
            if entries.count >= 32 { entries.removeAll() }
            entries[key] = value
        }
        return value
    }
}
