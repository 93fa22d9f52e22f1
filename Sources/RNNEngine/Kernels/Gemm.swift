/// Four floats: one packed, broadcast value of A in the GEMM tiles.
typealias Float4 = SIMD4<Float>

/// Matrix products over raw row-major buffers, in the one shape every engine product is written in:
///
///     C[m×n] = (accumulate ? C : 0) + A[m×k] · B[k×n]
///
/// B's rows are contiguous (row p at `b + p·ldb`); A is addressed by two strides, so Aᵀ (the weight
/// gradients Σ_t outer products, which read a T × G·H buffer column-wise) needs no copy.
///
/// The work is a register-blocked 6×8 tile (6 SIMD8 accumulators: each B load feeds six rows, each A
/// broadcast eight columns; 4×8 and 1×8 for the last rows), with k and n cut into blocks so the B panel a tile sweeps stays in L2.
/// Single rows (the per-step mat-vecs) use a 1×32 kernel. Columns that do not fill a block of 8 are covered
/// by one overlapping block ending at column n, whose already-written lanes are left alone.
/// With SSE2 (the baseline every build targets) the 6×8 tile is its 12 accumulator registers plus operands.
/// `tile6`, `tile4` and `tile1` repeat one loop body on purpose: each row of a tile is its own register.
enum Gemm {
    private static let kBlock = 256
    private static let nBlock = 256

