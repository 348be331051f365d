using RepDiff.Numerics;
using static RepDiff.Tests.Numerics.NumericsTestData;

namespace RepDiff.Tests.Numerics;

public class NumericsFeatureTests
{
    private static double KernelError(Matrix x, double sigma, int r, int seed)
    {
        var rff = RandomFourierFeatures.Sample(x.Cols, r, sigma, seed);
        var phi = new Matrix(x.Rows, 2 * r);
        rff.Map(x, phi);
        var approx = Gemm.Multiply(phi, phi, transposeB: true);
        var d2 = Distances.SquaredEuclidean(x);
        double sum = 0;
        for (int i = 0; i < d2.Data.Length; i++)
            sum += Math.Pow(approx.Data[i] - Math.Exp(-d2.Data[i] / (2 * sigma * sigma)), 2);
        return Math.Sqrt(sum / d2.Data.Length);
    }

    [Fact]
    public void KernelApproximationErrorShrinksLikeOneOverSqrtR()
    {
        var x = RandomMatrix(60, 5, 17);
        const double sigma = 2.0;
        double previous = 0;
        foreach (int r in new[] { 100, 400, 1600, 6400 })
        {
            double error = Enumerable.Range(0, 4).Average(s => KernelError(x, sigma, r, 100 + s));
            Assert.True(error < 1.5 / Math.Sqrt(r), $"r={r}: RMS error {error}");
            if (previous > 0) Assert.InRange(previous / error, 1.4, 2.9); // 4× frequencies → error / 2
            previous = error;
        }
    }

    [Fact]
    public void MapsToScaledCosinesAndSines()
    {
        var rff = RandomFourierFeatures.Sample(3, 4, 1.5, 2);
        var x = RandomMatrix(5, 3, 3);
        var phi = new Matrix(5, 8);
        rff.Map(x, phi);
        for (int i = 0; i < 5; i++)
            for (int f = 0; f < 4; f++)
            {
                double z = 0;
                for (int j = 0; j < 3; j++) z += x[i, j] * rff.Omega[j, f];
                Assert.Equal(Math.Cos(z) / 2, phi[i, f], 1e-5);
                Assert.Equal(Math.Sin(z) / 2, phi[i, 4 + f], 1e-5);
            }
        // Each feature row has unit norm: cos² + sin² = 1 per frequency, divided by r.
        Assert.Equal(1.0, Distances.RowSquaredNorms(phi).Max(), 1e-5);
        Assert.Throws<ArgumentException>(() => rff.Map(new Matrix(5, 2), phi));
    }

    [Fact]
    public void SampleIsDeterministicAndHasVarianceOneOverSigmaSquared()
    {
        var a = RandomFourierFeatures.Sample(20, 500, 4.0, 7);
        var b = RandomFourierFeatures.Sample(20, 500, 4.0, 7);
        Assert.Equal(a.Omega.Data, b.Omega.Data);
        Assert.Equal((20, 500), (a.InputDim, a.Frequencies));
        double variance = a.Omega.Data.Average(v => (double)v * v);
        Assert.Equal(1.0 / 16, variance, 0.003);
    }

    [Fact]
    public void SavesAndLoadsOmegaAndValidatesTheInputDimension()
    {
        string dir = TestData.TempDir();
        string path = Path.Combine(dir, "omega.npy");
        var rff = RandomFourierFeatures.Sample(6, 10, 1, 1);
        rff.Save(path);
        var loaded = RandomFourierFeatures.Load(path, 6);
        Assert.Equal(rff.Omega.Data, loaded.Omega.Data);
        var error = Assert.Throws<RepDiffInputException>(() => RandomFourierFeatures.Load(path, 7));
        Assert.Contains("omega.npy", error.Message);
        Assert.Contains("7", error.Message);
    }

