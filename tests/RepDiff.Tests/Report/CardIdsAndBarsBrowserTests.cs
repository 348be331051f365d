using Microsoft.Playwright;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Report;

/// <summary>
/// `repdiff spec` of a null pair (300 samples, five blobs) whose samples have long ids of four kinds: ImageNet paths, S3 keys,
/// dated camera names and one word longer than a card's column; no images or texts, so each card lists its grid's ids. Labelled
/// with seven names, so each card has label bars: one word longer than a card's column, a path with separators, words and short
/// names.
/// </summary>
public sealed class LongIdsReportFixture
{
    /// <summary>The sample's id: each kind 38–40 characters, under the 40 a card shows whole.</summary>
    public static string Id(int i) => (i % 4) switch
    {
        0 => $"imagenet/n01440764/n01440764_{10000 + i}.JPEG",
        1 => $"s3://bkt/very_long_name-with-dashes-{i:D3}",
        2 => $"2024.01.15_cam-3_frame-{i:D6}.png",
        _ => $"Pneumonoultramicroscopicsilicovolcano{i:D3}",
    };

    /// <summary>
    /// The sample's label: one word of 48 characters with no separator, one of 37 whose only separator is "_" (where the browser
    /// does not break of itself), words, and short names.
    /// </summary>
    public static string Label(int i) => (i % 7) switch
    {
        0 => "Donaudampfschifffahrtsgesellschaftskapitänsmütze",
        1 => "north_american_river_otter_adult_male",
        2 => "science fiction and fantasy",
        _ => $"k{i % 7}",
    };

    public const int N = 300;

    /// <summary>
    /// A script's function `lines(element)`: the element's text, its number of lines and each break inside a word, where a word
    /// breaks only after " ", "/", "_", "-" or "." (the line a character is on from its own box); and `shownIn(value, box)`, which
    /// adds whether the value is cut short and any problem (broken inside a word, cut without "…", past the box); and
    /// `eachMember(visit)`, which opens every card's member list in turn and visits each listed member (its first page).
    /// </summary>
    public const string LinesScript = @"
      const breakAfter = c => ' /_-.'.includes(c);
      const lines = element => {
        const text = element.textContent, tops = [];
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node; (node = walker.nextNode());)
          for (let i = 0; i < node.length; i++) {
            const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
            const rects = range.getClientRects(); tops.push(rects.length ? rects[0].top : NaN);
          }
        const inside = [];
        let count = 1;
        for (let k = 1; k < text.length; k++) {
          if (!(tops[k] > tops[k - 1] + 2)) continue;
          count++;
          if (breakAfter(text[k - 1]) || text[k] === ' ') continue;
          let s = k - 1; while (s > 0 && !breakAfter(text[s - 1])) s--;
          let e = k; while (e < text.length && !breakAfter(text[e])) e++;
          inside.push(`'${text.slice(s, k)}|${text.slice(k, e)}' broken inside a word`);
        }
        return { text, count, inside };
      };
      // A value shown in a box (an item, the tooltip): its lines as above, whether it is cut short, and what is wrong with it.
      const shownIn = (value, box) => {
        const { text, count, inside } = lines(value), problems = [...inside];
        const ellipsized = value.scrollWidth > value.clientWidth + 0.5;
        if (ellipsized && getComputedStyle(value).textOverflow !== 'ellipsis') problems.push('past its column without an ellipsis');
        if (value.getBoundingClientRect().right > box.right + 0.5) problems.push('past its box');
        return { text, count, ellipsized, problems, shown: `${count} lines${ellipsized ? ', ends in …' : ''}` };
      };
      const eachMember = visit => document.querySelectorAll('.card button.open-members').forEach(button => {
        button.click();
        document.querySelector('section.members:not([hidden])').querySelectorAll('li.member').forEach(visit);
      });";

    private readonly Lazy<string> report = new(() =>
    {
        string dir = TestData.TempDir();
        LabelNamesReportFixture.WriteNullPair(dir, N, 8, seed: 11);
        File.WriteAllLines(Path.Combine(dir, "ids.txt"), Enumerable.Range(0, N).Select(Id));
        File.WriteAllLines(Path.Combine(dir, "labels.txt"), Enumerable.Range(0, N).Select(Label));
        string outDir = Path.Combine(dir, "out");
        var run = CliHarness.Run("spec", Path.Combine(dir, "a.npy"), Path.Combine(dir, "b.npy"), "--ids", Path.Combine(dir, "ids.txt"),
            "--labels", Path.Combine(dir, "labels.txt"), "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        return Path.Combine(outDir, "report.html");
    });

    public string Report => report.Value;
}