    static func multiply(m: Int, n: Int, k: Int,
                         a: UnsafePointer<Float>, aRowStride ars: Int, aColStride acs: Int,
                         b: UnsafePointer<Float>, ldb: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        if n < 8 {
            narrow(m: m, n: n, k: k, a: a, ars: ars, acs: acs, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
            return
        }
        if m == 1 {
            row(n: n, k: k, a: a, acs: acs, b: b, ldb: ldb, c: c, accumulate: accumulate)
            return
        }
        // A 6- or 4-row tile of A for one k block, packed as kb groups of 6 (or 4) values, each already
        // broadcast to four lanes: whatever A's strides (the weight gradients read a T × G·H buffer down its
        // columns) the kernel then reads one aligned vector per row and step, with no shuffle competing with
        // the multiplies and adds for the vector ports.
        let packed = UnsafeMutablePointer<Float4>.allocate(capacity: 6 * kBlock)
        defer { packed.deallocate() }
        var p0 = 0
        while p0 < k {
            let kb = min(kBlock, k - p0)
            let acc = accumulate || p0 > 0
            let ap = a + p0 * acs, bp = b + p0 * ldb
            var j0 = 0
            while j0 < n {
                let j1 = n - j0 <= nBlock + 8 ? n : j0 + nBlock
                var i = 0
                while i + 6 <= m {
                    // Walked by pointer steps: no overflow-checked index product per value (-O keeps the checks).
                    var src = ap + i * ars, dst = packed
                    for _ in 0..<kb {
                        dst[0] = Float4(repeating: src[0]); dst[1] = Float4(repeating: src[ars])
                        dst[2] = Float4(repeating: src[2 * ars]); dst[3] = Float4(repeating: src[3 * ars])
                        dst[4] = Float4(repeating: src[4 * ars]); dst[5] = Float4(repeating: src[5 * ars])
                        src += acs
                        dst += 6
                    }
                    columnBlocks(from: j0, to: j1, n: n) { j, skip in
                        tile6(k: kb, a: packed, b: bp + j, ldb: ldb, c: c + i * ldc + j, ldc: ldc,
                              skip: skip, accumulate: acc)
                    }
                    i += 6
                }
                while i + 4 <= m {
                    var src = ap + i * ars, dst = packed
                    for _ in 0..<kb {
                        dst[0] = Float4(repeating: src[0]); dst[1] = Float4(repeating: src[ars])
                        dst[2] = Float4(repeating: src[2 * ars]); dst[3] = Float4(repeating: src[3 * ars])
                        src += acs
                        dst += 4
                    }
                    columnBlocks(from: j0, to: j1, n: n) { j, skip in
                        tile4(k: kb, a: packed, b: bp + j, ldb: ldb, c: c + i * ldc + j, ldc: ldc,
                              skip: skip, accumulate: acc)
                    }
                    i += 4
                }
                while i < m {
                    columnBlocks(from: j0, to: j1, n: n) { j, skip in
                        tile1(k: kb, a: ap + i * ars, acs: acs, b: bp + j, ldb: ldb, c: c + i * ldc + j,
                              skip: skip, accumulate: acc)
                    }
                    i += 1
                }
                j0 = j1
            }
            p0 += kb
        }
    }

    /// Column blocks of 8 in j0..<j1; when j1 = n is not on a block boundary the last block is shifted back
    /// to end at n and its first `skip` lanes (done by the previous block) are not stored. Needs n ≥ 8.
    @inline(__always)
    private static func columnBlocks(from j0: Int, to j1: Int, n: Int, _ body: (Int, Int) -> Void) {
        var j = j0
        while j + 8 <= j1 {
            body(j, 0)
            j += 8
        }
        if j < j1 { body(n - 8, 8 - (j1 - j)) }
    }

    /// A packed, already broadcast A value as eight lanes (both halves the same vector).
    @inline(__always)
    private static func splat(_ v: Float4) -> Float8 { Float8(lowHalf: v, highHalf: v) }

    /// Writes (or adds) lanes skip..<8 of `v` at p.
    @inline(__always)
    private static func put(_ v: Float8, _ p: UnsafeMutablePointer<Float>, skip: Int, accumulate: Bool) {
        if skip == 0 {
            store8(accumulate ? load8(p) + v : v, p)
        } else {
            for l in skip..<8 { p[l] = accumulate ? p[l] + v[l] : v[l] }
        }
    }

    /// C[6×8] (+)= A[6×k] · B[k×8], A packed as k groups of the 6 rows' values. Twelve SSE accumulators:
    /// the most the 16 registers of baseline x86-64 hold next to the B vector and a broadcast.
    @inline(__always)
    private static func tile6(k: Int, a: UnsafeMutablePointer<Float4>, b: UnsafePointer<Float>, ldb: Int,
                              c: UnsafeMutablePointer<Float>, ldc: Int, skip: Int, accumulate: Bool) {
        var c0 = Float8(), c1 = Float8(), c2 = Float8(), c3 = Float8(), c4 = Float8(), c5 = Float8()
        var ap = UnsafePointer(a)
        var bp = b
        for _ in 0..<k {
            let bv = load8(bp)
            c0 = madd(c0, splat(ap[0]), bv)
            c1 = madd(c1, splat(ap[1]), bv)
            c2 = madd(c2, splat(ap[2]), bv)
            c3 = madd(c3, splat(ap[3]), bv)
            c4 = madd(c4, splat(ap[4]), bv)
            c5 = madd(c5, splat(ap[5]), bv)
            ap += 6
            bp += ldb
        }
        put(c0, c, skip: skip, accumulate: accumulate)
        put(c1, c + ldc, skip: skip, accumulate: accumulate)
        put(c2, c + 2 * ldc, skip: skip, accumulate: accumulate)
        put(c3, c + 3 * ldc, skip: skip, accumulate: accumulate)
        put(c4, c + 4 * ldc, skip: skip, accumulate: accumulate)
        put(c5, c + 5 * ldc, skip: skip, accumulate: accumulate)
    }

    /// C[4×8] (+)= A[4×k] · B[k×8], A packed as k groups of the 4 rows' values.
    /// `tile6`'s loop with four rows, repeated rather than shared: a loop over rows would not stay in registers.
    @inline(__always)
    private static func tile4(k: Int, a: UnsafeMutablePointer<Float4>, b: UnsafePointer<Float>, ldb: Int,
                              c: UnsafeMutablePointer<Float>, ldc: Int, skip: Int, accumulate: Bool) {
        var c0 = Float8(), c1 = Float8(), c2 = Float8(), c3 = Float8()
        var ap = UnsafePointer(a)
        var bp = b
        for _ in 0..<k {
            let bv = load8(bp)
            c0 = madd(c0, splat(ap[0]), bv)
            c1 = madd(c1, splat(ap[1]), bv)
            c2 = madd(c2, splat(ap[2]), bv)
            c3 = madd(c3, splat(ap[3]), bv)
            ap += 4
            bp += ldb
        }
        put(c0, c, skip: skip, accumulate: accumulate)
        put(c1, c + ldc, skip: skip, accumulate: accumulate)
        put(c2, c + 2 * ldc, skip: skip, accumulate: accumulate)
        put(c3, c + 3 * ldc, skip: skip, accumulate: accumulate)
    }

    /// C[1×8] (+)= A[1×k] · B[k×8], with two accumulators to hide the add latency.
    @inline(__always)
    private static func tile1(k: Int, a: UnsafePointer<Float>, acs: Int, b: UnsafePointer<Float>, ldb: Int,
                              c: UnsafeMutablePointer<Float>, skip: Int, accumulate: Bool) {
        var s0 = Float8(), s1 = Float8()
        var p = 0
        while p + 2 <= k {
            s0 = madd(s0, Float8(repeating: a[p * acs]), load8(b + p * ldb))
            s1 = madd(s1, Float8(repeating: a[(p + 1) * acs]), load8(b + (p + 1) * ldb))
            p += 2
        }
        if p < k { s0 = madd(s0, Float8(repeating: a[p * acs]), load8(b + p * ldb)) }
        put(s0 + s1, c, skip: skip, accumulate: accumulate)
    }

    /// One row: c[n] (+)= a[k] · B[k×n] — the per-step recurrent mat-vecs. Blocks of 32 columns, then 8.
    private static func row(n: Int, k: Int, a: UnsafePointer<Float>, acs: Int, b: UnsafePointer<Float>, ldb: Int,
                            c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        var j = 0
        while j + 32 <= n {
            var s0 = Float8(), s1 = Float8(), s2 = Float8(), s3 = Float8()
            var bp = b + j
            var ap = a
            for _ in 0..<k {
                let x = Float8(repeating: ap.pointee)
                s0 = madd(s0, x, load8(bp))
                s1 = madd(s1, x, load8(bp + 8))
                s2 = madd(s2, x, load8(bp + 16))
                s3 = madd(s3, x, load8(bp + 24))
                ap += acs
                bp += ldb
            }
            put(s0, c + j, skip: 0, accumulate: accumulate)
            put(s1, c + j + 8, skip: 0, accumulate: accumulate)
            put(s2, c + j + 16, skip: 0, accumulate: accumulate)
            put(s3, c + j + 24, skip: 0, accumulate: accumulate)
            j += 32
        }
        columnBlocks(from: j, to: n, n: n) { j, skip in
            tile1(k: k, a: a, acs: acs, b: b + j, ldb: ldb, c: c + j, skip: skip, accumulate: accumulate)
        }
    }

    /// Fewer than 8 columns (tiny models, the regression head): plain loops.
    private static func narrow(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, ars: Int, acs: Int,
                               b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                               accumulate: Bool) {
        for i in 0..<m {
            for j in 0..<n {
                var s: Float = 0
                for p in 0..<k { s += a[i * ars + p * acs] * b[p * ldb + j] }
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + s : s
            }
        }
    }
}
