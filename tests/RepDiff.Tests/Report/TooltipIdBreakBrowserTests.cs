using Microsoft.Playwright;

namespace RepDiff.Tests.Report;

/// <summary>
/// The maps' tooltip names a hovered sample by its id and label as the member list and the cards do: broken only after "/", "_",
/// "-", "." or at a space, a word wider than the tooltip's 240 px ending in "…", never past the tooltip. It had broken them at any
/// letter ("imagenet/n01440764/n01440764_10|080.JPEG", "Donaudampfschifffahrtsgesellschaftsk|apitänsmütze"). Points of every
/// kind of id and label hovered with the mouse at a phone's, a tablet's and a laptop's width.
/// </summary>
public class TooltipIdBreakBrowserTests(LongIdsReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium)
{
    [ChromiumFact]
    public async Task TheTooltipBreaksIdsAndLabelsAfterTheirSeparatorsOrEndsThemInAnEllipsis()
    {
        var browser = await Browser();
        var shown = new List<(int Width, List<string> Rows)>();
        foreach (int width in new[] { 360, 768, 1280 })
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
            await page.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            await page.EvaluateAsync("() => document.querySelector('.mapset:not([hidden]) canvas.overlay[data-side=a]').scrollIntoView({ block: 'center' })");
            var rows = new List<string>();
            // 28 samples: each of the four kinds of id with each of the seven labels.
            for (int i = 0; i < 28; i++)
            {
                var point = await page.EvaluateAsync<double[]?>("i => { const p = rdMaps.point('a', i); return p && [p.x, p.y]; }", i);
                Assert.True(point is { Length: 2 } && point[1] >= 0 && point[1] <= 900, $"{width} px: sample {i} is not on the window's map");
                await page.Mouse.MoveAsync((float)point[0], (float)point[1]);
                // One row per value the tooltip shows: tooltip width | value | lines, ellipsis | problems.
                rows.AddRange(await page.EvaluateAsync<string[]>(@"() => {" + LongIdsReportFixture.LinesScript + @"
                  const tip = document.getElementById('tip');
                  if (tip.hidden) return ['hidden | | | the tooltip is hidden'];
                  const box = tip.getBoundingClientRect();
                  return Array.from(tip.querySelectorAll('bdi'), value => {
                    const { text, shown, problems } = shownIn(value, box);
                    return `${Math.round(box.width)} px | ${text} | ${shown} | ${problems.join('; ')}`;
                  });
                }"));
            }
            shown.Add((width, rows));
            await page.CloseAsync();
        }
        // Counted at every width before any is checked, so the message says how many broke where.
        string counts = string.Join("; ", shown.Select(s => $"{s.Width} px: {s.Rows.Count(r => r.Contains("broken inside a word", StringComparison.Ordinal))} of {s.Rows.Count} broken inside a word"));
        Console.WriteLine("Tooltip: " + counts);
        foreach (var (width, rows) in shown)
        {
            string all = string.Join("\n", rows);
            Assert.True(rows.Count >= 40, $"{width} px: {rows.Count} values\n{all}");
            foreach (var row in rows)
                Assert.True(row.Split(" | ")[3].Length == 0, $"{counts}\n{width} px window: {row}\n{all}");
            // The word wider than the tooltip ends in "…"; a path wraps after its separators.
            Assert.Contains(rows, row => row.Contains("| Donaudampf", StringComparison.Ordinal) && row.Contains(", ends in …", StringComparison.Ordinal));
            Assert.Contains(rows, row => row.Contains("| imagenet/", StringComparison.Ordinal) && !row.Contains("| 1 lines", StringComparison.Ordinal));
        }
    }
}
