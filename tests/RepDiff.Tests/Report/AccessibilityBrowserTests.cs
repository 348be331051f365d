using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RepDiff.Report;
using RepDiff.Reporting;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Report;

/// <summary>
/// `repdiff compare` of the digits fixture with its pictures and labels, three methods and held-out validation (so some cards
/// are unconfirmed), run once when an accessibility test first needs it.
/// </summary>
public sealed class AccessibleReportFixture
{
    private readonly Lazy<string> run = new(() =>
    {
        string outDir = Path.Combine(TestData.TempDir(), "out");
        var outcome = CliHarness.Run("compare", TestData.Fixture("digits_m49_a.npy"), TestData.Fixture("digits_m49_b.npy"),
            "--labels", TestData.Fixture("digits_labels.npy"), "--images", TestData.Fixture("digits_pixels.npy"),
            "--methods", "rdx,kmeans,pca", "--validate", "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stdout + "\n" + outcome.Stderr);
        return Path.Combine(outDir, "report.html");
    });

    public string Report => run.Value;
}

/// <summary>
/// The report for everyone who opens it, in headless Chromium: read by the keyboard alone (skip links, a visible focus on the
/// cards, a card's selection said aloud, the legend's entries, wide tables), by a screen reader (names, states, header cells),
/// by eyes that need contrast or tell red from green poorly, with reduced motion, at 400% zoom, and shared as a file.
/// </summary>
public class AccessibilityBrowserTests(AccessibleReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium), IClassFixture<AccessibleReportFixture>
{
    internal static async Task<(IPage Page, List<string> Errors)> Open(IBrowser browser, string path, int width = 1400, int height = 1000, BrowserNewPageOptions? options = null)
    {
        options ??= new BrowserNewPageOptions();
        options.ViewportSize = new ViewportSize { Width = width, Height = height };
        var page = await browser.NewPageAsync(options);
        page.SetDefaultTimeout(120_000);
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return (page, errors);
    }

    /// <summary>What has the keyboard's focus: its tag, class and text (or label), to say where Tab went.</summary>
    private static Task<string> Focused(IPage page) => page.EvaluateAsync<string>(
        "() => { const e = document.activeElement; return e.tagName.toLowerCase() + '.' + e.className + ' ' + (e.getAttribute('aria-label') || e.textContent).trim().slice(0, 40); }");

    /// <summary>
    /// The maps come last in the page: the keyboard passed every BSR link, consensus row, card and button first (189 Tab
    /// presses in this report, 332 in the garments demo). Two links on the first Tab presses skip there, or to the concepts.
    /// </summary>
    [ChromiumFact]
    public async Task SkipLinksTakeTheKeyboardToTheConceptsAndToTheMaps()
    {
        var browser = await Browser();
        var (page, errors) = await Open(browser, report.Report);

        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("a. Skip to the concepts", await Focused(page));
        // Out of sight until reached, then in the window.
        var shown = await page.EvaluateAsync<double[]>("() => { const r = document.activeElement.getBoundingClientRect(); return [r.top, r.bottom, innerHeight]; }");
        Assert.True(shown[0] >= 0 && shown[1] <= shown[2], $"the focused skip link is at {shown[0]}..{shown[1]}");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("a. Skip to the maps", await Focused(page));
        await page.Keyboard.PressAsync("Enter");
        // The next Tabs are the maps' own controls, ending at the maps themselves.
        var stops = new List<string>();
        for (int i = 0; i < 6 && !stops.Any(s => s.StartsWith("div.mapbox", StringComparison.Ordinal)); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            Assert.True(await page.EvaluateAsync<bool>("() => !!document.activeElement.closest('aside.maps')"), $"Tab after the skip link went to {await Focused(page)}");
            stops.Add(await Focused(page));
        }
        Assert.Contains(stops, s => s.StartsWith("div.mapbox", StringComparison.Ordinal));

        await page.EvaluateAsync("() => { document.activeElement.blur(); window.scrollTo(0, 0); }");
        await page.Locator("nav.skip a").First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>("() => !!document.activeElement.closest('#method-0')"), $"Tab after 'skip to the concepts' went to {await Focused(page)}");
        Assert.Empty(errors);
    }

