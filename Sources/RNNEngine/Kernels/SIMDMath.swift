#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

// exp, tanh and the logistic sigmoid on eight floats at a time, with Cephes' single-precision polynomials
// (about 1–2 ulp, as accurate as libm's expf/tanhf), so the cells need no per-element libm calls.
// Only SSE2 operations are used: rounding by the 1.5·2²³ trick, 2ⁿ built from its exponent bits.

private typealias UInt8x = SIMD8<UInt32>
private typealias Int8x = SIMD8<Int32>

@inline(__always)
private func bits(_ x: Float8) -> UInt8x { unsafeBitCast(x, to: UInt8x.self) }
@inline(__always)
private func float(_ x: UInt8x) -> Float8 { unsafeBitCast(x, to: Float8.self) }

/// |x| and the sign bit of x.
@inline(__always)
private func magnitudeAndSign(_ x: Float8) -> (Float8, UInt8x) {
    let b = bits(x)
    return (float(b & 0x7fff_ffff), b & 0x8000_0000)
}

/// eˣ, lanewise. NaN stays NaN; results below 2⁻¹²⁶ flush to about 1.2·10⁻³⁸, and x above 88.37 (where
/// 2ⁿ would need exponent 128) gives +∞ — the engine only needs x ≤ 0 (softmax, sigmoid) and tanh's 2|x|,
/// for which any value above 20 already rounds to 1.
@inline(__always)
func exp8(_ x: Float8) -> Float8 {
    // Clamped by compare-and-select: the generic `clamped`/`pointwiseMin` are not inlined. NaN passes through.
    let low = Float8(repeating: -87.336_54), high = Float8(repeating: 88.722_84)
    let clamped = x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
    let magic = Float8(repeating: 12_582_912)  // 1.5·2²³: adding it rounds to an integer
    let shifted = clamped * 1.442_695_04 + magic
    let n = shifted - magic
    // r = x − n·ln2 in two parts, so r is exact to float precision.
    var r = clamped - n * 0.693_359_375
    r = r - n * -2.121_944_4e-4
    var y = Float8(repeating: 1.987_569_15e-4)
    y = y * r + 1.398_199_950_7e-3
    y = y * r + 8.333_451_907_3e-3
    y = y * r + 4.166_579_589_4e-2
    y = y * r + 1.666_666_545_9e-1
    y = y * r + 5.000_000_120_1e-1
    y = y * (r * r) + r + 1
    // 2ⁿ: n sits in the low mantissa bits of `shifted`.
    let ni = unsafeBitCast(shifted, to: Int8x.self) &- unsafeBitCast(magic, to: Int8x.self)
    let scale = unsafeBitCast((ni &+ 127) &<< 23, to: Float8.self)
    return y * scale
}

/// tanh x, lanewise: an odd polynomial for |x| < 0.625, 1 − 2/(e^{2|x|} + 1) with x's sign above.
@inline(__always)
func tanh8(_ x: Float8) -> Float8 {
    let (ax, sign) = magnitudeAndSign(x)
    let z = x * x
    var p = Float8(repeating: -5.704_988_727_45e-3)
    p = p * z + 2.063_908_879_54e-2
    p = p * z - 5.373_971_555_31e-2
    p = p * z + 1.333_144_220_36e-1
    p = p * z - 3.333_328_194_22e-1
    let small = p * z * x + x
    let large = 1 - 2 / (exp8(ax + ax) + 1)
    let signedLarge = float(bits(large) | sign)
    return signedLarge.replacing(with: small, where: ax .< 0.625)
}

/// σ(x) = 1/(1 + e⁻ˣ), lanewise, as e^{-|x|} so the exponential never overflows: 1/(1+e) for x ≥ 0 and
/// e/(1+e) for x < 0.
@inline(__always)
func sigmoid8(_ x: Float8) -> Float8 {
    let (ax, _) = magnitudeAndSign(x)
    let e = exp8(-ax)
    let numerator = Float8(repeating: 1).replacing(with: e, where: x .< 0)
    return numerator / (1 + e)
}

/// √x, lanewise, correctly rounded (IEEE), so bit-identical to `Float.squareRoot()` per lane.
/// The generic `SIMD8.squareRoot()` is lowered lane by lane (eight scalar square roots with branches);
/// on x86-64 this is two `sqrtps` instead.
@inline(__always)
func sqrt8(_ x: Float8) -> Float8 {
    #if arch(x86_64)
    return Float8(lowHalf: _mm_sqrt_ps(x.lowHalf), highHalf: _mm_sqrt_ps(x.highHalf))
    #else
    return x.squareRoot()
    #endif
}
