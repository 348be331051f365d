using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using RepDiff.IO;

namespace RepDiff.Embedding;

/// <summary>
/// ONNX Runtime's optimized graphs kept on disk, so that only the first process to open a model pays for
/// optimizing it (ResNet-18: 0.6–1.1 CPU-s to optimize, 0.04–0.09 to load the optimized copy; docs/benchmarks.md).
/// An entry is named by the SHA-256 of the model's bytes together with what the optimized graph depends on
/// besides them: the ONNX Runtime version and the CPU (the NCHWc layout ONNX Runtime picks depends on its vector
/// width). The optimized copy gives the same outputs bit for bit (tests check). Entries are written to a
/// temporary name and renamed into place; an empty entry marks a model whose optimized copy would not load (a
/// graph whose weights live in external files), which is then always opened as it is. The least recently used
/// entries go once more than <see cref="MaxEntries"/> or <see cref="MaxTotalBytes"/> are kept.
/// </summary>
internal sealed class OptimizedModelCache
{
    public const int MaxEntries = 8;
    public const long MaxTotalBytes = 2L << 30;
    /// <summary>Larger models are opened as they are: ONNX Runtime saves a graph with its weights inline, below protobuf's 2 GB.</summary>
    public const long MaxModelBytes = 1L << 30;
    /// <summary>Smaller models are optimized in little time and would only push large ones out of the cache.</summary>
    public const long MinModelBytes = 1L << 20;

    private const string Extension = ".onnx", Temporary = ".tmp";
    private static readonly Lazy<string> fingerprint = new(Describe);

    /// <summary>What every entry's name is hashed with besides the model (<see cref="Describe"/>).</summary>
    internal static string Fingerprint => fingerprint.Value;

    private readonly string folder, entry;

    private OptimizedModelCache(string folder, string key) => (this.folder, entry) = (folder, Path.Combine(folder, key + Extension));

    /// <summary>The default folder: "optimized" in the model cache folder (<see cref="BuiltInModels.CacheFolder"/>).</summary>
    public static string DefaultFolder => Path.Combine(BuiltInModels.CacheFolder, "optimized");

    /// <summary>The cache entry of a model given by its file or, when edited in memory, its bytes; null for a model too small or too large to cache.</summary>
    public static OptimizedModelCache? For(string folder, string path, byte[]? bytes, long minBytes = MinModelBytes)
    {
        bool Cached(long length) => length >= minBytes && length <= MaxModelBytes;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(Fingerprint));
        if (bytes is not null)
        {
            if (!Cached(bytes.Length)) return null;
            hash.AppendData(bytes);
        }
        else
        {
            using var stream = InputFile.OpenRead(path, 1 << 20);
            if (!Cached(stream.Length)) return null;
            var buffer = new byte[1 << 20];
            try
            {
                for (int read; (read = stream.Read(buffer)) > 0;) hash.AppendData(buffer, 0, read);
            }
            catch (IOException)
            {
                return null; // not cached; opening the model reports what is wrong with it
            }
        }
        return new OptimizedModelCache(folder, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>Where a session saves the optimized graph when it is not cached yet; null when it is, or cannot be.</summary>
    public string? Reserve()
    {
        if (File.Exists(entry)) return null;
        try
        {
            Directory.CreateDirectory(folder);
            string temp = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(entry)}.{Environment.ProcessId}.{Guid.NewGuid():N}{Temporary}");
            File.WriteAllBytes(temp, []);
            return temp;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // a read-only cache only costs the optimization
        }
    }

    /// <summary>The session of the cached optimized graph; null when there is none (or it is marked as not loadable).</summary>
    public InferenceSession? Load(SessionOptions options)
    {
        try
        {
            if (!File.Exists(entry) || new FileInfo(entry).Length == 0) return null;
            var session = new InferenceSession(entry, options);
            try { File.SetLastWriteTimeUtc(entry, DateTime.UtcNow); } // most recently used
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            return session;
        }
        catch (OnnxRuntimeException)
        {
            if (File.Exists(entry)) Write(entry, []); // would never load: open the original from now on
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Moves a saved optimized graph into place and drops the least recently used entries beyond the bounds.</summary>
    public void Commit(string temp)
    {
        try
        {
            if (new FileInfo(temp).Length > 0) File.Move(temp, entry, overwrite: true);
            Prune();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        finally { Discard(temp); }
    }

    public static void Discard(string temp)
    {
        try { File.Delete(temp); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private void Prune()
    {
        var dir = new DirectoryInfo(folder);
        long total = 0;
        int kept = 0;
        foreach (var file in dir.EnumerateFiles("*" + Extension).OrderByDescending(f => f.LastWriteTimeUtc))
        {
            total += file.Length;
            if (++kept > MaxEntries || kept > 1 && total > MaxTotalBytes) file.Delete();
        }
        // Leftovers of runs killed while saving.
        foreach (var file in dir.EnumerateFiles("*" + Temporary))
            if (file.LastWriteTimeUtc < DateTime.UtcNow.AddHours(-1)) file.Delete();
    }

    private static void Write(string path, byte[] bytes)
    {
        try { AtomicFile.Write(path, s => s.Write(bytes)); }
        catch (RepDiffInputException) { }
    }

    /// <summary>What an optimized graph depends on besides the model: ONNX Runtime's version, the architecture and the CPU's features.</summary>
    private static string Describe()
    {
        var text = new StringBuilder($"onnxruntime {ModelSession.RuntimeVersion}; {RuntimeInformation.ProcessArchitecture}; level {GraphOptimizationLevel.ORT_ENABLE_ALL}");
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (string line in File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0))
                    if (line.StartsWith("model name") || line.StartsWith("flags") || line.StartsWith("Features") || line.StartsWith("CPU part"))
                        text.Append("; ").Append(line);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        if (System.Runtime.Intrinsics.X86.X86Base.IsSupported)
            text.Append($"; avx2 {System.Runtime.Intrinsics.X86.Avx2.IsSupported}, avx512f {System.Runtime.Intrinsics.X86.Avx512F.IsSupported}, avx512bw {System.Runtime.Intrinsics.X86.Avx512BW.IsSupported}, avxvnni {System.Runtime.Intrinsics.X86.AvxVnni.IsSupported}");
        return text.ToString();
    }
}