/// <summary>
/// A card's list of its grid's ids (no images or texts) breaks an id only after "/", "_", "-" or "." (or at a space), never
/// inside a word: "imagenet/n|01440764/…", "very_long_name|-with…" and "Pneumonoultramicrosco|pic…" had broken so. An id with
/// no such point that is wider than the column ends in "…", the whole id in its title, and the list never scrolls sideways; at
/// the narrowest card (168 px, a 1216-pixel window), a phone, a tablet and a laptop. A sample's label follows the same rule: one
/// word longer than the column ends in "…"; one whose only separator is "_" ("north_american_river_otter_adult_male") had not
/// broken after it, one line cut short in a 168-pixel card.
/// </summary>
public class SampleIdBreakBrowserTests(LongIdsReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium)
{
    [ChromiumFact]
    public async Task SampleIdsBreakAfterTheirSeparatorsOrEndInAnEllipsis()
    {
        var browser = await Browser();
        var ids = Enumerable.Range(0, LongIdsReportFixture.N).Select(LongIdsReportFixture.Id).ToHashSet();
        foreach (int width in new[] { 1216, 360, 768, 1280 })
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
            await page.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            // One row per shown id: card width | id | lines, ellipsis | its title (isolate marks removed) | problems.
            var rows = await page.EvaluateAsync<string[]>(@"() => {" + LongIdsReportFixture.LinesScript + @"
              const out = [];
              document.querySelectorAll('.card p.ids').forEach(list => {
                const c = list.closest('.card').getBoundingClientRect();
                const listProblem = list.scrollWidth > list.clientWidth + 0.5 ? `; the list scrolls sideways (${list.scrollWidth} > ${list.clientWidth} px)` : '';
                list.querySelectorAll(':scope > bdi').forEach(sample => {
                  // The id, then the label: each breaks only at a space or after a separator.
                  const [id, label] = Array.from(sample.querySelectorAll(':scope > bdi'), lines), text = id.text;
                  const problems = [...id.inside, ...(label ? label.inside : [])];
                  const style = getComputedStyle(sample);
                  const ellipsized = sample.scrollWidth > sample.clientWidth + 0.5;
                  if (ellipsized && style.textOverflow !== 'ellipsis') problems.push('past its column without an ellipsis');
                  if (sample.getBoundingClientRect().right > c.right - 9 + 0.5) problems.push('past the card');
                  out.push(`${Math.round(c.width)} px | ${text}${label ? ' (' + label.text + ')' : ''} | ${id.count} lines${label ? ', label ' + label.count : ''}${ellipsized ? ', ends in …' : ''} | ${(sample.title || '').replace(/[\u2066-\u2069]/g, '')} | ${problems.join('; ')}${listProblem}`);
                });
              });
              return out;
            }");
            string all = string.Join("\n", rows);
            Assert.True(rows.Length >= 30, $"{width} px: {rows.Length} ids\n{all}");
            foreach (var row in rows)
            {
                var parts = row.Split(" | ");
                Assert.True(parts[4].Length == 0, $"{width} px window: {row}\n{all}");
                // An id the column cuts is whole in its sample's title, before its label.
                if (parts[2].EndsWith(", ends in …", StringComparison.Ordinal))
                    Assert.True(ids.Contains(parts[3].Split(" (")[0]) && parts[3].StartsWith(parts[1].TrimEnd('…'), StringComparison.Ordinal), $"{width} px window, cut without its whole id in the title: {row}");
            }
            if (width == 1216)
            {
                Assert.Contains(rows, row => row.StartsWith("168 px", StringComparison.Ordinal));
                // The word longer than the column is cut with "…"; a path wraps at its separators onto more lines.
                Assert.Contains(rows, row => row.StartsWith("168 px | Pneumono", StringComparison.Ordinal) && row.Contains(", ends in …", StringComparison.Ordinal));
                Assert.Contains(rows, row => row.StartsWith("168 px | imagenet/", StringComparison.Ordinal) && !row.Contains("| 1 lines", StringComparison.Ordinal));
                // So is a label of one word longer than the column; a label with separators breaks after them.
                Assert.Contains(rows, row => row.StartsWith("168 px", StringComparison.Ordinal) && row.Contains("(Donaudampf", StringComparison.Ordinal) && row.Contains(", ends in …", StringComparison.Ordinal));
                Assert.Contains(rows, row => row.StartsWith("168 px", StringComparison.Ordinal) && row.Contains("(north_american", StringComparison.Ordinal) && !row.Contains(", label 1 ", StringComparison.Ordinal) && !row.Contains(", label 1,", StringComparison.Ordinal));
            }
            await page.CloseAsync();
        }
    }
}

