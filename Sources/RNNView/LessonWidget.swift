import RNNLessons
import RNNTrace

/// The lesson-specific chart shown beside the step panels, chosen from what the lesson is about:
/// a number series (regression lessons), samples at several temperatures (lessons with `temperature:`),
/// or the training loss per epoch (lessons whose placeholders quote `epoch_loss`).
struct LessonWidget: View {
    let state: AppState
    let theme: Theme

    /// Whether the current lesson has a chart to show.
    static func applies(to state: AppState) -> Bool { kind(state) != nil }

    private enum Kind { case series, samples, lossCurve }

    private static func kind(_ state: AppState) -> Kind? {
        if state.training != nil { return .lossCurve }
        guard let playback = state.lesson, state.showsLessonInput else { return nil }
        if state.trace.isRegression { return .series }
        if !playback.lesson.temperatures.isEmpty, !playback.run.samples.isEmpty { return .samples }
        if playback.quotesTrainingLoss, playback.run.primaryRun?.epochLosses.isEmpty == false { return .lossCurve }
        return nil
    }

    func render(in area: Rect, into buffer: inout Buffer) {
        guard let kind = Self.kind(state) else { return }
        if kind == .lossCurve, let live = state.training {
            LossCurvePanel(losses: live.session.epochLosses, totalEpochs: live.session.totalEpochs,
                           isTraining: live.isRunning, title: "Training loss (live)")
                .render(in: area, into: &buffer, theme: theme, focused: false)
            return
        }
        guard let playback = state.lesson else { return }
        let trace = state.trace
        switch kind {
        case .series:
            let allValues = (0..<trace.stepCount).map { t in trace.x(at: t).first.map(Double.init) ?? .nan }
            let all_ = (0..<trace.stepCount).compactMap { trace.prediction(at: $0) }
            // The question cover: while a question waits, no later value (the next one is the target) and no
            // later prediction; this step's prediction too when the question is about the output.
            let cover = state.questionCover
            let values = cover.waiting ? Array(allValues.prefix(state.step + 1)) : allValues
            let predictions = cover.output ? Array(all_.prefix(state.step)) : cover.waiting ? Array(all_.prefix(state.step + 1)) : all_
            let all = (allValues + all_).filter(\.isFinite)
            let range = all.isEmpty ? nil : (all.min()!...all.max()!)
            SeriesPlotPanel(values: values, predictions: predictions, step: state.step, yRange: range)
                .render(in: area, into: &buffer, theme: theme, focused: state.narration?.highlightPanel == .output)
        case .samples:
            let temperatures = playback.lesson.temperatures
            let samples = temperatures.compactMap { t in playback.run.samples[t].map { (temperature: t, text: $0) } }
            let s = state.currentStep
            let context = trace.tokens.prefix(state.step + 1).joined(separator: state.inputText.contains(" ") && !trace.vocab.allSatisfy { $0.count == 1 } ? " " : "")
            // The distribution gives the model's answer away: covered while a question about the output waits.
            let open = state.questionCover.output
            SamplesPanel(samples: samples, logits: open ? [] : (s?.logits ?? []), vocab: trace.vocab, temperatures: temperatures,
                         highlighted: s?.target, context: context)
                .render(in: area, into: &buffer, theme: theme, focused: false)
        case .lossCurve:
            // Losses give the output's answers away: none while the question cover hides the output.
            let losses = state.questionCover.output ? [] : playback.run.primaryRun?.epochLosses ?? []
            LossCurvePanel(losses: losses, totalEpochs: losses.count)
                .render(in: area, into: &buffer, theme: theme, focused: false)
        }
    }
}
