using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using RepDiff.IO;
using RepDiff.Metrics;
using RepDiff.Report;
using RepDiff.Tests.Embedding;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Report;

/// <summary>
/// `repdiff compare` of the planted fixture with three methods, ids, labels (by thirds), metadata (genre,
/// year) and texts (some longer than a card shows), run once when a card browser test first needs it.
/// </summary>
public sealed class CardReportFixture
{
    private readonly Lazy<(string Results, string Report, string Texts)> run = new(() =>
    {
        string dir = TestData.TempDir();
        const int n = 600;
        File.WriteAllLines(Path.Combine(dir, "ids.txt"), Enumerable.Range(0, n).Select(i => $"p{i}"));
        File.WriteAllLines(Path.Combine(dir, "labels.txt"), Enumerable.Range(0, n).Select(i => i < 200 ? "low" : i < 400 ? "mid" : "high"));
        File.WriteAllLines(Path.Combine(dir, "meta.csv"), ["id,genre,year", .. Enumerable.Range(0, n).Select(i => $"p{i},{Genre(i)},{1950 + i * 7 % 60}")]);
        File.WriteAllLines(Path.Combine(dir, "texts.txt"), Enumerable.Range(0, n).Select(Text));
        string outDir = Path.Combine(dir, "out");
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(),
            ["compare", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--methods", "kmeans,rdx,pca", "--ids", Path.Combine(dir, "ids.txt"),
             "--labels", Path.Combine(dir, "labels.txt"), "--metadata", Path.Combine(dir, "meta.csv"), "--texts", Path.Combine(dir, "texts.txt"), "--out", outDir], stdout, stderr);
        Assert.True(code == 0, stdout + "\n" + stderr);
        return (Path.Combine(outDir, "results.json"), Path.Combine(outDir, "report.html"), Path.Combine(dir, "texts.txt"));
    });

    /// <summary>"romance" for most of the first third, so the first group's concepts are enriched for it.</summary>
    public static string Genre(int i) => i < 200 && i % 5 != 0 ? "romance" : (i % 3) switch { 0 => "news", 1 => "fiction", _ => "romance" };

    /// <summary>Sample i's sentence: every seventh one long enough to be shortened in the list; the short ones name their third's colour.</summary>
    public static string Text(int i) => i % 7 == 0
        ? $"Sample {i} is a long sentence that goes on, " + string.Concat(Enumerable.Repeat($"and on about sample {i}, ", 12)) + "until it ends."
        : $"Sample {i} is short and {(i < 200 ? "crimson" : i < 400 ? "teal" : "ochre")}.";

    public string Results => run.Value.Results;
    public string Report => run.Value.Report;
    public string Texts => run.Value.Texts;
}

