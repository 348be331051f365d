using RepDiff.Report;

namespace RepDiff.Tests.Report;

/// <summary>
/// The rim round a colour is one rule in two languages: Palette.Rim (C#) draws the label bars' rims into the page's CSS, and
/// maps.js's rimOf the maps' points' rims, for colours the page makes too (the ramp's, the images' hues). On the maps' panel
/// they give the same rim for every palette colour, the missing values' grey, and 2,000 colours drawn with a seed: maps.js had
/// stepped by adding -0.02 (drifting) and C# rounded halves to even, and 15 of those 2,000 colours had got two rims (the palette's own had agreed).
/// </summary>
public class PaletteRimBrowserTests(LongIdsReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium)
{
    [ChromiumFact]
    public async Task TheMapsAndTheLabelBarsGiveEveryColourTheSameRim()
    {
        var random = new Random(7);
        var colours = Palette.Colours.Append("#c8ced8")
            .Concat(Enumerable.Range(0, 2000).Select(_ => $"#{random.Next(256):x2}{random.Next(256):x2}{random.Next(256):x2}")).ToArray();
        var page = await (await Browser()).NewPageAsync();
        await page.GotoAsync(new Uri(report.Report).AbsoluteUri);
        string background = await page.EvaluateAsync<string>("() => rdMaps.background");
        var pageRims = await page.EvaluateAsync<string[]>("colours => colours.map(rdMaps.rim)", colours);
        var differ = colours.Select((c, k) => (Colour: c, Page: pageRims[k], Palette: Palette.Rim(c, background))).Where(x => x.Page != x.Palette).ToList();
        Assert.True(differ.Count == 0, $"{differ.Count} of {colours.Length} colours get two rims on {background}: " +
            string.Join(", ", differ.Take(12).Select(x => $"{x.Colour}: maps {x.Page}, bars {x.Palette}")));
    }
}
