using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Report;

/// <summary>
/// `repdiff kmeans` of the small planted pair (120 samples) where every string the user gave is Hebrew: the ids, the labels,
/// a metadata column's name and values, and a word of each text, chosen by planted group so the cards list them as
/// over-represented. Run once when a test first needs it.
/// </summary>
public sealed class RightToLeftReportFixture
{
    public const string Column = "קבוצה";
    public static readonly string[] Labels = ["אלף", "בית", "גימל", "דלת", "הא", "וו"];
    public static readonly string[] Values = ["ראשון", "שני", "שלישי", "רביעי", "חמישי", "שישי"];
    public static readonly string[] Words = ["ירוק", "כחול", "אדום", "צהוב", "סגול", "כתום"];
    public static string Id(int i) => $"פריט-{i}";

    private readonly Lazy<string> outDir = new(() =>
    {
        string dir = TestData.TempDir();
        var (a, b, groups) = CliHarness.SmallPair(dir, rows: 120);
        var group = File.ReadAllLines(groups).Select(int.Parse).ToArray();
        string labels = Path.Combine(dir, "labels.txt"), ids = Path.Combine(dir, "ids.txt"), metadata = Path.Combine(dir, "meta.csv"), texts = Path.Combine(dir, "texts.txt");
        File.WriteAllLines(labels, group.Select(g => Labels[g % Labels.Length]));
        File.WriteAllLines(ids, group.Select((_, i) => Id(i)));
        File.WriteAllLines(metadata, [Column, .. group.Select(g => Values[g % Values.Length])]);
        File.WriteAllLines(texts, group.Select((g, i) => $"{Words[g % Words.Length]} and some words {i % 7}"));
        string output = Path.Combine(dir, "out");
        var run = CliHarness.Run("kmeans", a, b, "--labels", labels, "--ids", ids, "--metadata", metadata, "--texts", texts, "--out", output);
        Assert.True(run.Code == 0, run.Stderr);
        return output;
    });

    public string Report => Path.Combine(outDir.Value, "report.html");
    public string Results => Path.Combine(outDir.Value, "results.json");
}

/// <summary>
/// Right-to-left strings the report writes beside numbers and other strings are each isolated, so neither carries its
/// neighbours into its own order: a card's over-represented values ("קבוצה: 73% 'ראשון'" had read "'ראשון' 73% :קבוצה"),
/// the member list's table of them, a card's words, the map legend's entries, and the tooltip's lines (an id and its label,
/// a column and its value). h166 had isolated labels, ids and names; these were left (review 167).
/// </summary>
public class RightToLeftIsolationBrowserTests(RightToLeftReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium), IClassFixture<RightToLeftReportFixture>
{
    private static readonly string Values = string.Join("|", RightToLeftReportFixture.Values);

    /// <summary>The card's markup: the column and value in a bdi each, a word in a bdi; results.json's phrase stays plain.</summary>
    [Fact]
    public void CardsIsolateEnrichedValuesAndWordsAndResultsKeepThePlainPhrase()
    {
        string html = File.ReadAllText(report.Report);
        var enriched = Regex.Matches(html, $"<li title=\"[^\"]*\"><bdi>{RightToLeftReportFixture.Column}</bdi>: \\d+% &#39;<bdi>({Values})</bdi>&#39; \\(whole set \\d+%\\)</li>");
        Assert.True(enriched.Count > 0, "no card lists the metadata column's value isolated");
        Assert.DoesNotContain($">{RightToLeftReportFixture.Column}: ", html);
        Assert.Matches($"<b><bdi>({string.Join("|", RightToLeftReportFixture.Words)})</bdi></b> in \\d+%", html);

        var phrases = JsonNode.Parse(File.ReadAllText(report.Results))!["directions"]!.AsArray()
            .SelectMany(d => d!["concepts"]!.AsArray()).SelectMany(c => c!["enrichment"]?.AsArray() ?? []).Select(e => (string)e!["phrase"]!).ToList();
        Assert.NotEmpty(phrases);
        Assert.All(phrases, p => Assert.Matches("^\\d+% '[^'\u2068\u2069]+' \\(whole set \\d+%\\)$", p));
    }

