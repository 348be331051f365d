using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using System.Text;
using RepDiff;
using RepDiff.IO;

namespace RepDiff.Embedding;

/// <summary>
/// Embeddings kept in a folder between runs (`compare --model-a X --model-b Y`): DIR/STEM.npy with
/// STEM.ids.txt, reused while a key over the model description, the model and vocabulary files'
/// contents, the inputs (text files, pixel arrays and every image file by content, with the images' names) and what
/// embedded them (<see cref="MadeWith"/>) is unchanged. STEM.key holds the key and, on its second line, what made the
/// embeddings, so that a miss for another ONNX Runtime can say so.
/// </summary>
public static class EmbeddingCache
{
    public sealed record Entry(string Path, string IdsPath, string ModelName, bool Reused);

    /// <param name="note">Hears why kept embeddings are made again when the user did not change anything (<see cref="Find"/>).</param>
    public static Entry Embed(ModelDescription model, EmbeddingSource source, string dir, string stem, EmbedderOptions options,
        IProgress<ProgressUpdate>? progress = null, Action<int>? started = null, Action<string>? note = null)
    {
        string key = Key(model, source);
        if (Find(model, dir, stem, key, note: note) is { } cached) return cached;
        // A folder or device where the key goes cannot be replaced: say so before embedding, not after.
        OutputFolder.CheckTarget(KeyPath(dir, stem), "the embedding cache");
        DropKey(dir, stem);
        EmbedJob.Run(model, source, NpyPath(dir, stem), options, progress, started);
        return Keep(model.DisplayName, dir, stem, key);
    }

    /// <summary>
    /// DIR/STEM's embeddings when they are regular files made with this <paramref name="key"/> (<see cref="Key"/>) that load
    /// cleanly; else null (a FIFO or device there is no hit either: the embeddings are made again and replace it). An entry
    /// damaged after it was kept (the .npy cut short or holding a NaN, the ids cut short or not the inputs' ids
    /// <paramref name="expectedIds"/>) is a miss too, said through <paramref name="note"/>: reused, it failed every later
    /// run on that file until deleted by hand. An entry made by another ONNX Runtime or RepDiff is a miss said through it too.
    /// </summary>
    public static Entry? Find(ModelDescription model, string dir, string stem, string key,
        IReadOnlyList<string>? expectedIds = null, Action<string>? note = null)
    {
        string output = NpyPath(dir, stem), ids = EmbeddingFileWriter.IdsPath(output);
        if (!(FileKind.Of(output) == FileKind.Regular && FileKind.Of(ids) == FileKind.Regular)) return null;
        if (ReadKey(KeyPath(dir, stem)) is not { } kept) return null;
        if (kept.Key != key)
        {
            // Inputs or a model changed is the usual miss and needs no word; another runtime is not something the user did.
            if (kept.MadeWith != MadeWith)
                note?.Invoke(kept.MadeWith is null
                    ? $"the kept embeddings {output} do not say which ONNX Runtime made them (kept by an older RepDiff); embedding again with {MadeWith}"
                    : $"the kept embeddings {output} were made with {kept.MadeWith}, not {MadeWith}; embedding again");
            return null;
        }
        if (Damage(output, ids, expectedIds) is { } problem)
        {
            note?.Invoke($"the kept embeddings {output} do not load ({problem}); embedding again");
            return null;
        }
        return new Entry(output, ids, model.DisplayName, true);
    }

    /// <summary>
    /// What embeddings depend on besides the model and the inputs: the ONNX Runtime in use (a new one may compute other
    /// values), RepDiff's release (its preprocessing may differ) and the instruction set the kernels run on
    /// (<see cref="InstructionSet"/>). Not RepDiff's commit: most commits leave the
    /// embeddings alone, and minutes of embedding would be thrown away at each; a commit that changes them within a
    /// release adds its own line to <see cref="Key"/>, as the JSON Lines ids did.
    /// </summary>
    public static string MadeWith => MadeWithOn(InstructionSet);

