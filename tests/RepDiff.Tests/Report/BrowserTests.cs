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

/// <summary>
/// One headless Chromium for the browser test classes of a collection (<see cref="ChromiumCollection"/>, <see cref="DemoChromiumCollection"/>): launched, with Playwright's driver, when
/// the first test asks for it (not at all when the tests are skipped), and closed after the last. Every page a test opens lives in
/// a browser context of its own (IBrowser.NewPageAsync), and ChromiumTests closes them after each test, so no test sees another's
/// pages, storage or downloads. Launching both for every test had cost each test 4-5 s under load (docs/benchmarks.md,
/// thirty-ninth session), and one for each class 19 launches a run.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private static readonly string[] Args =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private IPlaywright? playwright;
    private IBrowser? browser;

    public async Task<IBrowser> Browser()
    {
        // Launched again if it crashed, so that one test's crash fails that test alone.
        if (browser is { IsConnected: true }) return browser;
        await DisposeAsync();
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumFactAttribute.Executable, Headless = true, Args = Args });
        return browser;
    }

    /// <summary>Closes every page left open, with its context; the browser stays for the next test.</summary>
    public async Task ClosePages()
    {
        if (browser is not { IsConnected: true }) return;
        foreach (var context in browser.Contexts.ToList()) await context.CloseAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
        (browser, playwright) = (null, null);
    }
}

/// <summary>
/// The browser test classes but the demo's (<see cref="DemoChromiumCollection"/>), run one at a time: they share one Chromium, whose pages ChromiumTests closes after each test (all of
/// them, so no other class's test may be running), and the reports more than one class reads, each built once a run.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>, ICollectionFixture<NullPairReportFixture>,
    ICollectionFixture<CardReportFixture>, ICollectionFixture<LongIdsReportFixture>
{
    public const string Name = "Chromium";
}

/// <summary>A browser test class: its tests share the run's Chromium, and each test's pages are closed after it.</summary>
[Collection(ChromiumCollection.Name)]
public abstract class ChromiumTests(ChromiumFixture chromium) : IAsyncLifetime
{
    protected Task<IBrowser> Browser() => chromium.Browser();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => chromium.ClosePages();
}

/// <summary>
/// Runs `repdiff demo` once, when a browser test first needs it (not at all when they are skipped): with
/// the small real-model samples, whose embeddings the real-model finding tests share through the demo's
/// cache; with the README's standard samples when REPDIFF_SCREENSHOT asks for the README's picture. Its digit pairs are
/// the test run's one training (<see cref="TrainedDigits"/>).
/// </summary>
public sealed class DemoReportFixture
{
    private readonly Lazy<(string Directory, int ExitCode, string Messages)> run = new(() =>
    {
        string dir = TestData.TempDir();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string samples = Environment.GetEnvironmentVariable("REPDIFF_SCREENSHOT") is { Length: > 0 } ? "standard" : "small";
        int code = global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(digitPairs: TrainedDigits.Build), ["demo", "--out", dir, "--samples", samples], stdout, stderr);
        return (dir, code, stdout + "\n" + stderr);
    });

    public string Directory => run.Value.Directory;
    public int ExitCode => run.Value.ExitCode;
    public string ExitMessage => run.Value.Messages;
}

/// <summary>
/// The demo's browser test alone, with a Chromium of its own: its `repdiff demo` run makes it the suite's longest test (one to
/// two minutes under load), and in the shared collection every other browser class waited behind it, which made that
/// collection the suite's longest chain of tests that cannot overlap once xunit runs two tests per core.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DemoChromiumCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "Chromium (demo)";
}

/// <summary>
/// Opens every demo report in headless Chromium from file:// and checks what a user would see: the index
/// linking them with a finding each, no console errors, concept cards that each show pictures or sentences,
/// every image decoded, the finding in words, and hovering a card highlighting its members in both maps.
/// </summary>
[Collection(DemoChromiumCollection.Name)]
public class BrowserTests(DemoReportFixture demo, ChromiumFixture chromium) : ChromiumTests(chromium), IClassFixture<DemoReportFixture>
{
    /// <summary>The reports, and whether their cards show pictures (else sentences).</summary>
    private static readonly (string Slug, bool Pictures)[] Reports =
        [("checkpoints", true), ("merged-labels", true), ("brown-minilm-arctic", false), ("fashion-resnet-task", true), ("twemoji-pictures-names", true)];

    /// <summary>The README's picture (REPDIFF_SCREENSHOT=docs/report.png): a real-model report.</summary>
    private const string ScreenshotSlug = "fashion-resnet-task";

