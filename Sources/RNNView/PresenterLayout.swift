/// The presenter's layout, for a projector in front of a class: the lesson's text and its question take
/// almost half the screen, and beside them only the panels the current page is about — two at most, each
/// with the room the normal layout shares among seven. Which two follows the page's highlight (a lesson
/// says `highlight: gates` where the gates matter), else the pass: the state and the prediction going
/// forward, the gradient and its equation going back.
struct PresenterLayout: View {
    let scene: Scene
    let theme: Theme

    /// What the presenter may put beside the narration.
    enum Piece: Equatable {
        case panel(PanelID)
        /// The lesson's own chart (loss curve, series plot or samples).
        case lessonChart
    }

    /// The pieces shown for `state`, most important first.
    static func pieces(_ scene: Scene) -> [Piece] {
        let gated = !scene.recording.cell.isPlainRNN
        let companion: [PanelID: PanelID] = [
            .state: .output, .gates: .state, .output: .state, .overview: .state,
            .gradients: .equations, .equations: scene.mode == .backward ? .gradients : .state,
        ]
        if let highlighted = scene.narration?.highlightPanel, highlighted != .narration, let second = companion[highlighted] {
            return [.panel(highlighted), .panel(second)]
        }
        if scene.mode == .backward { return [.panel(.gradients), .panel(.equations)] }
        if scene.lessonChart != nil { return [.panel(.state), .lessonChart] }
        return [.panel(gated && scene.narration == nil ? .gates : .state), .panel(.output)]
    }

    func render(in area: Rect, into buffer: inout Buffer) {
        var room = area
        if scene.narration != nil {
            let columns = area.horizontal([.fill(min: 0), .length(max(40, area.width * 9 / 20))], gap: 1)
            NarrationPanel(scene: scene, theme: theme).render(in: columns[1], into: &buffer)
            room = columns[0]
        }
        var pieces = Self.pieces(scene)
        // Each piece takes what it needs (the first at most two thirds); room left over goes to the
        // overview of every unit over time, the picture a class reads from the back of the room.
        let first = min(naturalHeight(pieces[0], width: room.width), room.height * 2 / 3)
        let second = naturalHeight(pieces[1], width: room.width)
        if room.height - first - second >= Self.overviewMinimum, !pieces.contains(.panel(.overview)) {
            pieces.append(.panel(.overview))
            let rows = room.vertical([.length(first), .length(second), .fill(min: 0)])
            for (piece, area) in zip(pieces, rows) { draw(piece, in: area, into: &buffer) }
        } else {
            let rows = room.vertical([.length(first), .fill(min: 0)])
            for (piece, area) in zip(pieces, rows) { draw(piece, in: area, into: &buffer) }
        }
    }

    /// The fewest rows worth giving the overview: a border, a time axis and a few units.
    static let overviewMinimum = 7

    private func naturalHeight(_ piece: Piece, width: Int) -> Int {
        switch piece {
        case .panel(.state): return StatePanel.height(scene)
        case .panel(.gates): return GatesPanel.height(scene, meanings: 4)
        case .panel(.output): return OutputPanel.height(scene, maxRows: 10)
        case .panel(.gradients): return GradientPanel.height(scene)
        case .panel(.equations): return EquationPanel.lines(scene, width: width - 4, full: true).count + 2
        case .panel(.overview): return scene.hiddenSize + 4
        case .panel(.narration), .lessonChart: return 12
        }
    }

    private func draw(_ piece: Piece, in area: Rect, into buffer: inout Buffer) {
        switch piece {
        case .panel(let id): scene.panel(id, theme: theme).render(in: area, into: &buffer)
        case .lessonChart: scene.lessonWidget(theme)?.render(in: area, into: &buffer)
        }
    }
}
