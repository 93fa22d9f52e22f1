/// Draws the lesson's own chart (`LessonChart`, chosen and cut to what may show when the scene is built).
struct LessonWidget: View {
    let chart: LessonChart
    /// The lesson's page points at the output: the series plot, which shows the predictions, is highlighted.
    let outputHighlighted: Bool
    let theme: Theme

    func render(in area: Rect, into buffer: inout Buffer) {
        switch chart {
        case let .series(values, predictions, step, yRange):
            SeriesPlotPanel(values: values, predictions: predictions, step: step, yRange: yRange)
                .render(in: area, into: &buffer, theme: theme, focused: outputHighlighted)
        case let .samples(samples, logits, vocab, temperatures, highlighted, context):
            SamplesPanel(samples: samples, logits: logits, vocab: vocab, temperatures: temperatures,
                         highlighted: highlighted, context: context)
                .render(in: area, into: &buffer, theme: theme, focused: false)
        case let .lossCurve(losses, totalEpochs, isTraining, title):
            LossCurvePanel(losses: losses, totalEpochs: totalEpochs, isTraining: isTraining, title: title)
                .render(in: area, into: &buffer, theme: theme, focused: false)
        }
    }
}

extension Scene {
    /// The lesson chart as a panel, when the lesson has one.
    func lessonWidget(_ theme: Theme) -> LessonWidget? {
        lessonChart.map { LessonWidget(chart: $0, outputHighlighted: highlight == .output, theme: theme) }
    }
}
