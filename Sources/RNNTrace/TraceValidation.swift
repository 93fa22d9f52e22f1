import Foundation
import RNNEngine

/// A trace file that cannot be shown, with the first problem found: `trace.json: step 4: target 999 is
/// outside the vocabulary (0…7)`.
public struct TraceFileError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let problem: String
    public var description: String { "\(file): \(problem)" }
}

extension Trace {
    /// Upper bounds for a trace read from a file: at or far above anything rnnscope records, low enough that
    /// no size read from a file can make the viewer allocate or loop without end.
    public static let maximumHiddenSize = TrainingConfig.maximumHiddenSize
    public static let maximumInputSize = 1_000_000
    public static let maximumVocabularySize = 1_000_000
    public static let maximumLayers = 16

    /// Reads a trace file's JSON and checks it once, so that everything the viewer indexes is in range.
    /// `name` is the file name used in the message.
    public static func load(json data: Data, name: String) throws(TraceFileError) -> Trace {
        let trace: Trace
        do { trace = try Trace.decode(json: data) } catch {
            throw TraceFileError(file: name, problem: "not an rnnscope trace (\(describeDecodingError(error)))")
        }
        if let problem = trace.validationProblem() { throw TraceFileError(file: name, problem: problem) }
        return trace
    }

    /// The first thing in this trace that the viewer could not show faithfully, or nil when it is sound:
    /// format and version; sizes; every vector's length (x = input_size; h, h_prev, c, c_prev, gates and
    /// gradients = hidden_size; logits and probs = the vocabulary); gate names per cell (lstm i f g o,
    /// gru r z n, rnn_tanh and rnn_relu none); with `num_layers` ≥ 2, every step's `layers` (one per layer,
    /// each checked like the step's own fields); `t` equal to the step's index; targets and token ids inside the
    /// vocabulary. Numbers may be NaN or infinite (a diverged run is exported that way and the viewer
    /// marks it), except where they are sizes or indices.
    public func validationProblem() -> String? {
        guard format == Trace.formatName else {
            return "not an rnnscope trace (format \"\(TerminalText.escaped(String(format.prefix(40))))\", expected \"\(Trace.formatName)\")"
        }
        guard version == Trace.currentVersion else {
            return "trace format version \(version) is not one this rnnscope reads (version \(Trace.currentVersion))"
        }
        guard let kind = cellKind else {
            return "cell \"\(TerminalText.escaped(String(cell.prefix(40))))\" is not one rnnscope shows (rnn_tanh, rnn_relu, lstm or gru)"
        }
        let regression: Bool
        switch task {
        case "classification": regression = false
        case "regression": regression = true
        default: return "task \"\(TerminalText.escaped(String(task.prefix(40))))\" is not classification or regression"
        }
        guard (1...Trace.maximumHiddenSize).contains(hiddenSize) else {
            return "hidden_size \(hiddenSize) is outside 1…\(Trace.maximumHiddenSize)"
        }
        let layerCount = numLayers ?? 1
        guard (1...Trace.maximumLayers).contains(layerCount) else {
            return "num_layers \(layerCount) is outside 1…\(Trace.maximumLayers)"
        }
        guard (1...Trace.maximumInputSize).contains(inputSize) else {
            return "input_size \(inputSize) is outside 1…\(Trace.maximumInputSize)"
        }
        guard vocab.count <= Trace.maximumVocabularySize else {
            return "the vocabulary has \(vocab.count) entries, more than \(Trace.maximumVocabularySize)"
        }
        if !regression && vocab.isEmpty { return "the vocabulary is empty" }
        guard !steps.isEmpty else { return "the trace has no steps" }
        guard tokens.count == steps.count else {
            return "\(tokens.count) tokens for \(steps.count) steps"
        }
        let v = vocab.count
        let vocabRange = v > 0 ? "0…\(v - 1)" : "empty"
        if !regression || !tokenIds.isEmpty {
            guard tokenIds.count == steps.count else { return "\(tokenIds.count) token_ids for \(steps.count) steps" }
        }
        for (i, id) in tokenIds.enumerated() where !(0..<v).contains(id) {
            return "token_ids[\(i)] = \(id) is outside the vocabulary (\(vocabRange))"
        }
        let h = hiddenSize
        let outputSize = regression ? 1 : v
        for (i, s) in steps.enumerated() {
            func bad(_ what: String) -> String { "step \(i): \(what)" }
            func length(_ name: String, _ vector: [Double]?, _ expected: Int, _ what: String) -> String? {
                guard let vector else { return bad("\(name) is missing") }
                return vector.count == expected ? nil : bad("\(name) has \(vector.count) numbers, expected \(expected) (\(what))")
            }
            guard s.t == i else { return bad("t is \(s.t), expected \(i) (steps are numbered from 0 in order)") }
            if let target = s.target {
                guard !regression else { return bad("a regression trace has no token targets (target \(target))") }
                guard (0..<v).contains(target) else { return bad("target \(target) is outside the vocabulary (\(vocabRange))") }
            }
            if let problem = length("x", s.x, inputSize, "input_size")
                ?? length("h_prev", s.hPrev, h, "hidden_size")
                ?? length("h", s.h, h, "hidden_size") { return problem }
            if kind.hasCellState {
                if let problem = length("c_prev", s.cPrev, h, "hidden_size") ?? length("c", s.c, h, "hidden_size") { return problem }
            } else if s.c != nil || s.cPrev != nil {
                return bad("c/c_prev are given, but only an LSTM has a cell state")
            }
            if let problem = gatesProblem("gates", s.gates, names: kind.gateNames, hidden: h) { return bad(problem) }
            if let pre = s.preactivations,
               let problem = gatesProblem("preactivations", pre, names: kind.gateNames.isEmpty ? ["h"] : kind.gateNames, hidden: h) {
                return bad(problem)
            }
            if layerCount > 1 || s.layers != nil {
                guard let layers = s.layers, layers.count == layerCount else {
                    return bad("layers has \(s.layers?.count ?? 0) entries, expected \(layerCount) (num_layers)")
                }
                for (k, layer) in layers.enumerated() {
                    if let problem = layerProblem(layer, kind: kind, hidden: h) { return bad("layers[\(k)]: \(problem)") }
                }
            }
            if let problem = length("logits", s.logits, outputSize, regression ? "one output for regression" : "vocabulary size") { return problem }
            if !(regression && s.probs.isEmpty), let problem = length("probs", s.probs, outputSize, regression ? "one output for regression" : "vocabulary size") {
                return problem
            }
            if let g = s.grad {
                if let problem = length("grad.h", g.h, h, "hidden_size") { return problem }
                if kind.hasCellState, let c = g.c, let problem = length("grad.c", c, h, "hidden_size") { return problem }
                if let gates = g.gates,
                   let problem = gatesProblem("grad.gates", gates, names: kind.gateNames.isEmpty ? ["h"] : kind.gateNames, hidden: h) {
                    return bad(problem)
                }
            }
        }
        return nil
    }

