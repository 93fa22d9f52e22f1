import Foundation
import RNNEngine

/// Numbers a lesson measures by running its model on more than its own input: every key of a recall task
/// in every context, a sine wave at every phase, the baselines a number needs, the contrast input, the
/// cost of the recurrence. They let a lesson's claims be checked on inputs it never showed.
public struct LessonProbes: Sendable {
    /// Whole-run values by placeholder name (`recall_min`, `unigram_loss`, …; see `LessonName.probes`).
    public var scalars: [String: Double] = [:]
    /// ‖h_t − h′_t‖ per step, h′ from the lesson's `contrast:` input.
    public var divergence: [Double]?
    /// ‖c_t − c′_t‖ per step (LSTM).
    public var cellDivergence: [Double]?
    /// ‖dL/dx_t‖ per step: how strongly the lesson's loss reacts to the input read at step t — the signal
    /// training has for learning what to do with that input, whatever path (h or c) it took back.
    public var inputGradientNorms: [Double] = []
    /// The two parts of dL/dh_t: ‖W_hyᵀ·dL/dy_t‖ from step t's own output (with the 1/N of the mean loss),
    /// and ‖dL/dh_t − that‖, what flows back from step t+1 through the recurrence.
    public var localGradientNorms: [Double] = []
    public var recurrentGradientNorms: [Double] = []

    public init() {}

    /// Measures what `lesson` can use for the model of one of its cells.
    ///
    /// `names` are the placeholder names the lesson uses: timings and σ_max are measured only when asked
    /// for, so opening a lesson stays quick.
    /// `run` is the lesson's own run of `model` over its input (as `LessonRunner.sequenceRun` makes it).
    public static func measure(_ model: RNNModel, lesson: Lesson, run: SequenceRun, names: Set<String>) throws(EngineError) -> LessonProbes {
        var probes = LessonProbes()
        if let recipe = lesson.model.recipe {
            probes.scalars["corpus_lines"] = Double(recipe.sequences.texts(of: recipe.corpus).count)
            if model.task == .classification {
                probes.scalars["unigram_loss"] = try unigramLoss(model, recipe: recipe, text: lesson.input)
            }
            switch recipe.generator {
            case .recall(let task)?: try probes.measureRecall(model, task: task, seed: recipe.seed)
            case .sine(let task)?: probes.measurePhases(model, task: task, count: model.tokenizer.tokenize(lesson.input).count,
                                                        seed: recipe.seed)
            case nil: break
            }
        }
        if model.task == .regression {
            probes.scalars["persistence_mse"] = try persistenceMSE(model, text: lesson.input, lastOnly: lesson.lossOnLastStep)
        }
        if let contrast = lesson.contrast {
            let a = run.forward, b = try model.run(contrast).forward
            let steps = min(a.steps, b.steps)
            probes.divergence = (0..<steps).map { distance(a.h($0), b.h($0)) }
            if model.cell.hasCellState { probes.cellDivergence = (0..<steps).map { distance(a.c($0), b.c($0)) } }
        }
        if names.contains("sigma_max_whh") {
            probes.scalars["sigma_max_whh"] = model.parameters.layers[0].weightHH.largestSingularValue
        }
        probes.inputGradientNorms = inputGradientNorms(run, weightIH: model.parameters.layers[0].weightIH)
        (probes.localGradientNorms, probes.recurrentGradientNorms) = hiddenGradientParts(run, headWeight: model.parameters.headWeight)
        if !names.isDisjoint(with: LessonName.timingProbes) { probes.measureTimings(model) }
        return probes
    }

    // MARK: - Recall

    /// p(key) at the recall step for every key, read from the zero state and after one sentence of every key;
    /// with several fillers, each case is read with three different draws of them.
    private mutating func measureRecall(_ model: RNNModel, task: RecallTask, seed: UInt64) throws(EngineError) {
        var random = SeededGenerator(seed: seed ^ 0x2EC0)
        let draws = task.fillers.count == 1 ? 1 : 3
        var zero: [Double] = [], after: [Double] = []
        for key in task.keys {
            for _ in 0..<draws {
                zero.append(try recallProbability(model, text: task.sentence(key, random: &random), key: key))
                guard model.vocabulary.id(of: ".") != nil else { continue }
                for earlier in task.keys {
                    after.append(try recallProbability(model, text: task.sentence(key, after: [earlier], random: &random), key: key))
                }
            }
        }
        scalars["recall_min_zero"] = zero.min()
        scalars["recall_min_after"] = after.min()
        scalars["recall_min"] = (zero + after).min()
        scalars["recall_mean"] = (zero + after).reduce(0, +) / Double(zero.count + after.count)
    }

