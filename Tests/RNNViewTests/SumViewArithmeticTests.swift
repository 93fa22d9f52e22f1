import Foundation
import RNNEngine
import RNNLessons
import RNNTrace
import Testing
import TestSupport
@testable import RNNView

/// Reads the sum view's lines as a student would: every printed "… = numbers = result" is recomputed from
/// the numbers exactly as printed, and must give the printed result within its printed precision; and the
/// result of each chain is the value the engine recorded.
@Suite struct SumViewArithmeticTests {
    static let cases = GoldenFiles.singleLayerCases + ["rnn_relu_word_onehot"]

    @Test(arguments: cases)
    func everyPrintedLineAddsUp(_ name: String) throws {
        let recording = try ModelFixtures.recording(name)
        let steps = [0, recording.stepCount / 2, recording.stepCount - 1]
        let units = [0, 1, recording.hiddenSize - 1]
        var checked = 0
        for mode in StepMode.allCases {
            for t in steps {
                for u in units {
                    let lines = SumView.lines(recording: recording, step: t, unit: u, mode: mode, cover: .none)
                    #expect(lines.contains { $0.kind == .live }, "\(name) \(mode) t=\(t) u=\(u): no live line")
                    for line in lines where line.kind == .live {
                        for form in line.forms { checked += try check(form, context: "\(name) \(mode) t=\(t) u=\(u)") }
                    }
                }
            }
        }
        #expect(checked > 100, "only \(checked) lines recomputed")
    }

    @Test func stackedLayersAddUpToo() throws {
        let full = try ModelFixtures.recording("lstm2_word_embed")
        for k in 0..<full.layerCount {
            let recording = full.layerView(k)
            for mode in StepMode.allCases {
                for line in SumView.lines(recording: recording, step: 1, unit: 2, mode: mode, cover: .none) where line.kind == .live {
                    for form in line.forms { _ = try check(form, context: "layer \(k) \(mode)") }
                }
            }
        }
    }

    /// Each chain ends in the number it explains: h_t, c_t and the gates forward, dL/dh_t and the
    /// pre-activation gradients backward, as the engine recorded them.
    @Test(arguments: cases)
    func chainsEndInTheRecordedValues(_ name: String) throws {
        let recording = try ModelFixtures.recording(name)
        for t in [0, recording.stepCount - 2] {
            let u = 1
            let step = recording.step(t)
            let forward = results(SumView.lines(recording: recording, step: t, unit: u, mode: .forward, cover: .none))
            try expectClose(forward["h_t"], step.h[u], "\(name) h_t at t=\(t)")
            if let c = step.c { try expectClose(forward["c_t"], c[u], "\(name) c_t") }
            for gate in recording.cell.gates {
                let label = forward.keys.first { $0.hasPrefix(gate.rawValue + " (") }
                try expectClose(label.flatMap { forward[$0] }, step.gate(gate)![u], "\(name) gate \(gate.rawValue)")
            }
            let backward = results(SumView.lines(recording: recording, step: t, unit: u, mode: .backward, cover: .none))
            let grad = try #require(step.grad)
            try expectClose(backward["dL/dh_t"], grad.h[u], "\(name) dL/dh_t at t=\(t)")
            if let dc = grad.c { try expectClose(backward["dL/dc_t"], dc[u], "\(name) dL/dc_t") }
            if recording.cell.isPlainRNN {
                let dPre = Double(recording.layers[0].dPreactivations[t * recording.hiddenSize + u])
                try expectClose(backward["dL/da_t"], dPre, "\(name) dL/da_t")
            }
            for gate in recording.cell.gates {
                try expectClose(backward["dL/da_\(gate.rawValue)"], grad.gate(gate)![u], "\(name) dL/da_\(gate.rawValue)")
            }
        }
    }

    /// Below the top layer dL/dh_t comes from the layer above (through its W_ih), not from the loss.
    @Test func lowerLayerGradientComesFromTheLayerAbove() throws {
        let full = try ModelFixtures.recording("lstm2_word_embed")
        let bottom = full.layerView(0)
        for t in [0, 2, full.stepCount - 1] {
            let lines = SumView.lines(recording: bottom, step: t, unit: 3, mode: .backward, cover: .none)
            #expect(lines.contains { $0.forms[0].hasPrefix("from the layer above = ") })
            try expectClose(results(lines)["dL/dh_t"], try #require(bottom.step(t).grad).h[3], "layer 1 dL/dh_t at t=\(t)")
        }
    }

    @Test func smallGradientsArePrintedSoTheProductHolds() {
        // The example behind the rule: 0.02·(1 − (−0.99978)²) must not print h as −1.00.
        let h = -0.99978, dh = 0.02
        let line = SumLine.live("dL/da", nil, .product([.number(dh), .oneMinus(.square(.number(h)))]),
                                result: dh * (1 - h * h), priority: 0)
        #expect(throws: Never.self) { _ = try check(line.forms[0], context: "tanh' near saturation") }
        #expect(line.forms[0].contains("e-6"), "\(line.forms[0])")
    }

    @Test func traceFileWithoutWeightsSaysHowToGetThem() throws {
        let trace = try Fixtures.trace("rnn_tanh_word_onehot")
        let text = SumView.lines(recording: trace, step: 1, unit: 0, mode: .forward, cover: .none).flatMap(\.forms).joined(separator: "\n")
        #expect(text.contains("trace file carries no weights"))
        #expect(text.contains("rnnscope view --model"))
    }

    // MARK: - Reading the printed text back

    /// The results of the lines by label (the part before the first " = "), read from the fullest form.
    private func results(_ lines: [SumLine]) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in lines where line.kind == .live {
            let parts = line.forms[0].components(separatedBy: " = ")
            if let value = PrintedNumber.parse(parts.last!) { out[parts[0]] = value }
        }
        return out
    }