/// <summary>
/// The member list under a card names each member by its id and label as the card's list does: broken only after "/", "_", "-",
/// "." or at a space, a word wider than its column ending in "…" with the whole value in its title, never past its item. It
/// had broken them at any letter ("imagenet/n01440764/n01440764_10|080.JPEG", "Donaudampfschifffahrtsgesellschaftsk|apitänsmütze"):
/// 353 of the 800 ids and labels on every card's first page, at a phone's, a tablet's and a laptop's width alike.
/// </summary>
public class MemberIdBreakBrowserTests(LongIdsReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium), IClassFixture<LongIdsReportFixture>
{
    [ChromiumFact]
    public async Task MemberIdsAndLabelsBreakAfterTheirSeparatorsOrEndInAnEllipsis()
    {
        var browser = await Browser();
        var whole = Enumerable.Range(0, LongIdsReportFixture.N).SelectMany(i => new[] { LongIdsReportFixture.Id(i), LongIdsReportFixture.Label(i) }).ToHashSet();
        var shown = new List<(int Width, string[] Rows)>();
        foreach (int width in new[] { 360, 768, 1280 })
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
            await page.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            // Every card's member list opened in turn (its first page): one row per id or label shown,
            // item width | value | lines, ellipsis | its title | problems.
            var rows = await page.EvaluateAsync<string[]>(@"() => {" + LongIdsReportFixture.LinesScript + @"
              const out = [];
              eachMember(item => {
                const box = item.getBoundingClientRect();
                item.querySelectorAll('.mline > .mid, .mline > .mlabel').forEach(value => {
                  const { text, count, inside } = lines(value), problems = [...inside];
                  const ellipsized = value.scrollWidth > value.clientWidth + 0.5;
                  if (ellipsized && getComputedStyle(value).textOverflow !== 'ellipsis') problems.push('past its column without an ellipsis');
                  if (value.getBoundingClientRect().right > box.right + 0.5) problems.push('past its item');
                  out.push(`${Math.round(box.width)} px | ${text} | ${count} lines${ellipsized ? ', ends in …' : ''} | ${value.title} | ${problems.join('; ')}`);
                });
              });
              return out;
            }");
            shown.Add((width, rows));
            await page.CloseAsync();
        }
        // Counted at every width before any is checked, so the message says how many broke where.
        string counts = string.Join("; ", shown.Select(s => $"{s.Width} px: {s.Rows.Count(r => r.Contains("broken inside a word", StringComparison.Ordinal))} of {s.Rows.Length} broken inside a word"));
        foreach (var (width, rows) in shown)
        {
            string all = string.Join("\n", rows);
            Assert.True(rows.Length >= 100, $"{width} px: {rows.Length} ids and labels\n{all}");
            foreach (var row in rows)
            {
                var parts = row.Split(" | ");
                Assert.True(parts[4].Length == 0, $"{counts}\n{width} px window: {row}\n{all}");
                // A value the column cuts is whole in its title.
                if (parts[2].EndsWith(", ends in …", StringComparison.Ordinal))
                    Assert.True(whole.Contains(parts[3]) && parts[3] == parts[1], $"{width} px window, cut without its whole value in the title: {row}");
            }
            if (width == 360)
                Assert.Contains(rows, row => row.Contains("| Donaudampf", StringComparison.Ordinal) && row.Contains(", ends in …", StringComparison.Ordinal));
        }
        Console.WriteLine("Member list: " + counts);
    }
}

