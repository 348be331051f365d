using Microsoft.Playwright;

namespace RepDiff.Tests.Report;

/// <summary>
/// A click on a map selected a sample and let the selected card go, and nothing said which concepts held the sample nor led to
/// their cards. Now the line under the maps' caption names, while one sample is selected, every shown concept that holds it by
/// its card's title, in the page's order, each a button (reached by Tab, pressed while its card is the selected one) that
/// selects that card and brings it into view; in the dock below 1,000 px the line takes the caption's place above the maps.
/// The expected concepts are counted here by a plain pass over every card's members (the page answers by binary searches).
/// </summary>
public class SampleConceptsBrowserTests(CardReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium)
{
    /// <summary>The selected sample, then the titles of the shown concepts whose members include it, in the page's order.</summary>
    private const string Expected = """
        () => {
          const i = rdSelection[0], concepts = rdData.cards.concepts;
          return [String(i), ...Object.keys(concepts).filter(k => concepts[k].members.includes(i)).map(k => concepts[k].title)];
        }
        """;

    /// <summary>What the line shows: its lead, then each button's text.</summary>
    private const string Shown = """
        () => { const box = document.getElementById('map-concepts'), lead = box.querySelector('.lead');
                return [lead ? lead.textContent : '', ...Array.from(box.querySelectorAll('button'), b => b.textContent)]; }
        """;

    /// <summary>Clicks sample `row`'s point on A's map; returns the sample the click selected and its concepts' titles.</summary>
    private static async Task<string[]> ClickSample(IPage page, int row)
    {
        var at = await page.EvaluateAsync<double[]>($"() => {{ const p = rdMaps.point('a', {row}); return [p.x, p.y]; }}");
        await page.Mouse.ClickAsync((float)at[0], (float)at[1]);
        var expected = await page.EvaluateAsync<string[]>(Expected);
        // (String(undefined) had passed for a sample: a missed click showed up later as a wrong line.)
        Assert.True(expected[0] == row.ToString(), $"the click at {at[0]:F1},{at[1]:F1} selected {expected[0]}, not sample {row}");
        return expected;
    }

    private static void AssertNamed(string[] expected, string[] shown)
    {
        string both = $"expected {string.Join(" | ", expected)}; shown {string.Join(" | ", shown)}";
        int count = expected.Length - 1;
        Assert.True(shown[0].StartsWith("p" + expected[0] + " is in ", StringComparison.Ordinal), both);
        Assert.Contains(count == 0 ? "none of the shown concepts" : count == 1 ? "1 shown concept" : $"{count} shown concepts", shown[0]);
        Assert.Equal(expected[1..], shown[1..]);
    }

    [ChromiumFact]
    public async Task AClickedSampleNamesItsConceptsAndEachButtonSelectsThatCard()
    {
        var browser = await Browser();
        var (page, errors) = await AccessibilityBrowserTests.Open(browser, report.Report, 1400, 1000);
        // A sample in two or more shown concepts (kmeans, RDX and PCA over 600 samples share many).
        int row = await page.EvaluateAsync<int>("""
            () => { const c = Object.values(rdData.cards.concepts);
                    for (let i = 0; i < 600; i++) if (c.filter(x => x.members.includes(i)).length >= 2) return i; return -1; }
            """);
        Assert.True(row >= 0, "no sample in two shown concepts");
        var expected = await ClickSample(page, row);
        Assert.True(expected.Length >= 3, string.Join(" | ", expected));
        AssertNamed(expected, await page.EvaluateAsync<string[]>(Shown));
        var buttons = page.Locator("#map-concepts button");
        Assert.Equal("false", await buttons.Nth(1).GetAttributeAsync("aria-pressed"));

        // The second from the keyboard: its card is selected, in view, lit in both maps and announced; the button pressed.
        foreach (int b in new[] { 1, 0 })
        {
            var button = buttons.Nth(b);
            await button.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            string key = (await button.GetAttributeAsync("data-key"))!;
            var card = page.Locator("#card-" + key);
            Assert.Equal("true", await card.GetAttributeAsync("aria-current"));
            Assert.Equal(1, await page.Locator(".card.selected").CountAsync());
            Assert.Equal("true", await button.GetAttributeAsync("aria-pressed"));
            Assert.Equal("false", await buttons.Nth(1 - b).GetAttributeAsync("aria-pressed"));
            var place = await card.EvaluateAsync<double[]>("c => { const r = c.getBoundingClientRect(); return [r.top, r.bottom, innerHeight]; }");
            Assert.True(place[0] >= 0 && place[0] + 20 <= place[2], $"card {key} at {place[0]:F0}..{place[1]:F0} of a {place[2]:F0}-px window");
            int members = await page.EvaluateAsync<int>("k => rdData.cards.concepts[k].members.length", key);
            var lit = await page.EvaluateAsync<Dictionary<string, int>>("() => rdMaps.lit()");
            Assert.Equal(members, lit["a"]);
            Assert.StartsWith("Selected " + expected[1 + b], await page.Locator("#map-live").TextContentAsync());
            // The line stays while the sample stays selected on the maps, so the reader can go on to its other concepts.
            AssertNamed(expected, await page.EvaluateAsync<string[]>(Shown));
        }
        // Pressed again, the selected card is let go, as its own click does.
        await buttons.Nth(0).ClickAsync();
        Assert.Equal(0, await page.Locator(".card.selected").CountAsync());
        Assert.Equal("false", await buttons.Nth(0).GetAttributeAsync("aria-pressed"));

        // Another sample replaces the line; a selection of none empties it.
        int other = await page.EvaluateAsync<int>($"() => {{ const c = Object.values(rdData.cards.concepts); for (let i = 599; i >= 0; i--) if (i !== {row} && c.some(x => x.members.includes(i))) return i; return -1; }}");
        var next = await ClickSample(page, other);
        AssertNamed(next, await page.EvaluateAsync<string[]>(Shown));
        await page.Locator("#map-clear").ClickAsync();
        Assert.Equal(0, await page.Locator("#map-concepts button").CountAsync());
        Assert.StartsWith("Select one point", await page.Locator("#map-concepts").TextContentAsync());
        // The line keeps its height, so naming a sample's concepts never moves the maps (the caption's own lines may):
        // [the line's height, the maps' height] with and without a sample.
        const string Heights = "() => [document.getElementById('map-concepts').getBoundingClientRect().height, document.querySelector('.mapset:not([hidden]) .mapbox').getBoundingClientRect().height]";
        var without = await page.EvaluateAsync<double[]>(Heights);
        await ClickSample(page, row);
        var with = await page.EvaluateAsync<double[]>(Heights);
        Assert.True(Math.Abs(with[0] - without[0]) < 0.5 && Math.Abs(with[1] - without[1]) < 0.5, $"the line {without[0]:F1} → {with[0]:F1} px high, the maps {without[1]:F1} → {with[1]:F1}");
        Assert.Empty(errors);
    }

