using RepDiff.Numerics;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Numerics;

/// <summary>The blocked parallel Cholesky against the textbook unblocked algorithm and the identity A = L Lᵀ.</summary>
public class CholeskyTests
{
    // Sizes below, at and off the panel width, so partial panels and partial register tiles are exercised.
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(Cholesky.Block - 1)]
    [InlineData(Cholesky.Block)]
    [InlineData(Cholesky.Block + 3)]
    [InlineData(2 * Cholesky.Block + 17)]
    [InlineData(3 * Cholesky.Block + 35)]
    public void BlockedFactorMatchesUnblockedAndReconstructs(int n)
    {
        var x = RandomMatrix(n + 5, n, seed: n);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int r = 0; r < x.Rows; r++) s += x[r, i] * (double)x[r, j];
                a[i * n + j] = s;
            }
        var l = Cholesky.Factor(a, n, jitter: 0);
        var reference = Unblocked(a, n);
        double norm = a.Max(Math.Abs);
        for (int i = 0; i < l.Length; i++) Assert.Equal(reference[i], l[i], 1e-9 * Math.Sqrt(norm));
        AssertReconstructs(a, l, n, 1e-11 * norm);
        Assert.Equal(l, Cholesky.Factor(a, n, jitter: 0)); // bitwise deterministic across runs
    }

    [Fact]
    public void IllConditionedInputIsFactoredAccurately()
    {
        // Condition number 1e10 spread over 300 eigenvalues: SPD, factored without jitter.
        const int n = 300;
        var spectrum = Enumerable.Range(0, n).Select(i => Math.Pow(10, -10.0 * i / (n - 1))).ToArray();
        var a = WithSpectrum(spectrum, 11);
        var l = Cholesky.Factor(a, n, jitter: 0);
        AssertReconstructs(a, l, n, 1e-13);
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) Assert.Equal(0, l[i * n + j]);
    }

    [Fact]
    public void RankDeficientInputAcrossPanelsGetsJitter()
    {
        const int n = Cholesky.Block + 40;
        var spectrum = Enumerable.Range(0, n).Select(i => i < 50 ? 1.0 + i : 0).ToArray();
        var a = WithSpectrum(spectrum, 12);
        var l = Cholesky.Factor(a, n);
        AssertReconstructs(a, l, n, 1e-5);
        Assert.Throws<ArgumentException>(() => Cholesky.Factor(WithSpectrum([.. spectrum[..^1], -100], 13), n));
    }

    /// <summary>
    /// The factor in A's own storage has Factor's bits, also after failed attempts (rank-deficient A from jitter 0, across
    /// panels, with sizes off the tile height) whose retries restore A from its upper triangle and the saved band, and
    /// for an A whose triangles differ slightly (both factor its symmetric part). Factor leaves A as it was.
    /// </summary>
    [Theory]
    [InlineData(Cholesky.Block + 41)]
    [InlineData(2 * Cholesky.Block + 6)]
    public void InPlaceFactorHasFactorsBitsAfterRetries(int n)
    {
        var spectrum = Enumerable.Range(0, n).Select(i => i < 60 ? 1.0 + i : 0).ToArray();
        var a = WithSpectrum(spectrum, 14);
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) a[i * n + j] *= 1 + 1e-12 * ((i + j) % 3 - 1);
        var original = (double[])a.Clone();
        var expected = Cholesky.Factor(a, n, jitter: 0);
        Assert.Equal(original, a);
        var inPlace = Cholesky.FactorInPlace(a, n, jitter: 0);
        Assert.Same(a, inPlace);
        Assert.Equal(expected, inPlace);
        AssertReconstructs(original, expected, n, 1e-5);
        Assert.Throws<ArgumentException>(() => Cholesky.FactorInPlace(WithSpectrum([.. spectrum[..^1], -100], 13), n));
    }

    private static double[] Unblocked(double[] a, int n)
    {
        var l = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j];
            for (int p = 0; p < j; p++) d -= l[j * n + p] * l[j * n + p];
            l[j * n + j] = Math.Sqrt(d);
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int p = 0; p < j; p++) s -= l[i * n + p] * l[j * n + p];
                l[i * n + j] = s / l[j * n + j];
            }
        }
        return l;
    }

    private static void AssertReconstructs(double[] a, double[] l, int n, double tolerance)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int p = 0; p <= j; p++) s += l[i * n + p] * l[j * n + p];
                Assert.Equal(a[i * n + j], s, tolerance);
            }
    }
}
