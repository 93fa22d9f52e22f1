/// The key table. State-aware: while the input field is open keys edit text, and while a narration
/// question waits for an answer the digits 1–9 answer it (choice 1 is the lesson file's `a)`, 2 its
/// `b)`, …). Digits are no command, so every command key keeps its meaning while a question waits and
/// a learner cannot answer by accident.
public func keymap(_ key: Key, state: AppState) -> Action? {
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
        // Any key closes help except quit keys, which still quit.
        if key == .character("q") { return .quit }
        return .toggleHelp
    }
    if case .character(let ch) = key, let q = state.narration?.openQuestion,
       let digit = ch.wholeNumberValue, ch.isASCII, q.choices.indices.contains(digit - 1) {
        return .answer(q.choices[digit - 1].letter)
    }
    return keyTable[key]
}

/// One row per binding, also the source of the help overlay.
struct KeyBinding {
    let keys: String
    let help: String
}

let keyTable: [Key: Action] = [
    .right: .stepForward, .character("l"): .stepForward,
    .left: .stepBackward, .character("h"): .stepBackward,
    .home: .firstStep, .character("g"): .firstStep,
    .end: .lastStep, .character("G"): .lastStep,
    .character(" "): .togglePlay,
    .character("+"): .faster, .character("="): .faster,
    .character("-"): .slower,
    .character("b"): .toggleMode,
    .down: .nextUnit, .character("j"): .nextUnit,
    .up: .previousUnit, .character("k"): .previousUnit,
    .tab: .focusNext, .backTab: .focusPrevious,
    .character("o"): .cycleOverview,
    .character("L"): .cycleLayer,
    .character("c"): .toggleCompare,
    .character("/"): .beginEdit, .character("i"): .beginEdit,
    .character("e"): .export,
    .character("t"): .toggleTraining,
    .character("?"): .toggleHelp,
    .character("n"): .nextLesson, .character("p"): .previousLesson,
    .character("r"): .restoreLessonInput,
    .pageUp: .narrationUp, .pageDown: .narrationDown,
    .character("q"): .quit, .escape: .escape,
]

let keyHelp: [KeyBinding] = [
    KeyBinding(keys: "← → / h l", help: "previous / next time step"),
    KeyBinding(keys: "Home End / g G", help: "first / last step"),
    KeyBinding(keys: "space", help: "play / pause"),
    KeyBinding(keys: "+ -", help: "faster / slower playback"),
    KeyBinding(keys: "b", help: "forward pass / backward (BPTT) view"),
    KeyBinding(keys: "↑ ↓ / k j", help: "select hidden unit (drives equations)"),
    KeyBinding(keys: "Tab Shift-Tab", help: "move focus between panels"),
    KeyBinding(keys: "o", help: "cycle overview quantity (h, c, gates, dL/dh)"),
    KeyBinding(keys: "L", help: "next layer of a stacked model (panels show it)"),
    KeyBinding(keys: "c", help: "compare tanh RNN / LSTM / GRU (needs a model)"),
    KeyBinding(keys: "/ or i", help: "edit the input text (Enter run, Esc cancel)"),
    KeyBinding(keys: "e", help: "export the current trace (needs a model)"),
    KeyBinding(keys: "t", help: "train the lesson's model live, from its seed"),
    KeyBinding(keys: "1 2 3 …", help: "answer the lesson's question (while it is open)"),
    KeyBinding(keys: "n p", help: "next / previous lesson of the course"),
    KeyBinding(keys: "PgUp PgDn", help: "scroll the lesson text when it does not fit"),
    KeyBinding(keys: "r", help: "back to the lesson's own input after editing it"),
    KeyBinding(keys: "?", help: "this help (any key closes it)"),
    KeyBinding(keys: "q Esc Ctrl-C", help: "quit, answers kept (Esc first closes overlays)"),
]
