using RepDiff;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>
/// Samples whose images are files are named by those files (relative to the --images folder or manifest) wherever a
/// sample without an id had been "#row": results.json's samples block, the page data the report's scripts name samples
/// from, the cards' pictures, and `repdiff export`'s file column. Ids keep their place and meaning; pixel arrays have no
/// files and nothing changes for them.
/// </summary>
public class ImageFileNamesTests
{
    /// <summary>A folder of 120 small PNGs shot_0.png … shot_119.png (natural order: row i is shot_i.png) beside a small pair.</summary>
    internal static (string A, string B, string Labels, string Folder) PairWithImageFolder(string dir)
    {
        var (a, b, labels) = SmallPair(dir, rows: 120);
        string folder = Path.Combine(dir, "photos");
        Directory.CreateDirectory(folder);
        var png = RepDiff.Report.Png.Encode([10, 80, 160, 240], 2, 2, 1);
        for (int i = 0; i < 120; i++) File.WriteAllBytes(Path.Combine(folder, $"shot_{i}.png"), png);
        return (a, b, labels, folder);
    }

    internal static JsonObject PageData(string reportPath) =>
        JsonNode.Parse(Regex.Match(File.ReadAllText(reportPath), "<script type=\"application/json\" id=\"rd-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value)!.AsObject();

    /// <summary>The page's file names, whole again as report.js makes them: prefix + name + suffix, one per row slot.</summary>
    private static string[] PageFiles(JsonObject page)
    {
        var files = page["samples"]!["files"]!;
        string prefix = files["prefix"]!.GetValue<string>(), suffix = files["suffix"]!.GetValue<string>();
        return files["names"]!.AsArray().Select(n => prefix + n!.GetValue<string>() + suffix).ToArray();
    }

    /// <summary>The grid images' alt texts, each starting with its isolated name (U+2068 … U+2069), read without the marks.</summary>
    private static string[] Alts(string reportPath) =>
        Regex.Matches(File.ReadAllText(reportPath), "<div class=\"grid\"[^>]*>(.*?)</div>", RegexOptions.Singleline)
            .SelectMany(g => Regex.Matches(g.Groups[1].Value, "alt=\"([^\"]*)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)))
            .Select(alt => alt.StartsWith(BidiControls.IsolateStart) ? BidiControls.RemoveIsolates(alt) : "not isolated: " + alt).ToArray();

    [Fact]
    public void AFolderOfImagesNamesEverySampleByItsFileInResultsReportAndExport()
    {
        string dir = TestData.TempDir();
        var (a, b, labels, folder) = PairWithImageFolder(dir);
        string outDir = Path.Combine(dir, "out");
        var run = Run("rdx", a, b, "--labels", labels, "--images", folder, "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        var expected = Enumerable.Range(0, 120).Select(i => $"shot_{i}.png").ToArray();
        var labelOf = File.ReadAllLines(labels);

        // results.json keeps each sample's file (what export reads), relative to the folder: no absolute path is written.
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!;
        Assert.Equal(expected, results["samples"]!["files"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Null(results["samples"]!["ids"]);
        // Only the command holds a path, as typed (here absolute): nothing else is made absolute.
        var withoutCommand = results.AsObject().DeepClone().AsObject();
        Assert.Contains(dir, (string)withoutCommand["command"]!);
        withoutCommand.Remove("command");
        Assert.DoesNotContain(dir, withoutCommand.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

        // The page holds each plotted sample's file once, what every name shares written once.
        var page = PageData(Path.Combine(outDir, "report.html"));
        Assert.Null(page["samples"]!["rows"]);
        Assert.Equal(expected, PageFiles(page));
        Assert.Equal("shot_", page["samples"]!["files"]!["prefix"]!.GetValue<string>());
        Assert.Equal(".png", page["samples"]!["files"]!["suffix"]!.GetValue<string>());
        Assert.True(page["cards"]!["fileColumn"]!.GetValue<bool>());

        // Each grid picture is named by its file and label, not "#row".
        var explanation = ResultsFile.Read(Path.Combine(outDir, "results.json")).Explanations.Single();
        var alts = Alts(Path.Combine(outDir, "report.html"));
        Assert.NotEmpty(alts);
        Assert.All(alts, alt =>
        {
            int i = int.Parse(Regex.Match(alt, @"^shot_(\d+)\.png · ").Groups[1].Value);
            Assert.Equal($"shot_{i}.png · {labelOf[i]}", alt);
        });

        // export: a file column after the fixed ones, every member's file.
        var csv = Run("export", Path.Combine(outDir, "results.json"));
        Assert.True(csv.Code == 0, csv.Stderr);
        var table = ExportCommandTests.ParseCsv(csv.Stdout);
        int row = Array.IndexOf(table[0], "row"), file = Array.IndexOf(table[0], "file");
        Assert.Equal(Array.IndexOf(table[0], "score") + 1, file);
        Assert.Equal(explanation.Directions.Sum(d => d.Concepts.Sum(c => c.Members.Length)), table.Count - 1);
        Assert.All(table.Skip(1), r => Assert.Equal($"shot_{r[row]}.png", r[file]));
        var jsonl = Run("export", Path.Combine(outDir, "results.json"), "--format", "jsonl");
        Assert.All(jsonl.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!),
            o => Assert.Equal($"shot_{o["row"]!.GetValue<int>()}.png", o["file"]!.GetValue<string>()));
    }

    [Fact]
    public void AManifestNamesSamplesByTheirPathsAndIdsKeepTheirPlaceWithTheFileBeside()
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = SmallPair(dir, rows: 120);
        var png = RepDiff.Report.Png.Encode([200, 30, 90, 140], 2, 2, 1);
        // Two class folders under one set folder, listed in the manifest in an order of its own.
        var lines = Enumerable.Range(0, 120).Select(i => (i * 37) % 120).Select(k => $"set/{(k % 2 == 0 ? "cats" : "dogs")}/img_{k:D5}.png").ToArray();
        foreach (string line in lines)
        {
            Directory.CreateDirectory(Path.Combine(dir, Path.GetDirectoryName(line)!));
            File.WriteAllBytes(Path.Combine(dir, line), png);
        }
        File.WriteAllLines(Path.Combine(dir, "images.txt"), lines);
        string ids = Path.Combine(dir, "ids.txt");
        File.WriteAllLines(ids, Enumerable.Range(0, 120).Select(i => $"s{i}"));
        // A metadata column of the user's named "file" keeps its values under another name beside the files' column.
        string metadata = Path.Combine(dir, "meta.csv");
        File.WriteAllLines(metadata, ["id,file", .. Enumerable.Range(0, 120).Select(i => $"s{i},scan{i}.tif")]);
        string outDir = Path.Combine(dir, "out");
        var run = Run("compare", a, b, "--methods", "kmeans", "--labels", labels, "--ids", ids, "--metadata", metadata, "--images", Path.Combine(dir, "images.txt"), "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        var labelOf = File.ReadAllLines(labels);

        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!;
        Assert.Equal(lines, results["samples"]!["files"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(0, 120).Select(i => $"s{i}"), results["samples"]!["ids"]!.AsArray().Select(f => f!.GetValue<string>()));

        // The page: the shared "set/" and ".png" once; each picture named by its id, then its file, then its label.
        var page = PageData(Path.Combine(outDir, "report.html"));
        Assert.Equal(lines, PageFiles(page));
        Assert.Equal("set/", page["samples"]!["files"]!["prefix"]!.GetValue<string>());
        Assert.Equal(".png", page["samples"]!["files"]!["suffix"]!.GetValue<string>());
        int written = page["samples"]!["files"]!["names"]!.ToJsonString().Length, whole = lines.Sum(l => l.Length + 3);
        Assert.True(written < whole * 3 / 4, $"{written} characters of file names for {whole}");
        var alts = Alts(Path.Combine(outDir, "report.html"));
        Assert.NotEmpty(alts);
        Assert.All(alts, alt =>
        {
            int i = int.Parse(Regex.Match(alt, @"^s(\d+) · ").Groups[1].Value);
            Assert.Equal($"s{i} · {lines[i]} · {labelOf[i]}", alt);
        });

        // export: the id where it was, the file in its own column.
        var table = ExportCommandTests.ParseCsv(Run("export", Path.Combine(outDir, "results.json")).Stdout);
        int row = Array.IndexOf(table[0], "row"), id = Array.IndexOf(table[0], "id"), file = Array.IndexOf(table[0], "file"), scan = Array.IndexOf(table[0], "metadata_file");
        Assert.True(scan > file, string.Join(",", table[0]));
        Assert.All(table.Skip(1), r =>
        {
            Assert.Equal($"s{r[row]}", r[id]);
            Assert.Equal(lines[int.Parse(r[row])], r[file]);
            Assert.Equal($"scan{r[row]}.tif", r[scan]);
        });
        // The cards' downloads have the same header.
        Assert.Equal(table[0], page["cards"]!["header"]!.AsArray().Select(h => h!.GetValue<string>()));
    }

    /// <summary>
    /// A manifest that lists images by absolute paths outside its folder names those samples by the paths as written, in
    /// results.json, the report's page data and export's file column; they had been "../../tmp/…/photos/shot_1.png",
    /// relative to the manifest's folder. Its relative paths keep their names.
    /// </summary>
    [Fact]
    public void AbsolutePathsOutsideTheManifestsFolderNameTheirSamplesAsWritten()
    {
        string dir = TestData.TempDir();
        var (a, b, labels, folder) = PairWithImageFolder(dir);
        string lists = Path.Combine(dir, "lists");
        Directory.CreateDirectory(lists);
        var lines = Enumerable.Range(0, 120).Select(i => i % 2 == 0 ? Path.Combine(folder, $"shot_{i}.png") : $"../photos/shot_{i}.png").ToArray();
        File.WriteAllLines(Path.Combine(lists, "images.txt"), lines);
        string outDir = Path.Combine(dir, "out");
        var run = Run("kmeans", a, b, "--labels", labels, "--images", Path.Combine(lists, "images.txt"), "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);

        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!;
        Assert.Equal(lines, results["samples"]!["files"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(lines, PageFiles(PageData(Path.Combine(outDir, "report.html"))));
        var table = ExportCommandTests.ParseCsv(Run("export", Path.Combine(outDir, "results.json")).Stdout);
        int row = Array.IndexOf(table[0], "row"), file = Array.IndexOf(table[0], "file");
        Assert.Equal(120, table.Skip(1).Select(r => r[row]).Distinct().Count());
        Assert.All(table.Skip(1), r => Assert.Equal(lines[int.Parse(r[row])], r[file]));
    }

    [Fact]
    public void NamesThatShareHalfACharacterAreNotCutThroughIt()
    {
        // Every name begins with U+D83D (the first half of both emoji) and ends with U+DE00 ".png" (the second half of
        // U+1F600 and of U+10600): the shared beginning and end written once must stop before those halves.
        string dir = TestData.TempDir();
        var (a, b, labels) = SmallPair(dir, rows: 60);
        string folder = Path.Combine(dir, "photos");
        Directory.CreateDirectory(folder);
        var png = RepDiff.Report.Png.Encode([10, 80, 160, 240], 2, 2, 1);
        var names = Enumerable.Range(0, 60).Select(i => i % 2 == 0 ? $"\U0001F600{i:D2}\U0001F600.png" : $"\U0001F601{i:D2}\U00010600.png").ToArray();
        foreach (string name in names) File.WriteAllBytes(Path.Combine(folder, name), png);
        string outDir = Path.Combine(dir, "out");
        var run = Run("kmeans", a, b, "--images", folder, "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        var page = PageData(Path.Combine(outDir, "report.html"));
        var files = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["samples"]!["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToArray();
        Assert.Equal(names.Order(NaturalComparer.Instance), files);
        Assert.Equal(files, PageFiles(page));
        Assert.Equal("", page["samples"]!["files"]!["prefix"]!.GetValue<string>());
        Assert.Equal(".png", page["samples"]!["files"]!["suffix"]!.GetValue<string>());
        Assert.DoesNotContain('\uFFFD', page.ToJsonString());
    }

    [Fact]
    public void PixelArraysHaveNoFilesAndNoFileColumn()
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = SmallPair(dir, rows: 60);
        string images = Path.Combine(dir, "images.npy");
        Npy.Write(images, Enumerable.Range(0, 60 * 16).Select(k => (k % 7) / 7f).ToArray(), 60, 4, 4);
        string outDir = Path.Combine(dir, "out");
        var run = Run("kmeans", a, b, "--labels", labels, "--images", images, "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["samples"]!["files"]);
        var page = PageData(Path.Combine(outDir, "report.html"));
        Assert.Null(page["samples"]!["files"]);
        Assert.False(page["cards"]!["fileColumn"]!.GetValue<bool>());
        Assert.All(Alts(Path.Combine(outDir, "report.html")), alt => Assert.Matches(@"^#\d+ · ", alt));
        Assert.DoesNotContain("file", ExportCommandTests.ParseCsv(Run("export", Path.Combine(outDir, "results.json")).Stdout)[0]);
    }
}
