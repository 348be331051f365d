using System.Text.Json.Nodes;

namespace RepDiff.Methods.Baselines;

public sealed record SaeBaselineOptions : BaselineOptions
{
    public SparseAutoencoderOptions Autoencoder { get; init; } = new();

    public override void Validate(int n)
    {
        base.Validate(n);
        if (Concepts > Autoencoder.Latents)
            throw new RepDiffInputException($"--concepts {Concepts} is more than the autoencoder's {Autoencoder.Latents} latents (--latents)");
    }
}

/// <summary>
/// A TopK sparse autoencoder trained on each representation alone. The concepts shown are the
/// <see cref="BaselineOptions.Concepts"/> latents of largest strength, the mean squared activation
/// (the energy a latent adds to the reconstructions, decoder rows having unit norm). Coefficients are the
/// activations; members and grid follow <see cref="Baseline.FromCoefficients"/> (grid = largest activations).
/// </summary>
public static class SaeBaseline
{
    public const string Name = "sae";

    public static Explanation Run(RepresentationPair pair, SaeBaselineOptions options, int seed, IProgress<ProgressUpdate>? progress = null)
    {
        options.Validate(pair.N);
        var sae = options.Autoencoder;
        sae.Validate(Math.Min(pair.A.Cols, pair.B.Cols)); // before the batch size is used to resolve the epochs
        var parameters = new JsonObject
        {
            ["concepts"] = options.Concepts, ["grid"] = options.Grid, ["seed"] = seed,
            ["latents"] = sae.Latents, ["active"] = sae.Active, ["batch_size"] = sae.ResolvedBatchSize(pair.N),
            ["epochs"] = sae.ResolvedEpochs(pair.N), ["learning_rate"] = sae.LearningRate,
            ["optimizer"] = "adam(0.9, 0.999, 1e-8)", ["input_scaling"] = "centered, mean squared norm 1",
            ["strength"] = "mean_squared_activation", ["grid_rule"] = "largest_activations",
        };
        return Baseline.Run(Name, pair, parameters, "latent activation", progress, (x, stage) =>
        {
            var model = SparseAutoencoder.Train(x, sae, seed, progress, stage);
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
            var (concepts, labels) = Baseline.FromCoefficients(coefficients, shown.Select(j => energy[j]).ToArray(), options.Grid);
            var metrics = new JsonObject
            {
                ["normalized_mse"] = model.MeanSquaredError(x),
                ["dead_latents"] = energy.Count(e => e == 0),
                ["latent_indices"] = new JsonArray(shown.Select(j => (JsonNode)j).ToArray()),
            };
            return new SideResult(concepts, labels, c => Baseline.Column(coefficients, c), metrics);
        });
    }
}
