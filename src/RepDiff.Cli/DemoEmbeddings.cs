using RepDiff;
using RepDiff.Embedding;
using RepDiff.IO;

namespace RepDiff.Cli;

/// <summary>
/// The demo's embeddings of its bundled inputs, kept between runs in a cache folder: the inputs are
/// written there as a text file or a .npy of pixels, and <see cref="EmbeddingCache"/> reuses SET.MODEL.npy
/// while a key over the model description, the model files' contents and the input file's content is
/// unchanged. A second demo run therefore embeds nothing.
/// </summary>
internal static class DemoEmbeddings
{
    /// <summary>REPDIFF_DEMO_CACHE, else $XDG_CACHE_HOME/repdiff/demo, else ~/.cache/repdiff/demo (beside the built-in models' cache).</summary>
    public static string DefaultFolder =>
        Environment.GetEnvironmentVariable("REPDIFF_DEMO_CACHE") is { Length: > 0 } custom ? custom
            : Path.Combine(Path.GetDirectoryName(BuiltInModels.CacheFolder)!, "demo");

    /// <summary>The texts (one line each, so none may hold a line break) embedded with the model; row i is text i.</summary>
    /// <param name="note">Hears why kept embeddings are made again though the inputs are the same (another ONNX Runtime): the demo says it, as compare does.</param>
    public static (Matrix Rows, bool Reused) Texts(ModelDescription model, string set, IReadOnlyList<string> texts, string folder, IProgress<ProgressUpdate>? progress, string stage, Action<string>? note)
    {
        if (texts.Any(t => t.Contains('\n') || t.Contains('\r') || string.IsNullOrWhiteSpace(t)))
            throw new ArgumentException($"{set}: every text must be one non-empty line", nameof(texts));
        Directory.CreateDirectory(folder);
        string input = Path.Combine(folder, set + ".txt");
        AtomicFile.WriteAllText(input, string.Join('\n', texts) + "\n");
        return Embed(model, new EmbeddingSource(input, Texts: true), set, folder, texts.Count, progress, stage, note);
    }

    /// <summary>The images (pixel arrays, 0..1) embedded with the model; row i is image i.</summary>
    public static (Matrix Rows, bool Reused) Images(ModelDescription model, string set, ImageSet images, string folder, IProgress<ProgressUpdate>? progress, string stage, Action<string>? note)
    {
        var pixels = images.Pixels ?? throw new ArgumentException($"{set}: the demo embeds pixel arrays, not image files", nameof(images));
        Directory.CreateDirectory(folder);
        string input = Path.Combine(folder, set + ".images.npy");
        long[] shape = images.Channels == 1 ? [images.Count, images.Height, images.Width] : [images.Count, images.Height, images.Width, images.Channels];
        Npy.Write(input, pixels, shape);
        return Embed(model, new EmbeddingSource(input, Texts: false), set, folder, images.Count, progress, stage, note);
    }

    private static (Matrix, bool) Embed(ModelDescription model, EmbeddingSource source, string set, string folder, int count, IProgress<ProgressUpdate>? progress, string stage, Action<string>? note)
    {
        string stem = $"{set}.{ModelPair.Stem(model.DisplayName)}";
        var entry = EmbeddingCache.Embed(model, source, folder, stem, new EmbedderOptions(), new RenamedProgress(progress, _ => stage), note: note);
        progress.Report(stage, 1);
        var rows = Npy.ReadMatrix(entry.Path);
        if (rows.Rows != count) throw new RepDiffInputException($"{entry.Path}: {rows.Rows} embeddings for {count} inputs; delete the file to embed again");
        return (rows, entry.Reused);
    }
}