    [ChromiumFact]
    public async Task DemoReportsWorkInTheBrowser()
    {
        Assert.True(demo.ExitCode == 0, demo.ExitMessage);
        var browser = await Browser();
        var index = await browser.NewPageAsync();
        await index.GotoAsync(new Uri(Path.Combine(demo.Directory, "index.html")).AbsoluteUri);
        var links = await index.Locator("a.entry").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.Equal(Reports.Select(r => $"{r.Slug}/report.html"), links);
        // Each entry says in one line what its best-ranked method found.
        var findings = await index.Locator("a.entry p.finding").AllTextContentsAsync();
        Assert.Equal(Reports.Length, findings.Count);
        Assert.All(findings, f => Assert.Matches(@"^\S+: .+\.$", f));
        await index.CloseAsync();

        foreach (var (slug, pictures) in Reports)
        {
            try { await CheckReport(browser, slug, pictures); }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException) { throw new InvalidOperationException($"{slug}: {e.Message}", e); }
        }
    }

    private async Task CheckReport(IBrowser browser, string slug, bool pictures)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        // Playwright's 30 s per action is too short on a 2-core machine under a load average of 40-60 (a UMAP
        // switch of 1,797 points timed out there); a broken page still fails, only later.
        page.SetDefaultTimeout(120_000);
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        string path = Path.Combine(demo.Directory, slug, "report.html");
        await page.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        int cards = await page.Locator(".card").CountAsync();
        Assert.True(cards > 0, $"{slug}: no concept cards");
        // Every card shows its members: a grid of pictures, or a list of sentences.
        string shown = pictures ? ".grid img" : "ol.texts li";
        int bare = await page.EvaluateAsync<int>($"() => Array.from(document.querySelectorAll('.card')).filter(c => c.querySelectorAll('{shown}').length === 0).length");
        Assert.True(bare == 0, $"{slug}: {bare} of {cards} cards show no {(pictures ? "pictures" : "sentences")}");
        int images = await page.EvaluateAsync<int>("() => document.images.length");
        int broken = await page.EvaluateAsync<int>("() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length");
        if (pictures) Assert.True(images >= cards, $"{slug}: {images} images for {cards} cards");
        Assert.Equal(0, broken);
        // The finding in words, for each labelled direction.
        Assert.True(await page.Locator(".statement .finding").CountAsync() > 0, $"{slug}: no finding in words");

        Assert.Equal(0, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        await page.Locator(".card").First.HoverAsync();
        int litA = await page.EvaluateAsync<int>("() => rdMaps.lit().a");
        int litB = await page.EvaluateAsync<int>("() => rdMaps.lit().b");
        Assert.True(litA > 0 && litA == litB, $"{slug}: hovering a card lit {litA} points in A and {litB} in B");

        // Hovering a point shows its tooltip with the sample's label.
        int first = await page.EvaluateAsync<int>("() => JSON.parse(document.getElementById('rd-data').textContent).cards.concepts[document.querySelector('.card').dataset.key].members[0]");
        var point = await page.EvaluateAsync<float[]>($"() => {{ const p = rdMaps.point('a', {first}); return [p.x, p.y]; }}");
        await page.Mouse.MoveAsync(point[0], point[1]);
        Assert.True(await page.Locator("#tip").IsVisibleAsync(), $"{slug}: no tooltip on a point");
        // Named as the cards name it: by its id where the samples have ids (the emoji's code points), else by its row.
        bool ids = await page.EvaluateAsync<bool>("() => !!rdData.samples.ids");
        Assert.Matches(ids ? @"^[^#].* · \S.*$" : @"^#\d+ · \S.*$", (await page.Locator("#tip div").First.TextContentAsync())!);

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

        // REPDIFF_SCREENSHOT=path: the README's screenshot (docs/report.png), the largest concept of the first direction selected.
        if (Environment.GetEnvironmentVariable("REPDIFF_SCREENSHOT") is { Length: > 0 } shot && slug == ScreenshotSlug)
        {
            await page.SetViewportSizeAsync(1400, 1150);
            string key = await page.EvaluateAsync<string>("""
                () => {
                  const data = JSON.parse(document.getElementById('rd-data').textContent);
                  const cards = Array.from(document.querySelector('.direction').querySelectorAll('.card'));
                  cards.sort((x, y) => data.cards.concepts[y.dataset.key].members.length - data.cards.concepts[x.dataset.key].members.length);
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
