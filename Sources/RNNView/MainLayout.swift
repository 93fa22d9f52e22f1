/// Places the panels by what they hold, not in fixed halves: each panel gets the rows its content needs,
/// the lesson text gets a column to itself where the screen is wide, and rows left over show more of the
/// run (further overview quantities: c, a gate, dL/dh over units × time) instead of staying empty.
/// Two columns up to 159 wide; from 160, three: state and gates, output, gradients and equations, the lesson.
struct MainLayout: View {
    let scene: Scene
    let theme: Theme

    func render(in area: Rect, into buffer: inout Buffer) {
        if area.width >= 160 { renderWide(area, into: &buffer) } else { renderTwoColumns(area, into: &buffer) }
    }

    /// The quantities the overview stack shows: the one `o` chose first, then the others the recording has
    /// that no waiting question covers.
    private var overviewStack: [OverviewQuantity?] {
        let others = OverviewQuantity.choices(for: scene.recording).filter { q in
            q != scene.overview && !scene.covers(q) && (scene.mode == .backward || !q.isGradient)
        }
        return [nil] + others.map(Optional.some)
    }

    /// Draws overviews down `area`: as many as fit whole, the last one taking the rows that are left.
    private func drawOverviews(_ quantities: [OverviewQuantity?], in area: Rect, into buffer: inout Buffer) {
        let natural = OverviewPanel.naturalHeight(scene)
        let count = max(1, min(quantities.count, area.height / natural))
        let rows = area.vertical(Array(repeating: .length(natural), count: count - 1) + [.fill(min: 0)])
        for (q, rect) in zip(quantities, rows) {
            OverviewPanel(scene: scene, theme: theme, quantity: q).render(in: rect, into: &buffer)
        }
    }

    private func equationsHeight(width: Int, room: Int) -> Int {
        let full = EquationPanel.lines(scene, width: width - 4, full: true).count + 2
        let compact = EquationPanel.lines(scene, width: width - 4, full: false).count + 2
        return max(3, min(full <= room ? full : compact, room))
    }

    /// Three columns: the lesson text runs the full height of the third.
    private func renderWide(_ area: Rect, into buffer: inout Buffer) {
        let cols = area.horizontal([.fill(min: 0), .fill(min: 0), .fill(min: 0)])
        // Without a lesson the third column shows a short hint, then the overviews the others leave.
        let third = cols[2].vertical(scene.narration == nil ? [.length(5), .fill(min: 0)] : [.fill(min: 0)])
        NarrationPanel(scene: scene, theme: theme).render(in: third[0], into: &buffer)
        // Middle: output, gradients, equations, then the lesson's chart or more overviews.
        let outH = OutputPanel.height(scene, maxRows: 10)
        let gradH = GradientPanel.height(scene)
        let eqH = equationsHeight(width: cols[1].width, room: cols[1].height - outH - gradH)
        let mid = cols[1].vertical([.length(outH), .length(gradH), .length(eqH), .fill(min: 0)])
        OutputPanel(scene: scene, theme: theme).render(in: mid[0], into: &buffer)
        GradientPanel(scene: scene, theme: theme).render(in: mid[1], into: &buffer)
        EquationPanel(scene: scene, theme: theme).render(in: mid[2], into: &buffer)
        // Left: state, gates with every meaning that fits, then the overviews.
        let stateH = StatePanel.height(scene)
        let natural = OverviewPanel.naturalHeight(scene)
        let meanings = max(0, cols[0].height - stateH - GatesPanel.height(scene, meanings: 0) - min(natural, 8))
        let gatesH = GatesPanel.height(scene, meanings: meanings)
        let left = cols[0].vertical([.length(stateH), .length(gatesH), .fill(min: 0)])
        StatePanel(scene: scene, theme: theme).render(in: left[0], into: &buffer)
        GatesPanel(scene: scene, theme: theme).render(in: left[1], into: &buffer)
        var stack = overviewStack
        let leftCount = max(1, min(stack.count, left[2].height / natural))
        drawOverviews(Array(stack.prefix(leftCount)), in: left[2], into: &buffer)
        stack.removeFirst(leftCount)
        if let chart = scene.lessonWidget(theme) {
            chart.render(in: mid[3], into: &buffer)
        } else if !stack.isEmpty, mid[3].height >= min(natural, 6) {
            let midCount = max(1, min(stack.count, mid[3].height / natural))
            drawOverviews(Array(stack.prefix(midCount)), in: mid[3], into: &buffer)
            stack.removeFirst(midCount)
        }
        if third.count > 1, !stack.isEmpty { drawOverviews(stack, in: third[1], into: &buffer) }
    }

