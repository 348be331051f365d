using System.Text.Json.Nodes;
using RepDiff.IO;
using RepDiff.Methods.Groups;
using RepDiff.Metrics;
using RepDiff.Tests.Numerics;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Methods.Groups;

/// <summary>
/// `repdiff groups`: groups made elsewhere scored with the BSR and chance levels of every method (docs/methods/METHODS.md §2),
/// on the planted fixture, whose truth is known: A keeps group 2 together where B splits it in halves, and B keeps groups 3
/// and 4 together where A separates them (Fixtures/fixtures.json).
/// </summary>
public class GivenGroupsTests
{
    private readonly string dir = TestData.TempDir();
    private static readonly int[] Planted = TestData.LoadFixture("planted_groups.npy").Data.Select(v => (int)v).ToArray();

    private static IEnumerable<int> RowsOf(params int[] groups) => Enumerable.Range(0, Planted.Length).Where(i => groups.Contains(Planted[i]));

    private string Write(string name, string text)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static JsonObject Results(string outDir) => JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!.AsObject();

    private static JsonObject Concept(JsonObject results, string direction, string name)
        => results["directions"]!.AsArray().Single(d => d!["name"]!.GetValue<string>() == direction)!["concepts"]!.AsArray()
            .Single(c => c!["name"]?.GetValue<string>() == name)!.AsObject();

