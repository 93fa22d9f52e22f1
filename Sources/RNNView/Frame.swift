/// The smallest screen the full layout is designed for; below it a centred notice is drawn.
public let minimumFrameWidth = 80
public let minimumFrameHeight = 24

/// Draws the whole screen for `state` into a fresh buffer of the given size. Never traps, at any size.
public func renderFrame(_ state: AppState, width: Int, height: Int) -> Buffer {
    renderFrame(Scene(state), width: width, height: height)
}

/// Draws the screen of one scene; every panel reads the scene, none the app state.
func renderFrame(_ scene: Scene, width: Int, height: Int) -> Buffer {
    var buffer = Buffer(width: width, height: height)
    let theme = Theme(scene.options)
    guard width >= minimumFrameWidth, height >= minimumFrameHeight else {
        let message = "terminal too small: need \(minimumFrameWidth)×\(minimumFrameHeight) (have \(max(0, width))×\(max(0, height)))"
        let lines = wrap(theme.text(message), width: max(1, width))
        let top = max(0, (height - lines.count) / 2)
        for (i, l) in lines.enumerated() {
            buffer.put(l, x: max(0, (width - l.count) / 2), y: top + i, in: buffer.area, style: theme.warning, theme: theme)
        }
        return buffer
    }
    let rows = buffer.area.vertical([.length(1), .length(2), .fill(min: 0), .length(1)])
    HeaderView(scene: scene, theme: theme).render(in: rows[0], into: &buffer)
    TokenStripView(scene: scene, theme: theme).render(in: rows[1], into: &buffer)
    let body = rows[2]
    switch scene.options.screen {
    case .panels: renderPanels(scene, theme: theme, rows: rows, into: &buffer)
    case .sum:
        renderBesideLesson(SumView(input: scene.screenInput, theme: theme), scene, theme: theme, area: body, into: &buffer)
    case .weights:
        renderBesideLesson(WeightsView(input: scene.screenInput, theme: theme), scene, theme: theme, area: body, into: &buffer)
    case .cell:
        renderBesideLesson(CellDiagramView(input: scene.screenInput, theme: theme), scene, theme: theme, area: body, into: &buffer)
    case .text:
        let q = scene.overview
        let scale = q == .gradH ? scene.statistics.gradHScale : q == .gradC ? scene.statistics.gradCScale : 1
        renderBesideLesson(TextHeatView(input: scene.screenInput, quantity: q, scale: scale, theme: theme),
                           scene, theme: theme, area: body, into: &buffer)
    case .connect:
        renderBesideLesson(ConnectivityView(input: scene.screenInput, map: scene.connectivity, theme: theme),
                           scene, theme: theme, area: body, into: &buffer)
    }
    StatusLineView(scene: scene, theme: theme).render(in: rows[3], into: &buffer)
    EditErrorLine(scene: scene, theme: theme).render(in: Rect(x: 0, y: height - 2, width: width, height: 1), into: &buffer)
    if scene.showHelp {
        if scene.helpShowsLegend { LegendOverlay(theme: theme).render(in: buffer.area, into: &buffer) }
        else { HelpOverlay(theme: theme).render(in: buffer.area, into: &buffer) }
    }
    if scene.options.presenter && scene.options.colorMode == .color256 { ProjectorPalette.apply(to: &buffer) }
    return buffer
}

/// The panels screen: the comparison of cells, the presenter's layout or the full one.
private func renderPanels(_ scene: Scene, theme: Theme, rows: [Rect], into buffer: inout Buffer) {
    let width = rows[2].width
    if let cells = scene.comparison {
        if scene.narration != nil {
            // A lesson's text stays beside the comparison: comparing cells is what such lessons are about.
            // The text keeps a readable width; the cells get the rest, so each layer's units fit in a row.
            let parts = rows[2].horizontal([.fill(min: 0), .length(max(36, width / 3))])
            CompareView(scene: scene, theme: theme, cells: cells).render(in: parts[0], into: &buffer)
            NarrationPanel(scene: scene, theme: theme).render(in: parts[1], into: &buffer)
        } else {
            CompareView(scene: scene, theme: theme, cells: cells).render(in: rows[2], into: &buffer)
        }
    } else if scene.zoomed {
        // The focused panel with the whole screen: all units in numbers, the lesson text without scrolling.
        scene.panel(scene.focus, theme: theme).render(in: rows[2], into: &buffer)
    } else if scene.options.presenter {
        PresenterLayout(scene: scene, theme: theme).render(in: rows[2], into: &buffer)
    } else {
        MainLayout(scene: scene, theme: theme).render(in: rows[2], into: &buffer)
    }
}
