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
