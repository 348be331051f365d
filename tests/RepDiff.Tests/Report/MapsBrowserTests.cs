using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using RepDiff.Report;
using RepDiff.Reporting;
using RepDiff.Tests.Numerics;
using Xunit.Abstractions;

namespace RepDiff.Tests.Report;

/// <summary>
/// The canvas maps in headless Chromium (Debian's, from file://): the PCA/UMAP switch, colouring by labels and
/// metadata, a lasso selection lighting the same samples in both maps, the rd-highlight / rd-selection events, and
/// a 100,000-sample report (its load time is printed for docs/benchmarks.md, never asserted).
/// </summary>
public class MapsBrowserTests(ITestOutputHelper output, ChromiumFixture chromium) : ChromiumTests(chromium)
{
    /// <summary>Three Gaussian blobs in A, B a linear image of A; labels are the blobs, metadata a text and a number column.</summary>
    private static (RepresentationPair Pair, Explanation Explanation) Blobs(int perCluster, int dims)
    {
        var (a, blob) = UmapTestData.Blobs(3, perCluster, dims, seed: 4, separation: 6);
        var b = new Matrix(a.Rows, dims, a.Data.Select((v, k) => 2 * v + (k % dims == 0 ? 1 : 0)).ToArray());
        int n = a.Rows;
        var metadata = new SampleMetadata(
        [
            new MetadataColumn("genre", Enumerable.Range(0, n).Select(i => i % 5 == 0 ? null : (i % 2 == 0 ? "romance" : "news")).ToArray()),
            new MetadataColumn("score", Enumerable.Range(0, n).Select(i => (i * 0.37 % 100).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()),
        ], n);
        var samples = new SampleInfo { Labels = new SampleLabels(blob.Select(c => "blob" + c).ToArray()), Metadata = metadata };
        var pair = new RepresentationPair(a, b, samples) { NameA = "a.npy", NameB = "b.npy" };
        Concept Blob(int c, int rank)
        {
            var members = Enumerable.Range(0, n).Where(i => blob[i] == c).ToArray();
            return new Concept { Rank = rank, Strength = 1.0 / rank, Members = members, Grid = members[..9] };
        }
        var explanation = new Explanation
        {
            Method = "blobs",
            N = n,
            Parameters = new JsonObject { ["seed"] = 0 },
            Directions =
            [
                new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = [Blob(0, 1), Blob(1, 2)] },
                new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b", Concepts = [Blob(2, 1)] },
            ],
        };
        return (pair, explanation);
    }

    private static string Write(string html)
    {
        string path = Path.Combine(TestData.TempDir(), "report.html");
        File.WriteAllText(path, html);
        return new Uri(path).AbsoluteUri;
    }

