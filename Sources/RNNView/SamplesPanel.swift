import Foundation
import RNNLessons
import RNNEngine

/// Text sampled from a language model at several temperatures (lesson 10), one wrapped block per
/// temperature ("T=0.5: Alice was …"), and the next-token distribution softmax(logits / T) for the
/// current step at 2–3 temperatures side by side, so that the same logits are seen sharpened (T < 1)
/// and flattened (T > 1).
///
/// The distribution rows are the top-k tokens by logit — the same tokens in the same order at every
/// positive temperature — then the highlighted (target) token if it is not among them, then the
/// probability of all the other tokens together, so that each column adds up to 100%.
/// Whitespace tokens are drawn visibly ("␣", "⏎"; ASCII "_", "\n"); newlines in samples as "⏎".
struct SamplesPanel: ThemedPanel, Sendable {
    /// Generated text per temperature, in display order.
    var samples: [(temperature: Double, text: String)]
    /// The model's scores for the next token at the current step, one per vocabulary entry.
    var logits: [Double]
    var vocab: [String]
    /// Temperatures of the side-by-side distributions (2–3 read best; as many as fit are shown).
    var temperatures: [Double]
    /// The token to mark in the distribution (the real next token), if any.
    var highlighted: Int?
    /// Rows of the distribution before the "others" row.
    var topK: Int
    /// What the model has read so far, for the distribution's heading ("next after "Alice was"").
    var context: String?
    var title: String

    init(samples: [(temperature: Double, text: String)], logits: [Double], vocab: [String],
                temperatures: [Double], highlighted: Int? = nil, topK: Int = 5, context: String? = nil,
                title: String = "Sampling at different temperatures") {
        self.samples = samples
        self.logits = logits
        self.vocab = vocab
        self.temperatures = temperatures
        self.highlighted = highlighted
        self.topK = max(1, topK)
        self.context = context
        self.title = title
    }

    /// softmax(logits / temperature). T ≤ 0 is greedy (all probability on the first largest logit),
    /// T = +Inf uniform over the finite logits; a NaN or +Inf logit, or a NaN temperature, makes every
    /// probability NaN (shown as "NaN", never hidden). -Inf logits get probability 0.
    static func probabilities(logits: [Double], temperature: Double) -> [Double] {
        Softmax.probabilities(logits: logits, temperature: temperature)
    }

    func render(in area: Rect, into buffer: inout Buffer, theme: Theme, focused: Bool = false) {
        let inner = buffer.box(area, title: title, focused: focused, theme: theme)
        let content = inner.inset(dx: 1, dy: 0)
        guard !content.isEmpty else { return }

        let labelW = samples.map { temperatureLabel($0.temperature).count + 2 }.max() ?? 0
        let blocks = samples.map { wrap(theme.text(visibleText($0.text)), width: max(1, content.width - labelW)) }
        var rows = distributionRows(k: topK, theme: theme)
        // The distribution: a heading rule, the temperatures, the token rows.
        let distWant = rows.isEmpty ? 0 : rows.count + 2
        let sampleWant = blocks.map(\.count).reduce(0, +)

        // Samples keep one line each; the distribution needs its headings, a row and "others" to be useful.
        var distRows = 0, sampleRows = min(content.height, sampleWant)
        if sampleWant + distWant <= content.height {
            distRows = distWant
        } else {
            let room = content.height - min(samples.count, content.height)
            distRows = room >= min(distWant, 4) ? min(distWant, room) : 0
            sampleRows = max(0, content.height - distRows)
        }
        drawSamples(&buffer, blocks: blocks, rows: sampleRows, labelW: labelW, in: content, theme: theme)
        if distRows > 0 && distRows < distWant {
            // Fewer token rows, but still the "others" row, so that each column still adds up to 100%.
            rows = distributionRows(k: max(1, distRows - 3), theme: theme)
        }
        if distRows > 0 {
            let y = content.y + sampleRows
            drawDistribution(&buffer, rows: rows, in: Rect(x: content.x, y: y, width: content.width, height: distRows),
                             theme: theme)
        }
    }

    // MARK: - Samples

    /// "T=0.5", "T=1.0", "T=0.25".
    private func temperatureLabel(_ t: Double) -> String {
        if let special = NumberText.special(t) { return "T=\(special)" }
        let tenths = (t * 10).rounded()
        return "T=" + (abs(t * 10 - tenths) < 1e-9 ? String(format: "%.1f", t) : NumberText.short(t, decimals: 2))
    }