    /// <summary><see cref="MadeWith"/> on the instruction set described ("x64 AVX-512BW"), this machine's or another's.</summary>
    internal static string MadeWithOn(string instructionSet) => $"ONNX Runtime {ModelSession.RuntimeVersion} and RepDiff {RepDiffInfo.Version} on {instructionSet}";

    /// <summary>
    /// The instruction-set level ONNX Runtime's kernels (and RepDiff's vector code) choose by: a matrix product on AVX-512
    /// adds in another order than on AVX2, so the same model and inputs give other low bits on another CPU, and a cache
    /// folder copied from one machine to another had handed back the first machine's bytes where a fresh embed differs.
    /// As .NET sees the CPU (DOTNET_EnableAVX512F=0 lowers it here, not in ONNX Runtime).
    /// </summary>
    internal static string InstructionSet { get; } = DescribeInstructionSet();

    private static string DescribeInstructionSet()
    {
        string architecture = RuntimeInformation.ProcessArchitecture.ToString();
        if (X86Base.IsSupported)
        {
            string level = Avx512BW.IsSupported ? "AVX-512BW" : Avx512F.IsSupported ? "AVX-512F" : Avx2.IsSupported && Fma.IsSupported ? "AVX2"
                : Avx.IsSupported ? "AVX" : "SSE";
            return $"{architecture} {level}{(AvxVnni.IsSupported ? " AVX-VNNI" : "")}";
        }
        if (AdvSimd.IsSupported) return $"{architecture} AdvSIMD{(Dp.IsSupported ? " dot product" : "")}";
        return architecture;
    }

    /// <summary>Why a kept entry cannot be used as it is (the reader's own words), or null when it loads cleanly.</summary>
    private static string? Damage(string output, string idsPath, IReadOnlyList<string>? expectedIds)
    {
        try
        {
            int idCount;
            if (expectedIds is not null)
            {
                // The ids as this run would write them (EmbeddingFileWriter: one per line): byte for byte, so one cut within
                // its last line is caught too.
                string expected = string.Concat(expectedIds.Select(id => id + "\n"));
                if (new FileInfo(idsPath).Length != Encoding.UTF8.GetByteCount(expected) || File.ReadAllText(idsPath, Encoding.UTF8) != expected)
                    return $"{idsPath} does not list the {expectedIds.Count:N0} inputs' ids";
                idCount = expectedIds.Count;
            }
            else idCount = SampleFiles.LoadIds(idsPath).Length;
            using var rows = Embeddings.OpenRows(output);
            if (rows.Rows != idCount) return $"{rows.Rows:N0} rows for {idCount:N0} ids";
            // Every value read once (non-finite ones are refused by the reader), a bounded batch of rows at a time.
            int batch = Math.Max(1, (1 << 20) / Math.Max(1, rows.Cols));
            var buffer = new float[(long)Math.Min(batch, Math.Max(1, rows.Rows)) * rows.Cols];
            for (int first = 0; first < rows.Rows; first += batch)
            {
                int count = Math.Min(batch, rows.Rows - first);
                rows.ReadRows(first, count, buffer.AsSpan(0, count * rows.Cols));
            }
            return null;
        }
        catch (RepDiffInputException e) { return e.Message; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return e.Message; }
    }

    private sealed record KeptKey(string Key, string? MadeWith);

    /// <summary>
    /// The key recorded in a cache entry with what made it (null in entries kept before it was recorded), or null when
    /// there is none to trust. Only a short regular file is read:
    /// a FIFO there would make File.ReadAllText wait forever, and a huge file would be read whole; either is simply not a hit
    /// (the embeddings are made again and the key rewritten, or refused by <see cref="Keep"/> if it cannot be).
    /// </summary>
    private static KeptKey? ReadKey(string path)
    {
        string text;
        try { text = InputFile.ReadAllText(path, MaxKeyBytes, "a cache key"); }
        catch (RepDiffInputException) { return null; }
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? null : new KeptKey(lines[0], lines.Length > 1 ? lines[1] : null);
    }

    /// <summary>A key is 64 hex digits and a short line of versions; anything much larger was not written here.</summary>
    private const int MaxKeyBytes = 4096;

