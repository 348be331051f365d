using RepDiff.Embedding;

namespace RepDiff.Tests.Embedding;

/// <summary>Texts for `embed`: read once, strictly, with line numbers as ids whatever the line ends.</summary>
public class EmbeddingSourceTests
{
    [Fact]
    public void PlainLinesSplitAtEveryLineEndAndNumberFromOne()
    {
        string path = Path.Combine(TestData.TempDir(), "texts.txt");
        File.WriteAllText(path, "a cat\r\nthe dog\rsat\n\nu\u2028v\n\n");
        var (texts, ids, _) = new EmbeddingSource(path, Texts: true).LoadTexts();
        Assert.Equal(["a cat", "the dog", "sat", "", "u\u2028v"], texts); // U+2028 is not a line end for the text readers
        Assert.Equal(["1", "2", "3", "4", "5"], ids);
    }

    [Fact]
    public void JsonLinesSkipBlankLinesAndKeepTheirLineNumbers()
    {
        string path = Path.Combine(TestData.TempDir(), "texts.jsonl");
        File.WriteAllText(path, "{\"t\": \"one\"}\r\n\n{\"t\": \"two\"}\r{\"t\": \"3\"}\n");
        var (texts, ids, _) = new EmbeddingSource(path, Texts: true, TextField: "t").LoadTexts();
        Assert.Equal(["one", "two", "3"], texts);
        Assert.Equal(["1", "3", "4"], ids);
        var e = Assert.Throws<RepDiffInputException>(() => new EmbeddingSource(path, Texts: true, TextField: "missing").LoadTexts());
        Assert.Contains("line 1 has no field 'missing'", e.Message);
    }

    /// <summary>A folder given as --texts was "not found" in embed and compare; the method commands said what it is.</summary>
    [Fact]
    public void AFolderOfTextsIsSaidToBeAFolder()
    {
        string dir = TestData.TempDir();
        Assert.Equal($"{dir}: is a directory, not a file", Assert.Throws<RepDiffInputException>(() => new EmbeddingSource(dir, Texts: true).LoadTexts()).Message);
    }

    /// <summary>A name that is not UTF-8 reaches RepDiff with U+FFFD for its bad bytes and cannot be opened: said, not a bare "not found".</summary>
    [Fact]
    public void ANameThatIsNotUtf8IsSaidToBeTheLikelyCause()
    {
        string path = Path.Combine(TestData.TempDir(), "bad\uFFFD.npy");
        Assert.Equal($"{path}: file not found (if its name is not valid UTF-8, as shown by �, RepDiff cannot open it: rename it)",
            Assert.Throws<RepDiffInputException>(() => RepDiff.IO.FileKind.RequireRegular(path)).Message);
    }

    /// <summary>An image whose name holds a line break gave an ids file with more lines than rows (5 ids for 4 images).</summary>
    [Fact]
    public void AnImageNameWithALineBreakIsRefused()
    {
        string dir = TestData.TempDir();
        foreach (var (file, index) in TestImages.Emoji.Take(3).Select((f, i) => (f, i)))
            File.Copy(file, Path.Combine(dir, index == 1 ? "a\nb.png" : $"{index}.png"));
        var e = Assert.Throws<RepDiffInputException>(() => new EmbeddingSource(dir, Texts: false).LoadImages());
        Assert.Equal($"{Path.Combine(dir, "a\nb.png")}: its name holds a line break, which the ids file (one id per line) cannot hold; rename it", e.Message);
    }
}