    /// Newlines as "⏎", other whitespace and control characters as "␣"; spaces stay spaces (they are
    /// where the text wraps).
    private func visibleText(_ s: String) -> String {
        String(s.map { ch -> Character in
            if ch == " " { return ch }
            if ch.isNewline { return "⏎" }
            if ch.isWhitespace || ch.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return "␣" }
            return ch
        })
    }

    /// Gives every sample one line, then more lines in order while there is room; a cut block ends "…".
    private func drawSamples(_ buffer: inout Buffer, blocks: [[String]], rows: Int, labelW: Int, in area: Rect,
                             theme: Theme) {
        guard rows > 0 else { return }
        var lines = blocks.map { $0.isEmpty ? 0 : 1 }
        var left = rows - lines.reduce(0, +)
        for i in blocks.indices where left > 0 {
            let extra = min(left, blocks[i].count - lines[i])
            lines[i] += extra
            left -= extra
        }
        var y = area.y
        for (i, block) in blocks.enumerated() where y < area.y + rows {
            buffer.put(temperatureLabel(samples[i].temperature) + ":", x: area.x, y: y, in: area, style: theme.label, theme: theme)
            if samples[i].text.isEmpty {
                buffer.put("(empty)", x: area.x + labelW, y: y, in: area, style: theme.dim, theme: theme)
            }
            for (j, line) in block.prefix(lines[i]).enumerated() where y < area.y + rows {
                var text = line
                if j == lines[i] - 1, lines[i] < block.count {
                    text = String(line.prefix(max(0, area.width - labelW - 1))) + theme.ellipsis
                }
                buffer.put(text, x: area.x + labelW, y: y, in: area, theme: theme)
                y += 1
            }
            if block.isEmpty || lines[i] == 0 { y += 1 }
        }
    }

    // MARK: - Distribution

    private struct Row {
        /// Token index, or nil for the "others" row.
        let token: Int?
        let name: String
        /// Probability at each temperature.
        let p: [Double]
    }

    /// Top-k rows (the target forced in), then "others"; empty without logits or temperatures.
    private func distributionRows(k: Int, theme: Theme) -> [Row] {
        guard !logits.isEmpty, !temperatures.isEmpty else { return [] }
        let probs = temperatures.map { Self.probabilities(logits: logits, temperature: $0) }
        let ranked = logits.indices.sorted { a, b in
            let la = logits[a].isNaN ? -.infinity : logits[a], lb = logits[b].isNaN ? -.infinity : logits[b]
            return la != lb ? la > lb : a < b
        }
        var shown = Array(ranked.prefix(k))
        // The target always gets a row, replacing the last one, so that its probability is visible.
        if let target = highlighted, logits.indices.contains(target), !shown.contains(target) { shown[shown.count - 1] = target }
        var rows = shown.map { id in
            Row(token: id, name: theme.text(displayToken(id < vocab.count ? vocab[id] : "#\(id)")), p: probs.map { $0[id] })
        }
        let hidden = logits.count - shown.count
        if hidden > 0 {
            let set = Set(shown)
            let rest = probs.map { p in p.indices.reduce(0.0) { set.contains($1) ? $0 : $0 + p[$1] } }
            rows.append(Row(token: nil, name: "\(hidden) others", p: rest))
        }
        return rows
    }

    /// Heading "next after "Alice was"   T=0.5 sharper   T=1.0   T=2.0 flatter", then one row per token:
    /// name, and per temperature a bar and a percentage.
    private func drawDistribution(_ buffer: inout Buffer, rows: [Row], in area: Rect, theme: Theme) {
        let marker = theme.ascii ? ">" : "▶"
        let tokenNames = rows.filter { $0.token != nil }.map(\.name.count)
        let othersW = rows.last?.token == nil ? 2 + (rows.last?.name.count ?? 0) : 0
        let nameW = min(14, max(5, (tokenNames.max() ?? 0) + 2, othersW) + 1)
        let pctW = 6
        // As many temperatures as leave each at least a 2-column bar.
        let fitting = max(1, min(temperatures.count, (area.width - nameW) / (pctW + 4)))
        let colW = max(1, (area.width - nameW) / fitting)
        let barW = max(0, colW - pctW - 2)

        // "── next token after "Alice was": softmax(logits / T) ────" separates the table from the samples.
        let heading = (context.map { "next token after \"\(visibleText($0))\"" } ?? "next token") + ": softmax(logits / T)"
        let rule = String(theme.horizontal)
        var x = area.x + buffer.put(rule + " ", x: area.x, y: area.y, in: area, style: theme.border, theme: theme)
        x += buffer.put(heading, x: x, y: area.y, in: area, style: theme.label, theme: theme)
        if x < area.maxX {
            buffer.put(" " + String(repeating: rule, count: area.maxX - x), x: x, y: area.y, in: area, style: theme.border, theme: theme)
        }
        guard area.height > 1 else { return }
        for (k, t) in temperatures.prefix(fitting).enumerated() {
            let cx = area.x + nameW + k * colW
            var label = temperatureLabel(t)
            if t.isFinite, t != 1, colW >= label.count + 9 { label += t < 1 ? " sharper" : " flatter" }
            buffer.put(label, x: cx, y: area.y + 1, in: area, style: theme.label, theme: theme)
        }

        for (r, row) in rows.prefix(max(0, area.height - 2)).enumerated() {
            let y = area.y + 2 + r
            let isTarget = row.token != nil && row.token == highlighted
            let isOthers = row.token == nil
            let name = isOthers && row.name.count > nameW - 3 ? "others" : row.name
            let nameText = (isTarget ? marker + " " : "  ") + name
            buffer.put(String(nameText.prefix(nameW - 1)), x: area.x, y: y, in: area,
                       style: isTarget ? theme.target : isOthers ? theme.dim : theme.plain, theme: theme)
            for (k, p) in row.p.prefix(fitting).enumerated() {
                let cx = area.x + nameW + k * colW
                let style = isTarget ? theme.targetBar : isOthers ? theme.dim : theme.bar
                buffer.bar(p, x: cx, y: y, width: barW, in: area, style: style, theme: theme)
                let pText = p.isFinite ? String(format: "%5.1f%%", p * 100) : NumberText.pad(NumberText.special(p) ?? "?", pctW - 1, right: true)
                buffer.put(pText, x: cx + barW + 1, y: y, in: area,
                           style: p.isFinite ? (isTarget ? theme.target : theme.plain) : theme.nonFinite, theme: theme)
            }
        }
    }
}
