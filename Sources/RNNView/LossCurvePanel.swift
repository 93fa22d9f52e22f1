import Foundation
import RNNLessons

/// The training loss over epochs as an area chart (lesson 4: "watch the loss fall"), with the y-axis
/// range, the epoch axis, the latest value labelled at its height and, while training runs live, a
/// progress line "training… epoch k/N".
///
/// Each column shows the mean loss of the epochs it covers; with fewer epochs than columns an epoch
/// spans several columns. The x-axis runs to `totalEpochs` when given, so a live curve grows from the
/// left. Unicode fills columns with eighth blocks; ASCII marks the value with `*` over a `.` area.
/// Non-finite losses are drawn as `!` and spelled out ("NaN") in the text lines.
struct LossCurvePanel: ThemedPanel, Sendable {
    /// Mean training loss of each finished epoch, first epoch first.
    var losses: [Double]
    /// Epochs planned (N); the x-axis extent. `nil`: the epochs recorded so far.
    var totalEpochs: Int? = nil
    /// Live training is running: show the progress line.
    var isTraining = false
    /// Fraction of training done (0…1); `nil`: epochs done / `totalEpochs`.
    var progress: Double? = nil
    var title = "Training loss"

    func render(in area: Rect, into buffer: inout Buffer, theme: Theme, focused: Bool = false) {
        let inner = buffer.box(area, title: title, focused: focused, theme: theme)
        let content = inner.inset(dx: 1, dy: 0)
        guard !content.isEmpty else { return }

        // Text lines at the bottom: the summary, then (live) the progress line under it. With one row
        // only, the progress line wins: it is what changes while the learner watches.
        var textRows: [Int] = []  // 0 = summary, 1 = progress
        if isTraining { textRows.append(1) }
        if content.height > textRows.count { textRows.insert(0, at: 0) }
        for (i, kind) in textRows.enumerated() {
            let y = content.maxY - textRows.count + i
            if kind == 1 {
                let used = buffer.put(progressPrefix(width: content.width), x: content.x, y: y, in: content, style: theme.label, theme: theme)
                drawProgressBar(&buffer, x: content.x + used + 1, y: y, in: content, theme: theme)
            } else {
                let (line, style) = summary(width: content.width, theme: theme)
                buffer.put(line, x: content.x, y: y, in: content, style: style, theme: theme)
            }
        }

        let avail = content.height - textRows.count
        guard avail > 0 else { return }
        // Below three rows the axis lines give way to the curve itself.
        let plotRows = avail >= 5 ? avail - 2 : avail >= 3 ? avail - 1 : avail
        let showAxis = avail >= 5
        let showEpochs = avail >= 3
        drawCurve(&buffer, content: content, plotRows: plotRows, showAxis: showAxis, showEpochs: showEpochs, theme: theme)
    }

    // MARK: - Text lines

    private var extent: Int { max(losses.count, totalEpochs ?? 0) }

    /// "training… epoch 70/200", or "epoch 70/200" when narrow.
    private func progressPrefix(width: Int) -> String {
        let k = losses.count
        let count = totalEpochs.map { "epoch \(k)/\($0)" } ?? "epoch \(k)"
        return "training… \(count)".count <= width ? "training… \(count)" : count
    }

    private func drawProgressBar(_ buffer: inout Buffer, x: Int, y: Int, in area: Rect, theme: Theme) {
        let fraction = progress ?? totalEpochs.map { $0 > 0 ? Double(losses.count) / Double($0) : 0 }
        guard let fraction else { return }
        let f = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let percent = String(format: " %3d%%", Int((f * 100).rounded(.down)))
        let width = min(30, area.maxX - x - percent.count)
        guard width >= 4 else { return }
        // The track shows how far there is to go, so that 45% reads as "less than half".
        buffer.put(String(repeating: theme.ascii ? "." : "░", count: width), x: x, y: y, in: area, style: theme.dim, theme: theme)
        buffer.bar(f, x: x, y: y, width: width, in: area, style: theme.bar, theme: theme)
        buffer.put(percent, x: x + width, y: y, in: area, style: theme.plain, theme: theme)
    }

