using Microsoft.Playwright;

namespace RepDiff.Tests.Report;

/// <summary>
/// Below 1,000 px the "maps" button, fixed over the page's foot at its right (12 px in), covered the ends of the lines that
/// scrolled under it: cards' lines, the methods table's note, the header's. A 92-px gutter for it (h253) cost a phone a
/// quarter of its width and was reverted. The button is now a tab at the window's right edge, inside the page's own margin
/// where no line runs, and an early Tab stop: scrolled from the page's top to its foot, it covers no line of text, and it
/// still docks the maps.
/// </summary>
public class MapsButtonBrowserTests(CardReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium)
{
    /// <summary>
    /// Scrolls from the top to the foot, half a window at a time. At each place, a line of text is under the button before the
    /// next place if it meets the button's box stretched down by that step (the page moves up under the fixed button). A
    /// line's boxes are its text's client rects cut to each ancestor that clips (a table that scrolls sideways, a list of ids
    /// that scrolls, a clamped text). Returns [cards whose lines were seen in the window, cards, ...lines met].
    /// </summary>
    private const string LinesUnderTheButton = """
        () => {
          const button = document.querySelector('button.dock-open').getBoundingClientRect();
          const clips = el => { const out = []; for (let a = el; a && a !== document.body; a = a.parentElement) { const s = getComputedStyle(a); if (s.overflowX !== 'visible' || s.overflowY !== 'visible') out.push(a); } return out; };
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), nodes = [];
          for (let t = walker.nextNode(); t; t = walker.nextNode()) {
            const el = t.parentElement;
            if (!t.textContent.trim() || el.closest('button.dock-open, script, style')) continue;
            nodes.push({ t, clippedBy: clips(el), card: el.closest('.card') });
          }
          const range = document.createRange(), seen = new Set(), met = [];
          const max = document.documentElement.scrollHeight - innerHeight, step = Math.floor(innerHeight / 2);
          for (let at = 0; ; at = Math.min(max, at + step)) {
            scrollTo(0, at);
            const next = Math.min(max, at + step), band = { left: button.left, right: button.right, top: button.top, bottom: button.bottom + next - at };
            for (const { t, clippedBy, card } of nodes) {
              range.selectNodeContents(t);
              for (const r of range.getClientRects()) {
                let box = { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
                for (const a of clippedBy) {
                  const c = a.getBoundingClientRect();
                  box = { left: Math.max(box.left, c.left), right: Math.min(box.right, c.right), top: Math.max(box.top, c.top), bottom: Math.min(box.bottom, c.bottom) };
                }
                if (box.right - box.left < 0.5 || box.bottom - box.top < 0.5 || box.bottom <= 0 || box.top >= innerHeight) continue;
                if (card) seen.add(card);
                if (Math.min(box.right, band.right) - Math.max(box.left, band.left) > 0.5 && Math.min(box.bottom, band.bottom) - Math.max(box.top, band.top) > 0.5)
                  met.push(`at scroll ${at}: ${card ? "card " : ""}"${t.textContent.trim().slice(0, 40)}" (${t.parentElement.tagName.toLowerCase()}.${t.parentElement.className}) ${box.left.toFixed(0)}..${box.right.toFixed(0)} × ${box.top.toFixed(0)}..${box.bottom.toFixed(0)}`);
              }
            }
            if (at === max) break;
          }
          return [String(seen.size), String(document.querySelectorAll('.card').length),
            `button ${button.left.toFixed(0)}..${button.right.toFixed(0)} × ${button.top.toFixed(0)}..${button.bottom.toFixed(0)}, page ${max + innerHeight} px`, ...met];
        }
        """;

    [ChromiumFact]
    public async Task TheMapsButtonCoversNoTextAsThePageScrollsAndStillOpensTheMaps()
    {
        var browser = await Browser();
        foreach (var (width, height) in new[] { (360, 740), (768, 1024), (960, 600) })
        {
            var (page, errors) = await AccessibilityBrowserTests.Open(browser, report.Report, width, height);
            string size = $"{width}×{height}";
            // The main column as wide as the window leaves it with the page's margins alone: the button takes no text width.
            var main = await page.EvaluateAsync<double[]>("() => [document.querySelector('main').getBoundingClientRect().width, document.documentElement.clientWidth]");
            Assert.True(Math.Abs(main[0] - (main[1] - 2 * 28)) < 1, $"{size}: the main column is {main[0]} px in a page {main[1]} px wide");

            var found = await page.EvaluateAsync<string[]>(LinesUnderTheButton);
            Console.WriteLine($"{size}: {found[2]}, cards seen {found[0]} of {found[1]}, lines under the button {found.Length - 3}");
            Assert.True(found[0] == found[1] && int.Parse(found[1], System.Globalization.CultureInfo.InvariantCulture) > 10, $"{size}: the scroll passed {found[0]} of {found[1]} cards");
            Assert.True(found.Length == 3, $"{size}: {found.Length - 3} text lines pass under the maps button ({found[2]}), e.g.:\n" + string.Join("\n", found.Skip(3).Take(12)));

            // Reached by Tab from the page's top before any card, named, and Enter docks the maps with the focus on "hide the maps".
            await page.EvaluateAsync("() => { document.activeElement.blur(); scrollTo(0, 0); }");
            var stops = new List<string>();
            for (int i = 0; i < 8; i++)
            {
                await page.Keyboard.PressAsync("Tab");
                stops.Add(await page.EvaluateAsync<string>("() => document.activeElement.tagName.toLowerCase() + '.' + document.activeElement.className"));
                if (stops[^1] == "button.dock-open") break;
            }
            Assert.True(stops[^1] == "button.dock-open", $"{size}: Tab from the top went to {string.Join(", ", stops)}");
            Assert.Equal(1, await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "show the maps" }).CountAsync());
            var opener = page.Locator("button.dock-open");
            Assert.Equal("false", await opener.GetAttributeAsync("aria-expanded"));
            await page.Keyboard.PressAsync("Enter");
            Assert.Equal("true", await opener.GetAttributeAsync("aria-expanded"));
            var dock = await page.EvaluateAsync<double[]>("() => { const r = document.querySelector('aside.maps .sticky').getBoundingClientRect(); return [document.documentElement.classList.contains('docked') ? 1 : 0, r.top, r.bottom, innerHeight]; }");
            Assert.True(dock[0] == 1 && dock[1] < dock[3] && Math.Abs(dock[2] - dock[3]) < 1, $"{size}: the maps did not dock at the window's foot: [{string.Join(", ", dock)}]");
            Assert.Equal("button.dock-close", await page.EvaluateAsync<string>("() => document.activeElement.tagName.toLowerCase() + '.' + document.activeElement.className"));
            Assert.Empty(errors);
            await page.CloseAsync();
        }
    }
}
