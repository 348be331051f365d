using System.Text.Json.Nodes;
using Microsoft.Playwright;
using RepDiff.Report;
using RepDiff.Reporting;

namespace RepDiff.Tests.Report;

/// <summary>
/// `repdiff compare` (k-means and RDX) of the planted fixture with everything a user might feed the report by mistake
/// or on purpose: labels and texts holding HTML and script, quotes, right-to-left text and emoji, control characters,
/// a 10,000-character label and a 10,000-character text without a space, ids with spaces, 12 distinct labels (more than
/// the palette colours) and a model name of 3,000 characters with a script tag. Run once when a test first needs it.
/// </summary>
public sealed class HostileReportFixture
{
    /// <summary>The labels, by i % 12; the last five are plain so the tooltip test has labels past the palette's ten.</summary>
    public static readonly string[] Labels =
    [
        "<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>", "quote \" ' `tick`", "שלום עולם 😀🎉",
        new string('L', 10_000), "ctl\u0001\u0007\u001b[31m", "\u202Eoverride with spaces", "g7", "g8", "g9", "g10", "g11",
    ];

    /// <summary>Sample i's text, by i % 4: markup, one 10,000-character word, a long sentence, right-to-left with emoji.</summary>
    public static string Text(int i) => (i % 4) switch
    {
        0 => $"<b>bold {i}</b><img src=x onerror=alert({i})>",
        1 => new string('W', 10_000),
        2 => string.Concat(Enumerable.Repeat($"a long sentence about sample {i} ", 40)),
        _ => "RTL: مرحبا بالعالم \u202Ereversed\u202C 🚀 </script>",
    };

    private readonly Lazy<string> run = new(() =>
    {
        string dir = TestData.TempDir();
        const int n = 600;
        File.WriteAllLines(Path.Combine(dir, "ids.txt"), Enumerable.Range(0, n).Select(i => $"sample {i} <x>"));
        File.WriteAllLines(Path.Combine(dir, "labels.txt"), Enumerable.Range(0, n).Select(i => Labels[i % Labels.Length]));
        File.WriteAllLines(Path.Combine(dir, "texts.txt"), Enumerable.Range(0, n).Select(Text));
        string outDir = Path.Combine(dir, "out");
        var (code, stdout, stderr) = Robustness.CliHarness.Run(
            ["compare", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--methods", "kmeans,rdx", "--ids", Path.Combine(dir, "ids.txt"),
             "--labels", Path.Combine(dir, "labels.txt"), "--texts", Path.Combine(dir, "texts.txt"),
             "--name-a", "<script>alert(3)</script>" + new string('N', 3000), "--name-b", "B \"quoted\" & <i>", "--out", outDir]);
        Assert.True(code == 0, stdout + "\n" + stderr);
        return Path.Combine(outDir, "report.html");
    });

    public string Report => run.Value;
}

/// <summary>
/// The report with hostile content in headless Chromium: nothing runs, nothing is fetched, nothing widens the page or
/// pushes the maps out of reach, the tooltip names every label, and the controls inside a card work from the keyboard.
/// </summary>
public class HostileContentBrowserTests(HostileReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium), IClassFixture<HostileReportFixture>
{
    private const int Width = 1400, Height = 1000;

