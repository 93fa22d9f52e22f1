import Foundation
import RNNTrace
import RNNLessons

/// Top-k next-token probabilities as bars, the target marked, and the step loss.
struct OutputPanel: View {
    let scene: Scene
    let theme: Theme

    static func height(_ scene: Scene, maxRows: Int) -> Int { min(scene.recording.vocab.count, maxRows) + 3 }

    func render(in area: Rect, into buffer: inout Buffer) {
        let inner = buffer.box(area, title: scene.recording.isRegression ? "Output: next value" : "Output: next token", focused: scene.isFocused(.output), keyboard: scene.hasKeyboardFocus(.output), theme: theme)
        guard let s = scene.current, inner.height > 0, inner.width > 16 else { return }
        let t = scene.recording
        if scene.cover.output {
            // Predict, then reveal: the model's answer stays covered until the learner has committed.
            let text = "Hidden until you answer the lesson's question: predict first, then see the model's numbers."
            for (i, l) in wrap(theme.text(text), width: max(1, inner.width - 2)).enumerated() where i < inner.height {
                buffer.put(l, x: inner.x + 1, y: inner.y + i, in: inner, style: theme.dim, theme: theme)
            }
            return
        }
        if t.isRegression {
            var lines = ["prediction  \(s.prediction.map { NumberText.short($0) } ?? "—")",
                         "target      \(s.targetValue.map { NumberText.short($0) } ?? "—")"]
            lines.append(s.loss.map { "loss (squared error) \(NumberText.short($0))" } ?? noLossText(s, width: inner.width - 2))
            for (i, l) in lines.enumerated() { buffer.put(l, x: inner.x + 1, y: inner.y + i, in: inner, theme: theme) }
            return
        }
        // The step's values are widened on each read: read them once.
        let probs = s.probs
        let ranked = probs.indices.sorted { a, b in
            let pa = probs[a].isNaN ? -1 : probs[a], pb = probs[b].isNaN ? -1 : probs[b]
            return pa != pb ? pa > pb : a < b
        }
        let rows = max(0, inner.height - 1)
        var shown = Array(ranked.prefix(rows))
        // The target always gets a row, replacing the last one, so that its probability is visible.
        if let target = s.target, !shown.contains(target), !shown.isEmpty { shown[shown.count - 1] = target }
        let names = t.vocab.map { theme.text(displayToken($0)) }
        let nameW = min(12, max(4, shown.map { names.indices.contains($0) ? names[$0].count : 3 }.max() ?? 4))
        let markW = 9
        let barW = max(1, inner.width - nameW - 1 - 7 - markW - 2)
        for (row, id) in shown.enumerated() {
            let y = inner.y + row
            let p = probs.indices.contains(id) ? probs[id] : .nan
            let isTarget = id == s.target
            let name = names.indices.contains(id) ? names[id] : "#\(id)"
            buffer.put(NumberText.pad(String(name.prefix(nameW)), nameW), x: inner.x + 1, y: y, in: inner,
                       style: isTarget ? theme.target : theme.plain, theme: theme)
            let bx = inner.x + nameW + 2
            buffer.bar(p, x: bx, y: y, width: barW, in: inner, style: isTarget ? theme.targetBar : theme.bar, theme: theme)
            let pText = p.isFinite ? String(format: "%5.1f%%", p * 100) : NumberText.pad(NumberText.special(p) ?? "?", 6, right: true)
            buffer.put(pText, x: bx + barW + 1, y: y, in: inner, style: p.isFinite ? theme.plain : theme.nonFinite, theme: theme)
            if isTarget {
                let rank = (ranked.firstIndex(of: id) ?? 0) + 1
                buffer.put(row == shown.count - 1 && rank > shown.count ? "◀ #\(rank)" : "◀ target",
                           x: bx + barW + 8, y: y, in: inner, style: theme.target, theme: theme)
            }
        }
        let lossY = inner.y + min(rows, shown.count)
        let lossText: String
        if let l = s.loss, let target = s.target {
            let p = probs.indices.contains(target) ? probs[target] : .nan
            let long = "loss = −log p(target) = −log \(NumberText.probability(p, loss: l)) = \(NumberText.short(l))"
            lossText = long.count <= inner.width - 2 ? long : "loss = −log \(NumberText.probability(p, loss: l)) = \(NumberText.short(l))"
        } else {
            lossText = noLossText(s, width: inner.width - 2)
        }
        buffer.put(lossText, x: inner.x + 1, y: lossY, in: inner, style: theme.bold, theme: theme)
    }

    /// Why `step` has no loss: it is the last step (nothing comes next), or the run scores only some
    /// targets (a lesson with `loss_on: last_step` scores only the last one).
    func noLossText(_ step: RecordedStep, width: Int) -> String {
        let t = scene.recording
        if step.t == t.stepCount - 1 { return t.isRegression ? "last step: no next value" : "last step: no next token" }
        let stats = scene.statistics
        guard stats.lossStepCount == 1, let scored = stats.lastLossStep else { return "no loss at this step" }
        let long = "no loss at this step: only the target at t=\(scored) counts"
        return long.count <= width ? long : "no loss at this step"
    }
}