    /// <summary>Where each piece of a line is drawn: [left, right] of the first occurrence of a string in an element's text.</summary>
    private const string BoxScript = @"(el, s) => {
        const at = el.textContent.indexOf(s);
        if (at < 0) return null;
        const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), range = document.createRange();
        let seen = 0, started = false;
        for (let node; (node = walk.nextNode());) {
          const length = node.data.length;
          if (!started && at < seen + length) { range.setStart(node, at - seen); started = true; }
          if (started && at + s.length <= seen + length) { range.setEnd(node, at + s.length - seen); break; }
          seen += length;
        }
        const r = range.getBoundingClientRect();
        return [r.left, r.right];
      }";

    /// <summary>The pieces of an element's line, in reading order, drawn left to right without overlapping.</summary>
    private static async Task AssertLeftToRight(ILocator line, params string[] pieces)
    {
        var boxes = new List<float[]>();
        foreach (var piece in pieces)
            boxes.Add(await line.EvaluateAsync<float[]?>($"(el, s) => ({BoxScript})(el, s)", piece)
                ?? throw new Xunit.Sdk.XunitException($"'{piece}' is not in '{await line.TextContentAsync()}'"));
        for (int k = 1; k < boxes.Count; k++)
            Assert.True(boxes[k - 1][1] <= boxes[k][0] + 0.5, $"'{pieces[k - 1]}' ({boxes[k - 1][0]:F0}–{boxes[k - 1][1]:F0}) is not left of '{pieces[k]}' ({boxes[k][0]:F0}–{boxes[k][1]:F0}) in '{await line.TextContentAsync()}'");
    }

    [ChromiumFact]
    public async Task RightToLeftStringsKeepTheirPlaceInCardsMemberListsLegendAndTooltips()
    {
        var page = await (await Browser()).NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        // A card's over-represented value: the column, its share, then the value (the line may wrap after it).
        var item = page.Locator(".card .enriched li", new PageLocatorOptions { HasTextRegex = new Regex("^" + RightToLeftReportFixture.Column) }).First;
        string text = (await item.TextContentAsync())!;
        var parts = Regex.Match(text, $"^{RightToLeftReportFixture.Column}: (\\d+%) '({Values})'");
        Assert.True(parts.Success, text);
        await AssertLeftToRight(item, RightToLeftReportFixture.Column, parts.Groups[1].Value, parts.Groups[2].Value);

        // The same in the member list's table, written by the script from the page data.
        var card = page.Locator(".card", new PageLocatorOptions { Has = page.Locator(".enriched li", new PageLocatorOptions { HasTextRegex = new Regex("^" + RightToLeftReportFixture.Column) }) }).First;
        await card.Locator("button.open-members").ClickAsync();
        var cell = page.Locator("section.members table.enrichment td", new PageLocatorOptions { HasTextRegex = new Regex(RightToLeftReportFixture.Column + "\u2069?: ") }).First;
        string cellText = (await cell.TextContentAsync())!;
        var cellParts = Regex.Match(cellText, $"{RightToLeftReportFixture.Column}\u2069?: (\\d+%) '\u2068?({Values})\u2069?'");
        Assert.True(cellParts.Success, cellText);
        await AssertLeftToRight(cell, RightToLeftReportFixture.Column, cellParts.Groups[1].Value, cellParts.Groups[2].Value);

        // The legend: each label in a bdi, isolated in the entry's title.
        var keys = page.Locator("#map-legend .key");
        Assert.True(await keys.CountAsync() >= 5);
        var entries = await page.EvaluateAsync<string[][]>("() => Array.from(document.querySelectorAll('#map-legend .key')).map(k => [k.textContent, k.querySelector('bdi') ? k.querySelector('bdi').textContent : '', k.parentElement.title])");
        Assert.All(entries, e =>
        {
            Assert.Equal(e[0], e[1]);
            Assert.Equal($"\u2068{e[0]}\u2069: outline these samples on both maps", e[2]);
        });
        Assert.Contains(entries, e => RightToLeftReportFixture.Labels.Contains(e[0]));
        // Pressed, the count beside the search field names it in a bdi.
        await keys.First.ClickAsync();
        Assert.Matches("^\\d+ samples? coloured as .+ outlined$", (await page.Locator("#map-search-count").TextContentAsync())!);
        Assert.Equal(entries[0][0], await page.Locator("#map-search-count bdi").TextContentAsync());
        await keys.First.ClickAsync();

        // A tooltip, the maps coloured by the metadata column: the id left of its label, the column left of its value.
        await page.Locator("#map-colour").SelectOptionAsync(new SelectOptionValue { Label = RightToLeftReportFixture.Column });
        await page.Locator("canvas.overlay[data-kind=pca][data-side=a]").ScrollIntoViewIfNeededAsync();
        var point = await page.EvaluateAsync<float[]>("() => { const p = rdMaps.point('a', 7); return [p.x, p.y]; }");
        await page.Mouse.MoveAsync(point[0], point[1]);
        Assert.True(await page.Locator("#tip").IsVisibleAsync());
        var lines = page.Locator("#tip div");
        var sample = Regex.Match((await lines.Nth(0).TextContentAsync())!, "^(פריט-\\d+) · (.+)$");
        Assert.True(sample.Success, await lines.Nth(0).TextContentAsync());
        Assert.Contains(sample.Groups[2].Value, RightToLeftReportFixture.Labels);
        await AssertLeftToRight(lines.Nth(0), sample.Groups[1].Value, "·", sample.Groups[2].Value);
        var coloured = Regex.Match((await lines.Nth(1).TextContentAsync())!, $"^{RightToLeftReportFixture.Column}: ({Values})$");
        Assert.True(coloured.Success, await lines.Nth(1).TextContentAsync());
        await AssertLeftToRight(lines.Nth(1), RightToLeftReportFixture.Column, coloured.Groups[1].Value);
    }
}
