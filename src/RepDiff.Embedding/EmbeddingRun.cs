namespace RepDiff.Embedding;

/// <summary>What a streamed run produced: rows × cols embeddings, which inputs they are, which were skipped.</summary>
public sealed record EmbeddingRun(int Rows, int Cols, int[] Kept, IReadOnlyList<SkippedSample> Skipped);
