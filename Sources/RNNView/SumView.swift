import RNNLessons
import RNNTrace

/// "Where does this number come from": the selected unit's value at the selected step as the sum and the
/// nonlinearity that made it (forward), or its gradient as what reaches it from the loss and from step t+1
/// (backward), every term a live number and every printed line adding up.
struct SumView: ScreenView {
    let input: ScreenInput
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
        let content = inner.inset(dx: 1, dy: 0)
        let charts = GradientNormCharts(recording: recording, step: step, cover: cover, theme: theme)
        // Backward, the gradient norms of every step below the lines when both fit: the chart never takes
        // rows the lines need.
        let lineRows = draw(lines, in: content, into: &buffer, dryRun: true)
        let chartRows = mode == .backward && !cover.gradients ? charts.height(limit: 8) : 0
        if chartRows > 0, content.height - lineRows - 1 >= chartRows {
            draw(lines, in: Rect(x: content.x, y: content.y, width: content.width, height: lineRows), into: &buffer)
            charts.render(in: Rect(x: content.x, y: content.maxY - chartRows, width: content.width, height: chartRows), into: &buffer)
        } else {
            draw(lines, in: content, into: &buffer)
        }
    }

    /// Every line the view would draw with unlimited room, in order.
    static func lines(recording: Recording, step: Int, unit: Int, mode: StepMode, cover: QuestionCover) -> [SumLine] {
        if mode == .backward && cover.gradients || mode == .forward && cover.gates && !recording.cell.isPlainRNN {
            let what = mode == .backward ? "The gradients" : "The gate values"
            return [.note("\(what) behind this number are shown once you answer the lesson's question.", priority: 0)]
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

    /// Draws the lines that fit: each in its first form no wider than the area (else its most compact one
    /// broken at " = " and then at its terms), the least important dropped first when rows run short, and a
    /// last line saying how many were left out.
    @discardableResult
    private func draw(_ lines: [SumLine], in area: Rect, into buffer: inout Buffer, dryRun: Bool = false) -> Int {
        let entries = lines.map { line -> (line: SumLine, rows: [String]) in
            if let form = line.forms.first(where: { theme.text($0).count <= area.width }) { return (line, [form]) }
            return (line, line.kind == .live ? Self.breakLive(line.forms.last!, width: area.width)
                                             : wrap(line.forms.last!, width: area.width))
        }
        // Drop whole priority levels, least important first, until the rest fits (with a row for the note
        // of what was dropped); the rows left over go to the first lines of the level dropped last.
        let maxLevel = entries.map(\.line.priority).max() ?? 0
        func rows(below p: Int) -> Int { entries.filter { $0.line.priority < p }.reduce(0) { $0 + $1.rows.count } }
        var level = maxLevel + 1
        while level > 1, rows(below: level) + (level <= maxLevel ? 1 : 0) > area.height { level -= 1 }
        var room = area.height - rows(below: level) - (level <= maxLevel ? 1 : 0)
        var kept: [(line: SumLine, rows: [String])] = []
        for entry in entries {
            if entry.line.priority < level { kept.append(entry) }
            else if entry.line.priority == level, entry.rows.count <= room { kept.append(entry); room -= entry.rows.count }
        }
        let hidden = entries.count - kept.count
        // Blank separators are not worth a line at the top or after another blank.
        kept = kept.enumerated().filter { i, e in e.line.kind != .blank || (i > 0 && kept[i - 1].line.kind != .blank) }.map(\.element)
        var y = area.y
        if dryRun { return min(area.height, kept.reduce(0) { $0 + $1.rows.count } + (hidden > 0 ? 1 : 0)) }
        for entry in kept {
            for (i, row) in entry.rows.enumerated() where y < area.maxY {
                drawRow(entry.line.kind, row, first: i == 0, last: i == entry.rows.count - 1, y: y, in: area, into: &buffer)
                y += 1
            }
        }
        if hidden > 0, y < area.maxY {
            buffer.put("(\(hidden) more line\(hidden == 1 ? "" : "s") on a larger screen)", x: area.x, y: y, in: area,
                       style: theme.dim, theme: theme)
            y += 1
        }
        return y - area.y
    }

    /// "label = a = b = c" on rows of at most `width`, broken before a " = ", a " + " / " − " or a "·" outside
    /// parentheses, as late as the row allows; continuation rows are indented.
    static func breakLive(_ text: String, width: Int) -> [String] {
        var pieces: [String] = []
        var current = ""
        var depth = 0
        let chars = Array(text)
        for (i, c) in chars.enumerated() {
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            let startsTerm = c == " " && i + 2 < chars.count && "=+−".contains(chars[i + 1]) && chars[i + 2] == " "
            if depth == 0, !current.isEmpty, startsTerm || c == "·" {
                pieces.append(current)
                current = ""
            }
            current.append(c)
        }
        pieces.append(current)
        var rows: [String] = []
        var row = ""
        for piece in pieces {
            if row.isEmpty || row.count + piece.count <= width { row += piece; continue }
            rows.append(row)
            let trimmed = String(piece.drop { $0 == " " })
            row = (trimmed.hasPrefix("=") ? "  " : "    ") + trimmed
        }
        rows.append(row)
        return rows.flatMap { $0.count > width ? wrap($0, width: width) : [$0] }
    }

    /// Notes dimmed; a live line's label in the label colour (first row) and its result in bold (last row).
    private func drawRow(_ kind: SumLine.Kind, _ text: String, first: Bool, last: Bool, y: Int, in area: Rect,
                         into buffer: inout Buffer) {
        switch kind {
        case .blank: return
        case .heading: buffer.put(text, x: area.x, y: y, in: area, style: theme.title, theme: theme)
        case .note: buffer.put(text, x: area.x, y: y, in: area, style: theme.dim, theme: theme)
        case .live:
            var x = area.x
            var rest = Substring(text)
            if first, let r = rest.range(of: " = ") {
                x += buffer.put(String(rest[..<r.lowerBound]), x: x, y: y, in: area, style: theme.label, theme: theme)
                rest = rest[r.lowerBound...]
            }
            if last, let r = rest.range(of: "= ", options: .backwards) {
                x += buffer.put(String(rest[..<r.upperBound]), x: x, y: y, in: area, theme: theme)
                buffer.put(String(rest[r.upperBound...]), x: x, y: y, in: area, style: theme.bold, theme: theme)
            } else {
                buffer.put(String(rest), x: x, y: y, in: area, theme: theme)
            }
        }
    }
}