    /// The first problem in one layer's values at a step.
    private func layerProblem(_ l: TraceLayerStep, kind: CellKind, hidden h: Int) -> String? {
        func length(_ name: String, _ vector: [Double]?) -> String? {
            guard let vector else { return "\(name) is missing" }
            return vector.count == h ? nil : "\(name) has \(vector.count) numbers, expected \(h) (hidden_size)"
        }
        if let problem = length("h_prev", l.hPrev) ?? length("h", l.h) { return problem }
        if kind.hasCellState {
            if let problem = length("c_prev", l.cPrev) ?? length("c", l.c) { return problem }
        } else if l.c != nil || l.cPrev != nil {
            return "c/c_prev are given, but only an LSTM has a cell state"
        }
        let preNames = kind.gateNames.isEmpty ? ["h"] : kind.gateNames
        if let problem = gatesProblem("gates", l.gates, names: kind.gateNames, hidden: h) { return problem }
        if let pre = l.preactivations, let problem = gatesProblem("preactivations", pre, names: preNames, hidden: h) { return problem }
        if let g = l.grad {
            if let problem = length("grad.h", g.h) { return problem }
            if kind.hasCellState, let c = g.c, let problem = length("grad.c", c) { return problem }
            if let gates = g.gates, let problem = gatesProblem("grad.gates", gates, names: preNames, hidden: h) { return problem }
        }
        return nil
    }

    private func gatesProblem(_ field: String, _ gates: [String: [Double]], names: [String], hidden: Int) -> String? {
        guard Set(gates.keys) == Set(names) else {
            let given = gates.keys.sorted().map { TerminalText.escaped(String($0.prefix(20))) }.joined(separator: " ")
            return "\(field) are [\(given)], expected [\(names.joined(separator: " "))] for \(cellDisplayName)"
        }
        for name in names where gates[name]!.count != hidden {
            return "\(field).\(name) has \(gates[name]!.count) numbers, expected \(hidden) (hidden_size)"
        }
        return nil
    }
}

/// A short reason from a JSON decoding failure.
public func describeDecodingError(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, let context):
        let at = context.codingPath.map(\.stringValue).joined(separator: ".")
        return "missing \"\(TerminalText.escaped(key.stringValue))\"" + (at.isEmpty ? "" : " at \(at)")
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
        return "wrong value at \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
    case DecodingError.dataCorrupted(let context):
        return context.underlyingError.map { "invalid JSON: \($0.localizedDescription)" } ?? context.debugDescription
    default:
        return "\(error)"
    }
}
