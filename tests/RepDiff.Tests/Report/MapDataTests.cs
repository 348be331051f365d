using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RepDiff.Numerics;
using RepDiff.Report;
using RepDiff.Reporting;

namespace RepDiff.Tests.Report;

/// <summary>The maps' page data: every plotted sample's coordinates, and the page's colouring columns, compactly encoded.</summary>
public class MapDataTests
{
    private static JsonObject PageData(string html)
        => JsonNode.Parse(Regex.Match(html, "<script type=\"application/json\" id=\"rd-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value)!.AsObject();

    [Fact]
    public void CoordinatesAndColumnsCoverEveryPlottedSample()
    {
        const int n = 40;
        var labels = Enumerable.Range(0, n).Select(i => i < 30 ? "x" : "y").ToArray();
        var metadata = new SampleMetadata(
        [
            new MetadataColumn("genre", Enumerable.Range(0, n).Select(i => i % 4 == 0 ? null : i % 4 == 1 ? "poem" : "news").ToArray()),
            new MetadataColumn("year", Enumerable.Range(0, n).Select(i => (1900 + 3 * i).ToString()).ToArray()),
        ], n);
        var (pair, explanation) = HtmlReportTests.Synthetic(new SampleInfo { Labels = new SampleLabels(labels), Metadata = metadata }, n);
        var model = HtmlReportTests.Model(pair, explanation);
        string html = HtmlReport.Render(model);
        var page = PageData(html);
        var maps = page["maps"]!.AsObject();
        var samples = page["samples"]!.AsObject();

        Assert.Equal(n, (int)samples["n"]!);
        Assert.Null(samples["rows"]); // every sample, in order
        Assert.Null(maps["slots"]); // the maps plot those rows
        var pca = maps["kinds"]![0]!;
        Assert.Equal("pca", (string)pca["kind"]!);
        var x = Convert.FromBase64String((string)pca["a"]!["x"]!);
        var y = Convert.FromBase64String((string)pca["a"]!["y"]!);
        Assert.Equal(2 * n, x.Length);
        // One scale for both axes: the wider axis spans 0..65535, and the order of the points is kept.
        var qx = Enumerable.Range(0, n).Select(k => BitConverter.ToUInt16(x, 2 * k)).ToArray();
        var qy = Enumerable.Range(0, n).Select(k => BitConverter.ToUInt16(y, 2 * k)).ToArray();
        Assert.Equal(65535, Math.Max(qx.Max(), qy.Max()));
        Assert.Equal(0, qx.Min());
        var ax = model.Maps!.Pca.AX;
        int left = Array.IndexOf(ax, ax.Min()), right = Array.IndexOf(ax, ax.Max());
        Assert.Equal((0, qx.Max()), (qx[left], qx[right]));

        var columns = samples["columns"]!.AsArray();
        Assert.Equal(["label", "genre", "year"], columns.Select(c => (string)c!["name"]!));
        Assert.Equal(["x", "y"], columns[0]!["names"]!.AsArray().Select(c => (string)c!));
        var genre = Convert.FromBase64String((string)columns[1]!["codes"]!);
        Assert.Equal(["news", "poem"], columns[1]!["names"]!.AsArray().Select(c => (string)c!)); // most frequent first
        Assert.Equal([255, 1, 0, 0, 255], genre[..5].Select(b => (int)b));
        Assert.Equal("numeric", (string)columns[2]!["type"]!);
        var yearCodes = Convert.FromBase64String((string)columns[2]!["codes"]!);
        var years = Convert.FromBase64String((string)columns[2]!["numbers"]!);
        Assert.Equal(1903f, BitConverter.ToSingle(years, 4 * yearCodes[1]));
        Assert.Equal((1900.0, 2017.0), ((double)columns[2]!["min"]!, (double)columns[2]!["max"]!));

        // The colour choice lists the same columns; the page script is the cards' plus the maps'.
        Assert.Contains("<option value=\"2\">year</option>", html);
        Assert.Contains("rd-highlight", html);
        Assert.DoesNotContain("The maps show", html);
    }

    [Fact]
    public void PlacedUmapPointsAndSubsampledMapsAreLabelled()
    {
        var (pair, explanation) = HtmlReportTests.Synthetic(null, 60);
        var model = HtmlReportTests.Model(pair, explanation);
        var plotted = Enumerable.Range(0, 60).Where(i => i % 2 == 0).ToArray();
        float[] Pick(float[] v) => plotted.Select(i => v[i]).ToArray();
        var u = model.Maps!.Umap!;
        var layout = new MapLayout(Pick(u.AX), Pick(u.AY), Pick(u.BX), Pick(u.BY), u.BAlignment);
        var maps = new SampleMaps { Samples = plotted, Pca = layout, Umap = layout, UmapDescentPoints = 20 };
        var subsampled = new ReportModel { Title = "t", Explanations = [explanation], NameA = "a", NameB = "b", N = 60, Maps = maps };
        string html = HtmlReport.Render(subsampled);
        Assert.Contains("The maps show 30 of the 60 samples", html);
        Assert.Contains("UMAP laid out a seeded subset of 20 samples; the other 10 are placed", html);
        var page = PageData(html);
        // The page's samples are every member and every plotted sample (here every sample: "rows" null); the maps give
        // each plotted point's place among them.
        var rows = page["samples"]!["rows"] is JsonValue r ? Convert.FromBase64String((string)r!) : null;
        var slots = Convert.FromBase64String((string)page["maps"]!["slots"]!);
        int Sample(int k) { int slot = BitConverter.ToInt32(slots, 4 * k); return rows is null ? slot : BitConverter.ToInt32(rows, 4 * slot); }
        Assert.Equal(30, slots.Length / 4);
        Assert.Equal(plotted, Enumerable.Range(0, 30).Select(Sample));
    }
}
