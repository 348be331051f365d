using System.Text.Json.Nodes;
using Microsoft.Playwright;
using RepDiff.Report;
using RepDiff.Reporting;
using RepDiff.Tests.Numerics;

namespace RepDiff.Tests.Report;

/// <summary>
/// The maps as a reader sees them, in headless Chromium (review 167): every point stands out from the map's background at 3:1
/// (F7), and on a wide, tall window the maps grow with it, drawn sharp at the screen's pixel ratio and still hit where the
/// points are.
/// </summary>
public class MapLegibilityBrowserTests(ChromiumFixture chromium) : ChromiumTests(chromium)
{
    /// <summary>Twenty labels, one blob of ten samples each, so every colour of the palette is drawn; B a linear image of A.</summary>
    private static string TwentyLabelReport()
    {
        var (a, blob) = UmapTestData.Blobs(Palette.Count, 10, 6, seed: 7, separation: 8);
        var b = new Matrix(a.Rows, 6, a.Data.Select(v => 1.5f * v).ToArray());
        var samples = new SampleInfo { Labels = new SampleLabels(blob.Select(c => "label" + c).ToArray()) };
        var pair = new RepresentationPair(a, b, samples) { NameA = "a.npy", NameB = "b.npy" };
        var members = Enumerable.Range(0, a.Rows).Where(i => blob[i] == 3).ToArray();
        var explanation = new Explanation
        {
            Method = "blobs",
            N = a.Rows,
            Parameters = new JsonObject { ["seed"] = 0 },
            Directions = [new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = [new Concept { Rank = 1, Strength = 1, Members = members, Grid = members }] }],
        };
        string path = Path.Combine(TestData.TempDir(), "report.html");
        File.WriteAllText(path, HtmlReport.Render(ReportModel.ForPair(pair, [explanation], new JsonObject(), "twenty labels", umapMaps: false)));
        return new Uri(path).AbsoluteUri;
    }

    private async Task<(IPage Page, List<string> Errors)> Open(string url, int width, int height, float pixelRatio)
    {
        var page = await (await Browser()).NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, DeviceScaleFactor = pixelRatio });
        page.SetDefaultTimeout(120_000);
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return (page, errors);
    }

    /// <summary>
    /// Each map's edge pixels, those drawn next to a background pixel (the outside of every point and every crowd): their
    /// colours with their contrast to the background, which is the corner pixel: no point reaches it (8 px of padding).
    /// </summary>
    private const string EdgesScript = """
        side => {
          const c = document.querySelector(`canvas.map[data-kind=pca][data-side=${side}]`), W = c.width, H = c.height;
          const d = c.getContext('2d').getImageData(0, 0, W, H).data, bg = [d[0], d[1], d[2]];
          const lum = p => p.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
          const ratio = (p, q) => { const x = lum(p), y = lum(q); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
          const isBg = i => d[i] === bg[0] && d[i + 1] === bg[1] && d[i + 2] === bg[2];
          const edges = new Map();
          for (let y = 0; y < H; y++)
            for (let x = 0; x < W; x++) {
              const i = (y * W + x) * 4;
              if (isBg(i)) continue;
              if (!((x > 0 && isBg(i - 4)) || (x < W - 1 && isBg(i + 4)) || (y > 0 && isBg(i - 4 * W)) || (y < H - 1 && isBg(i + 4 * W)))) continue;
              const key = `rgb(${d[i]}, ${d[i + 1]}, ${d[i + 2]})`;
              if (!edges.has(key)) edges.set(key, ratio([d[i], d[i + 1], d[i + 2]], bg));
            }
          return JSON.stringify({ background: `rgb(${bg.join(', ')})`, edges: Array.from(edges, ([colour, contrast]) => ({ colour, contrast })) });
        }
        """;

    private sealed record Edge(string Colour, double Contrast);

    /// <summary>
    /// Against the map's background (#fbfcfe) six of the twenty label colours were under 3:1 (WCAG 1.4.11), #b2df8a at 1.48, and
    /// drawn at 80% opacity every point was fainter still (#e15759 at 2.79:1). Now every point has a rim in a darker shade of
    /// its own colour: every pixel a point or a crowd shows the background is at 3:1 or more, at a pixel ratio of 1 and of 2, and
    /// each legend swatch is drawn as its points are, its fill inside a border of the very rim the map draws.
    /// </summary>
    [ChromiumFact]
    public async Task EveryPointStandsOutFromTheMapAtThreeToOne()
    {
        string url = TwentyLabelReport();
        foreach (float pixelRatio in new[] { 1f, 2f })
        {
            var (page, errors) = await Open(url, 1280, 900, pixelRatio);
            Assert.Equal("0", await page.Locator("#map-colour").InputValueAsync()); // coloured by the labels
            var swatches = await page.Locator("#map-legend .key i").EvaluateAllAsync<string[][]>(
                "items => items.map(i => { const s = getComputedStyle(i); return [s.backgroundColor, s.borderTopStyle, s.borderTopColor]; })");
            Assert.Equal(Palette.Count, swatches.Length);
            foreach (string side in new[] { "a", "b" })
            {
                var drawn = JsonNode.Parse(await page.EvaluateAsync<string>(EdgesScript, side))!;
                var edges = drawn["edges"]!.AsArray().Select(e => new Edge((string)e!["colour"]!, (double)e["contrast"]!)).ToArray();
                Assert.Equal("rgb(251, 252, 254)", (string)drawn["background"]!);
                var faint = edges.Where(e => e.Contrast < 3).OrderBy(e => e.Contrast).ToArray();
                Assert.True(faint.Length == 0, $"map {side} at pixel ratio {pixelRatio}: {faint.Length} of {edges.Length} edge colours under 3:1, e.g. "
                    + string.Join(", ", faint.Take(6).Select(e => $"{e.Colour} {e.Contrast:F2}")));
                var edgeColours = edges.Select(e => e.Colour).ToHashSet();
                Assert.All(swatches, s => Assert.True(s[1] == "solid" && edgeColours.Contains(s[2]),
                    $"map {side} at pixel ratio {pixelRatio}: the swatch filled {s[0]} has a {s[1]} border {s[2]}, not a rim the map draws"));
            }
            Assert.Empty(errors);
            await page.CloseAsync();
        }
    }

    /// <summary>
    /// The map panel was 400 px wide at any window: each map 370×308 at 1280, 1920 and 2560 px wide. On a 2560×1440 window it
    /// now takes the room the window's height gives two stacked maps, and after the window is resized the canvas is drawn again
    /// at its new size times the pixel ratio (not stretched), and hovering and clicking a point's new place finds that point.
    /// </summary>
    [ChromiumFact]
    public async Task OnAWideTallWindowTheMapsGrowAndPointsAreStillFoundWhereTheyAreDrawn()
    {
        string url = TwentyLabelReport();
        var (page, errors) = await Open(url, 1280, 900, 2);
        const string Size = "() => { const c = document.querySelector('canvas.map[data-kind=pca][data-side=a]'), r = c.getBoundingClientRect(); return [r.width, r.height, c.width, c.height]; }";
        var small = await page.EvaluateAsync<double[]>(Size);
        await page.SetViewportSizeAsync(2560, 1440);
        await page.WaitForFunctionAsync("() => { const c = document.querySelector('canvas.map[data-kind=pca][data-side=a]'); return c.width === Math.round(c.getBoundingClientRect().width * 2); }");
        var large = await page.EvaluateAsync<double[]>(Size);
        Assert.True(large[0] >= 1.6 * small[0] && large[1] >= 1.6 * small[1], $"map A {small[0]}×{small[1]} at 1280×900, {large[0]}×{large[1]} at 2560×1440");
        // Both maps and the legend still fit the sticky panel, itself within the window: grown wider, the maps are not taller than it.
        var panel = await page.EvaluateAsync<double[]>("() => { const p = document.querySelector('aside.maps .sticky'); return [p.scrollHeight, p.clientHeight, p.getBoundingClientRect().height]; }");
        Assert.True(panel[0] <= panel[1] + 1 && panel[2] <= 1440, $"the maps' panel is {panel[2]} px high in a 1440 px window and holds {panel[0]} px of {panel[1]}");
        Assert.Equal(Math.Round(large[0] * 2), large[2]);
        Assert.Equal(Math.Round(large[1] * 2), large[3]);

        // A sample, pointed at where it is now drawn: the tooltip names it, and a click selects it alone.
        const int Sample = 43; // label 3 (labels go round the twenty)
        foreach (string side in new[] { "a", "b" })
        {
            var at = await page.EvaluateAsync<double[]>($"() => {{ const p = rdMaps.point('{side}', {Sample}); return [p.x, p.y]; }}");
            await page.Mouse.MoveAsync((float)at[0], (float)at[1]);
            Assert.True(await page.Locator("#tip").IsVisibleAsync(), $"no tooltip over sample {Sample} on map {side}");
            Assert.Equal($"#{Sample} · label3", await page.Locator("#tip div").First.TextContentAsync());
            await page.Mouse.ClickAsync((float)at[0], (float)at[1]);
            Assert.Equal(new[] { Sample }, await page.EvaluateAsync<int[]>("() => window.rdSelection"));
        }

        // A caption of one line and one of two leave the maps where they are: a quarter of a pixel between them had moved and
        // redrawn the maps as the pointer went from a card to a map, which then found the sample beside the one pointed at.
        const string Placed = "() => { const r = document.querySelector('canvas.map[data-kind=pca][data-side=a]').getBoundingClientRect(), c = document.getElementById('map-caption'); const text = document.createRange(); text.selectNodeContents(c); return [r.top, r.height, c.offsetHeight, new Set(Array.from(text.getClientRects(), l => Math.round(l.top))).size]; }";
        const string Caption = "text => document.dispatchEvent(new CustomEvent('rd-highlight', { detail: { indices: [1], caption: text } }))";
        await page.EvaluateAsync(Caption, "one line");
        var one = await page.EvaluateAsync<double[]>(Placed);
        await page.EvaluateAsync(Caption, string.Join(' ', Enumerable.Repeat("two lines", 14)));
        var two = await page.EvaluateAsync<double[]>(Placed);
        Assert.Equal([1.0, 2.0], new[] { one[3], two[3] });
        Assert.True(one[2] == two[2] && one[0] == two[0] && one[1] == two[1], $"one line: map at {one[0]}, {one[1]} high, caption {one[2]}; two: {two[0]}, {two[1]}, {two[2]}");
        Assert.Empty(errors);
    }
}