    /// <summary>
    /// Embeds inputs already read with a model already open into DIR/STEM and records the key, for a caller
    /// that opens every model it needs (checking each against the inputs) before any of them embeds.
    /// </summary>
    public static Entry Embed(Embedder embedder, EmbedJob.Inputs inputs, string dir, string stem, string key,
        IProgress<ProgressUpdate>? progress = null, Action<int>? started = null)
    {
        DropKey(dir, stem);
        // A side of one vector makes every method's result empty: refused here, before the other side embeds and without a key,
        // where the methods had said it of the cache file ("every row is the same") or, left out, not at all.
        if (EmbedJob.Run(embedder, inputs, NpyPath(dir, stem), progress, started).SameVectorNote is { } same)
            throw new RepDiffInputException(same);
        return Keep(embedder.Name, dir, stem, key);
    }

    /// <summary>
    /// Removes an entry's key before its embeddings are replaced: a run stopped (SIGINT, SIGTERM) or failing after the new
    /// embeddings were in place and before their key was recorded left the old key beside them, and a later run with the old
    /// inputs (the same ids) reused embeddings of other inputs.
    /// </summary>
    private static void DropKey(string dir, string stem)
    {
        string key = KeyPath(dir, stem);
        if (File.Exists(key)) File.Delete(key);
    }

    private static Entry Keep(string modelName, string dir, string stem, string key)
    {
        string output = NpyPath(dir, stem);
        // The key goes last: embeddings without it are never taken for a finished entry.
        AtomicFile.WriteAllText(KeyPath(dir, stem), $"{key}\n{MadeWith}\n");
        return new Entry(output, EmbeddingFileWriter.IdsPath(output), modelName, false);
    }

    private static string NpyPath(string dir, string stem) => System.IO.Path.Combine(dir, stem + ".npy");
    private static string KeyPath(string dir, string stem) => System.IO.Path.Combine(dir, stem + ".key");

    /// <summary>SHA-256 over everything the embeddings depend on.</summary>
    public static string Key(ModelDescription model, EmbeddingSource source) => Key(model, source, MadeWith);

    /// <param name="madeWith">What embeds (<see cref="MadeWith"/>); tests give another to stand for another ONNX Runtime.</param>
    internal static string Key(ModelDescription model, EmbeddingSource source, string madeWith)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Text(string s) => hash.AppendData(Encoding.UTF8.GetBytes(s + "\0"));
        Text(madeWith);
        void Content(string? path)
        {
            if (path is null || !File.Exists(path)) { Text("-"); return; }
            using var stream = InputFile.OpenRead(path, 1 << 16);  // refuses a FIFO or device instead of waiting on it
            hash.AppendData(SHA256.HashData(stream));
        }
        Text(model.ToJson());
        Content(model.PathOf(model.Model));
        // Weights kept beside the graph: a model retrained into the same export changed them and left the graph's bytes alike.
        if (model.PathOf(model.Model) is { } modelPath)
            foreach (string weights in OnnxFile.ExternalDataFiles(modelPath))
            {
                Text(System.IO.Path.GetFileName(weights));
                Content(weights);
            }
        Content(model.PathOf(model.Text?.Vocab));
        Content(model.PathOf(model.Text?.Tokenizer));
        Content(model.PathOf(model.Image?.MeanImage));
        Text($"{source.Texts}|{source.TextField}");
        // JSON Lines records are named by their "id" field since the twenty-seventh session: embeddings kept before it hold line numbers.
        if (source.Texts && SampleFiles.IsJsonLines(source.Path, source.TextField)) Text("ids: the records' id field, else line numbers");
        if (Directory.Exists(source.Path)) Text("folder");
        else Content(source.Path); // texts, pixel arrays, or a manifest's list of paths
        if (!source.Texts && !source.Path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            // Each image's bytes, not its size and time: a picture replaced by another of the same name, size and
            // time (a copy that keeps times, rsync -a, BMPs of one size) would have its old embedding reused.
            string root = Directory.Exists(source.Path) ? source.Path : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(source.Path))!;
            foreach (var file in SampleFiles.LoadImages(source.Path).Paths ?? [])
            {
                Text(System.IO.Path.GetRelativePath(root, file));
                Content(file);
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }
}
