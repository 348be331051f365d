using System.Text.Json.Nodes;
using RepDiff.IO;

using RepDiff.Tests.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>`repdiff export`: every member of every concept of a results.json, as CSV or JSON Lines.</summary>
public class ExportCommandTests
{
    private static readonly string A = TestData.Fixture("planted_a.npy"), B = TestData.Fixture("planted_b.npy");

    /// <summary>600 samples: ids p0.., labels by thirds, metadata with a quoted comma and an "id" column (kept, prefixed).</summary>
    private static (string Ids, string Labels, string Metadata) SideFiles(string dir)
    {
        string ids = GoldenFileTests.WriteText(dir, "ids.txt", string.Concat(Enumerable.Range(0, 600).Select(i => $"p{i}\n")));
        string labels = GoldenFileTests.WriteText(dir, "labels.txt", string.Concat(Enumerable.Range(0, 600).Select(i => $"{(i < 200 ? "low" : i < 400 ? "mid" : "high")}\n")));
        string metadata = GoldenFileTests.WriteText(dir, "meta.csv",
            "sample,id,note\n" + string.Concat(Enumerable.Range(0, 600).Select(i => $"p{i},x{i},\"a, {i % 2}\"\n")));
        return (ids, labels, metadata);
    }

    [Fact]
    public void SingleMethodResultsCarryTheirSamplesIntoTheCsv()
    {
        string dir = TestData.TempDir();
        var (ids, labels, metadata) = SideFiles(dir);
        string outDir = Path.Combine(dir, "out");
        Assert.Equal(0, global::RepDiff.Cli.Cli.Run(global::RepDiff.Cli.Cli.BuildRoot(), ["kmeans", A, B, "--concepts", "3", "--grid-size", "4", "--ids", ids, "--labels", labels,
            "--metadata", metadata, "--metadata-id-column", "sample", "--out", outDir]));
        string results = Path.Combine(outDir, "results.json");
        var file = ResultsFile.Read(results);
        var (explanations, stored) = (file.Explanations, file.Samples(results));
        Assert.Equal(["id", "note"], stored!.Metadata!.Columns.Select(c => c.Name));
        // Each concept carries its enrichment over the labels and metadata, as Enrichment computes it.
        var enrichment = new RepDiff.Metrics.Enrichment(SampleMetadata.WithLabels(stored)!);
        foreach (var concept in explanations.Single().Directions.SelectMany(d => d.Concepts))
            Assert.Equal(enrichment.Of(concept.Members).Select(e => e.Phrase), concept.Enrichment!.Select(e => e.Phrase));
        Assert.Contains(explanations.Single().Directions.SelectMany(d => d.Concepts), c => c.Enrichment!.Any(e => e.Column == "label"));

        string csv = Path.Combine(dir, "members.csv");
        var (code, _, error) = Run("export", results, "--out", csv);
        Assert.Equal(0, code);
        Assert.Contains("Wrote", error);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("method,direction,rank,strength,stability,found_again,p_value,p_adjusted,confirmed,position,in_grid,row,id,label,score,metadata_id,note", lines[0]);
        var kmeans = explanations.Single();
        Assert.Equal(kmeans.Directions.Sum(d => d.Concepts.Sum(c => c.Members.Length)), lines.Length - 1);
        var first = kmeans.Directions[0].Concepts[0];
        int row = first.Members[0];
        string label = row < 200 ? "low" : row < 400 ? "mid" : "high";
        Assert.StartsWith($"kmeans,concepts_of_a,1,{first.Strength.ToString("R", System.Globalization.CultureInfo.InvariantCulture)},,,,,,0,{(first.Grid.Contains(row) ? "true" : "false")},{row},p{row},{label},", lines[1]);
        Assert.EndsWith($",x{row},\"a, {row % 2}\"", lines[1]);
    }

