using RepDiff.Cli;
using RepDiff.Embedding;

namespace RepDiff.Tests.Cli;

/// <summary>The demo's embedding cache: a second run reuses what the first computed, and changed inputs are embedded again.</summary>
public class DemoEmbeddingsTests
{
    [Fact]
    public void SecondRunReusesTheEmbeddingsAndChangedTextsAreEmbeddedAgain()
    {
        string cache = TestData.TempDir();
        var model = BuiltInModels.Resolve("minilm-l6");
        string[] texts = ["The jury said it did find that many laws are outmoded.", "A cat sat on the mat.", "Stocks fell sharply on Monday."];
        var (first, firstReused) = DemoEmbeddings.Texts(model, "sample", texts, cache, null, "embedding", null);
        var (second, secondReused) = DemoEmbeddings.Texts(model, "sample", texts, cache, null, "embedding", null);
        Assert.False(firstReused);
        Assert.True(secondReused);
        Assert.Equal((3, 384), (first.Rows, first.Cols));
        Assert.Equal(first.Data, second.Data);

        // One text changed: embedded again, and row 1 now differs while row 0 does not.
        string[] changed = [texts[0], "A dog slept on the rug.", texts[2]];
        var (third, thirdReused) = DemoEmbeddings.Texts(model, "sample", changed, cache, null, "embedding", null);
        Assert.False(thirdReused);
        Assert.Equal(first.Row(0).ToArray(), third.Row(0).ToArray());
        Assert.NotEqual(first.Row(1).ToArray(), third.Row(1).ToArray());

        Assert.Throws<ArgumentException>(() => DemoEmbeddings.Texts(model, "bad", ["two\nlines"], cache, null, "embedding", null));
    }

    /// <summary>
    /// Embeddings the cache kept from another ONNX Runtime are made again, and the demo says why, as compare does: it had
    /// embedded again without a word, minutes of a run unexplained.
    /// </summary>
    [Fact]
    public void EmbeddingsKeptByAnotherRuntimeAreMadeAgainSayingWhy()
    {
        string cache = TestData.TempDir();
        var model = BuiltInModels.Resolve("minilm-l6");
        string[] texts = ["A cat sat on the mat.", "Stocks fell sharply on Monday."];
        var notes = new List<string>();
        var (first, _) = DemoEmbeddings.Texts(model, "sample", texts, cache, null, "embedding", notes.Add);
        Assert.Empty(notes);
        string stem = $"sample.{ModelPair.Stem(model.DisplayName)}", keyPath = Path.Combine(cache, stem + ".key"), npyPath = Path.Combine(cache, stem + ".npy");
        var source = new EmbeddingSource(Path.Combine(cache, "sample.txt"), Texts: true);
        string current = EmbeddingCache.MadeWith, older = current.Replace("ONNX Runtime ", "ONNX Runtime 0.0.1 (was ");
        Assert.NotEqual(current, older);
        // The entry as another runtime would have kept it: its key made with that runtime, and the runtime named.
        File.WriteAllText(keyPath, $"{EmbeddingCache.Key(model, source, older)}\n{older}\n");
        var (again, reused) = DemoEmbeddings.Texts(model, "sample", texts, cache, null, "embedding", notes.Add);
        Assert.False(reused);
        Assert.Equal($"the kept embeddings {npyPath} were made with {older}, not {current}; embedding again", Assert.Single(notes));
        Assert.Equal(first.Data, again.Data);
        Assert.EndsWith($"\n{current}\n", File.ReadAllText(keyPath));
    }
}
