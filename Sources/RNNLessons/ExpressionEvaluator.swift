import Foundation
import RNNEngine
import RNNTrace

/// The value of a placeholder expression.
public enum LessonValue: Equatable, Sendable {
    case number(Double)
    case integer(Int)
    case text(String)
    case vector([Double])

    /// The value as a number, if it is one.
    public var numeric: Double? {
        switch self {
        case .number(let v): return v
        case .integer(let i): return Double(i)
        case .text, .vector: return nil
        }
    }

    /// The value written for narration.
    public func formatted(_ format: PlaceholderFormat = .automatic) -> String {
        switch self {
        case .text(let s): return s
        case .integer(let i):
            if case .percent = format { return NumberText.placeholder(Double(i), .percent) }
            return String(i)
        case .number(let v): return NumberText.placeholder(v, format)
        case .vector(let vs): return "[" + vs.map { NumberText.placeholder($0, format) }.joined(separator: ", ") + "]"
        }
    }
}

/// Why an expression has no value in this run (e.g. `target` at the last step).
public struct EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Computes expressions against a `LessonRun` at one step of the primary cell.
public struct ExpressionEvaluator: Sendable {
    public var run: LessonRun
    /// The step being shown (t).
    public var step: Int

    public init(run: LessonRun, step: Int) {
        self.run = run
        self.step = step
    }

    public func evaluate(_ expression: Expression) throws(EvaluationError) -> LessonValue {
        try evaluate(expression, cell: run.primary)
    }

    private func cellRun(_ cell: CellKind) throws(EvaluationError) -> LessonRun.CellRun {
        guard let r = run.cells[cell] else {
            throw EvaluationError("no \(cell.displayName) run is loaded for this lesson")
        }
        return r
    }

    private func evaluate(_ expression: Expression, cell: CellKind) throws(EvaluationError) -> LessonValue {
        switch expression {
        case .number(let v):
            return .number(v)
        case .inCell(let other, let inner):
            return try evaluate(inner, cell: other)
        case let .after(text, inner):
            guard let model = try cellRun(cell).model else {
                throw EvaluationError("after \"\(text)\" needs the lesson's model (a replayed trace has none)")
            }
            let trace: Recording
            do {
                trace = Recording(run: try model.run(text), model: model, modelName: "")
            } catch {
                throw EvaluationError("after \"\(text)\": \(error.description)")
            }
            var other = self
            other.run.cells[cell] = LessonRun.CellRun(trace: trace, model: model)
            other.step = trace.stepCount - 1
            return try other.evaluate(inner, cell: cell)
        case .term(let term):
            return try evaluate(term, in: try cellRun(cell))
        case .function(let f, let inner):
            return try apply(f, try evaluate(inner, cell: cell))
        case .binary(let f, let a, let b):
            let left = try evaluate(a, cell: cell), right = try evaluate(b, cell: cell)
            // Counts stay counts (`times hidden_size input_size` prints 48, not 48.0).
            if case .integer(let i) = left, case .integer(let j) = right {
                switch f {
                case .plus: return .integer(i &+ j)
                case .diff: return .integer(i &- j)
                case .times: return .integer(i &* j)
                case .ratio, .power: break
                }
            }
            let x = try number(left, for: f.rawValue), y = try number(right, for: f.rawValue)
            switch f {
            case .diff: return .number(x - y)
            case .plus: return .number(x + y)
            case .times: return .number(x * y)
            case .power: return .number(Foundation.pow(x, y))
            case .ratio:
                guard y != 0 else { throw EvaluationError("ratio divides by zero (the second value is 0)") }
                return .number(x / y)
            }
        case let .probability(reference, stepSelector, temperature):
            return try probability(reference, stepSelector, temperature, in: try cellRun(cell))
        case .sample(let temperature):
            guard let text = run.samples[temperature] else {
                throw EvaluationError("no text was sampled at temperature \(NumberText.placeholder(temperature, .automatic))")
            }
            return .text(text)
        case .novelty(let temperature):
            guard let text = run.samples[temperature] else {
                throw EvaluationError("no text was sampled at temperature \(NumberText.placeholder(temperature, .automatic))")
            }
            guard let corpus = run.corpus else { throw EvaluationError("novelty needs the corpus the model was trained on") }
            guard let share = SampleNovelty.newWindowShare(sample: text, corpus: corpus) else {
                throw EvaluationError("the sample at temperature \(NumberText.placeholder(temperature, .automatic)) is shorter than \(SampleNovelty.defaultWindow) characters")
            }
            return .number(share)
        }
    }

