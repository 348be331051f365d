using System.Globalization;
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

    /// <summary>`--out -` is standard output: it had written a file named "-" in the current folder and said "Wrote -".</summary>
    [Fact]
    public void ADashAsOutIsStandardOutput()
    {
        string dir = TestData.TempDir();
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Assert.Equal(0, Run("kmeans", a, b, "--out", outDir).Code);
        Assert.False(File.Exists("-"), "the test host's folder holds a file named -");
        var (code, stdout, error) = Run("export", Path.Combine(outDir, "results.json"), "--out", "-");
        Assert.Equal(0, code);
        Assert.StartsWith("method,direction,rank,", stdout);
        Assert.DoesNotContain("Wrote", error);
        Assert.False(File.Exists("-"));
        Assert.StartsWith("{", Run("export", Path.Combine(outDir, "results.json"), "--out", "-", "--format", "jsonl").Stdout);
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
            Directions = [new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = [new Concept { Rank = 1, Strength = 0.5, Members = [7, 3, 599], Grid = [7], Scores = [0.9, 0.8, 0.7],
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
        Assert.Equal(0.7, rows[2]["score"]!.GetValue<double>());
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

        // The run's texts add a text column before the metadata (results.json keeps none); a text of a comma is quoted, and
        // one a spreadsheet would run neutralized. A wrong count, or --text-field without --texts, is refused.
        string texts = GoldenFileTests.WriteText(dir, "texts.jsonl", string.Concat(Enumerable.Range(0, 600).Select(i => $"{{\"text\": \"{(i == 3 ? "=cmd, 3" : $"sample {i}")}\"}}\n")));
        (code, output, error) = Run("export", results, "--texts", texts, "--ids", ids, "--metadata", metadata, "--metadata-id-column", "sample");
        Assert.True(code == 0, error);
        var table = ParseCsv(output);
        Assert.Equal([.. MemberExport.Header([], new SampleInfo()), "text", "metadata_id", "note"], table[0]);
        Assert.Equal(["sample 7", "'=cmd, 3", "sample 599", "sample 1"], table.Skip(1).Select(r => r[15]));
        Assert.Contains("\"'=cmd, 3\"", output);
        string fewer = GoldenFileTests.WriteText(dir, "fewer.txt", "a\nb\n");
        Run("export", results, "--texts", fewer).AssertBadInput($"--texts {fewer}: has 2 texts but the results describe 600 samples; give the file the run was given, one entry per sample in the order of its rows");
        Run("export", results, "--text-field", "text").AssertBadInput("--text-field: names the JSON Lines field of --texts, which was not given");

        // Records that carry ids are matched to the samples by them: in reverse order, each text still beside its own sample;
        // ids of other samples are refused (by row, each member had got another's text).
        string reversed = GoldenFileTests.WriteText(dir, "reversed.jsonl", string.Concat(Enumerable.Range(0, 600).Reverse().Select(i => $"{{\"id\": \"p{i}\", \"text\": \"sample {i}\"}}\n")));
        (code, output, error) = Run("export", results, "--texts", reversed, "--ids", ids);
        Assert.True(code == 0, error);
        Assert.Equal(["sample 7", "sample 3", "sample 599", "sample 1"], ParseCsv(output).Skip(1).Select(r => r[15]));
        string others = GoldenFileTests.WriteText(dir, "others.jsonl", string.Concat(Enumerable.Range(0, 600).Select(i => $"{{\"id\": \"q{i}\", \"text\": \"sample {i}\"}}\n")));
        Run("export", results, "--texts", others, "--ids", ids).AssertBadInput($"{others}: has no record with id 'p0', a sample of the results: its records describe other samples");
    }

    /// <summary>
    /// Sample ids, labels and metadata (values and column names) beginning with =, +, -, @ or a tab were written as they
    /// are: opened in a spreadsheet, "=1+0" or "@SUM(A3)" ran as formulas (OWASP CSV injection). Such text now starts with
    /// an apostrophe inside a quoted field; text that is a plain number ("-3", "-0.25", "1e-3") and the numeric columns are unchanged.
    /// </summary>
    [Fact]
    public void TextASpreadsheetWouldRunAsAFormulaIsNeutralizedAndNumbersAreNot()
    {
        string dir = TestData.TempDir();
        const int n = 600;
        string Id(int i) => (i % 6) switch { 0 => $"=1+{i}", 1 => $"+cmd{i}", 2 => $"-{i}", 3 => $"@SUM(A{i})", 4 => $"\tx{i}", _ => $"p{i}" };
        string Label(int i) => i < 200 ? "=low" : i < 400 ? "-1e-3" : "high";
        string Note(int i) => (i % 4) switch { 0 => "-0.25", 1 => "1e-3", 2 => "=HYPERLINK(\"http://evil\",\"x\")", _ => "-2+3" };
        string ids = GoldenFileTests.WriteText(dir, "ids.txt", string.Concat(Enumerable.Range(0, n).Select(i => Id(i) + "\n")));
        string labels = GoldenFileTests.WriteText(dir, "labels.txt", string.Concat(Enumerable.Range(0, n).Select(i => Label(i) + "\n")));
        string metadata = GoldenFileTests.WriteText(dir, "meta.csv",
            "row,=bad,note\n" + string.Concat(Enumerable.Range(0, n).Select(i => $"{i},@{i},\"{Note(i).Replace("\"", "\"\"")}\"\n")));
        var rdx = new Explanation
        {
            Method = "rdx", N = n,
            Directions = [new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = [new Concept { Rank = 1, Strength = -0.25, Members = [.. Enumerable.Range(0, 12), 250, 451], Grid = [0],
                Scores = [.. Enumerable.Range(0, 14).Select(k => -(k + 1) / 1000.0)] }] }],
        };
        string results = Path.Combine(dir, "results.json");
        File.WriteAllText(results, new Comparison { Pair = new PairSpec(A, B).Load(), Explanations = [rdx], Context = new() }.ToJson());

        var (code, output, error) = Run("export", results, "--ids", ids, "--labels", labels, "--metadata", metadata);
        Assert.True(code == 0, error);
        var table = ParseCsv(output);
        Assert.Equal([.. MemberExport.Header([], new SampleInfo()), "metadata_row", "'=bad", "note"], table[0]);
        // Read back by an RFC 4180 reader, each text cell is the text with an apostrophe in front where a spreadsheet would run it.
        string Shown(string text) => text[0] is '=' or '+' or '@' or '\t' || text[0] == '-' && !double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _) ? "'" + text : text;
        int Col(string name) => Array.IndexOf(table[0], name);
        foreach (var fields in table.Skip(1))
        {
            int row = int.Parse(fields[Col("row")]);
            Assert.Equal(Shown(Id(row)), fields[Col("id")]);
            Assert.Equal(Shown(Label(row)), fields[Col("label")]);
            Assert.Equal("'@" + row, fields[Col("'=bad")]);
            Assert.Equal(Shown(Note(row)), fields[Col("note")]);
        }
        var lines = output.Split('\n');
        // Numbers stay numbers: a negative strength and scores, a label "-1e-3", a note "-0.25"; the neutralized text is quoted.
        Assert.StartsWith("rdx,more_similar_in_a,1,-0.25,,,,,,0,true,0,\"'=1+0\",\"'=low\",-0.001,0,\"'@0\",-0.25", lines[1]);
        Assert.StartsWith("rdx,more_similar_in_a,1,-0.25,,,,,,2,false,2,-2,\"'=low\",-0.003,", lines[3]);
        Assert.Equal("rdx,more_similar_in_a,1,-0.25,,,,,,12,false,250,\"'\tx250\",-1e-3,-0.013,250,\"'@250\",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"", lines[13]);
        Assert.Equal("rdx,more_similar_in_a,1,-0.25,,,,,,13,false,451,\"'+cmd451\",high,-0.014,451,\"'@451\",\"'-2+3\"", lines[14]);
    }

    /// <summary>The fields of RFC 4180 text (quoted fields may hold commas, quotes as "" and line breaks).</summary>
    internal static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\n') { row.Add(field.ToString()); field.Clear(); rows.Add([.. row]); row.Clear(); }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add([.. row]); }
        return rows;
    }

    [Fact]
    public void BadInputExitsWithCodeTwoNamingTheFile()
    {
        string dir = TestData.TempDir();
        string notJson = GoldenFileTests.WriteText(dir, "results.json", "{ nope");
        string shortLabels = GoldenFileTests.WriteText(dir, "labels.txt", "a\nb\n");
        string results = Path.Combine(dir, "ok.json");
        File.WriteAllText(results, new Explanation { Method = "kmeans", N = 3, Directions = [new Direction { Name = "concepts_of_a", Concepts = [new Concept { Rank = 1, Members = [0, 2] }] }] }.ToJson());
        // A hand-edited "NaN" is no number RepDiff reads (it had been carried into the export as a score of NaN).
        string notANumber = GoldenFileTests.WriteText(dir, "nan.json", File.ReadAllText(results).Replace("\"strength\": 0", "\"strength\": \"NaN\""));
        string outside = Path.Combine(dir, "outside.json");
        File.WriteAllText(outside, new Explanation { Method = "kmeans", N = 3, Directions = [new Direction { Name = "concepts_of_a", Concepts = [new Concept { Rank = 1, Members = [5] }] }] }.ToJson());
        foreach (var (args, message) in new (string[], string)[]
        {
            (["export", notJson], $"error: {notJson}: is not a RepDiff results.json"),
            (["export", Path.Combine(dir, "none.json")], "file not found"),
            (["export", results, "--format", "xml"], "error: --format xml: expected csv or jsonl"),
            (["export", results, "--labels", shortLabels], $"error: --labels {shortLabels}: has 2 labels but the results describe 3 samples; give the file the run was given"),
            (["export", outside], "names sample 5, outside 0..2"),
            (["export", notANumber], "concept 1: strength is not a finite number"),
        })
        {
            var (code, output, error) = Run(args);
            Assert.Equal(2, code);
            Assert.Contains(message, error);
            Assert.Equal("", output);
        }
    }

    [Fact]
    public void MetadataColumnsNamedLikeFixedOnesGetDistinctNames()
    {
        // Without labels, metadata "label" would be prefixed to "metadata_label", the name of another metadata column.
        var metadata = new SampleMetadata([new MetadataColumn("label", ["x", "y"]), new MetadataColumn("metadata_label", ["1", "2"])], 2);
        var header = MemberExport.Header([], new SampleInfo { Metadata = metadata });
        Assert.Equal(header.Length, header.Distinct().Count());
        Assert.Equal(["metadata_label_2", "metadata_label"], header[^2..]);
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

    /// <summary>
    /// FINC's directions number rows of two sets: one list of ids put TEST's ids on REF's rows (id test50 on row 50 of REF).
    /// Without side files its members export, each row saying its direction.
    /// </summary>
    [Fact]
    public void FincResultsTakeNoSideFilesForOneSetOfSamples()
    {
        string dir = TestData.TempDir();
        string outDir = Path.Combine(dir, "finc");
        Assert.Equal(0, Run("finc", TestData.Fixture("finc_test.npy"), TestData.Fixture("finc_ref.npy"), "--concepts", "2", "--out", outDir).Code);
        string results = Path.Combine(outDir, "results.json");
        string ids = GoldenFileTests.WriteText(dir, "ids.txt", string.Concat(Enumerable.Range(0, 1000).Select(i => $"test{i}\n")));
        Run("export", results, "--ids", ids, "--out", Path.Combine(dir, "m.csv"))
            .AssertBadInput("holds FINC's modes, whose members are rows of two sets (TEST and REF, see each row's direction)");
        Assert.False(File.Exists(Path.Combine(dir, "m.csv")));
        Assert.Equal(0, Run("export", results, "--out", Path.Combine(dir, "m.csv")).Code);
        Assert.Contains("more_frequent_in_ref", File.ReadAllText(Path.Combine(dir, "m.csv")));
    }
    /// <summary>
    /// JSON Lines writes a metadata column as numbers when each value is a JSON number a double keeps as written, so a data
    /// frame read from it is numeric; a leading zero, a 19-digit id, an underflow, "+3" or one text value keep the column text.
    /// </summary>
    [Fact]
    public void JsonLinesWritesNumericMetadataAsNumbers()
    {
        string?[] Column(params string?[] values) => values;
        var columns = new (string Name, string?[] Values, bool Numbers)[]
        {
            ("year", Column("1950", null, "-3"), true),
            ("weight", Column("1.50", "-0.25", "1.5e-3"), true),
            ("zip", Column("02139", "10001", "94110"), false),
            ("long_id", Column("1234567890123456789", "2", "3"), false),
            ("tiny", Column("1e-400", "1", "2"), false),
            ("signed", Column("+3", "1", "2"), false),
            ("mixed", Column("1", "two", "3"), false),
        };
        var samples = new SampleInfo { Metadata = new SampleMetadata(columns.Select(c => new MetadataColumn(c.Name, c.Values)).ToList(), 3) };
        var explanation = new Explanation
        {
            Method = "rdx", N = 3,
            Directions = [new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = [new Concept { Rank = 1, Members = [0, 1, 2], Grid = [0] }] }],
        };
        var writer = new StringWriter();
        MemberExport.WriteJsonLines(writer, [explanation], samples);
        var rows = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

        foreach (var (name, values, numbers) in columns)
            for (int row = 0; row < 3; row++)
            {
                var node = rows[row][name];
                if (values[row] is null) Assert.Null(node);
                else if (numbers) Assert.Equal(double.Parse(values[row]!, CultureInfo.InvariantCulture), node!.GetValue<double>());
                else Assert.Equal(values[row], node!.GetValue<string>());
            }
        Assert.Equal("1.5", rows[0]["weight"]!.ToJsonString());
    }
}
