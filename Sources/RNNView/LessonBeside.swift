/// Draws a screen's view with the open lesson's text beside it (as the comparison does), or alone across
/// the whole area when no lesson is open.
func renderBesideLesson(_ view: some View, _ scene: Scene, theme: Theme, area: Rect, into buffer: inout Buffer) {
    guard scene.narration != nil else {
        view.render(in: area, into: &buffer)
        return
    }
    let parts = area.horizontal([.fill(min: 0), .length(max(36, area.width / 3))])
    view.render(in: parts[0], into: &buffer)
    NarrationPanel(scene: scene, theme: theme).render(in: parts[1], into: &buffer)
}
