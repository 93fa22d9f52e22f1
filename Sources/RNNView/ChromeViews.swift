import RNNTrace
import RNNLessons

/// Top bar: model, cell, step, mode, play scene.
struct HeaderView: View {
    let scene: Scene
    let theme: Theme

    func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        buffer.fill(area, with: Cell(" ", style: theme.headerBar))
        let t = scene.recording
        let play = scene.isPlaying ? "▶ playing ×\(speedText(scene.speed))" : "⏸ paused ×\(speedText(scene.speed))"
        let sep = theme.ascii ? " | " : " │ "
        let layers = scene.layerLabel.map { " \($0)" } ?? ""
        var parts = [" rnnscope", "", "\(t.cellDisplayName) H=\(t.hiddenSize)\(layers)",
                     timeLabel(scene.step, stepCount: scene.stepCount),
                     scene.mode == .forward ? "forward" : "backward (BPTT)", play]
        if let loss = scene.meanLoss, area.width >= 110 { parts.append("mean loss \(NumberText.short(loss))") }
        // The model name gets what the other parts leave, so that mode and play state always show.
        let fixed = theme.text(parts.joined(separator: sep)).count + 1
        let name = theme.text(scene.title)
        parts[1] = name.count <= area.width - fixed ? name : String(name.prefix(max(1, area.width - fixed - 1))) + theme.ellipsis
        buffer.put(parts.joined(separator: sep), x: area.x, y: area.y, in: area, style: theme.headerBar, theme: theme)
        let hint = "? help "
        let used = theme.text(parts.joined(separator: sep)).count
        if area.width - used > hint.count + 2 {
            buffer.put(hint, x: area.maxX - hint.count, y: area.y, in: area, style: theme.headerBar, theme: theme)
        }
    }
}

func speedText(_ s: Double) -> String {
    s == s.rounded() ? String(Int(s)) : NumberText.short(s, decimals: 2).replacingOccurrences(of: "0$", with: "", options: .regularExpression)
}

/// How a token is drawn: whitespace made visible, other control characters escaped (`\u{1b}`).
func displayToken(_ s: String) -> String {
    if s.isEmpty { return "∅" }
    if s == " " { return "␣" }
    if s == "\n" { return "⏎" }
    return TerminalText.escaped(String(s.map { $0.isWhitespace ? "␣" : $0 }))
}

/// The whole sequence, the current token highlighted, each step's target under it.
struct TokenStripView: View {
    let scene: Scene
    let theme: Theme

