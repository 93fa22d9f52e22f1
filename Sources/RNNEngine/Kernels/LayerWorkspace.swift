/// The buffers of one recurrent layer's step loop, borrowed as pointers for the loop's duration, each
/// T-row buffer indexed by step: `forward` and `backward` read as the equations, and the pointer work —
/// which buffer, which row, which offset — is here, in one place.
///
/// A pointer from a workspace is valid only inside the `borrowing` call that made it.

/// Row t of a flat row-per-step buffer that the loop reads.
struct StepRows {
    let base: UnsafePointer<Float>?
    let width: Int
    @inline(__always) subscript(_ t: Int) -> UnsafePointer<Float> { base! + t * width }
}

/// Row t of a flat row-per-step buffer that the loop writes. Width 0 makes every step the same row (a
/// scratch row reused at each step).
struct MutableStepRows {
    let base: UnsafeMutablePointer<Float>?
    let width: Int
    @inline(__always) subscript(_ t: Int) -> UnsafeMutablePointer<Float> { base! + t * width }
}

/// What one step of a layer's forward pass reads and writes: h, c, the gate pre-activations and
/// activations and the recurrent projection, by step.
struct ForwardLayerWorkspace {
    /// h_0 … h_T, (T+1) × H: step t reads row t and writes row t+1.
    private let hidden: MutableStepRows
    /// c_0 … c_T (LSTM), likewise.
    private let cellState: MutableStepRows
    /// T × G·H, holding W_ih x_t + b_ih until the cell overwrites it with the pre-activation.
    let preactivations: MutableStepRows
    /// T × G·H, the gate activations.
    let gates: MutableStepRows
    /// W_hh h_{t-1} + b_hh of step t: the GRU's recorded row t; for the other cells one scratch row.
    let hiddenProjection: MutableStepRows
    /// W_hhᵀ, H × G·H, and b_hh.
    let weightHHT: UnsafePointer<Float>
    let biasHH: UnsafePointer<Float>

    func hPrev(_ t: Int) -> UnsafeMutablePointer<Float> { hidden[t] }
    func h(_ t: Int) -> UnsafeMutablePointer<Float> { hidden[t + 1] }
    func cPrev(_ t: Int) -> UnsafeMutablePointer<Float> { cellState[t] }
    func c(_ t: Int) -> UnsafeMutablePointer<Float> { cellState[t + 1] }

    /// Calls `body` with the workspace over these buffers (sizes as documented on the properties);
    /// `recordsProjection` (the GRU) keeps each step's hidden projection, else one scratch row is made here.
    @inline(__always)
    static func borrowing(hidden: inout [Float], cellState: inout [Float], preactivations: inout [Float],
                          gates: inout [Float], hiddenProjection: inout [Float], recordsProjection: Bool,
                          weightHHT: [Float], biasHH: [Float], hiddenSize n: Int,
                          _ body: (ForwardLayerWorkspace) -> Void) {
        let gh = biasHH.count
        var scratchProjection = [Float](repeating: 0, count: recordsProjection ? 0 : gh)
        weightHHT.withUnsafeBufferPointer { whh in
        biasHH.withUnsafeBufferPointer { bhh in
        hidden.withUnsafeMutableBufferPointer { hp in
        cellState.withUnsafeMutableBufferPointer { cp in
        preactivations.withUnsafeMutableBufferPointer { prep in
        gates.withUnsafeMutableBufferPointer { gp in
        hiddenProjection.withUnsafeMutableBufferPointer { hproj in
        scratchProjection.withUnsafeMutableBufferPointer { scratch in
            body(ForwardLayerWorkspace(
                hidden: MutableStepRows(base: hp.baseAddress, width: n),
                cellState: MutableStepRows(base: cp.baseAddress, width: n),
                preactivations: MutableStepRows(base: prep.baseAddress, width: gh),
                gates: MutableStepRows(base: gp.baseAddress, width: gh),
                hiddenProjection: recordsProjection ? MutableStepRows(base: hproj.baseAddress, width: gh)
                                                    : MutableStepRows(base: scratch.baseAddress, width: 0),
                weightHHT: whh.baseAddress!, biasHH: bhh.baseAddress!))
        }}}}}}}}
    }
}

