import RNNEngine
import RNNLessons
import RNNTrace

/// What one frame shows, built once per frame from the app state (`Scene(state)`): the recording and the
/// selection in it, what a waiting question covers, where the keyboard and the lesson point, the lesson's
/// page and chart, and the scales. Panels are drawn from a scene and never see `AppState`, so what they
/// may show is decided here, once: the question cover (`cover`, with the rule in `QuestionCover`), the
/// mean loss (nil while the output is covered), and the lesson chart's values (cut to what is revealed).
struct Scene {
    /// The run as the panels show it: for a stacked model, the selected layer's values.
    let recording: Recording
    /// Whole-run numbers of `recording` (gradient scales, ‖dL/dh‖ range), computed once per recording.
    let statistics: TraceStatistics
    let step: Int
    let mode: StepMode
    /// The selected hidden unit (drives the equations).
    let unit: Int
    /// The recurrent layer shown (0 = bottom) and how many there are.
    let layer: Int
    let layerCount: Int
    /// The values at `step`, read once for the frame (nil when the run has no steps).
    let current: RecordedStep?
    /// What a waiting question hides on screen.
    let cover: QuestionCover
    /// The panel Tab moved to, and the panel the lesson's page points at (`highlight:`).
    let focus: PanelID
    let highlight: PanelID?
    /// The focused panel takes the whole screen (`z`).
    let zoomed: Bool
    let overview: OverviewQuantity
    let narration: Narration?
    let narrationScroll: Int
    /// The header's title: the lesson ("Lesson 2: …"), else the model's name.
    let title: String
    /// The run's mean loss where the screen may show it (nil while a question covers the output).
    let meanLoss: Double?
    let isPlaying: Bool
    /// Playback speed in steps per second.
    let speed: Double
    let edit: EditField?
    let status: StatusMessage?
    /// The three cells side by side on the same input (the compare view), each with its statistics.
    let comparison: [(recording: Recording, statistics: TraceStatistics)]?
    /// The lesson's own chart beside the panels, with the values it may show.
    let lessonChart: LessonChart?
    let options: ViewOptions
    let showHelp: Bool
    let helpShowsLegend: Bool
    /// Whether a lesson is open (its hints differ).
    let inLesson: Bool
    /// ‖∂L_t/∂x_s‖ of the run, computed (once per recording, by the app's cache) only while the connect
    /// screen is open; nil elsewhere and for a run without weights.
    let connectivity: InputSensitivity?

    init(_ state: AppState) {
        recording = state.trace
        statistics = state.statistics
        step = state.step
        mode = state.mode
        unit = state.unit
        layer = state.layer
        layerCount = state.layerCount
        current = state.currentStep
        cover = state.questionCover
        focus = state.focus
        zoomed = state.zoomed
        highlight = state.narration?.highlightPanel
        overview = state.overview
        narration = state.narration
        narrationScroll = state.narrationScroll
        if let lesson = state.lesson {
            title = (state.coursePosition.map { "Lesson \($0.number): " } ?? "Lesson: ") + lesson.lesson.title
        } else {
            title = state.trace.modelName ?? "recorded trace"
        }
        meanLoss = state.questionCover.output ? nil : state.trace.loss
        isPlaying = state.isPlaying
        speed = state.speed
        edit = state.edit
        status = state.status
        comparison = state.comparison.map { traces in
            traces.enumerated().map { k, trace in
                (trace, k < state.comparisonStatistics.count ? state.comparisonStatistics[k] : TraceStatistics(trace))
            }
        }
        lessonChart = LessonChart(state)
        options = state.options
        showHelp = state.showHelp
        helpShowsLegend = state.helpShowsLegend
        inLesson = state.lesson != nil
        connectivity = state.options.screen == .connect ? state.sensitivityCache.map(for: state.trace) : nil
    }