    /// "epoch 200: loss 0.412   first 2.303, lowest 0.401 (epoch 187)", shortened to fit.
    private func summary(width: Int, theme: Theme) -> (String, Style) {
        guard let last = losses.last else {
            return (isTraining ? "waiting for the first epoch…" : "no training losses recorded", theme.dim)
        }
        let n = losses.count
        let head = "epoch \(n): loss \(NumberText.short(last))"
        var candidates = [head, "loss \(NumberText.short(last))"]
        if n > 1 {
            let first = "first \(NumberText.short(losses[0]))"
            if let low = losses.indices.filter({ losses[$0].isFinite }).min(by: { losses[$0] < losses[$1] }) {
                candidates.insert("\(head)   \(first), lowest \(NumberText.short(losses[low])) (epoch \(low + 1))", at: 0)
            }
            candidates.insert("\(head)   \(first)", at: candidates.count - 2)
        }
        let style = last.isFinite ? theme.bold : theme.nonFinite
        return (candidates.first { $0.count <= width } ?? candidates.last!, style)
    }

    // MARK: - Chart

    private func drawCurve(_ buffer: inout Buffer, content: Rect, plotRows: Int, showAxis: Bool, showEpochs: Bool,
                           theme: Theme) {
        let finite = losses.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        let axis = YAxis(lo: lo, hi: hi, rows: plotRows, width: content.width, right: content.width >= 30 ? 8 : 0)
        let top = content.y
        let bottom = top + plotRows - 1
        axis.draw(&buffer, x: content.x, top: top, in: content, theme: theme)
        let plotX = content.x + axis.leftWidth
        let plotW = content.width - axis.leftWidth - axis.rightWidth
        guard plotW > 0 else { return }

        if showAxis {
            let y = bottom + 1
            if axis.leftWidth > 0 { buffer.put(theme.ascii ? "+" : "└", x: plotX - 1, y: y, in: content, style: theme.border, theme: theme) }
            buffer.put(String(repeating: theme.horizontal, count: plotW), x: plotX, y: y, in: content, style: theme.border, theme: theme)
        }
        if showEpochs {
            let y = bottom + (showAxis ? 2 : 1)
            let end = "\(max(1, extent))"
            let middle = "epoch"
            buffer.put("1", x: plotX, y: y, in: content, style: theme.dim, theme: theme)
            if plotW >= end.count + middle.count + 4 {
                buffer.put(middle, x: plotX + (plotW - middle.count) / 2, y: y, in: content, style: theme.dim, theme: theme)
            }
            if plotW >= end.count + 2 { buffer.put(end, x: plotX + plotW - end.count, y: y, in: content, style: theme.dim, theme: theme) }
        }

        let n = losses.count, total = max(1, extent)
        guard n > 0 else { return }
        var lastColumn = -1
        for c in 0..<plotW {
            // Epochs [e0, e1) fall in column c; with few epochs, several columns share one.
            let e0 = c * total / plotW
            let e1 = min(n, max(e0 + 1, (c + 1) * total / plotW))
            guard e0 < n else { break }
            lastColumn = c
            var sum = 0.0, count = 0, bad = false
            for e in e0..<e1 { if losses[e].isFinite { sum += losses[e]; count += 1 } else { bad = true } }
            let x = plotX + c
            let holdsLast = e1 == n
            var style = theme.bar
            if holdsLast && !theme.mono { style = Style(foreground: .ansi(3), modifiers: .bold) }
            if bad || count == 0 {
                buffer.put("!", x: x, y: bottom, in: content, style: theme.nonFinite, theme: theme)
                continue
            }
            let f = axis.fraction(sum / Double(count))
            if theme.ascii {
                let row = scaledLevel(f, levels: plotRows)
                for r in 0..<row { buffer.put(".", x: x, y: bottom - r, in: content, style: theme.dim, theme: theme) }
                buffer.put("*", x: x, y: bottom - row, in: content, style: style, theme: theme)
            } else {
                // At least one eighth, so that the lowest loss still shows as a thin line.
                let eighths = 1 + scaledLevel(f, levels: plotRows * 8 - 1)
                for r in 0..<plotRows {
                    let fill = min(8, max(0, eighths - r * 8))
                    if fill == 0 { break }
                    buffer.put(String(theme.ramp[fill]), x: x, y: bottom - r, in: content, style: style, theme: theme)
                }
            }
        }

        // The latest value, written at its own height to the right of the curve (or of the plot).
        guard let last = losses.last else { return }
        let label = (theme.ascii ? "<" : "◀") + NumberText.short(last)
        let labelX = plotX + lastColumn + 1
        let labelY = last.isFinite ? bottom - scaledLevel(axis.fraction(last), levels: plotRows) : bottom
        let room = content.maxX - labelX
        if room >= label.count {
            buffer.put(label, x: labelX, y: labelY, in: content,
                       style: last.isFinite ? Style(modifiers: .bold) : theme.nonFinite, theme: theme)
        }
    }
}

