using System.Numerics.Tensors;
using RepDiff.Methods.Baselines;
using RepDiff.Numerics;

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

    // Sizes chosen so that every path of the vectorized code runs: 45 = a 32-wide block, a 16-wide and an 8-wide vector
    // and 5 single coordinates; 11 latents and 21 rows are not whole register tiles.
    [Theory]
    [InlineData(45, 11, 3, 21)]
    [InlineData(64, 8, 2, 9)]
    [InlineData(5, 6, 2, 7)]
    [InlineData(12, 40, 4, 13)]   // the coordinates past the last whole block, latent by latent: all of them at d = 12
    [InlineData(63, 9, 3, 10)]
    public void LossAndGradientHaveTheBitsOfThePlainLoops(int dim, int latents, int active, int rows)
    {
        var sae = new SparseAutoencoder(dim, latents, active, new double[dim], 1.0, seed: 4);
        var rng = new Random(dim);
        for (int j = 0; j < sae.Parameters.Length; j++) sae.Parameters[j] += 0.3 * (rng.NextDouble() - 0.5);
        var batch = Enumerable.Range(0, rows * dim).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var expected = new double[sae.Parameters.Length];
        double expectedLoss = PlainSae.LossAndGradient(sae, batch, rows, expected);
        Assert.True(expected.Count(v => v != 0) > expected.Length / 3, "the reference gradient is mostly zero");
        foreach (bool parallel in new[] { false, true })
        {
            var gradient = Enumerable.Repeat(double.NaN, expected.Length).ToArray();   // every entry must be written
            double loss = sae.LossAndGradient(batch, rows, gradient, parallel);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expectedLoss), BitConverter.DoubleToInt64Bits(loss));
            Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), gradient.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void AStepAllocatesNothingThatGrowsWithTheLatents()
    {
        // Each step had copied the latents' entry starts into a fresh array: 400 KB of large-object heap per step at
        // 100,000 latents, 2.4 GB over a run of both sides, whose collections were a seventh of the training.
        const int dim = 3, latents = 100_000, rows = 8;
        var sae = new SparseAutoencoder(dim, latents, 2, new double[dim], 1.0, seed: 5);
        var rng = new Random(6);
        var batch = Enumerable.Range(0, rows * dim).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var gradient = new double[sae.Parameters.Length];
        sae.LossAndGradient(batch, rows, gradient, parallel: false);   // the first step sizes the reused buffers
        // The quietest of three rounds of 5 steps: the runtime can charge a one-off to this thread inside a round (8,160
        // bytes once in the suite, with the tests run four at a time), while a per-step copy is in every round.
        long fewest = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int step = 0; step < 5; step++) sae.LossAndGradient(batch, rows, gradient, parallel: false);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.InRange(fewest, 0, 5 * 1_000);
    }

    [Fact]
    public void LossAndGradientRejectsBuffersOfTheWrongSize()
    {
        // The vectorized loops load and store unchecked, so the sizes are checked up front.
        var sae = new SparseAutoencoder(5, 6, 2, new double[5], 1.0, seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => sae.LossAndGradient(new double[3 * 5], 3, new double[sae.Parameters.Length - 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => sae.LossAndGradient(new double[3 * 5 - 1], 3, new double[sae.Parameters.Length]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SparseAutoencoder(40, 6, 2, new double[39], 1.0, seed: 1).Normalize(new float[40], new double[40]));
    }

    [Fact]
    public void TrainingHasTheBitsOfThePlainLoops()
    {
        // 150 rows in batches of 40 (the last one of 30), 45 columns, six epochs: 24 Adam steps.
        const int n = 150, dim = 45, seed = 7;
        var rng = new Random(3);
        var x = new Matrix(n, dim);
        for (int i = 0; i < n; i++)
            for (int t = 0; t < dim; t++) x[i, t] = (float)(rng.NextDouble() * 2 - 1 + (i % 3 == 0 ? t % 5 : 0));
        var options = new SparseAutoencoderOptions { Latents = 12, Active = 3, BatchSize = 40, Epochs = 6 };
        var expected = PlainSae.Train(x, options, seed);
        foreach (bool parallel in new[] { false, true })
        {
            var trained = SparseAutoencoder.Train(x, options, seed, parallel: parallel);
            Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), trained.Parameters.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    /// <summary>
    /// The autoencoder's training written as plain loops, one coordinate at a time, with every sum in the order the
    /// optimized code promises: dot products and norms through TensorPrimitives (their internal order is theirs), the
    /// encoder product as one fused multiply-add per input coordinate (<see cref="BlockProduct"/>'s tiles), every other
    /// sum from +0 in row order, then latent order, with a separate multiply and add.
    /// </summary>
    private static class PlainSae
    {
        public static double LossAndGradient(SparseAutoencoder sae, double[] batch, int count, double[] gradient)
        {
            int d = sae.Dim, m = sae.Latents, encoderBias = m * d, decoder = encoderBias + m, preBias = decoder + m * d;
            var p = sae.Parameters;
            double[] Row(int offset) => p.AsSpan(offset, d).ToArray();
            Array.Clear(gradient);
            var losses = new double[count];
            var g = new double[count][];
            var actives = new List<(int Row, int Latent, double Z, double Gate)>();
            for (int i = 0; i < count; i++)
            {
                var x = batch.AsSpan(i * d, d).ToArray();
                var pre = new double[m];
                for (int j = 0; j < m; j++)
                {
                    double product = 0;
                    for (int t = 0; t < d; t++) product = Math.FusedMultiplyAdd(x[t], p[j * d + t], product);
                    pre[j] = product - TensorPrimitives.Dot<double>(Row(j * d), Row(preBias)) + p[encoderBias + j];
                }
                // The k largest positive pre-activations, largest first, ties to the lower index.
                var active = Enumerable.Range(0, m).Where(j => pre[j] > 0).OrderByDescending(j => pre[j]).ThenBy(j => j).Take(sae.Active).ToArray();
                var r = new double[d];
                for (int t = 0; t < d; t++)
                {
                    r[t] = p[preBias + t] - x[t];
                    foreach (int j in active) r[t] = p[decoder + j * d + t] * pre[j] + r[t];
                }
                losses[i] = TensorPrimitives.Dot<double>(r, r);
                g[i] = r.Select(v => v * (2.0 / count)).ToArray();
                foreach (int j in active) actives.Add((i, j, pre[j], TensorPrimitives.Dot<double>(Row(decoder + j * d), g[i])));
            }
            foreach (var (i, j, z, gate) in actives)   // rows in order
            {
                gradient[encoderBias + j] += gate;
                for (int t = 0; t < d; t++)
                {
                    gradient[decoder + j * d + t] = g[i][t] * z + gradient[decoder + j * d + t];
                    gradient[j * d + t] = (batch[i * d + t] - p[preBias + t]) * gate + gradient[j * d + t];
                }
            }
            for (int t = 0; t < d; t++)
            {
                for (int i = 0; i < count; i++) gradient[preBias + t] += g[i][t];
                for (int j = 0; j < m; j++) gradient[preBias + t] = p[j * d + t] * -gradient[encoderBias + j] + gradient[preBias + t];
            }
            return TensorPrimitives.Sum<double>(losses) / count;
        }

        public static double[] Train(Matrix x, SparseAutoencoderOptions options, int seed)
        {
            int n = x.Rows, d = x.Cols;
            var mean = KMeans.ColumnMeans(x).Select(v => (double)v).ToArray();
            double meanSquaredNorm = 0;
            for (int i = 0; i < n; i++)
                for (int t = 0; t < d; t++) meanSquaredNorm += (x[i, t] - mean[t]) * (x[i, t] - mean[t]);
            meanSquaredNorm /= n;
            double scale = 1 / Math.Sqrt(meanSquaredNorm);
            var sae = new SparseAutoencoder(d, options.Latents, options.Active, mean, scale, seed);   // the initial parameters
            var p = sae.Parameters;
            int batchSize = options.ResolvedBatchSize(n), decoder = options.Latents * d + options.Latents;
            var (adamM, adamV, gradient) = (new double[p.Length], new double[p.Length], new double[p.Length]);
            var order = Enumerable.Range(0, n).ToArray();
            var rng = Rng.Create(seed + 1);
            int step = 0;
            for (int epoch = 0; epoch < options.ResolvedEpochs(n); epoch++)
            {
                for (int i = n - 1; i > 0; i--)
                {
                    int j = rng.Next(i + 1);
                    (order[i], order[j]) = (order[j], order[i]);
                }
                for (int first = 0; first < n; first += batchSize)
                {
                    int count = Math.Min(batchSize, n - first);
                    var batch = new double[count * d];
                    for (int b = 0; b < count; b++)
                        for (int t = 0; t < d; t++) batch[b * d + t] = (x[order[first + b], t] - mean[t]) * scale;
                    LossAndGradient(sae, batch, count, gradient);
                    step++;
                    double c1 = 1 - Math.Pow(0.9, step), c2 = 1 - Math.Pow(0.999, step);
                    for (int j = 0; j < p.Length; j++)
                    {
                        adamM[j] = 0.9 * adamM[j] + 0.1 * gradient[j];
                        adamV[j] = 0.999 * adamV[j] + 0.001 * gradient[j] * gradient[j];
                        p[j] -= options.LearningRate * (adamM[j] / c1) / (Math.Sqrt(adamV[j] / c2) + 1e-8);
                    }
                    for (int j = 0; j < options.Latents; j++)
                    {
                        double norm = TensorPrimitives.Norm<double>(p.AsSpan(decoder + j * d, d));
                        if (norm > 0)
                            for (int t = 0; t < d; t++) p[decoder + j * d + t] /= norm;
                    }
                }
            }
            return p;
        }
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
