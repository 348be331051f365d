using Microsoft.Playwright;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Report;

/// <summary>
/// What the report does after a click, a link or a key, in headless Chromium (review 167): the maps in view below the
/// 1,000-pixel breakpoint, a member list that opens where it is seen, the maps lighting what was pointed at or focused, and
/// card boxes that scroll reachable from the keyboard.
/// </summary>
public class ReportInteractionBrowserTests(CardReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium)
{
    /// <summary>The page at that size, with its console errors collected (as the accessibility tests open theirs).</summary>
    private async Task<(IPage Page, List<string> Errors)> Open(string path, int width, int height) =>
        await AccessibilityBrowserTests.Open(await Browser(), path, width, height);

    /// <summary>Where both shown maps are against the window: [top of the first, bottom of the last, the window's height].</summary>
    private const string MapsPlace = """
        () => {
          const boxes = Array.from(document.querySelectorAll('.mapset:not([hidden]) canvas.map'), c => c.getBoundingClientRect());
          return [Math.min(...boxes.map(r => r.top)), Math.max(...boxes.map(r => r.bottom)), innerHeight];
        }
        """;

    private static async Task<bool> MapsInView(IPage page)
    {
        var m = await page.EvaluateAsync<double[]>(MapsPlace);
        return m[0] >= 0 && m[1] <= m[2];
    }

    /// <summary>The number of members of card `key`, and the caption the maps give it.</summary>
    private static Task<string[]> CardFacts(IPage page, string key) =>
        page.EvaluateAsync<string[]>($"() => {{ const c = rdData.cards.concepts['{key}']; return [String(c.members.length), rdData.cardCaption(c)]; }}");

