using RepDiff;

namespace RepDiff.Embedding;

/// <summary>How an <see cref="Embedder"/> runs: samples per model call, threads, and what to do with unreadable images.</summary>
public sealed record EmbedderOptions
{
    /// <summary>Bounds that keep a batch's tensors (samples × tokens or pixels) and the thread pools allocatable.</summary>
    public const int MaxBatchSize = 4096, MaxThreads = 256;

    /// <summary>Refuses a batch size or thread count out of range, before any model or input is opened.</summary>
    public void Check()
    {
        if (BatchSize is < 1 or > MaxBatchSize) throw new RepDiffInputException($"--batch-size {BatchSize} must be from 1 to {MaxBatchSize:N0}");
        if (Threads is < 1 or > MaxThreads) throw new RepDiffInputException($"--threads {Threads} must be from 1 to {MaxThreads}");
    }

    public int BatchSize { get; init; } = 32;
    /// <summary>
    /// Image decoding workers, and the model's threads: single-threaded calls at once for texts and for an image graph that
    /// takes one image per call, else ONNX Runtime intra-op threads of one call; default: every core.
    /// </summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>Drop images that cannot be decoded (listed in <see cref="EmbeddingRun.Skipped"/>) instead of failing.</summary>
    public bool SkipUnreadable { get; init; }
    /// <summary>
    /// What an unreadable image's error adds when <see cref="SkipUnreadable"/> is off: `embed` names its --skip-unreadable
    /// there (compare, which has no such flag, adds nothing).
    /// </summary>
    public string? UnreadableAdvice { get; init; }
    /// <summary>
    /// Batches run at once (each with Threads / this many threads); default: one per thread for texts, one for images (a graph
    /// that takes one image per call still runs that batch's images as several calls at once, ModelSession.CallsAtOnce).
    /// </summary>
    internal int? ConcurrentRuns { get; init; }
    /// <summary>Folder where ONNX Runtime's optimized graphs are kept between runs (<see cref="OptimizedModelCache"/>); null: optimize every time.</summary>
    internal string? OptimizedModels { get; init; } = OptimizedModelCache.DefaultFolder;
}
