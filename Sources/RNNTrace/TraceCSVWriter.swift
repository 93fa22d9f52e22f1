import Foundation
import RNNEngine

/// The two export formats of a recording.
public enum TraceFormat: String, CaseIterable, Sendable {
    /// Schema version 1 (see the golden README and `Schema/trace.schema.json`), with rnnscope's extra fields.
    case json
    /// Tidy/long: one row per number, `t,token,field,index,row,column,value`.
    case csv
}

extension Recording {
    /// Writes the recording in `format`, piece by piece, to `out`.
    public func write(as format: TraceFormat, to out: inout TraceOutput) {
        switch format {
        case .json: TraceJSONWriter(self).write(to: &out)
        case .csv: TraceCSVWriter(self).write(to: &out)
        }
    }

    /// The whole export as bytes, for small recordings (tests, lesson files); large ones go to a `TraceOutput`.
    public func exported(as format: TraceFormat) -> [UInt8] {
        var bytes: [UInt8] = []
        var out = TraceOutput { bytes += $0; return nil }
        write(as: format, to: &out)
        return bytes
    }
}

/// Writes a recording as tidy CSV, one row per number, so that `pandas.read_csv(...)` and a pivot give any
/// quantity: `t,token,field,index,row,column,value`.
///
/// `field` is the number's path in the JSON trace, with the same names: `x`, `h_prev`, `h`, `c_prev`, `c`,
/// `gates.<name>`, `preactivations.<name>`, `logits`, `probs`, `loss`, `target`, `target_value`,
/// `prediction`, `grad.h`, `grad.c`, `grad.gates.<name>`, `grad.h_norm`; a stacked-layer trace adds every
/// layer's as `layers.<k>.h`, `layers.<k>.gates.<name>`, …. `index` is the position in the vector. Parameter
/// gradients follow with an empty `t` and `token`, field `param_grads.<name>` (under the trace's and the
/// model file's names, as in the JSON), `index` the row-major position and, for a matrix, `row` and `column`.
public struct TraceCSVWriter: Sendable {
    public static let header = "t,token,field,index,row,column,value\n"
    let recording: Recording

    public init(_ recording: Recording) {
        self.recording = recording
    }

    public func write(to out: inout TraceOutput) {
        let r = recording
        out.write(Self.header)
        let top = r.layers[r.layerCount - 1]
        StepBlocks.write(count: r.stepCount, to: &out) { t, out in
            // The row's first two columns, once per step.
            let lead = "\(t),\(csvField(r.tokens[t])),"
            func vector(_ field: String, _ values: ArraySlice<Float>?) {
                guard let values else { return }
                for (i, v) in values.enumerated() {
                    out.write(lead)
                    out.write(field)
                    out.write(byte: UInt8(ascii: ","))
                    out.write(i)
                    out.write(",,,")
                    out.write(v, .csv)
                    out.write(byte: UInt8(ascii: "\n"))
                }
            }
            func scalar(_ field: String, _ value: Double) {
                out.write(lead)
                out.write(field)
                out.write(",0,,,")
                out.write(value, .csv)
                out.write(byte: UInt8(ascii: "\n"))
            }
            func layerFields(_ layer: RecordedLayer, prefix: String) {
                vector(prefix + "c", layer.c(t))
                vector(prefix + "c_prev", layer.cPrev(t))
                for (index, gate) in r.cell.gates.enumerated() {
                    vector(prefix + "gates." + gate.symbol, layer.block(layer.gates, index, at: t))
                }
                if layer.dh(t) != nil {
                    vector(prefix + "grad.c", layer.dc(t))
                    for (index, name) in r.cell.preactivationNames.enumerated() {
                        vector(prefix + "grad.gates." + name, layer.block(layer.dPreactivations, index, at: t))
                    }
                    vector(prefix + "grad.h", layer.dh(t))
                    scalar(prefix + "grad.h_norm", Double(layer.hiddenGradientNorm(at: t)))
                }
                vector(prefix + "h", layer.h(t))
                vector(prefix + "h_prev", layer.hPrev(t))
                for (index, name) in r.cell.preactivationNames.enumerated() {
                    vector(prefix + "preactivations." + name, layer.block(layer.preactivations, index, at: t))
                }
            }
            layerFields(top, prefix: "")
            if r.layerCount > 1 {
                for (k, layer) in r.layers.enumerated() { layerFields(layer, prefix: "layers.\(k).") }
            }
            vector("logits", r.logits(at: t))
            if let loss = r.stepLosses[t] { scalar("loss", loss) }
            if let prediction = r.prediction(at: t) { scalar("prediction", prediction) }
            vector("probs", r.probabilities(at: t))
            if let target = r.targets[t] { scalar("target", Double(target)) }
            if r.targetValues.indices.contains(t), let value = r.targetValues[t] { scalar("target_value", value) }
            vector("x", r.x(at: t))
        }
        for (key, g) in TraceJSONWriter(r).parameterEntries() {
            let field = "param_grads." + csvField(key)
            for (i, v) in g.values.enumerated() {
                out.write(",,")
                out.write(field)
                out.write(byte: UInt8(ascii: ","))
                out.write(i)
                if let columns = g.columns {
                    out.write(byte: UInt8(ascii: ","))
                    out.write(i / columns)
                    out.write(byte: UInt8(ascii: ","))
                    out.write(i % columns)
                    out.write(byte: UInt8(ascii: ","))
                } else {
                    out.write(",,,")
                }
                out.write(v, .csv)
                out.write(byte: UInt8(ascii: "\n"))
            }
        }
        out.flush()
    }
}

/// RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled.
func csvField(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

extension Recording {
    /// Writes the recording in `format` to the open file descriptor `fd`, a megabyte at a time; nil on
    /// success, else why the descriptor could not take it.
    public func write(as format: TraceFormat, toDescriptor fd: Int32) -> WriteFailure? {
        var out = TraceOutput(descriptor: fd)
        write(as: format, to: &out)
        return out.failure
    }
}
