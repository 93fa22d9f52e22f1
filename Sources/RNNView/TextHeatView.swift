import Foundation
import RNNLessons
import RNNTrace

/// `--view text` (after Karpathy's "visualizing and understanding RNNs"): the whole input with each token's
/// background coloured by one unit's value (h, c, a gate or a gradient, the overview's quantity), its value
/// printed under it so it reads without colour, and under that the model's top-5 guesses for the next
/// token (regression: the prediction and the target). Wraps over lines; scrolls to keep the selected
/// step in view.
struct TextHeatView: ScreenView {
    let input: ScreenInput
    let quantity: OverviewQuantity
    /// The quantity's value that gets the full colour (1 for states and gates, the largest gradient else).
    let scale: Double
    let theme: Theme

    var title: String { "Text coloured by \(quantity.label) of unit \(unit)" }

    private var guessRows: Int { recording.isRegression ? 2 : min(5, recording.outputSize) }

    /// Rows of one line of tokens: the tokens, their values, the guesses, a blank.
    private func band(guesses: Int) -> Int { 2 + guesses + 1 }

    private var cellWidth: Int {
        let longest = recording.tokens.prefix(500).map { displayToken($0).count }.max() ?? 1
        return min(14, max(recording.isRegression ? 9 : 10, longest + 1))
    }

    func render(in area: Rect, into buffer: inout Buffer) {
        let inner = buffer.box(area, title: title, focused: false, theme: theme, rightTitle: "o: quantity  ↑/↓: unit")
        guard inner.width > 4, inner.height > 1, recording.stepCount > 0 else { return }
        let legendLines = Array(wrap(theme.text(legend), width: inner.width - 2).prefix(2))
        for (i, line) in legendLines.enumerated() {
            buffer.put(line, x: inner.x + 1, y: inner.y + i, in: inner, style: theme.dim, theme: theme)
        }
        drawScale(x: inner.x + 1, y: inner.y + legendLines.count, in: inner, into: &buffer)
        let top = legendLines.count + 2
        let body = Rect(x: inner.x + 1, y: inner.y + top, width: inner.width - 2, height: inner.height - top)
        guard body.height > 0 else { return }
        let perLine = max(1, body.width / cellWidth)
        let lineCount = (recording.stepCount + perLine - 1) / perLine
        // As many guesses as leave room for two lines of tokens (one if that is all); none when even that
        // does not fit.
        var guesses = guessRows
        while guesses > 0 && body.height < min(2, lineCount) * band(guesses: guesses) - 1 { guesses -= 1 }
        let visibleLines = max(1, body.height / band(guesses: guesses))
        let firstLine = windowStart(selected: step / perLine, count: lineCount, fit: visibleLines)
        for line in firstLine..<min(lineCount, firstLine + visibleLines) {
            let y = body.y + (line - firstLine) * band(guesses: guesses)
            for t in (line * perLine)..<min(recording.stepCount, (line + 1) * perLine) {
                drawToken(t, x: body.x + (t - line * perLine) * cellWidth, y: y, guesses: guesses, in: body, into: &buffer)
            }
        }
    }

    private var legend: String {
        let under = recording.isRegression ? "the prediction ŷ and the target y" : "the top guesses for the next token"
        return "Each token's colour: \(quantity.label)[\(unit)] after reading it; under it the value, then \(under)."
    }

    /// Swatches of the colour scale from −scale to +scale.
    private func drawScale(x: Int, y: Int, in area: Rect, into buffer: inout Buffer) {
        var cx = x
        cx += buffer.put("scale ", x: cx, y: y, in: area, style: theme.label, theme: theme)
        cx += buffer.put(WireNumber.text(-scale, gradient: scale < 0.01) + " ", x: cx, y: y, in: area, style: theme.dim, theme: theme)
        for k in -4...4 {
            let v = Double(k) / 4
            cx += buffer.put(String(theme.rampGlyph(v)), x: cx, y: y, in: area, style: theme.heat(v), theme: theme)
        }
        buffer.put(" " + WireNumber.text(scale, gradient: scale < 0.01), x: cx, y: y, in: area, style: theme.dim, theme: theme)
    }

    /// Whether a waiting question covers step t's value (`output`: its guesses and target instead).
    private func covered(_ t: Int, output: Bool) -> Bool {
        if cover.waiting && (output ? t >= cover.step : t > cover.step) { return true }
        if output { return cover.output }
        switch quantity {
        case .gate: return cover.gates
        case .gradH, .gradC: return cover.gradients
        case .hidden, .cell: return false
        }
    }

    private func drawToken(_ t: Int, x: Int, y: Int, guesses: Int, in area: Rect, into buffer: inout Buffer) {
        let w = cellWidth - 1
        let value = covered(t, output: false) ? nil : overviewSeries(recording, quantity, steps: t..<(t + 1))[0]?[unit]
        var style = value.map { theme.heat($0 / scale) } ?? theme.dim
        if t == step { style.modifiers.formUnion([.underline, .bold]) }
        let token = String(displayToken(recording.tokens[t]).prefix(w))
        buffer.put(NumberText.pad(token, w), x: x, y: y, in: area, style: style, theme: theme)
        let valueText = value.map { String(theme.rampGlyph($0 / scale)) + WireNumber.text($0, gradient: scale < 0.01) }
            ?? (covered(t, output: false) ? "?" : "–")
        buffer.put(String(valueText.prefix(w)), x: x, y: y + 1, in: area, style: t == step ? theme.bold : theme.dim, theme: theme)
        guard guesses > 0, !covered(t, output: true) else { return }
        let s = recording.step(t)
        if recording.isRegression {
            let rows = [("ŷ", s.prediction), ("y", s.targetValue)]
            for (i, row) in rows.prefix(guesses).enumerated() {
                let text = row.1.map { "\(row.0)\(WireNumber.text($0, gradient: false))" } ?? "\(row.0) –"
                buffer.put(String(text.prefix(w)), x: x, y: y + 2 + i, in: area, style: i == 1 ? theme.target : theme.plain, theme: theme)
            }
            return
        }
        let probs = s.probs
        guard !probs.isEmpty else { return }
        let top = probs.indices.sorted { probs[$0] > probs[$1] || (probs[$0] == probs[$1] && $0 < $1) }.prefix(guesses)
        for (i, id) in top.enumerated() {
            let p = String(format: "%.2f", probs[id]).replacingOccurrences(of: "0.", with: ".")
            let name = displayToken(recording.vocab.indices.contains(id) ? recording.vocab[id] : "?")
            let text = String(name.prefix(max(1, w - p.count - 1))) + " " + p
            buffer.put(text, x: x, y: y + 2 + i, in: area, style: id == s.target ? theme.target : theme.plain, theme: theme)
        }
    }
}