    /// The probability of `key` at the last step that has a target (the recall step) of `text`.
    private func recallProbability(_ model: RNNModel, text: String, key: String) throws(EngineError) -> Double {
        let (_, inputs, targets) = try model.encode(text)
        let forward = model.parameters.forward(inputs, targets: targets, task: model.task)
        let probabilities = forward.probabilities(forward.steps - 2)
        return Double(probabilities[probabilities.startIndex + model.vocabulary.id(of: key)!])
    }

    // MARK: - Time series

    /// The model against "the next value equals this one" on windows of the wave at twelve phases.
    private mutating func measurePhases(_ model: RNNModel, task: SineTask, count: Int, seed: UInt64) {
        var random = SeededGenerator(seed: seed ^ 0x9A5E)
        var worst = (ratio: -Double.infinity, model: 0.0, persistence: 0.0)
        for k in 0..<12 {
            let values = task.values(count: max(count, 3), phase: Double(k) * task.period / 12, random: &random)
            let floats = values.map { Float($0) }
            let forward = model.parameters.forward(.numbers(floats), targets: .nextNumbers(floats), task: .regression)
            var modelError = 0.0, persistenceError = 0.0
            for t in 0..<(values.count - 1) {
                let prediction = Double(forward.logits(t).first!)
                modelError += (prediction - values[t + 1]) * (prediction - values[t + 1])
                persistenceError += (values[t] - values[t + 1]) * (values[t] - values[t + 1])
            }
            let ratio = modelError / max(persistenceError, 1e-12)
            if ratio > worst.ratio {
                worst = (ratio, modelError / Double(values.count - 1), persistenceError / Double(values.count - 1))
            }
        }
        scalars["worst_phase_ratio"] = worst.ratio
        scalars["worst_phase_mse"] = worst.model
        scalars["worst_phase_persistence"] = worst.persistence
    }

    /// Mean squared error of predicting each next value by the current one, over the steps the loss takes.
    static func persistenceMSE(_ model: RNNModel, text: String, lastOnly: Bool) throws(EngineError) -> Double {
        let values = try model.encode(text).tokens.map { Double($0) ?? 0 }
        var steps = Array(0..<max(0, values.count - 1))
        if lastOnly, let last = steps.last { steps = [last] }
        guard !steps.isEmpty else { return 0 }
        return steps.reduce(0) { $0 + ($1 < values.count - 1 ? pow(values[$1 + 1] - values[$1], 2) : 0) } / Double(steps.count)
    }

    // MARK: - Baselines and the recurrence

    /// Cross-entropy on the input's targets of a model that knows only how often each token occurs in the
    /// training corpus (a unigram model): what the network's loss should beat.
    public static func unigramLoss(_ model: RNNModel, recipe: TrainingRecipe, text: String) throws(EngineError) -> Double? {
        var counts: [String: Int] = [:]
        var total = 0
        for sequence in recipe.sequences.texts(of: recipe.corpus) {
            for token in model.tokenizer.tokenize(sequence) { counts[token, default: 0] += 1; total += 1 }
        }
        var targets = Array(model.tokenizer.tokenize(text).dropFirst())
        if recipe.lossOn == .lastStep, let last = targets.last { targets = [last] }
        guard !targets.isEmpty, total > 0 else { return nil }
        var loss = 0.0
        for token in targets {
            // A token the corpus never had would cost infinitely much: no baseline then.
            guard let count = counts[token] else { return nil }
            loss -= log(Double(count) / Double(total))
        }
        return loss / Double(targets.count)
    }

