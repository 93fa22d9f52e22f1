/// The smallest screen the full layout is designed for; below it a centred notice is drawn.
public let minimumFrameWidth = 80
public let minimumFrameHeight = 24

/// Draws the whole screen for `state` into a fresh buffer of the given size. Never traps, at any size.
public func renderFrame(_ state: AppState, width: Int, height: Int) -> Buffer {
    var buffer = Buffer(width: width, height: height)
    let theme = Theme(state.options)
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
    HeaderView(state: state, theme: theme).render(in: rows[0], into: &buffer)
    TokenStripView(state: state, theme: theme).render(in: rows[1], into: &buffer)
    switch state.options.screen {
    case .panels: renderPanels(state, theme: theme, rows: rows, into: &buffer)
    case .cell:
        let view = CellDiagramView(recording: state.trace, step: state.step, unit: state.unit, mode: state.mode, cover: state.questionCover, theme: theme)
        renderBesideLesson(view, state, theme: theme, area: rows[2], into: &buffer)
    case .text:
        let scale = state.overview == .gradH ? state.statistics.gradHScale : state.overview == .gradC ? state.statistics.gradCScale : 1
        let view = TextHeatView(recording: state.trace, step: state.step, unit: state.unit, quantity: state.overview, scale: scale, cover: state.questionCover, theme: theme)
        renderBesideLesson(view, state, theme: theme, area: rows[2], into: &buffer)
    case .connect:
        let view = ConnectivityView(recording: state.trace, step: state.step, map: state.sensitivityCache.map(for: state.trace), cover: state.questionCover, theme: theme)
        renderBesideLesson(view, state, theme: theme, area: rows[2], into: &buffer)
    }
    StatusLineView(state: state, theme: theme).render(in: rows[3], into: &buffer)
    EditErrorLine(state: state, theme: theme).render(in: Rect(x: 0, y: height - 2, width: width, height: 1), into: &buffer)
    if state.showHelp { HelpOverlay(theme: theme).render(in: buffer.area, into: &buffer) }
    if state.options.presenter && state.options.colorMode == .color256 { ProjectorPalette.apply(to: &buffer) }
    return buffer
}

/// The panels screen: the comparison of cells, the presenter's layout or the full one.
private func renderPanels(_ state: AppState, theme: Theme, rows: [Rect], into buffer: inout Buffer) {
    let width = rows[2].width
    if let traces = state.comparison {
        if state.narration != nil {
            // A lesson's text stays beside the comparison: comparing cells is what such lessons are about.
            let parts = rows[2].horizontal([.fill(min: 0), .length(max(36, width / 3))])
            CompareView(state: state, theme: theme, traces: traces).render(in: parts[0], into: &buffer)
            NarrationPanel(state: state, theme: theme).render(in: parts[1], into: &buffer)
        } else {
            CompareView(state: state, theme: theme, traces: traces).render(in: rows[2], into: &buffer)
        }
    } else if state.options.presenter {
        PresenterLayout(state: state, theme: theme).render(in: rows[2], into: &buffer)
    } else {
        MainLayout(state: state, theme: theme).render(in: rows[2], into: &buffer)
    }
}

/// Places the panels: two columns up to 159 wide, three columns and a full-width overview from 160.
struct MainLayout: View {
    let state: AppState
    let theme: Theme