    /// <summary>A report at url in a 1400×1400 page, with the page's console errors and uncaught exceptions collected.</summary>
    private static async Task<(IPage Page, List<string> Errors)> Open(IBrowser browser, string url)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1400 } });
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return (page, errors);
    }

    [ChromiumFact]
    public async Task MapsSwitchColourAndSelectInBothMaps()
    {
        var (pair, explanation) = Blobs(100, 5);
        int n = pair.N;
        string url = Write(HtmlReport.Render(ReportModel.ForPair(pair, [explanation], new JsonObject(), "maps")));
        var browser = await Browser();
        var (page, errors) = await Open(browser, url);
        await page.EvaluateAsync("() => { window.events = []; document.addEventListener('rd-highlight', e => events.push(['h', e.detail.indices ? e.detail.indices.length : null])); document.addEventListener('rd-selection', e => events.push(['s', e.detail.indices.length])); }");

        // Hovering a card dispatches rd-highlight with its members; both maps light them.
        await page.Locator(".card").First.HoverAsync();
        int members = explanation.Directions[0].Concepts[0].Members.Length;
        Assert.Equal(members, await page.EvaluateAsync<int>("() => events.filter(e => e[0] === 'h').pop()[1]"));
        Assert.Equal(members, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        Assert.Equal(members, await page.EvaluateAsync<int>("() => rdMaps.lit().b"));
        await page.Mouse.MoveAsync(1, 1);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));

        // Any code can highlight through the event; indices outside the maps are counted in the caption.
        await page.EvaluateAsync("() => document.dispatchEvent(new CustomEvent('rd-highlight', { detail: { indices: [0, 1, 2, 99999], caption: 'three' } }))");
        Assert.Equal(3, await page.EvaluateAsync<int>("() => rdMaps.lit().b"));
        Assert.StartsWith("three (1 of them not in the maps)", await page.Locator("#map-caption").TextContentAsync());
        await page.EvaluateAsync("() => document.dispatchEvent(new CustomEvent('rd-highlight', { detail: { indices: null, caption: '' } }))");

        // A lasso around the whole of A's map selects every sample; B lights the same ones; rd-selection says so.
        var box = (await page.Locator("canvas.overlay[data-kind=pca][data-side=a]").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + 1, box.Y + 1);
        await page.Mouse.DownAsync();
        foreach (var (x, y) in new[] { (box.Width - 1, 1f), (box.Width - 1, box.Height - 1), (1f, box.Height - 1), (1f, 2f) })
            await page.Mouse.MoveAsync(box.X + x, box.Y + y, new MouseMoveOptions { Steps = 3 });
        await page.Mouse.UpAsync();
        Assert.Equal(n, await page.EvaluateAsync<int>("() => window.rdSelection.length"));
        Assert.Equal(n, await page.EvaluateAsync<int>("() => events.filter(e => e[0] === 's').pop()[1]"));
        Assert.Equal(n, await page.EvaluateAsync<int>("() => rdMaps.lit().b"));

        // A lasso around one blob in B's map selects exactly that blob's samples (B is a linear image of A).
        var blob = explanation.Directions[1].Concepts[0].Members;
        var bounds = await page.EvaluateAsync<float[]>($"() => {{ const ps = [{string.Join(",", blob)}].map(i => rdMaps.point('b', i)), xs = ps.map(p => p.x), ys = ps.map(p => p.y); return [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]; }}");
        var centre = new[] { (bounds[0] + bounds[1]) / 2, (bounds[2] + bounds[3]) / 2, bounds[1] - bounds[0], bounds[3] - bounds[2] };
        float rx = centre[2] / 2 + 4, ry = centre[3] / 2 + 4;
        await page.Mouse.MoveAsync(centre[0] - rx, centre[1] - ry);
        await page.Mouse.DownAsync();
        foreach (var (x, y) in new[] { (rx, -ry), (rx, ry), (-rx, ry), (-rx, -ry + 1) })
            await page.Mouse.MoveAsync(centre[0] + x, centre[1] + y, new MouseMoveOptions { Steps = 3 });
        await page.Mouse.UpAsync();
        Assert.Equal(blob, await page.EvaluateAsync<int[]>("() => window.rdSelection"));
        Assert.Equal(blob.Length, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));

        Assert.Empty(errors);

        // Clicking an empty corner clears the selection.
        await page.Mouse.ClickAsync(box.X + 2, box.Y + 2);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.rdSelection.length"));
        Assert.False(await page.Locator("#map-clear").IsVisibleAsync());

        // Clicking a point selects that one sample, counted in the singular (it read "1 samples").
        var one = await page.EvaluateAsync<float[]>("() => { const p = rdMaps.point('a', 7); return [p.x, p.y]; }");
        await page.Mouse.ClickAsync(one[0], one[1]);
        Assert.Single(await page.EvaluateAsync<int[]>("() => window.rdSelection"));
        Assert.Equal("1 sample selected on the map", await page.Locator("#export-selection").TextContentAsync());
        Assert.StartsWith("Selection: 1 sample (", await page.Locator("#map-caption").TextContentAsync());
        await page.Mouse.ClickAsync(box.X + 2, box.Y + 2);
        Assert.Empty(await page.EvaluateAsync<int[]>("() => window.rdSelection"));

        // Colouring: labels by default (three blobs), a text column by its values, a number column as a ramp.
        Assert.Equal(["blob0", "blob1", "blob2"], await page.Locator("#map-legend span").AllTextContentsAsync());
        await page.Locator("#map-colour").SelectOptionAsync(new SelectOptionValue { Label = "genre" });
        Assert.Equal(["news", "romance", "missing"], await page.Locator("#map-legend span").AllTextContentsAsync());
        Assert.NotEqual(await page.EvaluateAsync<string>("() => rdMaps.colour(1)"), await page.EvaluateAsync<string>("() => rdMaps.colour(2)"));
        await page.Locator("#map-colour").SelectOptionAsync(new SelectOptionValue { Label = "score" });
        Assert.Equal(1, await page.Locator("#map-legend .ramp").CountAsync());
        Assert.Equal("0", await page.Locator("#map-legend .ramp span").First.TextContentAsync());
        Assert.NotEqual(await page.EvaluateAsync<string>("() => rdMaps.colour(1)"), await page.EvaluateAsync<string>("() => rdMaps.colour(200)"));

        // The UMAP switch shows UMAP maps of both models and keeps the card's highlight.
        await page.Locator(".card").Nth(2).ClickAsync();
        await page.Locator(".maptabs button[data-kind=umap]").ClickAsync();
        Assert.True(await page.Locator(".mapset[data-kind=umap]").IsVisibleAsync());
        Assert.False(await page.Locator(".mapset[data-kind=pca]").IsVisibleAsync());
        Assert.Equal("umap", await page.EvaluateAsync<string>("() => rdMaps.kind()"));
        Assert.Equal(blob.Length, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        Assert.Equal(blob.Length, await page.EvaluateAsync<int>("() => rdMaps.lit().b"));

        // Hovering a point shows its label and the colouring column's value.
        var p = await page.EvaluateAsync<float[]>("() => { const p = rdMaps.point('a', 7); return [p.x, p.y]; }");
        await page.Mouse.MoveAsync(p[0], p[1]);
        Assert.True(await page.Locator("#tip").IsVisibleAsync());
        var lines = await page.Locator("#tip div").AllTextContentsAsync();
        Assert.Matches(@"^#\d+ · blob\d$", lines[0]);
        Assert.StartsWith("score: ", lines[1]);
        Assert.Empty(errors);
    }

    /// <summary>
    /// The maps from the keyboard alone: Tab reaches A's PCA map, the arrow keys move a focus ring to the nearest sample in
    /// that direction (announced in the live region and shown in the tooltip), Enter and Space add it to and remove it
    /// from the selection that B's map and the export bar follow, Escape clears it. Before, the maps took the mouse only.
    /// </summary>
    [ChromiumFact]
    public async Task MapsWorkFromTheKeyboard()
    {
        var (pair, explanation) = Blobs(100, 5);
        int n = pair.N;
        string url = Write(HtmlReport.Render(ReportModel.ForPair(pair, [explanation], new JsonObject(), "maps")));
        var browser = await Browser();
        var (page, errors) = await Open(browser, url);
        await page.EvaluateAsync("() => { window.selections = []; document.addEventListener('rd-selection', e => selections.push(e.detail.indices.length)); }");

        // Each map says what it shows and which keys work; Tab from the search field (after the colour choice) lands on A's PCA map.
        var map = page.Locator(".mapbox[data-kind=pca][data-side=a]");
        Assert.Equal("0", await map.GetAttributeAsync("tabindex"));
        Assert.Equal("application", await map.GetAttributeAsync("role"));
        string label = (await map.GetAttributeAsync("aria-label"))!;
        Assert.StartsWith($"PCA map of A, {n} samples.", label);
        Assert.Contains("Arrow keys", label);
        Assert.Contains("Escape", label);
        await page.Locator("#map-colour").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.Locator("#map-search").EvaluateAsync<bool>("f => document.activeElement === f"), "Tab did not reach the search field");
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await map.EvaluateAsync<bool>("m => document.activeElement === m"), "Tab did not reach A's PCA map");
        var live = page.Locator("#map-live");
        Assert.Equal("polite", await live.GetAttributeAsync("aria-live"));

        // The first arrow key focuses the sample nearest the map's centre.
        await page.Keyboard.PressAsync("ArrowRight");
        int first = await page.EvaluateAsync<int>("() => rdMaps.focused()");
        Assert.Equal("ok", await page.EvaluateAsync<string>("""
            ([s, n]) => {
              const r = document.querySelector('.mapbox[data-kind=pca][data-side=a]').getBoundingClientRect(), cx = r.left + r.width / 2, cy = r.top + r.height / 2;
              const d = i => { const p = rdMaps.point('a', i); return (p.x - cx) ** 2 + (p.y - cy) ** 2; };
              for (let i = 0; i < n; i++) if (d(i) < d(s) - 1e-6) return 'sample ' + i + ' is nearer the centre';
              return 'ok';
            }
            """, new[] { first, n }));

        // Each arrow moves to the nearest sample within 45 degrees of its direction; the live region and the tooltip name it.
        const string NearestThatWay = """
            ([s, t, ux, uy, n]) => {
              const a = rdMaps.point('a', s), p = i => rdMaps.point('a', i), d = q => (q.x - a.x) ** 2 + (q.y - a.y) ** 2;
              const inCone = q => { const dx = q.x - a.x, dy = q.y - a.y, along = dx * ux + dy * uy; return along > 1e-6 && Math.abs(dx * uy - dy * ux) <= along + 1e-6; };
              if (!inCone(p(t))) return 'sample ' + t + ' is not that way from ' + s;
              for (let i = 0; i < n; i++) if (i !== s && i !== t && inCone(p(i)) && d(p(i)) < d(p(t)) - 1e-6) return 'sample ' + i + ' is nearer that way';
              return 'ok';
            }
            """;
        int at = first;
        foreach (var (key, ux, uy) in new[] { ("ArrowRight", 1, 0), ("ArrowUp", 0, -1), ("ArrowLeft", -1, 0), ("ArrowDown", 0, 1) })
        {
            await page.Keyboard.PressAsync(key);
            int next = await page.EvaluateAsync<int>("() => rdMaps.focused()");
            // At the map's edge the ring stays and the live region says so; none of these moves starts at an edge.
            Assert.Equal("ok", await page.EvaluateAsync<string>(NearestThatWay, new[] { at, next, ux, uy, n }));
            string said = (await live.TextContentAsync())!;
            Assert.Matches($"^#{next} · blob\\d", said);
            Assert.True(await page.Locator("#tip").IsVisibleAsync(), $"no tooltip after {key}");
            Assert.StartsWith((await page.Locator("#tip div").First.TextContentAsync())!, said);
            at = next;
        }

        // Enter adds the focused sample to the selection: B's map lights it, the export bar counts it.
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal([at], await page.EvaluateAsync<int[]>("() => window.rdSelection"));
        Assert.Equal(1, await page.EvaluateAsync<int>("() => rdMaps.lit().b"));
        Assert.Equal("1 sample selected on the map", await page.Locator("#export-selection").TextContentAsync());
        Assert.True(await page.Locator("button[data-export=selection][data-format=csv]").IsEnabledAsync());
        Assert.Contains("added to the selection (1 sample)", await live.TextContentAsync());

        // Space adds another; Tab goes on to B's map at the same sample, announced as selected; Space there removes it.
        await page.Keyboard.PressAsync("ArrowRight");
        int second = await page.EvaluateAsync<int>("() => rdMaps.focused()");
        await page.Keyboard.PressAsync(" ");
        Assert.Equal(new[] { at, second }.Order(), await page.EvaluateAsync<int[]>("() => window.rdSelection"));
        Assert.Equal(2, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        Assert.Equal(2, await page.EvaluateAsync<int>("() => rdMaps.lit().b"));
        Assert.Equal("2 samples selected on the map", await page.Locator("#export-selection").TextContentAsync());
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.Locator(".mapbox[data-kind=pca][data-side=b]").EvaluateAsync<bool>("m => document.activeElement === m"), "Tab did not reach B's PCA map");
        Assert.Equal(second, await page.EvaluateAsync<int>("() => rdMaps.focused()"));
        string again = (await live.TextContentAsync())!;
        Assert.StartsWith($"#{second} · ", again);
        Assert.EndsWith("; selected", again);
        await page.Keyboard.PressAsync(" ");
        Assert.Equal([at], await page.EvaluateAsync<int[]>("() => window.rdSelection"));
        Assert.Contains("removed from the selection (1 sample)", await live.TextContentAsync());

        // Escape clears the selection and the ring, as clicking an empty spot clears the selection.
        await page.Keyboard.PressAsync("Escape");
        Assert.Empty(await page.EvaluateAsync<int[]>("() => window.rdSelection"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => rdMaps.lit().b"));
        Assert.Equal("none (select a card, or drag on a map)", await page.Locator("#export-selection").TextContentAsync());
        Assert.False(await page.Locator("#tip").IsVisibleAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => rdMaps.focused()"));
        Assert.Equal("Selection cleared.", await live.TextContentAsync());
        int[] selections = await page.EvaluateAsync<int[]>("() => selections");
        Assert.Equal([1, 2, 1, 0], selections);

        // Leaving the maps takes the ring and the tooltip away.
        await page.Keyboard.PressAsync("ArrowRight");
        Assert.True(await page.Locator("#tip").IsVisibleAsync());
        await page.Keyboard.PressAsync("Tab");
        Assert.False(await page.Locator("#tip").IsVisibleAsync());
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task HundredThousandSamplesOpenWithEveryPoint()
    {
        const int perCluster = 33_334;
        var (pair, explanation) = Blobs(perCluster, 8);
        int n = pair.N;
        var clock = Stopwatch.StartNew();
        var members = explanation.Directions.SelectMany(d => d.Concepts).SelectMany(c => c.Members);
        // PCA only: UMAP of 100,000 points is measured in docs/benchmarks.md, not in a test.
        var model = new ReportModel
        {
            Title = "100k", Explanations = [explanation], NameA = "a", NameB = "b", N = n, Samples = pair.Samples,
            Maps = SampleMaps.Compute(pair, members, umap: false),
        };
        string html = HtmlReport.Render(model);
        double renderSeconds = clock.Elapsed.TotalSeconds;
        string url = Write(html);
        Assert.Equal(n, model.Maps!.Samples.Length);
        Assert.DoesNotContain("The maps show", html);

        var browser = await Browser();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1400 } });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        clock.Restart();
        await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        double wall = clock.Elapsed.TotalSeconds;
        var timing = await page.EvaluateAsync<double[]>("() => { const t = performance.getEntriesByType('navigation')[0]; return [t.domContentLoadedEventEnd, t.loadEventEnd, rdMaps.ready, rdMaps.started, t.responseEnd, rdMaps.decoded]; }");

        // Responsive: highlighting a third of the samples and a lasso over everything, each timed in the page.
        double highlightMs = await page.EvaluateAsync<double>("() => { const ids = Array.from({ length: 33334 }, (_, i) => 3 * i); const t = performance.now(); document.dispatchEvent(new CustomEvent('rd-highlight', { detail: { indices: ids, caption: 'a third' } })); return performance.now() - t; }");
        Assert.Equal(33_334, await page.EvaluateAsync<int>("() => rdMaps.lit().b"));
        var drawMs = await page.EvaluateAsync<double[]>("() => rdMaps.drawMs()");
        double againMs = await page.EvaluateAsync<double>("() => { const ids = Array.from({ length: 33334 }, (_, i) => 3 * i + 1); const t = performance.now(); document.dispatchEvent(new CustomEvent('rd-highlight', { detail: { indices: ids, caption: 'a third' } })); return performance.now() - t; }");
        await page.EvaluateAsync("() => document.dispatchEvent(new CustomEvent('rd-highlight', { detail: { indices: null } }))");
        var box = (await page.Locator("canvas.overlay[data-kind=pca][data-side=a]").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + 1, box.Y + 1);
        await page.Mouse.DownAsync();
        foreach (var (x, y) in new[] { (box.Width - 1, 1f), (box.Width - 1, box.Height - 1), (1f, box.Height - 1), (1f, 2f) })
            await page.Mouse.MoveAsync(box.X + x, box.Y + y);
        clock.Restart();
        await page.Mouse.UpAsync();
        Assert.Equal(n, await page.EvaluateAsync<int>("() => window.rdSelection.length"));
        double lassoSeconds = clock.Elapsed.TotalSeconds;
        await page.Locator("#map-colour").SelectOptionAsync(new SelectOptionValue { Label = "score" });

        // The search field: its lower-cased strings made on focus, then each search (after typing pauses) timed in the page,
        // for a label matching a third of the samples, a sample number matching one, and a digit pair matching many; twice, as
        // the first search runs code the browser has not compiled yet.
        double prepareMs = await page.EvaluateAsync<double>("() => { const t = performance.now(); document.getElementById('map-search').focus(); return performance.now() - t; }");
        var searches = new List<string>();
        var queries = new[] { ("blob1", "33,334 samples match"), ("99999", "1 sample matches"), ("12", null) };
        foreach (var (query, matches) in queries.Concat(queries))
        {
            await page.Locator("#map-search").FillAsync(query);
            if (matches is not null) await Assertions.Expect(page.Locator("#map-search-count")).ToHaveTextAsync(matches, new() { Timeout = 60_000 });
            else await Assertions.Expect(page.Locator("#map-search-count")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("samples match$"), new() { Timeout = 60_000 });
            var ms = await page.EvaluateAsync<double[]>("() => rdMaps.searchMs()");
            searches.Add($"'{query}' ({await page.Locator("#map-search-count").TextContentAsync()}) {ms[0] + ms[1]:F1} ms (scan {ms[0]:F1}, outlines {ms[1]:F1})");
        }
        await page.Locator("#map-search").FillAsync("blob1");
        await Assertions.Expect(page.Locator("#map-search-count")).ToHaveTextAsync("33,334 samples match", new() { Timeout = 60_000 });
        clock.Restart();
        await page.Locator("#map-search").PressAsync("Enter");
        Assert.Equal(33_334, await page.EvaluateAsync<int>("() => window.rdSelection.length"));
        double enterMs = clock.Elapsed.TotalMilliseconds;
        Assert.Empty(errors);
        output.WriteLine($"100k search: strings made on focus in {prepareMs:F0} ms; searches {string.Join(", ", searches)}; Enter selecting 33,334 {enterMs:F0} ms");
        output.WriteLine($"100k report: {html.Length / 1e6:F2} MB, rendered in {renderSeconds:F2} s (maps included); " +
            $"goto→load {wall:F2} s; DOMContentLoaded {timing[0]:F0} ms, load {timing[1]:F0} ms, maps script started at {timing[3]:F0} ms (file read by {timing[4]:F0} ms), data decoded at {timing[5]:F0} ms, maps drawn at {timing[2]:F0} ms; " +
            $"highlight of 33,334 {highlightMs:F0} ms (again {againMs:F0} ms; drawing A and B {drawMs[0]:F0} and {drawMs[1]:F0} ms); lasso of all (mouse up → selection read) {lassoSeconds * 1000:F0} ms");
    }
}
