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
        var (first, firstReused) = DemoEmbeddings.Texts(model, "sample", texts, cache, null, "embedding");
        var (second, secondReused) = DemoEmbeddings.Texts(model, "sample", texts, cache, null, "embedding");
        Assert.False(firstReused);
        Assert.True(secondReused);
        Assert.Equal((3, 384), (first.Rows, first.Cols));
        Assert.Equal(first.Data, second.Data);

        // One text changed: embedded again, and row 1 now differs while row 0 does not.
        string[] changed = [texts[0], "A dog slept on the rug.", texts[2]];
        var (third, thirdReused) = DemoEmbeddings.Texts(model, "sample", changed, cache, null, "embedding");
        Assert.False(thirdReused);
        Assert.Equal(first.Row(0).ToArray(), third.Row(0).ToArray());
        Assert.NotEqual(first.Row(1).ToArray(), third.Row(1).ToArray());

        Assert.Throws<ArgumentException>(() => DemoEmbeddings.Texts(model, "bad", ["two\nlines"], cache, null, "embedding"));
    }
}
