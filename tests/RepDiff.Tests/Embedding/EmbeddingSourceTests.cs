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
        var (texts, ids) = new EmbeddingSource(path, Texts: true).LoadTexts();
        Assert.Equal(["a cat", "the dog", "sat", "", "u\u2028v"], texts); // U+2028 is not a line end for the text readers
        Assert.Equal(["1", "2", "3", "4", "5"], ids);
    }

    [Fact]
    public void JsonLinesSkipBlankLinesAndKeepTheirLineNumbers()
    {
        string path = Path.Combine(TestData.TempDir(), "texts.jsonl");
        File.WriteAllText(path, "{\"t\": \"one\"}\r\n\n{\"t\": \"two\"}\r{\"t\": \"3\"}\n");
        var (texts, ids) = new EmbeddingSource(path, Texts: true, TextField: "t").LoadTexts();
        Assert.Equal(["one", "two", "3"], texts);
        Assert.Equal(["1", "3", "4"], ids);
        var e = Assert.Throws<RepDiffInputException>(() => new EmbeddingSource(path, Texts: true, TextField: "missing").LoadTexts());
        Assert.Contains("line 1 has no field 'missing'", e.Message);
    }
}
