import RNNLessons
import RNNTrace

/// The cell unrolled over the steps around the selected one: a small box per step with the unit's h (and
/// c) — or in backward dL/dh (and dL/dc) — arrows between the boxes the way the values flow, the token
/// under each box and the selected step drawn heavy.
struct UnrolledChainView: ScreenView {
    let input: ScreenInput
    /// The cell diagram's choice: gradients where the recording holds them and the mode is backward.
    let backward: Bool
    /// The last step whose values may show (a lesson question waits on it); nil: every step.
    let lastShown: Int?
    let theme: Theme

    /// Box rows: borders and one row per state; then the token.
    static func height(_ recording: Recording) -> Int { (recording.hasCellState ? 4 : 3) + 1 }

    private static let boxWidth = 11
    private static let pitch = boxWidth + 2
    private static let labelWidth = 3

    func render(in area: Rect, into buffer: inout Buffer) {
        let fit = max(1, (area.width - Self.labelWidth) / Self.pitch)
        let first = windowStart(selected: step, count: recording.stepCount, fit: fit)
        let shown = first..<min(recording.stepCount, first + fit)
        let rows: [(String, (RecordedStep) -> Double?)] = backward
            ? [("∂h", { $0.grad?.h[unit] }), ("∂c", { $0.grad?.c?[unit] })]
            : [("h", { $0.h[unit] }), ("c", { $0.c?[unit] })]
        let stateRows = recording.hasCellState ? 2 : 1
        for r in 0..<stateRows {
            buffer.put(rows[r].0, x: area.x + 1, y: area.y + 1 + r, in: area, style: theme.label, theme: theme)
        }
        let (tl, tr, bl, br) = theme.corners
        for (i, t) in shown.enumerated() {
            let x = area.x + Self.labelWidth + i * Self.pitch
            let s = recording.step(t)
            let current = t == step
            let style = current ? theme.highlight : theme.border
            let h = String(repeating: current && !theme.ascii ? "━" : String(theme.horizontal), count: Self.boxWidth - 2)
            buffer.put(String(tl) + h + String(tr), x: x, y: area.y, in: area, style: style, theme: theme)
            for r in 0..<stateRows {
                let v = rows[r].1(s)
                let hidden = lastShown.map { backward ? t < $0 : t > $0 } ?? false
                let text = hidden ? "?" : v.map { WireNumber.text($0, gradient: backward) } ?? ""
                buffer.put(String(theme.vertical), x: x, y: area.y + 1 + r, in: area, style: style, theme: theme)
                buffer.put(NumberText.pad(text, Self.boxWidth - 2, right: true), x: x + 1, y: area.y + 1 + r, in: area,
                           style: current ? theme.bold : theme.plain, theme: theme)
                buffer.put(String(theme.vertical), x: x + Self.boxWidth - 1, y: area.y + 1 + r, in: area, style: style, theme: theme)
                if t + 1 < shown.upperBound {
                    let arrow = backward ? (theme.ascii ? "<-" : "◀─") : (theme.ascii ? "->" : "─▶")
                    buffer.put(arrow, x: x + Self.boxWidth, y: area.y + 1 + r, in: area, style: theme.border, theme: theme)
                }
            }
            buffer.put(String(bl) + h + String(br), x: x, y: area.y + 1 + stateRows, in: area, style: style, theme: theme)
            let token = "t\(t) " + displayToken(s.token)
            buffer.put(String(token.prefix(Self.boxWidth)), x: x, y: area.y + 2 + stateRows, in: area,
                       style: current ? theme.highlight : theme.dim, theme: theme)
        }
    }
}