    /// <summary>
    /// A card reached by Tab had only a light blue border (#9db8ea, 2:1 on white) to show it: now a 2-pixel ring of the accent
    /// colour. Enter selects it, which a screen reader now hears, and the card says it is the current one.
    /// </summary>
    [ChromiumFact]
    public async Task AFocusedCardShowsAVisibleRingAndItsSelectionIsSaidAloud()
    {
        var browser = await Browser();
        var (page, errors) = await Open(browser, report.Report);

        // Reached from the keyboard (Shift+Tab, Tab), as :focus-visible requires.
        var card = page.Locator(".card").Nth(1);
        await card.FocusAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Tab");
        var ring = await card.EvaluateAsync<string[]>("c => { const s = getComputedStyle(c); return [String(c === document.activeElement), s.outlineStyle, s.outlineWidth, s.outlineColor]; }");
        Assert.Equal("true", ring[0]);
        Assert.True(ring[1] != "none" && double.Parse(ring[2].Replace("px", ""), System.Globalization.CultureInfo.InvariantCulture) >= 2, $"focus outline {ring[1]} {ring[2]}");
        Assert.True(Contrast(ring[3], "rgb(255, 255, 255)") >= 3, $"focus outline colour {ring[3]} is {Contrast(ring[3], "rgb(255, 255, 255)"):F2}:1 on white");

        // Named for a screen reader by its title and member count.
        Assert.Matches(@"^rdx · More similar in A · concept \d+, \d+ members$", await card.GetAttributeAsync("aria-label"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("true", await card.GetAttributeAsync("aria-current"));
        Assert.Matches(@"^Selected rdx · More similar in A · concept \d+: its \d+ members lit in both maps\.$", await page.Locator("#map-live").TextContentAsync());
        await page.Keyboard.PressAsync("Enter");
        Assert.Null(await card.GetAttributeAsync("aria-current"));
        Assert.EndsWith("no longer selected.", await page.Locator("#map-live").TextContentAsync());
        Assert.Empty(errors);
    }

    /// <summary>
    /// Every piece of text, with every fold opened and a member list shown, reads at WCAG AA contrast (4.5:1, 3:1 for large
    /// text) against what is behind it, the opacity of its ancestors included. Before: chance levels in the BSR table's tinted
    /// cells at 4.06:1, and all the small text of an unconfirmed card (faded whole, to opacity 0.7) at 3.1:1 or less.
    /// </summary>
    [ChromiumFact]
    public async Task EveryTextMeetsAaContrast()
    {
        var browser = await Browser();
        var (page, errors) = await Open(browser, report.Report);
        Assert.True(await page.Locator(".card.unconfirmed").CountAsync() > 0, "the fixture should hold an unconfirmed card");
        await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => { d.open = true; })");
        await page.Locator(".card.unconfirmed .open-members").First.ClickAsync();
        await page.Locator("#map-clear").EvaluateAsync("b => { b.hidden = false; }");

        var low = await page.EvaluateAsync<string[]>(ContrastScript);
        Assert.True(low.Length == 0, $"{low.Length} texts below AA contrast, e.g.:\n" + string.Join("\n", low.Take(12)));
        Assert.Empty(errors);
    }

    /// <summary>
    /// A dark window (prefers-color-scheme: dark) had been shown the light page (review 167, F8). Now the page, its cards, tables
    /// and the maps' panel are dark, every text on them (every fold open, a member list and a map tooltip shown) still reads at
    /// AA contrast, and the maps themselves stay light panels, the background their points' colours were chosen for. A light
    /// window's page is as it was, and paper stays light whatever the window's scheme.
    /// </summary>
    [ChromiumFact]
    public async Task InADarkWindowThePageIsDarkAndEveryTextStillMeetsAaContrast()
    {
        var browser = await Browser();
        // Background and text colour of the body, a card, a BSR table cell, the maps' panel, a map and the maps' legend.
        const string Surfaces = @"() => ['body', '.card', 'section.bsr td', 'aside.maps .sticky', '.mapbox', '#map-legend'].map(sel => {
            const s = getComputedStyle(document.querySelector(sel)); return s.backgroundColor + ' / ' + s.color; })";
        var (light, lightErrors) = await Open(browser, report.Report, options: new BrowserNewPageOptions { ColorScheme = ColorScheme.Light });
        Assert.Equal(["rgb(246, 247, 251) / rgb(29, 36, 48)", "rgb(255, 255, 255) / rgb(29, 36, 48)", "rgba(0, 0, 0, 0) / rgb(29, 36, 48)",
            "rgb(255, 255, 255) / rgb(29, 36, 48)", "rgb(251, 252, 254) / rgb(29, 36, 48)", "rgba(0, 0, 0, 0) / rgb(29, 36, 48)"], await light.EvaluateAsync<string[]>(Surfaces));
        Assert.Empty(lightErrors);