    private func number(_ value: LessonValue, for what: String) throws(EvaluationError) -> Double {
        guard let v = value.numeric else {
            throw EvaluationError("\(what) needs a number, got \(value.formatted())")
        }
        return v
    }

    private func stepIndex(_ selector: StepSelector?, count: Int) throws(EvaluationError) -> Int {
        let s = selector?.resolve(current: step, count: count) ?? step
        guard s >= 0 && s < count else {
            throw EvaluationError("step \(s) is outside the sequence (steps 0 to \(count - 1))")
        }
        return s
    }

    private func evaluate(_ term: Term, in cellRun: LessonRun.CellRun) throws(EvaluationError) -> LessonValue {
        let value = try rawValue(term, in: cellRun)
        guard let index = term.index else { return value }
        guard case .vector(let vs) = value else {
            throw EvaluationError("\(term.name) is not a vector and cannot be indexed")
        }
        let i = index < 0 ? vs.count + index : index
        guard i >= 0 && i < vs.count else {
            throw EvaluationError("\(term.name)[\(index)] is out of range: \(term.name) has \(vs.count) values (0 to \(vs.count - 1))")
        }
        return .number(vs[i])
    }

    private func rawValue(_ term: Term, in cellRun: LessonRun.CellRun) throws(EvaluationError) -> LessonValue {
        let trace = cellRun.trace
        let name = term.name
        if LessonName.isStepValue(name) {
            let s = try stepIndex(term.step, count: trace.stepCount)
            return try stepValue(name, step: s, in: cellRun)
        }
        switch name {
        case "T": return .integer(trace.stepCount)
        case "mean_loss":
            guard let loss = trace.loss else { throw EvaluationError("the run has no loss") }
            return .number(loss)
        case "hidden_size": return .integer(trace.hiddenSize)
        case "input_size": return .integer(trace.inputSize)
        case "vocab_size": return .integer(trace.vocab.count)
        case "params": return .integer(try parameterCount(cellRun))
        case "unrolled_params": return .integer(try parameterCount(cellRun) * trace.stepCount)
        case "cell": return .text(trace.cellDisplayName)
        case "param_grad_norm":
            return .number(try parameterGradientNorm(trace))
        case "clip":
            guard let clip = run.clipNorm else { throw EvaluationError("this lesson does not clip gradients (no clip: in its recipe)") }
            return .number(clip)
        case "clipped_grad_norm":
            // What clipping leaves: the norm scaled down to `clip` when above it, unchanged otherwise.
            guard let clip = run.clipNorm else { throw EvaluationError("this lesson does not clip gradients (no clip: in its recipe)") }
            return .number(Swift.min(try parameterGradientNorm(trace), clip))
        case "step_us", "sequence_us":
            guard let us = cellRun.microsecondsPerStep else {
                throw EvaluationError("the time per step is measured only when the lesson runs its own model")
            }
            return .number(name == "step_us" ? us : us * Double(trace.stepCount))
        case "epochs": return .integer(cellRun.epochLosses.count)
        case "epoch_loss":
            guard !cellRun.epochLosses.isEmpty else {
                throw EvaluationError("this model was not trained in the lesson: there is no loss per epoch")
            }
            return .vector(cellRun.epochLosses)
        case "grad_norms":
            var norms: [Double] = []
            for t in 0..<trace.stepCount {
                guard let g = trace.step(t).grad else { throw EvaluationError("the run has no gradients (backward pass not recorded)") }
                norms.append(g.hNorm)
            }
            return .vector(norms)
        case "losses":
            return .vector(trace.stepLosses.compactMap { $0 })
        case _ where LessonName.probes[name] != nil:
            guard let value = cellRun.probes.scalars[name] else {
                throw EvaluationError("\(name) was not measured for the \(trace.cellDisplayName): \(Self.probeNeeds(name))")
            }
            return name == "corpus_lines" ? .integer(Int(value)) : .number(value)
        default:
            throw EvaluationError("unknown name \"\(name)\"")
        }
    }