    /// <summary>A page recording console errors, page errors, dialogs (an executed alert) and every request that is not the file itself.</summary>
    private async Task<(IPage Page, List<string> Problems)> Open(string path)
    {
        var page = await (await Browser()).NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = Width, Height = Height } });
        page.SetDefaultTimeout(120_000);
        var problems = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") problems.Add("console: " + message.Text); };
        page.PageError += (_, error) => problems.Add("page error: " + error);
        page.Dialog += (_, dialog) => { problems.Add("dialog: " + dialog.Message); _ = dialog.DismissAsync(); };
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith("file:", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                problems.Add("request: " + request.Url);
        };
        await page.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return (page, problems);
    }

    private static Task<int> PageWidth(IPage page) => page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");

    [ChromiumFact]
    public async Task HostileContentNeitherRunsNorWidensThePageNorHidesTheMaps()
    {
        var (page, problems) = await Open(report.Report);

        // The map legend lists the 10,000-character label: it was one line 66,000 pixels wide.
        Assert.Equal(Width, await PageWidth(page));
        // The model name of 3,000 characters in the maps' captions (1,000 pixels of it each) made the sticky maps taller than
        // the window, so the B map stayed out of view until the end of the page; the caption is cut, its title whole.
        Assert.InRange(await page.EvaluateAsync<int>("() => Math.max(...Array.from(document.querySelectorAll('aside.maps figcaption')).map(f => f.offsetHeight))"), 1, 80);
        Assert.StartsWith("A: \u2068<script>alert(3)</script>NNN", await page.Locator("aside.maps figcaption").First.GetAttributeAsync("title"));

        // A label or text holding an unterminated right-to-left override reordered the rest of its line, numbers included
        // ("46 samples" read "64 ,selpmas"): the page shows bidirectional controls as spaces, as the terminal does.
        // (The legend's entries, drawn from the page data, are each a line of their own.)
        Assert.DoesNotContain("\u202E", await page.EvaluateAsync<string>("() => document.querySelector('header.top').innerText + document.querySelector('main').innerText"));

        // Every card's member list, every long text in full: a word of 10,000 characters ran across the maps.
        int cards = await page.Locator(".card").CountAsync();
        Assert.True(cards >= 10, $"{cards} cards");
        int fullTexts = 0;
        for (int c = 0; c < cards; c++)
        {
            string key = (await page.Locator(".card").Nth(c).GetAttributeAsync("data-key"))!;
            await page.Locator("button.open-members").Nth(c).ClickAsync();
            // A member whose label has 10,000 characters was an item 5,000 pixels tall: ids and labels are cut, whole on hover.
            int tallest = await page.EvaluateAsync<int>("() => Math.max(...Array.from(document.querySelectorAll('section.members[data-key=\"" + key + "\"] li.member')).map(li => li.offsetHeight))");
            Assert.True(tallest < 400, $"card {c}: a member item {tallest} pixels tall");
            var more = page.Locator($"section.members[data-key={key}] button.more");
            for (int k = 0, count = await more.CountAsync(); k < count; k++, fullTexts++) await more.Nth(k).ClickAsync();
            Assert.True(await PageWidth(page) == Width, $"card {c}: the page is {await PageWidth(page)} pixels wide");
        }
        Assert.True(fullTexts > 0, "no member text was long enough to open in full");
        Assert.True(await page.Locator("li.member .mlabel[title^=LLLL]").CountAsync() > 0, "no member with the long label was listed");
        // The member list keeps ids and labels as they are (they match the downloads), each isolated from the rest of its line.
        Assert.Equal("isolate", await page.Locator("li.member .mlabel").First.EvaluateAsync<string>("e => getComputedStyle(e).unicodeBidi"));

        // The tooltip of a sample with the 10,000-character label stays a tooltip (it covered the page).
        const int row = 4;
        await page.Locator("canvas.overlay[data-kind=pca][data-side=a]").ScrollIntoViewIfNeededAsync();
        var point = await page.EvaluateAsync<float[]>($"() => {{ const p = rdMaps.point('a', {row}); return [p.x, p.y]; }}");
        await page.Mouse.MoveAsync(point[0], point[1]);
        Assert.True(await page.Locator("#tip").IsVisibleAsync());
        Assert.StartsWith($"sample {row} <x> · LLLL", await page.Locator("#tip div").First.TextContentAsync());
        Assert.InRange(await page.EvaluateAsync<int>("() => document.getElementById('tip').offsetHeight"), 1, Height / 3);

        // From the keyboard, the live region reads what the tooltip shows, cut the same way: walking A's map, the sample
        // with the 10,000-character label is announced in at most 200 characters of it.
        await page.Mouse.MoveAsync(1, 1);
        await page.Locator(".mapbox[data-kind=pca][data-side=a]").FocusAsync();
        var said = new List<string>();
        foreach (var key in Enumerable.Repeat(new[] { "ArrowRight", "ArrowRight", "ArrowDown" }, 12).SelectMany(k => k))
        {
            await page.Keyboard.PressAsync(key);
            said.Add((await page.Locator("#map-live").TextContentAsync())!);
        }
        string longOne = said.FirstOrDefault(t => t.Contains(" · LLLL", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException("no sample with the long label was announced: " + string.Join(" | ", said));
        Assert.Matches(@"^sample \d+ <x> · L+…$", longOne);
        Assert.Equal(200, longOne.Length);
        Assert.All(said, t => Assert.True(t.Length < 700, $"an announcement of {t.Length} characters"));

        // Nothing the user wrote ran (no dialog), nothing was fetched, nothing failed.
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // The markup stayed text: no element came from it (the page's own scripts are the data and the code).
        Assert.Equal(0, await page.Locator("img[src='x'], b:text-is('bold 0')").CountAsync());
        Assert.Equal(2, await page.Locator("script").CountAsync());
    }

    /// <summary>
    /// The maps' search over ids, labels and texts that hold markup: what is typed is matched as text (markup included, case
    /// ignored), the one match's tooltip shows it as text, and nothing runs.
    /// </summary>
    [ChromiumFact]
    public async Task SearchingHostileTextMatchesItAsTextAndRunsNothing()
    {
        var (page, problems) = await Open(report.Report);
        const int n = 600;
        int[] Matching(string query) => Enumerable.Range(0, n)
            .Where(i => new[] { $"sample {i} <x>", HostileReportFixture.Labels[i % HostileReportFixture.Labels.Length], HostileReportFixture.Text(i) }
                .Any(f => f.Contains(query, StringComparison.OrdinalIgnoreCase))).ToArray();
        var field = page.Locator("#map-search");
        await field.ScrollIntoViewIfNeededAsync();
        var wait = new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 };

        // Every id holds "<x>": all of them match, typed in capitals.
        Assert.Equal(n, Matching("<X>").Length);
        await field.FillAsync("<X>");
        await Assertions.Expect(page.Locator("#map-search-count")).ToHaveTextAsync($"{n} samples match", wait);
        Assert.Equal(n, await page.EvaluateAsync<int>("() => rdMaps.outlined().a"));

        // The markup of one text finds that sample alone; Enter selects it and its tooltip shows its label and text as text.
        var one = Matching("onerror=ALERT(8)");
        Assert.Equal([8], one);
        await field.FillAsync("onerror=ALERT(8)");
        await Assertions.Expect(page.Locator("#map-search-count")).ToHaveTextAsync("1 sample matches", wait);
        await field.PressAsync("Enter");
        Assert.Equal(new[] { 8 }, await page.EvaluateAsync<int[]>("() => window.rdSelection"));
        Assert.True(await page.Locator("#tip").IsVisibleAsync());
        Assert.Equal("sample 8 <x> · g8", await page.Locator("#tip div").First.TextContentAsync());
        Assert.Contains(HostileReportFixture.Text(8), await page.Locator("#tip").TextContentAsync());
        Assert.Equal(0, await page.Locator("img[src='x'], b:text-is('bold 8')").CountAsync());
        Assert.Equal(2, await page.Locator("script").CountAsync());
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [ChromiumFact]
    public async Task TheMapTooltipNamesLabelsPastThePaletteColours()
    {
        var (page, problems) = await Open(report.Report);
        // Samples 7 to 11 (and 19 to 23) carry g7 … g11; label codes go most frequent first, so some are past the ten
        // colours and share the legend's "other": the tooltip said "other" for them instead of their label.
        // The header's long name pushes the maps below the window: bring A's map into view to hover it.
        await page.Locator("canvas.overlay[data-kind=pca][data-side=a]").ScrollIntoViewIfNeededAsync();
        int pastPalette = 0;
        foreach (int row in new[] { 7, 8, 9, 10, 11, 19, 20, 21, 22, 23 })
        {
            var point = await page.EvaluateAsync<float[]>($"() => {{ const p = rdMaps.point('a', {row}); return [p.x, p.y]; }}");
            await page.Mouse.MoveAsync(point[0], point[1]);
            // The tooltip names the sample nearest the mouse (another may lie on the same spot): its own label, always.
            string line = (await page.Locator("#tip div").First.TextContentAsync())!;
            var shown = System.Text.RegularExpressions.Regex.Match(line, @"^sample (\d+) <x> · ");
            Assert.True(shown.Success, line);
            int sample = int.Parse(shown.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            string full = $"sample {sample} <x> · {HostileReportFixture.Labels[sample % HostileReportFixture.Labels.Length]}";
            Assert.Equal(full.Length > 200 ? full[..199] + "…" : full, line);
            int code = await page.EvaluateAsync<int>($"() => {{ const c = rdData.samples.columns.find(c => c.labels); return c.codes[rdData.samples.slot({sample})]; }}");
            if (code >= 10) pastPalette++;
        }
        Assert.True(pastPalette > 0, "no label past the palette's colours");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [ChromiumFact]
    public async Task TheControlsInsideACardAndTheConsensusRowsWorkFromTheKeyboard()
    {
        var (page, problems) = await Open(report.Report);
        var first = page.Locator(".card").First;
        string key = (await first.GetAttributeAsync("data-key"))!;

        // Enter on the card selects it.
        await first.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Contains("selected", (await first.GetAttributeAsync("class"))!);
        // Enter on its members button opens the list (the card's own key handler swallowed it and unselected the card).
        await first.Locator("button.open-members").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.True(await page.Locator($"section.members[data-key={key}]").IsVisibleAsync(), "Enter on the members button opened no list");
        Assert.Contains("selected", (await first.GetAttributeAsync("class"))!);
        // Space on another card's button opens that card's list and selects it, as a click does.
        var second = page.Locator(".card").Nth(1);
        await second.Locator("button.open-members").FocusAsync();
        await page.Keyboard.PressAsync(" ");
        Assert.True(await page.Locator($"section.members[data-key={await second.GetAttributeAsync("data-key")}]").IsVisibleAsync(), "Space on the members button opened no list");

        // Enter on the "coefficient by label" summary opens it; Enter on the closest concept's link goes there.
        var coefficients = page.Locator(".card details.coef").First;
        await coefficients.Locator("summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.True(await coefficients.EvaluateAsync<bool>("d => d.open"), "Enter on the summary did not open it");
        var link = page.Locator(".card .closest a").First;
        string href = (await link.GetAttributeAsync("href"))!;
        await link.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal(href, await page.EvaluateAsync<string>("() => location.hash"));

        // A consensus row takes Enter as a click: it is marked and its shared samples lit.
        var pair = page.Locator("tr.pair").First;
        await pair.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Contains("on", (await pair.GetAttributeAsync("class"))!.Split(' '));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// The demo's index on a phone (360 px): a description holding a URL (the emoji pair's licence,
    /// https://creativecommons.org/licenses/by/4.0/) or a long title word made the page 405 px wide, scrolling sideways.
    /// </summary>
    [ChromiumFact]
    public async Task TheIndexPageFitsAPhoneWhateverItsWords()
    {
        var (pair, explanation) = HtmlReportTests.Synthetic();
        ExplanationScoring.Score(explanation, pair);
        var comparison = new Comparison { Pair = pair, Explanations = [explanation], Context = new JsonObject { ["linear_cka"] = 0.5 } };
        string path = Path.Combine(TestData.TempDir(), "index.html");
        File.WriteAllText(path, IndexPage.Render("demo " + new string('T', 60), "intro https://example.org/a/very/long/path/without/any/space/at/all",
            [new IndexEntry("pair " + new string('P', 60), "licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); more https://example.org/" + new string('x', 80), "pair/report.html", comparison)]));
        var (page, problems) = await Open(path);
        await page.SetViewportSizeAsync(360, 800);
        Assert.Equal(360, await PageWidth(page));
        Assert.Empty(problems);
    }
}