    [Fact]
    public void FincFixtureEigenvaluesMatchTheReference()
    {
        // C_test − C_ref with the shared frequencies: RFF mapping, streaming covariance and the eigensolver together.
        var rff = RandomFourierFeatures.Load(TestData.Fixture("finc_omega.npy"), 16);
        var test = TestData.LoadFixture("finc_test.npy");
        var reference = TestData.LoadFixture("finc_ref.npy");
        int dim = 2 * rff.Frequencies;
        double[] Covariance(Matrix x)
        {
            var acc = new CovarianceAccumulator(dim);
            for (int first = 0; first < x.Rows; first += 300)
            {
                var batch = x.SelectRows(Enumerable.Range(first, Math.Min(300, x.Rows - first)).ToArray());
                var phi = new Matrix(batch.Rows, dim);
                rff.Map(batch, phi);
                acc.Add(phi);
            }
            return acc.Sum.Select(v => v / acc.Count).ToArray();
        }
        var cx = Covariance(test);
        var cy = Covariance(reference);
        var lambda = cx.Zip(cy, (p, q) => p - q).ToArray();
        var top = Lanczos.Solve(new DenseSymmetricOperator(lambda, dim), 10, EigenTarget.Largest, tolerance: 1e-12);
        var bottom = Lanczos.Solve(new DenseSymmetricOperator(lambda, dim), 10, EigenTarget.Smallest, tolerance: 1e-12);
        var expectedTop = TestData.Doubles(TestData.Reference["finc"]!["finc"]!["top"]!);
        var expectedBottom = TestData.Doubles(TestData.Reference["finc"]!["finc"]!["bottom"]!);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(expectedTop[i], top.Values[i], 2e-5 * Math.Abs(expectedTop[0]));
            Assert.Equal(expectedBottom[i], bottom.Values[i], 2e-5 * Math.Abs(expectedBottom[0]));
        }
    }

    [Fact]
    public void PcaMatchesTheCovarianceEigenvectorsAndTransformCentres()
    {
        var rng = Rng.Create(3);
        var x = new Matrix(500, 6);
        double[] scales = [5, 3, 2, 1, 0.5, 0.1];
        for (int i = 0; i < 500; i++)
            for (int j = 0; j < 6; j++) x[i, j] = (float)(100 + scales[j] * Rng.Normal(rng));
        var pca = Pca.Fit(x, 3);
        var mean = Enumerable.Range(0, 6).Select(j => Enumerable.Range(0, 500).Average(i => (double)x[i, j])).ToArray();
        var cov = new double[36];
        for (int i = 0; i < 500; i++)
            for (int p = 0; p < 6; p++)
                for (int q = 0; q < 6; q++) cov[p * 6 + q] += (x[i, p] - mean[p]) * (x[i, q] - mean[q]) / 499;
        var dense = SymmetricEigen.Decompose(cov, 6);
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(dense.Values[c], pca.ExplainedVariance[c], 1e-4 * dense.Values[0]);
            double dot = 0;
            for (int j = 0; j < 6; j++) dot += dense.Vectors[c][j] * pca.Components[c, j];
            Assert.Equal(1, Math.Abs(dot), 1e-5);
        }
        var scores = Pca.Transform(pca, x);
        for (int c = 0; c < 3; c++)
        {
            double m = 0, v = 0;
            for (int i = 0; i < 500; i++) m += scores[i, c] / 500.0;
            for (int i = 0; i < 500; i++) v += Math.Pow(scores[i, c] - m, 2) / 499;
            Assert.Equal(0, m, 1e-3);
            Assert.Equal(pca.ExplainedVariance[c], v, 1e-3 * v);
        }
        Assert.Throws<RepDiffInputException>(() => Pca.Fit(x, 7));
    }

    [Fact]
    public void PcaOfWideDataThroughTheGramMatrixMatchesTheCovarianceRoute()
    {
        // More dimensions than samples (two column chunks), far from the origin: the n×n route must give the same
        // variances, components (signed alike) and scores as the d×d one.
        var rng = Rng.Create(8);
        var x = new Matrix(30, 1500);
        for (int i = 0; i < 30; i++)
            for (int j = 0; j < 1500; j++) x[i, j] = (float)(50 + (j % 7 + 1) * Rng.Normal(rng));
        var byFeatures = Pca.Fit(x, 4, throughSamples: false);
        var bySamples = Pca.Fit(x, 4, throughSamples: true);
        var scoresF = Pca.Transform(byFeatures, x);
        var scoresS = Pca.Transform(bySamples, x);
        for (int c = 0; c < 4; c++)
        {
            Assert.Equal(byFeatures.ExplainedVariance[c], bySamples.ExplainedVariance[c], 1e-6 * byFeatures.ExplainedVariance[0]);
            for (int j = 0; j < 1500; j++) Assert.Equal(byFeatures.Components[c, j], bySamples.Components[c, j], 1e-4);
            for (int i = 0; i < 30; i++) Assert.Equal(scoresF[i, c], scoresS[i, c], 1e-3 * Math.Sqrt(byFeatures.ExplainedVariance[0]));
        }
    }

    [Fact]
    public void RngIsSeededAndNormal()
    {
        var a = Rng.Create(5);
        var b = Rng.Create(5);
        Assert.Equal(Enumerable.Range(0, 10).Select(_ => a.Next()), Enumerable.Range(0, 10).Select(_ => b.Next()));
        var rng = Rng.Create(1);
        var draws = Enumerable.Range(0, 20000).Select(_ => Rng.Normal(rng)).ToArray();
        Assert.Equal(0, draws.Average(), 0.03);
        Assert.Equal(1, draws.Average(v => v * v), 0.03);
        Assert.NotEqual(Rng.Derive(1, 0), Rng.Derive(1, 1));
    }

    [Fact]
    public void CosSinMatchesTheDoubleLibraryToFloatPrecisionInEveryQuadrant()
    {
        // Every quadrant boundary, negative arguments, exact multiples of π/2, and |z| up to 10⁴ (xΩ for raw,
        // unnormalized embeddings); odd lengths exercise the scalar tail.
        var rng = new Random(5);
        var values = new List<float> { 0f, -0f, 1e-30f, (float)(Math.PI / 4), (float)(Math.PI / 2), (float)Math.PI, (float)(-3 * Math.PI / 2), 1e4f, -1e4f };
        for (int i = -40; i <= 40; i++) values.Add((float)(i * Math.PI / 4));
        for (int i = 0; i < 5001; i++) values.Add((float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-3, 5))));
        var z = values.ToArray();
        var sin = new float[z.Length];
        var cos = (float[])z.Clone();
        RandomFourierFeatures.CosSin(cos, sin, 0.5);
        for (int i = 0; i < z.Length; i++)
        {
            // Correctly rounded would be within half a float ulp of the value; allow one ulp of 0.5·[−1, 1].
            Assert.True(Math.Abs(0.5 * Math.Sin(z[i]) - sin[i]) <= 6e-8, $"sin({z[i]:R}) = {sin[i]:R}, expected {0.5 * Math.Sin(z[i]):R}");
            Assert.True(Math.Abs(0.5 * Math.Cos(z[i]) - cos[i]) <= 6e-8, $"cos({z[i]:R}) = {cos[i]:R}, expected {0.5 * Math.Cos(z[i]):R}");
        }
    }
}
