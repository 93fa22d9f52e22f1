/// The key table. State-aware: while the input field is open keys edit text, and while a narration
/// question waits for an answer the digits 1–9 answer it (choice 1 is the lesson file's `a)`, 2 its
/// `b)`, …). Digits are no command, so every command key keeps its meaning while a question waits and
/// a learner cannot answer by accident.
public func keymap(_ key: Key, state: AppState) -> Action? {
    // Ctrl-C quits from anywhere, the input field included.
    if key == .interrupt { return .quit }
    if state.edit != nil {
        switch key {
        case .enter: return .editSubmit
        case .escape: return .editCancel
        case .backspace, .delete: return .editBackspace
        case .left: return .editLeft
        case .right: return .editRight
        case .character(let ch) where !ch.isNewline: return .editInsert(ch)
        default: return nil
        }
    }
    if state.showHelp {
        // ? turns the page (keys / what the screen shows); any other key closes help, except q, which quits.
        if key == .character("q") { return .quit }
        if key == .character("?") { return .toggleHelpLegend }
        return .toggleHelp
    }
    if case .character(let ch) = key, let q = state.narration?.openQuestion,
       let digit = ch.wholeNumberValue, ch.isASCII, q.choices.indices.contains(digit - 1) {
        return .answer(q.choices[digit - 1].letter)
    }
    return keyTable[key]
}

/// One line of the key table: the keys, the action each asks for, and the help text. The keymap
/// (`keyTable`) and the help overlay are both read from `keyBindings`, so a key cannot be bound without
/// being listed, or listed without being bound.
struct KeyBinding {
    /// Each action of the line with the keys that ask for it, in the order the help names them.
    let actions: [(action: Action, keys: [Key])]
    let help: String
    /// How the help names keys that are not in `actions` (the answer digits depend on the question).
    private let shownKeys: String?

    /// `shownKeys` names the keys where the generated order would not read well ("/ i · r").
    init(_ actions: [(action: Action, keys: [Key])], help: String, shownKeys: String? = nil) {
        self.actions = actions
        self.help = help
        self.shownKeys = shownKeys
    }

    init(shownKeys: String, help: String) {
        self.actions = []
        self.help = help
        self.shownKeys = shownKeys
    }

    /// The keys as the help shows them: one action's keys joined by "or" ("/ or i"); for several, the
    /// first key of each, then the second of each, … ("← → / h l": ← and h for the first action).
    var keys: String {
        if let shownKeys { return shownKeys }
        if actions.count == 1 { return actions[0].keys.map(\.helpName).joined(separator: " or ") }
        let depth = actions.map(\.keys.count).max() ?? 0
        return (0..<depth).map { k in
            actions.compactMap { $0.keys.indices.contains(k) ? $0.keys[k].helpName : nil }.joined(separator: " ")
        }.joined(separator: " / ")
    }
}

/// Every key of the viewer, in the order the help overlay lists them.
let keyBindings: [KeyBinding] = [
    KeyBinding([(.stepBackward, [.left, .character("h")]), (.stepForward, [.right, .character("l")])], help: "previous / next time step"),
    KeyBinding([(.firstStep, [.home, .character("g")]), (.lastStep, [.end, .character("G")])], help: "first / last step"),
    KeyBinding([(.togglePlay, [.character(" ")])], help: "play / pause"),
    KeyBinding([(.faster, [.character("+"), .character("=")]), (.slower, [.character("-")])], help: "faster / slower playback (or training pace)"),
    KeyBinding([(.toggleMode, [.character("b")])], help: "forward pass / backward (BPTT) view"),
    KeyBinding([(.previousUnit, [.up, .character("k")]), (.nextUnit, [.down, .character("j")])], help: "select hidden unit (drives equations)"),
    KeyBinding([(.focusNext, [.tab]), (.focusPrevious, [.backTab]), (.toggleZoom, [.character("z")])],
               help: "focus a panel (▶ title) / z: it takes the screen"),
    KeyBinding([(.cycleOverview, [.character("o")])], help: "cycle overview quantity (h, c, gates, dL/dh)"),
    KeyBinding([(.cycleLayer, [.character("L")])], help: "next layer of a stacked model (panels show it)"),
    KeyBinding([(.toggleCompare, [.character("c")])], help: "compare tanh RNN / LSTM / GRU (needs a model)"),
    KeyBinding([(.beginEdit, [.character("/"), .character("i")]), (.restoreLessonInput, [.character("r")])],
               help: "edit the input (Enter runs) / r: the lesson's own", shownKeys: "/ i · r"),
    KeyBinding([(.export, [.character("e")])], help: "export the current trace (needs a model)"),
    KeyBinding([(.toggleTraining, [.character("t")]), (.trainOneEpoch, [.character(".")])],
               help: "train the model live from its seed / one epoch", shownKeys: "t · ."),
    KeyBinding(shownKeys: "1 2 3 …", help: "answer the lesson's question (while it is open)"),
    KeyBinding([(.nextNarratedPage, [.enter])], help: "the lesson's next narrated page (its story in order)"),
    KeyBinding([(.nextLesson, [.character("n")]), (.previousLesson, [.character("p")])], help: "next / previous lesson of the course"),
    KeyBinding([(.togglePresenter, [.character("P")])], help: "presenter layout for a projector (dark on white)"),
    KeyBinding([(.nextScreen, [.character("v")])], help: "next view (" + ScreenKind.allCases.map(\.rawValue).joined(separator: ", ") + ")"),
    KeyBinding([(.narrationUp, [.pageUp]), (.narrationDown, [.pageDown])], help: "scroll the lesson text when it does not fit"),
    KeyBinding([(.toggleHelp, [.character("?")])], help: "this help (? again: what glyphs and colours mean)"),
    KeyBinding([(.quit, [.character("q"), .interrupt]), (.escape, [.escape])], help: "quit, answers kept (Esc first closes overlays)"),
]

/// The command each key asks for, from `keyBindings`.
let keyTable: [Key: Action] = Dictionary(
    keyBindings.flatMap { line in line.actions.flatMap { entry in entry.keys.map { ($0, entry.action) } } },
    uniquingKeysWith: { first, _ in first })

extension Key {
    /// The key as the help overlay names it.
    var helpName: String {
        switch self {
        case .character(" "): return "space"
        case .character(let c): return String(c)
        case .left: return "←"
        case .right: return "→"
        case .up: return "↑"
        case .down: return "↓"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .interrupt: return "Ctrl-C"
        case .resize: return "resize"
        }
    }
}
