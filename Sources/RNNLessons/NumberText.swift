import Foundation

/// How rnnscope writes numbers, in panels, equations, messages and lesson narration alike: fixed widths
/// so columns line up, and NaN / ±Inf spelled out the same way everywhere.
public enum NumberText {
    /// Signed value in exactly `width` columns (default 6: "+0.094", "-12.35", "+1.2e5", " NaN  ").
    /// A value too small for the decimals that fit is written in scientific notation ("-3e-4", not "-0.00"),
    /// so a cell never shows zero for a value that is not.
    public static func signed(_ v: Double, width: Int = 6) -> String {
        if let special = special(v) { return pad(special, width) }
        for decimals in stride(from: 3, through: 0, by: -1) {
            let s = String(format: "%+.\(decimals)f", v)
            guard s.count <= width else { continue }
            if v != 0, Double(s) == 0, let small = compactScientific(v, width: width) { return pad(small, width, right: true) }
            return pad(s, width, right: true)
        }
        return pad(compactScientific(v, width: width) ?? String(format: "%+.0e", v), width, right: true)
    }

    /// "+3e-4", "-1.2e-7": sign, mantissa and an exponent without padding, as many mantissa digits as fit in
    /// `width`; nil when even one digit does not.
    public static func compactScientific(_ v: Double, width: Int) -> String? {
        guard v.isFinite, v != 0 else { return nil }
        for digits in stride(from: 2, through: 0, by: -1) {
            let parts = String(format: "%+.\(digits)e", v).split(separator: "e")
            guard parts.count == 2, let exponent = Int(parts[1]) else { return nil }
            let s = "\(parts[0])e\(exponent)"
            if s.count <= width { return s }
        }
        return nil
    }

    /// Plain value with up to `decimals` decimals (equations, messages): "0.390", "-0.33".
    public static func short(_ v: Double, decimals: Int = 3) -> String {
        if let special = special(v) { return special }
        if v != 0, abs(v) < 0.001 || abs(v) >= 100_000 { return String(format: "%.2e", v) }
        return String(format: "%.\(decimals)f", v)
    }

    /// A value inside an expression: negatives get parentheses, "0.40·(-0.33)".
    public static func term(_ v: Double, decimals: Int = 2) -> String {
        let s = short(v, decimals: decimals)
        return v < 0 ? "(\(s))" : s
    }

    /// Decimals for the operands of a live equation whose printed result is `result`: `minimum`, or more when the
    /// expression recomputed from the operands as printed would contradict that result (as
    /// 0.02·(1−(-1.00)²) = 8.74e-05 would: 1 − h² is not 0, h is -0.998).
    public static func operandDecimals(_ values: [Double], result: Double, minimum: Int = 2,
                                _ expression: ([Double]) -> Double) -> Int {
        guard result.isFinite, values.allSatisfy(\.isFinite) else { return minimum }
        // Within 5% of the result, or within half a unit of its third decimal when it is printed so.
        let tolerance = 0.05 * abs(result) + (abs(result) >= 0.001 ? 0.0005 : 0)
        for decimals in minimum...max(minimum, 5) {
            let printed = values.map { Double(short($0, decimals: decimals)) ?? $0 }
            if abs(expression(printed) - result) <= tolerance { return decimals }
        }
        return max(minimum, 6)
    }

    /// p in "−log p = loss": 3 decimals, or more when p is so close to 1 that −log of the printed p would
    /// be 0 while the loss is not.
    public static func probability(_ p: Double, loss: Double) -> String {
        short(p, decimals: operandDecimals([p], result: loss, minimum: 3) { -log($0[0]) })
    }

    public static func special(_ v: Double) -> String? {
        if v.isNaN { return "NaN" }
        if v == .infinity { return "+Inf" }
        if v == -.infinity { return "-Inf" }
        return nil
    }

    public static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        if s.count >= width { return String(s.prefix(width)) }
        let fill = String(repeating: " ", count: width - s.count)
        return right ? fill + s : s + fill
    }

    /// A placeholder's value in narration, as its format asks: three significant digits by default, with
    /// the exponent form only for very small or large magnitudes.
    public static func placeholder(_ v: Double, _ format: PlaceholderFormat) -> String {
        if let special = special(v) { return special }
        switch format {
        case .percent:
            return String(format: "%.1f%%", v * 100)
        case .decimals(let n):
            return String(format: "%.\(n)f", v)
        case .automatic:
            if v == 0 { return "0" }
            let magnitude = Swift.abs(v)
            if magnitude >= 1e-3 && magnitude < 1e5 {
                let decimals = Swift.max(0, 2 - Int(Foundation.floor(Foundation.log10(magnitude))))
                return String(format: "%.\(decimals)f", v)
            }
            // 1.23e-05 → 1.23e-5: shorter, and what a teacher would write.
            let s = String(format: "%.2e", v)
            guard let e = s.firstIndex(of: "e") else { return s }
            let mantissa = s[..<e]
            var exponent = String(s[s.index(after: e)...])
            let sign = exponent.hasPrefix("-") ? "-" : ""
            exponent = String(exponent.drop { $0 == "+" || $0 == "-" || $0 == "0" })
            return "\(mantissa)e\(sign)\(exponent.isEmpty ? "0" : exponent)"
        }
    }
}
