using Microsoft.Playwright;

namespace RepDiff.Tests.Report;

/// <summary>
/// The report on paper and in forced colours (Windows High Contrast), in headless Chromium on the labelled `spec` report
/// (review 167, F11 and F6): printed, the controls that do nothing on paper are gone and both maps sit beside each other
/// above their one legend, so map A is not printed without one; in forced colours the legend's swatches, the label bars and
/// the rank badges keep their colours, as the maps' points do, so the colours still have a key.
/// </summary>
public class PrintAndForcedColoursBrowserTests(NullPairReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium)
{
    private async Task<IPage> Open(BrowserNewPageOptions? options = null)
    {
        var browser = await Browser();
        options ??= new BrowserNewPageOptions();
        options.ViewportSize = new ViewportSize { Width = 1280, Height = 900 };
        var page = await browser.NewPageAsync(options);
        await page.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return page;
    }

    [ChromiumFact]
    public async Task PrintedControlsAreHiddenAndBothMapsStandAboveTheirLegend()
    {
        var page = await Open();
        // On screen the controls are there (the test would pass on a page without them otherwise).
        const string Controls = "#map-search, .maptabs, #map-colour, section.export, .open-members";
        string Shown() => @"sel => Array.from(document.querySelectorAll(sel)).filter(e => e.getClientRects().length > 0).map(e => e.id || e.className || e.tagName)";
        Assert.Equal(5, (await page.EvaluateAsync<string[]>(Shown(), Controls)).Select(s => s.Split(' ')[0]).Distinct().Count());

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.Empty(await page.EvaluateAsync<string[]>(Shown(), Controls));
        // The maps stay, side by side, with the legend right under both, kept on one page with them.
        var layout = await page.EvaluateAsync<double[]>(@"() => {
            const [a, b] = Array.from(document.querySelectorAll('.mapset:not([hidden]) figure')).map(f => f.getBoundingClientRect());
            const legend = document.getElementById('map-legend').getBoundingClientRect();
            return [a.top, b.top, a.right, b.left, legend.top - Math.max(a.bottom, b.bottom), legend.height, a.width];
        }");
        Assert.True(Math.Abs(layout[0] - layout[1]) < 1, $"the two maps' tops: {layout[0]} and {layout[1]}");
        Assert.True(layout[2] <= layout[3], $"map A ends at {layout[2]}, map B starts at {layout[3]}");
        Assert.True(layout[4] >= 0 && layout[4] < 120, $"the legend starts {layout[4]} px under the maps");
        Assert.True(layout[5] > 0 && layout[6] > 150, $"legend {layout[5]} px tall, map {layout[6]} px wide");
        Assert.Equal("avoid", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('aside.maps .sticky')).breakInside"));
    }

    [ChromiumFact]
    public async Task InForcedColoursTheLegendBarsAndBadgesKeepTheirColours()
    {
        var page = await Open(new BrowserNewPageOptions { ForcedColors = ForcedColors.Active });
        Assert.True(await page.EvaluateAsync<bool>("() => matchMedia('(forced-colors: active)').matches"));
        // Each swatch's background is the colour its points have on the maps (set inline by maps.js), not the system's.
        var swatches = await page.EvaluateAsync<string[][]>(@"() => Array.from(document.querySelectorAll('#map-legend .key i')).map(i => {
            const probe = document.createElement('span'); probe.style.forcedColorAdjust = 'none'; probe.style.color = i.style.background; document.body.appendChild(probe);
            const wanted = getComputedStyle(probe).color; probe.remove();
            return [wanted, getComputedStyle(i).backgroundColor];
        })");
        Assert.True(swatches.Length >= 5, $"{swatches.Length} legend entries");
        Assert.All(swatches, s => Assert.Equal(s[0], s[1]));
        Assert.True(swatches.Select(s => s[1]).Distinct().Count() >= 5, string.Join(", ", swatches.Select(s => s[1])));
        // A label bar's fill keeps its label's colour, and a rank badge its disc.
        var bars = await page.EvaluateAsync<string[]>("() => Array.from(document.querySelectorAll('.hbar i')).map(i => getComputedStyle(i).backgroundColor)");
        Assert.NotEmpty(bars);
        Assert.True(bars.Distinct().Count() >= 2, string.Join(", ", bars.Distinct()));
        Assert.DoesNotContain("rgba(0, 0, 0, 0)", bars);
        var badge = await page.EvaluateAsync<string[]>(@"() => {
            const r = getComputedStyle(document.querySelector('.rank'));
            const probe = document.createElement('span'); probe.style.forcedColorAdjust = 'none'; probe.style.color = 'var(--ink)'; document.body.appendChild(probe);
            const ink = getComputedStyle(probe).color; probe.remove();
            return [ink, r.backgroundColor, r.outlineStyle];
        }");
        Assert.Equal(badge[0], badge[1]);
        // Its edge in the system's text colour, so the disc stays visible on a dark high-contrast background.
        Assert.NotEqual("none", badge[2]);
    }
}
