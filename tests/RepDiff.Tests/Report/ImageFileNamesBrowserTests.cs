using Microsoft.Playwright;
using RepDiff.IO;
using RepDiff.Tests.Cli;
using RepDiff.Tests.Robustness;

namespace RepDiff.Tests.Report;

/// <summary>
/// A report of images read from a folder, without ids, in headless Chromium: the member list, the maps' keyboard and
/// tooltip, the search field and the downloads name each sample by its file (shot_7.png), where they had said "#7".
/// </summary>
public class ImageFileNamesBrowserTests(ChromiumFixture chromium) : ChromiumTests(chromium)
{
    private static readonly LocatorAssertionsToHaveTextOptions Wait = new() { Timeout = 60_000 };

    [ChromiumFact]
    public async Task MembersMapsSearchAndDownloadsNameSamplesByTheirFiles()
    {
        string dir = TestData.TempDir();
        var (a, b, labels, folder) = ImageFileNamesTests.PairWithImageFolder(dir);
        string outDir = Path.Combine(dir, "out");
        var run = CliHarness.Run("rdx", a, b, "--labels", labels, "--images", folder, "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        var labelOf = File.ReadAllLines(labels);
        var explanation = ResultsFile.Read(Path.Combine(outDir, "results.json")).Explanations.Single();

        var page = await (await Browser()).NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, AcceptDownloads = true });
        page.SetDefaultTimeout(120_000);
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(new Uri(Path.Combine(outDir, "report.html")).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        // The first card's member list: each member's line and picture name its file and label.
        var card = page.Locator(".card").First;
        var concept = explanation.Directions.SelectMany(d => d.Concepts).First(c => c.Members.Length > 0);
        await card.Locator("button.open-members").ClickAsync();
        var items = page.Locator("section.members li.member");
        int shown = await items.CountAsync();
        Assert.True(shown > 0);
        for (int p = 0; p < shown; p++)
        {
            int row = concept.Members[p];
            Assert.Equal($"#{row} shot_{row}.png · {labelOf[row]}", (await items.Nth(p).Locator(".mline").TextContentAsync())!.Split(" · score")[0]);
            Assert.Equal($"shot_{row}.png · {labelOf[row]}", await items.Nth(p).Locator("img").GetAttributeAsync("alt"));
        }

        // The concept's download: `repdiff export`'s file column.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("section.members button.dl[data-format=csv]").ClickAsync());
        var table = ExportCommandTests.ParseCsv(await File.ReadAllTextAsync((await download.PathAsync())!));
        var exported = ExportCommandTests.ParseCsv(CliHarness.Run("export", Path.Combine(outDir, "results.json")).Stdout);
        Assert.Equal(exported[0], table[0]);
        int file = Array.IndexOf(table[0], "file");
        Assert.True(file > 0);
        Assert.Equal(concept.Members.Select(r => $"shot_{r}.png"), table.Skip(1).Select(r => r[file]));

        // The keyboard's sample on a map is announced, and shown in the tooltip, by its file.
        await page.Locator(".mapbox[data-kind=pca][data-side=a]").FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        int focused = await page.EvaluateAsync<int>("() => rdMaps.focused()");
        Assert.StartsWith($"shot_{focused}.png · {labelOf[focused]}", await page.Locator("#map-live").TextContentAsync());
        Assert.Equal($"shot_{focused}.png · {labelOf[focused]}", await page.Locator("#tip div").First.TextContentAsync());

        // The search finds samples by a part of their file's name (shot_7, shot_70 … shot_79), and the selection's download names them.
        var field = page.Locator("#map-search");
        Assert.Contains("file name", await field.GetAttributeAsync("placeholder"));
        await field.FillAsync("SHOT_7");
        await Assertions.Expect(page.Locator("#map-search-count")).ToHaveTextAsync("11 samples match", Wait);
        await field.PressAsync("Enter");
        var selected = await page.EvaluateAsync<int[]>("() => window.rdSelection");
        Assert.Equal(new[] { 7 }.Concat(Enumerable.Range(70, 10)), selected.Order());
        download = await page.RunAndWaitForDownloadAsync(() => page.Locator("button[data-export=selection][data-format=csv]").ClickAsync());
        var selection = ExportCommandTests.ParseCsv(await File.ReadAllTextAsync((await download.PathAsync())!));
        Assert.Equal(["row", "id", "label", "file"], selection[0]);
        Assert.All(selection.Skip(1), r => Assert.Equal($"shot_{r[0]}.png", r[3]));
        Assert.Equal(11, selection.Count - 1);
        Assert.Empty(errors);
    }
}
