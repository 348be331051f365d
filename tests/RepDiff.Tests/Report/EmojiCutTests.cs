using RepDiff.IO;
using RepDiff.Report;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Report;

/// <summary>
/// Names the report cuts short keep a character outside the basic plane whole: its first UTF-16 half alone reached the
/// page as U+FFFD (a member id of 38 letters and an emoji; a box plot's tick of six letters and an emoji) (helper 148).
/// </summary>
public class EmojiCutTests
{
    /// <summary>
    /// A cut never splits a pair, and falls between graphemes: an emoji with a skin-tone modifier ("👍🏽", two pairs) and a
    /// letter with a combining accent ("e" + U+0301) stay whole or go whole; cut after the first pair, the modifier had shown
    /// as a lone colour swatch. Each case: the text, the units kept, the head's cut and the tail's.
    /// </summary>
    [Theory]
    [InlineData("abcdef😀x", 7, "abcdef…", "…cdef😀x")]
    [InlineData("abcdefg😀x", 8, "abcdefg…", "…cdefg😀x")]
    [InlineData("abcdefgh", 7, "abcdefgh", "abcdefgh")]
    [InlineData("x😀fgh", 3, "x😀…", "…fgh")]
    [InlineData("abc😀fgh", 4, "abc…", "…fgh")]
    [InlineData("abc😀fg", 4, "abc…", "…😀fg")]
    [InlineData("abcde👍🏽x", 7, "abcde…", "…de👍🏽x")]
    [InlineData("abcde👍🏽xy", 9, "abcde👍🏽…", "…cde👍🏽xy")]
    [InlineData("abcdefe\u0301xyz", 7, "abcdef…", "…efe\u0301xyz")]
    [InlineData("ab👍🏽fg", 4, "ab…", "…fg")]
    [InlineData("abce\u0301fg", 3, "abc…", "…fg")]
    public void ACutNeverSplitsAGrapheme(string text, int keep, string head, string tail)
    {
        Assert.Equal(head, HtmlReport.Head(text, keep));
        Assert.Equal(tail, HtmlReport.Tail(text, keep));
    }

    /// <summary>One character longer than the cut (a letter under 100 marks) keeps its code points whole rather than show nothing.</summary>
    [Fact]
    public void AGraphemeLongerThanTheCutIsCutBetweenCodePoints()
    {
        string marked = "x" + new string('\u0301', 100);
        Assert.Equal(marked[..10] + "…", HtmlReport.Head(marked, 10));
        Assert.Equal("…" + marked[^10..], HtmlReport.Tail(marked, 10));
    }

    /// <summary>
    /// A label cut at <see cref="SampleLabels.MaxShownLength"/> where its 80th unit falls inside "👍🏽" loses the whole emoji and
    /// ends in "…"; a right-to-left label mixed with Latin is cut the same way, by units, not reordered.
    /// </summary>
    [Fact]
    public void ALabelIsCutAtAGraphemeBoundary()
    {
        string thumbs = new string('a', 77) + "👍🏽 thumbs up";
        Assert.Equal(new string('a', 77) + "…", SampleLabels.Shown(thumbs));
        string mixed = string.Concat(Enumerable.Repeat("שלום world ", 10));
        Assert.Equal(mixed[..80] + "…", SampleLabels.Shown(mixed));
    }

    [Fact]
    public void AReportOfEmojiIdsAndLabelsHoldsNoHalfCharacter()
    {
        string dir = TestData.TempDir();
        var (a, b, _) = CliHarness.SmallPair(dir, rows: 60);
        string ids = Path.Combine(dir, "ids.txt"), labels = Path.Combine(dir, "labels.txt"), outDir = Path.Combine(dir, "out");
        File.WriteAllLines(ids, Enumerable.Range(0, 60).Select(i => new string('i', 38) + "😀" + i));
        File.WriteAllLines(labels, Enumerable.Range(0, 60).Select(i => "ab😺🐶🐭" + (i % 3) + "🦊"));
        var run = CliHarness.Run("pca", a, b, "--ids", ids, "--labels", labels, "--maps", "pca", "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.DoesNotContain('\uFFFD', html);
        Assert.Contains(new string('i', 38) + "…", html);
    }
}

/// <summary>The page scripts' cuts (the maps' tooltip names, the member list's lines) keep a grapheme whole as HtmlReport does.</summary>
public class EmojiCutBrowserTests(ChromiumFixture chromium) : ChromiumTests(chromium)
{
    [ChromiumFact]
    public async Task ThePageScriptsCutsNeverSplitAPair()
    {
        string dir = TestData.TempDir();
        var (a, b, _) = CliHarness.SmallPair(dir, rows: 60);
        string outDir = Path.Combine(dir, "out");
        var run = CliHarness.Run("pca", a, b, "--maps", "pca", "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        var page = await (await Browser()).NewPageAsync();
        await page.GotoAsync(new Uri(Path.Combine(outDir, "report.html")).AbsoluteUri);
        var cuts = await page.EvaluateAsync<string[]>(
            "() => [rdData.clip('abcdefg😀x', 9), rdData.clip('abcdefgh😀', 9), rdData.clip('abc', 9), rdData.clipStart('ab😀ghi', 5), rdData.clipStart('x😀fghij', 5)]");
        Assert.Equal(["abcdefg…", "abcdefgh…", "abc", "…ghi", "…ghij"], cuts);
        // Between graphemes, as HtmlReport cuts: an emoji with its skin tone, a letter with its accent, whole or left out.
        var graphemes = await page.EvaluateAsync<string[]>(
            "() => [rdData.clip('abcde👍🏽xyz', 8), rdData.clip('abcdefe\\u0301xyz', 8), rdData.clipStart('ab👍🏽fg', 4), rdData.clipStart('abce\\u0301fg', 4)]");
        Assert.Equal([HtmlReport.Head("abcde👍🏽xyz", 7), HtmlReport.Head("abcdefe\u0301xyz", 7), HtmlReport.Tail("ab👍🏽fg", 3), HtmlReport.Tail("abce\u0301fg", 3)], graphemes);
        Assert.Equal(["abcde…", "abcdef…", "…fg", "…fg"], graphemes);
    }
}