    func render(in area: Rect, into buffer: inout Buffer) {
        guard area.height >= 1, area.width > 10 else { return }
        let t = scene.recording
        let labelW = 8
        buffer.put("input", x: area.x + 1, y: area.y, in: area, style: theme.label, theme: theme)
        if area.height > 1 { buffer.put("target", x: area.x + 1, y: area.y + 1, in: area, style: theme.label, theme: theme) }
        let n = t.tokens.count
        guard n > 0 else { return }
        let avail = area.width - labelW - 2
        let cur = min(scene.step, n - 1)
        // Every token takes at least 3 columns, so only those within `avail` steps of the cursor can show:
        // the strip costs the same for 10 tokens or 10,000.
        let reach = max(1, avail)
        let window = max(0, cur - reach)..<min(n, cur + reach + 1)
        var tokens = [String](repeating: "", count: n), targets = [String](repeating: "", count: n)
        var widths = [Int](repeating: 3, count: n)
        // While a question waits, the targets from here on are covered: the learner predicts first.
        let coveredFrom = scene.cover.waiting ? cur : n
        for i in window {
            tokens[i] = theme.text(displayToken(t.tokens[i]))
            if i >= coveredFrom, i < t.stepCount, t.step(i).target != nil || t.step(i).targetValue != nil {
                targets[i] = "?"
            } else if i < t.stepCount {
                let step = t.step(i)
                if let id = step.target { targets[i] = theme.text(t.vocab.indices.contains(id) ? displayToken(t.vocab[id]) : "#\(id)") }
                else if let v = step.targetValue { targets[i] = theme.text(NumberText.short(v, decimals: 2)) }
                else { targets[i] = theme.text("—") }
            }
            widths[i] = max(tokens[i].count, targets[i].count) + 2
        }
        // Scroll: start far enough left that the cursor sits near the middle when the strip overflows.
        var start = 0
        if window.count < n || widths[window].reduce(0, +) > avail {
            var acc = widths[cur]
            start = cur
            while start > 0, acc + widths[start - 1] <= avail / 2 { start -= 1; acc += widths[start] }
        }
        var x = area.x + labelW + 1
        if start > 0 { buffer.put(theme.ellipsis, x: x - 1, y: area.y, in: area, style: theme.dim, theme: theme) }
        for i in start..<min(n, window.upperBound) {
            if x + widths[i] > area.maxX - 1 {
                buffer.put(theme.ellipsis, x: area.maxX - 1, y: area.y, in: area, style: theme.dim, theme: theme)
                break
            }
            let current = i == cur
            let tokStyle = current ? theme.highlight : theme.plain
            buffer.put(NumberText.pad(" " + tokens[i], widths[i] - 1), x: x, y: area.y, in: area, style: tokStyle, theme: theme)
            if area.height > 1, i < t.stepCount {
                let tgtStyle = current ? theme.target : theme.dim
                buffer.put(NumberText.pad(" " + targets[i], widths[i] - 1), x: x, y: area.y + 1, in: area, style: tgtStyle, theme: theme)
            }
            x += widths[i]
        }
    }
}

/// Bottom line: the edit field, or a message / warning, and key hints.
struct StatusLineView: View {
    let scene: Scene
    let theme: Theme

    func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        if let e = scene.edit {
            let prompt = "input › "
            buffer.put(prompt, x: area.x, y: area.y, in: area, style: theme.label, theme: theme)
            let hints = "  Enter run · Esc cancel"
            let hintW = theme.text(hints).count
            let fieldX = area.x + theme.text(prompt).count
            let fieldW = max(1, area.width - (fieldX - area.x) - hintW - 1)
            // Keep the cursor inside the visible part of a long field.
            let skip = max(0, e.cursor - fieldW + 1)
            let visible = String(e.text.dropFirst(skip).prefix(fieldW))
            buffer.put(visible, x: fieldX, y: area.y, in: area, style: theme.bold, theme: theme)
            let cx = fieldX + e.cursor - skip
            let under = e.cursor < e.text.count ? Array(e.text)[e.cursor] : " "
            buffer.put(String(under), x: cx, y: area.y, in: area, style: Style(modifiers: .reverse), theme: theme)
            buffer.put(hints, x: area.maxX - hintW, y: area.y, in: area, style: theme.dim, theme: theme)
            return
        }
        let hints: String
        if let q = scene.narration?.openQuestion, !q.choices.isEmpty {
            hints = "\(q.choices.count == 1 ? "1" : "1–\(q.choices.count)") answer · ←→ step · n/p lesson · ? help · q quit"
        } else if scene.comparison != nil {
            hints = scene.inLesson ? "←→ step · b fwd/back · c/Esc close · n/p lesson · ? help · q quit"
                : "←→ step · ↑↓ unit · c/Esc close · ? help · q quit"
        } else if scene.inLesson {
            hints = "←→ step · b fwd/back · ↑↓ unit · n/p lesson · ? help · q quit"
        } else {
            hints = "←→ step · space play · b fwd/back · ↑↓ unit · o overview · ? help · q quit"
        }
        var hintText = theme.text(theme.ascii ? hints.replacingOccurrences(of: " · ", with: "  ") : hints)
        var message: (String, Style)?
        if let s = scene.status {
            message = (s.text, s.kind == .error ? theme.error : s.kind == .warning ? theme.warning : theme.good)
        } else if let w = nonFiniteWarning(scene) {
            message = (w, theme.warning)
        } else if let s = scene.current, scene.cover.waiting {
            message = ("t=\(s.t) reads \"\(displayToken(s.token))\": predict first, then see", theme.dim)
        } else if let s = scene.current {
            // Nothing to report: say what this step does, in words.
            let next = s.target.flatMap { scene.recording.vocab.indices.contains($0) ? scene.recording.vocab[$0] : nil }
            let nextValue = s.targetValue.map { "t=\(s.t) reads \(displayToken(s.token)), should predict \(NumberText.short($0))" }
            let text = nextValue ?? next.map { "t=\(s.t) reads \"\(displayToken(s.token))\", should predict \"\(displayToken($0))\"" }
                ?? "t=\(s.t) reads \"\(displayToken(s.token))\" (\(s.t == scene.stepCount - 1 ? "last step" : "no loss at this step"))"
            message = (text, theme.dim)
        }
        let msgW = message.map { theme.text($0.0).count } ?? 0
        if msgW + hintText.count + 3 > area.width { hintText = theme.text(theme.ascii ? "? help  q quit" : "? help · q quit") }
        if msgW + hintText.count + 3 > area.width { hintText = "" }
        if let message {
            buffer.put(" " + message.0, x: area.x, y: area.y, in: area, style: message.1, theme: theme)
        }
        buffer.put(hintText, x: area.maxX - hintText.count - 1, y: area.y, in: area, style: theme.dim, theme: theme)
    }
}

