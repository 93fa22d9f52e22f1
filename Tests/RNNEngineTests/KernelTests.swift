import Foundation
import Testing
@testable import RNNEngine

/// The SIMD kernels checked against plain loops and libm, over shapes that hit every tile and tail path.
@Suite("Engine kernels")
struct KernelTests {
    /// C = (accumulate ? C : 0) + A·B in Double, A addressed by strides as `Gemm.multiply` does.
    static func reference(m: Int, n: Int, k: Int, a: [Float], ars: Int, acs: Int, b: [Float], ldb: Int,
                          c: [Float], ldc: Int, accumulate: Bool) -> [Float] {
        var out = c
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k { s += Double(a[i * ars + p * acs]) * Double(b[p * ldb + j]) }
                out[i * ldc + j] = Float((accumulate ? Double(c[i * ldc + j]) : 0) + s)
            }
        }
        return out
    }

    @Test(arguments: [(1, 1, 1), (1, 7, 5), (1, 8, 3), (1, 37, 17), (1, 100, 100), (1, 64, 16), (3, 9, 4),
                      (4, 8, 1), (5, 13, 300), (7, 100, 25), (9, 264, 2), (12, 530, 7), (25, 38, 100),
                      (33, 16, 600)])
    func multiplyMatchesPlainLoops(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var rng = SeededGenerator(seed: UInt64(m * 1_000_003 + n * 1009 + k))
        for transposedA in [false, true] {
            for accumulate in [false, true] {
                let a = (0..<(m * k)).map { _ in rng.uniform(-1, 1) }
                let (ars, acs) = transposedA ? (1, m) : (k, 1)
                let ldb = n + 3, ldc = n + 2
                let b = (0..<(k * ldb)).map { _ in rng.uniform(-1, 1) }
                let c = (0..<(m * ldc)).map { _ in rng.uniform(-1, 1) }
                var got = c
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        got.withUnsafeMutableBufferPointer { cp in
                            Gemm.multiply(m: m, n: n, k: k, a: ap.baseAddress!, aRowStride: ars, aColStride: acs,
                                          b: bp.baseAddress!, ldb: ldb, c: cp.baseAddress!, ldc: ldc,
                                          accumulate: accumulate)
                        }
                    }
                }
                let want = Self.reference(m: m, n: n, k: k, a: a, ars: ars, acs: acs, b: b, ldb: ldb, c: c,
                                          ldc: ldc, accumulate: accumulate)
                var worst: Float = 0
                for i in 0..<m {
                    for j in 0..<ldc {
                        let index = i * ldc + j
                        if j < n {
                            worst = max(worst, abs(got[index] - want[index]) / (1 + Float(k).squareRoot()))
                        } else {
                            // Padding columns of C are never written.
                            #expect(got[index] == c[index], "m=\(m) n=\(n) k=\(k): padding [\(i), \(j)] changed")
                        }
                    }
                }
                #expect(worst < 1e-5, "m=\(m) n=\(n) k=\(k) transposedA=\(transposedA) accumulate=\(accumulate): \(worst)")
            }
        }
    }

    @Test func vectorMathMatchesLibm() {
        var xs: [Float] = stride(from: -100, through: 100, by: 0.0137).map { Float($0) }
        xs += [0, -0, 1e-30, -1e-30, 1e-7, -3e-5, 0.624_999, 0.625, -0.625, 9, 20, -20, 87, -87, 88.5, -88.5, 200, -200]
        var worstExp = 0.0, worstTanh = 0.0, worstSigmoid = 0.0
        func ulps(_ got: Float, _ want: Double) -> Double {
            let w = Float(want)
            guard w.isFinite, w != 0 else { return got == w ? 0 : (abs(Double(got) - want) < 1e-37 ? 0 : .infinity) }
            return abs(Double(got) - want) / Double(w.ulp)
        }
        for x in xs {
            let v = Float8(repeating: x)
            let d = Double(x)
            if x > -87 && x < 88.3 { worstExp = max(worstExp, ulps(exp8(v)[3], exp(d))) }
            worstTanh = max(worstTanh, ulps(tanh8(v)[5], tanh(d)))
            let sigmoid = d >= 0 ? 1 / (1 + exp(-d)) : exp(d) / (1 + exp(d))
            if sigmoid > 1e-37 { worstSigmoid = max(worstSigmoid, ulps(sigmoid8(v)[0], sigmoid)) }
        }
        #expect(worstExp <= 2, "exp: \(worstExp) ulp")
        #expect(worstTanh <= 3, "tanh: \(worstTanh) ulp")
        #expect(worstSigmoid <= 3, "sigmoid: \(worstSigmoid) ulp")
        #expect(tanh8(Float8(repeating: .nan))[0].isNaN)
        #expect(sigmoid8(Float8(repeating: .nan))[0].isNaN)
        #expect(exp8(Float8(repeating: .nan))[0].isNaN)
        #expect(exp8(Float8(repeating: 89))[0] == .infinity)
        #expect(tanh8(Float8(repeating: .infinity))[0] == 1)
        #expect(tanh8(Float8(repeating: -.infinity))[0] == -1)
        #expect(sigmoid8(Float8(repeating: -.infinity))[0] < 1e-37)
        #expect(sigmoid8(Float8(repeating: .infinity))[0] == 1)
    }
}
