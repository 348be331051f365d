using Microsoft.Playwright;
using RepDiff.Cli;

namespace RepDiff.Tests.Report;

/// <summary>A test that needs Debian's chromium; reported as skipped, with the reason, where it is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Executable = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Executable))
            Skip = $"{Executable} is not installed (apt-get install -y chromium); the browser test needs it and never downloads a browser";
    }
}

/// <summary>Runs `repdiff demo` once, when a browser test first needs it (not at all when they are skipped).</summary>
public sealed class DemoReportFixture
{
    private readonly Lazy<(string Directory, int ExitCode, string Messages)> run = new(() =>
    {
        string dir = TestData.TempDir();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(), ["demo", "--out", dir], stdout, stderr);
        return (dir, code, stdout + "\n" + stderr);
    });

    public string Directory => run.Value.Directory;
    public int ExitCode => run.Value.ExitCode;
    public string ExitMessage => run.Value.Messages;
}

/// <summary>
/// Opens the demo report in headless Chromium from file:// and checks what a user would see: no
/// console errors, concept cards, every image decoded, and hovering a card highlighting its members in both maps.
/// </summary>
public class BrowserTests(DemoReportFixture demo) : IClassFixture<DemoReportFixture>
{
    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    [ChromiumFact]
    public async Task DemoReportsWorkInTheBrowser()
    {
        Assert.True(demo.ExitCode == 0, demo.ExitMessage);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.Executable,
            Headless = true,
            Args = ChromiumArgs,
        });
        var index = await browser.NewPageAsync();
        await index.GotoAsync(new Uri(Path.Combine(demo.Directory, "index.html")).AbsoluteUri);
        var links = await index.Locator("a.entry").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.Equal(["checkpoints/report.html", "merged-labels/report.html"], links);
        await index.CloseAsync();

        foreach (string slug in new[] { "checkpoints", "merged-labels" })
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
            var errors = new List<string>();
            page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
            page.PageError += (_, error) => errors.Add(error);
            string path = Path.Combine(demo.Directory, slug, "report.html");
            await page.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

            int cards = await page.Locator(".card").CountAsync();
            Assert.True(cards > 0, $"{slug}: no concept cards");
            int images = await page.EvaluateAsync<int>("() => document.images.length");
            int broken = await page.EvaluateAsync<int>("() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length");
            Assert.True(images >= cards, $"{slug}: {images} images for {cards} cards");
            Assert.Equal(0, broken);

            Assert.Equal(0, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
            await page.Locator(".card").First.HoverAsync();
            int litA = await page.EvaluateAsync<int>("() => rdMaps.lit().a");
            int litB = await page.EvaluateAsync<int>("() => rdMaps.lit().b");
            Assert.True(litA > 0 && litA == litB, $"{slug}: hovering a card lit {litA} points in A and {litB} in B");

            // Hovering a point shows its tooltip with the sample's label.
            int first = await page.EvaluateAsync<int>("() => JSON.parse(document.getElementById('rd-data').textContent).concepts[document.querySelector('.card').dataset.key][0]");
            var point = await page.EvaluateAsync<float[]>($"() => {{ const p = rdMaps.point('a', {first}); return [p.x, p.y]; }}");
            await page.Mouse.MoveAsync(point[0], point[1]);
            Assert.True(await page.Locator("#tip").IsVisibleAsync(), $"{slug}: no tooltip on a point");
            Assert.Matches(@"^#\d+ · \d$", (await page.Locator("#tip div").First.TextContentAsync())!);

            // The UMAP switch shows the UMAP maps, with the clicked card's members lit in both, and hides the PCA ones.
            await page.Locator(".card").First.ClickAsync();
            await page.Locator(".maptabs button[data-kind=umap]").ClickAsync();
            Assert.True(await page.Locator(".mapset[data-kind=umap]").IsVisibleAsync(), $"{slug}: UMAP maps not shown");
            Assert.False(await page.Locator(".mapset[data-kind=pca]").IsVisibleAsync(), $"{slug}: PCA maps still shown");
            int umapA = await page.EvaluateAsync<int>("() => rdMaps.lit().a");
            int umapB = await page.EvaluateAsync<int>("() => rdMaps.lit().b");
            Assert.True(umapA > 0 && umapA == umapB, $"{slug}: the selected card lit {umapA} UMAP points in A and {umapB} in B");
            await page.Locator(".maptabs button[data-kind=pca]").ClickAsync();
            await page.Locator(".card").First.ClickAsync();

            // REPDIFF_SCREENSHOT=path: the README's screenshot (docs/report.png), the largest concept of the first direction hovered.
            if (Environment.GetEnvironmentVariable("REPDIFF_SCREENSHOT") is { Length: > 0 } shot && slug == "checkpoints")
            {
                await page.SetViewportSizeAsync(1400, 1150);
                string key = await page.EvaluateAsync<string>("""
                    () => {
                      const data = JSON.parse(document.getElementById('rd-data').textContent);
                      const cards = Array.from(document.querySelector('.direction').querySelectorAll('.card'));
                      cards.sort((x, y) => data.concepts[y.dataset.key].length - data.concepts[x.dataset.key].length);
                      return cards[0].dataset.key;
                    }
                    """);
                await page.Locator($".card[data-key='{key}']").ClickAsync();
                await page.Mouse.MoveAsync(1, 1);
                await page.EvaluateAsync("() => window.scrollTo(0, 0)");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
            }
            Assert.Empty(errors);
            await page.CloseAsync();
        }
    }
}
