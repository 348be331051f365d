using System.Text.Json.Nodes;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>
/// `--common-samples` through the commands: A of 120 samples, B missing two of them (s7, s50), in reverse order and with two
/// of its own (x0, x1). The run keeps the 118 both hold, says so on the terminal, in results.json and in the report, and
/// gives what a run on the 118 saved by hand gives.
/// </summary>
public class CommonSamplesCliTests
{
    private sealed record Inputs(string Dir, string A, string B, string IdsA, string IdsB, string Labels, string Metadata, int[] Kept);

    private static Inputs Make()
    {
        string dir = TestData.TempDir();
        var (a, b, labels) = SmallPair(dir, rows: 120);
        var rowsB = Npy.ReadMatrix(b);
        int[] kept = [.. Enumerable.Range(0, 120).Where(i => i is not (7 or 50))];
        // B: the kept rows last to first, then two rows of samples A does not hold.
        int[] order = [.. kept.Reverse(), 3, 4];
        string[] idsB = [.. kept.Reverse().Select(i => $"s{i}"), "x0", "x1"];
        string partial = Path.Combine(dir, "b_partial.npy");
        Npy.Write(partial, rowsB.SelectRows(order));
        string idsA = Path.Combine(dir, "ids_a.txt"), idsBPath = Path.Combine(dir, "ids_b.txt"), metadata = Path.Combine(dir, "meta.csv");
        File.WriteAllLines(idsA, Enumerable.Range(0, 120).Select(i => $"s{i}"));
        File.WriteAllLines(idsBPath, idsB);
        File.WriteAllLines(metadata, ["id,half", .. Enumerable.Range(0, 120).Reverse().Select(i => $"s{i},{(i < 60 ? "first" : "second")}")]);
        return new Inputs(dir, a, partial, idsA, idsBPath, labels, metadata, kept);
    }

    private static string[] Join(Inputs inputs) => ["--ids-a", inputs.IdsA, "--ids-b", inputs.IdsB];

    private static JsonObject Results(string outDir) => JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!.AsObject();