/// What one step of a layer's backward pass reads (the layer's forward recording and W_hh) and writes
/// (the per-step gradients, and what flows back to step t−1).
struct BackwardLayerWorkspace {
    /// The forward recording of the layer: h_0 … h_T and c_0 … c_T ((T+1) × H), gates and the GRU's
    /// hidden projection (T × G·H).
    private let hidden: StepRows
    private let cellState: StepRows
    let gates: StepRows
    let hiddenProjection: StepRows
    /// W_hh, G·H × H.
    let weightHH: UnsafePointer<Float>
    /// Total dL/dh_t, T × H (it arrives holding the part from above), and dL/dc_t (LSTM).
    let dHidden: MutableStepRows
    let dCell: MutableStepRows
    /// dL/d(gate pre-activation), T × G·H, and the GRU's dL/d(hidden projection).
    let dPreactivations: MutableStepRows
    let dHiddenProjection: MutableStepRows
    /// dL/dh_t and dL/dc_t arriving from step t+1 (zero at the last step), H each.
    let dhNext: UnsafeMutablePointer<Float>
    let dcNext: UnsafeMutablePointer<Float>
    /// ‖dL/dh_t‖₂ per step.
    let hiddenGradientNorms: UnsafeMutableBufferPointer<Float>

    // The forward workspace's state accessors again, read-only: backward reads the states forward wrote.
    func hPrev(_ t: Int) -> UnsafePointer<Float> { hidden[t] }
    func h(_ t: Int) -> UnsafePointer<Float> { hidden[t + 1] }
    func cPrev(_ t: Int) -> UnsafePointer<Float> { cellState[t] }
    func c(_ t: Int) -> UnsafePointer<Float> { cellState[t + 1] }

    /// Calls `body` with the workspace over the layer's recording and these gradient buffers (`dhNext` and
    /// `dcNext` are made here, zeros).
    @inline(__always)
    static func borrowing(recording states: LayerRecording, weightHH: [Float], dHidden: inout [Float],
                          dCell: inout [Float], dPreactivations: inout [Float], dHiddenProjection: inout [Float],
                          hiddenGradientNorms: inout [Float], _ body: (BackwardLayerWorkspace) -> Void) {
        let n = states.hiddenSize, gh = states.cell.gateCount * n
        var dhNext = [Float](repeating: 0, count: n)
        var dcNext = [Float](repeating: 0, count: n)
        weightHH.withUnsafeBufferPointer { whh in
        states.hidden.withUnsafeBufferPointer { hp in
        states.cellState.withUnsafeBufferPointer { cp in
        states.gates.withUnsafeBufferPointer { gp in
        states.hiddenProjection.withUnsafeBufferPointer { hproj in
        dHidden.withUnsafeMutableBufferPointer { dhp in
        dCell.withUnsafeMutableBufferPointer { dcp in
        dPreactivations.withUnsafeMutableBufferPointer { dprep in
        dHiddenProjection.withUnsafeMutableBufferPointer { dhhp in
        dhNext.withUnsafeMutableBufferPointer { dhn in
        dcNext.withUnsafeMutableBufferPointer { dcn in
        hiddenGradientNorms.withUnsafeMutableBufferPointer { normp in
            body(BackwardLayerWorkspace(
                hidden: StepRows(base: hp.baseAddress, width: n),
                cellState: StepRows(base: cp.baseAddress, width: n),
                gates: StepRows(base: gp.baseAddress, width: gh),
                hiddenProjection: StepRows(base: hproj.baseAddress, width: gh),
                weightHH: whh.baseAddress!,
                dHidden: MutableStepRows(base: dhp.baseAddress, width: n),
                dCell: MutableStepRows(base: dcp.baseAddress, width: n),
                dPreactivations: MutableStepRows(base: dprep.baseAddress, width: gh),
                dHiddenProjection: MutableStepRows(base: dhhp.baseAddress, width: gh),
                dhNext: dhn.baseAddress!, dcNext: dcn.baseAddress!, hiddenGradientNorms: normp))
        }}}}}}}}}}}}
    }
}