    private func expectClose(_ printed: Double?, _ recorded: Double, _ what: String) throws {
        let value = try #require(printed, "\(what): no such line")
        #expect(abs(value - recorded) <= PrintedNumber.halfUnit(recorded, digits: 4) * 2 + 1e-6 * abs(recorded),
                "\(what): printed \(value), recorded \(recorded)")
    }

    /// Recomputes one printed line; returns 1 when it had numbers to recompute, 0 when its only number is
    /// the result (a one-hot column, a single term).
    @discardableResult
    private func check(_ form: String, context: String) throws -> Int {
        let parts = form.components(separatedBy: " = ")
        guard parts.count >= 3 else { Issue.record("\(context): too few parts in \(form)"); return 0 }
        let numbers = parts[parts.count - 2], resultText = parts.last!
        guard let result = PrintedNumber.parse(resultText) else {
            Issue.record("\(context): result not a number in \(form)"); return 0
        }
        guard let value = PrintedExpression(numbers)?.value else {
            // Only a symbolic part may stand where the numbers are (a one-hot column, a single term).
            let symbolic = numbers.contains { $0.isLetter }
            #expect(symbolic, "\(context): cannot read the numbers of \(form)")
            return 0
        }
        let half = PrintedNumber.halfUnit(ofPrinted: resultText)
        let tolerance = half + max(half, 0.001 * abs(result)) + 1e-15
        #expect(abs(value - result) <= tolerance, "\(context): \(numbers) gives \(value), printed \(resultText)")
        return 1
    }
}

/// A recursive-descent reader of the printed numbers: + − · ², parentheses, tanh σ relu, numbers with an
/// optional exponent. Knows nothing of the view's tree: it reads only the text.
struct PrintedExpression {
    private(set) var value: Double
    private var characters: [Character]
    private var position = 0

    init?(_ text: String) {
        characters = Array(text.replacingOccurrences(of: " ", with: ""))
        value = 0
        guard let v = try? parseSum(), position == characters.count else { return nil }
        value = v
    }

    private struct Failure: Error {}

    private var current: Character? { position < characters.count ? characters[position] : nil }

    private mutating func parseSum() throws -> Double {
        var v = try parseProduct()
        while let c = current, c == "+" || c == "−" || c == "-" {
            position += 1
            let rhs = try parseProduct()
            v = c == "+" ? v + rhs : v - rhs
        }
        return v
    }

    private mutating func parseProduct() throws -> Double {
        var v = try parsePower()
        while current == "·" { position += 1; v *= try parsePower() }
        return v
    }

    private mutating func parsePower() throws -> Double {
        let v = try parseUnary()
        if current == "²" { position += 1; return v * v }
        return v
    }

    private mutating func parseUnary() throws -> Double {
        if current == "−" || current == "-" { position += 1; return -(try parseUnary()) }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws -> Double {
        if current == "(" {
            position += 1
            let v = try parseSum()
            guard current == ")" else { throw Failure() }
            position += 1
            return v
        }
        for (name, f) in [("tanh", { (x: Double) in tanh(x) }), ("σ", { 1 / (1 + exp(-$0)) }), ("relu", { max(0, $0) })] {
            let n = Array(name + "(")
            if position + n.count <= characters.count, Array(characters[position..<(position + n.count)]) == n {
                position += n.count
                let v = try parseSum()
                guard current == ")" else { throw Failure() }
                position += 1
                return f(v)
            }
        }
        var text = ""
        while let c = current, c.isASCII && (c.isNumber || c == ".") { text.append(c); position += 1 }
        if current == "e" {
            text.append("e"); position += 1
            if current == "-" || current == "−" { text.append("-"); position += 1 }
            while let c = current, c.isASCII && c.isNumber { text.append(c); position += 1 }
        }
        guard let v = Double(text) else { throw Failure() }
        return v
    }
}

/// A line too wide for the view is broken into rows that read back as the same line: nothing is cut, so
/// what a student adds up on a narrow screen is what the tests above recompute.
@Suite struct SumLineBreakingTests {
    @Test(arguments: [24, 30, 40, 44, 60])
    func brokenRowsJoinBackToTheLine(_ width: Int) throws {
        let recording = try ModelFixtures.recording("gru_word_embed")
        var broken = 0
        for mode in StepMode.allCases {
            for line in SumView.lines(recording: recording, step: 3, unit: 2, mode: mode, cover: .none) where line.kind == .live {
                let text = line.forms.last!
                let rows = SumView.breakLive(text, width: width)
                if rows.count > 1 { broken += 1 }
                var joined = rows[0]
                for row in rows.dropFirst() {
                    let trimmed = String(row.drop { $0 == " " })
                    joined += trimmed.hasPrefix("·") ? trimmed : " " + trimmed
                }
                #expect(joined == text, "width \(width):\n\(rows.joined(separator: "\n"))")
                #expect(rows.allSatisfy { $0.count <= width }, "width \(width):\n\(rows.joined(separator: "\n"))")
            }
        }
        #expect(broken > 0)
    }
}