    /// Why a probe can be missing, in the words of the lesson file.
    static func probeNeeds(_ name: String) -> String {
        switch LessonName.probes[name] {
        case .recallTask?: return "it needs corpus_generator: recall … in the recipe"
        case .sineTask?: return "it needs corpus_generator: sine … in the recipe"
        case .classificationRecipe?: return "it needs a next-token training recipe"
        case .recipe?: return "it needs a training recipe"
        case .regression?: return "it needs task: regression"
        case .model?, nil: return "it needs the lesson's model (a replayed trace has none)"
        }
    }

    private func parameterGradientNorm(_ trace: Recording) throws(EvaluationError) -> Double {
        guard !trace.parameterGradients.isEmpty else { throw EvaluationError("the run has no parameter gradients") }
        let sumSquares = trace.parameterGradients.reduce(0.0) { acc, g in acc + g.values.reduce(0) { $0 + Double($1) * Double($1) } }
        return sumSquares.squareRoot()
    }

    private func parameterCount(_ cellRun: LessonRun.CellRun) throws(EvaluationError) -> Int {
        if let n = cellRun.parameterCount { return n }
        let n = cellRun.trace.parameterGradients.reduce(0) { $0 + $1.values.count }
        guard n > 0 else { throw EvaluationError("the parameter count is unknown (no parameter gradients in the run)") }
        return n
    }

    private func stepValue(_ name: String, step s: Int, in cellRun: LessonRun.CellRun) throws(EvaluationError) -> LessonValue {
        let trace = cellRun.trace
        let st = trace.step(s)
        let regression = trace.isRegression
        let cellName = trace.cellDisplayName
        switch name {
        case "t": return .integer(s)
        case "token": return .text(st.token)
        case "target":
            if regression {
                guard let v = st.targetValue else { throw EvaluationError("step \(s) is the last step: it has no target") }
                return .number(v)
            }
            guard let id = st.target else { throw EvaluationError("step \(s) is the last step: it has no target") }
            return .text(token(id, trace))
        case "predicted":
            if regression {
                guard let v = st.prediction else { throw EvaluationError("step \(s) has no prediction") }
                return .number(v)
            }
            guard let id = argmax(st.probs) else { throw EvaluationError("step \(s) has no probabilities") }
            return .text(token(id, trace))
        case "prediction":
            guard let v = st.prediction else { throw EvaluationError("step \(s) has no numeric prediction (not a regression model)") }
            return .number(v)
        case "target_value":
            guard let v = st.targetValue else { throw EvaluationError("step \(s) has no numeric target") }
            return .number(v)
        case "loss":
            guard let v = st.loss else { throw EvaluationError("step \(s) has no loss (the last step has no target)") }
            return .number(v)
        case "grad_norm":
            guard let g = st.grad else { throw EvaluationError("the run has no gradients (backward pass not recorded)") }
            return .number(g.hNorm)
        case "x": return .vector(st.x)
        case "h": return .vector(st.h)
        case "h_prev": return .vector(st.hPrev)
        case "c", "c_prev":
            guard let v = name == "c" ? st.c : st.cPrev else { throw EvaluationError("the \(cellName) has no cell state c (only the LSTM has one)") }
            return .vector(v)
        case "logits": return .vector(st.logits)
        case "probs": return .vector(st.probs)
        case "grad.h":
            guard let g = st.grad else { throw EvaluationError("the run has no gradients (backward pass not recorded)") }
            return .vector(g.h)
        case "grad.c":
            guard let v = st.grad?.c else { throw EvaluationError("the \(cellName) run has no gradient for c") }
            return .vector(v)
        case "divergence", "divergence_c":
            guard let values = name == "divergence" ? cellRun.probes.divergence : cellRun.probes.cellDivergence, s < values.count else {
                throw EvaluationError(name == "divergence_c" && trace.cell != .lstm
                    ? "the \(cellName) has no cell state c (only the LSTM has one)"
                    : "\(name) needs contrast: in the front matter (a second input with as many tokens) and the lesson's model")
            }
            return .number(values[s])
        case "grad_x_norm", "grad_local_norm", "grad_recurrent_norm":
            let values = name == "grad_x_norm" ? cellRun.probes.inputGradientNorms
                : name == "grad_local_norm" ? cellRun.probes.localGradientNorms : cellRun.probes.recurrentGradientNorms
            guard s < values.count else { throw EvaluationError("\(name) needs the lesson's model (a replayed trace has none)") }
            return .number(values[s])
        case "f_keep":
            // ∏ f over steps 1…s: the share of c after step 0 that the forget gates alone let through to step s.
            guard trace.cell.gates.contains(.forget) else { throw EvaluationError("the \(cellName) has no forget gate f (only the LSTM has one)") }
            var keep = [Double](repeating: 1, count: trace.hiddenSize)
            for k in stride(from: 1, through: s, by: 1) {
                guard let f = trace.step(k).gate(.forget), f.count == keep.count else { break }
                for u in keep.indices { keep[u] *= f[u] }
            }
            return .vector(keep)
        default:
            if let gate = LessonName.gradientOfGate(name) {
                guard let v = Gate(rawValue: gate).flatMap({ st.grad?.gate($0) }) else {
                    throw EvaluationError("the \(cellName) run has no gradient for gate \(gate)")
                }
                return .vector(v)
            }
            guard let v = Gate(rawValue: name).flatMap({ st.gate($0) }) else {
                let gates = trace.cell.gates.map(\.symbol)
                throw EvaluationError("the \(cellName) has no gate \(name)"
                    + (gates.isEmpty ? " (it has no gates)" : " (its gates: \(gates.joined(separator: " ")))"))
            }
            return .vector(v)
        }
    }

