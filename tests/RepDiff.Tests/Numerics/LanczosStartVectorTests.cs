using RepDiff.Numerics;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Numerics;

/// <summary>A warm start (KODA's bisection reuses the previous λ's vector) changes the path, not the answer.</summary>
public class LanczosStartVectorTests
{
    [Fact]
    public void WarmStartFindsTheSameTopPairAsARandomStart()
    {
        const int n = 400;
        var rng = Rng.Create(3);
        var spectrum = Enumerable.Range(0, n).Select(i => i == 0 ? 4.0 : i == 1 ? 3.9 : Rng.Normal(rng)).ToArray();
        var a = WithSpectrum(spectrum, 11);
        var op = new DenseSymmetricOperator(a, n);
        var cold = Lanczos.Solve(op, 1, EigenTarget.Largest, seed: 1);
        // Start from a perturbed copy of the answer, as a nearby operator's eigenvector would be.
        var start = cold.Vectors[0].Select(v => v + 0.05 * Rng.Normal(rng) / Math.Sqrt(n)).ToArray();
        var warm = Lanczos.Solve(op, 1, EigenTarget.Largest, seed: 1, start: start);
        Assert.Equal(cold.Values[0], warm.Values[0], 1e-9);
        Assert.Equal(1.0, Math.Abs(Dot(cold.Vectors[0], warm.Vectors[0])), 1e-9);
        Assert.True(Residual(a, n, warm.Values[0], warm.Vectors[0]) < 1e-8 * 4);
    }

    /// <summary>
    /// KODA solves without the probe for missed eigenvalues and probes only the answers it keeps: Verify afterwards must
    /// give what the probe inside Solve gives. A block-diagonal operator started inside its first block never leaves it,
    /// so the Krylov run misses the second block's larger eigenvalue and only the probe finds it.
    /// </summary>
    [Fact]
    public void VerifyAfterASolveWithoutItGivesTheVerifiedSolve()
    {
        const int n = 400, half = n / 2;
        var rng = Rng.Create(5);
        double[] Block(double top, int seed) =>
            WithSpectrum(Enumerable.Range(0, half).Select(i => i == 0 ? top : 0.5 * Rng.Normal(rng)).ToArray(), seed);
        var (first, second) = (Block(2.0, 21), Block(3.0, 22));
        var a = new double[n * n];
        for (int i = 0; i < half; i++)
            for (int j = 0; j < half; j++) (a[i * n + j], a[(half + i) * n + half + j]) = (first[i * half + j], second[i * half + j]);
        var op = new DenseSymmetricOperator(a, n);
        var start = new double[n];
        for (int i = 0; i < half; i++) start[i] = Rng.Normal(rng);

        var unverified = Lanczos.Solve(op, 1, EigenTarget.Largest, seed: 1, start: start, verify: false);
        Assert.Equal(2.0, unverified.Values[0], 1e-8);  // the first block's top: the warm start's miss
        var verified = Lanczos.Verify(op, unverified, EigenTarget.Largest, seed: 1);
        var inline = Lanczos.Solve(op, 1, EigenTarget.Largest, seed: 1, start: start);
        Assert.Equal(3.0, inline.Values[0], 1e-8);
        Assert.Equal(inline.Values, verified.Values);  // exact: the same probe on the same pair
        Assert.Equal(inline.Vectors[0], verified.Vectors[0]);

        // Nothing missed: Verify hands back the result it was given, which is what tells a caller nothing changed.
        var cold = Lanczos.Solve(op, 1, EigenTarget.Largest, seed: 1, verify: false);
        Assert.Equal(3.0, cold.Values[0], 1e-8);
        Assert.Same(cold, Lanczos.Verify(op, cold, EigenTarget.Largest, seed: 1));
    }
}
