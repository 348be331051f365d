using System.Text.Json.Nodes;
using Microsoft.Playwright;
using RepDiff.Report;
using RepDiff.Reporting;
using RepDiff.Tests.Numerics;

namespace RepDiff.Tests.Report;

/// <summary>
/// The maps' search field in headless Chromium (Debian's, from file://): typing counts and outlines the samples whose id,
/// label or text holds the query, ignoring case, without touching the selection; Enter makes them the selection, as a
/// lasso does; one match also becomes the keyboard's sample with its tooltip; Escape clears the search. The expected
/// matches are computed here from the report's inputs, not read back from the page.
/// </summary>
public class MapSearchBrowserTests(ChromiumFixture chromium) : ChromiumTests(chromium)
{
    /// <summary>Long enough for the search's pause after typing on a loaded 2-core machine.</summary>
    private static readonly LocatorAssertionsToHaveTextOptions Wait = new() { Timeout = 60_000 };

    /// <summary>Three blobs of 60 (labels blob0..2); ids img_0000.JPEG …; every 30th sample from 7 speaks of a "Bank Loan".</summary>
    private static (ReportModel Model, string[] Ids, string[] Labels, string[]? Texts) Report(bool texts, bool labels)
    {
        var (a, blob) = UmapTestData.Blobs(3, 60, 4, seed: 3, separation: 6);
        var b = new Matrix(a.Rows, 4, a.Data.Select(v => 2 * v).ToArray());
        int n = a.Rows;
        var ids = Enumerable.Range(0, n).Select(i => $"img_{i:D4}.JPEG").ToArray();
        var names = blob.Select(c => "blob" + c).ToArray();
        var sentences = texts ? Enumerable.Range(0, n).Select(i => i % 30 == 7 ? $"A note about the Bank Loan of sample {i}." : $"A plain sentence, number {i}.").ToArray() : null;
        var samples = new SampleInfo { Ids = ids, Labels = labels ? new SampleLabels(names) : null, Texts = sentences };
        var pair = new RepresentationPair(a, b, samples) { NameA = "a.npy", NameB = "b.npy" };
        var members = Enumerable.Range(0, n).Where(i => blob[i] == 0).ToArray();
        var explanation = new Explanation
        {
            Method = "blobs",
            N = n,
            Parameters = new JsonObject { ["seed"] = 0 },
            Directions = [new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = [new Concept { Rank = 1, Strength = 1, Members = members, Grid = members[..9] }] }],
        };
        return (ReportModel.ForPair(pair, [explanation], new JsonObject(), "search"), ids, names, sentences);
    }

    /// <summary>The samples whose id, label or text holds the query, ignoring case: what the field must find.</summary>
    private static int[] Matching(string query, string[] ids, string[]? labels, string[]? texts) => Enumerable.Range(0, ids.Length)
        .Where(i => new[] { ids[i], labels?[i], texts?[i] }.Any(f => f is not null && f.Contains(query, StringComparison.OrdinalIgnoreCase))).ToArray();

    private async Task<(IPage Page, List<string> Errors)> Open(ReportModel model)
    {
        string path = Path.Combine(TestData.TempDir(), "report.html");
        File.WriteAllText(path, HtmlReport.Render(model));
        var page = await (await Browser()).NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1400 } });
        page.SetDefaultTimeout(120_000);
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        page.Dialog += (_, dialog) => { errors.Add("dialog: " + dialog.Message); _ = dialog.DismissAsync(); };
        await page.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return (page, errors);
    }

    /// <summary>Types the query into the field (replacing what it held) and waits for the count the field must then show.</summary>
    private static async Task Search(IPage page, string query, int matches)
    {
        await page.Locator("#map-search").FillAsync(query);
        string expected = matches == 0 ? "no sample matches" : matches == 1 ? "1 sample matches" : $"{matches:N0} samples match";
        await Assertions.Expect(page.Locator("#map-search-count")).ToHaveTextAsync(expected, Wait);
    }

    private static Task<int[]> Selection(IPage page) => page.EvaluateAsync<int[]>("() => window.rdSelection");
    private static Task<int> Outlined(IPage page, string side) => page.EvaluateAsync<int>($"() => rdMaps.outlined().{side}");

    [ChromiumFact]
    public async Task TypingCountsAndOutlinesTheMatchesAndEnterSelectsThem()
    {
        var (model, ids, labels, texts) = Report(texts: true, labels: true);
        var (page, errors) = await Open(model);
        await page.EvaluateAsync("() => { window.selections = []; document.addEventListener('rd-selection', e => selections.push(e.detail.indices.length)); }");

        // One field for both maps, named for screen readers by what these samples have.
        var field = page.Locator("#map-search");
        Assert.StartsWith("Find samples on both maps by id, label or text", await field.GetAttributeAsync("aria-label"));
        Assert.Equal("status", await page.Locator("#map-search-count").GetAttributeAsync("role"));

        // A phrase of the texts, typed in another case: the count and the outlines in both maps; the selection untouched.
        var loan = Matching("bank loan", ids, labels, texts);
        Assert.Equal(6, loan.Length);
        await Search(page, "bank LOAN", loan.Length);
        Assert.Equal(loan.Length, await Outlined(page, "a"));
        Assert.Equal(loan.Length, await Outlined(page, "b"));
        Assert.Empty(await Selection(page));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        Assert.Equal("none (select a card, or drag on a map)", await page.Locator("#export-selection").TextContentAsync());

        // Enter: exactly the matching samples become the selection; the other map, the export bar and the live region follow.
        await field.PressAsync("Enter");
        Assert.Equal(loan, await Selection(page));
        Assert.Equal(loan.Length, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        Assert.Equal(loan.Length, await page.EvaluateAsync<int>("() => rdMaps.lit().b"));
        Assert.Equal($"{loan.Length} samples selected on the map", await page.Locator("#export-selection").TextContentAsync());
        Assert.True(await page.Locator("button[data-export=selection][data-format=csv]").IsEnabledAsync());
        Assert.StartsWith($"Selection: {loan.Length} samples (", await page.Locator("#map-caption").TextContentAsync());
        Assert.Equal($"{loan.Length} samples selected.", await page.Locator("#map-live").TextContentAsync());

        // A label, in capitals: a third of the samples.
        var blob1 = Matching("blob1", ids, labels, texts);
        Assert.Equal(60, blob1.Length);
        await Search(page, "BLOB1", blob1.Length);
        Assert.Equal(blob1.Length, await Outlined(page, "b"));
        Assert.Equal(loan, await Selection(page));

        // Escape in the field clears the search and its outlines, and leaves the selection as it was.
        await field.PressAsync("Escape");
        Assert.Equal("", await field.InputValueAsync());
        Assert.Equal("", await page.Locator("#map-search-count").TextContentAsync());
        Assert.Equal(0, await Outlined(page, "a"));
        Assert.Equal(0, await Outlined(page, "b"));
        Assert.Equal(loan, await Selection(page));
        Assert.Equal(loan.Length, await page.EvaluateAsync<int>("() => rdMaps.lit().b"));

        // No match: the count says so, nothing is outlined, and Enter leaves the selection alone.
        Assert.Empty(Matching("zebra", ids, labels, texts));
        await Search(page, "zebra", 0);
        Assert.Equal(0, await Outlined(page, "a"));
        await field.PressAsync("Enter");
        Assert.Equal(loan, await Selection(page));
        Assert.Equal("No sample matches; the selection is unchanged.", await page.Locator("#map-live").TextContentAsync());
        Assert.Equal(new[] { loan.Length }, await page.EvaluateAsync<int[]>("() => selections"));
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task OneMatchBecomesTheKeyboardsSampleWithItsTooltip()
    {
        var (model, ids, labels, texts) = Report(texts: true, labels: true);
        var (page, errors) = await Open(model);
        var field = page.Locator("#map-search");

        // An id typed in another case finds its one sample.
        var one = Matching("IMG_0042.jpeg", ids, labels, texts);
        Assert.Equal([42], one);
        await Search(page, "IMG_0042.jpeg", 1);
        Assert.Null(await page.EvaluateAsync<int?>("() => rdMaps.focused()"));
        Assert.False(await page.Locator("#tip").IsVisibleAsync());

        // Enter selects it, moves the keyboard's sample there and shows its tooltip, as an arrow key onto it would.
        await field.PressAsync("Enter");
        Assert.Equal(new[] { 42 }, await Selection(page));
        Assert.Equal(42, await page.EvaluateAsync<int>("() => rdMaps.focused()"));
        Assert.True(await page.Locator("#tip").IsVisibleAsync(), "no tooltip for the one match");
        // Named by its id, as its card names it (the tooltip had said "#42", a row no file of the user's names).
        Assert.Equal($"img_0042.JPEG · {labels[42]}", await page.Locator("#tip div").First.TextContentAsync());
        Assert.Contains(texts![42], await page.Locator("#tip").TextContentAsync());
        Assert.Equal($"1 sample selected: img_0042.JPEG · {labels[42]}", await page.Locator("#map-live").TextContentAsync());
        Assert.Equal("1 sample selected on the map", await page.Locator("#export-selection").TextContentAsync());
        // The tooltip points at the sample on A's map.
        var tip = (await page.Locator("#tip").BoundingBoxAsync())!;
        var point = await page.EvaluateAsync<float[]>("() => { const p = rdMaps.point('a', 42); return [p.x, p.y]; }");
        Assert.True(Math.Abs(tip.X - (point[0] + 14)) < 1 || Math.Abs(tip.X + tip.Width - (point[0] - 14)) < 1, $"tooltip at x {tip.X}, sample at {point[0]}");

        // Tab goes on to A's map from that sample: the arrows walk on from it.
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.Locator(".mapbox[data-kind=pca][data-side=a]").EvaluateAsync<bool>("m => document.activeElement === m"), "Tab did not reach A's PCA map");
        Assert.Equal(42, await page.EvaluateAsync<int>("() => rdMaps.focused()"));
        Assert.StartsWith("img_0042.JPEG · ", await page.Locator("#map-live").TextContentAsync());
        Assert.EndsWith("; selected", await page.Locator("#map-live").TextContentAsync());

        // "#17", as the member list names a sample, finds sample 17 alone (no id, label or text holds it).
        Assert.Empty(Matching("#17", ids, labels, texts));
        await field.FocusAsync();
        Assert.False(await page.Locator("#tip").IsVisibleAsync());
        await Search(page, "#17", 1);
        await field.PressAsync("Enter");
        Assert.Equal(new[] { 17 }, await Selection(page));
        Assert.Equal(17, await page.EvaluateAsync<int>("() => rdMaps.focused()"));
        // Leaving the field takes its tooltip away.
        await page.Locator("#map-colour").FocusAsync();
        Assert.False(await page.Locator("#tip").IsVisibleAsync());
        Assert.Empty(errors);
    }

    /// <summary>A report with ids only (no labels, no texts) searches the ids, and says so.</summary>
    [ChromiumFact]
    public async Task AReportWithIdsOnlySearchesTheIds()
    {
        var (model, ids, _, _) = Report(texts: false, labels: false);
        var (page, errors) = await Open(model);
        Assert.Equal("find samples by id", await page.Locator("#map-search").GetAttributeAsync("placeholder"));
        var tens = Matching("_001", ids, null, null);
        Assert.Equal(10, tens.Length);
        await Search(page, "_001", tens.Length);
        await page.Locator("#map-search").PressAsync("Enter");
        Assert.Equal(tens, await Selection(page));
        // A sentence of the other report finds nothing here.
        await Search(page, "bank loan", 0);
        Assert.Empty(errors);
    }
}
