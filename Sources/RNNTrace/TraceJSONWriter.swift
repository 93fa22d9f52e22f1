import RNNEngine

/// Writes a recording as trace JSON (schema version 1, `Schema/trace.schema.json`), step by step into a
/// `TraceOutput`, so the text is never held whole. Keys are sorted, so the same run always gives the same
/// bytes; numbers are shortest round-trip float32 text; NaN and ±Inf are the strings "NaN", "Infinity",
/// "-Infinity" (JSON has no such numbers).
public struct TraceJSONWriter: Sendable {
    public static let formatName = "rnnscope-trace"
    public static let version = 1

    let recording: Recording

    public init(_ recording: Recording) {
        self.recording = recording
    }

    public func write(to out: inout TraceOutput) {
        let r = recording
        out.write("{\"cell\":")
        writeString(r.cell.rawValue, &out)
        out.write(",\"format\":")
        writeString(Self.formatName, &out)
        out.write(",\"hidden_size\":")
        out.write(r.hiddenSize)
        out.write(",\"input_size\":")
        out.write(r.inputSize)
        if let loss = r.loss {
            out.write(",\"loss\":")
            out.write(loss, .json)
        }
        if let name = r.modelName {
            out.write(",\"model_name\":")
            writeString(name, &out)
        }
        if r.layerCount > 1 {
            out.write(",\"num_layers\":")
            out.write(r.layerCount)
        }
        out.write(",\"param_grads\":{")
        for (i, entry) in parameterEntries().enumerated() {
            if i > 0 { out.write(byte: UInt8(ascii: ",")) }
            writeString(entry.key, &out)
            out.write(byte: UInt8(ascii: ":"))
            writeParameter(entry.gradient, &out)
        }
        out.write("},\"steps\":[")
        StepBlocks.write(count: r.stepCount, to: &out) { t, block in
            if t > 0 { block.write(byte: UInt8(ascii: ",")) }
            writeStep(t, &block)
        }
        out.write("],\"task\":")
        writeString(r.task.rawValue, &out)
        out.write(",\"token_ids\":[")
        for (i, id) in r.tokenIds.enumerated() {
            if i > 0 { out.write(byte: UInt8(ascii: ",")) }
            out.write(id)
        }
        out.write("],\"tokens\":")
        writeStrings(r.tokens, &out)
        out.write(",\"version\":")
        out.write(Self.version)
        out.write(",\"vocab\":")
        writeStrings(r.vocab, &out)
        out.write("}")
        out.flush()
    }

