import Foundation

/// The two export formats of a trace.
public enum TraceFormat: String, CaseIterable, Sendable {
    /// Schema version 1 (see the golden README), with rnnscope's extra fields.
    case json
    /// Tidy/long: one row per number, `t,token,field,index,value`.
    case csv
}

extension Trace {
    /// The trace as JSON text: keys sorted so the same run always gives the same bytes; NaN and ±Inf as
    /// the strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(self)
    }

    /// Reads a trace written by `jsonData()` (or a golden trace).
    public static func decode(json data: Data) throws -> Trace {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try decoder.decode(Trace.self, from: data)
    }

    /// The trace as tidy CSV: `t,token,field,index,value`, one row per number, so that
    /// `pandas.read_csv(...).pivot(...)` gives any quantity. Per-step fields: `x`, `h_prev`, `h`, `c_prev`,
    /// `c`, `gate.<name>`, `pre.<name>`, `logits`, `probs`, `loss`, `target`, `target_value`, `prediction`,
    /// `grad.h`, `grad.c`, `grad.gate.<name>`, `grad.h_norm`; a stacked-layer trace adds every layer's as
    /// `layers.<k>.h`, `layers.<k>.gate.<name>`, `layers.<k>.grad.h`, …. Parameter gradients follow with an empty `t`
    /// and `token`, field `param_grad.<name>` and the row-major flat index.
    public func csvText() -> String {
        var out = "t,token,field,index,value\n"
        func row(_ t: String, _ token: String, _ field: String, _ index: Int, _ value: Double) {
            out += "\(t),\(token),\(field),\(index),\(csvNumber(value))\n"
        }
        for step in steps {
            let t = String(step.t), token = csvField(step.token)
            func vector(_ field: String, _ values: [Double]?) {
                guard let values else { return }
                for (i, v) in values.enumerated() { row(t, token, field, i, v) }
            }
            vector("x", step.x)
            vector("h_prev", step.hPrev)
            vector("h", step.h)
            vector("c_prev", step.cPrev)
            vector("c", step.c)
            for name in step.gates.keys.sorted() { vector("gate.\(name)", step.gates[name]) }
            for name in (step.preactivations ?? [:]).keys.sorted() { vector("pre.\(name)", step.preactivations?[name]) }
            vector("logits", step.logits)
            vector("probs", step.probs)
            if let loss = step.loss { row(t, token, "loss", 0, loss) }
            if let target = step.target { row(t, token, "target", 0, Double(target)) }
            if let value = step.targetValue { row(t, token, "target_value", 0, value) }
            if let value = step.prediction { row(t, token, "prediction", 0, value) }
            if let grad = step.grad {
                vector("grad.h", grad.h)
                vector("grad.c", grad.c)
                for name in (grad.gates ?? [:]).keys.sorted() { vector("grad.gate.\(name)", grad.gates?[name]) }
                row(t, token, "grad.h_norm", 0, grad.hNorm)
            }
            for (k, layer) in (step.layers ?? []).enumerated() {
                let p = "layers.\(k)."
                vector(p + "h_prev", layer.hPrev)
                vector(p + "h", layer.h)
                vector(p + "c_prev", layer.cPrev)
                vector(p + "c", layer.c)
                for name in layer.gates.keys.sorted() { vector(p + "gate.\(name)", layer.gates[name]) }
                for name in (layer.preactivations ?? [:]).keys.sorted() { vector(p + "pre.\(name)", layer.preactivations?[name]) }
                if let grad = layer.grad {
                    vector(p + "grad.h", grad.h)
                    vector(p + "grad.c", grad.c)
                    for name in (grad.gates ?? [:]).keys.sorted() { vector(p + "grad.gate.\(name)", grad.gates?[name]) }
                    row(t, token, p + "grad.h_norm", 0, grad.hNorm)
                }
            }
        }
        for name in paramGrads.keys.sorted() {
            for (i, v) in paramGrads[name]!.flattened.enumerated() { row("", "", "param_grad.\(name)", i, v) }
        }
        return out
    }

    /// The trace in `format`, as bytes ready to write.
    public func exported(as format: TraceFormat) throws -> Data {
        switch format {
        case .json: return try jsonData()
        case .csv: return Data(csvText().utf8)
        }
    }
}

/// RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled.
func csvField(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// Shortest round-tripping decimal; NaN and infinities spelled as pandas reads them.
func csvNumber(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    return "\(v)"
}
