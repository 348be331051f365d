using Microsoft.Playwright;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Report;

/// <summary>
/// The member list's file line (.mfile), which no test had shown with files: samples with short ids whose images a manifest
/// lists under long paths of three kinds (an ImageNet-style path, dashed folder names, one word of 48 characters). At a
/// phone's width (360 px) every member's line holds its file after its id, broken only after "/", "_", "-" or ".", a word wider
/// than the item ending in "…" with the whole path in its title, never past its item, and readable: not cut short in height,
/// no smaller than the line's own text, and showing its whole own name where that fits the item.
/// </summary>
public class MemberFileBreakBrowserTests(ChromiumFixture chromium) : ChromiumTests(chromium)
{
    /// <summary>Image i's path in the manifest, relative to its folder.</summary>
    private static string File(int i) => (i % 3) switch
    {
        0 => $"imagenet/n01440764/n01440764_{10000 + i}.png",
        1 => $"s3-mirror/very-long-bucket-name/frame-{i:D6}.png",
        _ => $"scans/Pneumonoultramicroscopicsilicovolcanoconiosis{i:D3}.png",
    };

    [ChromiumFact]
    public async Task TheFileLineBreaksAfterItsSeparatorsAndIsReadableAtAPhonesWidth()
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = CliHarness.SmallPair(dir, rows: 120);
        var png = RepDiff.Report.Png.Encode([10, 80, 160, 240], 2, 2, 1);
        foreach (var path in Enumerable.Range(0, 120).Select(File))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
            System.IO.File.WriteAllBytes(Path.Combine(dir, path), png);
        }
        string manifest = Path.Combine(dir, "images.txt"), ids = Path.Combine(dir, "ids.txt");
        System.IO.File.WriteAllLines(manifest, Enumerable.Range(0, 120).Select(File));
        System.IO.File.WriteAllLines(ids, Enumerable.Range(0, 120).Select(i => $"s{i}"));
        string outDir = Path.Combine(dir, "out");
        var run = CliHarness.Run("rdx", a, b, "--ids", ids, "--labels", labels, "--images", manifest, "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);

        var page = await (await Browser()).NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 360, Height = 800 } });
        await page.GotoAsync(new Uri(Path.Combine(outDir, "report.html")).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        // Every card's member list opened in turn (its first page): one row per member,
        // item width | id | file | lines, ellipsis | its title | problems.
        var rows = await page.EvaluateAsync<string[]>(@"() => {" + LongIdsReportFixture.LinesScript + @"
          const out = [];
          eachMember(item => {
            const box = item.getBoundingClientRect(), file = item.querySelector('.mline > .mfile'), id = item.querySelector('.mline > .mid');
            if (!file) { out.push(`${Math.round(box.width)} px | ${id ? id.textContent : ''} | | | | no file line`); return; }
            const { text, shown, ellipsized, problems } = shownIn(file, box);
            if (file.getBoundingClientRect().left < box.left - 0.5) problems.push('past its item');
            if (file.scrollHeight > file.clientHeight + 0.5) problems.push(`cut in height (${file.scrollHeight} > ${file.clientHeight} px)`);
            if (parseFloat(getComputedStyle(file).fontSize) < parseFloat(getComputedStyle(file.parentElement).fontSize)) problems.push('smaller than its line');
            // Its own name (after the last '/') whole on a line of its own where the item is wide enough for it.
            const own = text.slice(text.lastIndexOf('/') + 1), probe = document.createElement('span');
            probe.style.cssText = 'position:absolute;white-space:nowrap;visibility:hidden'; probe.textContent = own; file.appendChild(probe);
            const ownWidth = probe.getBoundingClientRect().width; probe.remove();
            if (ownWidth <= file.clientWidth && ellipsized) problems.push(`its own name fits (${Math.round(ownWidth)} px) but is cut`);
            out.push(`${Math.round(box.width)} px | ${id ? id.textContent : ''} | ${text} | ${shown} | ${file.title} | ${problems.join('; ')}`);
          });
          return out;
        }");
        string all = string.Join("\n", rows);
        Assert.True(rows.Length >= 20, $"{rows.Length} members\n{all}");
        foreach (var row in rows)
        {
            var parts = row.Split(" | ");
            Assert.True(parts[5].Length == 0, $"{row}\n{all}");
            // The file after the member's own id; a path the column cuts is whole in its title.
            int sample = int.Parse(parts[1][1..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(File(sample), parts[4]);
            if (!parts[3].EndsWith(", ends in …", StringComparison.Ordinal)) Assert.Equal(File(sample), parts[2]);
        }
        // A path wraps after its separators; the word wider than the item ends in "…".
        Assert.Contains(rows, row => row.Contains("| imagenet/", StringComparison.Ordinal) && !row.Contains("| 1 lines", StringComparison.Ordinal));
        Assert.Contains(rows, row => row.Contains("| scans/Pneumono", StringComparison.Ordinal) && row.Contains(", ends in …", StringComparison.Ordinal));
        Console.WriteLine(all);
    }
}