    [Fact]
    public void TheSamplesBothHoldAreKeptAndWhatWasLeftOutIsSaidEverywhere()
    {
        var inputs = Make();
        string outDir = Path.Combine(inputs.Dir, "out");

        var run = Run(["rdx", inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--labels", inputs.Labels, "--metadata", inputs.Metadata, "--out", outDir]);

        Assert.True(run.Code == 0, run.Stderr);
        Assert.Contains("kept the 118 samples both a.npy and b_partial.npy hold; left out 2 of a.npy's (first: 's7') and 2 of b_partial.npy's (first: 'x0')\n", run.Stdout);
        var results = Results(outDir);
        Assert.Equal(118, results["n"]!.GetValue<int>());
        var samples = results["samples"]!.AsObject();
        Assert.Equal("""{"a":2,"b":2,"a_ids":["s7","s50"],"b_ids":["x0","x1"]}""", samples["left_out"]!.ToJsonString());
        Assert.Equal(inputs.Kept.Select(i => $"s{i}"), samples["ids"]!.AsArray().Select(v => (string)v!));
        // Each sample's label and metadata are its own: s51, the 50th kept, has line 52 of the labels and the first half's value.
        var labels = File.ReadAllLines(inputs.Labels);
        Assert.Equal("s51", (string)samples["ids"]![49]!);
        Assert.Equal(labels[51], (string)samples["labels"]![49]!);
        Assert.Equal("first", (string)samples["metadata"]!["half"]![49]!);
        Assert.Equal("second", (string)samples["metadata"]!["half"]![59]!);
        Assert.Equal(inputs.Kept.Select(i => labels[i]), samples["labels"]!.AsArray().Select(v => (string)v!));
        Assert.Contains("(those both hold: 2 of A's and 2 of B's left out, --common-samples)", File.ReadAllText(Path.Combine(outDir, "report.html")));

        // evaluate joins the inputs as the run did: with the option, the same samples; without it, refused naming it.
        string evaluated = Path.Combine(inputs.Dir, "evaluated.json");
        var evaluate = Run(["evaluate", Path.Combine(outDir, "results.json"), inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--out", evaluated]);
        Assert.True(evaluate.Code == 0, evaluate.Stderr);
        Assert.Equal(results["metrics"]!["bsr"]!.ToJsonString(), JsonNode.Parse(File.ReadAllText(evaluated))!["metrics"]!["bsr"]!.ToJsonString());
        Assert.Equal(samples["left_out"]!.ToJsonString(), JsonNode.Parse(File.ReadAllText(evaluated))!["samples"]!["left_out"]!.ToJsonString());
        Run(["evaluate", Path.Combine(outDir, "results.json"), inputs.A, inputs.B, .. Join(inputs), "--out", Path.Combine(inputs.Dir, "not.json")])
            .AssertBadInput("--common-samples");
        // export names the kept samples by their ids and labels.
        var export = Run("export", Path.Combine(outDir, "results.json"));
        Assert.True(export.Code == 0, export.Stderr);
        Assert.Contains($",s51,{labels[51]},", export.Stdout);
        // A file of one entry per row of A cannot be matched to the kept samples by line: said, not misread.
        Run("export", Path.Combine(outDir, "results.json"), "--labels", inputs.Labels)
            .AssertBadInput("has 120 labels but the results describe 118 samples (one per row of A, but the run kept only the 118 that B holds too, --common-samples");
    }

    /// <summary>
    /// The strongest check that nothing is misaligned: the same method and seed on the 118 samples saved by hand (A's rows,
    /// B's rows in A's order, their labels) finds the same concepts with the same scores.
    /// </summary>
    [Fact]
    public void ARunWithTheOptionEqualsARunOnTheCommonSamplesSavedByHand()
    {
        var inputs = Make();
        string a = Path.Combine(inputs.Dir, "a_kept.npy"), b = Path.Combine(inputs.Dir, "b_kept.npy");
        string ids = Path.Combine(inputs.Dir, "ids_kept.txt"), labels = Path.Combine(inputs.Dir, "labels_kept.txt");
        var allLabels = File.ReadAllLines(inputs.Labels);
        Npy.Write(a, Npy.ReadMatrix(inputs.A).SelectRows(inputs.Kept));
        // B's original rows (SmallPair's b.npy holds them in A's order).
        Npy.Write(b, Npy.ReadMatrix(Path.Combine(inputs.Dir, "b.npy")).SelectRows(inputs.Kept));
        File.WriteAllLines(ids, inputs.Kept.Select(i => $"s{i}"));
        File.WriteAllLines(labels, inputs.Kept.Select(i => allLabels[i]));
        foreach (string method in new[] { "rdx", "kmeans" })
        {
            string common = Path.Combine(inputs.Dir, method + "-common"), byHand = Path.Combine(inputs.Dir, method + "-by-hand");
            var withOption = Run([method, inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--labels", inputs.Labels, "--seed", "3", "--out", common]);
            Assert.True(withOption.Code == 0, withOption.Stderr);
            var subset = Run([method, a, b, "--ids", ids, "--labels", labels, "--seed", "3", "--out", byHand]);
            Assert.True(subset.Code == 0, subset.Stderr);
            JsonObject first = Results(common), second = Results(byHand);
            Assert.NotEmpty(first["directions"]!.AsArray().SelectMany(d => d!["concepts"]!.AsArray()));
            Assert.Equal(second["directions"]!.ToJsonString(), first["directions"]!.ToJsonString());
            Assert.Equal(second["metrics"]!["bsr"]!.ToJsonString(), first["metrics"]!["bsr"]!.ToJsonString());
            Assert.Equal(second["samples"]!["labels"]!.ToJsonString(), first["samples"]!["labels"]!.ToJsonString());
        }
    }

    /// <summary>
    /// RDX's --guide-labels, one per row of A, is read for the rows kept, in the run and in its stability reruns: it had been
    /// refused ("has 120 labels for 118 samples").
    /// </summary>
    [Fact]
    public void GuideLabelsOfARowsAreReadForTheSamplesKept()
    {
        var inputs = Make();
        string a = Path.Combine(inputs.Dir, "a_kept.npy"), b = Path.Combine(inputs.Dir, "b_kept.npy"), guide = Path.Combine(inputs.Dir, "guide_kept.txt");
        Npy.Write(a, Npy.ReadMatrix(inputs.A).SelectRows(inputs.Kept));
        Npy.Write(b, Npy.ReadMatrix(Path.Combine(inputs.Dir, "b.npy")).SelectRows(inputs.Kept));
        var allLabels = File.ReadAllLines(inputs.Labels);
        File.WriteAllLines(guide, inputs.Kept.Select(i => allLabels[i]));
        string common = Path.Combine(inputs.Dir, "common"), byHand = Path.Combine(inputs.Dir, "by-hand");
        string[] options = ["--stability", "3", "--seed", "3"];
        var withOption = Run(["rdx", inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--guide-labels", inputs.Labels, .. options, "--out", common]);
        Assert.True(withOption.Code == 0, withOption.Stderr);
        var subset = Run(["rdx", a, b, "--guide-labels", guide, .. options, "--out", byHand]);
        Assert.True(subset.Code == 0, subset.Stderr);
        Assert.Equal(Results(byHand)["directions"]!.ToJsonString(), Results(common)["directions"]!.ToJsonString());
        string shortGuide = Path.Combine(inputs.Dir, "short.txt");
        File.WriteAllLines(shortGuide, allLabels[..100]);
        Assert.Contains($"--guide-labels {shortGuide}: has 100 labels for 118 samples; there must be one per sample, in the order of the rows (or one per row of A: 120)",
            Run(["rdx", inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--guide-labels", shortGuide, "--out", common]).Stderr);
    }

    [Fact]
    public void WithoutTheOptionWithoutIdsOrWithoutACommonIdTheRunIsRefused()
    {
        var inputs = Make();
        string outDir = Path.Combine(inputs.Dir, "out");
        var refused = Run(["kmeans", inputs.A, inputs.B, .. Join(inputs), "--out", outDir]);
        refused.AssertBadInput("A and B must hold the same samples (or give --common-samples to keep only the samples both hold)");
        Run(["kmeans", inputs.A, Path.Combine(inputs.Dir, "b.npy"), "--common-samples", "--out", outDir])
            .AssertBadInput($"--common-samples: keeps the samples both A and B hold by their ids, but neither {inputs.A} nor {Path.Combine(inputs.Dir, "b.npy")} has any; give ids");
        string other = Path.Combine(inputs.Dir, "other.txt");
        File.WriteAllLines(other, Enumerable.Range(0, 120).Select(i => $"t{i}"));
        Run(["metrics", inputs.A, inputs.B, "--ids-a", other, "--ids-b", inputs.IdsB, "--common-samples", "--out", outDir])
            .AssertBadInput("there are no samples both hold to compare");
        Assert.False(Directory.Exists(outDir));
    }

    /// <summary>
    /// B holding A's left-out s7 as "S7 " (case and an end space): the terminal line had said so, results.json had not. It
    /// now records the count and the pair in `samples.left_out.look_alike`, which evaluate keeps.
    /// </summary>
    [Fact]
    public void IdsBHoldsWrittenOtherwiseAreRecordedInResults()
    {
        var inputs = Make();
        File.WriteAllLines(inputs.IdsB, File.ReadAllLines(inputs.IdsB).Select(id => id == "x0" ? "S7 " : id));
        string outDir = Path.Combine(inputs.Dir, "out");
        var run = Run(["kmeans", inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--concepts", "2", "--out", outDir]);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Contains("1 of a.npy's left out is in b_partial.npy written otherwise ('s7' and 'S7 ': spaces, case or number format)", run.Stdout);
        var leftOut = Results(outDir)["samples"]!["left_out"]!;
        Assert.Equal("""{"count":1,"a_id":"s7","b_id":"S7 "}""", leftOut["look_alike"]!.ToJsonString());

        string evaluated = Path.Combine(inputs.Dir, "evaluated.json");
        var evaluate = Run(["evaluate", Path.Combine(outDir, "results.json"), inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--out", evaluated]);
        Assert.True(evaluate.Code == 0, evaluate.Stderr);
        Assert.Equal(leftOut.ToJsonString(), JsonNode.Parse(File.ReadAllText(evaluated))!["samples"]!["left_out"]!.ToJsonString());
    }

    /// <summary>
    /// A groups file naming members by row, given with --common-samples that left out some of A (s7, s50): a row is a row of
    /// A as given (the doc's "a 0-based row of A"), read as the sample kept from it. It had been refused, and before that
    /// read as a row of the samples kept (s8 for "row 7"). A row naming a left-out sample is dropped from its group and
    /// counted (terminal and results.json); a group of only such rows, and a row beyond A's, are refused in one line.
    /// </summary>
    [Fact]
    public void AGroupsFileByRowReadsRowsOfAAsGiven()
    {
        var inputs = Make();
        int[] tail = [.. Enumerable.Range(110, 10)];   // beyond the 118 samples kept, within A's 120 rows
        string byRow = Path.Combine(inputs.Dir, "by_row.csv"), byId = Path.Combine(inputs.Dir, "by_id.csv");
        File.WriteAllLines(byRow, ["group,row", .. Enumerable.Range(0, 40).Select(i => $"g{i % 2},{i}"), .. tail.Select(i => $"tail,{i}")]);
        File.WriteAllLines(byId, ["group,id", .. Enumerable.Range(0, 40).Where(i => i != 7).Select(i => $"g{i % 2},s{i}"), .. tail.Select(i => $"tail,s{i}")]);
        // The members of each group by id, as results.json names them.
        Dictionary<string, string[]> Members(string outDir)
        {
            var ids = Results(outDir)["samples"]!["ids"]!.AsArray().Select(v => (string)v!).ToArray();
            return Results(outDir)["directions"]!.AsArray().SelectMany(d => d!["concepts"]!.AsArray())
                .ToDictionary(c => (string)c!["name"]!, c => c!["members"]!.AsArray().Select(m => ids[(int)m!]).Order(StringComparer.Ordinal).ToArray());
        }

        string rowsOut = Path.Combine(inputs.Dir, "by-row"), idsOut = Path.Combine(inputs.Dir, "by-id");
        var rows = Run(["groups", inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--groups", byRow, "--out", rowsOut]);
        Assert.True(rows.Code == 0, rows.Stderr);
        Assert.Contains("warning: 1 member of the groups is a row of a.npy that --common-samples left out (samples the other input does not hold): not scored\n", rows.Stderr);
        Assert.Equal(1, Results(rowsOut)["metrics"]!["members_left_out"]!.GetValue<int>());
        var ids = Run(["groups", inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--groups", byId, "--out", idsOut]);
        Assert.True(ids.Code == 0, ids.Stderr);
        Assert.Null(Results(idsOut)["metrics"]!["members_left_out"]);
        var byRowMembers = Members(rowsOut);
        Assert.Equal(Members(idsOut), byRowMembers);
        Assert.Equal(tail.Select(i => $"s{i}").Order(StringComparer.Ordinal), byRowMembers["tail"]);

        // A group of left-out rows only, and a row beyond A's 120: one line each, nothing written.
        string gone = Path.Combine(inputs.Dir, "gone.csv"), beyond = Path.Combine(inputs.Dir, "beyond.csv"), refused = Path.Combine(inputs.Dir, "refused");
        File.WriteAllLines(gone, ["group,row", "g,1", "g,2", "gone,7", "gone,50"]);
        File.WriteAllLines(beyond, ["group,row", "g,1", "g,120"]);
        Run(["groups", inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--groups", gone, "--out", refused])
            .AssertBadInput($"{gone}: group 'gone' (line 4) names only rows of a.npy that --common-samples left out (samples the other input does not hold), so none of it is left to score");
        Run(["groups", inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--groups", beyond, "--out", refused])
            .AssertBadInput($"{beyond}: line 3: row 120 is not a row of a.npy, which has 120 (rows 0 to 119)");
        Assert.False(Directory.Exists(refused));

        // B's own extra ids alone left out: A's rows are the rows kept, and rows are read as before.
        string idsB = Path.Combine(inputs.Dir, "ids_b_all.txt"), bAll = Path.Combine(inputs.Dir, "b_all.npy");
        Npy.Write(bAll, Npy.ReadMatrix(Path.Combine(inputs.Dir, "b.npy")).SelectRows([.. Enumerable.Range(0, 120), 3]));
        File.WriteAllLines(idsB, [.. Enumerable.Range(0, 120).Select(i => $"s{i}"), "x0"]);
        string allOut = Path.Combine(inputs.Dir, "b-all");
        var all = Run(["groups", inputs.A, bAll, "--ids-a", inputs.IdsA, "--ids-b", idsB, "--common-samples", "--groups", byRow, "--out", allOut]);
        Assert.True(all.Code == 0, all.Stderr);
        Assert.Contains("s7", Members(allOut)["g1"]);
    }

    /// <summary>
    /// compare --groups with --common-samples warns of a groups file's rows that were left out as `repdiff groups` does: it
    /// had dropped them from their groups without a word on the terminal (only results.json counted them).
    /// </summary>
    [Fact]
    public void CompareWarnsOfGroupMembersLeftOutAsTheGroupsCommandDoes()
    {
        var inputs = Make();
        string byRow = Path.Combine(inputs.Dir, "by_row.csv"), byId = Path.Combine(inputs.Dir, "by_id.csv");
        File.WriteAllLines(byRow, ["group,row", .. Enumerable.Range(0, 40).Select(i => $"g{i % 2},{i}"), "g0,50"]);
        File.WriteAllLines(byId, ["group,id", .. Enumerable.Range(0, 40).Where(i => i != 7).Select(i => $"g{i % 2},s{i}")]);
        const string Warning = "warning: 2 members of the groups are rows of a.npy that --common-samples left out (samples the other input does not hold): not scored\n";

        var groups = Run(["groups", inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--groups", byRow, "--out", Path.Combine(inputs.Dir, "groups")]);
        Assert.True(groups.Code == 0, groups.Stderr);
        Assert.Contains(Warning, groups.Stderr);
        var compare = Run(["compare", inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--methods", "kmeans", "--groups", byRow,
            "--out", Path.Combine(inputs.Dir, "compare")]);
        Assert.True(compare.Code == 0, compare.Stderr);
        Assert.Contains(Warning, compare.Stderr);
        var none = Run(["compare", inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--methods", "kmeans", "--groups", byId,
            "--out", Path.Combine(inputs.Dir, "compare-by-id")]);
        Assert.True(none.Code == 0, none.Stderr);
        Assert.DoesNotContain("--common-samples left out", none.Stderr);
    }

    /// <summary>
    /// A line whose id and row disagree names the id's row of A, the file the user gave, beside its row among the samples
    /// kept: it had named only the latter ("is row 59 here" for s61, row 61 of a.npy), which is no row of the user's file.
    /// </summary>
    [Fact]
    public void AnIdAndRowThatDisagreeNameTheRowOfA()
    {
        var inputs = Make();
        string both = Path.Combine(inputs.Dir, "both.csv"), refused = Path.Combine(inputs.Dir, "refused");
        File.WriteAllLines(both, ["group,row,id", "g,1,s1", "g,2,s2", "g,60,s61"]);
        Run(["groups", inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--groups", both, "--out", refused])
            .AssertBadInput($"{both}: line 4: id 's61' is row 61 of a.npy (row 59 of the 118 samples kept), but the line says row 60; give the inputs (and ids) the groups were made on");
        Assert.False(Directory.Exists(refused));
        // Without --common-samples the rows are A's and said once.
        Run(["groups", inputs.A, Path.Combine(inputs.Dir, "b.npy"), "--ids-a", inputs.IdsA, "--ids-b", inputs.IdsA, "--groups", both, "--out", refused])
            .AssertBadInput($"{both}: line 4: id 's61' is row 61 of a.npy, but the line says row 60;");
        // What --common-samples left out read back without which row of A each sample kept is: no row of A is claimed.
        var leftOut = new LeftOutSamples(118, 2, 0, ["s7", "s50"], []);
        var error = Assert.Throws<RepDiffInputException>(() => GroupsFile.Read(both, null, 118, inputs.Kept.Select(i => $"s{i}").ToArray(), "a.npy", "b.npy", leftOut));
        Assert.Equal($"{both}: line 4: id 's61' is row 59 of the samples kept, but the line says row 60; give the inputs (and ids) the groups were made on", error.Message);
    }

    /// <summary>metrics and compare keep the common samples too, and record them where the method commands do.</summary>
    [Fact]
    public void MetricsAndCompareRecordWhatWasLeftOut()
    {
        var inputs = Make();
        foreach (string[] command in new[] { new[] { "metrics" }, ["compare", "--methods", "kmeans"] })
        {
            string outDir = Path.Combine(inputs.Dir, command[0]);
            var run = Run([.. command, inputs.A, inputs.B, .. Join(inputs), "--common-samples", "--out", outDir]);
            Assert.True(run.Code == 0, run.Stderr);
            Assert.Contains("kept the 118 samples both a.npy and b_partial.npy hold;", run.Stdout);
            Assert.Equal(2, Results(outDir)["samples"]!["left_out"]!["b"]!.GetValue<int>());
        }
    }
}
