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

/// Escape sequences terminals send for Home/End besides their terminfo entry (xterm normal and
/// application mode, vt220/tmux, rxvt). Bound with `define_key` unless already known.
let extraKeySequences: [(String, Int32)] = [
    ("\u{1B}[H", KEY_HOME), ("\u{1B}OH", KEY_HOME), ("\u{1B}[1~", KEY_HOME), ("\u{1B}[7~", KEY_HOME),
    ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END), ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END),
]
