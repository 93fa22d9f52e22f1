import Testing
@testable import RNNView

/// Tab's focus marks a panel's title (never the heavy border a lesson's highlight draws), and `z` gives the
/// focused panel the whole screen, Esc or `z` gives it back.
@Suite struct FocusAndZoomTests {
    @Test func focusMarksTheTitleAndZoomGivesThePanelTheScreen() throws {
        var state = try Fixtures.state("lstm_word_embed")
        let before = renderFrame(state, width: 120, height: 40).lines
        #expect(before.contains { $0.contains("▶ State at t=") }, "\(before.joined(separator: "\n"))")
        #expect(before.contains { $0.contains("z zoom") })
        // No lesson points anywhere here: no heavy border, only the focus mark.
        #expect(!before.joined().contains("━"))
        for _ in 0..<5 { state.apply(keymap(.tab, state: state)!) }
        #expect(state.focus == .overview)
        let moved = renderFrame(state, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(moved.contains("▶ Overview") && !moved.contains("▶ State"), "\(moved)")

        state.apply(keymap(.character("z"), state: state)!)
        let zoomed = renderFrame(state, width: 120, height: 40).lines
        // The overview has the body to itself: its box starts at the left edge under the token strip and
        // spans the width, and no other panel is drawn.
        #expect(zoomed[3].hasPrefix("┌─ ▶ Overview"), "\(zoomed.joined(separator: "\n"))")
        #expect(zoomed[3].hasSuffix("┐"))
        #expect(!zoomed.joined().contains("Output: next token"))
        let units = zoomed.filter { $0.range(of: #"^│u\d+ "#, options: .regularExpression) != nil }.count
        #expect(units == state.hiddenSize)

        state.apply(keymap(.escape, state: state)!)
        #expect(!state.zoomed && !state.shouldQuit, "Esc leaves the zoom before it quits")
        #expect(renderFrame(state, width: 120, height: 40).lines.joined().contains("Output: next token"))
    }
}
