/// Lesson text, or an empty-state hint; a question shows its choices, then the revealed answer.
struct NarrationPanel: View {
    let state: AppState
    let theme: Theme

    func render(in area: Rect, into buffer: inout Buffer) {
        guard let n = state.narration else {
            let inner = buffer.box(area, title: "Lesson", focused: isFocused(.narration, state), theme: theme)
            let text = "No lesson: press ? for keys, ←/→ to step through the sequence, b to see backpropagation."
            for (i, l) in wrap(theme.text(text), width: max(1, inner.width - 2)).enumerated() where i < inner.height {
                buffer.put(l, x: inner.x + 1, y: inner.y + i, in: inner, style: theme.dim, theme: theme)
            }
            return
        }
        let inner = buffer.box(area, title: n.title, focused: isFocused(.narration, state), theme: theme, rightTitle: n.progress)
        guard inner.height > 0, inner.width > 4 else { return }
        let w = inner.width - 2
        var lines: [(String, Style)] = []
        for (i, p) in n.paragraphs.enumerated() {
            if i > 0 { lines.append(("", theme.plain)) }
            lines += wrap(theme.text(p), width: w).map { ($0, theme.plain) }
        }
        if let q = n.question {
            if !lines.isEmpty { lines.append(("", theme.plain)) }
            lines += wrap(theme.text("? " + q.prompt), width: w).map { ($0, theme.bold) }
            for (i, c) in q.choices.enumerated() {
                let letter = QuestionState.letter(i)
                var style = theme.plain
                var mark = "  "
                if let a = q.answer {
                    if i == q.correctIndex { style = theme.good; mark = "✓ " }
                    else if i == a { style = theme.error; mark = "✗ " }
                }
                if i == q.answer { style.modifiers.insert(.underline) }
                for (j, l) in wrap(theme.text("\(letter)) \(c)"), width: max(1, w - 2)).enumerated() {
                    lines.append((theme.text(j == 0 ? mark : "  ") + l, style))
                }
            }
            if let a = q.answer {
                let verdict = q.correctIndex == nil ? "You predicted \(QuestionState.letter(a))."
                    : a == q.correctIndex ? "Right." : "Not quite: the answer is \(QuestionState.letter(q.correctIndex ?? 0))."
                lines += wrap(theme.text(verdict + " " + q.explanation), width: w).map { ($0, theme.bold) }
            } else {
                lines.append((theme.text("press a letter to answer"), theme.dim))
            }
        }
        // Show the end (question and answer) when it does not all fit: that is what the learner acts on.
        let start = max(0, lines.count - inner.height)
        for (i, l) in lines.dropFirst(n.question != nil ? start : 0).prefix(inner.height).enumerated() {
            buffer.put(l.0, x: inner.x + 1, y: inner.y + i, in: inner, style: l.1, theme: theme)
        }
    }
}