/// While editing, an error gets its own line just above the field (over the panels' bottom border).
struct EditErrorLine: View {
    let scene: Scene
    let theme: Theme

    func render(in area: Rect, into buffer: inout Buffer) {
        guard scene.edit != nil, let s = scene.status, s.kind != .info, !area.isEmpty else { return }
        buffer.fill(area, with: .blank)
        buffer.put(" " + s.text, x: area.x, y: area.y, in: area, style: theme.error, theme: theme)
    }
}

/// One line naming non-finite values at the current step (or elsewhere in the trace).
func nonFiniteWarning(_ scene: Scene) -> String? {
    if let s = scene.current {
        let n = nonFiniteFields(s, cell: scene.recording.cell)
        if !n.isEmpty { return "! NaN/Inf at t=\(s.t) in \(n.joined(separator: ", ")): the run diverged (lower the learning rate?)" }
    }
    let badSteps = scene.statistics.nonFiniteSteps
    if let first = badSteps.first { return "! NaN/Inf values at \(badSteps.count) step(s), first at t=\(first)" }
    return nil
}

/// Centred box listing every key.
struct HelpOverlay: View {
    let theme: Theme

    func render(in area: Rect, into buffer: inout Buffer) {
        let keyW = keyBindings.map { theme.text($0.keys).count }.max() ?? 0
        let textW = keyBindings.map { theme.text($0.help).count }.max() ?? 0
        // A blank row above and below the keys where the screen has room for them (not at 80×24).
        let padding = area.height >= keyBindings.count + 4 ? 1 : 0
        let box = area.centered(width: keyW + textW + 7, height: keyBindings.count + 2 + 2 * padding)
        guard box.width >= 10, box.height >= 4 else { return }
        buffer.fill(box, with: .blank)
        let inner = buffer.box(box, title: "Keys", focused: true, theme: theme, rightTitle: "? glyphs & colours · any key closes")
        for (i, b) in keyBindings.enumerated() {
            let y = inner.y + padding + i
            buffer.put(NumberText.pad(theme.text(b.keys), keyW), x: inner.x + 1, y: y, in: inner, style: theme.label, theme: theme)
            buffer.put(b.help, x: inner.x + keyW + 3, y: y, in: inner, theme: theme)
        }
    }
}
