import Foundation

/// Number formatting for panels: fixed widths so columns line up, and NaN / ±Inf spelled out.
enum Num {
    /// Signed value in exactly `width` columns (default 6: "+0.094", "-12.35", "+1.2e5", " NaN  ").
    static func signed(_ v: Double, width: Int = 6) -> String {
        if let special = special(v) { return pad(special, width) }
        for decimals in stride(from: 3, through: 0, by: -1) {
            let s = String(format: "%+.\(decimals)f", v)
            if s.count <= width { return pad(s, width, right: true) }
        }
        return pad(String(format: "%+.0e", v), width, right: true)
    }

    /// Plain value with up to `decimals` decimals (equations, messages): "0.390", "-0.33".
    static func short(_ v: Double, decimals: Int = 3) -> String {
        if let special = special(v) { return special }
        if v != 0, abs(v) < 0.001 || abs(v) >= 100_000 { return String(format: "%.2e", v) }
        return String(format: "%.\(decimals)f", v)
    }

    /// A value inside an expression: negatives get parentheses, "0.40·(-0.33)".
    static func term(_ v: Double, decimals: Int = 2) -> String {
        let s = short(v, decimals: decimals)
        return v < 0 ? "(\(s))" : s
    }

    static func special(_ v: Double) -> String? {
        if v.isNaN { return "NaN" }
        if v == .infinity { return "+Inf" }
        if v == -.infinity { return "-Inf" }
        return nil
    }

    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        if s.count >= width { return String(s.prefix(width)) }
        let fill = String(repeating: " ", count: width - s.count)
        return right ? fill + s : s + fill
    }
}