/// <summary>
/// Each label colour's bar stands out from the bar's track at 3:1 or more (WCAG 1.4.11, non-text contrast), by its edge: the
/// fill where it is dark enough, else the rim round it; the colours as the page computes them, in a light and a dark window
/// and under forced colours. Without rims, 7 of the 21 classes were under 3:1 on the light track (#b2df8a 1.36, #edc948
/// 1.44) and 11 on the dark one (#3e2723 1.10, #000080 1.27). Every colour class is measured, in a bar added beside the
/// report's own bars, as well as every bar the report drew. An unconfirmed concept's card (held-out validation did not
/// confirm it) fades its bars: measured too, as the reader sees them (each colour composited by the opacities above it on
/// the card); the bars at opacity .7 had taken their rims below 3:1.
/// </summary>
public class LabelBarContrastBrowserTests(LongIdsReportFixture report, ChromiumFixture chromium) : ChromiumTests(chromium)
{
    [ChromiumFact]
    public async Task EveryBarStandsOutFromItsTrackAtThreeToOne()
    {
        var browser = await Browser();
        foreach (var (name, options) in new (string, BrowserNewPageOptions)[]
        {
            ("light", new() { ColorScheme = ColorScheme.Light }),
            ("dark", new() { ColorScheme = ColorScheme.Dark }),
            ("forced colours", new() { ForcedColors = ForcedColors.Active }),
            ("forced colours, dark", new() { ForcedColors = ForcedColors.Active, ColorScheme = ColorScheme.Dark }),
        })
        {
            var page = await browser.NewPageAsync(options);
            await page.GotoAsync(new Uri(report.Report).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            var bars = await page.EvaluateAsync<string[]>(@"() => {
              // One bar of every colour class, added to the first card's bars as Charts.cs writes a row; a second card is
              // marked unconfirmed (report.css fades its pictures and bars) and given the same bars.
              const [hist, fadedHist] = document.querySelectorAll('.card .hist');
              fadedHist.closest('.card').classList.add('unconfirmed');
              for (const h of [hist, fadedHist])
              for (const colour of [...Array(20).keys()].map(c => 'c' + c).concat(['cx'])) {
                const row = document.createElement('div'); row.className = 'hrow added';
                row.innerHTML = `<span class=""hname""><bdi>${colour}</bdi></span><span class=""hbar""><i class=""${colour}"" style=""width:50%""></i></span><span class=""hnum"">1</span>`;
                h.appendChild(row);
              }
              const rgb = text => (text.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
              // A colour as seen through the opacities between it and its card: blended with the card's background.
              const seen = (el, colour) => {
                let alpha = 1;
                for (let e = el; e && !e.classList.contains('card'); e = e.parentElement) alpha *= parseFloat(getComputedStyle(e).opacity);
                const card = rgb(getComputedStyle(el.closest('.card')).backgroundColor);
                return rgb(colour).map((v, k) => alpha * v + (1 - alpha) * card[k]);
              };
              const luminance = c => c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
                .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
              const contrast = (a, b) => { const x = luminance(a), y = luminance(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
              return Array.from(document.querySelectorAll('.hbar i')).map(i => {
                const track = getComputedStyle(i.parentElement).backgroundColor, style = getComputedStyle(i);
                // What meets the track: the rim where the bar has one, else its fill.
                const rimmed = parseFloat(style.borderTopWidth) >= 1 && style.borderTopStyle !== 'none';
                const edge = rimmed ? style.borderTopColor : style.backgroundColor;
                const ratio = contrast(seen(i, edge), seen(i.parentElement, track));
                return `${i.className}${i.closest('.added') ? ' (added)' : ''}${i.closest('.unconfirmed') ? ' (unconfirmed)' : ''}: fill ${style.backgroundColor}, edge ${edge} on ${track}: ${ratio.toFixed(2)}`;
              });
            }");
            string all = string.Join("\n", bars);
            Assert.True(bars.Length >= 40, $"{name}: {bars.Length} bars\n{all}");
            foreach (var bar in bars)
                Assert.True(double.Parse(bar[(bar.LastIndexOf(": ", StringComparison.Ordinal) + 2)..], System.Globalization.CultureInfo.InvariantCulture) >= 3, $"{name}: {bar}\n{all}");
            await page.CloseAsync();
        }
    }
}