    /// Two columns: state, gates and overviews on the left; output (and gradients), equations and the lesson
    /// text on the right. The equations move left when they fit there, so the lesson gets their rows.
    private func renderTwoColumns(_ area: Rect, into buffer: inout Buffer) {
        let cols = area.horizontal([.fill(min: 0), .fill(min: 0)])
        let tall = area.height >= 32
        let stateH = StatePanel.height(scene)
        let natural = OverviewPanel.naturalHeight(scene)
        let overviewMin = min(natural, 5 + (tall ? 3 : 0))
        let chart = scene.lessonWidget(theme)
        let chartMin = chart == nil ? 0 : 8
        // Gate meanings only where they leave the overview (and the lesson's chart) their rows.
        let meanings = max(0, area.height - stateH - GatesPanel.height(scene, meanings: 0) - overviewMin - chartMin)
        let gatesH = GatesPanel.height(scene, meanings: meanings)
        let leftFree = area.height - stateH - gatesH - natural - chartMin
        let equationsLeft = equationsHeight(width: cols[0].width, room: leftFree)
        let moveEquations = scene.narration != nil && leftFree >= equationsLeft
            && EquationPanel.lines(scene, width: cols[0].width - 4, full: false).count + 2 <= equationsLeft

        var leftPieces: [Constraint] = [.length(stateH), .length(gatesH)]
        if moveEquations { leftPieces.append(.length(equationsLeft)) }
        leftPieces.append(.fill(min: 0))
        let left = cols[0].vertical(leftPieces)
        StatePanel(scene: scene, theme: theme).render(in: left[0], into: &buffer)
        GatesPanel(scene: scene, theme: theme).render(in: left[1], into: &buffer)
        if moveEquations { EquationPanel(scene: scene, theme: theme).render(in: left[2], into: &buffer) }
        let rest = left[left.count - 1]
        if let chart {
            // The lesson's own chart below the overview when both fit, else in its place.
            let overviewH = min(natural, rest.height / 2)
            if rest.height - overviewH >= 8 {
                let split = rest.vertical([.length(overviewH), .fill(min: 0)])
                OverviewPanel(scene: scene, theme: theme).render(in: split[0], into: &buffer)
                chart.render(in: split[1], into: &buffer)
            } else {
                chart.render(in: rest, into: &buffer)
            }
        } else {
            drawOverviews(overviewStack, in: rest, into: &buffer)
        }

        // Right: output and/or gradients, the equations unless they went left, the lesson text.
        // A lesson needs room to be read; without one the panel only shows a short hint.
        let narrationMin = scene.narration == nil ? 4 : 9
        // Forward mode with a lesson: the lesson's room matters more than the gradient panel.
        var tops: [(any View, Int)] = []
        if tall && (scene.mode == .backward || scene.narration == nil) {
            tops = [(OutputPanel(scene: scene, theme: theme), OutputPanel.height(scene, maxRows: 6)),
                    (GradientPanel(scene: scene, theme: theme), GradientPanel.height(scene))]
        } else if scene.mode == .forward {
            tops = [(OutputPanel(scene: scene, theme: theme), OutputPanel.height(scene, maxRows: 5))]
        } else {
            tops = [(GradientPanel(scene: scene, theme: theme), GradientPanel.height(scene))]
        }
        let topsH = tops.map(\.1).reduce(0, +)
        if !moveEquations {
            tops.append((EquationPanel(scene: scene, theme: theme),
                         equationsHeight(width: cols[1].width, room: area.height - topsH - narrationMin)))
        }
        let right = cols[1].vertical(tops.map { .length($0.1) } + [.fill(min: 0)])
        for (piece, rect) in zip(tops, right) { piece.0.render(in: rect, into: &buffer) }
        NarrationPanel(scene: scene, theme: theme).render(in: right[right.count - 1], into: &buffer)
    }
}
