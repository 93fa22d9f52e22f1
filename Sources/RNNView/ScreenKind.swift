/// Which screen the viewer draws: the panels of a step, or one of the views that explain a number, the
/// cell, the weights or the whole text. `--view NAME` chooses the first; the key `v` goes to the next.
public enum ScreenKind: String, CaseIterable, Sendable {
    /// Input, state, gates, output, gradients and equations of one step, with the lesson text.
    case panels
    /// The selected value's computation, term by term: a sum, a nonlinearity, a gradient's two sources.
    case sum
    /// W_xh, W_hh, W_hy and the biases as heatmaps; in backward, their gradient accumulating.
    case weights
    /// The cell drawn as a diagram with the selected unit's numbers on its wires, and the chain unrolled.
    case cell
    /// The whole input, each token coloured by the selected unit, the next-token guesses under it.
    case text
    /// ‖∂L_t/∂x_s‖ over input and prediction positions: how far back each prediction looks.
    case connect

    /// What the viewer's status line says when the screen opens.
    var summary: String {
        switch self {
        case .panels: return "panels: the state, gates, output and gradients of one step"
        case .sum: return "sum: where the selected unit's value (forward) or gradient (backward) comes from, term by term"
        case .weights: return "weights: W_xh, W_hh, W_hy and the biases; in backward, their gradient summed step by step"
        case .connect: return "connect: how much each step's loss depends on each earlier input, on a log scale"
        case .text: return "text: each token coloured by the selected unit (o: h, c or a gate), the top-5 guesses under it"
        case .cell: return "cell: the cell as a diagram, the selected unit's numbers on its wires (↑/↓: unit)"
        }
    }

    /// The screen after this one, wrapping around (the key `v`).
    var next: ScreenKind {
        let all = ScreenKind.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}
