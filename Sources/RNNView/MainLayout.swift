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

    /// Columns a panel needs for a row of every unit: borders, a label, and a strip of glyphs with its note.
    static func rowWidth(_ units: Int) -> Int { 2 + 9 + 1 + units + HeatGrid.stripNote }

    /// Whether a panel `width` wide shows every unit in a row (as numbers or as a strip).
    static func unitsFitInARow(_ units: Int, width: Int) -> Bool { units <= width - 2 - 9 - 1 }

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
        // The first column widens (up to 45%) until a row of every unit fits: a strip of glyphs and its note.
        let first = min(max(area.width / 3, Self.rowWidth(scene.hiddenSize)), area.width * 9 / 20)
        let cols = area.horizontal([.length(first), .fill(min: 0), .fill(min: 0)])
        // Without a lesson the third column shows a short hint, then the overviews the others leave.
        let third = cols[2].vertical(scene.narration == nil ? [.length(5), .fill(min: 0)] : [.fill(min: 0)])
        NarrationPanel(scene: scene, theme: theme).render(in: third[0], into: &buffer)
        // The gradients sit in the middle unless their units only fit as a row in the wider first column.
        let gradientsLeft = !Self.unitsFitInARow(scene.hiddenSize, width: cols[1].width)
        // Middle: output, gradients, equations, then the lesson's chart or more overviews.
        let outH = OutputPanel.height(scene, maxRows: 10)
        let gradH = GradientPanel.height(scene)
        let midGradH = gradientsLeft ? 0 : gradH
        let eqH = equationsHeight(width: cols[1].width, room: cols[1].height - outH - midGradH)
        let mid = cols[1].vertical([.length(outH), .length(midGradH), .length(eqH), .fill(min: 0)])
        OutputPanel(scene: scene, theme: theme).render(in: mid[0], into: &buffer)
        if !gradientsLeft { GradientPanel(scene: scene, theme: theme).render(in: mid[1], into: &buffer) }
        EquationPanel(scene: scene, theme: theme).render(in: mid[2], into: &buffer)
        // Left: state, gates with every meaning that fits, (the gradients,) then the overviews.
        let stateH = StatePanel.height(scene)
        let natural = OverviewPanel.naturalHeight(scene)
        let leftGradH = gradientsLeft ? gradH : 0
        let meanings = max(0, cols[0].height - stateH - leftGradH - GatesPanel.height(scene, meanings: 0) - min(natural, 8))
        let gatesH = GatesPanel.height(scene, meanings: meanings)
        let left = cols[0].vertical([.length(stateH), .length(gatesH), .length(leftGradH), .fill(min: 0)])
        StatePanel(scene: scene, theme: theme).render(in: left[0], into: &buffer)
        GatesPanel(scene: scene, theme: theme).render(in: left[1], into: &buffer)
        if gradientsLeft { GradientPanel(scene: scene, theme: theme).render(in: left[2], into: &buffer) }
        var stack = overviewStack
        let leftCount = max(1, min(stack.count, left[3].height / natural))
        drawOverviews(Array(stack.prefix(leftCount)), in: left[3], into: &buffer)
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
    /// text on the right. While the lesson text would need scrolling, the panels above it move left where the
    /// left column has the rows (the equations first), so the lesson gets theirs.
    private func renderTwoColumns(_ area: Rect, into buffer: inout Buffer) {
        // The left column widens (up to 65%) until a strip of every unit fits; the text keeps the rest.
        let stripOnly = Self.rowWidth(scene.hiddenSize) - HeatGrid.stripNote
        let leftWidth = min(max(area.width / 2, stripOnly), area.width * 13 / 20, area.width - 44)
        let cols = area.horizontal([.length(leftWidth), .fill(min: 0)])
        let tall = area.height >= 32
        let stateH = StatePanel.height(scene)
        let natural = OverviewPanel.naturalHeight(scene)
        let overviewMin = min(natural, 5 + (tall ? 3 : 0))
        let chart = scene.lessonWidget(theme)
        let chartMin = chart == nil ? 0 : 8
        let gatesBare = GatesPanel.height(scene, meanings: 0)

        // Right: output and/or gradients, equations, the lesson text (at least 4 rows; 9 with a lesson).
        // Forward mode with a lesson: the lesson's room matters more than the gradient panel.
        let narrationMin = scene.narration == nil ? 4 : 9
        var right: [(piece: any View, height: Int)] = []
        // The gradients go left, under the gates, where only the wider left column shows every unit in a row.
        let gradientsLeft = !Self.unitsFitInARow(scene.hiddenSize, width: cols[1].width)
            && Self.unitsFitInARow(scene.hiddenSize, width: cols[0].width)
        let gradients: [(piece: any View, height: Int)] = [(GradientPanel(scene: scene, theme: theme), GradientPanel.height(scene))]
        if tall && (scene.mode == .backward || scene.narration == nil) {
            right = [(OutputPanel(scene: scene, theme: theme), OutputPanel.height(scene, maxRows: 6))] + (gradientsLeft ? [] : gradients)
        } else if scene.mode == .forward {
            right = [(OutputPanel(scene: scene, theme: theme), OutputPanel.height(scene, maxRows: 5))]
        } else {
            right = gradientsLeft ? [(OutputPanel(scene: scene, theme: theme), OutputPanel.height(scene, maxRows: 5))] : gradients
        }
        let leftFixed = gradientsLeft && (scene.mode == .backward || (tall && scene.narration == nil)) ? gradients : []
        let topsH = right.map(\.height).reduce(0, +)
        right.append((EquationPanel(scene: scene, theme: theme),
                      equationsHeight(width: cols[1].width, room: area.height - topsH - narrationMin)))

        // What the lesson text needs, and what moving panels left can give it.
        var left: [(piece: any View, height: Int)] = leftFixed
        if let narration = scene.narration {
            let need = NarrationPanel.layout(narration, width: cols[1].width - 4, theme: theme).lines.count + 2
            var leftFree = area.height - stateH - gatesBare - overviewMin - chartMin - left.map(\.height).reduce(0, +)
            var room = area.height - right.map(\.height).reduce(0, +)
            while room < need, var last = right.last {
                // The equations shrink to their compact form where that is what fits on the left, never below it.
                if last.piece is EquationPanel {
                    last.height = equationsHeight(width: cols[0].width, room: leftFree)
                    let compact = EquationPanel.lines(scene, width: cols[0].width - 4, full: false).count + 2
                    guard last.height >= compact else { break }
                }
                guard last.height <= leftFree, last.height >= 3 else { break }
                right.removeLast()
                left.insert(last, at: leftFixed.count)
                leftFree -= last.height
                room += last.height
            }
        }
        // Gate meanings take only the rows the lesson text and the overview (and the lesson's chart) leave.
        let leftUsed = stateH + gatesBare + left.map(\.height).reduce(0, +)
        let gatesH = GatesPanel.height(scene, meanings: max(0, area.height - leftUsed - overviewMin - chartMin))

        let leftRects = cols[0].vertical([.length(stateH), .length(gatesH)] + left.map { .length($0.height) } + [.fill(min: 0)])
        StatePanel(scene: scene, theme: theme).render(in: leftRects[0], into: &buffer)
        GatesPanel(scene: scene, theme: theme).render(in: leftRects[1], into: &buffer)
        for (piece, rect) in zip(left, leftRects.dropFirst(2)) { piece.piece.render(in: rect, into: &buffer) }
        let rest = leftRects[leftRects.count - 1]
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

        let rightRects = cols[1].vertical(right.map { .length($0.height) } + [.fill(min: 0)])
        for (piece, rect) in zip(right, rightRects) { piece.piece.render(in: rect, into: &buffer) }
        NarrationPanel(scene: scene, theme: theme).render(in: rightRects[rightRects.count - 1], into: &buffer)
    }
}
