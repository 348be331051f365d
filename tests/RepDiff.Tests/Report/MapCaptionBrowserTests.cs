using Microsoft.Playwright;

namespace RepDiff.Tests.Report;

/// <summary>
/// The maps' caption (#map-caption) had at least two lines: at 1280×800 its three-line hint became a card's two-line caption
/// as the reader hovered a card, and three again as the mouse left, so the maps under it moved 18 px up and down. It now keeps
/// three lines in the side panel and two in the dock, whatever it says; what follows it stays where it is.
/// </summary>
public class MapCaptionBrowserTests(CardReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium)
{
    /// <summary>[the caption's height, the colour bar's top and the shown maps' top, both from the panel's top] (the panel is sticky).</summary>
    private const string Measure = """
        () => {
          const panel = document.querySelector('aside.maps .sticky').getBoundingClientRect().top;
          const caption = document.getElementById('map-caption').getBoundingClientRect();
          return [caption.height, document.querySelector('.mapbar').getBoundingClientRect().top - panel,
            document.querySelector('.mapset:not([hidden])').getBoundingClientRect().top - panel];
        }
        """;

    [ChromiumFact]
    public async Task TheCaptionKeepsItsHeightAsTheReaderHoversAndSelects()
    {
        var browser = await Browser();
        foreach (var (width, height) in new[] { (1280, 800), (1920, 1080) })
        {
            var (page, errors) = await AccessibilityBrowserTests.Open(browser, report.Report, width, height);
            var states = new List<(string State, double[] Place, string Caption)>();
            async Task Record(string state) =>
                states.Add((state, await page.EvaluateAsync<double[]>(Measure), await page.Locator("#map-caption").TextContentAsync() ?? ""));
            await Record("at first");
            var cards = page.Locator(".card");
            await cards.Nth(0).HoverAsync(new LocatorHoverOptions { Position = new Position { X = 5, Y = 5 } });
            await Record("a card hovered");
            await cards.Nth(2).ClickAsync(new LocatorClickOptions { Position = new Position { X = 5, Y = 5 } });
            await page.Locator("header.top").HoverAsync(new LocatorHoverOptions { Position = new Position { X = 5, Y = 5 } });
            await Record("a card selected, the mouse gone");
            await page.Locator("#map-search").FillAsync("p1");
            await page.Locator("#map-search").PressAsync("Enter");
            await Record("samples selected by the search");
            await page.Locator("#map-clear").ClickAsync();
            await Record("the selection cleared");

            string said = string.Join("\n", states.Select(s => $"{width}×{height}, {s.State}: caption {s.Place[0]:F1} px high, the colour bar at {s.Place[1]:F1}, the maps at {s.Place[2]:F1}: \"{s.Caption}\""));
            Console.WriteLine(said);
            // The states say different things (so this measures what changes), each in the same room.
            Assert.True(states.Select(s => s.Caption).Distinct().Count() >= 4, said);
            foreach (var s in states)
                for (int k = 0; k < 3; k++)
                    Assert.True(Math.Abs(s.Place[k] - states[0].Place[k]) < 0.5, said);
            Assert.True(Math.Abs(states[0].Place[0] - 3 * 12.5 * 1.45) < 1, said); // three lines of 12.5 px
            Assert.Empty(errors);
            await page.CloseAsync();
        }
    }

    /// <summary>In the dock (narrow windows) the caption, or the line naming the selection's concepts in its place, keeps two lines.</summary>
    [ChromiumFact]
    public async Task TheDockedCaptionKeepsItsHeight()
    {
        var browser = await Browser();
        var (page, errors) = await AccessibilityBrowserTests.Open(browser, report.Report, 960, 600);
        await page.Locator("button.dock-open").ClickAsync();
        const string Docked = """
            () => {
              const panel = document.querySelector('aside.maps .sticky').getBoundingClientRect();
              const line = [document.getElementById('map-caption'), document.getElementById('map-concepts')].find(e => e.getBoundingClientRect().height > 0);
              const top = line.getBoundingClientRect().top; // the dock scrolls its own content (the search field is below the maps)
              return [line.getBoundingClientRect().height, document.querySelector('.mapset:not([hidden])').getBoundingClientRect().top - top, panel.height];
            }
            """;
        var first = await page.EvaluateAsync<double[]>(Docked);
        await page.Locator(".card").Nth(1).HoverAsync(new LocatorHoverOptions { Position = new Position { X = 5, Y = 5 } });
        var hovered = await page.EvaluateAsync<double[]>(Docked);
        await page.Locator("#map-search").FillAsync("p1");
        await page.Locator("#map-search").PressAsync("Enter");
        var selected = await page.EvaluateAsync<double[]>(Docked);
        string said = $"docked at 960×600: at first {string.Join(", ", first.Select(v => v.ToString("F1")))}; a card hovered {string.Join(", ", hovered.Select(v => v.ToString("F1")))}; "
            + $"samples selected {string.Join(", ", selected.Select(v => v.ToString("F1")))} (the line's height, the maps' top under its top, the dock's height)";
        Console.WriteLine(said);
        foreach (var state in new[] { hovered, selected })
            for (int k = 0; k < 3; k++)
                Assert.True(Math.Abs(state[k] - first[k]) < 0.5, said);
        Assert.Empty(errors);
        await page.CloseAsync();
    }
}
