import RNNEngine
import RNNLessons
import RNNTrace

/// The weights as first-class objects: W_hh, W_xh (PyTorch's weight_hh, weight_ih), the biases and the head
/// W_hy (fc.weight) as heatmaps with their shapes, the selected unit's rows and column marked, and what
/// σ_max and ρ of W_hh say about exploding and vanishing gradients. In backward, the same matrices show
/// their gradient as backpropagation through time sums it, from the last step back to the selected one.
struct WeightsView: ScreenView {
    let input: ScreenInput
    let theme: Theme

    func render(in area: Rect, into buffer: inout Buffer) {
        let k = recording.shownLayer
        let layerText = recording.layerCount > 1 ? " of layer \(k + 1)/\(recording.layerCount)" : ""
        let backward = mode == .backward
        let title = backward ? "Weight gradients\(layerText), summed over steps s ≥ t=\(step)" : "Weights\(layerText), the same at every step"
        let inner = buffer.box(area, title: title, focused: false, theme: theme, rightTitle: recording.cellDisplayName)
        guard inner.height > 0, inner.width > 4 else { return }
        let content = inner.inset(dx: 1, dy: 0)
        guard let model = recording.model, model.parameters.layers.indices.contains(k) else {
            let lines = ["A trace file carries no weights.", "To see them, run the model: rnnscope view --model MODEL.safetensors --text \"…\""]
            for (i, l) in lines.enumerated() {
                for (j, piece) in wrap(theme.text(l), width: content.width).enumerated() {
                    buffer.put(piece, x: content.x, y: content.y + i * 2 + j, in: content, style: theme.dim, theme: theme)
                }
            }
            return
        }
        if backward && cover.gradients {
            buffer.put("The weight gradients are shown once you answer the lesson's question.", x: content.x, y: content.y, in: content, style: theme.dim, theme: theme)
            return
        }
        let weights = model.parameters.layers[k]
        let u = min(max(0, unit), recording.hiddenSize - 1)
        let legend = ["▶ unit \(u)'s row in each gate block, ▼ its column (in W_xh the column x_t's token picks); W_hy ▶ the target's row; "
                      + "colour: red +, blue −, stronger = larger, each matrix on its own scale",
                      "▶ unit \(u)'s rows, ▼ its column (W_xh: the token's); red +, blue −",
                      "▶ unit \(u)'s rows, ▼ its column"]
        // The sum over s ≥ t is computed once a frame; the whole gradient is the recorded one (equal at t = 0).
        let summed = backward ? AccumulatedGradient(recording: recording, from: step) : nil
        let notes = (backward ? gradientNotes(summed) : spectrumNotes(weights)) + [legend]
        var y = content.y
        for line in notes where y < content.maxY - 3 {
            let form = line.first { theme.text($0).count <= content.width } ?? line.last!
            buffer.put(form, x: content.x, y: y, in: content, style: y == content.y ? theme.plain : theme.dim, theme: theme)
            y += 1
        }
        let maps = heatmaps(model: model, weights: weights, summed: summed)
        layOut(maps, in: Rect(x: content.x, y: y + 1, width: content.width, height: content.maxY - y - 1), into: &buffer)
    }