    /// <summary>
    /// Below 1,000 px, in the dock: the line is in view above the maps, in the caption's place, and a button selects its card
    /// and puts it above the dock.
    /// </summary>
    [ChromiumFact]
    public async Task InTheDockTheLineIsAboveTheMapsAndItsCardLandsAboveTheDock()
    {
        var browser = await Browser();
        foreach (var (width, height) in new[] { (768, 900), (360, 740) })
        {
            var (page, errors) = await AccessibilityBrowserTests.Open(browser, report.Report, width, height);
            string size = $"{width}×{height}";
            await page.Locator("button.dock-open").ClickAsync();
            int row = await page.EvaluateAsync<int>("() => rdData.cards.concepts[Object.keys(rdData.cards.concepts)[2]].members[0]");
            var expected = await ClickSample(page, row);
            AssertNamed(expected, await page.EvaluateAsync<string[]>(Shown));
            // [line top, line bottom, the maps' top, the dock's top, whether the caption shows]
            var place = await page.EvaluateAsync<double[]>("""
                () => { const line = document.getElementById('map-concepts').getBoundingClientRect();
                        const maps = document.querySelector('.mapset:not([hidden])').getBoundingClientRect();
                        return [line.top, line.bottom, maps.top, document.querySelector('aside.maps .sticky').getBoundingClientRect().top,
                                document.getElementById('map-caption').getClientRects().length]; }
                """);
            string where = $"{size}: line {place[0]:F0}..{place[1]:F0}, maps from {place[2]:F0}, dock from {place[3]:F0}, caption shown {place[4]}";
            Assert.True(place[0] >= place[3] && place[1] <= place[2] + 0.5 && place[1] > place[0], where);
            Assert.True(place[4] == 0, where);
            var button = page.Locator("#map-concepts button").Last;
            string key = (await button.GetAttributeAsync("data-key"))!;
            await button.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            Assert.Equal("true", await page.Locator("#card-" + key).GetAttributeAsync("aria-current"));
            var card = await page.EvaluateAsync<double[]>("""
                k => { const c = document.getElementById('card-' + k).getBoundingClientRect();
                       return [c.top, document.querySelector('nav.methods').getBoundingClientRect().bottom, document.querySelector('aside.maps .sticky').getBoundingClientRect().top]; }
                """, key);
            Assert.True(card[0] >= card[1] - 0.5 && card[0] + 20 <= card[2] + 0.5, $"{size}: card {key} at {card[0]:F0}, bar ends {card[1]:F0}, dock from {card[2]:F0}");
            Console.WriteLine(where);
            Assert.Empty(errors);
            await page.CloseAsync();
        }
    }

    /// <summary>Whether A's map is drawn for its box as it is now (the canvas's pixels match the box's size).</summary>
    private const string MapFitsItsBox = """
        () => { const o = document.querySelector('.mapset:not([hidden]) canvas.overlay[data-side=a]');
                return o.width === Math.round(o.getBoundingClientRect().width * devicePixelRatio); }
        """;