// MARK: - Shared chart helpers (loss curve, series plot)

/// An integer level 0…levels-1 for a fraction 0…1; NaN and out-of-range fractions are clamped,
/// so that no Double → Int conversion can trap.
func scaledLevel(_ fraction: Double, levels: Int) -> Int {
    guard levels > 1, fraction.isFinite else { return 0 }
    let f = min(1, max(0, fraction))
    return min(levels - 1, max(0, Int((f * Double(levels - 1)).rounded())))
}

/// A vertical value axis: labels for the top and bottom rows (and the middle when tall), then a
/// rule "│" at the plot's left edge. Columns on the right can be reserved for a value label.
struct YAxis {
    let lo: Double
    let hi: Double
    let rows: Int
    /// Label columns plus the rule; 0 when the area is too narrow for labels.
    let leftWidth: Int
    let rightWidth: Int

    /// Decimals of the labels.
    let decimals: Int

    init(lo: Double, hi: Double, rows: Int, width: Int, right: Int, decimals: Int = 3) {
        self.decimals = decimals
        // A flat series still needs a range; centre it.
        let spread = hi - lo
        if spread.isFinite && spread > 0 { self.lo = lo; self.hi = hi }
        else if lo.isFinite { self.lo = lo - 0.5; self.hi = lo + 0.5 }
        else { self.lo = -1; self.hi = 1 }
        self.rows = rows
        let labelW = max(NumberText.short(self.hi, decimals: decimals).count, NumberText.short(self.lo, decimals: decimals).count)
        leftWidth = width - labelW - 1 - right >= 8 ? labelW + 1 : 0
        rightWidth = width - leftWidth - right >= 8 ? right : 0
    }

    /// Position of `v` between `lo` (0) and `hi` (1); NaN for non-finite values.
    func fraction(_ v: Double) -> Double {
        let f = (v - lo) / (hi - lo)
        return f.isFinite ? f : (v > hi ? 1 : v < lo ? 0 : .nan)
    }

    /// The value a row from the bottom stands for.
    func value(atRow r: Int) -> Double { rows > 1 ? lo + (hi - lo) * Double(r) / Double(rows - 1) : hi }

    /// `zeroRow`: a row to label "0" (a zero line) instead of the middle value.
    func draw(_ buffer: inout Buffer, x: Int, top: Int, in area: Rect, theme: Theme, zeroRow: Int? = nil) {
        guard leftWidth > 0, rows > 0 else { return }
        let labelW = leftWidth - 1
        let bottom = top + rows - 1
        var labelled: [Int: Double] = [top: hi]
        if rows > 1 { labelled[bottom] = lo }
        if let zeroRow, zeroRow > top, zeroRow < bottom { labelled[zeroRow] = 0 }
        else if rows >= 5 { labelled[top + (rows - 1) / 2] = value(atRow: bottom - (top + (rows - 1) / 2)) }
        for y in top...bottom {
            if let v = labelled[y] {
                buffer.put(NumberText.pad(NumberText.short(v, decimals: decimals), labelW, right: true), x: x, y: y, in: area, style: theme.dim, theme: theme)
            }
            buffer.put(String(theme.vertical), x: x + labelW, y: y, in: area, style: theme.border, theme: theme)
        }
    }
}
