/// Draws a screen's view with the open lesson's text beside it (as the comparison does), or alone across
/// the whole area when no lesson is open. While a question waits, the view's numbers stay covered: they
/// would give the answer away.
func renderBesideLesson(_ view: some View, title: String, _ state: AppState, theme: Theme, area: Rect,
                        into buffer: inout Buffer) {
    let cover = state.questionCover
    let covered = cover.waiting || !cover.subject.isEmpty
    guard state.narration != nil else {
        view.render(in: area, into: &buffer)
        return
    }
    let parts = area.horizontal([.fill(min: 0), .length(max(36, area.width / 3))])
    if covered {
        let inner = buffer.box(parts[0], title: title, focused: false, theme: theme)
        let text = "A question is waiting in the lesson text: answer it first, then this view shows its numbers (v: next screen)."
        for (i, line) in wrap(theme.text(text), width: max(1, inner.width - 2)).enumerated() where i < inner.height {
            buffer.put(line, x: inner.x + 1, y: inner.y + i, in: inner, style: theme.warning, theme: theme)
        }
    } else {
        view.render(in: parts[0], into: &buffer)
    }
    NarrationPanel(state: state, theme: theme).render(in: parts[1], into: &buffer)
}