    /// <summary>
    /// Below 1,000 px the maps came after every card (here 6,000 to 9,000 px down; 24,000 to 58,000 in the review's reports), so
    /// selecting a card lit maps nobody could see. Now selecting a card docks both maps at the window's foot, drawn at the
    /// dock's size, with the card kept in view above them; "hide the maps" undocks them and later cards leave them so, and the
    /// "maps" button brings them back. At 1,280 px nothing of this shows.
    /// </summary>
    [ChromiumFact]
    public async Task BelowTheBreakpointASelectedCardsMapsDockInViewAndCanBeHidden()
    {
        foreach (var (width, height) in new[] { (960, 900), (360, 740) })
        {
            var (page, errors) = await Open(report.Report, width, height);
            Assert.False(await MapsInView(page), $"{width} px: the maps were in view before any card was selected");
            var card = page.Locator(".card").Nth(3);
            string key = (await card.GetAttributeAsync("data-key"))!;
            await card.ScrollIntoViewIfNeededAsync();
            await card.ClickAsync();
            var place = await page.EvaluateAsync<double[]>(MapsPlace);
            Assert.True(place[0] >= 0 && place[1] <= place[2], $"{width} px: the maps span {place[0]}..{place[1]} in a window of {place[2]}");
            var facts = await CardFacts(page, key);
            Assert.Equal(int.Parse(facts[0], System.Globalization.CultureInfo.InvariantCulture), await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
            Assert.Equal(facts[1], await page.Locator("#map-caption").TextContentAsync());
            // Drawn at the dock's size: a member's point lies inside its canvas.
            Assert.True(await page.EvaluateAsync<bool>($$"""
                () => {
                  const i = rdData.cards.concepts['{{key}}'].members[0], p = rdMaps.point('b', i);
                  const r = document.querySelector('.mapset:not([hidden]) canvas.map[data-side=b]').getBoundingClientRect();
                  return p.x >= r.left && p.x <= r.right && p.y >= r.top && p.y <= r.bottom;
                }
                """), $"{width} px: the docked map B was not drawn to its box");
            // The selected card's top is in view above the dock (a card taller than the room runs under it), and the dock takes
            // under half the window.
            var layout = await page.EvaluateAsync<double[]>($"() => [document.getElementById('card-{key}').getBoundingClientRect().top, document.querySelector('aside.maps .sticky').getBoundingClientRect().top, innerHeight, document.documentElement.scrollWidth]");
            Assert.True(layout[0] >= 0 && layout[0] + 100 <= layout[1], $"{width} px: the card starts at {layout[0]}, the dock at {layout[1]}");
            Assert.True(layout[2] - layout[1] <= layout[2] / 2, $"{width} px: the dock is {layout[2] - layout[1]} px high in a window of {layout[2]}");
            Assert.Equal(width, layout[3]);

            // Hidden by the reader: the maps leave the window, and the next card selected leaves them hidden.
            await page.Locator("button.dock-close").ClickAsync();
            Assert.False(await MapsInView(page), $"{width} px: the maps stayed in view after 'hide the maps'");
            var opener = page.Locator("button.dock-open");
            Assert.Equal("false", await opener.GetAttributeAsync("aria-expanded"));
            Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement.classList.contains('dock-open')"));
            var other = page.Locator(".card").Nth(4);
            await other.ScrollIntoViewIfNeededAsync();
            await other.ClickAsync();
            Assert.False(await MapsInView(page), $"{width} px: a card docked the maps the reader had hidden");
            // One click brings them back, lit with that card.
            await opener.ClickAsync();
            Assert.True(await MapsInView(page), $"{width} px: the 'maps' button did not bring the maps into view");
            Assert.Equal("true", await opener.GetAttributeAsync("aria-expanded"));
            Assert.Equal((await CardFacts(page, (await other.GetAttributeAsync("data-key"))!))[1], await page.Locator("#map-caption").TextContentAsync());
            Assert.Empty(errors);
        }

        // At 1,280 px the maps are beside the cards: no dock and no button.
        var (wide, wideErrors) = await Open(report.Report, 1280, 900);
        Assert.False(await wide.Locator("button.dock-open").IsVisibleAsync());
        await wide.Locator(".card").Nth(3).ClickAsync();
        Assert.True(await MapsInView(wide));
        Assert.False(await wide.EvaluateAsync<bool>("() => getComputedStyle(document.querySelector('aside.maps .sticky')).position === 'fixed'"));
        Assert.Empty(wideErrors);
    }

    /// <summary>
    /// "all N members ▸" opened its list under the direction's last card row, below the window, with nothing to show it had:
    /// now the list scrolls into view and takes the focus on its heading; the button says it is expanded and which list it
    /// controls, and × or Escape closes the list and gives the focus back to the button.
    /// </summary>
    [ChromiumFact]
    public async Task OpeningAMemberListShowsItAndTakesTheFocus()
    {
        var (page, errors) = await Open(report.Report, 1280, 900);
        var card = page.Locator(".card").First;
        var button = card.Locator("button.open-members");
        Assert.Equal("false", await button.GetAttributeAsync("aria-expanded"));
        await button.ClickAsync();
        string key = (await card.GetAttributeAsync("data-key"))!;
        var panel = page.Locator($"section.members[data-key={key}]");
        var place = await panel.EvaluateAsync<double[]>("p => [p.getBoundingClientRect().top, innerHeight]");
        Assert.True(place[0] >= 0 && place[0] < place[1], $"the member list's top is at {place[0]} in a window of {place[1]}");
        Assert.True(await panel.EvaluateAsync<bool>("p => p.contains(document.activeElement) && document.activeElement.tagName === 'H4'"), "the focus is not on the list's heading");
        Assert.Equal("true", await button.GetAttributeAsync("aria-expanded"));
        Assert.Equal(await panel.GetAttributeAsync("id"), await button.GetAttributeAsync("aria-controls"));
        // The maps light the opened concept, not a card that scrolled under the pointer.
        Assert.Equal((await CardFacts(page, key))[1], await page.Locator("#map-caption").TextContentAsync());

        await page.Keyboard.PressAsync("Escape");
        Assert.True(await panel.IsHiddenAsync());
        Assert.Equal("false", await button.GetAttributeAsync("aria-expanded"));
        Assert.True(await button.EvaluateAsync<bool>("b => b === document.activeElement"), "Escape left the focus off the button");

        await page.Keyboard.PressAsync("Enter");
        Assert.True(await panel.IsVisibleAsync());
        await panel.Locator("button.close").ClickAsync();
        Assert.True(await panel.IsHiddenAsync());
        Assert.True(await button.EvaluateAsync<bool>("b => b === document.activeElement"), "× left the focus off the button");
        Assert.Empty(errors);
    }

    /// <summary>
    /// After following "closest in …", the maps lit the card that scrolled under the still pointer, not the link's target: now
    /// the target takes the focus and is lit, and hovering lights again once the pointer moves.
    /// </summary>
    [ChromiumFact]
    public async Task AfterALinkTheMapsLightItsTargetNotWhatScrolledUnderThePointer()
    {
        var (page, errors) = await Open(report.Report, 1280, 900);
        // A link whose target is far down the page, so following it scrolls.
        var link = page.Locator(".card .closest a[href^='#card-m2']").First;
        string target = (await link.GetAttributeAsync("href"))!.TrimStart('#');
        // Clicked near the window's foot, so that after the jump the pointer is over another card, not the target.
        await link.EvaluateAsync("a => window.scrollBy(0, a.getBoundingClientRect().bottom - innerHeight + 30)");
        await page.EvaluateAsync("() => document.addEventListener('mousemove', e => { window.__at = [e.clientX, e.clientY]; }, true)");
        await link.ClickAsync();
        await page.WaitForFunctionAsync($"() => location.hash === '#{target}' && document.activeElement.id === '{target}'");
        // The browser's own pointer events after the scroll come within a few frames.
        await page.WaitForTimeoutAsync(500);
        var under = await page.EvaluateAsync<string?>("([x, y]) => { const c = document.elementFromPoint(x, y); return c && c.closest('.card') ? c.closest('.card').id : null; }",
            await page.EvaluateAsync<double[]>("() => window.__at"));
        Assert.True(under is not null && under != target, $"the pointer is over {under ?? "no card"} after the jump: the test needs another card there");
        var facts = await CardFacts(page, target["card-".Length..]);
        Assert.Equal(facts[1], await page.Locator("#map-caption").TextContentAsync());
        Assert.Equal(int.Parse(facts[0], System.Globalization.CultureInfo.InvariantCulture), await page.EvaluateAsync<int>("() => rdMaps.lit().a"));

        // The pointer moved onto another card: hovering lights it again.
        var other = page.Locator($".card:not(#{target})").Last;
        await other.ScrollIntoViewIfNeededAsync();
        await other.HoverAsync();
        Assert.Equal((await CardFacts(page, (await other.GetAttributeAsync("data-key"))!))[1], await page.Locator("#map-caption").TextContentAsync());
        Assert.Empty(errors);
    }

    /// <summary>
    /// A card lights its members when it has the focus, as a consensus row does; a row's highlight went on after the focus
    /// had moved to a card, and a focused card lit nothing. Leaving the card gives the maps back what was chosen.
    /// </summary>
    [ChromiumFact]
    public async Task AFocusedCardLightsItsMembersAndTakesOverFromARow()
    {
        var (page, errors) = await Open(report.Report, 1280, 900);
        var row = page.Locator("tr.pair").First;
        int shared = await row.EvaluateAsync<int>("r => { const C = rdData.cards.concepts, b = new Set(C[r.dataset.b].members); return C[r.dataset.a].members.filter(i => b.has(i)).length; }");
        var card = page.Locator(".card").Nth(2);
        var facts = await CardFacts(page, (await card.GetAttributeAsync("data-key"))!);

        await row.FocusAsync();
        Assert.Equal(shared, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        await card.FocusAsync();
        Assert.Equal(facts[1], await page.Locator("#map-caption").TextContentAsync());
        Assert.Equal(int.Parse(facts[0], System.Globalization.CultureInfo.InvariantCulture), await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        // Off the card, nothing was chosen: nothing is lit.
        await page.Locator("#map-search").FocusAsync();
        Assert.Equal(0, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));

        // A row chosen with Enter stays chosen: a card lights while focused, and leaving it lights the row again.
        await row.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await card.FocusAsync();
        Assert.Equal(facts[1], await page.Locator("#map-caption").TextContentAsync());
        await page.Locator("#map-search").FocusAsync();
        Assert.Equal(shared, await page.EvaluateAsync<int>("() => rdMaps.lit().a"));
        Assert.Empty(errors);
    }

    /// <summary>
    /// A card's list of sample ids, taller than its nine lines (long ids with labels; five-digit row numbers at 20,000 samples),
    /// scrolled but could not be reached by the keyboard (axe: scrollable-region-focusable). A list that scrolls is now a named
    /// Tab stop whose arrow keys scroll it; one that fits is not.
    /// </summary>
    [ChromiumFact]
    public async Task ACardsScrollingIdListIsANamedTabStop()
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = CliHarness.SmallPair(dir, rows: 120);
        string ids = Path.Combine(dir, "ids.txt");
        File.WriteAllLines(ids, Enumerable.Range(0, 120).Select(i => $"a-rather-long-sample-identifier-{i:D5}"));
        string outDir = Path.Combine(dir, "out");
        var outcome = CliHarness.Run("kmeans", a, b, "--labels", labels, "--ids", ids, "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);

        var (page, errors) = await Open(Path.Combine(outDir, "report.html"), 1280, 900);
        var boxes = page.Locator(".card .ids");
        int scrolling = 0;
        for (int i = 0; i < await boxes.CountAsync(); i++)
        {
            var box = boxes.Nth(i);
            if (!await box.EvaluateAsync<bool>("b => b.scrollHeight > b.clientHeight + 1"))
            {
                Assert.Null(await box.GetAttributeAsync("tabindex"));
                continue;
            }
            scrolling++;
            Assert.Equal("0", await box.GetAttributeAsync("tabindex"));
            string card = (await box.EvaluateAsync<string>("b => b.closest('.card').getAttribute('aria-label')"))!;
            Assert.Equal($"samples shown of {card} (scrolls)", await box.GetAttributeAsync("aria-label"));
            await box.FocusAsync();
            await page.Keyboard.PressAsync("ArrowDown");
            // Keyboard scrolling is animated: waited for, up to 10 s.
            Assert.True(await box.EvaluateAsync<bool>("b => new Promise(done => { const end = Date.now() + 10000; const look = () => b.scrollTop > 0 ? done(true) : Date.now() > end ? done(false) : setTimeout(look, 50); look(); })"),
                $"id list {i} did not scroll from the keyboard");
        }
        Assert.True(scrolling > 0, "no card's id list scrolls");
        Assert.Empty(errors);
    }

    /// <summary>
    /// A card reached by Tab that is taller than the room above the window's foot (or the docked maps) was centred by the browser,
    /// its head (rank, strength, BSR) above the window under the methods bar: at 960×600 the fixture's 575-px cards had their
    /// tops at 12 px, under the 39-px bar, and with the maps docked far above it (the demo's sentence cards, 880 px, at 1366×768
    /// too). Now a card reached by the keyboard shows its head just under the bar, docked or not, at every size; one that fits is
    /// left where the browser put it.
    /// </summary>
    [ChromiumFact]
    public async Task ACardReachedByTabShowsItsHeadUnderTheMethodsBar()
    {
        // [the card's top, its header's bottom, the methods bar's bottom, the window's foot or the dock's top].
        const string Place = """
            () => {
              const card = document.activeElement, maps = document.querySelector('aside.maps .sticky');
              const foot = document.documentElement.classList.contains('docked') ? maps.getBoundingClientRect().top : innerHeight;
              return [card.getBoundingClientRect().top, card.querySelector('header').getBoundingClientRect().bottom,
                document.querySelector('nav.methods').getBoundingClientRect().bottom, foot];
            }
            """;
        foreach (var (width, height, docked) in new[] { (1366, 768, false), (1280, 720, false), (960, 600, false), (960, 600, true) })
        {
            var (page, errors) = await Open(report.Report, width, height);
            if (docked) await page.Locator("button.dock-open").ClickAsync();
            string size = $"{width}×{height}{(docked ? ", the maps docked" : "")}";
            int cards = 0;
            for (int press = 0; press < 400 && cards < 6; press++)
            {
                await page.Keyboard.PressAsync("Tab");
                if (!await page.EvaluateAsync<bool>("() => document.activeElement.matches('.card')")) continue;
                cards++;
                string key = await page.EvaluateAsync<string>("() => document.activeElement.dataset.key");
                var p = await page.EvaluateAsync<double[]>(Place);
                string where = $"{size}: card {key} reached by Tab: its top at {p[0]:F0}, its header ends at {p[1]:F0}, the methods bar ends at {p[2]:F0}, the window's foot or the dock at {p[3]:F0}";
                Console.WriteLine(where);
                Assert.True(p[0] >= p[2] - 0.5 && p[1] <= p[3] + 0.5, where);
            }
            Assert.True(cards == 6, $"{size}: Tab reached {cards} cards in 400 presses");
            Assert.Empty(errors);
            await page.CloseAsync();
        }
    }
}
