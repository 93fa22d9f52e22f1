import Foundation
import RNNLessons
import Testing
@testable import RNNView

/// The lesson widgets (loss curve, series plot, samples by temperature): text snapshots in every
/// colour/glyph mode, and behaviour at every size and with bad numbers.
/// Record with RNNSCOPE_RECORD_SNAPSHOTS=1 after checking the frames by eye.
@Suite struct LessonWidgetsTests {
    // MARK: - Data

    /// A training run of 200 epochs: fast fall, then a slow one, with a little noise.
    static let losses: [Double] = (0..<200).map { e in
        let x = Double(e)
        return 0.41 + 1.9 * exp(-x / 25) + 0.02 * sin(x * 1.7)
    }

    /// Lesson 9's input (a noisy sine wave) and predictions of the next value close to it.
    static let series: [Double] = [0.02, 0.4, 0.72, 0.97, 1.03, 0.9, 0.7, 0.4, -0.03, -0.4, -0.7, -0.93, -1.01, -0.95]
    static let predictions: [Double] = series.indices.map { t in
        t + 1 < series.count ? series[t + 1] - 0.12 * cos(Double(t)) : -0.62
    }

    static let vocab = [" ", "e", "a", "t", "o", "n", "s", "h", "r", "i", "b", "g", "\n", "A", "l", "c", "w", ","]
    static let logits: [Double] = [2.9, 2.1, 1.6, 1.2, 0.9, 0.7, 0.4, 0.2, 0.1, 0.0, -0.3, -0.5, -0.6, -1.0, -1.2, -1.4, -1.7, -2.0]
    static let samples: [(temperature: Double, text: String)] = [
        (0.5, "Alice was beginning to get very tired of sitting by her sister on the bank"),
        (1.0, "Alice was bearing to get vere tired of sitting,\nher sister on the ban"),
        (2.0, "Alice wasbhgn ,o tyr eeAcwlilr ohs\nbtan g iwsl,"),
    ]

    static func lossPanel(live: Bool = false) -> LossCurvePanel {
        live ? LossCurvePanel(losses: Array(losses.prefix(70)), totalEpochs: 200, isTraining: true)
             : LossCurvePanel(losses: losses, totalEpochs: 200)
    }

    static func seriesPanel(step: Int = 6) -> SeriesPlotPanel {
        SeriesPlotPanel(values: series, predictions: predictions, step: step)
    }

    static func samplesPanel() -> SamplesPanel {
        SamplesPanel(samples: samples, logits: logits, vocab: vocab, temperatures: [0.5, 1.0, 2.0], highlighted: 0,
                     topK: 5, context: "Alice was")
    }

    enum Widget: String, CaseIterable {
        case loss, lossLive = "loss-live", series, samples
    }

    static func draw(_ widget: Widget, in area: Rect, into buffer: inout Buffer, options: ViewOptions) {
        switch widget {
        case .loss: lossPanel().render(in: area, into: &buffer, options: options)
        case .lossLive: lossPanel(live: true).render(in: area, into: &buffer, options: options)
        case .series: seriesPanel().render(in: area, into: &buffer, options: options)
        case .samples: samplesPanel().render(in: area, into: &buffer, options: options)
        }
    }

