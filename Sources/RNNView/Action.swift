import RNNLessons
import RNNTrace

/// The panels of the main screen, in Tab order.
public enum PanelID: String, Sendable, CaseIterable {
    case state, gates, output, gradients, equations, overview, narration
}

/// What the overview heatmap shows over units × time.
public enum OverviewQuantity: Equatable, Sendable {
    case hidden
    case cell
    case gate(Gate)
    case gradH
    case gradC

    /// What a recording can show, in the order `o` cycles through them.
    static func choices(for recording: Recording) -> [OverviewQuantity] {
        var list: [OverviewQuantity] = [.hidden]
        if recording.hasCellState { list.append(.cell) }
        list += recording.cell.gates.map { .gate($0) }
        list.append(.gradH)
        if recording.hasCellState { list.append(.gradC) }
        return list
    }

    var isGradient: Bool { self == .gradH || self == .gradC }

    /// Short name for the panel title.
    public var label: String {
        switch self {
        case .hidden: return "h"
        case .cell: return "c"
        case .gate(let g): return "gate \(g.symbol)"
        case .gradH: return "dL/dh"
        case .gradC: return "dL/dc"
        }
    }
}

/// Everything a key can ask the app to do. `AppState.apply` is the only interpreter.
public enum Action: Equatable, Sendable {
    case stepForward, stepBackward, firstStep, lastStep
    case jump(Int)
    case togglePlay, faster, slower
    /// The loop's timer fired: advance one step when playing.
    case tick
    case toggleMode
    case setMode(StepMode)
    case nextUnit, previousUnit
    case focusNext, focusPrevious
    case cycleOverview
    /// Show the next recurrent layer of a stacked model (wrapping from the top to the bottom).
    case cycleLayer
    case toggleCompare
    case beginEdit, editInsert(Character), editBackspace, editLeft, editRight, editSubmit, editCancel
    case export
    /// Start, pause or resume training the lesson's model live.
    case toggleTraining
    /// Train exactly one more epoch of the live run (its slowest pace: one epoch per key).
    case trainOneEpoch
    /// The focused panel takes the whole screen, or gives it back.
    case toggleZoom
    case toggleHelp
    /// Inside the help: switch between the keys and what the glyphs, colours and markers mean.
    case toggleHelpLegend
    /// Answer the lesson's open question on this page with the choice the lesson file letters so (`a`,
    /// `b`, …); the screen numbers the choices and the digit keys ask for them (1 is `a`).
    case answer(Character)
    /// Open the next / previous lesson of the course.
    case nextLesson, previousLesson
    /// Put the lesson's own input back after editing it.
    case restoreLessonInput
    /// Scroll the narration panel when its text does not fit.
    case narrationUp, narrationDown
    /// Go to the lesson's next narrated page, in the order its story is told (forward, then back through
    /// time): a presenter walks a lesson with one key, and a waiting question stops it as it stops play.
    case nextNarratedPage
    /// Switch the presenter's layout for a projector on or off.
    case togglePresenter
    /// Draw the next screen (panels, then the views that explain a number, the cell, the weights …).
    case nextScreen
    /// Closes the topmost overlay (help, edit, compare); quits when there is none.
    case escape
    case quit
}