    private func token(_ id: Int, _ trace: Recording) -> String {
        id >= 0 && id < trace.vocab.count ? trace.vocab[id] : "#\(id)"
    }

    private func probability(_ reference: TokenReference, _ selector: StepSelector?, _ temperature: Double?,
                             in cellRun: LessonRun.CellRun) throws(EvaluationError) -> LessonValue {
        let trace = cellRun.trace
        guard !trace.isRegression else { throw EvaluationError("prob needs a next-token model, not a regression model") }
        let s = try stepIndex(selector, count: trace.stepCount)
        let st = trace.step(s)
        var probs = st.probs
        if let temperature {
            probs = Softmax.probabilities(logits: st.logits, temperature: temperature)
        }
        let id: Int
        switch reference {
        case .target:
            guard let t = st.target else { throw EvaluationError("step \(s) is the last step: it has no target") }
            id = t
        case .predicted:
            guard let a = argmax(probs) else { throw EvaluationError("step \(s) has no probabilities") }
            id = a
        case .literal(let text):
            guard let i = trace.vocab.firstIndex(of: text) else {
                throw EvaluationError("\"\(text)\" is not in the model's vocabulary")
            }
            id = i
        }
        guard id >= 0 && id < probs.count else { throw EvaluationError("token id \(id) has no probability") }
        return .number(probs[id])
    }

    private func apply(_ f: LessonFunction, _ value: LessonValue) throws(EvaluationError) -> LessonValue {
        switch f {
        case .abs: return .number(Swift.abs(try number(value, for: "abs")))
        case .log10:
            let v = try number(value, for: "log10")
            guard v > 0 else { throw EvaluationError("log10 needs a positive number, got \(NumberText.placeholder(v, .automatic))") }
            return .number(Foundation.log10(v))
        default: break
        }
        guard case .vector(let vs) = value else {
            throw EvaluationError("\(f.rawValue) needs a vector (such as h, f or probs), got \(value.formatted())")
        }
        guard !vs.isEmpty else { throw EvaluationError("\(f.rawValue) of an empty vector") }
        switch f {
        case .mean: return .number(vs.reduce(0, +) / Double(vs.count))
        case .sum: return .number(vs.reduce(0, +))
        case .min: return .number(vs.min()!)
        case .max: return .number(vs.max()!)
        case .norm: return .number(vs.reduce(0) { $0 + $1 * $1 }.squareRoot())
        case .argmax: return .integer(argmax(vs)!)
        case .argmin: return .integer(vs.indices.min { vs[$0] < vs[$1] }!)
        case .abs, .log10: return value  // handled above; listed so the switch stays exhaustive
        }
    }
}

/// Index of the largest value (the first one on ties, like PyTorch's argmax); nil when empty.
func argmax(_ vs: [Double]) -> Int? {
    guard var best = vs.indices.first else { return nil }
    for i in vs.indices where vs[i] > vs[best] { best = i }
    return best
}

