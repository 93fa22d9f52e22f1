import Foundation
import Testing
import RNNEngine

/// σ_max and the spectral radius ρ of matrices whose values are known by hand: they differ exactly where
/// a matrix is not normal, which is what decides whether gradients through W_hh explode or vanish.
@Suite struct MatrixSpectrumTests {
    @Test func rotationHasRadiusAndNormOne() throws {
        let a = 0.7
        let m = Matrix(rows: 2, cols: 2, values: [Float(cos(a)), Float(-sin(a)), Float(sin(a)), Float(cos(a))])
        #expect(abs(try #require(m.spectralRadius) - 1) < 1e-6)
        #expect(abs(m.largestSingularValue - 1) < 1e-6)
    }

    @Test func diagonalRadiusIsTheLargestMagnitude() throws {
        let m = Matrix(rows: 3, cols: 3, values: [0.5, 0, 0, 0, -1.5, 0, 0, 0, 0.25])
        #expect(abs(try #require(m.spectralRadius) - 1.5) < 1e-9)
        #expect(abs(m.largestSingularValue - 1.5) < 1e-9)
    }

    @Test func nonNormalMatrixStretchesMoreThanItsEigenvalues() throws {
        // Eigenvalues 0.5 and 0.5, yet one multiplication can stretch a vector by σ_max ≈ 10.
        let m = Matrix(rows: 2, cols: 2, values: [0.5, 10, 0, 0.5])
        let rho = try #require(m.spectralRadius)
        #expect(abs(rho - 0.5) < 1e-6, "ρ = \(rho)")
        // σ_max of [[a, b], [0, a]]: the larger root of s² − (2a² + b²)s + a⁴ = 0, then its square root.
        let p = 2 * 0.25 + 100.0, q = 0.0625
        let sigma = ((p + (p * p - 4 * q).squareRoot()) / 2).squareRoot()
        #expect(abs(m.largestSingularValue - sigma) < 1e-6)
    }

    @Test func similarToADiagonalKeepsItsRadius() throws {
        // S·diag(0.9, −0.3, 0.5)·S⁻¹ with S = [[1,2,0],[0,1,3],[0,0,1]]: ρ = 0.9 although no entry shows it.
        let s: [[Double]] = [[1, 2, 0], [0, 1, 3], [0, 0, 1]]
        let sInverse: [[Double]] = [[1, -2, 6], [0, 1, -3], [0, 0, 1]]
        let d = [0.9, -0.3, 0.5]
        var values: [Float] = []
        for i in 0..<3 {
            for j in 0..<3 { values.append(Float((0..<3).reduce(0.0) { $0 + s[i][$1] * d[$1] * sInverse[$1][j] })) }
        }
        let rho = try #require(Matrix(rows: 3, cols: 3, values: values).spectralRadius)
        #expect(abs(rho - 0.9) < 1e-5, "ρ = \(rho)")
    }

    @Test func nilpotentZeroAndNonSquare() {
        #expect(Matrix(rows: 2, cols: 2, values: [0, 3, 0, 0]).spectralRadius == 0)
        #expect(Matrix(zeros: 3, 3).spectralRadius == 0)
        #expect(Matrix(zeros: 2, 3).spectralRadius == nil)
        #expect(Matrix(rows: 1, cols: 1, values: [.nan]).spectralRadius?.isNaN == true)
    }
}