        var (page, errors) = await Open(browser, report.Report, options: new BrowserNewPageOptions { ColorScheme = ColorScheme.Dark });
        var dark = await page.EvaluateAsync<string[]>(Surfaces);
        for (int i = 0; i < 4; i++)
        {
            var parts = dark[i].Split(" / ");
            if (i != 2) Assert.True(Luminance(parts[0]) < 0.05, $"in a dark window, surface {i} is {parts[0]}");
            Assert.True(Luminance(parts[1]) > 0.6, $"in a dark window, surface {i}'s text is {parts[1]}");
        }
        // The maps and their key stay light panels, the background the points' colours and rims were chosen for.
        Assert.StartsWith("rgb(251, 252, 254)", dark[4]);
        Assert.Equal("rgb(251, 252, 254) / rgb(29, 36, 48)", dark[5]);

        await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => { d.open = true; })");
        await page.Locator(".card.unconfirmed .open-members").First.ClickAsync();
        await page.Locator("#map-clear").EvaluateAsync("b => { b.hidden = false; }");
        int member = await page.EvaluateAsync<int>("() => rdData.cards.concepts[document.querySelector('.card').dataset.key].members[0]");
        var at = await page.EvaluateAsync<double[]>($"() => {{ const p = rdMaps.point('a', {member}); return [p.x, p.y]; }}");
        await page.Mouse.MoveAsync((float)at[0], (float)at[1]);
        Assert.True(await page.Locator("#tip").IsVisibleAsync(), "no tooltip over a point");
        var low = await page.EvaluateAsync<string[]>(ContrastScript);
        Assert.True(low.Length == 0, $"{low.Length} texts below AA contrast in a dark window, e.g.:\n" + string.Join("\n", low.Take(12)));

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.Equal("rgb(255, 255, 255) / rgb(29, 36, 48)", (await page.EvaluateAsync<string[]>(Surfaces))[0]);
        Assert.Empty(errors);
    }

    /// <summary>
    /// The demo's index page had stayed light in a dark window while the reports it links turned dark: now it is dark too, and
    /// every text on it (title, finding, numbers, the † mark) reads at AA contrast in both schemes.
    /// </summary>
    [ChromiumFact]
    public async Task TheIndexPageIsDarkInADarkWindowAndReadsInBoth()
    {
        var browser = await Browser();
        var (pair, explanation) = HtmlReportTests.Synthetic();
        ExplanationScoring.Score(explanation, pair);
        var comparison = new Comparison { Pair = pair, Explanations = [explanation], Context = new JsonObject { ["linear_cka"] = 0.5 } };
        string path = Path.Combine(TestData.TempDir(), "index.html");
        File.WriteAllText(path, IndexPage.Render("demo", "Two pairs.", [new IndexEntry("pair", "about the pair", "pair/report.html", comparison, "A groups what B does not.")]));
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            var (page, errors) = await Open(browser, path, options: new BrowserNewPageOptions { ColorScheme = scheme });
            var surfaces = await page.EvaluateAsync<string[]>("() => ['body', 'a.entry'].map(sel => getComputedStyle(document.querySelector(sel)).backgroundColor)");
            Assert.All(surfaces, bg => Assert.True(scheme == ColorScheme.Dark ? Luminance(bg) < 0.05 : Luminance(bg) > 0.9, $"{scheme}: surface {bg}"));
            var low = await page.EvaluateAsync<string[]>(ContrastScript);
            Assert.True(low.Length == 0, $"{scheme}: {low.Length} texts below AA contrast, e.g.:\n" + string.Join("\n", low.Take(12)));
            Assert.Empty(errors);
        }
    }

    /// <summary>
    /// A member list's pictures are named as the cards' grids name theirs, row (or id) and label: their alternative text had
    /// been "#row" alone, which a screen reader heard without the label the picture is of.
    /// </summary>
    [ChromiumFact]
    public async Task AMemberListsPicturesAreNamedByRowAndLabel()
    {
        var browser = await Browser();
        var (page, errors) = await Open(browser, report.Report);
        await page.Locator(".card .open-members").First.ClickAsync();
        var names = await page.EvaluateAsync<string[][]>("() => Array.from(document.querySelectorAll('section.members li.member')).map(li => [li.querySelector('img').alt, '#' + li.dataset.row + ' · ' + li.querySelector('.mlabel').textContent])");
        Assert.NotEmpty(names);
        Assert.All(names, pair => Assert.Equal(pair[1], pair[0]));
        Assert.Empty(errors);
    }

    /// <summary>
    /// A walk over every element that holds text: its colour, blended by its and its ancestors' opacity into the background
    /// behind it (the background layers above the first opaque one composited), against that background. Opacity is applied
    /// as if the group's backdrop were the element's own background, which holds where the group is drawn on the same colour.
    /// </summary>
    internal const string ContrastScript = """
        () => {
          const rgba = s => { const m = s.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(/[ ,\/]+/).filter(x => x).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
          const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
          const lum = c => { const l = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]; };
          const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
          function background(e) {
            const layers = [];
            for (let x = e; x; x = x.parentElement) {
              const c = rgba(getComputedStyle(x).backgroundColor);
              if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
            }
            let bg = [255, 255, 255, 1];
            for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
            return bg;
          }
          const out = [];
          for (const e of document.body.querySelectorAll('*')) {
            if (e.closest('svg, script, style, .sr-only, [hidden], canvas')) continue;
            if (!Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())) continue;
            if (e.disabled || e.closest('button:disabled')) continue; // inactive controls are exempt (WCAG 1.4.3)
            const r = e.getBoundingClientRect(), s = getComputedStyle(e);
            if (r.width === 0 || r.height === 0 || s.visibility === 'hidden') continue;
            if (e.closest('nav.skip') && e !== document.activeElement) continue; // off-screen until focused
            let opacity = 1;
            for (let x = e; x; x = x.parentElement) opacity *= +getComputedStyle(x).opacity;
            const bg = background(e), fg = rgba(s.color);
            const seen = over([fg[0], fg[1], fg[2], fg[3] * opacity], bg);
            const size = parseFloat(s.fontSize), bold = +s.fontWeight >= 700;
            const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
            const got = ratio(seen, bg);
            if (got < need - 0.005) out.push(`${got.toFixed(2)}:1 ${e.tagName.toLowerCase()}.${e.className} '${e.textContent.trim().slice(0, 30)}' colour ${s.color} x ${opacity.toFixed(2)} on rgb(${bg.slice(0, 3).map(Math.round).join(',')})`);
          }
          return out;
        }
        """;

    private static double Contrast(string a, string b)
    {
        double x = Luminance(a), y = Luminance(b);
        return (Math.Max(x, y) + 0.05) / (Math.Min(x, y) + 0.05);
    }

    /// <summary>The relative luminance (WCAG) of a CSS colour as getComputedStyle writes it, "rgb(…)" or "rgba(…)".</summary>
    private static double Luminance(string css) => Regex.Match(css, @"rgba?\(([^)]+)\)").Groups[1].Value.Split(',', ' ', '/').Where(x => x.Length > 0)
        .Take(3).Select(x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture) / 255)
        .Select(v => v <= 0.03928 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4))
        .Zip(new[] { 0.2126, 0.7152, 0.0722 }, (v, w) => v * w).Sum();

    /// <summary>
    /// The maps' label colours cannot all be told apart by everyone: under deuteranopia (Machado et al.'s simulation) the
    /// palette's red and green, the 3rd and 5th labels, differ by CIEDE2000 0.7, and a colour was the only way to see which
    /// points held a label. Each legend entry is now a button: Enter on it outlines its label's samples in both maps and
    /// counts them; again, it takes them away.
    /// </summary>
    [ChromiumFact]
    public async Task ALegendEntryOutlinesItsLabelsSamplesFromTheKeyboard()
    {
        var browser = await Browser();
        var (page, errors) = await Open(browser, report.Report);
        var labels = RepDiff.IO.SampleFiles.LoadLabels(TestData.Fixture("digits_labels.npy"));
        int Count(string name) => Enumerable.Range(0, labels.Codes.Length).Count(i => labels[i] == name);

        var key = page.Locator("#map-legend .key").Nth(4);
        Assert.Equal("4", (await key.TextContentAsync())!.Trim());
        await key.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        int fours = Count("4");
        var outlined = await page.EvaluateAsync<int[]>("() => { const o = rdMaps.outlined(); return [o.a, o.b]; }");
        Assert.Equal(new[] { fours, fours }, outlined);
        Assert.Equal("true", await key.GetAttributeAsync("aria-pressed"));
        Assert.Equal($"{fours} samples coloured as 4 outlined", await page.Locator("#map-search-count").TextContentAsync());
        // Another entry replaces it; pressing that one again takes the outlines away.
        var nine = page.Locator("#map-legend .key").Nth(9);
        await nine.FocusAsync();
        await page.Keyboard.PressAsync(" ");
        Assert.Equal(Count("9"), await page.EvaluateAsync<int>("() => rdMaps.outlined().a"));
        Assert.Equal("false", await key.GetAttributeAsync("aria-pressed"));
        await page.Keyboard.PressAsync(" ");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => rdMaps.outlined().a"));
        Assert.Equal("", await page.Locator("#map-search-count").TextContentAsync());
        // The selection is left as it was.
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.rdSelection.length"));
        Assert.Empty(errors);
    }

    /// <summary>
    /// The PCA/UMAP switch was a "tablist" of plain buttons, no tab among them, so a screen reader heard neither tabs nor
    /// which map was shown: two toggle buttons now, the shown one pressed. Every table header cell has text (the overlap
    /// table's corner was an empty header).
    /// </summary>
    [ChromiumFact]
    public async Task TheMapSwitchSaysWhichMapIsShownAndEveryHeaderCellHasText()
    {
        var browser = await Browser();
        var (page, errors) = await Open(browser, report.Report);
        Assert.Equal(0, await page.Locator("[role=tablist]").CountAsync());
        var pca = page.Locator(".maptabs button[data-kind=pca]");
        var umap = page.Locator(".maptabs button[data-kind=umap]");
        Assert.Equal("true false", $"{await pca.GetAttributeAsync("aria-pressed")} {await umap.GetAttributeAsync("aria-pressed")}");
        await umap.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.True(await page.Locator(".mapset[data-kind=umap]").IsVisibleAsync());
        Assert.Equal("false true", $"{await pca.GetAttributeAsync("aria-pressed")} {await umap.GetAttributeAsync("aria-pressed")}");

        Assert.Equal(0, await page.EvaluateAsync<int>("() => Array.from(document.querySelectorAll('th')).filter(th => !th.textContent.trim()).length"));
        Assert.Empty(errors);
    }

    /// <summary>
    /// At 320 pixels wide (a 1280-pixel window zoomed to 400%) the page is as wide as the window: the concept pairs' table
    /// had widened it by 32 pixels. A table box that scrolls sideways is a Tab stop, named, whose arrow keys scroll it: a
    /// keyboard alone could not reach its last columns.
    /// </summary>
    [ChromiumFact]
    public async Task AtFourHundredPercentZoomNothingWidensThePageAndWideTablesScrollFromTheKeyboard()
    {
        var browser = await Browser();
        var (page, errors) = await Open(browser, report.Report, width: 320, height: 256);
        Assert.Equal(320, await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"));
        var boxes = page.Locator("section.bsr, .consensus .tablewrap");
        int scrolling = 0;
        for (int i = 0; i < await boxes.CountAsync(); i++)
        {
            var box = boxes.Nth(i);
            if (!await box.EvaluateAsync<bool>("b => b.scrollWidth > b.clientWidth + 1")) continue;
            scrolling++;
            Assert.Equal("0", await box.GetAttributeAsync("tabindex"));
            Assert.EndsWith("(scrolls sideways)", await box.GetAttributeAsync("aria-label"));
            await box.FocusAsync();
            await page.Keyboard.PressAsync("ArrowRight");
            // Keyboard scrolling is animated: waited for, up to 10 s.
            Assert.True(await box.EvaluateAsync<bool>("b => new Promise(done => { const end = Date.now() + 10000; const look = () => b.scrollLeft > 0 ? done(true) : Date.now() > end ? done(false) : setTimeout(look, 50); look(); })"),
                $"box {i} did not scroll from the keyboard");
        }
        Assert.True(scrolling >= 2, $"{scrolling} table boxes scroll at 320 pixels");
        // Wide again, they fit and leave the Tab order.
        await page.SetViewportSizeAsync(1400, 1000);
        await page.WaitForFunctionAsync("() => !document.querySelector('section.bsr').hasAttribute('tabindex')");
        Assert.Empty(errors);
    }

    /// <summary>
    /// Below 1,000 px the maps dock at the window's foot under half its height, and nothing made them larger. "enlarge", beside
    /// "hide the maps", is reached by the keyboard, says whether it is pressed, raises the dock to most of the window (the maps'
    /// boxes grow) and back, and keeps its state when the maps are hidden and shown again; the page's bottom padding follows the
    /// dock, so the last card's last line and the page's end still scroll into view above it. In a light and a dark window and
    /// in forced colours, where the pressed state shows by more than a colour (underlined, bold), and every text stays at AA.
    /// </summary>
    [ChromiumFact]
    public async Task TheDockedMapsCanBeEnlargedFromTheKeyboardAndTheCardsStillScrollAboveThem()
    {
        var browser = await Browser();
        // The shown maps' boxes [width, height, width, height], then the dock's top, the last card's bottom after it is scrolled
        // into view, the page's end (the footer's bottom) scrolled to, and the window's height.
        const string Place = """
            () => {
              const boxes = Array.from(document.querySelectorAll('.mapset:not([hidden]) .mapbox'), b => b.getBoundingClientRect()).flatMap(r => [r.width, r.height]);
              const dock = () => document.querySelector('aside.maps .sticky').getBoundingClientRect().top;
              const cards = document.querySelectorAll('.card'), last = cards[cards.length - 1];
              last.scrollIntoView({ block: 'end' });
              const card = last.getBoundingClientRect().bottom, cardDock = dock();
              scrollTo(0, document.documentElement.scrollHeight);
              return [...boxes, cardDock, card, document.querySelector('footer').getBoundingClientRect().bottom, dock(), innerHeight];
            }
            """;
        foreach (var (name, options) in new (string, BrowserNewPageOptions)[]
        {
            ("light", new() { ColorScheme = ColorScheme.Light }),
            ("dark", new() { ColorScheme = ColorScheme.Dark }),
            ("forced colours", new() { ForcedColors = ForcedColors.Active }),
        })
        {
            var (page, errors) = await Open(browser, report.Report, 768, 900, options);
            await page.Locator("button.dock-open").ClickAsync(); // docks the maps, the focus on "hide the maps"
            var small = await page.EvaluateAsync<double[]>(Place);
            await page.Keyboard.PressAsync("Shift+Tab");
            Assert.Equal("button.dock-grow enlarge", await Focused(page));
            var grow = page.Locator("button.dock-grow");
            Assert.Equal("false", await grow.GetAttributeAsync("aria-pressed"));
            await page.Keyboard.PressAsync("Enter");
            Assert.Equal("true", await grow.GetAttributeAsync("aria-pressed"));
            var large = await page.EvaluateAsync<double[]>(Place);
            string both = $"{name}: docked [{string.Join(", ", small.Select(x => x.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}], enlarged [{string.Join(", ", large.Select(x => x.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}]";
            Assert.True(small.Length == 9 && large.Length == 9, both);
            Console.WriteLine(both);
            // Both maps as wide as before and more than twice as tall; the dock over most of the window.
            for (int m = 0; m < 4; m += 2)
                Assert.True(Math.Abs(large[m] - small[m]) < 1 && large[m + 1] > 2 * small[m + 1], both);
            Assert.True(large[4] < 0.2 * large[8] && small[4] > 0.5 * small[8], both);
            // The last card's last line, and the page's end, scroll into view above the dock, large or small.
            foreach (var p in new[] { small, large })
                Assert.True(p[5] <= p[4] + 0.5 && p[5] >= 20 && p[6] <= p[7] + 0.5, both);
            // Pressed shows by more than a colour: underlined and bold.
            var look = await grow.EvaluateAsync<string[]>("b => { const s = getComputedStyle(b); return [s.textDecorationLine, s.fontWeight]; }");
            Assert.True(look[0].Contains("underline", StringComparison.Ordinal) && int.Parse(look[1], System.Globalization.CultureInfo.InvariantCulture) >= 600, $"{name}: pressed looks {string.Join(", ", look)}");
            var low = await page.EvaluateAsync<string[]>(ContrastScript);
            Assert.True(low.Length == 0, $"{name}: {low.Length} texts below AA contrast with the dock enlarged, e.g.:\n" + string.Join("\n", low.Take(12)));

            // Hidden and shown again, the dock keeps its height; pressed again, it is as it was.
            await page.Locator("button.dock-close").ClickAsync();
            await page.Locator("button.dock-open").ClickAsync();
            Assert.Equal("true", await grow.GetAttributeAsync("aria-pressed"));
            Assert.Equal(large[1], (await page.EvaluateAsync<double[]>(Place))[1], 0.5);
            await grow.ClickAsync();
            Assert.Equal("false", await grow.GetAttributeAsync("aria-pressed"));
            Assert.Equal(small[1], (await page.EvaluateAsync<double[]>(Place))[1], 0.5);
            Assert.Empty(errors);
            await page.CloseAsync();
        }
    }

    /// <summary>With the system asking for reduced motion, the cards do not animate their border and shadow.</summary>
    [ChromiumFact]
    public async Task ReducedMotionStopsTheCardsTransitions()
    {
        var browser = await Browser();
        var (page, errors) = await Open(browser, report.Report, options: new BrowserNewPageOptions { ReducedMotion = ReducedMotion.Reduce });
        Assert.Equal("0s", await page.Locator(".card").First.EvaluateAsync<string>("c => getComputedStyle(c).transitionDuration.split(',')[0].trim()"));
        var (moving, _) = await Open(browser, report.Report);
        Assert.NotEqual("0s", await moving.Locator(".card").First.EvaluateAsync<string>("c => getComputedStyle(c).transitionDuration.split(',')[0].trim()"));
        Assert.Empty(errors);
    }

    /// <summary>
    /// Sent by email or unzipped elsewhere, the report is the one file: copied alone to another folder it asks for nothing but
    /// itself (no network, no file beside it) and every picture shows.
    /// </summary>
    [ChromiumFact]
    public async Task TheReportCopiedAloneToAnotherFolderAsksForNothingElse()
    {
        string copy = Path.Combine(TestData.TempDir(), "inbox", "deeper", "report.html");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(report.Report, copy);
        var browser = await Browser();
        var page = await browser.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, request) => { if (!request.Url.StartsWith("data:", StringComparison.Ordinal)) requests.Add(request.Url); };
        await page.GotoAsync(new Uri(copy).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.Equal([new Uri(copy).AbsoluteUri], requests);
        Assert.True(await page.EvaluateAsync<int>("() => document.images.length") > 0);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length"));
        Assert.EndsWith("self-contained report, no network needed", await page.Locator("footer").TextContentAsync());
    }
}
