import Testing
@testable import RNNView

/// The key table is one list: what the keymap binds and what the help overlay lists come from it.
@Suite struct KeymapTests {
    @Test func everyKeyIsBoundOnceAndListed() {
        let listed = keyBindings.flatMap { $0.actions.flatMap(\.keys) }
        #expect(listed.count == Set(listed).count, "a key bound twice: \(listed)")
        #expect(Set(keyTable.keys) == Set(listed))
        for line in keyBindings {
            for (action, keys) in line.actions {
                for key in keys { #expect(keyTable[key] == action, "\(key)") }
            }
        }
    }

    @Test func theHelpNamesTheKeysOfEachLine() {
        let shown = Dictionary(uniqueKeysWithValues: keyBindings.map { ($0.help, $0.keys) })
        #expect(shown["previous / next time step"] == "← → / h l")
        #expect(shown["first / last step"] == "Home End / g G")
        #expect(shown["play / pause"] == "space")
        #expect(shown["faster / slower playback (or training pace)"] == "+ - / =")
        #expect(shown["edit the input (Enter runs) / r: the lesson's own"] == "/ i · r")
        #expect(shown["focus a panel (▶ title) / z: it takes the screen"] == "Tab Shift-Tab z")
        #expect(shown["answer the lesson's question (while it is open)"] == "1 2 3 …")
        #expect(shown["quit, answers kept (Esc first closes overlays)"] == "q Esc / Ctrl-C")
    }

    @Test func theOverlayShowsEveryLine() throws {
        var s = try Fixtures.state("gru_word_embed")
        s.apply(keymap(.character("?"), state: s)!)
        let frame = renderFrame(s, width: 100, height: 30).lines.joined(separator: "\n")
        for line in keyBindings {
            #expect(frame.contains(line.keys) && frame.contains(line.help), "\(line.keys) \(line.help)\n\(frame)")
        }
    }
}
