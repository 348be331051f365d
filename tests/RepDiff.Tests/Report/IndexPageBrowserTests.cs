using System.Text.Json.Nodes;
using RepDiff.Report;
using RepDiff.Reporting;

namespace RepDiff.Tests.Report;

/// <summary>The demo's index page in headless Chromium, at the widths of a laptop's window down to a phone's.</summary>
public class IndexPageBrowserTests(ChromiumFixture chromium) : ChromiumTests(chromium)
{
    /// <summary>
    /// The line of mean BSRs ("rdx 0.887 / 0.497, spec 0.678 / 0.497, ...") broke inside a method's figure: at 960×600 the demo's
    /// index ended a line at "rdx 0.887 /" and began the next with "0.497, spec ...", the chance level beside the next method's
    /// name. Each method's figure and its chance level now stay on one line, at every width from a phone's to a laptop's.
    /// </summary>
    [ChromiumFact]
    public async Task EachMeanBsrStaysOnOneLineWithItsChanceLevel()
    {
        var (pair, _) = HtmlReportTests.Synthetic();
        var explanations = new[] { "rdx", "spec", "koda", "kmeans", "pca", "nmf", "sae" }.Select(method =>
        {
            var (_, explanation) = HtmlReportTests.Synthetic();
            explanation.Method = method;
            ExplanationScoring.Score(explanation, pair);
            return explanation;
        }).ToList();
        var comparison = new Comparison { Pair = pair, Explanations = explanations, Context = new JsonObject { ["linear_cka"] = 0.5 } };
        string path = Path.Combine(TestData.TempDir(), "index.html");
        File.WriteAllText(path, IndexPage.Render("demo", "intro", [new IndexEntry("pair", "about the pair", "pair/report.html", comparison, "A groups what B does not.")]));
        // Each chance level: whether it is one line, and whether that line is its figure's (the figure's last digit beside it).
        const string Broken = """
            () => Array.from(document.querySelectorAll('p.nums small.chance')).flatMap(small => {
              const lines = Array.from(small.getClientRects()).filter(r => r.width > 0);
              const figure = small.previousSibling, range = document.createRange();
              range.setStart(figure, figure.length - 1);
              range.setEnd(figure, figure.length);
              const digit = range.getBoundingClientRect();
              return lines.length === 1 && Math.abs(lines[0].bottom - digit.bottom) < 4 ? [] : [figure.textContent.trim().split(' ').slice(-2).join(' ') + small.textContent];
            })
            """;
        var (page, errors) = await AccessibilityBrowserTests.Open(await Browser(), path, 960, 600);
        Assert.Equal(7, await page.Locator("p.nums small.chance").CountAsync());
        var broken = new List<string>();
        for (int width = 320; width <= 1366; width += 6)
        {
            await page.SetViewportSizeAsync(width, 600);
            foreach (string item in await page.EvaluateAsync<string[]>(Broken)) broken.Add($"{width} px: {item}");
        }
        Assert.True(broken.Count == 0, $"{broken.Count} figures parted from their chance level, e.g.:\n" + string.Join("\n", broken.Take(10)));
        Assert.Empty(errors);
        await page.CloseAsync();
    }
}
