using Microsoft.Playwright;

namespace RepDiff.Tests.Report;

/// <summary>
/// Below 1,000 px, with the docked maps enlarged to 85% of the window (html.dock-tall), a card selected by a click or by Enter
/// had been scrolled so its bottom met the dock's top: its title, rank and strength were 250 to 480 px above the window, under
/// the methods bar, and only its last lines showed. Now the selected card's top is in view between the bar and the dock at
/// either dock height, the card whole where the room holds it; so is a card a link leads to (the consensus table's), and the
/// selected card when the dock is enlarged after it was selected.
/// </summary>
public class DockedCardBrowserTests(CardReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium)
{
    /// <summary>Card `key` against the room above the dock: [card top, card bottom, the methods bar's bottom, the dock's top].</summary>
    private const string Place = """
        k => {
          const c = document.getElementById('card-' + k).getBoundingClientRect();
          return [c.top, c.bottom, document.querySelector('nav.methods').getBoundingClientRect().bottom, document.querySelector('aside.maps .sticky').getBoundingClientRect().top];
        }
        """;

    private static async Task AssertAboveTheDock(IPage page, string key, string what)
    {
        var p = await page.EvaluateAsync<double[]>(Place, key);
        string where = $"{what}: card {p[0]:F0}..{p[1]:F0}, the methods bar ends at {p[2]:F0}, the dock starts at {p[3]:F0}";
        // Its top (rank, title, strength: 20 px) between the bar and the dock; the whole card where the room holds it.
        Assert.True(p[0] >= p[2] - 0.5 && p[0] + 20 <= p[3] + 0.5, where);
        if (p[1] - p[0] <= p[3] - p[2] - 20) Assert.True(p[1] <= p[3] + 0.5, where + " (the card fits the room but runs under the dock)");
        Console.WriteLine(where);
    }

    [ChromiumFact]
    public async Task ASelectedCardIsInViewAboveTheDockAtEitherHeight()
    {
        var browser = await Browser();
        foreach (var (width, height) in new[] { (360, 740), (768, 900), (960, 600) })
        {
            var (page, errors) = await AccessibilityBrowserTests.Open(browser, report.Report, width, height);
            string size = $"{width}×{height}";
            // Selected with the dock at its usual height, then enlarged: the card stays above the dock as it grows.
            var first = page.Locator(".card").Nth(1);
            await first.ScrollIntoViewIfNeededAsync();
            await first.ClickAsync(new LocatorClickOptions { Position = new Position { X = 5, Y = 5 } });
            await page.Locator("button.dock-grow").ClickAsync();
            Assert.Equal("true", await page.Locator("button.dock-grow").GetAttributeAsync("aria-pressed"));
            await AssertAboveTheDock(page, (await first.GetAttributeAsync("data-key"))!, $"{size}, selected, then the dock enlarged");
            for (int n = 2; n < 6; n++)
            {
                var card = page.Locator(".card").Nth(n);
                string key = (await card.GetAttributeAsync("data-key"))!;
                // The card's top just above the dock when selected, or scrolled away above the window.
                await card.EvaluateAsync("(c, by) => { c.scrollIntoView({ block: 'start' }); scrollBy(0, by); }", n < 4 ? -60 : 300);
                if (n % 2 == 0) await card.EvaluateAsync("c => c.click()");
                else { await card.FocusAsync(); await page.Keyboard.PressAsync("Enter"); }
                Assert.Equal("true", await card.GetAttributeAsync("aria-current"));
                await AssertAboveTheDock(page, key, $"{size}, card {n} selected by {(n % 2 == 0 ? "a click" : "Enter")}, the dock enlarged");
            }
            // A link to a card, from the consensus table.
            var link = page.Locator("table.pairs a").Nth(3);
            string href = (await link.GetAttributeAsync("href"))!;
            await link.ScrollIntoViewIfNeededAsync();
            await link.ClickAsync();
            await AssertAboveTheDock(page, href["#card-".Length..], $"{size}, {href} followed, the dock enlarged");
            Assert.Empty(errors);
            await page.CloseAsync();
        }
    }
    /// <summary>
    /// With the dock enlarged (85% of the window), a selected card kept only what the rest of the window held: at 960×600, 51 px
    /// between the methods bar and the dock, its first line. While a card is selected the enlarged dock now leaves it the room it
    /// needs, down to the dock's usual height (min(44vh, 420 px)), where a taller card still shows as much as the usual dock
    /// leaves; "enlarge" stays pressed, and with no card selected the dock is 85% of the window again.
    /// </summary>
    [ChromiumFact]
    public async Task ACardSelectedUnderTheEnlargedDockIsReadable()
    {
        var browser = await Browser();
        foreach (var (width, height) in new[] { (960, 600), (360, 740), (768, 900) })
        {
            var (page, errors) = await AccessibilityBrowserTests.Open(browser, report.Report, width, height);
            string size = $"{width}×{height}";
            await page.Locator("button.dock-open").ClickAsync();
            var grow = page.Locator("button.dock-grow");
            await grow.ClickAsync();
            double usual = Math.Min(0.44 * height, 420);
            foreach (int n in new[] { 2, 5 })
            {
                var card = page.Locator(".card").Nth(n);
                string key = (await card.GetAttributeAsync("data-key"))!;
                await card.EvaluateAsync("c => { c.scrollIntoView({ block: 'start' }); c.click(); }");
                Assert.Equal("true", await card.GetAttributeAsync("aria-current"));
                Assert.Equal("true", await grow.GetAttributeAsync("aria-pressed"));
                var p = await page.EvaluateAsync<double[]>(Place, key);
                string where = $"{size}, card {n} selected under the enlarged dock: card {p[0]:F0}..{p[1]:F0}, the methods bar ends at {p[2]:F0}, the dock starts at {p[3]:F0}";
                Console.WriteLine(where);
                // As much of the card as the dock's usual height leaves (all of it where that room holds it), its top under the bar.
                double room = height - usual - p[2] - 20, shown = Math.Min(p[1], p[3]) - p[0];
                Assert.True(p[0] >= p[2] - 0.5 && shown >= Math.Min(p[1] - p[0], room) - 0.5, where);
                // The dock no lower than its usual height, no higher than the enlarged one.
                Assert.True(p[3] <= height - usual + 0.5 && p[3] >= 0.15 * height - 0.5, where);
                // Let go, the dock is enlarged again.
                await card.EvaluateAsync("c => c.click()");
                var after = await page.EvaluateAsync<double[]>(Place, key);
                Assert.True(Math.Abs(after[3] - 0.15 * height) < 1, $"{size}: with no card selected the dock starts at {after[3]:F0}, not at 15% of {height}");
            }
            Assert.Empty(errors);
            await page.CloseAsync();
        }
    }

