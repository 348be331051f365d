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
}
