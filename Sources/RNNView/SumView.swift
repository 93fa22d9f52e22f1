import RNNLessons
import RNNTrace

/// "Where does this number come from": the selected unit's value at the selected step as the sum and the
/// nonlinearity that made it (forward), or its gradient as what reaches it from the loss and from step t+1
/// (backward), every term a live number and every printed line adding up.
struct SumView: View {
    let recording: Recording
    let step: Int
    let unit: Int
    let mode: StepMode
    let cover: QuestionCover
    let theme: Theme

    func render(in area: Rect, into buffer: inout Buffer) {
        let u = min(max(0, unit), max(0, recording.hiddenSize - 1))
        let what = mode == .forward ? "h_t[\(u)]" : "dL/dh_t[\(u)]"
        let token = recording.tokens.indices.contains(step) ? " \"\(displayToken(recording.tokens[step]))\"" : ""
        let layer = recording.layerCount > 1 ? ", layer \(recording.shownLayer + 1)/\(recording.layerCount)" : ""
        let inner = buffer.box(area, title: "Where \(what) comes from: t=\(step)\(token)\(layer)", focused: false, theme: theme,
                               rightTitle: "\(recording.cellDisplayName), \(mode == .forward ? "forward" : "backward")")
        guard inner.height > 0, inner.width > 4 else { return }
        let lines = Self.lines(recording: recording, step: step, unit: u, mode: mode, cover: cover)
        draw(lines, in: inner.inset(dx: 1, dy: 0), into: &buffer)
    }

    /// Every line the view would draw with unlimited room, in order.
    static func lines(recording: Recording, step: Int, unit: Int, mode: StepMode, cover: QuestionCover) -> [SumLine] {
        if mode == .backward && cover.gradients || mode == .forward && cover.gates && !recording.cell.isPlainRNN {
            return [.note("shown after you answer the question", priority: 0)]
        }
        guard recording.model != nil else {
            return [
                .note("A trace file carries no weights, so the sum behind this number cannot be shown.", "A trace file carries no weights.", priority: 0),
                .note("To see it, run the model: rnnscope view --model MODEL.safetensors --text \"…\"",
                      "rnnscope view --model M --text \"…\"", priority: 0),
            ]
        }
        guard let inputs = SumInputs(recording: recording, t: step, unit: unit) else {
            return [.note("no step \(step) in this recording", priority: 0)]
        }
        if mode == .backward {
            guard recording.hasGradients else { return [.note("this recording has no gradients", priority: 0)] }
            return SumBackward.lines(inputs)
        }
        return SumForward.lines(inputs)
    }

    /// Draws the lines that fit: each in its first form no wider than the area, the least important
    /// dropped first when rows run short, and a last line saying how many were left out.
    private func draw(_ lines: [SumLine], in area: Rect, into buffer: inout Buffer) {
        let fitting = lines.compactMap { line -> (SumLine, String)? in
            line.forms.first { theme.text($0).count <= area.width }.map { (line, $0) }
        }
        let tooWide = lines.count - fitting.count
        // Drop whole priority levels, least important first, until the rest fits; then give the rows left
        // over to the first lines of the level dropped last, in their order.
        var level = (fitting.map(\.0.priority).max() ?? 0) + 1
        func count(below p: Int) -> Int { fitting.filter { $0.0.priority < p || $0.0.kind == .heading }.count }
        while level > 1, count(below: level) + (level <= (fitting.map(\.0.priority).max() ?? 0) || tooWide > 0 ? 1 : 0) > area.height {
            level -= 1
        }
        let maxLevel = fitting.map(\.0.priority).max() ?? 0
        var room = area.height - count(below: level) - (tooWide > 0 || level <= maxLevel ? 1 : 0)
        var kept: [(SumLine, String)] = []
        for line in fitting {
            if line.0.priority < level || line.0.kind == .heading { kept.append(line) }
            else if line.0.priority == level, room > 0 { kept.append(line); room -= 1 }
        }
        let cut = fitting.count - kept.count
        // Blank separators are not worth a line at the top or after another blank.
        kept = kept.enumerated().filter { i, l in l.0.kind != .blank || (i > 0 && kept[i - 1].0.kind != .blank) }.map(\.element)
        var y = area.y
        for (line, text) in kept where y < area.maxY {
            drawLine(line, text, y: y, in: area, into: &buffer)
            y += 1
        }
        let hidden = tooWide + cut
        if hidden > 0, y < area.maxY {
            buffer.put("(\(hidden) more line\(hidden == 1 ? "" : "s") on a larger screen)", x: area.x, y: y, in: area,
                       style: theme.dim, theme: theme)
        }
    }

    /// The label in the label colour, the final result in bold, notes dimmed.
    private func drawLine(_ line: SumLine, _ text: String, y: Int, in area: Rect, into buffer: inout Buffer) {
        switch line.kind {
        case .blank: return
        case .heading: buffer.put(text, x: area.x, y: y, in: area, style: theme.title, theme: theme)
        case .note: buffer.put(text, x: area.x, y: y, in: area, style: theme.dim, theme: theme)
        case .live:
            guard let first = text.range(of: " = "), let last = text.range(of: " = ", options: .backwards) else {
                buffer.put(text, x: area.x, y: y, in: area, theme: theme)
                return
            }
            let label = String(text[..<first.lowerBound])
            let middle = String(text[first.lowerBound..<last.upperBound])
            let result = String(text[last.upperBound...])
            var x = area.x
            x += buffer.put(label, x: x, y: y, in: area, style: theme.label, theme: theme)
            x += buffer.put(middle, x: x, y: y, in: area, theme: theme)
            buffer.put(result, x: x, y: y, in: area, style: theme.bold, theme: theme)
        }
    }
}
