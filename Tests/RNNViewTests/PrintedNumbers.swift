import Foundation
@testable import RNNView

/// Numbers read back from a drawn frame, as a reader would: found by the text next to them, with the
/// precision they were printed with.
struct PrintedNumbers {
    let lines: [[Character]]

    init(_ buffer: Buffer) { lines = buffer.lines.map(Array.init) }

    /// Where `text` first occurs (column, row), or nil.
    func find(_ text: String, after: (x: Int, y: Int)? = nil) -> (x: Int, y: Int)? {
        let needle = Array(text)
        for (y, row) in lines.enumerated() where row.count >= needle.count {
            for x in 0...(row.count - needle.count) where Array(row[x..<(x + needle.count)]) == needle {
                if let after, (y, x) <= (after.y, after.x) { continue }
                return (x, y)
            }
        }
        return nil
    }

    /// The number that starts at (x, y), and half a unit of its last printed digit.
    func number(x: Int, y: Int) -> Printed? {
        guard lines.indices.contains(y), x >= 0, x < lines[y].count else { return nil }
        let word = String(lines[y][x...].prefix { !$0.isWhitespace })
        return Printed(word)
    }
}

/// A printed number and its precision: "+0.512" is 0.512 ± 0.0005, "-1.23e-04" is -1.23e-04 ± 0.005e-04.
struct Printed {
    let value: Double
    let halfUnit: Double

    init?(_ text: String) {
        guard let v = Double(text) else { return nil }
        value = v
        let mantissa = text.split(separator: "e").first.map(String.init) ?? text
        let decimals = mantissa.split(separator: ".").dropFirst().first?.count ?? 0
        let exponent = text.contains("e") ? Double(text.split(separator: "e")[1]) ?? 0 : 0
        halfUnit = 0.5 * pow(10, -Double(decimals)) * pow(10, exponent)
    }
}

/// Whether `result` as printed can be what `f` gives from the printed `terms`: the range of `f` over every
/// corner of the terms' rounding intervals meets the result's own interval (with float slack).
func reproduces(_ result: Printed, from terms: [Printed], _ f: ([Double]) -> Double) -> Bool {
    var low = Double.infinity, high = -Double.infinity
    for corner in 0..<(1 << terms.count) {
        let args = terms.enumerated().map { i, p in p.value + ((corner >> i) & 1 == 1 ? p.halfUnit : -p.halfUnit) }
        let v = f(args)
        low = min(low, v)
        high = max(high, v)
    }
    let slack = 1e-9 + 1e-6 * abs(result.value)
    return result.value + result.halfUnit + slack >= low && result.value - result.halfUnit - slack <= high
}