    private Outcome RunGroups(string groups, string outDir, params string[] more)
        => Run(["groups", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--groups", groups, "--out", outDir, .. more]);

    [Fact]
    public void PlantedGroupsGivenWithTheirDirectionScoreAboveChanceThere()
    {
        var lines = RowsOf(2).Select(i => $"two,{i},a").Concat(RowsOf(3, 4).Select(i => $"three and four,{i},b"));
        string groups = Write("planted.csv", "group,row,direction\n" + string.Join("\n", lines) + "\n");
        string outDir = Path.Combine(dir, "out");
        var outcome = RunGroups(groups, outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var results = Results(outDir);
        Assert.Equal("groups", results["method"]!.GetValue<string>());
        foreach (var (direction, name) in new[] { ("more_similar_in_a", "two"), ("more_similar_in_b", "three and four") })
        {
            var concept = Concept(results, direction, name);
            double bsr = concept["bsr"]!.GetValue<double>(), chance = concept["bsr_chance"]!.GetValue<double>();
            Assert.True(bsr > chance + 0.05, $"{name}: BSR {bsr} beside chance {chance}");
            Assert.Equal(bsr, concept["strength"]!.GetValue<double>());   // its strength is its BSR
        }
        // Each direction holds only the group said to be grouped there.
        Assert.Single(results["directions"]![0]!["concepts"]!.AsArray());
        Assert.Single(results["directions"]![1]!["concepts"]!.AsArray());
        Assert.Contains("two", outcome.Stdout);
        Assert.Contains("'two'", File.ReadAllText(Path.Combine(outDir, "report.html")));
    }

    /// <summary>
    /// Each group's BSR is computed once: the scoring every run gets after its method (ExplanationScoring's BSR) reads the
    /// counts `groups` found for the same grids rather than pass over both representations again (it had, after scoring
    /// every group to rank them), and its figures are those of the same groups scored afresh on a pair that never saw
    /// them. Above PairStatistics.AllPairsLimit the rows are streamed, not held, so every pass over them is counted.
    /// </summary>
    [Fact]
    public void TheCommonScoringReadsEachGroupsBsrRatherThanScoreItAgain()
    {
        int n = PairStatistics.AllPairsLimit + 1;
        var (a, b) = (NumericsTestData.RandomMatrix(n, 4, seed: 1), NumericsTestData.RandomMatrix(n, 3, seed: 2));
        var rng = new Random(3);
        var members = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(90).ToArray();
        var directions = new[] { "a", "b", "" };   // the last group is scored both ways and kept where it leans
        string groups = Write("groups.csv", "group,row,direction\n" + string.Join("\n", members.Select((row, k) => $"g{k / 30},{row},{directions[k / 30]}")) + "\n");
        CountingRows rowsA = new(a), rowsB = new(b);
        using var pair = new RepresentationPair(rowsA, rowsB);
        var explanation = new GivenGroupsMethod().Run(pair, new GivenGroupsOptions { Groups = groups });
        var reads = (rowsA.Reads, rowsB.Reads);

        Bsr.Evaluate(explanation, pair);

        Assert.Equal(reads, (rowsA.Reads, rowsB.Reads));
        var fresh = new Explanation
        {
            Directions = explanation.Directions.Select(d => new Direction
            {
                Name = d.Name, Explains = d.Explains,
                Concepts = d.Concepts.Select(c => new Concept { Rank = c.Rank, Grid = c.Grid }).ToList(),
            }).ToList(),
        };
        Bsr.Evaluate(fresh, new RepresentationPair(a, b));
        foreach (string key in new[] { "bsr", "bsr_mned", "bsr_lsed", "bsr_mned_normalizer" })
            Assert.Equal(fresh.Metrics[key]!.ToJsonString(), explanation.Metrics[key]!.ToJsonString());
        var concepts = explanation.Directions.SelectMany(d => d.Concepts).ToArray();
        Assert.Equal(3, concepts.Length);
        Assert.Equal(fresh.Directions.SelectMany(d => d.Concepts).Select(c => c.Bsr), concepts.Select(c => c.Bsr));
        Assert.Equal(concepts.Select(c => (double?)c.Strength), concepts.Select(c => c.Bsr));   // its strength is its BSR
    }

    /// <summary>
    /// Without a direction each group is scored both ways: the planted ones hold in the model that keeps them together and are
    /// not above chance in the other (SILB's two ways are near complements: B splitting group 2 is A winning its pairs), and
    /// random groups of the same sizes hold in neither, each within a few spreads of its chance level both ways.
    /// </summary>
    [Fact]
    public void WithoutADirectionEachGroupIsScoredBothWaysAndSaysWhereItHolds()
    {
        var rng = new Random(7);
        var lines = RowsOf(2).Select(i => $"{{\"group\":\"two\",\"row\":{i}}}")
            .Concat(RowsOf(3, 4).Select(i => $"{{\"group\":\"three and four\",\"row\":{i}}}"));
        var randomSizes = new[] { 12, 40, 120 };
        foreach (int size in randomSizes)
            lines = lines.Concat(Enumerable.Range(0, Planted.Length).OrderBy(_ => rng.Next()).Take(size).Select(i => $"{{\"group\":\"random {size}\",\"row\":{i}}}"));
        string groups = Write("groups.jsonl", string.Join("\n", lines) + "\n");
        string outDir = Path.Combine(dir, "out");
        var outcome = RunGroups(groups, outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var bothWays = Results(outDir)["metrics"]!["both_ways"]!.AsObject();
        (double Bsr, double Chance, double Sd) Way(string group, string model) => (bothWays[group]!["bsr"]![model]!.GetValue<double>(),
            bothWays[group]!["bsr_chance"]![model]!.GetValue<double>(), bothWays[group]!["bsr_chance_sd"]![model]!.GetValue<double>());

        foreach (var (group, holds, other) in new[] { ("two", "a", "b"), ("three and four", "b", "a") })
        {
            Assert.Equal(holds, bothWays[group]!["holds_in"]!.GetValue<string>());
            var (bsr, chance, sd) = Way(group, holds);
            Assert.True(bsr > chance + 2 * sd, $"{group} explaining {holds}: BSR {bsr}, chance {chance} ± {sd}");
            var (otherBsr, otherChance, _) = Way(group, other);
            Assert.True(otherBsr < otherChance, $"{group} explaining {other}: BSR {otherBsr}, chance {otherChance}");
            // Nearer by neighbourhood rank, which BSR scores, not "kept together" (review 167, F2).
            Assert.Contains($"group '{group}' holds in {holds.ToUpperInvariant()} ", outcome.Stdout);
            Assert.Contains($"which ranks its scored members as nearer neighbours of each other than {other.ToUpperInvariant()} does; BSR (chance)", outcome.Stdout);
        }
        foreach (int size in randomSizes)
        {
            Assert.Equal("neither", bothWays[$"random {size}"]!["holds_in"]!.GetValue<string>());
            foreach (string model in new[] { "a", "b" })
            {
                var (bsr, chance, sd) = Way($"random {size}", model);
                Assert.True(sd > 0 && Math.Abs(bsr - chance) <= 3 * sd, $"random {size} explaining {model}: BSR {bsr}, chance {chance} ± {sd}");
            }
        }
        // Each group stays a concept of the one direction it leans to.
        var results = Results(outDir);
        Assert.Equal(5, results["directions"]!.AsArray().Sum(d => d!["concepts"]!.AsArray().Count));
        Assert.Equal(Way("two", "a").Bsr, Concept(results, "more_similar_in_a", "two")["bsr"]!.GetValue<double>());
    }

    /// <summary>
    /// `repdiff export`'s table of a run, scored as groups, gives that run's BSR: every distance's per direction, the chance
    /// levels, and each concept's. The export names its samples by row and by id; the pair's ids join them.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnExportedRunScoresAsTheRunDid(bool withIds)
    {
        var (a, b, _) = SmallPair(dir, rows: 120);
        string ids = Write("ids.txt", string.Join("\n", Enumerable.Range(0, 120).Select(i => i % 7 == 0 ? $"=cmd{i}" : $"img{i}")) + "\n");
        string[] idArgs = withIds ? ["--ids", ids] : [];
        string run = Path.Combine(dir, "rdx");
        Assert.Equal(0, Run(["rdx", a, b, "--out", run, .. idArgs]).Code);
        string table = Path.Combine(dir, "members.csv");
        Assert.Equal(0, Run("export", Path.Combine(run, "results.json"), "--out", table).Code);
        string scored = Path.Combine(dir, "scored");
        var outcome = Run(["groups", a, b, "--groups", table, "--out", scored, .. idArgs]);
        Assert.True(outcome.Code == 0, outcome.Stderr);

        var (original, again) = (Results(run), Results(scored));
        foreach (string key in new[] { "bsr", "bsr_mned", "bsr_lsed", "bsr_chance", "bsr_mned_chance", "bsr_lsed_chance" })
            Assert.True(JsonNode.DeepEquals(original["metrics"]![key], again["metrics"]![key]), $"{key}: {original["metrics"]![key]} against {again["metrics"]![key]}");
        foreach (var direction in original["directions"]!.AsArray())
            foreach (var concept in direction!["concepts"]!.AsArray())
            {
                var same = Concept(again, direction["name"]!.GetValue<string>(), $"rdx · {direction["name"]} · {concept!["rank"]}");
                Assert.Equal(concept["bsr"]!.GetValue<double>(), same["bsr"]!.GetValue<double>());
                Assert.Equal(concept["bsr_chance"]!.GetValue<double>(), same["bsr_chance"]!.GetValue<double>());
                Assert.Equal(TestData.Ints(concept["members"]!), TestData.Ints(same["members"]!));
            }
    }

    /// <summary>
    /// A group of every sample is every random group of its size, so it cannot be above its chance level: the spread is 0
    /// and the level is the group's own BSR stored to six decimals, which a BSR a rounding above had passed ("holds in B",
    /// review 174). It holds in neither, and the summary says it is no better than random groups.
    /// </summary>
    [Fact]
    public void AGroupOfEverySampleHoldsInNeither()
    {
        // 40 rows, as the review's: every random group of 40 is then the whole set (on the 600 planted rows it is not).
        var (a, b, _) = SmallPair(dir, rows: 40);
        string groups = Write("all.csv", "group,row\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"everyone,{i}")) + "\n");
        string outDir = Path.Combine(dir, "out");
        var outcome = Run("groups", a, b, "--groups", groups, "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var everyone = Results(outDir)["metrics"]!["both_ways"]!["everyone"]!;
        foreach (string model in new[] { "a", "b" })
        {
            Assert.Equal(0, everyone["bsr_chance_sd"]![model]!.GetValue<double>());
            Assert.Equal(everyone["bsr"]![model]!.GetValue<double>(), everyone["bsr_chance"]![model]!.GetValue<double>(), 6);
        }
        Assert.Equal("neither", everyone["holds_in"]!.GetValue<string>());
        Assert.Contains("group 'everyone' holds in neither model", outcome.Stdout);
        Assert.DoesNotContain("holds in A", outcome.Stdout);
        Assert.DoesNotContain("holds in B", outcome.Stdout);
    }

    private static string PlainText(string html) => System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(
        System.Text.RegularExpressions.Regex.Replace(html, "<(script|style)[^>]*>.*?</\\1>", "", System.Text.RegularExpressions.RegexOptions.Singleline), "<[^>]+>", ""));

    /// <summary>
    /// A `groups` run says what happened to the groups given, not what a method found: the terminal, results.json's findings
    /// and the report count where they hold ("Of the three groups given, one holds in A …"), each direction speaks of the
    /// groups that hold in it by name, and a wrong guess no better than random groups does not make a direction where
    /// another group holds read "the groups found here are no better than random groups", as it had.
    /// </summary>
    [Fact]
    public void AGroupsRunSaysWhereTheGroupsGivenHold()
    {
        string labels = Write("labels.txt", string.Join("\n", Planted.Select(g => $"kind{g}")) + "\n");
        // A wrong guess beside them: half of group 2, said to be kept together by B, which splits group 2.
        var lines = RowsOf(2).Select(i => $"two,{i},a").Concat(RowsOf(3, 4).Select(i => $"three and four,{i},b"))
            .Concat(RowsOf(2).Where((_, k) => k % 2 == 0).Select(i => $"wrong guess,{i},b"));
        string groups = Write("planted.csv", "group,row,direction\n" + string.Join("\n", lines) + "\n");
        string outDir = Path.Combine(dir, "out");
        var outcome = RunGroups(groups, outDir, "--labels", labels);
        Assert.True(outcome.Code == 0, outcome.Stderr);

        const string summary = "Of the three groups given, one holds in A (planted_a.npy), which ranks its scored members as nearer neighbours of each other than B does ('two'); "
            + "one holds in B (planted_b.npy), which ranks its scored members as nearer neighbours of each other than A does ('three and four'); "
            + "and one is no better than random groups of its size ('wrong guess').";
        var results = Results(outDir);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["two"] = "a", ["three and four"] = "b", ["wrong guess"] = "neither" }, results["metrics"]!["holds_in"]),
            results["metrics"]!["holds_in"]!.ToJsonString());
        Assert.Equal(summary, results["findings"]!["summary"]!.GetValue<string>());
        Assert.Contains(summary, outcome.Stdout.Split('\n'));
        Assert.Contains("more_similar_in_a: Within single labels, planted_a.npy ranks the samples shown for each group as nearer neighbours of each other than planted_b.npy does (kind2; group 'two', 120 samples: all kind2).",
            outcome.Stdout.Split('\n'));
        Assert.Contains("more_similar_in_b: planted_b.npy ranks the samples shown for a group mixing kind3 and kind4 as nearer neighbours of each other than planted_a.npy does (group 'three and four', 240 samples: ",
            outcome.Stdout);
        Assert.DoesNotContain("found", outcome.Stdout);
        // The direction's BSR over its two groups is at its chance level; its one group that holds is what it speaks of.
        double bsr = results["metrics"]!["bsr"]!["more_similar_in_b"]!.GetValue<double>();
        double chance = results["metrics"]!["bsr_chance"]!["more_similar_in_b"]!.GetValue<double>(), sd = results["metrics"]!["bsr_chance_sd"]!["more_similar_in_b"]!.GetValue<double>();
        Assert.True(bsr <= chance + 2 * sd, $"B's BSR {bsr}, chance {chance} ± {sd}: the wrong guess should bring it to its chance level");

        string report = PlainText(File.ReadAllText(Path.Combine(outDir, "report.html")));
        Assert.Contains(summary, report);
        Assert.Contains("The groups given as kept together by A (planted_a.npy) and pulled apart by B (planted_b.npy)", report);
        Assert.DoesNotContain("ranks these samples as nearer neighbours", report);
        Assert.DoesNotContain("found here", report);
        Assert.Contains("Each row is one member: method, direction, rank, group (the given group's own name), strength,", report);
    }

    /// <summary>Groups that hold nowhere are said to be no better than random groups of their sizes, in the line and their direction.</summary>
    [Fact]
    public void GroupsThatHoldNowhereAreSaidToBeNoBetterThanRandomGroups()
    {
        var rng = new Random(11);
        var lines = Enumerable.Range(0, 2).SelectMany(k => Enumerable.Range(0, Planted.Length).OrderBy(_ => rng.Next()).Take(30).Select(i => $"r{k},{i},a"));
        string groups = Write("random.csv", "group,row,direction\n" + string.Join("\n", lines) + "\n");
        string outDir = Path.Combine(dir, "out");
        var outcome = RunGroups(groups, outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var findings = Results(outDir)["findings"]!;
        Assert.Equal("Of the two groups given, both are no better than random groups of their sizes ('r0' and 'r1').", findings["summary"]!.GetValue<string>());
        Assert.Equal("planted_a.npy: neither of the two groups given that fall in this direction holds: each is no better than random groups of the same size, "
            + "so they show nothing it keeps together that planted_b.npy pulls apart.", findings["directions"]!["more_similar_in_a"]!.GetValue<string>());
        Assert.DoesNotContain("found", outcome.Stdout);
    }

    /// <summary>
    /// The export of a `groups` run names each group as the user's file did, in a group column after the rank (in CSV, a
    /// comma quoted and a name a spreadsheet would run as a formula neutralized), and scoring that export again gives the
    /// run's BSR and each group's, under the same names. Before, the table named them `groups · direction · rank` only.
    /// </summary>
    [Theory]
    [InlineData("members.csv")]
    [InlineData("members.jsonl")]
    public void AGroupsRunsExportNamesEachGroupAndScoresAsTheRunDid(string tableName)
    {
        var rng = new Random(3);
        var lines = RowsOf(2).Select(i => $"cats-indoor,{i},a").Concat(RowsOf(3, 4).Select(i => $"\"cats, outdoor\",{i},b"))
            .Concat(Enumerable.Range(0, Planted.Length).OrderBy(_ => rng.Next()).Take(30).Select(i => $"-strays,{i},"));
        string groups = Write("named.csv", "group,row,direction\n" + string.Join("\n", lines) + "\n");
        string run = Path.Combine(dir, "run");
        Assert.Equal(0, RunGroups(groups, run).Code);
        string table = Path.Combine(dir, tableName);
        var exported = Run("export", Path.Combine(run, "results.json"), "--out", table);
        Assert.True(exported.Code == 0, exported.Stderr);

        var original = Results(run);
        var namesByRow = new Dictionary<(string Direction, int Rank), string>();
        foreach (var direction in original["directions"]!.AsArray())
            foreach (var concept in direction!["concepts"]!.AsArray())
                namesByRow[(direction["name"]!.GetValue<string>(), concept!["rank"]!.GetValue<int>())] = concept["name"]!.GetValue<string>();
        Assert.Equal(["-strays", "cats, outdoor", "cats-indoor"], namesByRow.Values.Order(StringComparer.Ordinal));
        if (tableName.EndsWith(".csv"))
        {
            var rows = Cli.ExportCommandTests.ParseCsv(File.ReadAllText(table));
            Assert.Equal(["method", "direction", "rank", "group", "strength"], rows[0][..5]);
            Assert.Equal(RowsOf(2).Count() + RowsOf(3, 4).Count() + 30, rows.Count - 1);
            foreach (var row in rows.Skip(1))
            {
                string name = namesByRow[(row[1], int.Parse(row[2]))];
                Assert.Equal(name.StartsWith('-') ? "'" + name : name, row[3]);
            }
        }
        else
            foreach (var line in File.ReadLines(table).Select(l => JsonNode.Parse(l)!.AsObject()))
            {
                Assert.Equal(["method", "direction", "rank", "group", "strength"], line.Select(p => p.Key).Take(5));
                Assert.Equal(namesByRow[(line["direction"]!.GetValue<string>(), line["rank"]!.GetValue<int>())], line["group"]!.GetValue<string>());
            }

        string scored = Path.Combine(dir, "scored");
        var outcome = Run("groups", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--groups", table, "--out", scored);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var again = Results(scored);
        foreach (string key in new[] { "bsr", "bsr_mned", "bsr_lsed", "bsr_chance", "bsr_mned_chance", "bsr_lsed_chance" })
            Assert.True(JsonNode.DeepEquals(original["metrics"]![key], again["metrics"]![key]), $"{key}: {original["metrics"]![key]} against {again["metrics"]![key]}");
        foreach (var ((direction, _), name) in namesByRow)
        {
            var (before, after) = (Concept(original, direction, name), Concept(again, direction, name));
            Assert.Equal(before["bsr"]!.GetValue<double>(), after["bsr"]!.GetValue<double>());
            Assert.Equal(TestData.Ints(before["members"]!), TestData.Ints(after["members"]!));
            Assert.Equal(TestData.Ints(before["grid"]!), TestData.Ints(after["grid"]!));
        }
    }

    /// <summary>A method's export has no group column: its concepts have no names of their own.</summary>
    [Fact]
    public void AMethodsExportHasNoGroupColumn()
    {
        var (a, b, _) = SmallPair(dir, rows: 120);
        string run = Path.Combine(dir, "kmeans");
        Assert.Equal(0, Run("kmeans", a, b, "--out", run).Code);
        var exported = Run("export", Path.Combine(run, "results.json"));
        Assert.True(exported.Code == 0, exported.Stderr);
        Assert.Equal(["method", "direction", "rank", "strength"], Cli.ExportCommandTests.ParseCsv(exported.Stdout)[0][..4]);
        Assert.Contains("Each row is one member: method, direction, rank, strength,", PlainText(File.ReadAllText(Path.Combine(run, "report.html"))));
    }

    /// <summary>
    /// An export whose metadata has a column named "group" (the samples' own groups) is still grouped by its concepts, and its
    /// JSON Lines form reads as its CSV does.
    /// </summary>
    [Fact]
    public void AnExportIsGroupedByItsConceptsWhateverItsMetadataColumnsAreCalled()
    {
        var (a, b, labels) = SmallPair(dir, rows: 120);
        string metadata = Write("meta.csv", "group,year\n" + string.Join("\n", File.ReadAllLines(labels).Select((g, i) => $"{g},{1900 + i}")) + "\n");
        string run = Path.Combine(dir, "kmeans");
        Assert.Equal(0, Run("kmeans", a, b, "--metadata", metadata, "--out", run).Code);
        string table = Path.Combine(dir, "members.jsonl");
        Assert.Equal(0, Run("export", Path.Combine(run, "results.json"), "--out", table).Code);
        Assert.Contains("\"group\":", File.ReadLines(table).First());
        string scored = Path.Combine(dir, "scored");
        var outcome = Run("groups", a, b, "--groups", table, "--out", scored);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var (original, again) = (Results(run), Results(scored));
        Assert.True(JsonNode.DeepEquals(original["metrics"]!["bsr"], new JsonObject
        {
            ["concepts_of_a"] = again["metrics"]!["bsr"]!["more_similar_in_a"]!.GetValue<double>(),
            ["concepts_of_b"] = again["metrics"]!["bsr"]!["more_similar_in_b"]!.GetValue<double>(),
            ["mean"] = again["metrics"]!["bsr"]!["mean"]!.GetValue<double>(),
        }), $"{original["metrics"]!["bsr"]} against {again["metrics"]!["bsr"]}");
        Assert.StartsWith("kmeans · concepts_of_a · ", Concept(again, "more_similar_in_a", "kmeans · concepts_of_a · 1")["name"]!.GetValue<string>());
    }

    /// <summary>Samples named by id, as the pair's ids are, and a direction named by a model's name.</summary>
    [Fact]
    public void MembersAreJoinedByIdAndADirectionCanNameTheModel()
    {
        var (a, b, _) = SmallPair(dir, rows: 120);
        string ids = Write("ids.txt", string.Join("\n", Enumerable.Range(0, 120).Select(i => $"s{i}")) + "\n");
        var groups = Write("groups.tsv", "id\tcluster\tdirection\n" + string.Join("\n", new[] { 3, 8, 13, 40 }.Select(i => $"s{i}\tx\tmodel-b")) + "\n");
        string outDir = Path.Combine(dir, "out");
        var outcome = Run("groups", a, b, "--ids", ids, "--name-b", "model-b", "--groups", groups, "--group-column", "cluster", "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var concept = Concept(Results(outDir), "more_similar_in_b", "x");
        Assert.Equal([3, 8, 13, 40], TestData.Ints(concept["members"]!));
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "unknown.csv", "group,row\ng,1\ng,2\ng,600\ng,700\n", "unknown.csv: line 4: row 600 is not a row of planted_a.npy, which has 600 (rows 0 to 599) (2 lines name samples that are not in these inputs)" },
        { "single.csv", "group,row\ng,1\ng,2\nh,5\n", "single.csv: group 'h' (line 4) has one sample; BSR compares the pairs of samples within a group" },
        { "twice.csv", "group,row\ng,1\ng,2\ng,1\n", "twice.csv: lines 2 and 4 both put sample 1 in group 'g'" },
        { "nogroup.csv", "cluster,row\ng,1\ng,2\n", "nogroup.csv: has no 'group' column (columns: cluster, row); name the column of group names with --group-column" },
        { "norow.csv", "group,sample\ng,1\ng,2\n", "norow.csv: has neither a 'row' (0-based) nor an 'id' column" },
        { "empty.csv", "", "empty.csv: is empty" },
        { "header.csv", "group,row\n", "header.csv: has a header but no lines" },
        { "ids.csv", "group,id\ng,x\ng,y\n", "ids.csv: names its members by 'id', but A and B carry no ids" },
        { "direction.csv", "group,row,direction\ng,1,c\ng,2,c\n", "direction.csv: line 2: direction 'c' is neither model" },
        { "mixed.csv", "group,row,direction\ng,1,a\ng,2,b\n", "mixed.csv: line 3 says group 'g' is grouped by B, but line 2 said A" },
        { "finc.csv", "method,direction,rank,row\nfinc,more_frequent_in_test,1,4\n", "finc.csv: line 2: direction 'more_frequent_in_test' is FINC's" },
        { "notjson.jsonl", "{\"group\":\"g\",\"row\":1}\n[1,2]\n", "notjson.jsonl: line 2 is a JSON array, not an object of fields" },
        { "groups.txt", "group,row\ng,1\n", "groups.txt: unsupported groups file type '.txt'" },
        { "fields.csv", "group,row\ng,1,x\n", "fields.csv: line 2 has 3 fields but the header names 2 columns" },
        { "notarow.csv", "group,row\ng,1\ng,1.5\n", "notarow.csv: line 3: row '1.5' is not a whole number (rows count from 0)" },
    };

    /// <summary>Bad groups are one line naming the option, the file and the problem, exit 2, and the output folder as it was.</summary>
    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadGroupsAreOneLineAndTheOutputStaysAsItWas(string name, string text, string expected)
    {
        string groups = Write(name, text);
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "results.json"), "earlier");
        // Named with its option first, as every option's file is (it had said "unknown.csv: …" alone).
        RunGroups(groups, outDir).AssertBadInput($"error: --groups {Path.Combine(dir, expected)}");
        Assert.Equal(["results.json"], Directory.GetFiles(outDir).Select(Path.GetFileName));
        Assert.Equal("earlier", File.ReadAllText(Path.Combine(outDir, "results.json")));
    }

    [Fact]
    public void AnIdTheSamplesDoNotHaveIsNamedAndCounted()
    {
        var (a, b, _) = SmallPair(dir, rows: 120);
        string ids = Write("ids.txt", string.Join("\n", Enumerable.Range(0, 120).Select(i => $"s{i}")) + "\n");
        var groups = Write("groups.csv", "group,id\ng,s1\ng,s2\ng,t9\ng,t10\ng,t11\n");
        Run("groups", a, b, "--ids", ids, "--groups", groups, "--out", Path.Combine(dir, "out"))
            .AssertBadInput("groups.csv: line 4: id 't9' is not a sample of these inputs (3 lines name samples that are not in these inputs)");
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    /// <summary>Given groups are the same groups on any resample or half of the samples: the trust measures are refused, saying why.</summary>
    [Theory]
    [InlineData("--trust")]
    [InlineData("--validate")]
    [InlineData("--stability", "3")]
    public void TheTrustMeasuresAreRefusedForGivenGroups(params string[] flag)
    {
        string groups = Write("g.csv", "group,row\ng,1\ng,2\ng,3\n");
        RunGroups(groups, Path.Combine(dir, "out"), flag)
            .AssertBadInput($"{flag[0]}: groups scores groups given in a file, which are not found again on resamples or half the samples");
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    [Fact]
    public void WithoutAGroupsFileTheCommandAndCompareSaySo()
    {
        var (a, b, _) = SmallPair(dir);
        Run("groups", a, b, "--out", Path.Combine(dir, "out")).AssertBadInput("--groups: is needed");
        Run("compare", a, b, "--methods", "rdx,groups", "--out", Path.Combine(dir, "out"))
            .AssertBadInput("--methods: groups scores groups given in a file; give that file to compare as --groups FILE");
        Run("compare", a, b, "--groups", Path.Combine(dir, "none.csv"), "--out", Path.Combine(dir, "out")).AssertBadInput($"--groups {Path.Combine(dir, "none.csv")}: file not found");
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    /// <summary>
    /// compare --trust with --groups measures the methods' trust and leaves the given groups to their chance levels: it had
    /// refused the whole comparison.
    /// </summary>
    [Fact]
    public void CompareWithTrustMeasuresTheMethodsAndScoresTheGroupsBesideThem()
    {
        string groups = Write("planted.csv", "group,row,direction\n" + string.Join("\n", RowsOf(2).Select(i => $"two,{i},a")) + "\n");
        string outDir = Path.Combine(dir, "out");
        var outcome = Run("compare", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--methods", "kmeans", "--groups", groups,
            "--trust", "--stability", "2", "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var explanations = Results(outDir)["explanations"]!.AsArray();
        var concepts = (int e) => explanations[e]!["directions"]!.AsArray().SelectMany(d => d!["concepts"]!.AsArray()).Select(c => c!.AsObject()).ToList();
        Assert.All(concepts(0), c => Assert.NotNull(c["stability"]));
        Assert.All(concepts(0), c => Assert.NotNull(c["p_value"]));
        var given = Assert.Single(concepts(1));
        Assert.Equal("two", given["name"]!.GetValue<string>());
        Assert.Null(given["stability"]);
        Assert.Null(given["p_value"]);
    }

    /// <summary>compare --groups ranks the given groups beside the methods, each scored by the same BSR with its chance level.</summary>
    [Fact]
    public void CompareRanksGivenGroupsBesideTheMethods()
    {
        var lines = RowsOf(2).Select(i => $"two,{i},a").Concat(RowsOf(3, 4).Select(i => $"three and four,{i},b"));
        string groups = Write("planted.csv", "group,row,direction\n" + string.Join("\n", lines) + "\n");
        string outDir = Path.Combine(dir, "out");
        var outcome = Run("compare", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--methods", "kmeans", "--groups", groups, "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var explanations = Results(outDir)["explanations"]!.AsArray();
        Assert.Equal(["kmeans", "groups"], explanations.Select(e => e!["method"]!.GetValue<string>()));
        var given = explanations[1]!.AsObject();
        foreach (string direction in new[] { "more_similar_in_a", "more_similar_in_b" })
            Assert.True(given["metrics"]!["bsr"]![direction]!.GetValue<double>() > given["metrics"]!["bsr_chance"]![direction]!.GetValue<double>() + 0.05);
        Assert.Contains("groups", outcome.Stdout);
    }
}