    static func frame(_ widget: Widget, width: Int, height: Int, options: ViewOptions) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        draw(widget, in: buffer.area, into: &buffer, options: options)
        return buffer
    }

    static let sizes: [Widget: (Int, Int)] = [.loss: (60, 14), .lossLive: (60, 14), .series: (72, 16), .samples: (78, 17)]

    // MARK: - Snapshots

    @Test(arguments: Widget.allCases)
    func snapshotsInEveryMode(_ widget: Widget) throws {
        let (w, h) = Self.sizes[widget]!
        let modes: [(String, ViewOptions)] = [
            ("mono", ViewOptions(colorMode: .monochrome, glyphs: .unicode)),
            ("color", ViewOptions(colorMode: .color256, glyphs: .unicode)),
            ("color8", ViewOptions(colorMode: .color8, glyphs: .unicode)),
            ("ascii", ViewOptions(colorMode: .monochrome, glyphs: .ascii)),
        ]
        for (name, options) in modes {
            let buffer = Self.frame(widget, width: w, height: h, options: options)
            // The colour snapshots carry the style map; mono and ASCII are about the glyphs.
            let styled = options.colorMode != .monochrome
            try assertSnapshot(snapshotText(buffer, withStyles: styled), named: "widget-\(widget.rawValue)-\(w)x\(h)-\(name)")
        }
    }

    @Test(arguments: Widget.allCases)
    func monochromeHasNoColoursAndASCIIHasNoUnicode(_ widget: Widget) {
        let (w, h) = Self.sizes[widget]!
        let mono = Self.frame(widget, width: w, height: h, options: ViewOptions(colorMode: .monochrome))
        let coloured = mono.cells.filter { $0.style.foreground != .default || $0.style.background != .default }
        #expect(coloured.isEmpty, "\(coloured.count) coloured cells in monochrome\n\(snapshotText(mono, withStyles: false))")
        #expect(!mono.cells.contains { $0.style.modifiers.contains(.dim) }, "dim is a grey shade; not in monochrome")
        let ascii = Self.frame(widget, width: w, height: h, options: ViewOptions(colorMode: .monochrome, glyphs: .ascii))
        let nonASCII = ascii.lines.joined().filter { !$0.isASCII }
        #expect(nonASCII.isEmpty, "non-ASCII glyphs in ASCII mode: \(Set(nonASCII))\n\(snapshotText(ascii, withStyles: false))")
    }

    // MARK: - Sizes

    /// Every size from 0×0 to 60×20, in a buffer filled with a sentinel: nothing outside the rect changes.
    @Test(arguments: Widget.allCases)
    func neverDrawsOutsideItsRect(_ widget: Widget) {
        let sentinel = Cell("§", style: Style(foreground: .indexed(99), modifiers: .underline))
        for options in [ViewOptions(colorMode: .color256, glyphs: .unicode), ViewOptions(colorMode: .monochrome, glyphs: .ascii)] {
            for w in 0...60 {
                for h in 0...20 {
                    var buffer = Buffer(width: 64, height: 24)
                    buffer.fill(buffer.area, with: sentinel)
                    let area = Rect(x: 2, y: 3, width: w, height: h)
                    Self.draw(widget, in: area, into: &buffer, options: options)
                    var outside = 0, inside = 0
                    for y in 0..<buffer.height {
                        for x in 0..<buffer.width {
                            let within = x >= area.x && x < area.maxX && y >= area.y && y < area.maxY
                            if !within && buffer[x, y] != sentinel { outside += 1 }
                            if within && buffer[x, y] != sentinel { inside += 1 }
                        }
                    }
                    #expect(outside == 0, "\(widget) \(w)x\(h): \(outside) cells drawn outside\n\(snapshotText(buffer, withStyles: false))")
                    if w >= 2 && h >= 2 { #expect(inside > 0, "\(widget) \(w)x\(h) drew nothing") }
                    if outside > 0 { return }
                }
            }
        }
    }

    @Test func smallPanelsKeepTheMostImportantLine() {
        let mono = ViewOptions(colorMode: .monochrome)
        // Three rows: a border, one line, a border — the latest loss, the current numbers.
        let loss = Self.frame(.loss, width: 40, height: 3, options: mono).lines.joined(separator: "\n")
        #expect(loss.contains("epoch 200: loss"), "\(loss)")
        let live = Self.frame(.lossLive, width: 40, height: 3, options: mono).lines.joined(separator: "\n")
        #expect(live.contains("training… epoch 70/200"), "\(live)")
        let series = Self.frame(.series, width: 40, height: 3, options: mono).lines.joined(separator: "\n")
        #expect(series.contains("t=6"), "\(series)")
    }

    // MARK: - Loss curve

    @Test func lossCurveLabelsRangeAndLatestValue() {
        let b = Self.frame(.loss, width: 60, height: 14, options: ViewOptions(colorMode: .monochrome))
        let text = b.lines.joined(separator: "\n")
        let lo = Self.losses.min()!, hi = Self.losses.max()!
        #expect(text.contains(NumberText.short(hi)) && text.contains(NumberText.short(lo)), "y-axis max/min\n\(text)")
        #expect(text.contains("◀" + NumberText.short(Self.losses.last!)), "latest value labelled\n\(text)")
        #expect(text.contains("epoch") && text.contains("200"), "x-axis\n\(text)")
        // The curve falls: the first column is filled higher than the last.
        let firstColumnHeight = b.lines.filter { $0.contains("│█") }.count
        #expect(firstColumnHeight >= 6, "\(text)")
    }

    @Test func liveLossCurveGrowsFromTheLeftWithProgress() {
        let b = Self.frame(.lossLive, width: 60, height: 14, options: ViewOptions(colorMode: .monochrome))
        let text = b.lines.joined(separator: "\n")
        #expect(text.contains("training… epoch 70/200"), "\(text)")
        #expect(text.contains(" 35%"), "\(text)")
        // 70 of 200 epochs: the right part of the plot is still empty.
        let row = b.lines.first { $0.contains("▁") }!
        #expect(row.hasSuffix("     │"), "\(text)")
        var waiting = Buffer(width: 50, height: 10)
        LossCurvePanel(losses: [], totalEpochs: 30, isTraining: true, progress: 0)
            .render(in: waiting.area, into: &waiting, options: ViewOptions())
        #expect(waiting.lines.joined().contains("waiting for the first epoch"))
    }

    @Test func nonFiniteLossesAreSpelledOut() {
        for bad in [Double.nan, .infinity, -.infinity] {
            var losses = Self.losses
            losses[150] = bad
            losses[199] = bad
            for options in [ViewOptions(), ViewOptions(colorMode: .monochrome, glyphs: .ascii)] {
                var b = Buffer(width: 60, height: 14)
                LossCurvePanel(losses: losses).render(in: b.area, into: &b, options: options)
                let text = b.lines.joined(separator: "\n")
                #expect(text.contains(NumberText.special(bad)!), "\(text)")
                #expect(text.contains("!"), "non-finite columns are marked\n\(text)")
            }
        }
        var b = Buffer(width: 40, height: 8)
        LossCurvePanel(losses: [.nan, .nan]).render(in: b.area, into: &b, options: ViewOptions())
        #expect(b.lines.joined().contains("NaN"))
    }

    // MARK: - Series

    @Test func seriesNumbersAndAlignment() throws {
        let b = Self.frame(.series, width: 100, height: 16, options: ViewOptions(colorMode: .monochrome))
        let text = b.lines.joined(separator: "\n")
        let t = 6, x = Self.series[t], p = Self.predictions[t], a = Self.series[t + 1]
        let n = { (v: Double) in String(format: "%.2f", v) }
        let expected = "t=6: x=\(n(x)), predicted next \(n(p)), actual next \(n(a)), error \(n(abs(p - a)))"
        #expect(text.contains(expected), "\(expected)\n\(text)")
        #expect(text.contains("● x_t input") && text.contains("○ predicted x_(t+1)"), "legend\n\(text)")
        #expect(text.contains("▲ t=6"), "cursor label\n\(text)")
        // The cursor column holds x_6's mark; the prediction made at t=6 sits one step to the right.
        let cursorRow = b.lines.firstIndex { $0.contains("▲ t=6") }!
        let cursorX = Array(b.lines[cursorRow]).firstIndex(of: "▲")!
        let column = (0..<cursorRow).map { Array(b.lines[$0])[cursorX] }
        #expect(column.contains("●") || column.contains("◉"), "x_t at the cursor: \(column)")
        #expect(column.filter { $0 == "│" }.count >= 5, "vertical cursor: \(column)")
        // Last step: no actual next value, the prediction is one step past the series.
        var end = Buffer(width: 100, height: 16)
        Self.seriesPanel(step: 13).render(in: end.area, into: &end, options: ViewOptions(colorMode: .monochrome))
        let endText = end.lines.joined(separator: "\n")
        #expect(endText.contains("actual next — (end)"), "\(endText)")
        #expect(endText.contains("14"), "x-axis extends to the predicted step\n\(endText)")
    }

    @Test func seriesNonFiniteValuesAreSpelledOut() {
        var values = Self.series, predictions = Self.predictions
        values[4] = .nan
        predictions[4] = .infinity
        predictions[2] = -.infinity
        for step in [2, 4] {
            var b = Buffer(width: 90, height: 14)
            SeriesPlotPanel(values: values, predictions: predictions, step: step)
                .render(in: b.area, into: &b, options: ViewOptions(colorMode: .monochrome, glyphs: .ascii))
            let text = b.lines.joined(separator: "\n")
            #expect(text.contains("!"), "\(text)")
            if step == 4 { #expect(text.contains("x=NaN, predicted next +Inf"), "\(text)") }
            if step == 2 { #expect(text.contains("predicted next -Inf, actual next 0.97, error +Inf"), "\(text)") }
        }
        var empty = Buffer(width: 40, height: 8)
        SeriesPlotPanel(values: [], predictions: [], step: 3).render(in: empty.area, into: &empty, options: ViewOptions())
        #expect(empty.lines.joined().contains("no values"))
    }

    /// A long series is drawn from the visible window only: steps far from the cursor, a thousand
    /// times larger, do not even reach the y-range. Timed loosely (printed, not asserted).
    @Test func longSeriesShowsOnlyTheWindowAroundTheCursor() {
        for count in [10_000, 1_000_000] {
            let values = (0..<count).map { i in abs(i - count / 2) < 200 ? sin(Double(i) / 5) : 1000 + Double(i) }
            let predictions = values.map { $0 * 0.9 }
            var b = Buffer(width: 80, height: 20)
            let start = Date()
            SeriesPlotPanel(values: values, predictions: predictions, step: count / 2)
                .render(in: b.area, into: &b, options: ViewOptions(colorMode: .monochrome))
            let elapsed = Date().timeIntervalSince(start)
            print("series of \(count) points rendered in \(String(format: "%.2f", elapsed * 1000)) ms")
            let text = b.lines.joined(separator: "\n")
            #expect(text.contains("▲ t=\(count / 2)"), "\(text)")
            // The axis names the first and last visible steps: a window of a few dozen around the cursor.
            let axisLine = b.lines.first { $0.contains("▲ t=") } ?? ""
            let ends = axisLine.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.filter { $0 != count / 2 }
            #expect(ends.count == 2 && ends[0] < count / 2 && ends[1] > count / 2 && ends[1] - ends[0] < 80,
                    "window around the cursor: \(ends)\n\(text)")
            #expect(!text.contains("1000."), "y-range from the visible steps only\n\(text)")
            #expect(text.contains("1.00") || text.contains("0.99"), "\(text)")
        }
    }

    // MARK: - Samples and temperature

    @Test func temperatureColumnsAddUpToOneHundredPercent() throws {
        let b = Self.frame(.samples, width: 78, height: 17, options: ViewOptions(colorMode: .monochrome))
        let text = b.lines.joined(separator: "\n")
        let regex = try NSRegularExpression(pattern: #"(\d+\.\d)%"#)
        var sums = [Double](repeating: 0, count: 3)
        var rows = 0
        for line in b.lines {
            let ns = line as NSString
            let found = regex.matches(in: line, range: NSRange(location: 0, length: ns.length))
            guard found.count == 3 else { continue }
            rows += 1
            for (k, m) in found.enumerated() { sums[k] += Double(ns.substring(with: m.range(at: 1)))! }
        }
        #expect(rows == 6, "5 tokens + others\n\(text)")
        for s in sums { #expect(abs(s - 100) < 0.5, "column sums \(sums)\n\(text)") }
        // Sharpened at T=0.5, flattened at T=2: the top token's share falls, the others' share rises.
        let top = b.lines.first { $0.contains("▶ ␣") }!
        let p = regex.matches(in: top, range: NSRange(location: 0, length: (top as NSString).length))
            .map { Double((top as NSString).substring(with: $0.range(at: 1)))! }
        #expect(p.count == 3 && p[0] > p[1] && p[1] > p[2], "\(top)")
        for t in [0.0, 0.5, 1, 2, .infinity] {
            let probs = SamplesPanel.probabilities(logits: Self.logits, temperature: t)
            #expect(abs(probs.reduce(0, +) - 1) < 1e-9, "T=\(t)")
        }
        #expect(SamplesPanel.probabilities(logits: [1, 3, 3], temperature: 0) == [0, 1, 0])
        #expect(SamplesPanel.probabilities(logits: [0, -.infinity], temperature: 1) == [1, 0])
    }

    @Test func samplesShowWhitespaceAndTheTarget() {
        let b = Self.frame(.samples, width: 78, height: 17, options: ViewOptions(colorMode: .monochrome))
        let text = b.lines.joined(separator: "\n")
        #expect(text.contains("T=0.5: Alice was beginning"), "\(text)")
        #expect(text.contains("sitting,⏎her"), "newline shown as ⏎\n\(text)")
        #expect(text.contains("▶ ␣"), "the target (a space) is marked and visible\n\(text)")
        var newline = Self.samplesPanel()
        newline.highlighted = 12
        var n = Buffer(width: 78, height: 17)
        newline.render(in: n.area, into: &n, options: ViewOptions(colorMode: .monochrome))
        #expect(n.lines.contains { $0.contains("▶ ⏎ ") }, "the newline token is visible\n\(n.lines.joined(separator: "\n"))")
        let ascii = Self.frame(.samples, width: 78, height: 17, options: ViewOptions(colorMode: .monochrome, glyphs: .ascii))
        let asciiText = ascii.lines.joined(separator: "\n")
        #expect(asciiText.contains("sitting,\\nher"), "\(asciiText)")
        #expect(asciiText.contains("> _"), "\(asciiText)")
        // A target outside the top k replaces the last row.
        var panel = Self.samplesPanel()
        panel.highlighted = 16
        var c = Buffer(width: 78, height: 17)
        panel.render(in: c.area, into: &c, options: ViewOptions(colorMode: .monochrome))
        #expect(c.lines.contains { $0.contains("▶ w") }, "\(c.lines.joined(separator: "\n"))")
    }

    @Test func samplesWithBadLogitsSayNaN() {
        for bad in [Double.nan, .infinity] {
            var logits = Self.logits
            logits[3] = bad
            var b = Buffer(width: 78, height: 17)
            SamplesPanel(samples: Self.samples, logits: logits, vocab: Self.vocab, temperatures: [0.5, 2], highlighted: 1)
                .render(in: b.area, into: &b, options: ViewOptions())
            #expect(b.lines.joined().contains("NaN"), "\(b.lines.joined(separator: "\n"))")
        }
        var b = Buffer(width: 60, height: 12)
        SamplesPanel(samples: [(.nan, "")], logits: [1, 2], vocab: ["a"], temperatures: [.nan, 0, -1, .infinity], highlighted: 9)
            .render(in: b.area, into: &b, options: ViewOptions())
        let text = b.lines.joined(separator: "\n")
        #expect(text.contains("T=NaN") && text.contains("(empty)") && text.contains("#1"), "\(text)")
    }

    @Test func shortPanelsCutSamplesWithAnEllipsis() throws {
        // 6 rows inside: every sample keeps a line, cut ones end in "…"; no room for the distribution.
        var b = Buffer(width: 50, height: 6)
        Self.samplesPanel().render(in: b.area, into: &b, options: ViewOptions(colorMode: .monochrome))
        var text = b.lines.joined(separator: "\n")
        for t in ["T=0.5:", "T=1.0:", "T=2.0:"] { #expect(text.contains(t), "every temperature keeps a line\n\(text)") }
        #expect(text.contains("…"), "\(text)")
        // 9 rows inside: a line per sample, and a shortened distribution that still adds up to 100%.
        b = Buffer(width: 70, height: 11)
        Self.samplesPanel().render(in: b.area, into: &b, options: ViewOptions(colorMode: .monochrome))
        text = b.lines.joined(separator: "\n")
        #expect(text.contains("T=2.0:") && text.contains("next token after") && text.contains("others"), "\(text)")
        let regex = try NSRegularExpression(pattern: #"(\d+\.\d)%"#)
        let first = b.lines.compactMap { line -> Double? in
            let ns = line as NSString
            return regex.matches(in: line, range: NSRange(location: 0, length: ns.length)).first
                .map { Double(ns.substring(with: $0.range(at: 1)))! }
        }
        #expect(abs(first.reduce(0, +) - 100) < 0.5, "\(first)\n\(text)")
    }
}
