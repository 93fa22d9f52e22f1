import CNcurses
import RNNView
import Testing
@testable import TerminalUI

@Suite struct KeyTranslationTests {
    @Test func controlCharacters() {
        #expect(translate(.character(27)) == .escape)
        #expect(translate(.character(9)) == .tab)
        #expect(translate(.character(13)) == .enter)
        #expect(translate(.character(10)) == .enter)
        #expect(translate(.character(127)) == .backspace)
        #expect(translate(.character(8)) == .backspace)
        #expect(translate(.character(3)) == .interrupt)
        #expect(translate(.character(1)) == nil)
    }

    @Test func printableCharactersIncludingNonASCII() {
        #expect(translate(.character(UInt32(UInt8(ascii: "l")))) == .character("l"))
        #expect(translate(.character(0xE9)) == .character("é"))
        #expect(translate(.character(0x65E5)) == .character("日"))
        #expect(translate(.character(0xD800)) == nil) // a lone surrogate is not a character
    }

    @Test func functionKeys() {
        let expected: [(Int32, Key)] = [
            (KEY_LEFT, .left), (KEY_RIGHT, .right), (KEY_UP, .up), (KEY_DOWN, .down),
            (KEY_HOME, .home), (KEY_FIND, .home), (KEY_END, .end), (KEY_SELECT, .end),
            (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown), (KEY_BTAB, .backTab),
            (KEY_ENTER, .enter), (KEY_BACKSPACE, .backspace), (KEY_DC, .delete),
        ]
        for (code, key) in expected { #expect(translate(.keyCode(code)) == key) }
        #expect(translate(.keyCode(KEY_F0 + 5)) == nil)
    }

    @Test func extraHomeEndSequencesCoverXtermAndTmux() {
        let sequences = Dictionary(extraKeySequences, uniquingKeysWith: { a, _ in a })
        #expect(sequences["\u{1B}[H"] == KEY_HOME && sequences["\u{1B}OH"] == KEY_HOME && sequences["\u{1B}[1~"] == KEY_HOME)
        #expect(sequences["\u{1B}[F"] == KEY_END && sequences["\u{1B}OF"] == KEY_END && sequences["\u{1B}[4~"] == KEY_END)
    }

    /// What follows an Esc curses did not decode: keys for the sequences that name one, nothing
    /// (ignored, never the quitting Esc) for the rest.
    @Test func escapeSequences() {
        func chars(_ text: String) -> [RawInput] { text.unicodeScalars.map { .character($0.value) } }
        #expect(EscapeSequence.classify([]) == .incomplete)
        #expect(EscapeSequence.classify(chars("[")) == .incomplete)
        #expect(EscapeSequence.classify(chars("[A")) == .complete(.up))
        #expect(EscapeSequence.classify(chars("[B")) == .complete(.down))
        #expect(EscapeSequence.classify(chars("[1;5C")) == .complete(.right))
        #expect(EscapeSequence.classify(chars("OD")) == .complete(.left))
        #expect(EscapeSequence.classify(chars("[5~")) == .complete(.pageUp))
        #expect(EscapeSequence.classify(chars("[20")) == .incomplete)
        #expect(EscapeSequence.classify(chars("[200~")) == .complete(nil))
        #expect(EscapeSequence.classify(chars("[I")) == .complete(nil))
        #expect(EscapeSequence.classify(chars("a")) == .complete(nil))
        #expect(EscapeSequence.classify(chars("\u{1B}")) == .incomplete)
        #expect(EscapeSequence.classify(chars("\u{1B}[A")) == .complete(nil))
        #expect(EscapeSequence.classify([.keyCode(KEY_UP)]) == .complete(nil))
        #expect(EscapeSequence.classify(chars("[" + String(repeating: "1", count: 40))) == .complete(nil))
    }
}
