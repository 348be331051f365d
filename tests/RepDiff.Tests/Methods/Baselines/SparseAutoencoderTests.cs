using RepDiff.Methods.Baselines;

namespace RepDiff.Tests.Methods.Baselines;

public class SparseAutoencoderTests
{
    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        const int dim = 5, latents = 6, active = 2, rows = 7;
        var sae = new SparseAutoencoder(dim, latents, active, new double[dim], 1.0, seed: 3);
        var rng = new Random(11);
        // Move every parameter off its initial value so biases and untied encoder weights are exercised.
        for (int j = 0; j < sae.Parameters.Length; j++) sae.Parameters[j] += 0.3 * (rng.NextDouble() - 0.5);
        var batch = Enumerable.Range(0, rows * dim).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var gradient = new double[sae.Parameters.Length];
        sae.LossAndGradient(batch, rows, gradient);
        var scratch = new double[sae.Parameters.Length];
        const double h = 1e-6;
        double worst = 0;
        int nonzero = 0;
        for (int j = 0; j < sae.Parameters.Length; j++)
        {
            double saved = sae.Parameters[j];
            sae.Parameters[j] = saved + h;
            double up = sae.LossAndGradient(batch, rows, scratch);
            sae.Parameters[j] = saved - h;
            double down = sae.LossAndGradient(batch, rows, scratch);
            sae.Parameters[j] = saved;
            double numeric = (up - down) / (2 * h);
            worst = Math.Max(worst, Math.Abs(numeric - gradient[j]) / Math.Max(1, Math.Abs(numeric)));
            if (Math.Abs(gradient[j]) > 1e-8) nonzero++;
        }
        Assert.True(worst < 1e-6, $"largest gradient error {worst}");
        // Every parameter block has entries with a gradient (the check is not vacuous).
        Assert.True(nonzero > sae.Parameters.Length / 3, $"{nonzero} nonzero gradients");
    }

    [Fact]
    public void LossAndActivationsFollowTheDefinition()
    {
        // Sizes that are not multiples of the register tiles (8 rows, 4 or 8 values), so full and edge tiles both run.
        const int dim = 19, latents = 11, active = 3, rows = 21;
        var rng = new Random(5);
        var mean = Enumerable.Range(0, dim).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var sae = new SparseAutoencoder(dim, latents, active, mean, 0.7, seed: 2);
        for (int j = 0; j < sae.Parameters.Length; j++) sae.Parameters[j] += 0.3 * (rng.NextDouble() - 0.5);
        var x = new Matrix(rows, dim);
        for (int i = 0; i < rows; i++)
            for (int t = 0; t < dim; t++) x[i, t] = (float)(rng.NextDouble() * 2 - 1);
        var p = sae.Parameters;
        int encoderBias = latents * dim, decoder = encoderBias + latents, preBias = decoder + latents * dim;

        // z = ReLU(TopK_k(W_enc (x' − b_pre) + b_enc)), x̂ = W_decᵀ z + b_pre, x' = (x − mean) · scale: written out.
        var batch = new double[rows * dim];
        var expectedZ = new double[rows, latents];
        double expectedLoss = 0;
        for (int i = 0; i < rows; i++)
        {
            var xi = Enumerable.Range(0, dim).Select(t => ((double)x[i, t] - mean[t]) * 0.7).ToArray();
            xi.CopyTo(batch, i * dim);
            var pre = Enumerable.Range(0, latents).Select(j =>
                Enumerable.Range(0, dim).Sum(t => p[j * dim + t] * (xi[t] - p[preBias + t])) + p[encoderBias + j]).ToArray();
            foreach (int j in Enumerable.Range(0, latents).OrderByDescending(j => pre[j]).Take(active).Where(j => pre[j] > 0))
                expectedZ[i, j] = pre[j];
            for (int t = 0; t < dim; t++)
            {
                double reconstruction = p[preBias + t] + Enumerable.Range(0, latents).Sum(j => expectedZ[i, j] * p[decoder + j * dim + t]);
                expectedLoss += (reconstruction - xi[t]) * (reconstruction - xi[t]) / rows;
            }
        }

        var z = sae.Encode(x);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < latents; j++) Assert.Equal((float)expectedZ[i, j], z[i, j], 1e-5f);
        var gradient = new double[p.Length];
        Assert.Equal(expectedLoss, sae.LossAndGradient(batch, rows, gradient), 1e-12);
        Assert.Equal(expectedLoss, sae.MeanSquaredError(x), 1e-12);
        // One thread or many, the same bits.
        var sequential = new double[p.Length];
        sae.LossAndGradient(batch, rows, sequential, parallel: false);
        Assert.Equal(gradient, sequential);
    }

    [Fact]
    public void ActivationsAreTopKAndNonNegative()
    {
        var x = TestData.LoadFixture("planted_a.npy");
        var sae = SparseAutoencoder.Train(x, new SparseAutoencoderOptions { Latents = 10, Active = 3, Epochs = 5 }, seed: 0);
        var z = sae.Encode(x);
        for (int i = 0; i < x.Rows; i++)
        {
            var row = z.Row(i).ToArray();
            Assert.True(row.Count(v => v != 0) <= 3);
            Assert.All(row, v => Assert.True(v >= 0));
        }
    }

    [Fact]
    public void TrainingReducesTheReconstructionErrorAndFindsThePlantedGroups()
    {
        var pair = BaselineTests.Planted();
        var groups = BaselineTests.PlantedGroups();
        var e = new SaeMethod().Run(pair, new SaeOptions { Concepts = 5, Latents = 16, Active = 2 });
        double error = e.Metrics["normalized_mse"]![DirectionNames.ConceptsOfA]!.GetValue<double>();
        Assert.True(error < 0.5, $"normalized MSE {error}");
        foreach (var c in e.GetDirection(DirectionNames.ConceptsOfA).Concepts)
        {
            double purity = c.Grid.GroupBy(i => groups[i]).Max(g => g.Count()) / (double)c.Grid.Length;
            Assert.True(purity >= 0.8, $"grid purity {purity} of concept {c.Rank}");
        }
    }

    [Fact]
    public void SaeIsDeterministicWithItsSeed()
    {
        var pair = BaselineTests.Planted(withLabels: true);
        var options = new SaeOptions { Concepts = 3, Latents = 8, Active = 2, Epochs = 20 };
        var first = new SaeMethod().Run(pair, options with { Seed = 5 });
        var second = new SaeMethod().Run(pair, options with { Seed = 5 });
        first.Timings.Clear();
        second.Timings.Clear();
        Assert.Equal(first.ToJson(), second.ToJson());
        Assert.NotNull(first.Metrics["coefficients_by_label"]);
    }

    [Fact]
    public void BadOptionsAreInputErrors()
    {
        var pair = BaselineTests.Planted();
        Assert.ThrowsAny<RepDiffInputException>(() => new SaeMethod().Run(pair, new SaeOptions { Concepts = 40 }));
        Assert.ThrowsAny<RepDiffInputException>(() => new SaeMethod().Run(pair, new SaeOptions { Active = 0 }));
    }
}
