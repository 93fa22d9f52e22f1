import RNNLessons

/// Lesson text, or an empty-state hint; a question shows its choices, then the revealed live answer.
struct NarrationPanel: View {
    let scene: Scene
    let theme: Theme

    func render(in area: Rect, into buffer: inout Buffer) {
        guard let n = scene.narration else {
            let inner = buffer.box(area, title: "Lesson", focused: scene.isFocused(.narration), keyboard: scene.hasKeyboardFocus(.narration), theme: theme)
            let text = "No lesson: press ? for keys, ←/→ to step through the sequence, b to see backpropagation."
            for (i, l) in wrap(theme.text(text), width: max(1, inner.width - 2)).enumerated() where i < inner.height {
                buffer.put(l, x: inner.x + 1, y: inner.y + i, in: inner, style: theme.dim, theme: theme)
            }
            return
        }
        // The longer progress line when it fits in the top border.
        let title = theme.text(n.progress).count + 4 <= area.width - 2 ? n.progress : n.shortProgress
        let inner = buffer.box(area, title: title, focused: scene.isFocused(.narration), keyboard: scene.hasKeyboardFocus(.narration), theme: theme)
        guard inner.height > 0, inner.width > 4 else { return }
        let (lines, questionsEnd) = Self.layout(n, width: inner.width - 2, theme: theme)

        // Too long for the panel: a page with questions shows them down to the last one's reveal (what the
        // learner acts on), others their start; PgUp / PgDn move from there.
        let overflow = max(0, lines.count - inner.height)
        let anchor = questionsEnd.map { min(overflow, max(0, $0 - inner.height)) } ?? 0
        let start = min(max(0, anchor + scene.narrationScroll), overflow)
        for (i, l) in lines.dropFirst(start).prefix(inner.height).enumerated() {
            buffer.put(l.0, x: inner.x + 1, y: inner.y + i, in: inner, style: l.1, theme: theme)
        }
        if overflow > 0 {
            var marks: [String] = []
            if start > 0 { marks.append("▲ PgUp \(start) more") }
            if start < overflow { marks.append("▼ PgDn \(overflow - start) more") }
            let text = theme.text(" " + marks.joined(separator: " · ") + " ")
            buffer.put(text, x: area.maxX - 2 - text.count, y: area.maxY - 1, in: area, style: theme.dim, theme: theme)
        }
    }

    /// Every line of the page at `width`, styled.
    static func lines(_ n: Narration, width w: Int, theme: Theme) -> [(String, Style)] {
        layout(n, width: w, theme: theme).lines
    }

    /// The page's lines and how many of them run to the end of its questions (nil without questions).
    static func layout(_ n: Narration, width w: Int, theme: Theme) -> (lines: [(String, Style)], questionsEnd: Int?) {
        var lines: [(String, Style)] = []
        func add(_ text: String, _ style: Style, indent: Int = 0) {
            lines += wrapKeepingIndent(theme.text(text), width: w, extraIndent: indent).map { ($0, style) }
        }
        func gap() { if !lines.isEmpty { lines.append(("", theme.plain)) } }
        if let heading = n.heading { add(heading, theme.bold) }
        for p in n.paragraphs {
            gap()
            for line in p.components(separatedBy: "\n") { add(line, theme.plain) }
        }
        for q in n.questions {
            gap()
            add("? " + q.prompt, theme.bold)
            for c in q.choices {
                var style = theme.plain
                var mark = "  "
                if let r = q.reveal {
                    if c.letter == r.correct { style = theme.good; mark = "✓ " }
                    else if c.letter == r.chosen { style = theme.error; mark = "✗ " }
                    if c.letter == r.chosen { style.modifiers.insert(.underline) }
                }
                add(mark + q.label(of: c.letter) + " " + c.text, style, indent: 5)
            }
            if let r = q.reveal {
                let verdict: String
                if let correct = r.correct {
                    verdict = r.isCorrect ? "Right: the live answer is \(q.label(of: correct)) \(r.answer)."
                        : "Not quite: you chose \(q.number(of: r.chosen).map(String.init) ?? String(r.chosen)); the live answer is \(q.label(of: correct)) \(r.answer)."
                } else {
                    verdict = "The live answer is \(r.answer)."
                }
                add(verdict, r.isCorrect ? theme.good : theme.bold)
                if !r.explanation.isEmpty { add(r.explanation, theme.plain) }
                // The lesson's text after the question (present once answered), in the file's order.
                for p in (q.followUp ?? "").components(separatedBy: "\n\n") where !p.isEmpty {
                    gap()
                    for line in p.components(separatedBy: "\n") { add(line, theme.plain) }
                }
            } else if q.id == n.openQuestion?.id {
                let digits = q.choices.indices.map { String($0 + 1) }
                let list = digits.count <= 2 ? digits.joined(separator: " or ")
                    : digits.dropLast().joined(separator: ", ") + " or " + (digits.last ?? "")
                add("Predict first: press \(list) to answer.", theme.dim)
                // What the file writes after the waiting question (later questions too) shows after the reveal.
                break
            }
        }
        let questionsEnd = n.questions.isEmpty ? nil : lines.count
        if n.openQuestion == nil {
            for p in n.ending {
                gap()
                for line in p.components(separatedBy: "\n") { add(line, theme.plain) }
            }
            if let hint = n.hint {
                gap()
                add(hint, theme.dim)
            }
        }
        return (lines, questionsEnd)
    }
}

/// Wraps one line of text, keeping its leading spaces on every wrapped line (equations, list items);
/// continuation lines of a list item ("- …") or a choice get `extraIndent` more.
func wrapKeepingIndent(_ text: String, width: Int, extraIndent: Int = 0) -> [String] {
    let lead = text.prefix { $0 == " " }.count
    let body = String(text.dropFirst(lead))
    let hanging = body.hasPrefix("- ") ? 2 : extraIndent
    guard width - lead - hanging > 4 else { return wrap(text, width: max(1, width)) }
    let first = wrap(body, width: width - lead)
    guard first.count > 1 else { return [String(repeating: " ", count: lead) + body] }
    let rest = wrap(first.dropFirst().joined(separator: " "), width: width - lead - hanging)
    return [String(repeating: " ", count: lead) + first[0]] + rest.map { String(repeating: " ", count: lead + hanging) + $0 }
}