// MARK: - Whole-sequence products over arrays

extension Gemm {
    /// `multiply` over whole arrays: C (+)= A · B, A read from element `aOffset` by its two strides, B's rows
    /// (`ldb` apart) from element `bOffset`. The per-sequence products of `forward` and `backward`.
    static func multiply(m: Int, n: Int, k: Int, _ a: [Float], aOffset: Int = 0, aRowStride: Int, aColStride: Int,
                         _ b: [Float], bOffset: Int = 0, ldb: Int, into c: inout [Float], ldc: Int,
                         accumulate: Bool) {
        guard m > 0, n > 0 else { return }
        a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
        c.withUnsafeMutableBufferPointer { cp in
            multiply(m: m, n: n, k: k, a: ap.baseAddress! + aOffset, aRowStride: aRowStride, aColStride: aColStride,
                     b: bp.baseAddress! + bOffset, ldb: ldb, c: cp.baseAddress!, ldc: ldc, accumulate: accumulate)
        }}}
    }
}

/// Sets every row of `c` (`rows` × `cols`) to `v`: a bias broadcast over the steps.
func fillRows(_ c: inout [Float], rows: Int, cols: Int, with v: [Float]) {
    guard rows > 0, cols > 0 else { return }
    c.withUnsafeMutableBufferPointer { cp in v.withUnsafeBufferPointer { fillRows(cp.baseAddress!, rows: rows, cols: cols, with: $0.baseAddress!) } }
}

/// Adds the column sums of `a` (`rows` × `cols`) to `sums`: a bias gradient summed over the steps.
func addColumnSums(_ a: [Float], rows: Int, cols: Int, into sums: inout [Float]) {
    guard rows > 0, cols > 0 else { return }
    a.withUnsafeBufferPointer { ap in sums.withUnsafeMutableBufferPointer { addColumnSums(ap.baseAddress!, rows: rows, cols: cols, into: $0.baseAddress!) } }
}

/// Row t of `rows` (T × `width`) += column `ids[t]` of `w` (`width` × `columns`): W x_t for a one-hot x_t.
func addColumns(of w: [Float], columns e: Int, at ids: [Int], toRows rows: inout [Float], width gh: Int) {
    w.withUnsafeBufferPointer { wp in
    rows.withUnsafeMutableBufferPointer { out in
        for (t, id) in ids.enumerated() {
            let row = out.baseAddress! + t * gh
            for k in 0..<gh { row[k] += wp[k * e + id] }
        }
    }}
}

/// Column `ids[t]` of `w` (`width` × `columns`) += row t of `rows` (T × `width`): dW for a one-hot x_t.
func addRows(_ rows: [Float], width gh: Int, toColumns ids: [Int], of w: inout [Float], columns e: Int) {
    rows.withUnsafeBufferPointer { rp in
    w.withUnsafeMutableBufferPointer { dw in
        for (t, id) in ids.enumerated() {
            let row = rp.baseAddress! + t * gh
            for k in 0..<gh { dw[k * e + id] += row[k] }
        }
    }}
}

/// Row `ids[t]` of `table` += row t of `rows`, both `width` wide: the embedding gradient of the token read at step t.
func addRows(_ rows: [Float], toRows ids: [Int], of table: inout [Float], width e: Int) {
    rows.withUnsafeBufferPointer { rp in
    table.withUnsafeMutableBufferPointer { tp in
        for (t, id) in ids.enumerated() {
            add(tp.baseAddress! + id * e, rp.baseAddress! + t * e, into: tp.baseAddress! + id * e, e)
        }
    }}
}
