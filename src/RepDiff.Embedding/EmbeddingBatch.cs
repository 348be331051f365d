namespace RepDiff.Embedding;

/// <summary>
/// One model call's inputs, prepared ahead of the call on the producer thread. Text batches come from a
/// window of texts sorted by length (less padding); <see cref="WindowSlots"/> put their rows back in order.
/// </summary>
internal sealed class EmbeddingBatch
{
    public required int Count { get; init; }
    public required int[] Samples { get; init; }        // input index of each row
    public float[]? Pixels { get; init; }                // Count × 3·H·W
    public long[]? Ids { get; init; }                    // Count × Length
    public long[]? Mask { get; init; }
    public int Length { get; init; }
    public int[]? WindowSlots { get; init; }             // row i goes to slot WindowSlots[i] of its window
    public int WindowSize { get; init; }
    public bool EndsWindow { get; init; }
    public int Consumed { get; init; }                   // inputs this batch accounts for, skipped ones included
    public List<SkippedSample> Skipped { get; } = [];
}