/// <summary>
/// The concept cards in headless Chromium: each card's over-represented values and closest concept, the
/// consensus table, every member in pages (highlighted in both maps), the full text on demand, and the
/// downloads of a concept and of the current selection, checked against `repdiff export`.
/// </summary>
public class CardsBrowserTests(CardReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium)
{
    /// <summary>A page that records the last 'rd-highlight' request (what the maps are asked to light) in window.__hl.</summary>
    private static async Task<(IPage Page, List<string> Errors)> Open(IBrowser browser, string path)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, AcceptDownloads = true });
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        await page.AddInitScriptAsync("document.addEventListener('rd-highlight', e => { window.__hl = e.detail; });");
        await page.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return (page, errors);
    }

    private static async Task<int[]?> Highlighted(IPage page) =>
        await page.EvaluateAsync<int[]?>("() => window.__hl && window.__hl.indices ? Array.from(window.__hl.indices) : null");

    /// <summary>The key m{method}d{direction}c{rank} of a concept, as the page names its card.</summary>
    private static string Key(IReadOnlyList<Explanation> explanations, Concept concept)
    {
        for (int m = 0; m < explanations.Count; m++)
            for (int d = 0; d < explanations[m].Directions.Count; d++)
                if (explanations[m].Directions[d].Concepts.Contains(concept)) return FormattableString.Invariant($"m{m}d{d}c{concept.Rank}");
        throw new InvalidOperationException("concept not found");
    }

    [ChromiumFact]
    public async Task CardsShowEnrichmentClosestConceptsAndConsensus()
    {
        var file = ResultsFile.Read(report.Results);
        var explanations = file.Explanations;
        var browser = await Browser();
        var (page, errors) = await Open(browser, report.Report);

        // Every card lists its concept's over-represented values, strongest first, as results.json has them.
        var concepts = explanations.SelectMany(e => e.Directions.SelectMany(d => d.Concepts.Take(12))).ToList();
        Assert.Equal(concepts.Count, await page.Locator(".card").CountAsync());
        int enriched = 0;
        foreach (var concept in concepts)
        {
            var lines = await page.Locator($"#card-{Key(explanations, concept)} .enriched li:not(.more)").AllTextContentsAsync();
            var expected = (concept.Enrichment ?? []).Take(3).Select(v => v.Value is null ? v.Phrase : $"{v.Column}: {v.Phrase}").ToList();
            Assert.Equal(expected, lines);
            enriched += lines.Count;
        }
        Assert.True(enriched > 0, "no card lists an over-represented value");
        // And the words its members' texts have more often than the rest, most significant first.
        int worded = 0;
        foreach (var concept in concepts)
        {
            var words = await page.Locator($"#card-{Key(explanations, concept)} .words b").AllTextContentsAsync();
            Assert.Equal((concept.Words ?? []).Take(6).Select(w => w.Word), words);
            worded += words.Count;
        }
        Assert.True(worded > 0, "no card lists a word");
        Assert.True(await page.Locator(".card .words b", new PageLocatorOptions { HasTextRegex = new System.Text.RegularExpressions.Regex("^(crimson|teal|ochre)$") }).CountAsync() > 0);
        // The planted groups are the label thirds, and most of the first third is 'romance'.
        Assert.True(await page.Locator(".card .enriched li", new PageLocatorOptions { HasTextRegex = new System.Text.RegularExpressions.Regex(@"^label: 100% '(low|mid|high)' \(whole set 33%\)$") }).CountAsync() > 0);
        Assert.True(await page.Locator(".card .enriched li", new PageLocatorOptions { HasTextRegex = new System.Text.RegularExpressions.Regex(@"^genre: \d+% 'romance' \(whole set \d+%\)$") }).CountAsync() > 0);

        // Each card names the concept of another method it overlaps most, with the Jaccard the library computes.
        var consensus = Consensus.Of(explanations);
        for (int i = 0; i < consensus.Concepts.Count; i++)
        {
            var key = consensus.Concepts[i];
            if (key.Rank > 12) continue;
            int m = explanations.ToList().FindIndex(e => e.Method == key.Method);
            int d = explanations[m].Directions.ToList().FindIndex(x => x.Name == key.Direction);
            string text = (await page.Locator($"#card-m{m}d{d}c{key.Rank} .closest").TextContentAsync())!;
            if (consensus.Closest(i) is not { } closest) { Assert.Equal("no concept of another method shares a member", text); continue; }
            var other = consensus.Concepts[closest.Index];
            Assert.Equal($"closest in {other.Method}: {DirectionNames.Title(other.Direction)} #{other.Rank} (Jaccard {closest.Jaccard.ToString("F2", CultureInfo.InvariantCulture)})", text);
        }

        // The consensus table: one row and column per method and direction, and the overlapping pairs; selecting a
        // pair asks the maps to light exactly the samples both concepts hold.
        int groups = explanations.Sum(e => e.Directions.Count);
        Assert.Equal(groups, await page.Locator("table.overlap tbody tr").CountAsync());
        Assert.Equal(groups + 1, await page.Locator("table.overlap thead th").CountAsync());
        var pair = page.Locator("tr.pair").First;
        string a = (await pair.GetAttributeAsync("data-a"))!, b = (await pair.GetAttributeAsync("data-b"))!;
        // On its Jaccard cell: the row's names are links that scroll to the cards, and the card then under the
        // pointer takes the highlight, as hovering it would.
        await pair.Locator("td").Nth(3).ClickAsync();
        var conceptOf = concepts.ToDictionary(c => Key(explanations, c));
        var shared = conceptOf[a].Members.Intersect(conceptOf[b].Members).Order().ToArray();
        Assert.Equal(shared, (await Highlighted(page))!.Order().ToArray());
        double jaccard = (double)shared.Length / conceptOf[a].Members.Union(conceptOf[b].Members).Count();
        Assert.Equal(jaccard.ToString("F2", CultureInfo.InvariantCulture), await pair.Locator("td").Nth(3).TextContentAsync());
        Assert.Empty(errors);
    }

    /// <summary>
    /// Samples lassoed on a map while a card is selected replace the card: the maps light them, the card is no longer selected
    /// and the export bar's current selection is them. Before, the maps kept the card's highlight and the lasso was drawn
    /// nowhere while "current selection" exported it.
    /// </summary>
    [ChromiumFact]
    public async Task ALassoMadeWhileACardIsSelectedReplacesTheCard()
    {
        var browser = await Browser();
        var (page, errors) = await Open(browser, report.Report);
        var card = page.Locator(".card").First;
        await card.ClickAsync();
        Assert.Contains("selected", (await card.GetAttributeAsync("class"))!);

        // A lasso round the whole of A's map.
        var map = page.Locator("canvas.overlay[data-kind=pca][data-side=a]");
        await map.ScrollIntoViewIfNeededAsync();
        var box = (await map.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + 1, box.Y + 1);
        await page.Mouse.DownAsync();
        foreach (var (x, y) in new[] { (box.Width - 1, 1f), (box.Width - 1, box.Height - 1), (1f, box.Height - 1), (1f, 2f) })
            await page.Mouse.MoveAsync(box.X + x, box.Y + y, new MouseMoveOptions { Steps = 3 });
        await page.Mouse.UpAsync();

        int selected = await page.EvaluateAsync<int>("() => window.rdSelection.length");
        Assert.True(selected > 0);
        Assert.Equal(selected, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        Assert.Equal(selected, await page.EvaluateAsync<int>("() => rdMaps.lit().b"));
        Assert.DoesNotContain("selected", (await card.GetAttributeAsync("class"))!);
        Assert.Equal($"{selected:N0} samples selected on the map", await page.Locator("#export-selection").TextContentAsync());
        Assert.StartsWith($"Selection: {selected:N0} samples", await page.Locator("#map-caption").TextContentAsync());
        // Hovering a card and leaving it goes back to the selection, not to the card that was selected.
        await card.HoverAsync();
        await page.Mouse.MoveAsync(1, 1);
        Assert.Equal(selected, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        Assert.Empty(errors);
    }

    /// <summary>
    /// Leaving a consensus row (mouse or focus) gives the maps back what was chosen: the selected card's members, or nothing;
    /// the row's shared samples had stayed lit.
    /// </summary>
    [ChromiumFact]
    public async Task LeavingAConsensusRowRestoresTheSelectedCardsHighlight()
    {
        var browser = await Browser();
        var (page, errors) = await Open(browser, report.Report);
        // The first pair's shared samples, and a card of another size (the planted groups make the first pair's concepts equal).
        var data = await page.EvaluateAsync<string[]>("""
            () => {
              const C = rdData.cards.concepts, r = document.querySelector('tr.pair'), b = new Set(C[r.dataset.b].members);
              const shared = C[r.dataset.a].members.filter(i => b.has(i)).length;
              const key = Object.keys(C).find(k => document.getElementById('card-' + k) && C[k].members.length !== shared);
              return [String(shared), key, String(C[key].members.length)];
            }
            """);
        int shared = int.Parse(data[0], CultureInfo.InvariantCulture), members = int.Parse(data[2], CultureInfo.InvariantCulture);
        var card = page.Locator($"#card-{data[1]}");
        var row = page.Locator("tr.pair").First;

        // Nothing selected: hovering lights the shared samples, leaving lights nothing.
        await row.HoverAsync();
        Assert.Equal(shared, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        await page.Mouse.MoveAsync(1, 1);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));

        // A selected card: leaving the row, or moving the focus off it, lights the card's members again.
        await card.ClickAsync();
        await row.HoverAsync();
        Assert.Equal(shared, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        await page.Mouse.MoveAsync(1, 1);
        Assert.Equal(members, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        await row.FocusAsync();
        Assert.Equal(shared, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        await page.Locator("#map-search").FocusAsync();
        Assert.Equal(members, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        Assert.Empty(errors);
    }

    /// <summary>
    /// A link to a card lands it below the sticky methods bar, on a phone (where the bar may wrap) as on a desktop, and the
    /// card is marked as the link's target; it had landed under the bar.
    /// </summary>
    [ChromiumFact]
    public async Task ALinkToACardLandsItBelowTheMethodsBarMarked()
    {
        var browser = await Browser();
        var (page, errors) = await Open(browser, report.Report);
        foreach (var (width, height) in new[] { (390, 800), (1280, 800) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (string from in new[] { ".card .closest a", "table.pairs a" })
            {
                var link = page.Locator(from).First;
                string target = (await link.GetAttributeAsync("href"))!;
                await page.EvaluateAsync("() => { location.hash = ''; window.scrollTo(0, 0); }");
                await link.ClickAsync();
                await page.WaitForFunctionAsync($"() => location.hash === '{target}'");
                var place = await page.EvaluateAsync<double[]>($"() => [document.querySelector('nav.methods').getBoundingClientRect().bottom, document.querySelector('{target}').getBoundingClientRect().top]");
                Assert.True(place[1] >= place[0], $"{width} px, {from}: the card's top at {place[1]} is under the methods bar, which ends at {place[0]}");
                string Shadow(string selector) => $"() => getComputedStyle(document.querySelector('{selector}')).boxShadow";
                string other = await page.EvaluateAsync<string>($"() => '#' + Array.from(document.querySelectorAll('.card')).find(c => '#' + c.id !== '{target}' && !c.matches('.selected,:hover,:focus')).id");
                Assert.NotEqual(await page.EvaluateAsync<string>(Shadow(other)), await page.EvaluateAsync<string>(Shadow(target)));
                Assert.True(await page.EvaluateAsync<bool>($"() => document.querySelector('{target}').matches(':target')"));
            }
        }
        Assert.Empty(errors);
    }

    /// <summary>
    /// In a 1280×800 window the sticky maps panel holds both maps and the legend in view, the maps made lower to fit (at
    /// 6:5, B's map ended at y = 835 and the legend below it); on a phone, where the panel is not sticky, the maps keep 6:5.
    /// </summary>
    [ChromiumFact]
    public async Task BothMapsAndTheLegendFitA1280By800Window()
    {
        var browser = await Browser();
        var (page, errors) = await Open(browser, report.Report);
        const string Measure = """
            () => {
              window.scrollTo(0, document.body.scrollHeight / 2);
              const box = s => document.querySelector(s).getBoundingClientRect();
              const a = box('.mapset:not([hidden]) figure:nth-of-type(1) .mapbox'), b = box('.mapset:not([hidden]) figure:nth-of-type(2) .mapbox');
              return [a.top, a.width, a.height, b.bottom, b.height, box('#map-legend').bottom, innerHeight];
            }
            """;
        await page.SetViewportSizeAsync(1280, 800);
        var m = await page.EvaluateAsync<double[]>(Measure);
        Assert.True(m[0] >= 0 && m[3] <= m[6] && m[5] <= m[6], $"map A from {m[0]}, map B to {m[3]}, the legend to {m[5]}, in a window of {m[6]}");
        Assert.InRange(m[2], 140, m[1] * 5 / 6 + 1);
        Assert.Equal(m[2], m[4], 1);
        await page.SetViewportSizeAsync(390, 800);
        m = await page.EvaluateAsync<double[]>(Measure);
        Assert.Equal(m[1] * 5 / 6, m[2], 1.5);
        Assert.Empty(errors);
    }

    /// <summary>A card of images lists how they look, and its member list tabulates every look with its test.</summary>
    [ChromiumFact]
    public async Task ACardOfImagesListsItsLooksAndTheMemberListTabulatesThem()
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = CliHarness.SmallPair(dir, rows: 120);
        // Grey pixel arrays as bright as their group is numbered, so the method's groups differ in brightness.
        var groups = File.ReadAllLines(labels).Select(int.Parse).ToArray();
        string images = Path.Combine(dir, "images.npy");
        Npy.Write(images, Enumerable.Range(0, 120 * 16).Select(k => 0.1f + 0.15f * (groups[k / 16] % 6) + 0.002f * (k % 16) + 0.0003f * (k / 16)).ToArray(), 120, 4, 4);
        string outDir = Path.Combine(dir, "out");
        var outcome = CliHarness.Run("kmeans", a, b, "--images", images, "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var explanation = ResultsFile.Read(Path.Combine(outDir, "results.json")).Explanations.Single();
        var concept = explanation.Directions.SelectMany(d => d.Concepts).First(c => c.Looks is { Count: > 0 });

        var browser = await Browser();
        var (page, errors) = await Open(browser, Path.Combine(outDir, "report.html"));
        var card = page.Locator($"#card-{Key([explanation], concept)}");
        var shown = await card.Locator(".looks span").AllTextContentsAsync();
        Assert.Equal(concept.Looks!.Take(4).Select(ImageLooks.Phrase), shown.Where(t => !t.StartsWith(", and", StringComparison.Ordinal)));
        await card.Locator("button.open-members").ClickAsync();
        var listed = await page.Locator("section.members table.enrichment tbody tr td:first-child").AllTextContentsAsync();
        Assert.Equal(concept.Looks!.Select(ImageLooks.Phrase), listed);
        // Without labels or metadata the member list does not say that no label is over-represented.
        Assert.Equal(0, await page.Locator("section.members p.note", new PageLocatorOptions { HasTextString = "No label or metadata" }).CountAsync());

        // The maps start uncoloured (no labels), and colour by a look when it is chosen: a ramp from its least to its most.
        var select = page.Locator("#map-colour");
        Assert.Equal("-1", await select.InputValueAsync());
        Assert.Contains("look: brightness", await select.Locator("option").AllTextContentsAsync());
        await select.SelectOptionAsync(new SelectOptionValue { Label = "look: brightness" });
        var ends = await page.Locator("#map-legend .ramp span").AllTextContentsAsync();
        var ramp = ends.Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(2, ramp.Length);
        // The darkest and brightest images' brightness (grey, so the mean pixel value), to three significant digits as the cards give them.
        var brightness = Enumerable.Range(0, 120).Select(i => Enumerable.Range(16 * i, 16).Average(k => 0.1 + 0.15 * (groups[i] % 6) + 0.002 * (k % 16) + 0.0003 * i)).ToArray();
        Assert.Equal(brightness.Min(), ramp[0], 0.0005);
        Assert.Equal(brightness.Max(), ramp[1], 0.0005);
        Assert.All(ends, t => Assert.True(t.TrimStart('0', '.').Length <= 3, t));
        // The export of a concept keeps `repdiff export`'s columns: no look among them.
        Assert.DoesNotContain("brightness", await page.EvaluateAsync<string[]>("() => window.rdData.cards.header"));
        Assert.Empty(errors);
    }

    /// <summary>The maps colour by the images' dominant colour in each colour's own hue, the legend naming them.</summary>
    [ChromiumFact]
    public async Task TheMapsColourByTheImagesDominantColourInItsOwnHue()
    {
        string dir = TestData.TempDir();
        var (a, b, _) = CliHarness.SmallPair(dir, rows: 60);
        // 40 red images and 20 blue ones, of 2×2 pixels.
        string images = Path.Combine(dir, "images.npy");
        Npy.Write(images, Enumerable.Range(0, 60 * 4).SelectMany(k => k / 4 < 40 ? new[] { 0.9f, 0.1f, 0.1f } : new[] { 0.1f, 0.2f, 0.9f }).ToArray(), 60, 2, 2, 3);
        string outDir = Path.Combine(dir, "out");
        var outcome = CliHarness.Run("kmeans", a, b, "--images", images, "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var browser = await Browser();
        var (page, errors) = await Open(browser, Path.Combine(outDir, "report.html"));
        await page.Locator("#map-colour").SelectOptionAsync(new SelectOptionValue { Label = "look: colour" });
        var legend = page.Locator("#map-legend span");
        Assert.Equal(["red", "blue"], await legend.AllTextContentsAsync());
        var swatches = await page.Locator("#map-legend span i").EvaluateAllAsync<string[]>("items => items.map(i => i.style.background)");
        Assert.Equal(["rgb(214, 39, 40)", "rgb(31, 119, 180)"], swatches); // ImageLooks.Hex: #d62728, #1f77b4
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task ACardOpensToEveryMemberHighlightedAndExportable()
    {
        string results = report.Results;
        var explanations = ResultsFile.Read(results).Explanations;
        var browser = await Browser();
        var (page, errors) = await Open(browser, report.Report);

        // The largest shown concept of RDX (it has per-member scores).
        var rdx = explanations.Single(e => e.Method == "rdx");
        var concept = rdx.Directions.SelectMany(d => d.Concepts.Take(12)).MaxBy(c => c.Members.Length)!;
        string key = Key(explanations, concept);
        string direction = rdx.Directions.First(d => d.Concepts.Contains(concept)).Name;
        var card = page.Locator($"#card-{key}");
        await card.Locator("button.open-members").ClickAsync();
        var panel = page.Locator($"section.members[data-key={key}]");
        Assert.True(await panel.IsVisibleAsync());
        Assert.Contains("selected", (await card.GetAttributeAsync("class"))!);

        // The member list tests every word as the card does, and lists each one kept, isolated (BidiControls.Isolate).
        Assert.NotEmpty(concept.Words!);
        var listed = await panel.Locator("table.enrichment tbody tr td:first-child").AllTextContentsAsync();
        Assert.Equal(concept.Words!.Select(w => $"'\u2068{w.Word}\u2069' in {w.Shares.Members} (whole set {w.Shares.Whole})"),
            listed.Where(x => x.StartsWith('\'')));

        // Opening highlights every member in both maps.
        Assert.Equal(concept.Members.Order().ToArray(), (await Highlighted(page))!.Order().ToArray());
        Assert.Equal(concept.Members.Length, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        Assert.Equal(concept.Members.Length, await page.EvaluateAsync<int>("() => rdMaps.lit().b"));

        // Paged, in the method's order, with scores: every page together lists every member once. A long
        // sentence is shortened, and its full text shows on demand.
        var seen = new List<int>();
        bool fullTextSeen = false;
        while (true)
        {
            var rows = await panel.Locator("li.member").EvaluateAllAsync<int[]>("items => items.map(li => +li.dataset.row)");
            Assert.InRange(rows.Length, 1, 48);
            seen.AddRange(rows);
            var longItem = panel.Locator("li.member:has(button.more)").First;
            if (!fullTextSeen && await panel.Locator("li.member:has(button.more)").CountAsync() > 0)
            {
                int longRow = int.Parse((await longItem.GetAttributeAsync("data-row"))!, CultureInfo.InvariantCulture);
                Assert.EndsWith("…", (await longItem.Locator(".mtext").TextContentAsync())!);
                await longItem.Locator("button.more").ClickAsync();
                Assert.Equal(CardReportFixture.Text(longRow), await longItem.Locator(".mtext").TextContentAsync());
                fullTextSeen = true;
            }
            var next = panel.Locator("button.next").First;
            if (await next.IsDisabledAsync()) break;
            await next.ClickAsync();
        }
        Assert.Equal(concept.Members, seen);
        Assert.True(concept.Members.Length > 20, "the concept should span pages");
        Assert.True(fullTextSeen, "no long sentence among the members");

        // REPDIFF_CARDS_SCREENSHOT=path: a picture of the open member list, to look at.
        if (Environment.GetEnvironmentVariable("REPDIFF_CARDS_SCREENSHOT") is { Length: > 0 } shot)
        {
            await panel.ScrollIntoViewIfNeededAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
        }

        // A member's line: row, id, label and score; hovering it lights that one sample.
        while (!await panel.Locator("button.prev").First.IsDisabledAsync()) await panel.Locator("button.prev").First.ClickAsync();
        var first = panel.Locator("li.member").First;
        int row0 = concept.Members[0];
        string label0 = row0 < 200 ? "low" : row0 < 400 ? "mid" : "high";
        Assert.Equal($"#{row0} p{row0} · {label0} · score {Score(concept.Scores![0])}", await first.Locator(".mline").TextContentAsync());
        await first.HoverAsync();
        Assert.Equal(new[] { row0 }, await Highlighted(page));

        // The concept's download is exactly its rows of `repdiff export` given the run's texts (its text column too), as CSV and as JSON.
        var (code, cliCsv, cliErr) = Export(results, "csv", "--texts", report.Texts);
        Assert.True(code == 0, cliErr);
        var cliRows = Cli.ExportCommandTests.ParseCsv(cliCsv);
        Assert.Contains("text", cliRows[0]);
        var expected = cliRows.Skip(1).Where(f => f[0] == "rdx" && f[1] == direction && f[2] == concept.Rank.ToString(CultureInfo.InvariantCulture)).ToList();
        string csv = await Download(page, panel.Locator("button.dl[data-format=csv]"));
        var downloaded = Cli.ExportCommandTests.ParseCsv(csv);
        Assert.Equal(cliRows[0], downloaded[0]);
        AssertSameRows(cliRows[0], expected, downloaded.Skip(1).ToList());
        Assert.Equal(CardReportFixture.Text(concept.Members[0]), downloaded[1][Array.IndexOf(downloaded[0], "text")]);

        var (jcode, cliJsonl, _) = Export(results, "jsonl", "--texts", report.Texts);
        Assert.Equal(0, jcode);
        var expectedJson = cliJsonl.TrimEnd('\n').Split('\n').Select(l => JsonNode.Parse(l)!.AsObject())
            .Where(o => (string)o["method"]! == "rdx" && (string)o["direction"]! == direction && (int)o["rank"]! == concept.Rank).ToList();
        var json = JsonNode.Parse(await Download(page, panel.Locator("button.dl[data-format=json]")))!.AsArray().Select(o => o!.AsObject()).ToList();
        Assert.Equal(expectedJson.Count, json.Count);
        for (int r = 0; r < json.Count; r++)
        {
            Assert.Equal(expectedJson[r].Select(p => p.Key), json[r].Select(p => p.Key));
            foreach (var (name, value) in expectedJson[r])
                if (name is "score" or "strength") Assert.Equal((double)value!, (double)json[r][name]!, 1e-6 * Math.Max(1, Math.Abs((double)value!)));
                else Assert.Equal(value?.ToJsonString(), json[r][name]?.ToJsonString());
        }

        // The current selection: the selected card, then (once the maps report one) the samples selected on a map.
        Assert.Equal(csv, await Download(page, page.Locator("button[data-export=selection][data-format=csv]")));
        await page.EvaluateAsync("() => { window.rdSelection = [5, 250, 599]; document.dispatchEvent(new CustomEvent('rd-selection', { detail: { indices: [5, 250, 599] } })); }");
        Assert.Equal("3 samples selected on the map", await page.Locator("#export-selection").TextContentAsync());
        string selection = await Download(page, page.Locator("button[data-export=selection][data-format=csv]"));
        Assert.Equal(
            "row,id,label,genre,year\n" + string.Concat(new[] { 5, 250, 599 }.Select(i => $"{i},p{i},{(i < 200 ? "low" : i < 400 ? "mid" : "high")},{CardReportFixture.Genre(i)},{1950 + i * 7 % 60}\n")),
            selection);
        Assert.Empty(errors);
    }

    /// <summary>
    /// The report's CSV downloads neutralize text a spreadsheet would run as a formula as `repdiff export` does (an
    /// apostrophe in a quoted field: ids "=1+0", "@SUM(A3)", a label "=low", a metadata column "=bad"), and leave text that
    /// is a plain number ("-2", "-0.25", "1e-3") as it is; before, the page wrote every one of them verbatim.
    /// </summary>
    [ChromiumFact]
    public async Task DownloadsNeutralizeFormulaTextAsTheExportDoes()
    {
        string dir = TestData.TempDir();
        const int n = 600;
        string Id(int i) => (i % 6) switch { 0 => $"=1+{i}", 1 => $"+cmd{i}", 2 => $"-{i}", 3 => $"@SUM(A{i})", 4 => $"\tx{i}", _ => $"p{i}" };
        string Label(int i) => i < 200 ? "=low" : i < 400 ? "-1e-3" : "high";
        string Note(int i) => (i % 4) switch { 0 => "-0.25", 1 => "1e-3", 2 => "=HYPERLINK(\"http://evil\",\"x\")", _ => "-2+3" };
        File.WriteAllLines(Path.Combine(dir, "ids.txt"), Enumerable.Range(0, n).Select(Id));
        File.WriteAllLines(Path.Combine(dir, "labels.txt"), Enumerable.Range(0, n).Select(Label));
        File.WriteAllLines(Path.Combine(dir, "meta.csv"), ["key,=bad,note", .. Enumerable.Range(0, n).Select(i => $"k{i},@{i},\"{Note(i).Replace("\"", "\"\"")}\"")]);
        string outDir = Path.Combine(dir, "out");
        var run = CliHarness.Run("kmeans", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--concepts", "3", "--ids", Path.Combine(dir, "ids.txt"),
            "--labels", Path.Combine(dir, "labels.txt"), "--metadata", Path.Combine(dir, "meta.csv"), "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        string results = Path.Combine(outDir, "results.json");
        var explanations = ResultsFile.Read(results).Explanations;
        var browser = await Browser();
        var (page, errors) = await Open(browser, Path.Combine(outDir, "report.html"));

        // A concept's download: field for field the export's rows of that concept (strength and score to float32 precision).
        var concept = explanations[0].Directions[0].Concepts[0];
        string key = Key(explanations, concept);
        await page.Locator($"#card-{key} button.open-members").ClickAsync();
        var downloaded = Cli.ExportCommandTests.ParseCsv(await Download(page, page.Locator($"section.members[data-key={key}] button.dl[data-format=csv]")));
        var exported = Cli.ExportCommandTests.ParseCsv(Export(results, "csv").Stdout);
        var header = exported[0];
        Assert.Equal(header, downloaded[0]);
        Assert.Contains("'=bad", header);
        var expected = exported.Skip(1).Where(f => f[1] == explanations[0].Directions[0].Name && f[2] == "1").ToList();
        Assert.Equal(concept.Members.Length, downloaded.Count - 1);
        AssertSameRows(header, expected, downloaded.Skip(1).ToList());
        foreach (var fields in downloaded.Skip(1))
        {
            int row = int.Parse(fields[Array.IndexOf(header, "row")], CultureInfo.InvariantCulture);
            Assert.Equal(row % 6 is 2 or 5 ? Id(row) : "'" + Id(row), fields[Array.IndexOf(header, "id")]);
            Assert.Equal(row < 200 ? "'=low" : Label(row), fields[Array.IndexOf(header, "label")]);
        }

        // The current selection, as raw text: neutralized text quoted, numbers as they are.
        await page.EvaluateAsync("() => { window.rdSelection = [0, 2, 250, 451]; document.dispatchEvent(new CustomEvent('rd-selection', { detail: { indices: [0, 2, 250, 451] } })); }");
        Assert.Equal("row,id,label,key,\"'=bad\",note\n"
            + "0,\"'=1+0\",\"'=low\",k0,\"'@0\",-0.25\n"
            + "2,-2,\"'=low\",k2,\"'@2\",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"\n"
            + "250,\"'\tx250\",-1e-3,k250,\"'@250\",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"\n"
            + "451,\"'+cmd451\",high,k451,\"'@451\",\"'-2+3\"\n",
            await Download(page, page.Locator("button[data-export=selection][data-format=csv]")));
        Assert.Empty(errors);
    }

    /// <summary>
    /// The page's "Export members" download holds each text as `repdiff export` writes it, its line breaks (\n, \r\n, U+2028)
    /// kept; the page had written them as spaces, so the file it says matches the export did not. The member list still shows
    /// each text on one line.
    /// </summary>
    [ChromiumFact]
    public async Task DownloadedTextsKeepTheirLineBreaksAsTheExportDoes()
    {
        string dir = TestData.TempDir();
        const int n = 600;
        string Text(int i) => (i % 3) switch { 0 => $"first {i}\nsecond", 1 => $"left {i}\u2028right", _ => $"crlf {i}\r\nend" };
        string texts = Path.Combine(dir, "texts.jsonl");
        File.WriteAllLines(texts, Enumerable.Range(0, n).Select(i => new JsonObject { ["text"] = Text(i) }.ToJsonString()));
        string outDir = Path.Combine(dir, "out");
        var run = CliHarness.Run("kmeans", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--concepts", "3", "--texts", texts, "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        var browser = await Browser();
        var (page, errors) = await Open(browser, Path.Combine(outDir, "report.html"));

        var exported = Cli.ExportCommandTests.ParseCsv(Export(Path.Combine(outDir, "results.json"), "csv", "--texts", texts).Stdout);
        var downloaded = Cli.ExportCommandTests.ParseCsv(await Download(page, page.Locator("button[data-export=all][data-format=csv]")));
        Assert.Equal(exported[0], downloaded[0]);
        AssertSameRows(exported[0], exported.Skip(1).ToList(), downloaded.Skip(1).ToList());
        int text = Array.IndexOf(downloaded[0], "text"), row = Array.IndexOf(downloaded[0], "row");
        Assert.All(downloaded.Skip(1), fields => Assert.Equal(Text(int.Parse(fields[row], CultureInfo.InvariantCulture)), fields[text]));

        // Shown on one line in the member list.
        var card = page.Locator(".card").First;
        await card.Locator("button.open-members").ClickAsync();
        var first = page.Locator("li.member").First;
        int shownRow = int.Parse((await first.GetAttributeAsync("data-row"))!, CultureInfo.InvariantCulture);
        Assert.Equal(Text(shownRow).ReplaceLineEndings(" "), await first.Locator(".mtext").TextContentAsync());
        Assert.Empty(errors);
    }

    /// <summary>
    /// A `groups` run's downloads name each group as the user's file did, in the group column `repdiff export` writes (a
    /// concept's own list and every shown concept, as CSV and JSON); before, the rows said only method, direction and rank.
    /// </summary>
    [ChromiumFact]
    public async Task AGroupsRunsDownloadsNameEachGroupAsTheExportDoes()
    {
        string dir = TestData.TempDir();
        var planted = TestData.LoadFixture("planted_groups.npy").Data.Select(v => (int)v).ToArray();
        var lines = Enumerable.Range(0, planted.Length).Where(i => planted[i] is 2 or 3).Select(i => planted[i] == 2 ? $"cats-indoor,{i},a" : $"\"=cats, outdoor\",{i},");
        string groups = Path.Combine(dir, "groups.csv");
        File.WriteAllText(groups, "group,row,direction\n" + string.Join("\n", lines) + "\n");
        string outDir = Path.Combine(dir, "out");
        var run = CliHarness.Run("groups", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--groups", groups, "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        string results = Path.Combine(outDir, "results.json");
        var browser = await Browser();
        var (page, errors) = await Open(browser, Path.Combine(outDir, "report.html"));

        var exported = Cli.ExportCommandTests.ParseCsv(Export(results, "csv").Stdout);
        Assert.Equal("group", exported[0][3]);
        var downloaded = Cli.ExportCommandTests.ParseCsv(await Download(page, page.Locator("button[data-export=all][data-format=csv]")));
        Assert.Equal(exported[0], downloaded[0]);
        AssertSameRows(exported[0], exported.Skip(1).ToList(), downloaded.Skip(1).ToList());
        Assert.Equal(["'=cats, outdoor", "cats-indoor"], downloaded.Skip(1).Select(f => f[3]).Distinct().Order(StringComparer.Ordinal));

        var indoor = page.Locator(".card", new PageLocatorOptions { HasText = "cats-indoor" });
        await indoor.Locator("button.open-members").ClickAsync();
        var json = JsonNode.Parse(await Download(page, page.Locator("section.members:not([hidden]) button.dl[data-format=json]")))!.AsArray();
        Assert.Equal(planted.Count(g => g == 2), json.Count);
        Assert.All(json, o => Assert.Equal("cats-indoor", (string)o!["group"]!));
        Assert.Equal(exported[0], json[0]!.AsObject().Select(p => p.Key));
        Assert.Empty(errors);
    }

    /// <summary>The score as the member list prints it: as a card prints its strength, from the page's float32.</summary>
    private static string Score(double x) => HtmlReport.StrengthFigure(double.Parse(((float)x).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));

    private static void AssertSameRows(string[] header, List<string[]> expected, List<string[]> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int r = 0; r < expected.Count; r++)
            for (int j = 0; j < header.Length; j++)
                if (header[j] is "score" or "strength" && expected[r][j].Length > 0)   // an empty one (no scores) is compared as text
                    Assert.Equal(double.Parse(expected[r][j], CultureInfo.InvariantCulture), double.Parse(actual[r][j], CultureInfo.InvariantCulture), 1e-6 * Math.Max(1, Math.Abs(double.Parse(expected[r][j], CultureInfo.InvariantCulture))));
                else Assert.Equal(expected[r][j], actual[r][j]);
    }

    private static CliHarness.Outcome Export(string results, string format, params string[] more) => CliHarness.Run(["export", results, "--format", format, .. more]);

    private static async Task<string> Download(IPage page, ILocator button)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => button.ClickAsync());
        return await File.ReadAllTextAsync((await download.PathAsync())!);
    }

    [ChromiumFact]
    public async Task ImageFilesBecomeSmallThumbnailsForEveryMember()
    {
        // Pictures of 640×480 as JPEG files, one per sample of the planted fixture (30 pictures, each used by 20 samples), in a manifest.
        string dir = TestData.TempDir();
        var scenes = TestImages.Scenes(dir, 30, 640, 480);
        var jpegs = scenes.Select((png, i) =>
        {
            using var bitmap = SkiaSharp.SKBitmap.Decode(png);
            using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 90);
            string path = Path.Combine(dir, $"photo{i}.jpg");
            File.WriteAllBytes(path, data.ToArray());
            return Path.GetFileName(path);
        }).ToArray();
        File.WriteAllLines(Path.Combine(dir, "images.txt"), Enumerable.Range(0, 600).Select(i => jpegs[i % jpegs.Length]));
        string outDir = Path.Combine(dir, "out");
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(),
            ["kmeans", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--images", Path.Combine(dir, "images.txt"), "--out", outDir], stdout, stderr);
        Assert.True(code == 0, stdout + "\n" + stderr);
        long photoBytes = Enumerable.Range(0, 600).Sum(i => new FileInfo(Path.Combine(dir, jpegs[i % jpegs.Length])).Length);
        long reportBytes = new FileInfo(Path.Combine(outDir, "report.html")).Length;
        Assert.True(reportBytes < photoBytes / 4, $"report {reportBytes} bytes for {photoBytes} bytes of photos");

        var browser = await Browser();
        var (page, errors) = await Open(browser, Path.Combine(outDir, "report.html"));
        // Grid images are thumbnails that fit 96×96, and decode.
        var sizes = await page.EvaluateAsync<int[][]>("() => Array.from(document.querySelectorAll('.card .grid img')).map(i => [i.naturalWidth, i.naturalHeight, i.src.startsWith('data:image/jpeg') ? 1 : 0])");
        Assert.NotEmpty(sizes);
        Assert.All(sizes, s => Assert.Equal([96, 72, 1], s));
        // A concept's member list shows a thumbnail for every member on the page.
        var card = page.Locator(".card").First;
        await card.Locator("button.open-members").ClickAsync();
        var items = page.Locator("section.members li.member");
        int count = await items.CountAsync();
        Assert.True(count > 0);
        Assert.Equal(count, await page.Locator("section.members li.member img").CountAsync());
        await page.WaitForFunctionAsync("() => Array.from(document.querySelectorAll('section.members li.member img')).every(i => i.complete)");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => Array.from(document.querySelectorAll('section.members li.member img')).filter(i => i.naturalWidth !== 96).length"));
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task EveryCardShowsItsBsrAndChanceLevelWholeOnWideAndNarrowWindows()
    {
        var browser = await Browser();
        // 1400 px: five cards a row, about 150 px inside each, where "100 members · BSR 0.93 / 0.50" used to end in "BSR 0.…".
        foreach (int width in new[] { 1400, 390 })
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
            await page.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            // Per card line: whether it overflows its box, and whether the BSR part with its chance level lies wholly inside the card.
            var lines = await page.EvaluateAsync<string[]>(@"() => Array.from(document.querySelectorAll('.card .sub')).map(sub => {
                const card = sub.closest('.card').getBoundingClientRect();
                const bsr = Array.from(sub.querySelectorAll('span')).find(s => s.textContent.startsWith('BSR'));
                const r = bsr ? bsr.getBoundingClientRect() : null;
                return [sub.scrollWidth > sub.clientWidth ? 'overflows' : 'fits',
                        !bsr ? 'no BSR' : bsr.querySelector('small.chance') === null ? 'no chance' : r.left >= card.left && r.right <= card.right ? 'inside' : 'cut',
                        sub.textContent].join(' | ');
            })");
            Assert.NotEmpty(lines);
            Assert.All(lines, line => Assert.StartsWith("fits | inside | ", line));
            // Two decimals each, or three each where two would read them equal or reversed; † at or below chance (review 167).
            Assert.All(lines, line => Assert.Matches(@"BSR (\d\.\d\d / \d\.\d\d|\d\.\d{3} / \d\.\d{3})†?$", line));
            await page.CloseAsync();
        }
        // The BSR table's nine figures with their chance levels fit a 1280-pixel window without scrolling (helper 79: the LSED
        // columns had been hidden behind a scroll bar).
        var laptop = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        await laptop.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.True(await laptop.EvaluateAsync<bool>("() => { const t = document.querySelector('.bsr'); return t.scrollWidth <= t.clientWidth; }"));
    }

    /// <summary>
    /// A "·" between a card's items stays at the end of the item before it: with cards 160 to 200 px wide (set on the page,
    /// narrower than a window gives them), "12 members · BSR 0.94 / 0.49" had wrapped to a second line starting "· BSR".
    /// </summary>
    [ChromiumFact]
    public async Task NoLineOfACardStartsWithASeparator()
    {
        var browser = await Browser();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        var starts = new List<string>();
        for (int width = 160; width <= 200; width += 4)
        {
            // Every visible character of every card with its box; a character below the one before it starts a line.
            var lines = await page.EvaluateAsync<string[]>(@"width => {
                document.querySelectorAll('.cards').forEach(g => g.style.gridTemplateColumns = `repeat(auto-fill, ${width}px)`);
                const out = [];
                document.querySelectorAll('.card').forEach(card => {
                  let previous = null, line = '';
                  const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
                  for (let node; (node = walker.nextNode());)
                    for (let i = 0; i < node.length; i++) {
                      if (/\s/.test(node.data[i])) { line += node.data[i]; continue; }
                      const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
                      const r = range.getBoundingClientRect();
                      if (r.width === 0 && r.height === 0) continue;  // hidden (a closed details, a clamped line)
                      if (previous === null || r.top >= previous.bottom - 2) { if (line) out.push(line.trim()); line = ''; }
                      line += node.data[i]; previous = r;
                    }
                  if (line) out.push(line.trim());
                });
                return out.map(l => Math.round(document.querySelector('.card').getBoundingClientRect().width) + ' px | ' + l);
            }", width);
            Assert.Contains(lines, line => line.Contains("BSR", StringComparison.Ordinal));
            starts.AddRange(lines.Where(line => line.Split(" | ", 2)[1].StartsWith('·')));
        }
        Assert.Empty(starts);
    }


    /// <summary>
    /// Printed (print media, A5 to A4 landscape page widths), every table is whole on the page: paper has no scroll bar, so a
    /// table scrolling inside its box lost its last columns (the BSR table's LSED columns on A5; on A4, a comparison of seven
    /// methods lost "Where the methods agree"'s NMF and SAE columns). The maps come below the cards, not beside them, keep their
    /// shape, a card, a map or a plot is not split across two pages, and what the page folds away is printed unfolded.
    /// </summary>
    [ChromiumFact]
    public async Task APrintedReportShowsEveryTableWholeAndSplitsNoCardOrMap()
    {
        var browser = await Browser();
        // A page's printable width in CSS pixels with Chromium's default margins: A5 and A4 portrait, A4 landscape.
        foreach (int width in new[] { 480, 718, 1046 })
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 1000 } });
            await page.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
            var cut = await page.EvaluateAsync<string[]>(@"() => {
                const W = document.documentElement.clientWidth, out = [];
                for (const sel of ['section.bsr', '.consensus .tablewrap']) {
                  const e = document.querySelector(sel);
                  if (!e) { out.push(sel + ' missing'); continue; }
                  if (e.scrollWidth > e.clientWidth + 1) out.push(sel + ' holds ' + e.scrollWidth + ' px in ' + e.clientWidth);
                }
                if (document.documentElement.scrollWidth > W + 1) out.push('the page is ' + document.documentElement.scrollWidth + ' px wide on ' + W);
                const main = document.querySelector('main').getBoundingClientRect(), maps = document.querySelector('aside.maps').getBoundingClientRect();
                if (maps.top < main.bottom) out.push('the maps beside the cards');
                for (const sel of ['.card', 'aside figure', '.plot'])
                  document.querySelectorAll(sel).forEach(e => { const b = getComputedStyle(e).breakInside; if (b !== 'avoid' && b !== 'avoid-page') out.push(sel + ' may split across pages'); });
                return [...new Set(out)];
            }");
            Assert.True(cut.Length == 0, $"{width} px: {string.Join("; ", cut)}");
            await page.CloseAsync();
        }
        // Printing lays the page out again without redrawing the maps: their pictures, drawn for a short window's boxes, were
        // stretched to the page's taller boxes (round points drawn as ellipses, distances distorted); now each keeps its shape.
        var window = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 650 } });
        await window.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        await window.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        var stretched = await window.EvaluateAsync<string[]>(@"() => Array.from(document.querySelectorAll('canvas.map')).filter(c => c.offsetParent).flatMap(c => {
            const r = c.getBoundingClientRect(), picture = c.width / c.height, box = r.width / r.height;
            return Math.abs(picture / box - 1) > 0.02 && getComputedStyle(c).objectFit !== 'contain' ? [c.width + 'x' + c.height + ' drawn into ' + Math.round(r.width) + 'x' + Math.round(r.height)] : [];
        })");
        Assert.True(stretched.Length == 0, string.Join("; ", stretched));
        await window.CloseAsync();

        // What the page folds away (parameters and timings, coefficients by label) is printed unfolded, and folded again after.
        var printed = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        await printed.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        // Registered after the page's own listener, so it sees the page as it is printed.
        await printed.EvaluateAsync("() => { window.__folded = []; addEventListener('beforeprint', () => window.__folded.push(document.querySelectorAll('details:not([open])').length)); }");
        int folded = await printed.EvaluateAsync<int>("() => document.querySelectorAll('details:not([open])').length");
        Assert.True(folded > 0, "the report folds nothing away");
        Assert.NotEmpty(await printed.PdfAsync());
        int[] foldedWhilePrinting = await printed.EvaluateAsync<int[]>("() => window.__folded");
        Assert.Equal(new[] { 0 }, foldedWhilePrinting);
        Assert.Equal(folded, await printed.EvaluateAsync<int>("() => document.querySelectorAll('details:not([open])').length"));
        await printed.CloseAsync();
    }
}
