import Foundation

// SIMD kernels for the engine's hot loops. Float reductions are not auto-vectorised by the compiler,
// so dot products and axpy are written with explicit SIMD16 loads and two accumulators.

@inline(__always)
private func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
private func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// Σ a[i]·b[i] over n elements.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
    var i = 0
    while i + 32 <= n {
        acc0 += load16(a + i) * load16(b + i)
        acc1 += load16(a + i + 16) * load16(b + i + 16)
        i += 32
    }
    if i + 16 <= n {
        acc0 += load16(a + i) * load16(b + i)
        i += 16
    }
    var sum = (acc0 + acc1).sum()
    while i < n {
        sum += a[i] * b[i]
        i += 1
    }
    return sum
}

/// y[i] += alpha·x[i] over n elements.
@inline(__always)
func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    let a = SIMD16<Float>(repeating: alpha)
    var i = 0
    while i + 16 <= n {
        store16(load16(y + i) + a * load16(x + i), y + i)
        i += 16
    }
    while i < n {
        y[i] += alpha * x[i]
        i += 1
    }
}

/// Matrix products over row-major buffers, the shapes the engine needs.
enum Gemm {
    /// C[m×n] (+)= A[m×k] · B[n×k]ᵀ — every entry a dot product of two contiguous rows.
    static func abt(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                    m: Int, n: Int, k: Int, accumulate: Bool) {
        for i in 0..<m {
            let ai = a + i * k
            let ci = c + i * n
            var j = 0
            // Two rows of B at a time: A's row is loaded once for both.
            while j + 2 <= n {
                let d0 = dot(ai, b + j * k, k)
                let d1 = dot(ai, b + (j + 1) * k, k)
                if accumulate { ci[j] += d0; ci[j + 1] += d1 } else { ci[j] = d0; ci[j + 1] = d1 }
                j += 2
            }
            if j < n {
                let d = dot(ai, b + j * k, k)
                if accumulate { ci[j] += d } else { ci[j] = d }
            }
        }
    }

    /// C[m×k] += A[m×n] · B[n×k] — each row of C gathers rows of B weighted by a row of A.
    static func abAccumulate(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                             m: Int, n: Int, k: Int) {
        for i in 0..<m {
            let ai = a + i * n
            let ci = c + i * k
            for j in 0..<n where ai[j] != 0 {
                axpy(ai[j], b + j * k, ci, k)
            }
        }
    }

    /// C[n×k] += A[m×n]ᵀ · B[m×k] — a sum over the m rows of outer products (weight gradients over time).
    static func atbAccumulate(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                              m: Int, n: Int, k: Int) {
        for t in 0..<m {
            let at = a + t * n
            let bt = b + t * k
            for j in 0..<n where at[j] != 0 {
                axpy(at[j], bt, c + j * k, k)
            }
        }
    }
}

@inline(__always)
func sigmoid(_ x: Float) -> Float {
    // Split by sign so exp never overflows for large |x|.
    if x >= 0 {
        return 1 / (1 + expf(-x))
    }
    let e = expf(x)
    return e / (1 + e)
}
