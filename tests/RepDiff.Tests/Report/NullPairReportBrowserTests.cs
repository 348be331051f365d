using Microsoft.Playwright;
using RepDiff.IO;
using RepDiff.Tests.Robustness;
using RepDiff.Tests.Trust;

namespace RepDiff.Tests.Report;

/// <summary>
/// `repdiff spec` on a null pair (B = A·Q + 1% noise: eigenvalues near ±9·10⁻⁴) in headless Chromium at a phone's
/// and a laptop's width.
/// </summary>
public class NullPairReportBrowserTests(ChromiumFixture chromium) : ChromiumTests(chromium)
{
    [ChromiumFact]
    public async Task EverySpectrumTickIsWhollyInsideItsChart()
    {
        string dir = TestData.TempDir();
        var pair = HeldOutValidationTests.NullPair(500, 12, seed: 1);
        string a = Path.Combine(dir, "a.npy"), b = Path.Combine(dir, "b.npy"), outDir = Path.Combine(dir, "out");
        Npy.Write(a, pair.A);
        Npy.Write(b, pair.B);
        var run = CliHarness.Run("spec", a, b, "--maps", "pca", "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);

        foreach (int width in new[] { 360, 1280 })
        {
            var page = await (await Browser()).NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
            await page.GotoAsync(new Uri(Path.Combine(outDir, "report.html")).AbsoluteUri);
            // A fixed 46-unit axis had cut "-0.000906" to ".000906": the negative end read as positive.
            var texts = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('svg.spectrum text.tick')].map(t => t.textContent)");
            var lefts = await page.EvaluateAsync<double[]>("() => [...document.querySelectorAll('svg.spectrum text.tick')].map(t => t.getBBox().x)");
            Assert.Contains(texts, t => t.StartsWith('-'));
            for (int i = 0; i < texts.Length; i++)
                Assert.True(lefts[i] >= 0, $"at {width} px, the tick '{texts[i]}' starts at {lefts[i]:F1}, outside its chart");
        }
    }
}