    /// <summary>
    /// At 960×600 the dock at its usual height (min(44vh, 420 px): 264 px) left a selected card 287 px between the methods bar and
    /// itself: a 575-px card showed its top half. While a card is selected the dock now gives up what the card's top needs (the
    /// whole card where its least height, 30% of the window, leaves room for it, else down to its samples and the note under
    /// them), and takes it back when the card is let go. At 1280×800 and wider nothing docks.
    /// </summary>
    [ChromiumFact]
    public async Task ASelectedCardIsReadableAboveTheUsualDockAt960x600()
    {
        var browser = await Browser();
        var (page, errors) = await AccessibilityBrowserTests.Open(browser, report.Report, 960, 600);
        const string Parts = """
            k => {
              const card = document.getElementById('card-' + k), c = card.getBoundingClientRect();
              const shown = (card.querySelector('.gridnote') || card.querySelector('.grid, .texts, .ids')).getBoundingClientRect();
              return [c.top, c.bottom, shown.bottom, document.querySelector('nav.methods').getBoundingClientRect().bottom,
                document.querySelector('aside.maps .sticky').getBoundingClientRect().top];
            }
            """;
        int cards = await page.Locator(".card").CountAsync(), tall = 0;
        for (int n = 0; n < Math.Min(cards, 12); n++)
        {
            var card = page.Locator(".card").Nth(n);
            string key = (await card.GetAttributeAsync("data-key"))!;
            await card.EvaluateAsync("c => { c.scrollIntoView({ block: 'end' }); c.click(); }");
            Assert.Equal("true", await card.GetAttributeAsync("aria-current"));
            var p = await page.EvaluateAsync<double[]>(Parts, key);
            string where = $"960×600, card {n} ({p[1] - p[0]:F0} px, its samples and note end {p[2] - p[0]:F0} px down) selected: card {p[0]:F0}..{p[1]:F0}, the methods bar ends at {p[3]:F0}, the dock starts at {p[4]:F0}";
            Console.WriteLine(where);
            if (p[1] - p[0] > 600 - 0.44 * 600 - p[3] - 20) tall++;
            // Its top under the bar, and down to its samples and their note above the dock; the whole card where the least dock leaves room.
            Assert.True(p[0] >= p[3] - 0.5 && p[2] <= p[4] + 0.5, where);
            if (p[1] - p[0] <= 600 - 0.3 * 600 - p[3] - 20) Assert.True(p[1] <= p[4] + 0.5, where + " (the card fits above the least dock but runs under it)");
            Assert.True(p[4] <= 600 - 0.3 * 600 + 0.5, where + " (the dock below its least height)");
            // Let go, the dock is back at its usual height.
            await card.EvaluateAsync("c => c.click()");
            double dockTop = await page.EvaluateAsync<double>("() => document.querySelector('aside.maps .sticky').getBoundingClientRect().top");
            Assert.True(Math.Abs(dockTop - (600 - 0.44 * 600)) < 1, $"960×600: with card {n} let go the dock starts at {dockTop:F0}, not at its usual {600 - 0.44 * 600:F0}");
        }
        // The fixture holds cards taller than the usual dock leaves room for, which this is about.
        Assert.True(tall > 0, "no card was taller than the room above the usual dock");
        Assert.Empty(errors);
        await page.CloseAsync();

        // At 1280×800 the maps stay in their column beside the cards, selected or not.
        (page, errors) = await AccessibilityBrowserTests.Open(browser, report.Report, 1280, 800);
        await page.Locator(".card").Nth(1).EvaluateAsync("c => c.click()");
        Assert.Equal("sticky", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('aside.maps .sticky')).position"));
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.classList.contains('docked') || document.documentElement.classList.contains('dock-fit')"));
        Assert.Empty(errors);
        await page.CloseAsync();
    }
}
