import Foundation

/// The nonlinearities a live equation applies, with their printed names.
enum Nonlinearity {
    case tanh, sigmoid, relu

    var name: String {
        switch self {
        case .tanh: return "tanh"
        case .sigmoid: return "σ"
        case .relu: return "relu"
        }
    }

    func callAsFunction(_ v: Double) -> Double {
        switch self {
        case .tanh: return Foundation.tanh(v)
        case .sigmoid: return 1 / (1 + Foundation.exp(-v))
        case .relu: return max(0, v)
        }
    }
}

/// The numeric side of a live equation, kept as a tree so that it can be printed with as many digits as
/// the printed result needs and recomputed from exactly what is printed.
indirect enum Arithmetic {
    case number(Double)
    /// a + b − c (a negative number is printed as a subtraction).
    case sum([Arithmetic])
    /// a·b·c
    case product([Arithmetic])
    /// tanh(a), σ(a), relu(a)
    case apply(Nonlinearity, Arithmetic)
    /// (1 − a)
    case oneMinus(Arithmetic)
    /// a²
    case square(Arithmetic)

    /// The value, each number taken as printed with `digits` significant digits (nil: exactly).
    func value(digits: Int? = nil) -> Double {
        switch self {
        case .number(let v): return digits.map { PrintedNumber.rounded(v, digits: $0) } ?? v
        case .sum(let terms): return terms.reduce(0) { $0 + $1.value(digits: digits) }
        case .product(let factors): return factors.reduce(1) { $0 * $1.value(digits: digits) }
        case .apply(let f, let a): return f(a.value(digits: digits))
        case .oneMinus(let a): return 1 - a.value(digits: digits)
        case .square(let a): let v = a.value(digits: digits); return v * v
        }
    }

    /// The printed form: "0.5120 − 0.4020", "0.3000·(−0.2100)", "tanh(0.6840)", "(1 − 0.5940²)".
    func text(digits: Int) -> String {
        switch self {
        case .number(let v):
            return PrintedNumber.text(v, digits: digits)
        case .sum(let terms):
            var out = ""
            for (i, term) in terms.enumerated() {
                if case .number(let v) = term, v < 0 {
                    out += i == 0 ? PrintedNumber.text(v, digits: digits) : " − " + PrintedNumber.text(-v, digits: digits)
                } else {
                    out += (i == 0 ? "" : " + ") + term.text(digits: digits)
                }
            }
            return out
        case .product(let factors):
            return factors.map { $0.operand(digits: digits) }.joined(separator: "·")
        case .apply(let f, let a):
            return "\(f.name)(\(a.text(digits: digits)))"
        case .oneMinus(let a):
            return "(1 − \(a.operand(digits: digits)))"
        case .square(let a):
            return a.operand(digits: digits) + "²"
        }
    }

    /// The printed form as a factor: negative numbers and sums in parentheses.
    private func operand(digits: Int) -> String {
        switch self {
        case .number(let v) where v < 0: return "(\(text(digits: digits)))"
        case .sum: return "(\(text(digits: digits)))"
        default: return text(digits: digits)
        }
    }

    /// Fewest significant digits (from `minimum`) with which the printed numbers recompute `result` as it is
    /// printed: within half a unit of its last digit or 0.1 % of it. Without this, 0.02·(1 − (−1.00)²) would be
    /// printed beside 8.74e-05.
    func digits(for result: Double, minimum: Int = 4, maximum: Int = 8) -> Int {
        guard result.isFinite else { return minimum }
        let tolerance = max(PrintedNumber.halfUnit(result, digits: PrintedNumber.resultDigits), 0.001 * abs(result))
        for d in minimum...maximum where abs(value(digits: d) - result) <= tolerance { return d }
        return maximum
    }
}

/// Numbers with a given count of significant digits, fixed-point for ordinary magnitudes and scientific
/// (1.234e-5) for small and large ones; the minus sign is the typographic one.
enum PrintedNumber {
    /// Significant digits of an equation's result.
    static let resultDigits = 4

    static func text(_ v: Double, digits: Int) -> String {
        if let special = special(v) { return special }
        if v == 0 { return "0" }
        let magnitude = abs(v)
        var s: String
        if magnitude >= 1e-3 && magnitude < 1e5 {
            let decimals = max(0, digits - 1 - Int(floor(log10(magnitude))))
            s = String(format: "%.\(decimals)f", v)
        } else {
            s = String(format: "%.\(max(0, digits - 1))e", v)
            if let e = s.firstIndex(of: "e") {
                // 1.234e-05 → 1.234e-5
                let mantissa = s[..<e]
                var exponent = String(s[s.index(after: e)...])
                let sign = exponent.hasPrefix("-") ? "-" : ""
                exponent = String(exponent.drop { $0 == "+" || $0 == "-" || $0 == "0" })
                s = "\(mantissa)e\(sign)\(exponent.isEmpty ? "0" : exponent)"
            }
        }
        return s.hasPrefix("-") ? "−" + s.dropFirst() : s
    }

    /// The value a reader gets back from the printed text.
    static func rounded(_ v: Double, digits: Int) -> Double {
        parse(text(v, digits: digits)) ?? v
    }

    /// Half a unit of the last printed digit of `v`.
    static func halfUnit(_ v: Double, digits: Int) -> Double {
        halfUnit(ofPrinted: text(v, digits: digits))
    }

    /// Half a unit of the last digit of a printed number ("0.5940" → 0.00005, "1.234e-5" → 5e-9, "0" → 0).
    static func halfUnit(ofPrinted s: String) -> Double {
        let ascii = s.replacingOccurrences(of: "−", with: "-")
        guard ascii != "0" else { return 0 }
        let parts = ascii.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0]
        let decimals = mantissa.firstIndex(of: ".").map { mantissa.distance(from: $0, to: mantissa.endIndex) - 1 } ?? 0
        return 0.5 * pow(10, Double(exponent - decimals))
    }

    /// Reads a number printed by `text` back.
    static func parse(_ s: String) -> Double? {
        Double(s.replacingOccurrences(of: "−", with: "-"))
    }

    private static func special(_ v: Double) -> String? {
        if v.isNaN { return "NaN" }
        if v == .infinity { return "+Inf" }
        if v == -.infinity { return "−Inf" }
        return nil
    }
}
