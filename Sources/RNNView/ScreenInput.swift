import RNNLessons
import RNNTrace

/// What every full-screen view (`--view sum`, `weights`, `cell`, `text`, `connect`) reads from the frame:
/// the recording, the selected step and unit, the direction, and what a waiting lesson question covers.
/// Built once per frame from the scene (`Scene.screenInput`), so the screens share one source for it.
struct ScreenInput {
    let recording: Recording
    let step: Int
    /// The selected hidden unit.
    let unit: Int
    let mode: StepMode
    /// What a waiting lesson question hides: the gates, the gradients, the output, the steps after it.
    let cover: QuestionCover
}

/// A view drawn from a `ScreenInput`: the input's fields read as the view's own.
protocol ScreenView: View {
    var input: ScreenInput { get }
}

extension ScreenView {
    var recording: Recording { input.recording }
    var step: Int { input.step }
    var unit: Int { input.unit }
    var mode: StepMode { input.mode }
    var cover: QuestionCover { input.cover }
}
