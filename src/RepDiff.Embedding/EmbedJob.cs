using System.Diagnostics;
using RepDiff;

namespace RepDiff.Embedding;

/// <summary>`repdiff embed` as a library call: embed a source with a described model into a file, ids beside it.</summary>
public static class EmbedJob
{
    public sealed record Summary(string Output, string Model, int Rows, int Cols, IReadOnlyList<SkippedSample> Skipped, double Seconds);

    public static Summary Run(ModelDescription description, EmbeddingSource source, string output, EmbedderOptions options, IProgress<ProgressUpdate>? progress = null, Action<int>? started = null)
    {
        var clock = Stopwatch.StartNew();
        // Inputs are read and checked before the model loads, so a bad SRC fails fast.
        ImageSet? images = null;
        string[]? texts = null, ids;
        if (source.Texts) (texts, ids) = source.LoadTexts();
        else (images, ids) = source.LoadImages();
        using var embedder = Embedder.Open(description, options);
        started?.Invoke(texts?.Length ?? images!.Count);
        using var writer = new EmbeddingFileWriter(output);
        var run = texts is not null ? embedder.RunTexts(texts, writer.Append, progress) : embedder.RunImages(images!, writer.Append, progress);
        writer.Commit(run.Kept.Select(i => ids[i]).ToArray(), run.Skipped);
        return new Summary(output, embedder.Name, run.Rows, run.Cols, run.Skipped, clock.Elapsed.TotalSeconds);
    }
}
