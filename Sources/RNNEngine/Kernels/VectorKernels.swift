#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

// SIMD building blocks for the engine's hot loops. Float reductions and element-wise maths are not
// auto-vectorised by the compiler, so the kernels are written with explicit SIMD8 loads and stores.
// SIMD8 (two SSE registers, one AVX register) keeps register pressure low enough for the 6×8 GEMM tile
// on baseline x86-64, whose 16 vector registers hold its 12 accumulators plus operands (see `Gemm`).

typealias Float8 = SIMD8<Float>

/// acc + a·b, lanewise: the multiply–add of the matrix kernels.
///
/// A multiply then an add, two roundings, in every build: a fused multiply–add (one rounding) would give
/// other numbers on machines or builds that have it, and training amplifies the difference.
@inline(__always)
func madd(_ acc: Float8, _ a: Float8, _ b: Float8) -> Float8 {
    acc + a * b
}

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> Float8 {
    UnsafeRawPointer(p).loadUnaligned(as: Float8.self)
}

@inline(__always)
func store8(_ v: Float8, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Float8.self)
}

/// Loads `count` (≤ 8) floats; a full block is one vector load, a partial one fills the rest with zeros.
///
/// Partial blocks (H = 100, V = 31, …) are built from fixed lanes: a loop over a variable lane index goes
/// through the stack (store the vector, patch a lane, reload), which stalls on every element.
@inline(__always)
func load8(_ p: UnsafePointer<Float>, _ count: Int) -> Float8 {
    if count == 8 { return load8(p) }
    if count >= 4 {
        return Float8(lowHalf: UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self),
                      highHalf: SIMD4(count > 4 ? p[4] : 0, count > 5 ? p[5] : 0, count > 6 ? p[6] : 0, 0))
    }
    return Float8(lowHalf: SIMD4(count > 0 ? p[0] : 0, count > 1 ? p[1] : 0, count > 2 ? p[2] : 0, 0),
                  highHalf: SIMD4())
}

/// Stores the first `count` (≤ 8) lanes of `v`.
@inline(__always)
func store8(_ v: Float8, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
    if count == 8 { return store8(v, p) }
    // Fixed lanes, as in `load8(_:_:)`.
    if count >= 4 {
        UnsafeMutableRawPointer(p).storeBytes(of: v.lowHalf, as: SIMD4<Float>.self)
        if count > 4 { p[4] = v[4] }
        if count > 5 { p[5] = v[5] }
        if count > 6 { p[6] = v[6] }
    } else {
        if count > 0 { p[0] = v[0] }
        if count > 1 { p[1] = v[1] }
        if count > 2 { p[2] = v[2] }
    }
}

/// Calls `body(offset, count)` for consecutive blocks of 8 elements covering 0..<n (the last may be short).
@inline(__always)
func forEachBlock8(_ n: Int, _ body: (Int, Int) -> Void) {
    var i = 0
    while i < n {
        body(i, min(8, n - i))
        i += 8
    }
}

/// y[i] = a[i] + b[i] over n elements.
@inline(__always)
func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, _ n: Int) {
    forEachBlock8(n) { i, c in store8(load8(a + i, c) + load8(b + i, c), y + i, c) }
}

/// Column sums of a row-major m × n matrix added to `sums` (bias gradients: Σ over steps).
func addColumnSums(_ a: UnsafePointer<Float>, rows m: Int, cols n: Int, into sums: UnsafeMutablePointer<Float>) {
    forEachBlock8(n) { j, c in
        var s0 = Float8(), s1 = Float8()
        var t = 0
        while t + 2 <= m {
            s0 += load8(a + t * n + j, c)
            s1 += load8(a + (t + 1) * n + j, c)
            t += 2
        }
        if t < m { s0 += load8(a + t * n + j, c) }
        store8(load8(sums + j, c) + (s0 + s1), sums + j, c)
    }
}

/// Adds `v` (n elements) to each of the m rows of a row-major m × n matrix (broadcast bias).
func fillRows(_ c: UnsafeMutablePointer<Float>, rows m: Int, cols n: Int, with v: UnsafePointer<Float>) {
    for t in 0..<m { (c + t * n).update(from: v, count: n) }
}

/// Σ a[i]² over n elements.
@inline(__always)
func sumOfSquares(_ a: UnsafePointer<Float>, _ n: Int) -> Float {
    var s = Float8()
    forEachBlock8(n) { i, c in
        let x = load8(a + i, c)
        s += x * x
    }
    return s.sum()
}

/// Row-major transpose: `dst` [cols × rows] = `src` [rows × cols]ᵀ.
///
/// The forward pass transposes W_ih, W_hh and W_hy on every call (the trainer calls it per chunk of ~25
/// steps), so on x86-64 whole 4×4 tiles move as four vector loads, eight shuffles and four stores; the
/// edges (rows or columns past the last multiple of 4) are copied one value at a time.
func transpose(_ src: UnsafePointer<Float>, rows: Int, cols: Int, into dst: UnsafeMutablePointer<Float>) {
    #if arch(x86_64)
    let r4 = rows & ~3, c4 = cols & ~3
    var i = 0
    while i < r4 {
        let s0 = src + i * cols, s1 = s0 + cols, s2 = s1 + cols, s3 = s2 + cols
        var j = 0
        while j < c4 {
            let a = load4(s0 + j), b = load4(s1 + j), c = load4(s2 + j), d = load4(s3 + j)
            let ab0 = _mm_unpacklo_ps(a, b), cd0 = _mm_unpacklo_ps(c, d)   // a0 b0 a1 b1, c0 d0 c1 d1
            let ab1 = _mm_unpackhi_ps(a, b), cd1 = _mm_unpackhi_ps(c, d)   // a2 b2 a3 b3, c2 d2 c3 d3
            let o = dst + j * rows + i
            store4(_mm_movelh_ps(ab0, cd0), o)
            store4(_mm_movehl_ps(cd0, ab0), o + rows)
            store4(_mm_movelh_ps(ab1, cd1), o + 2 * rows)
            store4(_mm_movehl_ps(cd1, ab1), o + 3 * rows)
            j += 4
        }
        for r in i..<(i + 4) {
            for col in c4..<cols { dst[col * rows + r] = src[r * cols + col] }
        }
        i += 4
    }
    for r in r4..<rows {
        for col in 0..<cols { dst[col * rows + r] = src[r * cols + col] }
    }
    #else
    // Blocks of 8×8 keep both sides in cache for large matrices.
    var i0 = 0
    while i0 < rows {
        let i1 = min(i0 + 8, rows)
        var j0 = 0
        while j0 < cols {
            let j1 = min(j0 + 8, cols)
            for i in i0..<i1 {
                for j in j0..<j1 { dst[j * rows + i] = src[i * cols + j] }
            }
            j0 = j1
        }
        i0 = i1
    }
    #endif
}

@inline(__always)
private func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
}

@inline(__always)
private func store4(_ v: SIMD4<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Float>.self)
}

/// An array of `count` floats left uninitialised, for buffers the caller writes in full before reading
/// (skips the zero-fill pass, which at T = 1000 is several MB per forward + backward).
@inline(__always)
func uninitializedFloats(_ count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}

/// A transposed copy of a row-major matrix as a new array.
func transposed(_ values: [Float], rows: Int, cols: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: rows * cols) { out, count in
        values.withUnsafeBufferPointer { src in
            if rows * cols > 0 { transpose(src.baseAddress!, rows: rows, cols: cols, into: out.baseAddress!) }
        }
        count = rows * cols
    }
}
