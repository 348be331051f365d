using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RepDiff.IO;
using RepDiff.Metrics;
using RepDiff.Report;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Report;

/// <summary>
/// `repdiff spec` of a pair with no difference (500 samples in five Gaussian blobs, B = A with its dimensions permuted and
/// signs flipped, plus 1% noise), so every strength is below 0.001; labelled with Fashion-MNIST's and ImageNet's longer
/// names, ids, and a numeric metadata column of weights (12.3456, 12.8456, …, 36.8456). Run once when a test first needs it.
/// </summary>
public sealed class NullPairReportFixture
{
    public static readonly string[] LabelNames = ["Trouser", "T-shirt/top", "Ankle boot", "great grey owl, great gray owl, Strix nebulosa", "Pullover"];

    private readonly Lazy<string> report = new(() =>
    {
        string dir = TestData.TempDir();
        const int n = 500, d = 12;
        var random = new Random(5);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var centres = Enumerable.Range(0, 5 * d).Select(_ => 3 * Gaussian()).ToArray();
        var label = Enumerable.Range(0, n).Select(_ => random.Next(5)).ToArray();
        var a = new float[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) a[i * d + j] = (float)(centres[label[i] * d + j] + Gaussian());
        // An orthogonal map (a permutation with sign flips) keeps every distance: only the noise tells B from A.
        var permutation = Enumerable.Range(0, d).OrderBy(_ => random.Next()).ToArray();
        var b = new float[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) b[i * d + j] = (float)((j % 2 == 0 ? 1 : -1) * a[i * d + permutation[j]] + 0.03 * Gaussian());
        Npy.Write(Path.Combine(dir, "a.npy"), a, n, d);
        Npy.Write(Path.Combine(dir, "b.npy"), b, n, d);
        File.WriteAllLines(Path.Combine(dir, "ids.txt"), Enumerable.Range(0, n).Select(i => $"s{i}"));
        File.WriteAllLines(Path.Combine(dir, "labels.txt"), label.Select(c => LabelNames[c]));
        File.WriteAllLines(Path.Combine(dir, "meta.csv"), ["id,weight", .. Enumerable.Range(0, n).Select(i => FormattableString.Invariant($"s{i},{12.3456 + 0.5 * (i % 50)}"))]);
        string outDir = Path.Combine(dir, "out");
        var run = CliHarness.Run("spec", Path.Combine(dir, "a.npy"), Path.Combine(dir, "b.npy"), "--ids", Path.Combine(dir, "ids.txt"),
            "--labels", Path.Combine(dir, "labels.txt"), "--metadata", Path.Combine(dir, "meta.csv"), "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        return Path.Combine(outDir, "report.html");
    });

    public string Report => report.Value;
}

/// <summary>
/// The cards' numbers and names in headless Chromium at the report's narrowest card (168 px, a 1216-pixel window beside the
/// maps), a phone, a tablet and a laptop: a strength below 0.001 beside its rank badge, every label's name in its bar whole
/// or, for a name too long for three lines, whole in the row's title; and the numbers the page scripts write (members'
/// scores, the legend's ends, a sample's value) written as the C# side writes the same quantity on the cards.
/// </summary>
public class CardLayoutBrowserTests(NullPairReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium)
{
    [ChromiumFact]
    public async Task SmallStrengthsAndLongLabelNamesFitTheNarrowestCard()
    {
        var browser = await Browser();
        foreach (int width in new[] { 1216, 360, 768, 1280 })
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
            await page.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            var cards = await page.EvaluateAsync<string[]>(@"() => Array.from(document.querySelectorAll('.card')).map(card => {
                const c = card.getBoundingClientRect(), badge = card.querySelector('.rank').getBoundingClientRect(), figure = card.querySelector('header .strength b').getBoundingClientRect();
                const out = [Math.round(c.width) + ' px', card.querySelector('header .strength b').textContent];
                // Beside the badge: the figure starts right of it and above its bottom; inside the card.
                if (figure.left < badge.right || figure.top >= badge.bottom) out.push('strength under the badge');
                if (figure.right > c.right - 9) out.push('strength past the card');
                card.querySelectorAll('.hrow').forEach(row => {
                  const name = row.querySelector('.hname'), r = row.getBoundingClientRect();
                  if (r.right > c.right - 9 + 0.5) out.push('bar row past the card');
                  const cut = name.scrollWidth > name.clientWidth + 0.5 || name.scrollHeight > name.clientHeight + 0.5;
                  if (cut && name.textContent.length <= 12) out.push(name.textContent + ' cut');
                  if (!row.title.startsWith('\u2068' + name.textContent + '\u2069: ')) out.push(name.textContent + ' not in its row\'s title');
                });
                return out.join(' | ');
            })");
            Assert.True(cards.Length >= 10, $"{width} px: {cards.Length} cards");
            Assert.All(cards, card => Assert.True(Regex.IsMatch(card, @"^\d+ px \| (0\.000\d{3}|\d\.\d\dE-05)$"), $"{width} px window: {card}"));
            if (width == 1216) Assert.Contains(cards, card => card.StartsWith("168 px", StringComparison.Ordinal));
            // The longest name is whole in its row's title, with its count.
            string owl = NullPairReportFixture.LabelNames[3];
            Assert.Matches($"^\u2068{owl}\u2069: \\d+ of \\d+ members \\(\\d+%\\)$", await page.Locator(".hrow", new PageLocatorOptions { HasText = "great grey owl" }).First.GetAttributeAsync("title"));
            await page.CloseAsync();
        }
    }

    [ChromiumFact]
    public async Task NumbersThePageWritesAreWrittenAsTheCardsWriteThem()
    {
        var browser = await Browser();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        // The one helper against the C# it follows, kind by kind, over zeros kept and dropped, exponents and rounding.
        double[] values = [0.2, 0.25, 0.0535, 0.00018, 0.0002868, 0.000765, 9.27e-5, 1e-4, 0.9996, 1, 27.2, 1994, 1987.5, 9999.6, 12345.678, 0.00001234, -0.0123, -3.5, 0.1 + 0.2, 1e-7, 5e20];
        async Task<string[]> Figures(string kind) => await page.EvaluateAsync<string[]>("([xs, kind]) => xs.map(x => rdData.figure(x, kind))", new object[] { values, kind });
        Assert.Equal(values.Select(HtmlReport.StrengthFigure), await Figures("strength"));
        Assert.Equal(values.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)), await Figures("value"));
        Assert.Equal(values.Where(v => Math.Abs(v) < 1e15).Select(ImageLooks.Number), (await Figures("measure")).Where((_, k) => Math.Abs(values[k]) < 1e15));

        // A card's caption on the maps counts its members as the card does, on hover as on every other path ("1 member", "1,234").
        Assert.Equal(["t (1 member)", "t (1,234 members)"], await page.EvaluateAsync<string[]>("() => [1, 1234].map(n => rdData.cardCaption({ title: 't', members: new Array(n) }))"));
        await page.Locator(".card").First.HoverAsync();
        Assert.Equal(await page.EvaluateAsync<string>("() => rdData.cardCaption(rdData.cards.concepts[document.querySelector('.card').dataset.key])"), await page.Locator("#map-caption").TextContentAsync());

        // A member's score as its card writes the concept's strength: "0.0870" beside "0.0858", not "0.087".
        await page.Locator(".card button.open-members").First.ClickAsync();
        var scores = await page.Locator("section.members:not([hidden]) .mscore").AllTextContentsAsync();
        var first = ResultsFile.Read(Path.Combine(Path.GetDirectoryName(report.Report)!, "results.json")).Explanations[0].Directions[0].Concepts[0];
        Assert.Equal(first.Scores!.Take(scores.Count).Select(s => "score " + HtmlReport.StrengthFigure(double.Parse(((float)s).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture))), scores);

        // The legend's ends of a metadata number as its mean on a card (EnrichedValue's "G4"): 12.35, where the legend had 12.346.
        await page.Locator("#map-colour").SelectOptionAsync(new SelectOptionValue { Label = "weight" });
        Assert.Equal(["12.35", "36.85"], await page.Locator("#map-legend .ramp span").AllTextContentsAsync());
        await page.CloseAsync();
    }
}

