using Microsoft.Playwright;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Report;

/// <summary>
/// `repdiff kmeans` of the small planted pair (120 samples) labelled with names longer than 80 units: one right-to-left and
/// mixed with Latin, one whose 80th unit falls inside "👍🏽" (an emoji and its skin-tone modifier), one long single word, and
/// one of several words with a hyphen. Run once when a test first needs it.
/// </summary>
public sealed class LabelBarTextReportFixture
{
    public static readonly string RightToLeft = string.Concat(Enumerable.Repeat("שלום עולם Hello world ", 5));
    public static readonly string Thumbs = "Thumbs " + new string('x', 70) + "👍🏽 up and more words";
    public const string Compound = "Donaudampfschifffahrtsgesellschaftskapitänsmütze";
    public const string Words = "Pullover and shirt-like tops";
    public static readonly string[] Labels = [RightToLeft, Thumbs, Compound, Words];

    private readonly Lazy<string> report = new(() =>
    {
        string dir = TestData.TempDir();
        var (a, b, _) = CliHarness.SmallPair(dir, rows: 120);
        string labels = Path.Combine(dir, "names.txt"), outDir = Path.Combine(dir, "out");
        File.WriteAllLines(labels, Enumerable.Range(0, 120).Select(i => Labels[i % Labels.Length]));
        var run = CliHarness.Run("kmeans", a, b, "--labels", labels, "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        return Path.Combine(outDir, "report.html");
    });

    public string Report => report.Value;
}

/// <summary>
/// A card's label bars show each label isolated from the text around it (a bdi in the bar, isolate marks in the row's title),
/// cut at 80 units between graphemes with "…", in the narrowest card (168 px: a 1216-pixel window) and on a laptop.
/// </summary>
public class LabelBarTextBrowserTests(LabelBarTextReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium), IClassFixture<LabelBarTextReportFixture>
{
    private static readonly string[] Shown = LabelBarTextReportFixture.Labels.Select(SampleLabels.Shown).ToArray();

    [ChromiumFact]
    public async Task ALabelBarIsolatesItsNameAndCutsItBetweenGraphemes()
    {
        Assert.Equal("Thumbs " + new string('x', 70) + "…", Shown[1]);  // the cut falls inside "👍🏽"
        Assert.EndsWith("…", Shown[0]);
        var page = await (await Browser()).NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1216, Height = 900 } });
        await page.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        // Per bar: its name's text, the text of the bdi holding it, that bdi's direction, and the row's title.
        var rows = await page.EvaluateAsync<string[][]>(@"() => Array.from(document.querySelectorAll('.card .hrow')).map(row => {
            const name = row.querySelector('.hname'), bdi = name.querySelector('bdi');
            return [name.textContent, bdi ? bdi.textContent : '', bdi ? getComputedStyle(bdi).direction : '', row.title];
        })");
        var labelled = rows.Where(r => r[0] != "other").ToArray();
        Assert.True(labelled.Length >= 8, $"{labelled.Length} label bars");
        Assert.All(labelled, r =>
        {
            Assert.Contains(r[0], Shown);
            Assert.Equal(r[0], r[1]);
            Assert.Equal(r[0] == Shown[0] ? "rtl" : "ltr", r[2]);
            Assert.Matches($"^\u2068{System.Text.RegularExpressions.Regex.Escape(r[0])}\u2069: \\d+ of \\d+ members \\(\\d+%\\)$", r[3]);
        });
        Assert.Superset(Shown.ToHashSet(), labelled.Select(r => r[0]).ToHashSet());
        // No half of the emoji nor its modifier alone anywhere on the page.
        string html = await page.ContentAsync();
        Assert.DoesNotContain("x👍…", html);
        Assert.DoesNotContain("\uD83C\uDFFD…", html);
    }
}
