using RepDiff.Methods.Rdx;
using RepDiff.Metrics;

namespace RepDiff.Tests.Methods.Rdx;

public class CkaAlignmentTests
{
    private static Matrix Random(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var m = new Matrix(rows, cols);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        return m;
    }

    /// <summary>Debiased HSIC straight from its n×n definition (Song et al. 2012), in double.</summary>
    private static double HsicDefinition(Matrix x, Matrix y)
    {
        int n = x.Rows;
        double[,] k = new double[n, n], l = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (i == j) continue;
                double kv = 0, lv = 0;
                for (int c = 0; c < x.Cols; c++) kv += (double)x[i, c] * x[j, c];
                for (int c = 0; c < y.Cols; c++) lv += (double)y[i, c] * y[j, c];
                k[i, j] = kv;
                l[i, j] = lv;
            }
        double trace = 0, sumK = 0, sumL = 0, cross = 0;
        var k1 = new double[n];
        var l1 = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                trace += k[i, j] * l[j, i];
                sumK += k[i, j];
                sumL += l[i, j];
                k1[i] += k[i, j];
                l1[i] += l[i, j];
            }
        for (int i = 0; i < n; i++) cross += k1[i] * l1[i];
        return (trace + sumK * sumL / ((n - 1.0) * (n - 2.0)) - 2.0 / (n - 2.0) * cross) / (n * (n - 3.0));
    }

    [Fact]
    public void GradientRoutineValueMatchesTheDefinition()
    {
        var x = Random(30, 4, 1);
        var y = Random(30, 6, 2);
        double expected = HsicDefinition(x, y) / Math.Sqrt(HsicDefinition(x, x) * HsicDefinition(y, y));
        Assert.Equal(expected, DebiasedCka.ValueAndGradient(x, y, new Matrix(30, 4)), 5);
        Assert.Equal(expected, Cka.LinearDebiased(x, y)!.Value, 5);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var x = Random(25, 3, 3);
        var y = Random(25, 5, 4);
        // Make the target depend on x so the gradient is not tiny.
        for (int i = 0; i < 25; i++) y[i, 0] += 2 * x[i, 0] * x[i, 1];
        var grad = new Matrix(25, 3);
        DebiasedCka.ValueAndGradient(x, y, grad);
        const float h = 1e-2f;
        double maxError = 0, maxGrad = 0;
        for (int i = 0; i < 25; i++)
            for (int c = 0; c < 3; c++)
            {
                float keep = x[i, c];
                x[i, c] = keep + h;
                double plus = Cka.LinearDebiased(x, y)!.Value;
                x[i, c] = keep - h;
                double minus = Cka.LinearDebiased(x, y)!.Value;
                x[i, c] = keep;
                double numeric = (plus - minus) / (2 * h);
                maxError = Math.Max(maxError, Math.Abs(numeric - grad[i, c]));
                maxGrad = Math.Max(maxGrad, Math.Abs(numeric));
            }
        Assert.True(maxGrad > 1e-3, $"gradient too small to test ({maxGrad})");
        Assert.True(maxError <= 1e-3 * maxGrad + 1e-6, $"max error {maxError} for gradients up to {maxGrad}");
    }

    [Fact]
    public void AlignmentDoesNotLowerHeldOutCka()
    {
        var pair = RdxFixtureTests.Pair("planted");
        var fit = CkaAlignment.Fit(pair.B, pair.A, seed: 0);
        Assert.True(fit.HeldOutCka >= fit.InitialHeldOutCka);
        Assert.True(fit.BestStep > 0, "100 Adam steps should improve the held-out CKA of the planted pair");
        Assert.Equal(pair.N, fit.Mapped.Rows);
        Assert.Equal(pair.B.Cols, fit.Mapped.Cols);
    }

    [Fact]
    public void AlignedRdxStillFindsTheMergeOfGroupsThreeAndFour()
    {
        var e = new RdxMethod().Run(RdxFixtureTests.Pair("planted"), new RdxOptions { Concepts = 3, Gamma = 0.1, Align = true });
        Assert.True(e.Parameters["align"]!.GetValue<bool>());
        foreach (var map in new[] { "a_to_b", "b_to_a" })
        {
            var fit = e.Metrics["alignment"]![map]!;
            Assert.True(fit["held_out_cka_after"]!.GetValue<double>() >= fit["held_out_cka_before"]!.GetValue<double>());
        }
        var merged = e.GetDirection(DirectionNames.MoreSimilarInB).Concepts
            .Where(c => c.Members.All(i => RdxVariantTests.Groups[i] is 3 or 4)).ToArray();
        Assert.Contains(merged, c => c.Members.Length >= 200);
    }
}
