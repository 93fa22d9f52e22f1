import RNNView
import Testing
@testable import TerminalUI

@Suite struct ColorPaletteTests {
    /// A palette whose `init_pair` calls are recorded instead of sent to curses.
    final class PairLog {
        var calls: [(Int32, Int32, Int32)] = []
    }

    func palette(_ support: ColorMode, defaults: Bool = true, maxPair: Int32 = 255, log: PairLog) -> ColorPalette {
        ColorPalette(support: support, hasDefaultColors: defaults, maxPair: maxPair) { pair, fg, bg in
            log.calls.append((pair, fg, bg))
            return true
        }
    }

    @Test func pairsAreAllocatedOncePerColourCombination() {
        let log = PairLog()
        var p = palette(.color256, log: log)
        let red = Style(foreground: .ansi(1))
        let redBold = Style(foreground: .ansi(1), modifiers: .bold)
        let onBlue = Style(foreground: .ansi(1), background: .indexed(21))
        let first = p.pair(for: red)
        for _ in 0..<100 { #expect(p.pair(for: red) == first) }
        #expect(p.pair(for: redBold) == first) // attributes do not need a pair
        let second = p.pair(for: onBlue)
        #expect(first == 1 && second == 2)
        #expect(log.calls.count == 2)
        #expect(log.calls[1] == (2, 1, 21))
    }

    @Test func defaultColoursUsePairZero() {
        let log = PairLog()
        var p = palette(.color256, log: log)
        #expect(p.pair(for: .plain) == 0)
        #expect(p.pair(for: Style(modifiers: [.reverse, .bold])) == 0)
        #expect(log.calls.isEmpty)
    }

    @Test func monochromeNeverAllocates() {
        let log = PairLog()
        var p = palette(.monochrome, log: log)
        #expect(p.pair(for: Style(foreground: .ansi(2), background: .indexed(200))) == 0)
        #expect(log.calls.isEmpty)
    }

    @Test func eightColourTerminalsGetTheNearestAnsiColour() {
        let p = palette(.color8, log: PairLog())
        #expect(p.number(.indexed(196), isBackground: false) == 1) // bright red
        #expect(p.number(.indexed(21), isBackground: false) == 4)  // blue
        #expect(p.number(.indexed(231), isBackground: false) == 7) // white corner of the cube
        #expect(p.number(.indexed(16), isBackground: false) == 0)  // black corner
        #expect(p.number(.indexed(250), isBackground: false) == 7) // light grey
        #expect(p.number(.ansi(9), isBackground: false) == 1)      // bright red → red
        let rich = palette(.color256, log: PairLog())
        #expect(rich.number(.ansi(9), isBackground: false) == 9)
        #expect(rich.number(.indexed(196), isBackground: false) == 196)
    }

    @Test func withoutDefaultColoursTheDefaultIsWhiteOnBlack() {
        let p = palette(.color8, defaults: false, log: PairLog())
        #expect(p.number(.default, isBackground: false) == 7)
        #expect(p.number(.default, isBackground: true) == 0)
    }

    @Test func runningOutOfPairsFallsBackToTheDefaultPair() {
        let log = PairLog()
        var p = palette(.color256, maxPair: 2, log: log)
        #expect(p.pair(for: Style(foreground: .indexed(1))) == 1)
        #expect(p.pair(for: Style(foreground: .indexed(2))) == 2)
        #expect(p.pair(for: Style(foreground: .indexed(3))) == 0)
        #expect(p.pair(for: Style(foreground: .indexed(1))) == 1)
        #expect(log.calls.count == 2)
    }
}