    var stepCount: Int { recording.stepCount }
    var hiddenSize: Int { recording.hiddenSize }
    /// "layer 2/3" for titles when the model is stacked; nil for a single layer.
    var layerLabel: String? { layerCount > 1 ? "layer \(layer + 1)/\(layerCount)" : nil }
    /// ", layer 1/2" after a panel title when the model has stacked layers (the layer the panel shows).
    var layerSuffix: String { layerLabel.map { ", \($0)" } ?? "" }
    /// What the full-screen views read: the recording, the selection and the cover.
    var screenInput: ScreenInput { ScreenInput(recording: recording, step: step, unit: unit, mode: mode, cover: cover) }

    /// Whether the waiting question hides a quantity of the overview.
    func covers(_ q: OverviewQuantity) -> Bool {
        switch q {
        case .gradH, .gradC: return cover.gradients
        case .gate: return cover.gates
        case .hidden, .cell: return false
        }
    }

    /// Whether a panel's border is drawn heavy: the lesson's page points at it.
    func isFocused(_ id: PanelID) -> Bool { highlight == id }

    /// Whether Tab's focus is on a panel: its title is marked ("▶ State …") and `z` zooms it.
    func hasKeyboardFocus(_ id: PanelID) -> Bool { focus == id }
}

/// The lesson-specific chart shown beside the step panels, chosen from what the lesson is about, with only
/// the values the question cover leaves visible.
enum LessonChart {
    /// A number series (regression lessons): the inputs and the model's predictions so far.
    case series(values: [Double], predictions: [Double], step: Int, yRange: ClosedRange<Double>?)
    /// Samples at several temperatures (lessons with `temperature:`), and this step's distribution.
    case samples(samples: [(temperature: Double, text: String)], logits: [Double], vocab: [String], temperatures: [Double],
                 highlighted: Int?, context: String)
    /// The training loss per epoch (lessons whose text quotes `epoch_loss`, and live training).
    case lossCurve(losses: [Double], totalEpochs: Int, isTraining: Bool, title: String)

    init?(_ state: AppState) {
        if let live = state.training {
            self = .lossCurve(losses: live.session.epochLosses, totalEpochs: live.session.totalEpochs,
                              isTraining: live.isRunning, title: "Training loss (live)")
            return
        }
        guard let playback = state.lesson, state.showsLessonInput else { return nil }
        let trace = state.trace
        let cover = state.questionCover
        if trace.isRegression {
            let allValues = (0..<trace.stepCount).map { t in trace.x(at: t).first.map(Double.init) ?? .nan }
            let allPredictions = (0..<trace.stepCount).compactMap { trace.prediction(at: $0) }
            // While a question waits, no later value (the next one is the target) and no later prediction;
            // this step's prediction too when the question is about the output.
            let values = cover.waiting ? Array(allValues.prefix(state.step + 1)) : allValues
            let predictions = cover.output ? Array(allPredictions.prefix(state.step))
                : cover.waiting ? Array(allPredictions.prefix(state.step + 1)) : allPredictions
            let all = (allValues + allPredictions).filter(\.isFinite)
            self = .series(values: values, predictions: predictions, step: state.step,
                           yRange: all.isEmpty ? nil : (all.min()!...all.max()!))
        } else if !playback.lesson.temperatures.isEmpty, !playback.run.samples.isEmpty {
            let temperatures = playback.lesson.temperatures
            let samples = temperatures.compactMap { t in playback.run.samples[t].map { (temperature: t, text: $0) } }
            let s = state.currentStep
            let separator = state.inputText.contains(" ") && !trace.vocab.allSatisfy { $0.count == 1 } ? " " : ""
            let context = trace.tokens.prefix(state.step + 1).joined(separator: separator)
            // The distribution gives the model's answer away: covered while a question about the output waits.
            self = .samples(samples: samples, logits: cover.output ? [] : (s?.logits ?? []), vocab: trace.vocab,
                            temperatures: temperatures, highlighted: s?.target, context: context)
        } else if playback.quotesTrainingLoss, let losses = playback.run.primaryRun?.epochLosses, !losses.isEmpty {
            // Losses give the output's answers away: none while the question cover hides the output.
            let shown = cover.output ? [] : losses
            self = .lossCurve(losses: shown, totalEpochs: shown.count, isTraining: false, title: "Training loss")
        } else {
            return nil
        }
    }
}
