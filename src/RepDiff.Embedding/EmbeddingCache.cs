using System.Security.Cryptography;
using System.Text;
using RepDiff;
using RepDiff.IO;

namespace RepDiff.Embedding;

/// <summary>
/// Embeddings kept in a folder between runs (`compare --model-a X --model-b Y`): DIR/STEM.npy with
/// STEM.ids.txt, reused while a key over the model description, the model and vocabulary files'
/// contents and the inputs (text file contents; image files' names, sizes and times) is unchanged.
/// </summary>
public static class EmbeddingCache
{
    public sealed record Entry(string Path, string IdsPath, string ModelName, bool Reused);

    public static Entry Embed(ModelDescription model, EmbeddingSource source, string dir, string stem, EmbedderOptions options,
        IProgress<ProgressUpdate>? progress = null, Action<int>? started = null)
    {
        string output = System.IO.Path.Combine(dir, stem + ".npy");
        string ids = EmbeddingFileWriter.IdsPath(output), keyPath = System.IO.Path.Combine(dir, stem + ".key");
        string key = Key(model, source);
        if (File.Exists(output) && File.Exists(ids) && File.Exists(keyPath) && File.ReadAllText(keyPath).Trim() == key)
            return new Entry(output, ids, model.DisplayName, true);
        EmbedJob.Run(model, source, output, options, progress, started);
        AtomicFile.WriteAllText(keyPath, key + "\n");
        return new Entry(output, ids, model.DisplayName, false);
    }

    /// <summary>SHA-256 over everything the embeddings depend on.</summary>
    public static string Key(ModelDescription model, EmbeddingSource source)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Text(string s) => hash.AppendData(Encoding.UTF8.GetBytes(s + "\0"));
        void Content(string? path)
        {
            if (path is null || !File.Exists(path)) { Text("-"); return; }
            using var stream = InputFile.OpenRead(path, 1 << 16);  // refuses a FIFO or device instead of waiting on it
            hash.AppendData(SHA256.HashData(stream));
        }
        Text(model.ToJson());
        Content(model.PathOf(model.Model));
        Content(model.PathOf(model.Text?.Vocab));
        Content(model.PathOf(model.Text?.Tokenizer));
        Content(model.PathOf(model.Image?.MeanImage));
        Text($"{source.Texts}|{source.TextField}");
        if (Directory.Exists(source.Path))
        {
            foreach (var file in Directory.EnumerateFiles(source.Path).Order(StringComparer.Ordinal))
            {
                var info = new FileInfo(file);
                Text($"{info.Name}|{info.Length}|{info.LastWriteTimeUtc.Ticks}");
            }
        }
        else
        {
            Content(source.Path);
            if (!source.Texts && !source.Path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) && File.Exists(source.Path))
                foreach (var file in SampleFiles.LoadImages(source.Path).Paths ?? [])
                {
                    var info = new FileInfo(file);
                    Text($"{file}|{info.Length}|{info.LastWriteTimeUtc.Ticks}");
                }
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }
}
