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
              // Last, the card's whole height: one taller than the room scrolls in a box of the room's height.
              return [c.top, c.bottom, shown.bottom, document.querySelector('nav.methods').getBoundingClientRect().bottom,
                document.querySelector('aside.maps .sticky').getBoundingClientRect().top, Math.max(c.height, card.scrollHeight + 2)];
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
            string where = $"960×600, card {n} ({p[5]:F0} px, its samples and note end {p[2] - p[0]:F0} px down) selected: card {p[0]:F0}..{p[1]:F0}, the methods bar ends at {p[3]:F0}, the dock starts at {p[4]:F0}";
            Console.WriteLine(where);
            if (p[5] > 600 - 0.44 * 600 - p[3] - 20) tall++;
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

    /// <summary>
    /// At 960×600 a selected card taller than the room the dock's least height leaves (575 px against 600 − 39 − 180 − 20) showed
    /// its top down to its samples' note, its foot under the dock, reached only by scrolling the page, which took its top under the
    /// methods bar. Such a card is now held to the room between the bar and the dock and scrolls in its own box, by the wheel or
    /// the keyboard, the page and the dock staying where they are; let go, it has its height back. At 1280×800 nothing is held.
    /// </summary>
    [ChromiumFact]
    public async Task ACardTallerThanTheRoomAboveTheDockScrollsInItsOwnBox()
    {
        var browser = await Browser();
        var (page, errors) = await AccessibilityBrowserTests.Open(browser, report.Report, 960, 600);
        // [card top, card bottom, the bottom of its last part, its own scroll, how far it can scroll, the page's scroll,
        //  the methods bar's bottom, the dock's top, the card's middle across].
        const string State = """
            k => {
              const card = document.getElementById('card-' + k), c = card.getBoundingClientRect();
              return [c.top, c.bottom, card.lastElementChild.getBoundingClientRect().bottom, card.scrollTop, card.scrollHeight - card.clientHeight, scrollY,
                document.querySelector('nav.methods').getBoundingClientRect().bottom, document.querySelector('aside.maps .sticky').getBoundingClientRect().top, c.left + c.width / 2];
            }
            """;
        int held = 0;
        for (int n = 0; n < 6; n++)
        {
            var card = page.Locator(".card").Nth(n);
            string key = (await card.GetAttributeAsync("data-key"))!;
            double whole = await card.EvaluateAsync<double>("c => { c.scrollIntoView({ block: 'start' }); return c.getBoundingClientRect().height; }");
            bool byWheel = n % 2 == 0;
            if (byWheel) await card.ClickAsync(new LocatorClickOptions { Position = new Position { X = 5, Y = 5 } });
            else { await card.FocusAsync(); await page.Keyboard.PressAsync("Enter"); }
            Assert.Equal("true", await card.GetAttributeAsync("aria-current"));
            var p = await page.EvaluateAsync<double[]>(State, key);
            string where = $"960×600, card {n} ({whole:F0} px) selected: its box {p[0]:F0}..{p[1]:F0}, the methods bar ends at {p[6]:F0}, the dock starts at {p[7]:F0}";
            Console.WriteLine(where);
            // The card's box whole between the bar and the dock, the foot of a tall one in its own scroll.
            Assert.True(p[0] >= p[6] - 0.5 && p[1] <= p[7] + 0.5, where);
            if (whole > p[7] - p[6] - 20)
            {
                held++;
                Assert.True(p[4] > 0, where + " (a card taller than the room but nothing in it to scroll)");
                if (byWheel)
                {
                    await page.Mouse.MoveAsync((float)p[8], (float)(p[0] + p[1]) / 2);
                    await page.Mouse.WheelAsync(0, 2000);
                }
                else await page.Keyboard.PressAsync("End");
                await page.WaitForFunctionAsync("k => { const c = document.getElementById('card-' + k); return c.scrollTop >= c.scrollHeight - c.clientHeight - 1; }", key);
                var q = await page.EvaluateAsync<double[]>(State, key);
                string end = $"{where}; scrolled to its foot by {(byWheel ? "the wheel" : "End")}: its last part ends at {q[2]:F0}, the box {q[0]:F0}..{q[1]:F0}, the page moved {q[5] - p[5]:F0} px, the dock starts at {q[7]:F0}";
                Console.WriteLine(end);
                Assert.True(q[2] <= q[7] + 0.5 && q[2] > q[6], end);
                Assert.True(Math.Abs(q[5] - p[5]) < 1 && Math.Abs(q[7] - p[7]) < 1 && Math.Abs(q[0] - p[0]) < 1, end + " (the page or the dock moved)");
            }
            // Let go, the card has its whole height again.
            await card.EvaluateAsync("c => c.click()");
            double after = await card.EvaluateAsync<double>("c => c.getBoundingClientRect().height");
            Assert.True(Math.Abs(after - whole) < 1, $"960×600: card {n} let go is {after:F0} px high, not its {whole:F0}");
        }
        // The fixture holds cards taller than the room, which this is about.
        Assert.True(held > 0, "no card was taller than the room above the dock");
        Assert.Empty(errors);
        await page.CloseAsync();

        // At 1280×800 the maps stay beside the cards and a selected card keeps its height.
        (page, errors) = await AccessibilityBrowserTests.Open(browser, report.Report, 1280, 800);
        var first = page.Locator(".card").Nth(0);
        double height = await first.EvaluateAsync<double>("c => c.getBoundingClientRect().height");
        await first.EvaluateAsync("c => c.click()");
        Assert.Equal(height, await first.EvaluateAsync<double>("c => c.getBoundingClientRect().height"), 0.5);
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    /// <summary>
    /// A card held in its own box above the dock (960×600) scrolled its head away with its body: at its foot the reader no longer
    /// saw its rank, strength, BSR and trust lines, so not which concept they were reading. The head now stays at the top of the
    /// card's box, opaque over the body scrolling under it, with the body's first line under it readable and the dock unmoved.
    /// </summary>
    [ChromiumFact]
    public async Task AHeldCardKeepsItsHeadInViewAsItsBodyScrolls()
    {
        var browser = await Browser();
        var (page, errors) = await AccessibilityBrowserTests.Open(browser, report.Report, 960, 600);
        // [the box's inner top, its bottom, the head's top (rank and strength), the head's bottom (its last trust line, else the
        //  BSR line), the dock's top, the page's scroll, whether what shows at the rank is the head's, whether what shows just under
        //  the head is the body's, the body's last part's bottom].
        const string State = """
            k => {
              const card = document.getElementById('card-' + k), c = card.getBoundingClientRect();
              const parts = [...card.querySelectorAll('header, .sub, .trust')], top = parts[0].getBoundingClientRect(), bottom = parts.at(-1).getBoundingClientRect().bottom;
              const inHead = e => parts.some(p => p.contains(e)), x = c.left + 24;
              const atRank = document.elementFromPoint(card.querySelector('.rank').getBoundingClientRect().left + 4, top.top + top.height / 2);
              const under = document.elementFromPoint(x, bottom + 12);
              return [c.top + card.clientTop, c.bottom, top.top, bottom, document.querySelector('aside.maps .sticky').getBoundingClientRect().top, scrollY,
                inHead(atRank) ? 1 : 0, card.contains(under) && !inHead(under) ? 1 : 0, card.lastElementChild.getBoundingClientRect().bottom];
            }
            """;
        int held = 0;
        for (int n = 0; n < 4; n++)
        {
            var card = page.Locator(".card").Nth(n);
            string key = (await card.GetAttributeAsync("data-key"))!;
            await card.EvaluateAsync("c => { c.scrollIntoView({ block: 'start' }); c.click(); }");
            if (!await card.EvaluateAsync<bool>("c => c.classList.contains('held-in')")) continue;
            held++;
            var p = await page.EvaluateAsync<double[]>(State, key);
            await card.EvaluateAsync("c => { c.scrollTop = c.scrollHeight; }");
            await page.WaitForFunctionAsync("k => { const c = document.getElementById('card-' + k); return c.scrollTop >= c.scrollHeight - c.clientHeight - 1; }", key);
            var q = await page.EvaluateAsync<double[]>(State, key);
            string where = $"960×600, card {n} scrolled to its foot: its box {q[0]:F0}..{q[1]:F0}, its head {q[2]:F0}..{q[3]:F0} (before scrolling {p[2]:F0}..{p[3]:F0}), "
                + $"its last part ends at {q[8]:F0}, the dock starts at {q[4]:F0} (before {p[4]:F0})";
            Console.WriteLine(where);
            // The head whole inside the box, at its top, as before the body scrolled.
            Assert.True(q[2] >= q[0] - 0.5 && q[3] <= q[1] + 0.5 && Math.Abs(q[2] - p[2]) < 1, where + " (the head left the card's box)");
            // Drawn over the body (nothing shows through at the rank), and the body's line just under it is the body's, uncovered.
            Assert.True(q[6] == 1 && q[7] == 1, where + $" (at the rank the head shows: {q[6] == 1}; under the head the body shows: {q[7] == 1})");
            // The body's foot reached under the head, inside the box; the page and the dock unmoved.
            Assert.True(q[8] > q[3] && q[8] <= q[1] + 0.5, where + " (the body's foot is not shown below the head)");
            Assert.True(Math.Abs(q[4] - p[4]) < 1 && Math.Abs(q[5] - p[5]) < 1, where + " (the page or the dock moved)");
            await card.EvaluateAsync("c => c.click()");
        }
        // The fixture holds cards taller than the room, which this is about.
        Assert.True(held > 0, "no card was held in its own box");
        Assert.Empty(errors);
        await page.CloseAsync();
    }
}
