using Microsoft.ML.OnnxRuntime;
using RepDiff.Embedding;

namespace RepDiff.Tests.Embedding;

/// <summary>
/// ONNX Runtime's optimized graphs kept between runs: a run that loads the cached graph gives the same bytes as
/// one that optimizes the model itself, a cached graph that does not load is set aside, and the cache stays bounded.
/// </summary>
public class OptimizedModelCacheTests
{
    private static string[] Photos => Directory.GetFiles(Path.Combine(TestData.RepoRoot, "data", "photos"), "*.jpg").Order(StringComparer.Ordinal).ToArray();

    private static float[] EmbedImages(string? cache)
    {
        using var embedder = Embedder.Open(BuiltInModels.Resolve("resnet18"), new EmbedderOptions { OptimizedModels = cache });
        return embedder.EmbedImages(Photos).Data;
    }

    private static string[] Entries(string folder) => Directory.GetFiles(folder).Select(Path.GetFileName).ToArray()!;

    [Fact]
    public void ResNet18FromTheCachedGraphGivesTheSameBytes()
    {
        string cache = TestData.TempDir();
        var uncached = EmbedImages(null);
        var first = EmbedImages(cache);            // optimizes and saves the graph
        var entry = Assert.Single(Entries(cache));
        Assert.EndsWith(".onnx", entry);
        var second = EmbedImages(cache);           // loads the saved graph
        Assert.Equal(uncached, first);
        Assert.Equal(uncached, second);
        Assert.Equal([entry], Entries(cache));
    }

    [Fact]
    public void MiniLmFromTheCachedGraphGivesTheSameBytes()
    {
        string cache = TestData.TempDir();
        string[] sentences = ["A cat sat on the mat.", "Stock markets fell sharply on Tuesday after the report.", "Bread needs flour, water, salt and time."];
        float[] Embed(string? folder)
        {
            using var embedder = Embedder.Open(BuiltInModels.Resolve("minilm-l6"), new EmbedderOptions { OptimizedModels = folder });
            return embedder.EmbedTexts(sentences).Data;
        }
        var uncached = Embed(null);
        Assert.Equal(uncached, Embed(cache));
        Assert.Single(Entries(cache));
        Assert.Equal(uncached, Embed(cache));
    }

    [Fact]
    public void EntriesAreNamedForTheOnnxRuntimeVersionLoaded()
    {
        // A graph saved by one ONNX Runtime (1.31.1) must not be loaded by another (1.32.0), whose optimizer may differ:
        // the version of the native library in use goes into every entry's name.
        string version = OrtEnv.Instance().GetVersionString();
        Assert.Matches(@"^\d+\.\d+\.\d+$", version);
        Assert.Contains($"onnxruntime {version};", OptimizedModelCache.Fingerprint);
        // The managed wrapper and the native library come from one package version.
        Assert.StartsWith(version, typeof(OrtEnv).Assembly.GetName().Version!.ToString());
    }

    [Fact]
    public void ACachedGraphThatDoesNotLoadIsMarkedAndTheModelOpensAsItIs()
    {
        string cache = TestData.TempDir();
        var expected = EmbedImages(cache);
        string entry = Path.Combine(cache, Assert.Single(Entries(cache)));
        File.WriteAllBytes(entry, [1, 2, 3, 4, 5]);   // not an ONNX graph
        Assert.Equal(expected, EmbedImages(cache));
        Assert.Equal(0, new FileInfo(entry).Length);   // marked: from now on the original model is opened
        Assert.Equal(expected, EmbedImages(cache));
        Assert.Equal(0, new FileInfo(entry).Length);
    }

    [Fact]
    public void TheLeastRecentlyUsedEntriesGoBeyondTheBound()
    {
        string cache = TestData.TempDir();
        var now = DateTime.UtcNow;
        for (int i = 0; i < OptimizedModelCache.MaxEntries + 3; i++)
        {
            string old = Path.Combine(cache, $"old{i:D2}.onnx");
            File.WriteAllBytes(old, [1]);
            File.SetLastWriteTimeUtc(old, now.AddMinutes(-100 + i));
        }
        string leftover = Path.Combine(cache, "killed.123.abc.tmp");
        File.WriteAllBytes(leftover, [1]);
        File.SetLastWriteTimeUtc(leftover, now.AddHours(-2));

        var entry = OptimizedModelCache.For(cache, "model.onnx", [1, 2, 3], minBytes: 0)!;
        string temp = entry.Reserve()!;
        File.WriteAllBytes(temp, [9, 9]);
        entry.Commit(temp);

        var kept = Entries(cache).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(OptimizedModelCache.MaxEntries, kept.Length);
        // The new entry and the most recent old ones stay; the oldest four and the stale leftover go.
        Assert.DoesNotContain("old00.onnx", kept);
        Assert.DoesNotContain("old03.onnx", kept);
        Assert.Contains("old04.onnx", kept);
        Assert.DoesNotContain("killed.123.abc.tmp", kept);
        Assert.Null(entry.Reserve());                  // present now: nothing to save
        Assert.Null(OptimizedModelCache.For(cache, "model.onnx", [1, 2, 3]));   // below the size worth caching
    }
}
