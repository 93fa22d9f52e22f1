import Foundation

/// How the cell diagram prints a number on a wire: forward values with three decimals ("+0.512"),
/// gradients with three significant digits in scientific notation ("-1.23e-04"), since they span many
/// decades. The text is what a reader recomputes from, so it carries its own precision.
enum WireNumber {
    static func text(_ v: Double, gradient: Bool) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "+inf" : "-inf") }
        if gradient { return String(format: "%+.2e", v) }
        return abs(v) >= 1000 ? String(format: "%+.2e", v) : String(format: "%+.3f", v)
    }
}
