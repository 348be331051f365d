using RepDiff.Options;

namespace RepDiff.Methods.Baselines;

/// <summary>Options of the sparse-autoencoder baseline (docs/methods/METHODS.md §6): the concepts shown and the autoencoder's training.</summary>
public sealed record SaeOptions : BaselineOptions
{
    [Option("dictionary size of the autoencoder (at most samples × --active)", Min = 1, Max = 100_000)]
    public int Latents { get; init; } = 32;

    [Option("latents active per sample (TopK)", Min = 1, Max = 100_000)]
    public int Active { get; init; } = 4;

    [Option("minibatch size", Min = 1, Max = 1_000_000)]
    public int BatchSize { get; init; } = 256;

    [Option("passes over the data (0 = at least 10 and 3,000 steps)", Min = 0, Max = 100_000)]
    public int Epochs { get; init; }

    [Option("Adam learning rate", Min = 0, MinExclusive = true, Max = 1)]
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>
    /// The discovery half trains the full run's passes over the data (its resolved --epochs), as stability's reruns and a
    /// user given results.json's parameters do: decided again for half the rows, `--epochs 0`'s floor of 3,000 steps doubled
    /// the passes and the training time, each sample seen twice as often as in the run whose concepts are tested
    /// (docs/methods/stability.md, "The discovery run's options").
    /// </summary>
    public override MethodOptions ForPartOfTheSamples(MethodOptions resolved) => this with { Epochs = ((SaeOptions)resolved).Epochs };

    /// <summary>The trainer's settings.</summary>
    internal SparseAutoencoderOptions Autoencoder => new()
    {
        Latents = Latents, Active = Active, BatchSize = BatchSize, Epochs = Epochs, LearningRate = LearningRate,
    };
}