    func render(in area: Rect, into buffer: inout Buffer) {
        let units = state.hiddenSize
        let stateH = StatePanel.height(state)
        let tall = area.height >= 32
        let equationsFull = EquationPanel.lines(state, width: area.width >= 160 ? 60 : area.width / 2 - 4, full: true).count + 2
        let equationsCompact = EquationPanel.lines(state, width: area.width / 2 - 4, full: false).count + 2

        if area.width >= 160 {
            let overviewH = min(units + 4, max(5, area.height / 4))
            let parts = area.vertical([.fill(min: 0), .length(overviewH)])
            let cols = parts[0].horizontal([.fill(min: 0), .fill(min: 0), .fill(min: 0)])
            let left = cols[0].vertical([.length(stateH), .fill(min: 0)])
            StatePanel(state: state, theme: theme).render(in: left[0], into: &buffer)
            GatesPanel(state: state, theme: theme).render(in: left[1], into: &buffer)
            let mid = cols[1].vertical([.length(OutputPanel.height(state, maxRows: 10)), .fill(min: 0)])
            OutputPanel(state: state, theme: theme).render(in: mid[0], into: &buffer)
            GradientPanel(state: state, theme: theme).render(in: mid[1], into: &buffer)
            let right = cols[2].vertical([.length(equationsFull), .fill(min: 0)])
            EquationPanel(state: state, theme: theme).render(in: right[0], into: &buffer)
            NarrationPanel(state: state, theme: theme).render(in: right[1], into: &buffer)
            if LessonWidget.applies(to: state) {
                // The lesson's own chart shares the bottom row with the overview.
                let bottom = parts[1].horizontal([.fill(min: 0), .fill(min: 0)])
                OverviewPanel(state: state, theme: theme).render(in: bottom[0], into: &buffer)
                LessonWidget(state: state, theme: theme).render(in: bottom[1], into: &buffer)
            } else {
                OverviewPanel(state: state, theme: theme).render(in: parts[1], into: &buffer)
            }
            return
        }

        let cols = area.horizontal([.fill(min: 0), .fill(min: 0)])
        // Left: state, gates (with as many gate meanings as leave the overview its rows), overview.
        let overviewMin = min(units + 3, 5 + (tall ? 3 : 0))
        let meanings = max(0, area.height - stateH - GatesPanel.height(state, meanings: 0) - overviewMin)
        let gatesH = GatesPanel.height(state, meanings: meanings)
        let left = cols[0].vertical([.length(stateH), .length(gatesH), .fill(min: 0)])
        StatePanel(state: state, theme: theme).render(in: left[0], into: &buffer)
        GatesPanel(state: state, theme: theme).render(in: left[1], into: &buffer)
        if LessonWidget.applies(to: state) {
            // The lesson's own chart below the overview when both fit, else in its place.
            let overviewH = min(units + 3, left[2].height / 2)
            if left[2].height - overviewH >= 8 {
                let split = left[2].vertical([.length(overviewH), .fill(min: 0)])
                OverviewPanel(state: state, theme: theme).render(in: split[0], into: &buffer)
                LessonWidget(state: state, theme: theme).render(in: split[1], into: &buffer)
            } else {
                LessonWidget(state: state, theme: theme).render(in: left[2], into: &buffer)
            }
        } else {
            OverviewPanel(state: state, theme: theme).render(in: left[2], into: &buffer)
        }

        // Right: output and/or gradients, equations, narration (at least 4 rows).
        // A lesson needs room to be read; without one the panel only shows a short hint.
        let narrationMin = state.narration == nil ? 4 : 9
        // Forward mode with a lesson: the lesson's room matters more than the gradient panel.
        if tall && (state.mode == .backward || state.narration == nil) {
            let outH = OutputPanel.height(state, maxRows: 6)
            let gradH = GradientPanel.height(state)
            let room = area.height - outH - gradH - narrationMin
            let eqH = max(3, min(equationsFull <= room ? equationsFull : equationsCompact, room))
            let right = cols[1].vertical([.length(outH), .length(gradH), .length(eqH), .fill(min: 0)])
            OutputPanel(state: state, theme: theme).render(in: right[0], into: &buffer)
            GradientPanel(state: state, theme: theme).render(in: right[1], into: &buffer)
            EquationPanel(state: state, theme: theme).render(in: right[2], into: &buffer)
            NarrationPanel(state: state, theme: theme).render(in: right[3], into: &buffer)
        } else {
            let topH = state.mode == .forward ? OutputPanel.height(state, maxRows: 5) : GradientPanel.height(state)
            let room = area.height - topH - narrationMin
            let eqH = max(3, min(equationsFull <= room ? equationsFull : equationsCompact, room))
            let right = cols[1].vertical([.length(topH), .length(eqH), .fill(min: 0)])
            if state.mode == .forward { OutputPanel(state: state, theme: theme).render(in: right[0], into: &buffer) }
            else { GradientPanel(state: state, theme: theme).render(in: right[0], into: &buffer) }
            EquationPanel(state: state, theme: theme).render(in: right[1], into: &buffer)
            NarrationPanel(state: state, theme: theme).render(in: right[2], into: &buffer)
        }
    }
}