    /// σ_max and ρ of W_hh (of each gate block for a gated cell) and one line of what they mean.
    private func spectrumNotes(_ w: RecurrentLayerWeights) -> [[String]] {
        let rho = theme.ascii ? "rho" : "ρ"
        let n = w.hiddenSize, names = recording.cell.gateNames
        if names.isEmpty {
            let s = SpectrumCache.shared.spectrum(of: w.weightHH)
            let radius = s.spectralRadius.map { PrintedNumber.text($0, digits: 3) } ?? "–"
            return [
                ["W_hh: σ_max \(PrintedNumber.text(s.largestSingularValue, digits: 3)) (the most one step can stretch a vector), \(rho) \(radius) (its growth per step in the long run)",
                 "W_hh: σ_max \(PrintedNumber.text(s.largestSingularValue, digits: 3)), \(rho) \(radius)"],
                ["\(rho) < 1: a gradient sent back k steps through W_hh shrinks like \(rho)^k (vanishing), \(rho) > 1 grows it (exploding); tanh' ≤ 1 only shrinks it more",
                 "\(rho) < 1 → gradients vanish over many steps, \(rho) > 1 → they can explode",
                 "\(rho)<1 vanishing, \(rho)>1 exploding"],
            ]
        }
        let blocks = names.indices.map { b -> String in
            let block = Matrix(rows: n, cols: n, values: Array(w.weightHH.values[(b * n * n)..<((b + 1) * n * n)]))
            let s = SpectrumCache.shared.spectrum(of: block)
            return "\(names[b]) \(PrintedNumber.text(s.largestSingularValue, digits: 3))/\(s.spectralRadius.map { PrintedNumber.text($0, digits: 3) } ?? "–")"
        }
        let path = recording.cell == .lstm ? "the c path is scaled by f, not by W_hh, so it can carry a gradient far"
                                           : "z⊙h_{t−1} passes h on without W_hh, so a gradient can travel far"
        return [
            ["σ_max/\(rho) of each block of W_hh: " + blocks.joined(separator: "  "), blocks.joined(separator: " ")],
            ["\(rho) < 1 shrinks a gradient repeated through that block (vanishing), > 1 grows it; \(path)",
             "\(rho)<1 vanishing, \(rho)>1 exploding; \(path)", "\(rho)<1 vanishing, \(rho)>1 exploding"],
        ]
    }

    /// What the backward heatmaps show and how far the sum has come.
    private func gradientNotes(_ summed: AccumulatedGradient?) -> [[String]] {
        guard let now = summed else { return [["this recording has no gradients"]] }
        let suffix = recording.shownLayer == 0 ? "" : "_l\(recording.shownLayer)"
        func recorded(_ name: String) -> [Double] {
            recording.parameterGradients.first { $0.name == name }?.values.map(Double.init) ?? []
        }
        let all = (weightHH: recorded("weight_hh" + suffix), weightIH: recorded("weight_ih" + suffix), head: Optional(recorded("fc.weight")))
        let norm = { (v: [Double]) in PrintedNumber.text(v.reduce(0) { $0 + $1 * $1 }.squareRoot(), digits: 3) }
        return [
            ["dW = Σ over steps s ≥ t of (gradient at the matrix's output at s) ⊗ (its input at s); at t = 0 it is dL/dW",
             "dW = Σ_{s ≥ t} per-step terms; at t = 0 it is dL/dW"],
            ["‖dW_hh‖ \(norm(now.weightHH)) of \(norm(all.weightHH)), ‖dW_xh‖ \(norm(now.weightIH)) of \(norm(all.weightIH))"
                + (now.head.map { h in ", ‖dW_hy‖ \(norm(h)) of \(norm(all.head!))" } ?? ""),
             "‖dW_hh‖ \(norm(now.weightHH)) of \(norm(all.weightHH))"],
        ]
    }