    [Fact]
    public void CompareResultsExportAsJsonLinesWithFlagsForMissingSamples()
    {
        string dir = TestData.TempDir();
        var (ids, labels, metadata) = SideFiles(dir);
        var pair = new PairSpec(A, B).Load(); // no side information: the results hold no samples block
        var rdx = new Explanation
        {
            Method = "rdx", N = 600,
            Directions = [new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = [new Concept { Rank = 1, Strength = 0.5, Members = [7, 3, 599], Grid = [7], Scores = [0.9, 0.8, double.NaN],
                Stability = 0.75, FoundAgain = true, PValue = 0.004, PAdjusted = 0.012 }] }],
        };
        var spec = new Explanation
        {
            Method = "spec", N = 600,
            Directions = [new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b", Concepts = [new Concept { Rank = 2, Strength = 1.5, Members = [1], Grid = [1] }] }],
        };
        string results = Path.Combine(dir, "results.json");
        File.WriteAllText(results, new Comparison { Pair = pair, Explanations = [rdx, spec], Context = new() }.ToJson());

        var (code, output, error) = Run("export", results, "--format", "jsonl", "--ids", ids, "--labels", labels, "--metadata", metadata, "--metadata-id-column", "sample");
        Assert.Equal((0, ""), (code, error));
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(["rdx", "rdx", "rdx", "spec"], rows.Select(r => r["method"]!.GetValue<string>()));
        Assert.Equal([7, 3, 599, 1], rows.Select(r => r["row"]!.GetValue<int>()));
        Assert.Equal("p599", rows[2]["id"]!.GetValue<string>());
        Assert.Equal("high", rows[2]["label"]!.GetValue<string>());
        Assert.Equal("x599", rows[2]["metadata_id"]!.GetValue<string>());
        Assert.Equal(0.9, rows[0]["score"]!.GetValue<double>());
        Assert.Equal("NaN", rows[2]["score"]!.GetValue<string>());
        Assert.Null(rows[3]["score"]);
        Assert.True(rows[0]["in_grid"]!.GetValue<bool>());
        Assert.Equal(2, rows[3]["rank"]!.GetValue<int>());
        // The concept's trust beside each of its members, null where it was not measured.
        Assert.Equal((0.75, true, 0.004, 0.012, true), (rows[1]["stability"]!.GetValue<double>(), rows[1]["found_again"]!.GetValue<bool>(),
            rows[1]["p_value"]!.GetValue<double>(), rows[1]["p_adjusted"]!.GetValue<double>(), rows[1]["confirmed"]!.GetValue<bool>()));
        Assert.All(["stability", "found_again", "p_value", "p_adjusted", "confirmed"], name => Assert.Null(rows[3][name]));

        // Without flags the same results export with empty id, label and no metadata columns.
        (code, output, _) = Run("export", results);
        Assert.Equal(0, code);
        Assert.Equal("method,direction,rank,strength,stability,found_again,p_value,p_adjusted,confirmed,position,in_grid,row,id,label,score", output.Split('\n')[0]);
        Assert.Equal("rdx,more_similar_in_a,1,0.5,0.75,true,0.004,0.012,true,1,false,3,,,0.8", output.Split('\n')[2]);
        Assert.Equal("spec,more_similar_in_b,2,1.5,,,,,,0,true,1,,,", output.Split('\n')[4]);
    }

    [Fact]
    public void BadInputExitsWithCodeTwoNamingTheFile()
    {
        string dir = TestData.TempDir();
        string notJson = GoldenFileTests.WriteText(dir, "results.json", "{ nope");
        string shortLabels = GoldenFileTests.WriteText(dir, "labels.txt", "a\nb\n");
        string results = Path.Combine(dir, "ok.json");
        File.WriteAllText(results, new Explanation { Method = "kmeans", N = 3, Directions = [new Direction { Name = "concepts_of_a", Concepts = [new Concept { Rank = 1, Members = [0, 2] }] }] }.ToJson());
        string outside = Path.Combine(dir, "outside.json");
        File.WriteAllText(outside, new Explanation { Method = "kmeans", N = 3, Directions = [new Direction { Name = "concepts_of_a", Concepts = [new Concept { Rank = 1, Members = [5] }] }] }.ToJson());
        foreach (var (args, message) in new (string[], string)[]
        {
            (["export", notJson], $"error: {notJson}: is not a RepDiff results.json"),
            (["export", Path.Combine(dir, "none.json")], "file not found"),
            (["export", results, "--format", "xml"], "error: --format xml: expected csv or jsonl"),
            (["export", results, "--labels", shortLabels], $"error: {shortLabels}: has 2 labels but the results describe 3 samples"),
            (["export", outside], "names sample 5, outside 0..2"),
        })
        {
            var (code, output, error) = Run(args);
            Assert.Equal(2, code);
            Assert.Contains(message, error);
            Assert.Equal("", output);
        }
    }

    [Fact]
    public void AnEmptyOutIsNamed()
    {
        string results = Path.Combine(TestData.TempDir(), "hand.json");
        File.WriteAllText(results, """{"method":"mytool","n":3,"directions":[]}""");
        var (code, _, err) = Run("export", results, "--out", "");
        Assert.Equal(2, code);
        Assert.Equal("error: --out is empty; name the output file", err.Trim());
    }

    [Fact]
    public void AComparisonWithoutExplanationsIsAHeaderOnlyTable()
    {
        string results = Path.Combine(TestData.TempDir(), "empty.json");
        File.WriteAllText(results, """{"kind":"comparison","explanations":[]}""");
        var (code, output, err) = Run("export", results);
        Assert.True(code == 0, err);
        Assert.StartsWith("method,direction,rank,", output);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