    /// <summary>
    /// The maps are redrawn for the dock's box a frame after its observer saw the box change, and a click in between (under
    /// load a test's, in the same few ms as the dock opened) was measured against the points' places in the undocked box:
    /// it selected nothing or another sample. Here the dock opens and a sample's point is clicked in one task, before any frame.
    /// </summary>
    [ChromiumFact]
    public async Task AClickOnAPointAsTheDockOpensSelectsThatSample()
    {
        var browser = await Browser();
        var (page, errors) = await AccessibilityBrowserTests.Open(browser, report.Report, 768, 900);
        int row = await page.EvaluateAsync<int>("() => rdData.cards.concepts[Object.keys(rdData.cards.concepts)[2]].members[0]");
        // Where the point is drawn in the dock, read once the maps are drawn for it; then the dock put away again.
        await page.Locator("button.dock-open").ClickAsync();
        await page.WaitForFunctionAsync(MapFitsItsBox);
        var at = await page.EvaluateAsync<double[]>($"() => {{ const p = rdMaps.point('a', {row}); return [p.x, p.y]; }}");
        await page.Locator("button.dock-close").ClickAsync();
        await page.WaitForFunctionAsync(MapFitsItsBox);
        string selected = await page.EvaluateAsync<string>("""
            ([x, y]) => {
              document.querySelector('button.dock-open').click();
              const o = document.querySelector('.mapset:not([hidden]) canvas.overlay[data-side=a]');
              o.dispatchEvent(new MouseEvent('mousedown', { clientX: x, clientY: y, button: 0, bubbles: true }));
              window.dispatchEvent(new MouseEvent('mouseup', { clientX: x, clientY: y, button: 0 }));
              return rdSelection.join(',');
            }
            """, at);
        Assert.Equal(row.ToString(), selected);
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    /// <summary>
    /// A lasso selecting several samples named no concept (the line kept its hint). Now it names the shown concepts holding the
    /// most of them, most first, each with its count, five at most and then how many more: counted here by a plain pass over
    /// every card's members, ordered by count and then the page's order.
    /// </summary>
    [ChromiumFact]
    public async Task SeveralSelectedSamplesNameTheConceptsHoldingMostOfThem()
    {
        var browser = await Browser();
        var (page, errors) = await AccessibilityBrowserTests.Open(browser, report.Report, 1400, 1000);
        var box = (await page.Locator("canvas.overlay[data-kind=pca][data-side=a]").BoundingBoxAsync())!;
        // The whole map, then its left third: every sample, then some of them.
        foreach (float share in new[] { 1f, 1f / 3 })
        {
            float w = box.Width * share - 2;
            await page.Mouse.MoveAsync(box.X + 1, box.Y + 1);
            await page.Mouse.DownAsync();
            foreach (var (x, y) in new[] { (w, 1f), (w, box.Height - 1), (1f, box.Height - 1), (1f, 2f) })
                await page.Mouse.MoveAsync(box.X + x, box.Y + y, new MouseMoveOptions { Steps = 3 });
            await page.Mouse.UpAsync();
            // [the lead's start, then "title: count of n selected" for the five most held, then "and N more" if more are]
            var expected = await page.EvaluateAsync<string[]>("""
                () => {
                  const sel = rdSelection, n = sel.length.toLocaleString('en'), concepts = rdData.cards.concepts;
                  const held = Object.keys(concepts).map(k => [k, sel.filter(i => concepts[k].members.includes(i)).length])
                    .filter(x => x[1] > 0).sort((x, y) => y[1] - x[1]);
                  return [n + ' selected samples: ' + held.length + ' shown concepts hold',
                          ...held.slice(0, 5).map(([k, c]) => concepts[k].title + ': ' + c.toLocaleString('en') + ' of ' + n + ' selected'),
                          ...(held.length > 5 ? ['and ' + (held.length - 5) + ' more'] : [])];
                }
                """);
            var shown = await page.EvaluateAsync<string[]>("""
                () => { const box = document.getElementById('map-concepts');
                        return [box.querySelector('.lead').textContent, ...Array.from(box.querySelectorAll('li'), li => li.textContent)]; }
                """);
            string both = $"expected {string.Join(" | ", expected)}; shown {string.Join(" | ", shown)}";
            Assert.True(await page.EvaluateAsync<int>("() => rdSelection.length") > 1, both);
            Assert.StartsWith(expected[0], shown[0]);
            Assert.Equal(expected[1..], shown[1..]);
            Assert.True(expected.Length >= 3, both);
            if (share == 1f) Assert.Equal("and", expected[^1].Split(' ')[0]);
            // Each button selects its card, as one sample's do.
            var first = page.Locator("#map-concepts button").First;
            string key = (await first.GetAttributeAsync("data-key"))!;
            await first.ClickAsync();
            Assert.Equal("true", await page.Locator("#card-" + key).GetAttributeAsync("aria-current"));
            Assert.Equal("true", await first.GetAttributeAsync("aria-pressed"));
            await first.ClickAsync();
            await page.Locator("#map-clear").ClickAsync();
        }
        Assert.Empty(errors);
    }
}