    /// Every gradient under its trace name, and again under its model-file name where that differs,
    /// sorted by key.
    func parameterEntries() -> [(key: String, gradient: ParameterGradient)] {
        var entries: [(key: String, gradient: ParameterGradient)] = []
        for g in recording.parameterGradients {
            entries.append((g.name, g))
            if let file = g.fileName, file != g.name { entries.append((file, g)) }
        }
        return entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    private func writeParameter(_ g: ParameterGradient, _ out: inout TraceOutput) {
        guard let columns = g.columns else { return writeVector(g.values[...], &out) }
        out.write(byte: UInt8(ascii: "["))
        for row in 0..<g.rows {
            if row > 0 { out.write(byte: UInt8(ascii: ",")) }
            writeVector(g.values[(row * columns)..<((row + 1) * columns)], &out)
        }
        out.write(byte: UInt8(ascii: "]"))
    }

    private func writeStep(_ t: Int, _ out: inout TraceOutput) {
        let r = recording
        let top = r.layers[r.layerCount - 1]
        out.write(byte: UInt8(ascii: "{"))
        // Keys in sorted order: c, c_prev, gates, grad, h, h_prev (the top layer's), layers, logits, loss,
        // preactivations, prediction, probs, t, target, target_value, token, x.
        writeLayerFields(top, at: t, upTo: .hPrev, &out)
        if r.layerCount > 1 {
            out.write(",\"layers\":[")
            for (k, layer) in r.layers.enumerated() {
                if k > 0 { out.write(byte: UInt8(ascii: ",")) }
                out.write(byte: UInt8(ascii: "{"))
                writeLayerFields(layer, at: t, upTo: .preactivations, &out)
                out.write(byte: UInt8(ascii: "}"))
            }
            out.write(byte: UInt8(ascii: "]"))
        }
        out.write(",\"logits\":")
        writeVector(r.logits(at: t), &out)
        out.write(",\"loss\":")
        if let loss = r.stepLosses[t] { out.write(loss, .json) } else { out.write("null") }
        if let pre = top.block(top.preactivations, 0, at: t), !pre.isEmpty {
            out.write(",")
            writeLayerField(.preactivations, top, at: t, &out)
        }
        if let prediction = r.prediction(at: t) {
            out.write(",\"prediction\":")
            out.write(prediction, .json)
        }
        out.write(",\"probs\":")
        writeVector(r.probabilities(at: t), &out)
        out.write(",\"t\":")
        out.write(t)
        out.write(",\"target\":")
        if let target = r.targets[t] { out.write(target) } else { out.write("null") }
        if r.targetValues.indices.contains(t), let value = r.targetValues[t] {
            out.write(",\"target_value\":")
            out.write(value, .json)
        }
        out.write(",\"token\":")
        writeString(r.tokens[t], &out)
        out.write(",\"x\":")
        writeVector(r.x(at: t), &out)
        out.write(byte: UInt8(ascii: "}"))
    }

    /// One layer's fields at step t, in sorted key order, up to and including `last`.
    private func writeLayerFields(_ layer: RecordedLayer, at t: Int, upTo last: LayerField, _ out: inout TraceOutput) {
        var first = true
        for field in LayerField.allCases where field <= last {
            guard layerHas(field, layer) else { continue }
            if !first { out.write(byte: UInt8(ascii: ",")) }
            first = false
            writeLayerField(field, layer, at: t, &out)
        }
    }

    private func layerHas(_ field: LayerField, _ layer: RecordedLayer) -> Bool {
        switch field {
        case .c, .cPrev: return !layer.cellState.isEmpty
        case .grad: return !layer.dHidden.isEmpty
        case .preactivations: return !layer.preactivations.isEmpty
        case .gates, .h, .hPrev: return true
        }
    }

    private func writeLayerField(_ field: LayerField, _ layer: RecordedLayer, at t: Int, _ out: inout TraceOutput) {
        writeString(field.key, &out)
        out.write(byte: UInt8(ascii: ":"))
        switch field {
        case .c: writeVector(layer.c(t)!, &out)
        case .cPrev: writeVector(layer.cPrev(t)!, &out)
        case .gates: writeBlocks(layer.gates, layer, at: t, names: recording.cell.gates.map(\.symbol), &out)
        case .grad:
            out.write(byte: UInt8(ascii: "{"))
            if let dc = layer.dc(t) {
                out.write("\"c\":")
                writeVector(dc, &out)
                out.write(byte: UInt8(ascii: ","))
            }
            if !layer.dPreactivations.isEmpty {
                out.write("\"gates\":")
                writeBlocks(layer.dPreactivations, layer, at: t, names: recording.cell.preactivationNames, &out)
                out.write(byte: UInt8(ascii: ","))
            }
            out.write("\"h\":")
            writeVector(layer.dh(t)!, &out)
            out.write(",\"h_norm\":")
            out.write(layer.hiddenGradientNorm(at: t), .json)
            out.write(byte: UInt8(ascii: "}"))
        case .h: writeVector(layer.h(t), &out)
        case .hPrev: writeVector(layer.hPrev(t), &out)
        case .preactivations: writeBlocks(layer.preactivations, layer, at: t, names: recording.cell.preactivationNames, &out)
        }
    }

    /// `{"f":[…],"g":[…],…}`: the blocks of a T × G·H buffer at step t, keys sorted.
    private func writeBlocks(_ buffer: [Float], _ layer: RecordedLayer, at t: Int, names: [String], _ out: inout TraceOutput) {
        out.write(byte: UInt8(ascii: "{"))
        let order = names.indices.sorted { names[$0] < names[$1] }
        for (n, index) in order.enumerated() {
            if n > 0 { out.write(byte: UInt8(ascii: ",")) }
            writeString(names[index], &out)
            out.write(byte: UInt8(ascii: ":"))
            writeVector(layer.block(buffer, index, at: t)!, &out)
        }
        out.write(byte: UInt8(ascii: "}"))
    }

    private func writeVector(_ values: ArraySlice<Float>, _ out: inout TraceOutput) {
        out.write(byte: UInt8(ascii: "["))
        var first = true
        for v in values {
            if !first { out.write(byte: UInt8(ascii: ",")) }
            first = false
            out.write(v, .json)
        }
        out.write(byte: UInt8(ascii: "]"))
    }

    private func writeStrings(_ strings: [String], _ out: inout TraceOutput) {
        out.write(byte: UInt8(ascii: "["))
        for (i, s) in strings.enumerated() {
            if i > 0 { out.write(byte: UInt8(ascii: ",")) }
            writeString(s, &out)
        }
        out.write(byte: UInt8(ascii: "]"))
    }

    /// A JSON string: quotes and backslashes escaped, control characters as \n, \t … or \u00XX.
    private func writeString(_ s: String, _ out: inout TraceOutput) {
        out.write(byte: UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.write("\\\"")
            case UInt8(ascii: "\\"): out.write("\\\\")
            case 0x0A: out.write("\\n")
            case 0x0D: out.write("\\r")
            case 0x09: out.write("\\t")
            case 0x08: out.write("\\b")
            case 0x0C: out.write("\\f")
            case ..<0x20:
                let hex = String(byte, radix: 16)
                out.write("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: out.write(byte: byte)
            }
        }
        out.write(byte: UInt8(ascii: "\""))
    }
}

/// The per-layer fields of a step, in the sorted order the JSON writes them.
enum LayerField: Int, CaseIterable, Comparable {
    case c, cPrev, gates, grad, h, hPrev, preactivations

    var key: String {
        switch self {
        case .c: return "c"
        case .cPrev: return "c_prev"
        case .gates: return "gates"
        case .grad: return "grad"
        case .h: return "h"
        case .hPrev: return "h_prev"
        case .preactivations: return "preactivations"
        }
    }

    static func < (a: LayerField, b: LayerField) -> Bool { a.rawValue < b.rawValue }
}
