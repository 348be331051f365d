using RepDiff.Options;
using System.Numerics.Tensors;
using RepDiff.Numerics;

namespace RepDiff.Methods.Baselines;

public sealed record SparseAutoencoderOptions
{
    /// <summary>Dictionary size m (number of latents).</summary>
    public int Latents { get; init; } = 32;

    /// <summary>k: latents kept active per sample (TopK activation).</summary>
    public int Active { get; init; } = 4;

    public int BatchSize { get; init; } = 256;

    /// <summary>Passes over the data; 0 = automatic: at least 10 and enough for 3,000 minibatch steps.</summary>
    public int Epochs { get; init; }

    public double LearningRate { get; init; } = 1e-3;

    public int ResolvedEpochs(int n)
    {
        int batchesPerEpoch = (n + ResolvedBatchSize(n) - 1) / ResolvedBatchSize(n);
        return Epochs > 0 ? Epochs : Math.Max(10, (3000 + batchesPerEpoch - 1) / batchesPerEpoch);
    }

    public int ResolvedBatchSize(int n) => Math.Min(BatchSize, n);

    /// <summary>
    /// Bytes one autoencoder holds to train on and encode n rows of d dimensions: its parameters (2md + m + d) with their
    /// gradient and Adam's two moments, the transposed encoder (m·d), a minibatch's pre-activations and their gradient,
    /// and the n×m activations; <see cref="long.MaxValue"/> when one of those arrays is longer than .NET allows.
    /// </summary>
    public long Bytes(int n, int d)
    {
        long m = Latents, parameters = 2 * m * d + m + d;
        if (parameters > Array.MaxLength || (long)n * m > Array.MaxLength) return long.MaxValue;
        return 8 * (4 * parameters + m * d + 2 * ResolvedBatchSize(n) * m) + 4L * n * m;
    }

    /// <summary>Checks what ranges cannot: the active count against the dictionary size.</summary>
    public void Validate()
    {
        if (Latents < 1) throw new InvalidOptionException(nameof(Latents), $"must be at least 1, got {Latents}");
        if (Active < 1 || Active > Latents) throw new InvalidOptionException(nameof(Active), $"must be between 1 and the number of latents ({Latents}), got {Active}");
        if (BatchSize < 1) throw new InvalidOptionException(nameof(BatchSize), $"must be at least 1, got {BatchSize}");
        if (Epochs < 0) throw new InvalidOptionException(nameof(Epochs), $"must be at least 0 (0 = automatic), got {Epochs}");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new InvalidOptionException(nameof(LearningRate), $"must be positive, got {LearningRate}");
    }
}
