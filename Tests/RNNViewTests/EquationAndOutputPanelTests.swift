import Foundation
import RNNLessons
import Testing
@testable import RNNView
import RNNTrace

/// What the equation and output panels claim, checked against the trace's own numbers: the 1/N of the
/// mean loss, the regression head, the output layer of every cell, why a step has no loss, and operands
/// that do not contradict the printed result.
@Suite("Equation and output panels")
struct EquationAndOutputPanelTests {
    func equations(_ trace: Recording, step: Int, mode: StepMode, unit: Int = 0) -> [String] {
        var state = AppState(trace: trace, options: ViewOptions())
        state.jump(toStep: step)
        state.selectUnit(unit)
        state.setMode(mode)
        return EquationPanel.lines(Scene(state), width: 200, full: true).map(\.text)
    }

    func frame(_ trace: Recording, step: Int) -> String {
        var state = AppState(trace: trace, options: ViewOptions(colorMode: .monochrome))
        state.jump(toStep: step)
        return renderFrame(state, width: 120, height: 40).lines.joined(separator: "\n")
    }

    /// The golden LSTM trace as a next-number model: ŷ_t and y_t per step, MSE losses, none at the end.
    func regressionTrace() throws -> Recording {
        var trace = try Fixtures.trace("lstm_word_embed")
        trace.task = .regression
        trace.outputSize = 1
        trace.probabilities = []
        trace.logits = (0..<trace.stepCount).map { Float(0.5 + 0.1 * Double($0)) }
        trace.targetValues = []
        for t in 0..<trace.stepCount {
            trace.targets[t] = nil
            let isLast = t == trace.stepCount - 1
            trace.targetValues.append(isLast ? nil : 0.4 + 0.05 * Double(t))
            trace.stepLosses[t] = trace.targetValues[t].map { pow(Double(trace.logits[t]) - $0, 2) }
        }
        return trace
    }

    /// The golden tanh trace scored the way a `loss_on: last_step` lesson scores it: only the last target.
    func lastTargetOnlyTrace() throws -> Recording {
        var trace = try Fixtures.trace("rnn_tanh_word_onehot")
        let scored = trace.stepCount - 2
        for t in 0..<trace.stepCount where t != scored {
            trace.targets[t] = nil
            trace.stepLosses[t] = nil
        }
        return trace
    }

    @Test(arguments: Fixtures.cases)
    func backwardShowsTheMeanLossOneOverNWithTheLiveN(_ name: String) throws {
        let trace = try Fixtures.trace(name)
        let n = trace.stepLosses.filter { $0 != nil }.count
        let lines = equations(trace, step: 2, mode: .backward)
        #expect(lines.contains { $0.hasPrefix("dL/dh_t = W_hyᵀ(p_t − 1_y)/N + ") }, "\(lines)")
        // dL/dy_t at the target is (p − 1)/N; the line redoes it with this step's p and the trace's N.
        let step = trace.step(2)
        let target = try #require(step.target)
        let p = step.probs[target]
        let line = try #require(lines.first { $0.hasPrefix("dL/dy_t[") }, "\(lines)")
        #expect(line.hasSuffix("(\(NumberText.short(p)) − 1)/\(n) = \(NumberText.short((p - 1) / Double(n)))"), "\(line)")
    }

    @Test func regressionBackwardShowsTheSquaredErrorTermNotSoftmax() throws {
        let trace = try regressionTrace()
        let lines = equations(trace, step: 2, mode: .backward)
        #expect(lines.contains { $0.hasPrefix("dL/dh_t = W_hyᵀ·2(ŷ_t − y_t)/N + ") }, "\(lines)")
        #expect(!lines.joined().contains("p_t"), "\(lines)")
        // ŷ = 0.7, y = 0.5, N = 6 steps with a target: 2(0.7 − 0.5)/6.
        #expect(lines.contains("dL/dŷ_t = 2(ŷ − y)/N = 2(0.70 − 0.50)/6 = 0.067"), "\(lines)")
        let forward = equations(trace, step: 2, mode: .forward)
        #expect(forward.contains("ŷ_t = W_hy h_t + b_y"), "\(forward)")
        #expect(!forward.joined().contains("softmax"), "\(forward)")
        #expect(forward.contains("L_t = (ŷ − y)² = (0.70 − 0.50)² = 0.040"), "\(forward)")
    }

    @Test(arguments: Fixtures.cases)
    func everyCellShowsTheOutputLayer(_ name: String) throws {
        let lines = equations(try Fixtures.trace(name), step: 2, mode: .forward)
        #expect(lines.contains("y_t = W_hy h_t + b_y"), "\(lines)")
        #expect(lines.contains("p_t = softmax(y_t)"), "\(lines)")
    }

    @Test func aStepWithoutALossSaysWhy() throws {
        let trace = try lastTargetOnlyTrace()
        let last = trace.stepCount - 1
        let early = frame(trace, step: 1)
        #expect(early.contains("no loss at this step: only the target at t=\(last - 1) counts"), "\(early)")
        #expect(!early.contains("last step"), "\(early)")
        let end = frame(trace, step: last)
        #expect(end.contains("last step: no next token"), "\(end)")
        #expect(!end.contains("no loss at this step"), "\(end)")
        let backward = equations(trace, step: 1, mode: .backward)
        #expect(backward.contains("no loss at this step: the W_hy term is 0 (N = 1)"), "\(backward)")
    }

    @Test func operandsAreShownPreciselyEnoughToGiveThePrintedResult() throws {
        // The review's case: h = -0.99782 printed as -1.00 made dh·(1−h²) read 0.02·(1−(-1.00)²) = 8.74e-05.
        var trace = try Fixtures.trace("rnn_tanh_word_onehot")
        trace.setH(step: 2, unit: 0, -0.99782)
        trace.setGradH(step: 2, unit: 0, 0.020067)
        let line = try #require(equations(trace, step: 2, mode: .backward).first { $0.hasPrefix("dL/da[0]") })
        #expect(line == "dL/da[0] = dh·(1−h²) = 0.0201·(1−(-0.9978)²) = 8.74e-05", "\(line)")
        // Ordinary values keep two decimals.
        #expect(NumberText.operandDecimals([0.5, 0.25], result: 0.125) { $0[0] * $0[1] } == 2)
        // −log p with p close to 1: the printed p must not be 1.000 while the loss is not 0.
        #expect(NumberText.probability(0.99999, loss: 1.0e-5) == "0.99999")
        #expect(NumberText.probability(0.905, loss: 0.0998) == "0.905")
    }
}
