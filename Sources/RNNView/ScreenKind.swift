/// Which screen the viewer draws: the panels of a step, or one of the views that explain a number, the
/// cell, the weights or the whole text. `--view NAME` chooses the first; the key `v` goes to the next.
public enum ScreenKind: String, CaseIterable, Sendable {
    /// Input, state, gates, output, gradients and equations of one step, with the lesson text.
    case panels

    /// What the viewer's status line says when the screen opens.
    var summary: String {
        switch self {
        case .panels: return "panels: the state, gates, output and gradients of one step"
        }
    }

    /// The screen after this one, wrapping around (the key `v`).
    var next: ScreenKind {
        let all = ScreenKind.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}
