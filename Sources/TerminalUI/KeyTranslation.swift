import CNcurses
import RNNView

/// What one `get_wch` call delivered.
enum RawInput: Equatable {
    /// A character (`get_wch` returned OK).
    case character(UInt32)
    /// A function-key code (`get_wch` returned KEY_CODE_YES).
    case keyCode(Int32)
}

/// Translates one curses input to a `Key`; nil for inputs the app has no use for (they are skipped,
/// not reported, so they cannot be mistaken for a timeout). `KEY_RESIZE` is handled by the backend.
func translate(_ input: RawInput) -> Key? {
    switch input {
    case .character(let code):
        switch code {
        case 27: return .escape
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 3: return .interrupt
        case 0..<32, 0x80..<0xA0: return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .character(Character(scalar))
        }
    case .keyCode(let code):
        switch code {
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        // Some terminfo entries call the Home/End escapes "find"/"select" or keypad corners.
        case KEY_HOME, KEY_FIND, KEY_A1: return .home
        case KEY_END, KEY_SELECT, KEY_C1, KEY_LL: return .end
        case KEY_PPAGE, KEY_A3: return .pageUp
        case KEY_NPAGE, KEY_C3: return .pageDown
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        default: return nil
        }
    }
}

/// Escape sequences terminals send besides their terminfo entry, bound with `define_key` unless
/// already known: Home/End (xterm normal and application mode, vt220/tmux, rxvt), and the arrows in
/// both cursor-key modes, so an arrow still steps when the terminal left application mode (a shell
/// or another program ran while rnnscope was suspended).
let extraKeySequences: [(String, Int32)] = [
    ("\u{1B}[H", KEY_HOME), ("\u{1B}OH", KEY_HOME), ("\u{1B}[1~", KEY_HOME), ("\u{1B}[7~", KEY_HOME),
    ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END), ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END),
    ("\u{1B}[A", KEY_UP), ("\u{1B}[B", KEY_DOWN), ("\u{1B}[C", KEY_RIGHT), ("\u{1B}[D", KEY_LEFT),
    ("\u{1B}OA", KEY_UP), ("\u{1B}OB", KEY_DOWN), ("\u{1B}OC", KEY_RIGHT), ("\u{1B}OD", KEY_LEFT),
]

/// What follows an Esc that curses did not recognise as a key.
enum EscapeSequence: Equatable {
    /// The sequence may go on: read another input (with the escape delay as timeout).
    case incomplete
    /// The sequence is over: it means this key, or nothing the app knows (nil: ignore it).
    case complete(Key?)

    /// Longest tail read before giving up on a sequence (and ignoring it).
    static let maximumLength = 32

    /// Classifies `tail`, the inputs read after the Esc so far. An Esc with nothing after it within
    /// the escape delay is the Esc key; that is the caller's timeout, not decided here. Everything
    /// else an Esc starts — Alt+letter, an unknown CSI (`ESC [ 200 ~`, `ESC [ I`), Esc Esc — is
    /// consumed whole and ignored, so it can never read as Esc and quit; the arrows, Home/End and
    /// PgUp/PgDn in either cursor-key mode (with or without modifiers) give their keys.
    static func classify(_ tail: [RawInput]) -> EscapeSequence {
        guard let first = tail.first else { return .incomplete }
        if tail.count > maximumLength { return .complete(nil) }
        switch first {
        case .keyCode:
            return .complete(nil)  // Alt+<function key>: curses decoded the rest
        case .character(27):
            // Esc Esc, or Esc before a whole sequence (Alt+arrow on some terminals): ignored.
            if tail.count == 1 { return .incomplete }
            if case .complete = classify(Array(tail.dropFirst())) { return .complete(nil) }
            return .incomplete
        case .character(0x5B):  // ESC [ …: CSI, parameters and intermediates up to a final byte
            let body = tail.dropFirst()
            guard let last = body.last else { return .incomplete }
            guard case .character(let final) = last else { return .complete(nil) }
            switch final {
            case 0x20...0x3F: return .incomplete
            case 0x40...0x7E:
                let parameters = body.dropLast().compactMap { input -> Character? in
                    if case .character(let c) = input, let scalar = Unicode.Scalar(c) { return Character(scalar) }
                    return nil
                }
                return .complete(csiKey(final: final, parameters: String(parameters)))
            default: return .complete(nil)
            }
        case .character(0x4F):  // ESC O x: SS3, one more byte
            guard tail.count >= 2 else { return .incomplete }
            guard case .character(let final) = tail[1] else { return .complete(nil) }
            return .complete(arrowOrHome(final))
        default:
            return .complete(nil)  // Alt+letter
        }
    }

    private static func arrowOrHome(_ final: UInt32) -> Key? {
        switch final {
        case 0x41: return .up
        case 0x42: return .down
        case 0x43: return .right
        case 0x44: return .left
        case 0x48: return .home
        case 0x46: return .end
        default: return nil
        }
    }

    private static func csiKey(final: UInt32, parameters: String) -> Key? {
        let first = parameters.split(separator: ";", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if final == 0x7E {  // ESC [ n ~
            switch first {
            case "1", "7": return .home
            case "4", "8": return .end
            case "5": return .pageUp
            case "6": return .pageDown
            case "3": return .delete
            default: return nil
            }
        }
        if final == 0x5A, parameters.isEmpty { return .backTab }
        // ESC [ A … or with modifiers, ESC [ 1 ; 5 A (Ctrl+Up): the arrow it names.
        guard parameters.isEmpty || first == "1" else { return nil }
        return arrowOrHome(final)
    }
}