    /// The heatmaps in drawing order: the recurrent layer's, then the head's (top layer only).
    private func heatmaps(model: RNNModel, weights w: RecurrentLayerWeights, summed: AccumulatedGradient?) -> [[MatrixHeatmap]] {
        let backward = mode == .backward
        let n = w.hiddenSize, e = w.inputSize, g = recording.cell.gateCount
        let names = recording.cell.gateNames
        let top = recording.shownLayer == recording.layerCount - 1
        let u = min(max(0, unit), n - 1)
        var hh = w.weightHH.values.map(Double.init), ih = w.weightIH.values.map(Double.init)
        var bih = w.biasIH.map(Double.init), bhh = w.biasHH.map(Double.init)
        var head = model.parameters.headWeight.values.map(Double.init), headBias = model.parameters.headBias.map(Double.init)
        if let sum = summed {
            (hh, ih, bih, bhh) = (sum.weightHH, sum.weightIH, sum.biasIH, sum.biasHH)
            if let h = sum.head, let b = sum.headBias { (head, headBias) = (h, b) }
        }
        let d = backward ? "d" : ""
        let magnitude = backward ? "|dW|" : "|w|"
        // One-hot input: the column of W_xh the token picks is the one marked.
        let column: Int? = recording.shownLayer == 0 && model.parameters.embedding == nil && !recording.isRegression
            && recording.tokenIds.indices.contains(step) ? recording.tokenIds[step] : nil
        var bias = [Double]()
        for r in 0..<(g * n) { bias += [bih[r], bhh[r]] }
        let recurrent = [
            MatrixHeatmap(name: "\(d)W_hh", rows: g * n, cols: n, values: hh, blockNames: names, markedRow: u, markedColumn: u,
                          magnitudeName: magnitude, theme: theme),
            MatrixHeatmap(name: "\(d)W_xh", rows: g * n, cols: e, values: ih, blockNames: names, markedRow: u, markedColumn: column,
                          magnitudeName: magnitude, theme: theme),
            MatrixHeatmap(name: backward ? "db_ih db_hh" : "b_ih b_hh", rows: g * n, cols: 2, values: bias, blockNames: names, markedRow: u,
                          magnitudeName: magnitude, theme: theme),
        ]
        guard top else { return [recurrent] }
        let v = model.parameters.outputSize
        let target = recording.targets.indices.contains(step) ? recording.targets[step] : nil
        let output = [
            MatrixHeatmap(name: "\(d)W_hy", rows: v, cols: n, values: head, rowLabels: recording.isRegression ? ["y^"] : recording.vocab,
                          markedRow: target, markedColumn: u, magnitudeName: magnitude, theme: theme),
            MatrixHeatmap(name: "\(d)b_y", rows: v, cols: 1, values: headBias, markedRow: target, magnitudeName: magnitude, theme: theme),
        ]
        return [recurrent, output]
    }

    /// One band of heatmaps when everything fits side by side, else a band per group; each band as large
    /// (zoom 3, 2 or 1) as its room allows, widths by what each matrix needs.
    private func layOut(_ groups: [[MatrixHeatmap]], in area: Rect, into buffer: inout Buffer) {
        guard area.height >= 4 else { return }
        let all = groups.flatMap { $0 }
        if groups.count == 1 || Self.fits(all, zoom: 1, in: area) {
            place(groups.count == 1 ? groups[0] : all, in: area, into: &buffer)
            return
        }
        let wanted = groups.map { g in g.map { $0.naturalHeight(zoom: 1) }.max() ?? 0 }
        let first = min(area.height - min(area.height / 2, wanted[1] + 1), max(area.height / 2, wanted[0]))
        let bands = area.vertical([.length(first), .fill(min: 0)])
        place(groups[0], in: bands[0], into: &buffer)
        place(groups[1], in: Rect(x: bands[1].x, y: bands[1].y + 1, width: bands[1].width, height: bands[1].height - 1), into: &buffer)
    }

    private static func fits(_ maps: [MatrixHeatmap], zoom: Int, in area: Rect) -> Bool {
        maps.map { $0.naturalWidth(zoom: zoom) }.reduce(0, +) + maps.count - 1 <= area.width
            && (maps.map { $0.naturalHeight(zoom: zoom) }.max() ?? 0) <= area.height
    }

    private func place(_ maps: [MatrixHeatmap], in area: Rect, into buffer: inout Buffer) {
        let zoom = [3, 2, 1].first { Self.fits(maps, zoom: $0, in: area) } ?? 1
        let natural = maps.map { $0.naturalWidth(zoom: zoom) }
        let total = natural.reduce(0, +)
        let room = max(0, area.width - (maps.count - 1))
        var x = area.x
        for (i, var map) in maps.enumerated() {
            map.zoom = zoom
            let width = total <= room ? natural[i] : max(8, room * natural[i] / max(1, total))
            map.render(in: Rect(x: x, y: area.y, width: min(width, area.maxX - x), height: area.height), into: &buffer)
            x += width + 1
            if x >= area.maxX { break }
        }
    }
}