    /// Microseconds for forward + BPTT over T = 10, 100, 1000 steps, each step waiting for the one before,
    /// and for the same multiply-adds of W_hh written as one matrix product over 1000 positions that do not
    /// wait for each other (how a model without recurrence spends them). Best of a few runs: a measurement,
    /// different on every machine.
    private mutating func measureTimings(_ model: RNNModel) {
        let vocabularySize = max(1, model.vocabulary.count)
        for length in [10, 100, 1000] {
            let inputs: SequenceInputs = model.task == .regression
                ? .numbers((0..<length).map { Float(sin(Double($0) / 3)) })
                : .tokens((0..<length).map { $0 % vocabularySize })
            let targets: SequenceTargets = switch inputs {
            case .numbers(let v): .nextNumbers(v)
            case .tokens(let ids): .nextTokens(ids)
            case .vectors: .tokens([])
            }
            scalars["sequence_us_\(length)"] = Self.bestMicroseconds {
                let forward = model.parameters.forward(inputs, targets: targets, task: model.task)
                _ = model.parameters.backward(forward)
            }
        }
        // h ← tanh(W·h) for 1000 positions: as a chain, each product waiting for the one before, and as one
        // matrix product over 1000 given states (the same multiply-adds, no waiting).
        let weights = model.parameters.layers[0].weightHH
        let size = weights.cols
        let transposed = Matrix(rows: size, cols: weights.rows, values: (0..<size).flatMap { c in
            (0..<weights.rows).map { weights[$0, c] }
        })
        let start = Matrix(rows: 1, cols: size, values: (0..<size).map { Float(($0 % 7) - 3) / 7 })
        scalars["chain_us_1000"] = Self.bestMicroseconds {
            var h = start
            for _ in 0..<1000 {
                let product = h.times(transposed)
                h = Matrix(rows: 1, cols: size, values: product.values.prefix(size).map { Float(Foundation.tanh(Double($0))) })
            }
        }
        let states = Matrix(rows: 1000, cols: size, values: (0..<(1000 * size)).map { Float(($0 % 7) - 3) / 7 })
        scalars["batched_us_1000"] = Self.bestMicroseconds {
            _ = states.times(transposed).values.map { Foundation.tanh($0) }
        }
    }

    private static func bestMicroseconds(_ body: () -> Void) -> Double {
        var best = Double.infinity
        let started = DispatchTime.now().uptimeNanoseconds
        for repetition in 0..<20 {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            let end = DispatchTime.now().uptimeNanoseconds
            best = min(best, Double(end - start) / 1000)
            if repetition >= 2 && end - started > 30_000_000 { break }
        }
        return best
    }

    /// dL/dx_t = W_ihᵀ · dL/d(pre-activations at t) of the bottom layer, the same for every cell (the GRU's input part of n is
    /// not scaled by r).
    static func inputGradientNorms(_ run: SequenceRun, weightIH w: Matrix) -> [Double] {
        // The bottom layer is the one that reads x (in a stacked model the others read the layer below).
        let bottom = run.backward.layers[0]
        let preactivations = bottom.gateCount * bottom.hiddenSize
        return (0..<bottom.steps).map { t in
            let dPre = bottom.dPreactivations[(t * preactivations)..<((t + 1) * preactivations)]
            var sum = 0.0
            for c in 0..<w.cols {
                var dx = 0.0
                for (r, g) in zip(0..<w.rows, dPre) { dx += Double(w[r, c]) * Double(g) }
                sum += dx * dx
            }
            return sum.squareRoot()
        }
    }

    /// dL/dh_t split into its source at step t (W_hyᵀ·dL/dy_t) and the rest (from step t+1).
    static func hiddenGradientParts(_ run: SequenceRun, headWeight w: Matrix) -> (local: [Double], recurrent: [Double]) {
        let dLogits = Loss.logitGradients(run.forward)
        var local: [Double] = [], recurrent: [Double] = []
        for t in 0..<run.backward.steps {
            var localSquares = 0.0, restSquares = 0.0
            for (h, total) in zip(0..<w.cols, run.backward.dh(t)) {
                var part = 0.0
                for v in 0..<w.rows { part += Double(w[v, h]) * Double(dLogits[t * w.rows + v]) }
                localSquares += part * part
                restSquares += (Double(total) - part) * (Double(total) - part)
            }
            local.append(localSquares.squareRoot())
            recurrent.append(restSquares.squareRoot())
        }
        return (local, recurrent)
    }

    private static func distance(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }.squareRoot()
    }
}