/// <summary>
/// `repdiff spec` of the same kind of null pair as <see cref="NullPairReportFixture"/> (300 samples, five blobs), labelled with
/// Brown's genres, Fashion-MNIST's and ImageNet's longer names and one word longer than any card: names that break between words.
/// </summary>
public sealed class LabelNamesReportFixture
{
    public static readonly string[] LabelNames = ["government", "science_fiction", "belles_lettres", "T-shirt/top", "Ankle boot",
        "great grey owl, great gray owl, Strix nebulosa", "Pneumonoultramicroscopicsilicovolcanoconiosis"];

    /// <summary>
    /// a.npy and b.npy in <paramref name="dir"/>: n samples in five Gaussian blobs of d dimensions, B = A plus 3% noise, so no
    /// concept stands for a difference and the cards' names and bars are what a test reads.
    /// </summary>
    public static void WriteNullPair(string dir, int n, int d, int seed)
    {
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var centres = Enumerable.Range(0, 5 * d).Select(_ => 3 * Gaussian()).ToArray();
        var blob = Enumerable.Range(0, n).Select(_ => random.Next(5)).ToArray();
        var a = new float[n * d];
        var b = new float[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
            {
                a[i * d + j] = (float)(centres[blob[i] * d + j] + Gaussian());
                b[i * d + j] = (float)(a[i * d + j] + 0.03 * Gaussian());
            }
        Npy.Write(Path.Combine(dir, "a.npy"), a, n, d);
        Npy.Write(Path.Combine(dir, "b.npy"), b, n, d);
    }

    private readonly Lazy<string> report = new(() =>
    {
        string dir = TestData.TempDir();
        const int n = 300;
        WriteNullPair(dir, n, 8, seed: 7);
        // Every name on about a seventh of the samples, whatever their blob: each card's bars show six or seven of them.
        File.WriteAllLines(Path.Combine(dir, "labels.txt"), Enumerable.Range(0, n).Select(i => LabelNames[i % LabelNames.Length]));
        string outDir = Path.Combine(dir, "out");
        var run = CliHarness.Run("spec", Path.Combine(dir, "a.npy"), Path.Combine(dir, "b.npy"), "--labels", Path.Combine(dir, "labels.txt"), "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        return Path.Combine(outDir, "report.html");
    });

    public string Report => report.Value;
}

/// <summary>
/// A label's name in a card's bars breaks between words only (at a space, or after "_", "/", "-" or ","); a word wider than
/// the names' column may ever grow ends in "…", whole in the row's title, where it had broken mid-letter without a mark. The
/// count stays whole on one line, the bar beside it readable and the row in the card, at the narrowest card (168 px, a
/// 1216-pixel window), a phone, a tablet and a laptop.
/// </summary>
public class LabelNameBreakBrowserTests(LabelNamesReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium), IClassFixture<LabelNamesReportFixture>
{
    [ChromiumFact]
    public async Task LabelNamesBreakBetweenWordsAndTheBarStaysReadable()
    {
        var browser = await Browser();
        var seen = new HashSet<string>();
        foreach (int width in new[] { 1216, 360, 768, 1280 })
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
            await page.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            var rows = await page.EvaluateAsync<string[]>(@"() => {
              const breakAfter = c => ' _/-,'.includes(c);
              const out = [];
              document.querySelectorAll('.card').forEach(card => {
                const c = card.getBoundingClientRect();
                card.querySelectorAll('.hrow').forEach(row => {
                  const name = row.querySelector('.hname'), bar = row.querySelector('.hbar'), style = getComputedStyle(name);
                  const text = name.textContent, shownBottom = name.getBoundingClientRect().bottom;
                  // The top of each character, from the text nodes (a <wbr> holds none).
                  const tops = [];
                  const walker = document.createTreeWalker(name, NodeFilter.SHOW_TEXT);
                  for (let node; (node = walker.nextNode());)
                    for (let i = 0; i < node.length; i++) {
                      const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
                      const rects = range.getClientRects(); tops.push(rects.length ? rects[0].top : NaN);
                    }
                  const problems = [];
                  for (let k = 1; k < text.length; k++) {
                    if (!(tops[k] > tops[k - 1] + 2) || tops[k] >= shownBottom) continue;  // the same line, or a line the clamp hides
                    if (breakAfter(text[k - 1]) || text[k] === ' ') continue;
                    let s = k - 1; while (s > 0 && !breakAfter(text[s - 1])) s--;
                    let e = k; while (e < text.length && !breakAfter(text[e])) e++;
                    problems.push(`'${text.slice(s, k)}|${text.slice(k, e)}' broken inside a word (column at most ${style.maxWidth})`);
                  }
                  const barWidth = bar.getBoundingClientRect().width;
                  if (barWidth < 20) problems.push(`bar ${barWidth.toFixed(1)} px`);
                  if (row.getBoundingClientRect().right > c.right - 9 + 0.5) problems.push('row past the card');
                  // A word wider than the column ends in an ellipsis, the whole name in the row's title.
                  const ellipsized = name.scrollWidth > name.clientWidth + 0.5;
                  if (ellipsized && (style.textOverflow !== 'ellipsis' || !row.title.includes(text))) problems.push('name past its column, unmarked');
                  // The count, whole on one line.
                  const count = row.querySelector('.hnum');
                  if (count.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(count).lineHeight)) problems.push(`count '${count.textContent}' wraps`);
                  out.push(`${Math.round(c.width)} px | ${text} | ${Math.round(name.getBoundingClientRect().width)} px, ${Math.round((name.getBoundingClientRect().height) / parseFloat(style.lineHeight))} lines, bar ${Math.round(barWidth)} px${ellipsized ? ', ends in …' : ''}` + (problems.length ? ' | ' + problems.join('; ') : ''));
                });
              });
              return out;
            }");
            string all = string.Join("\n", rows);
            Assert.True(rows.Length >= 30, $"{width} px: {rows.Length} bars\n{all}");
            Assert.All(rows, row => Assert.True(row.Split(" | ").Length == 3, $"{width} px window: {row}\n{all}"));
            if (width == 1216) Assert.Contains(rows, row => row.StartsWith("168 px", StringComparison.Ordinal));
            // The word longer than any card: never broken inside, cut with "…" in the narrowest card.
            if (width == 1216) Assert.Contains(rows, row => row.StartsWith("168 px | Pneumonoultramicroscopicsilicovolcanoconiosis | ", StringComparison.Ordinal) && row.EndsWith(", ends in …", StringComparison.Ordinal));
            foreach (var row in rows) seen.Add(row.Split(" | ")[1]);
            await page.CloseAsync();
        }
        Assert.Superset(LabelNamesReportFixture.LabelNames.ToHashSet(), seen);
    }
}
