using Microsoft.Playwright;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Report;

/// <summary>The command in a report's header, in headless Chromium: a long one wraps inside the page and copies whole.</summary>
public class CommandHeaderBrowserTests(ChromiumFixture chromium) : ChromiumTests(chromium)
{
    /// <summary>
    /// A command with a 200-character file name (one word, no space to break at) and many options: at 1280 and at 390 pixels
    /// the page is no wider than the window and the command's block no wider than the header; selecting the block gives the
    /// command exactly as results.json holds it, and the fingerprints stay in the window too.
    /// </summary>
    [ChromiumFact]
    public async Task ALongCommandWrapsAndCopiesWhole()
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = CliHarness.SmallPair(dir);
        string longName = Path.Combine(dir, new string('x', 200) + ".npy");
        File.Move(a, longName);
        string outDir = Path.Combine(dir, "out");
        var outcome = CliHarness.Run("kmeans", longName, b, "--labels", labels, "--concepts", "3", "--seed", "7", "--name-a", "a model with a long name", "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        string command = (string)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["command"]!;

        var browser = await Browser();
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(new Uri(Path.Combine(outDir, "report.html")).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        foreach (int width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, 800);
            var sizes = await page.EvaluateAsync<double[]>("""
                () => { const c = document.querySelector('code.command'), f = document.querySelector('.fingerprints');
                        return [document.documentElement.scrollWidth, c.scrollWidth, c.clientWidth, c.getBoundingClientRect().right, f.getBoundingClientRect().right]; }
                """);
            Assert.True(sizes[0] <= width, $"{width} px: the page is {sizes[0]} px wide");
            Assert.True(sizes[1] <= sizes[2] + 1, $"{width} px: the command holds {sizes[1]} px in {sizes[2]}");
            Assert.True(sizes[3] <= width && sizes[4] <= width, $"{width} px: the command ends at {sizes[3]} px, the fingerprints at {sizes[4]}");
        }
        // One click selects the whole command (user-select: all), and what is copied is the command as recorded.
        await page.ClickAsync("code.command");
        Assert.Equal(command, await page.EvaluateAsync<string>("() => window.getSelection().toString()"));
        Assert.Empty(errors);
    }
}
