using System.Text.Json.Nodes;
using RepDiff.Options;

namespace RepDiff.Methods.Baselines;

/// <summary>
/// A TopK sparse autoencoder trained on each representation alone. The concepts shown are the
/// <see cref="BaselineOptions.Concepts"/> latents of largest strength, the mean squared activation
/// (the energy a latent adds to the reconstructions, decoder rows having unit norm). Coefficients are the
/// activations; members and grid follow <see cref="Baseline.FromCoefficients"/> (grid = largest activations).
/// </summary>
public sealed class SaeMethod : PairMethod<SaeOptions>
{
    public override string Name => "sae";
    public override string Description => "TopK sparse autoencoder of A and of B separately: concepts are the strongest latents, grids the largest activations.";
    public override string StrengthMeaning => "mean squared activation of the autoencoder latent (a baseline on one model alone)";
    public override bool RetrainsOnEveryRerun => true;

    protected override void CheckCount(int n, SaeOptions options)
    {
        Baseline.CheckSampleCount(n, options);
        if (options.Latents > ActivatableLatents(n, options))
            throw new InvalidOptionException(nameof(options.Latents),
                $"{options.Latents:N0} latents on {n:N0} samples with --active {options.Active}: each sample activates at most {options.Active}, "
                + $"so at most {ActivatableLatents(n, options):N0} latents can ever be active and the rest would be trained for nothing; "
                + $"set --latents to at most {ActivatableLatents(n, options):N0} (samples × --active)");
    }

    /// <summary>
    /// At most k latents are active per sample, so n samples' activations use at most n·k latents whatever the training:
    /// past that, latents are dead in any result, yet each costs its share of every step. `--latents 100000` on 500
    /// samples trained for 9 minutes, 98% of the dictionary dead for certain.
    /// </summary>
    private static long ActivatableLatents(int n, SaeOptions options) => (long)n * options.Active;

    protected override void Validate(RepresentationPair pair, SaeOptions options)
    {
        if (options.Concepts > options.Latents)
            throw new InvalidOptionException(nameof(options.Concepts), $"{options.Concepts} is more than the autoencoder's {options.Latents} latents");
        options.Autoencoder.Validate();
        CheckMemory(pair, options);
    }

    /// <summary>
    /// Both sides' autoencoders train at once, each holding O(m·d) weights and O(n·m) activations: `--latents 100000` on
    /// 4,096 dimensions had gone on to allocate tens of GB. Refused first, naming the size that fits.
    /// </summary>
    private static void CheckMemory(RepresentationPair pair, SaeOptions options)
    {
        long Bytes(int latents)
        {
            var sae = options.Autoencoder with { Latents = latents };
            long a = sae.Bytes(pair.N, pair.RowsA.Cols), b = sae.Bytes(pair.N, pair.RowsB.Cols);
            return a == long.MaxValue || b == long.MaxValue ? long.MaxValue : a + b;
        }
        long needed = Bytes(options.Latents), limit = IO.MemoryBudget.WorkLimit();
        if (needed <= limit) return;
        int fitting = IO.MemoryBudget.LargestFitting((int)Math.Min(options.Latents - 1, ActivatableLatents(pair.N, options)), limit, Bytes);
        throw new InvalidOptionException(nameof(options.Latents),
            $"{options.Latents:N0} latents on {pair.N:N0} samples of {pair.RowsA.Cols:N0} and {pair.RowsB.Cols:N0} dimensions need "
            + $"{(needed == long.MaxValue ? "arrays longer than .NET allows" : $"about {IO.MemoryBudget.Megabytes(needed)}")} for the two autoencoders' weights, "
            + $"Adam's moments and activations (limit {IO.MemoryBudget.Megabytes(limit)}); "
            + (fitting >= Math.Max(options.Concepts, options.Active) ? $"set it to {fitting:N0}" : "use fewer samples"));
    }

    protected override SaeOptions Resolve(RepresentationPair pair, SaeOptions options, IProgress<ProgressUpdate>? progress)
    {
        var sae = options.Autoencoder;
        return options with { BatchSize = sae.ResolvedBatchSize(pair.N), Epochs = sae.ResolvedEpochs(pair.N) };
    }

    protected override Explanation Explain(RepresentationPair pair, SaeOptions options, IProgress<ProgressUpdate>? progress)
    {
        var sae = options.Autoencoder;
        return Baseline.Run(Name, pair, options, "latent activation", progress, (x, stage) =>
        {
            var model = SparseAutoencoder.Train(x, sae, options.Seed, progress, stage, parallel: false);
            var activations = model.Encode(x);
            var energy = new double[model.Latents];
            for (int i = 0; i < x.Rows; i++)
                for (int j = 0; j < model.Latents; j++) energy[j] += (double)activations[i, j] * activations[i, j];
            for (int j = 0; j < model.Latents; j++) energy[j] /= x.Rows;
            if (!energy.All(double.IsFinite))
                throw new RepDiffInputException($"{stage}: training diverged (activations overflow) with --learning-rate {sae.LearningRate:G3}; use a smaller --learning-rate (default 1e-3)");
            var shown = Baseline.OrderByStrength(energy).Take(options.Concepts).ToArray();
            var coefficients = new Matrix(x.Rows, shown.Length);
            for (int i = 0; i < x.Rows; i++)
                for (int r = 0; r < shown.Length; r++) coefficients[i, r] = activations[i, shown[r]];
            var (concepts, labels) = Baseline.FromCoefficients(coefficients, shown.Select(j => energy[j]).ToArray(), options.GridSize);
            var metrics = new JsonObject
            {
                ["normalized_mse"] = model.MeanSquaredError(x),
                ["dead_latents"] = energy.Count(e => e == 0),
                ["latent_indices"] = new JsonArray(shown.Select(j => (JsonNode)j).ToArray()),
            };
            return new SideResult(concepts, labels, c => Baseline.Column(coefficients, c), metrics);
        }, sidesAtOnce: true);
    }
}
