using System.IO.Compression;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>`repdiff evaluate` on results.json files a user wrote by hand, as docs/results-schema.md describes them.</summary>
public class EvaluateCommandTests
{
    private readonly string dir = TestData.TempDir();

    /// <summary>One direction explaining A with one concept whose members and grid are <paramref name="grid"/>; n = 60 (the small pair).</summary>
    private string HandWritten(string grid, string name = "hand.json")
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, $$"""{"method":"mytool","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":{{grid}},"grid":{{grid}}}]}]}""");
        return path;
    }

    [Fact]
    public void AnEmptyOutIsNamed()
    {
        var (a, b, _) = SmallPair(dir);
        string results = HandWritten("[1,2,3,4]");
        string before = File.ReadAllText(results);
        Run("evaluate", results, a, b, "--out", "").AssertBadInput("--out");
        Assert.Equal(before, File.ReadAllText(results));
    }

    /// <summary>A concept of members with an empty grid was left out of BSR without a word (review 174): scored as before, and said.</summary>
    [Fact]
    public void AConceptWithMembersButNoGridToScoreIsNamed()
    {
        var (a, b, _) = SmallPair(dir);
        string results = Path.Combine(dir, "nogrid.json");
        File.WriteAllText(results, """{"method":"mytool","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1,2,3],"grid":[1,2]},{"rank":2,"members":[4,5,6],"grid":[]}]}]}""");
        var run = Run("evaluate", results, a, b);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Contains($"warning: {results}: 1 concept has members but a grid of fewer than 2 samples, so BSR, which compares the pairs within a grid, "
            + "leaves it unscored (mytool 'x' concept 2)", run.Stderr);
        var concepts = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(results))!["directions"]![0]!["concepts"]!.AsArray();
        Assert.NotNull(concepts[0]!["bsr"]);
        Assert.Null(concepts[1]!["bsr"]);
        // A file whose every concept has a grid gets no such line.
        Assert.DoesNotContain("grid of fewer", Run("evaluate", HandWritten("[1,2,3,4]"), a, b).Stderr);
    }

    [Theory]
    [InlineData("[7,7,7,7]")]
    [InlineData("[1,2,3,2]")]
    public void ASampleTwiceInAGridIsRefused(string grid)
    {
        var (a, b, _) = SmallPair(dir);
        string results = HandWritten(grid);
        string before = File.ReadAllText(results);
        Run("evaluate", results, a, b).AssertBadInput("hand.json: direction 'x' concept 1 lists sample");
        Assert.Equal(before, File.ReadAllText(results));
    }

    /// <summary>
    /// A value of the wrong type was placed by the line and column of the explanation written out again: "line 12, column 16"
    /// in a one-line file, "line 4" for the first explanation of a comparison. Its path in the document is what the user can find.
    /// </summary>
    [Fact]
    public void AValueOfTheWrongTypeIsNamedByItsPathInTheDocument()
    {
        var (a, b, _) = SmallPair(dir);
        string results = HandWritten("[1.5,2]");
        Run("evaluate", results, a, b).AssertBadInput("hand.json: is not a RepDiff results.json ($.directions[0].concepts[0].members[0]: expected a whole number)");
        string comparison = Path.Combine(dir, "comparison.json");
        File.WriteAllText(comparison, """{"kind":"comparison","explanations":[{"method":"t","n":"60","directions":[]}]}""");
        Run("evaluate", comparison, a, b).AssertBadInput("comparison.json: is not a RepDiff results.json ($.explanations[0].n: expected a whole number)");
    }

    /// <summary>A concept without "rank" (rank 0) was skipped by BSR without a word: a file with only such concepts had "nothing to score".</summary>
    [Fact]
    public void AConceptWithoutARankIsRefused()
    {
        var (a, b, _) = SmallPair(dir);
        string results = Path.Combine(dir, "unranked.json");
        File.WriteAllText(results, """{"method":"t","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1,2,3],"grid":[1,2,3]},{"members":[4,5,6],"grid":[4,5,6]}]}]}""");
        Run("evaluate", results, a, b).AssertBadInput("unranked.json: direction 'x' has a concept of rank 0 (or none); ranks start at 1");
    }

    [Fact]
    public void AnExplainsOtherThanAOrBIsRefused()
    {
        var (a, b, _) = SmallPair(dir);
        string results = Path.Combine(dir, "upper.json");
        File.WriteAllText(results, """{"method":"t","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1,2,3],"grid":[1,2,3]}]},{"name":"y","explains":"B","concepts":[{"rank":1,"members":[4,5,6],"grid":[4,5,6]}]}]}""");
        Run("evaluate", results, a, b).AssertBadInput("upper.json: direction 'y' explains 'B'; expected \"a\", \"b\" or no 'explains'");
    }

    /// <summary>
    /// The JSON tree takes some 20 times the file: a results.json within the 1 GB cap could exhaust memory. One that
    /// would not fit is refused before it is read (a sparse file: no disk used).
    /// </summary>
    [Fact]
    public void AResultsJsonTooLargeForMemoryIsRefusedBeforeItIsRead()
    {
        long fits = MemoryBudget.Available() / 4 * 3 / ResultsFile.MemoryFactor;
        if (fits >= ResultsFile.MaxBytes) return;   // this machine could hold any results.json within the cap
        var (a, b, _) = SmallPair(dir);
        string results = Path.Combine(dir, "large.json");
        using (var stream = File.Create(results)) stream.SetLength(fits + (1 << 20));
        Run("evaluate", results, a, b).AssertBadInput("large.json: a results.json would take");
    }

    [Fact]
    public void AnEmptyResultsJsonIsNamedEmpty()
    {
        var (a, b, _) = SmallPair(dir);
        string results = Path.Combine(dir, "empty.json");
        File.WriteAllText(results, "\n");
        Run("evaluate", results, a, b).AssertBadInput("empty.json: is empty; a results.json is one JSON object");
    }

    /// <summary>A one-sample grid left nothing to score, and the message said the file had "no concept grids".</summary>
    [Fact]
    public void NothingToScoreSaysWhatBsrNeeds()
    {
        var (a, b, _) = SmallPair(dir);
        Run("evaluate", HandWritten("[7]"), a, b).AssertBadInput("hand.json: has no concept with a grid of two or more samples in a direction whose 'explains' is \"a\" or \"b\"");
    }

    /// <summary>
    /// Scores already in the file stood as if computed now: a file whose concepts could no longer be scored (no concepts,
    /// a grid of one sample) was written back with its old BSR table, exit 0, and a one-sample concept kept its old BSR.
    /// </summary>
    [Fact]
    public void OldScoresDoNotStandForScoresThatCannotBeComputed()
    {
        var (a, b, _) = SmallPair(dir);
        string stale = Path.Combine(dir, "stale.json");
        File.WriteAllText(stale, """{"method":"t","n":60,"directions":[{"name":"x","explains":"a","concepts":[]}],"metrics":{"bsr":{"x":0.87,"mean":0.87}}}""");
        Run("evaluate", stale, a, b).AssertBadInput("stale.json: has no concept with a grid of two or more samples");

        string mixed = Path.Combine(dir, "mixed.json");
        File.WriteAllText(mixed, """{"method":"t","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1,2,3],"grid":[1,2,3]},{"rank":2,"members":[7],"grid":[7],"bsr":0.875,"bsr_chance":0.5}]}]}""");
        string output = Path.Combine(dir, "scored.json");
        Assert.Equal(0, Run("evaluate", mixed, a, b, "--out", output).Code);
        var concepts = ResultsFile.Read(output).Explanations[0].Directions[0].Concepts;
        Assert.NotNull(concepts[0].Bsr);
        Assert.Null(concepts[1].Bsr);
        Assert.Null(concepts[1].BsrChance);
    }

    /// <summary>A null direction or metrics, or a direction without a name or with another's, ended in internal errors or merged scores.</summary>
    [Theory]
    [InlineData("""{"method":"t","n":60,"directions":[null]}""", "t: directions[0] is null; expected a direction")]
    [InlineData("""{"method":"t","n":60,"directions":[{"explains":"a","concepts":[{"rank":1,"members":[1,2],"grid":[1,2]}]}]}""", "t: directions[0] has no 'name'")]
    [InlineData("""{"method":"t","n":60,"directions":[{"name":"x","explains":"a","concepts":[]},{"name":"x","explains":"b","concepts":[]}]}""", "t has two directions named 'x'")]
    [InlineData("""{"method":"t","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1],"grid":[1],"label_counts":[1]}]}]}""", "label_counts: expected an object)")]
    // A field the concept's words need, left out: named, not "JSON deserialization for type 'RepDiff.Metrics.DistinctiveWord' was missing …".
    [InlineData("""{"method":"t","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1],"grid":[1],"words":[{"word":"w","members":1,"members_with_word":1,"total_with_word":1,"log_odds_ratio":0,"p_value":1,"q_value":1}]}]}]}""", "$.directions[0].concepts[0].words[0]: lacks the field 'total')")]
    public void MalformedDirectionsAreNamed(string json, string expected)
    {
        var (a, b, _) = SmallPair(dir);
        string results = Path.Combine(dir, "bad.json");
        File.WriteAllText(results, json);
        Run("evaluate", results, a, b).AssertBadInput(expected);
        Run("export", results, "--out", Path.Combine(dir, "members.csv")).AssertBadInput(expected);
    }

    /// <summary>A repeated key, an escaped lone surrogate and UTF-16 text were named in .NET's words ("An item with the same key has already been added").</summary>
    [Theory]
    [InlineData("""{"n":60,"method":"t","n":60,"directions":[]}""", false, "the key 'n' appears twice in one object")]
    [InlineData("""{"method":"t\ud800","n":60,"directions":[]}""", false, "a string holds an escaped lone surrogate")]
    [InlineData("""{"method":"t","n":60,"directions":[]}""", true, "it is UTF-16 text; save it as UTF-8")]
    public void UnreadableDocumentsAreNamedInJsonTerms(string json, bool utf16, string expected)
    {
        string results = Path.Combine(dir, "odd.json");
        File.WriteAllText(results, json, utf16 ? System.Text.Encoding.Unicode : new System.Text.UTF8Encoding(false));
        Run("export", results, "--out", Path.Combine(dir, "m.csv")).AssertBadInput($"odd.json: is not a RepDiff results.json ({expected}");
    }

    /// <summary>
    /// JSON is UTF-8, and the parser read a Latin-1 byte inside a string as U+FFFD: a label 'café' saved by another tool in
    /// Latin-1 was exported as 'caf\uFFFD', and evaluate rewrote the file with it, exit 0.
    /// </summary>
    [Fact]
    public void ResultsThatAreNotUtf8AreRefusedNamingTheLine()
    {
        string results = Path.Combine(dir, "latin1.json");
        string labels = string.Join(",", Enumerable.Repeat("\"café\"", 60));
        byte[] bytes = System.Text.Encoding.Latin1.GetBytes($$$"""
            {"method":"mytool","n":60,
            "directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1,2],"grid":[1,2]}]}],
            "samples":{"labels":[{{{labels}}}]}}
            """);
        File.WriteAllBytes(results, bytes);
        var (a, b, _) = SmallPair(dir);
        Run("export", results, "--out", Path.Combine(dir, "m.csv")).AssertBadInput("latin1.json: line 3 is not valid UTF-8");
        Run("evaluate", results, a, b).AssertBadInput("latin1.json: line 3 is not valid UTF-8");
        Assert.Equal(bytes, File.ReadAllBytes(results));
        Assert.False(File.Exists(Path.Combine(dir, "m.csv")));
    }

    /// <summary>"metrics": null is a file without metrics (it was an internal error).</summary>
    [Fact]
    public void NullMetricsAreNoMetrics()
    {
        var (a, b, _) = SmallPair(dir);
        string results = Path.Combine(dir, "null-metrics.json");
        File.WriteAllText(results, """{"method":"t","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1,2,3],"grid":[1,2,3]}]}],"metrics":null}""");
        Assert.Equal(0, Run("evaluate", results, a, b, "--out", Path.Combine(dir, "scored.json")).Code);
    }

    /// <summary>
    /// A comparison given A and B the other way round scored every grid in the wrong model (BSR 0.87 → 0.11, exit 0); it
    /// records its inputs' dimensions, so it is refused. Inputs joined by an id column are joined again with --id-column,
    /// which evaluate lacked while its error told the user to name the id column.
    /// </summary>
    [Fact]
    public void AComparisonIsScoredOnlyOnItsOwnInputsJoinedAsTheyWere()
    {
        string a = TestData.Fixture("planted_a.npy"), b = TestData.Fixture("planted_b.npy");
        string outDir = Path.Combine(dir, "cmp");
        Assert.Equal(0, Run("compare", a, b, "--methods", "pca", "--out", outDir).Code);
        string results = Path.Combine(outDir, "results.json");
        // Under other names than the run's, which would be refused as swapped by name before their dimensions are compared.
        string renamedB = Path.Combine(dir, "first.npy"), renamedA = Path.Combine(dir, "second.npy");
        File.Copy(b, renamedB);
        File.Copy(a, renamedA);
        Run("evaluate", results, renamedB, renamedA, "--out", Path.Combine(dir, "swapped.json"))
            .AssertBadInput("was computed on A of 24 and B of 40 dimensions; these are 40 and 24 (A and B the other way round?)");
        // Rescored, a comparison keeps no sentences its new scores may contradict (helper 84: they had been copied).
        Assert.NotNull(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(results))!["findings"]);
        Assert.Equal(0, Run("evaluate", results, a, b, "--out", Path.Combine(dir, "rescored-comparison.json")).Code);
        Assert.Null(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "rescored-comparison.json")))!["findings"]);

        // The same rows as CSV with an id column, B's rows in reverse order: joined by id, the scores are the run's own.
        string Csv(string name, Matrix m, bool reversed)
        {
            var rows = Enumerable.Range(0, m.Rows).Select(i => reversed ? m.Rows - 1 - i : i);
            return RepDiff.Tests.IO.GoldenFileTests.WriteText(dir, name, "id," + string.Join(",", Enumerable.Range(0, m.Cols).Select(j => $"x{j}")) + "\n"
                + string.Concat(rows.Select(i => $"s{i}," + string.Join(",", m.Row(i).ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "\n")));
        }
        string csvA = Csv("a.csv", TestData.LoadFixture("planted_a.npy"), false), csvB = Csv("b.csv", TestData.LoadFixture("planted_b.npy"), true);
        string joined = Path.Combine(dir, "joined");
        Assert.Equal(0, Run("pca", csvA, csvB, "--id-column", "id", "--out", joined).Code);
        string scored = Path.Combine(dir, "rescored.json");
        Assert.Equal(0, Run("evaluate", Path.Combine(joined, "results.json"), csvA, csvB, "--id-column", "id", "--out", scored).Code);
        // Given the other way round, the files are named as swapped, not as a join that differs.
        Run("evaluate", Path.Combine(joined, "results.json"), csvB, csvA, "--id-column", "id", "--out", Path.Combine(dir, "swapped-joined.json"))
            .AssertBadInput("was computed with A = a.csv and B = b.csv; these are given the other way round");
        Assert.Equal(ResultsFile.Read(Path.Combine(joined, "results.json")).Explanations[0].Metrics["bsr"]!.ToJsonString(),
            ResultsFile.Read(scored).Explanations[0].Metrics["bsr"]!.ToJsonString());
    }

    /// <summary>
    /// "commit" names the build that made the results and "version" the RepDiff that wrote them: a file without them (written
    /// before builds recorded a commit, by a build outside git, or groups another tool wrote) had the evaluating build's
    /// written into it, as if that code had found its concepts, while a file with them kept its own. Both keep what they had.
    /// (Built in a git clone, as the tests are, see ResultsSchemaDocTests, the evaluating build has a commit to wrongly give.)
    /// </summary>
    [Theory]
    [InlineData("commit", "0123abc")]
    [InlineData("version", "0.0.9")]
    public void RescoringKeepsTheBuildFieldsTheFileHad(string field, string value)
    {
        var (a, b, _) = SmallPair(dir);
        string without = HandWritten("[1,2,3,4]"), rescored = Path.Combine(dir, "rescored.json");
        Assert.Equal(0, Run("evaluate", without, a, b, "--out", rescored).Code);
        Assert.Null(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(rescored))![field]);
        string with = Path.Combine(dir, "with.json");
        File.WriteAllText(with, File.ReadAllText(without).Replace("{\"method\":\"mytool\",", $"{{\"method\":\"mytool\",\"{field}\":\"{value}\","));
        Assert.Equal(0, Run("evaluate", with, a, b).Code);
        Assert.Equal(value, System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(with))![field]!.GetValue<string>());
    }

    /// <summary>
    /// A single method's results record no dimensions, so A and B given the other way round had every grid scored in the
    /// wrong model (k-means BSR 0.83 → 0.17, exit 0, helper 92); the file names the run recorded catch it. Two inputs of one
    /// file name (in two folders) cannot be told apart by name and are scored as given.
    /// </summary>
    [Fact]
    public void AMethodsResultsGivenBThenAAreRefused()
    {
        var (a, b, labels) = SmallPair(dir);
        string run = Path.Combine(dir, "km");
        Assert.Equal(0, Run("kmeans", a, b, "--labels", labels, "--out", run).Code);
        string results = Path.Combine(run, "results.json");
        string before = File.ReadAllText(results);
        Run("evaluate", results, b, a).AssertBadInput("was computed with A = a.npy and B = b.npy; these are given the other way round");
        Assert.Equal(before, File.ReadAllText(results));
        string rescored = Path.Combine(dir, "rescored.json");
        Assert.Equal(0, Run("evaluate", results, a, b, "--out", rescored).Code);
        Assert.Equal(ResultsFile.Read(results).Explanations[0].Metrics["bsr"]!.ToJsonString(),
            ResultsFile.Read(rescored).Explanations[0].Metrics["bsr"]!.ToJsonString());

        string oneName = Path.Combine(dir, "first"), otherName = Path.Combine(dir, "second");
        Directory.CreateDirectory(oneName);
        Directory.CreateDirectory(otherName);
        string a2 = Path.Combine(oneName, "x.npy"), b2 = Path.Combine(otherName, "x.npy");
        File.Copy(a, a2);
        File.Copy(b, b2);
        string sameNames = Path.Combine(dir, "same-names");
        Assert.Equal(0, Run("kmeans", a2, b2, "--out", sameNames).Code);
        Assert.Equal(0, Run("evaluate", Path.Combine(sameNames, "results.json"), a2, b2, "--out", Path.Combine(dir, "same-names.json")).Code);
    }

    /// <summary>
    /// A and B swapped under other file names (copies, or files renamed since the run) passed the file-name check: a PCA run's
    /// grids were rescored in the wrong model (on the 600 planted rows, mean BSR 0.69 → 0.31), exit 0. A method's results.json records the dimensions of
    /// A and B, as a comparison's does, and evaluate refuses other ones.
    /// </summary>
    [Fact]
    public void AMethodsResultsGivenBThenAUnderOtherNamesAreRefusedByTheirDimensions()
    {
        var (a, b, _) = SmallPair(dir); // A of 24 and B of 40 dimensions
        string run = Path.Combine(dir, "pca");
        Assert.Equal(0, Run("pca", a, b, "--out", run).Code);
        string results = Path.Combine(run, "results.json");
        var dimensions = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(results))!["dimensions"]!;
        Assert.Equal((24, 40), (dimensions["a"]!.GetValue<int>(), dimensions["b"]!.GetValue<int>()));
        string first = Path.Combine(dir, "first.npy"), second = Path.Combine(dir, "second.npy");
        File.Copy(b, first);
        File.Copy(a, second);
        string before = File.ReadAllText(results);
        Run("evaluate", results, first, second)
            .AssertBadInput("results.json: was computed on A of 24 and B of 40 dimensions; these are 40 and 24 (A and B the other way round?)");
        Assert.Equal(before, File.ReadAllText(results));
        // Rescored the right way round, the file keeps them.
        string rescored = Path.Combine(dir, "rescored.json");
        Assert.Equal(0, Run("evaluate", results, second, first, "--out", rescored).Code);
        Assert.Equal(dimensions.ToJsonString(), System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(rescored))!["dimensions"]!.ToJsonString());
    }

    /// <summary>
    /// A run whose B was joined to A by id is scored on the same join: evaluate had only --id-column, paired the rows by
    /// position and wrote another BSR (0.83 → 0.93 and 0.72 → 0.30) with exit 0 (helper 86).
    /// </summary>
    [Fact]
    public void ARunJoinedByIdIsScoredOnTheSameJoinOrRefused()
    {
        var (a, b, _) = SmallPair(dir, rows: 120);
        var order = Enumerable.Range(0, 120).OrderBy(i => (i * 37) % 120).ToArray();
        string shuffled = Path.Combine(dir, "b_shuffled.npy"), idsA = Path.Combine(dir, "ids_a.txt"), idsB = Path.Combine(dir, "ids_b.txt");
        Npy.Write(shuffled, Npy.ReadMatrix(b).SelectRows(order));
        File.WriteAllLines(idsA, Enumerable.Range(0, 120).Select(i => $"s{i}"));
        File.WriteAllLines(idsB, order.Select(i => $"s{i}"));
        string outDir = Path.Combine(dir, "joined");
        Assert.Equal(0, Run("kmeans", a, shuffled, "--ids-a", idsA, "--ids-b", idsB, "--out", outDir).Code);
        string results = Path.Combine(outDir, "results.json");

        Run("evaluate", results, a, shuffled, "--out", Path.Combine(dir, "by-row.json"))
            .AssertBadInput("results.json: the run's samples carry ids ('s0', …), so its B may have been joined to A by id; give the ids it was given (--ids-a ids_a.txt --ids-b ids_b.txt)");
        // compare --model-a/-b keeps the models' ids in OUT/embeddings: the message names them there (helper 141: it gave
        // the flags alone, and the files were for the user to find).
        string kept = Directory.CreateDirectory(Path.Combine(dir, "kept", "embeddings")).FullName;
        File.Copy(idsA, Path.Combine(kept, "a.ids.txt"));
        File.Copy(idsB, Path.Combine(kept, "b.ids.txt"));
        Assert.Equal(0, Run("kmeans", a, shuffled, "--ids-a", Path.Combine(kept, "a.ids.txt"), "--ids-b", Path.Combine(kept, "b.ids.txt"), "--out", Path.Combine(dir, "kept")).Code);
        Run("evaluate", Path.Combine(dir, "kept", "results.json"), a, shuffled, "--out", Path.Combine(dir, "kept-by-row.json"))
            .AssertBadInput($"give the ids it was given (--ids-a {Path.Combine(kept, "a.ids.txt")} --ids-b {Path.Combine(kept, "b.ids.txt")})");
        Run("evaluate", results, a, shuffled, "--ids-a", idsB, "--ids-b", idsB, "--out", Path.Combine(dir, "other-ids.json"))
            .AssertBadInput($"results.json: sample 1 is 's1' in the run but '{"s" + order[1]}' here; give the inputs and ids the run was given");

        // The mirror: a run paired by position is not rescored on an id join (helper 89: BSR 0.875 rewritten as 0.944).
        string byRow = Path.Combine(dir, "by-row");
        Assert.Equal(0, Run("kmeans", a, b, "--out", byRow).Code);
        Run("evaluate", Path.Combine(byRow, "results.json"), a, shuffled, "--ids-a", idsA, "--ids-b", idsB, "--out", Path.Combine(dir, "joined-now.json"))
            .AssertBadInput("results.json: the run paired A's and B's rows by position (its samples carry no ids); give no ids, as the run had none");

        string rescored = Path.Combine(dir, "rescored.json");
        var run = Run("evaluate", results, a, shuffled, "--ids-a", idsA, "--ids-b", idsB, "--out", rescored);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Equal(ResultsFile.Read(results).Explanations[0].Metrics["bsr"]!.ToJsonString(), ResultsFile.Read(rescored).Explanations[0].Metrics["bsr"]!.ToJsonString());
    }

    /// <summary>A results.json of another size than the pair was the second line, after the pair's value-range warning.</summary>
    [Fact]
    public void ASizeMismatchIsOneLineEvenBesideOutOfRangeValues()
    {
        var (a, b, _) = SmallPair(dir, rows: 40);
        var m = Npy.ReadMatrix(a);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] *= 1e30f;
        Npy.Write(a, m);
        var outcome = Run("evaluate", HandWritten("[1,2,3]"), a, b);
        outcome.AssertBadInput("hand.json: mytool describes 60 samples but the representations have 40 rows");
        Assert.DoesNotContain("warning", outcome.Stderr);
    }

    /// <summary>
    /// B whose rows are all the same ties every grid at distance 0: evaluate scored it BSR 0, exit 0, and rewrote the
    /// results, where rdx refuses it (reviewer). A equal to B is refused as rdx refuses it, the results left as they were.
    /// </summary>
    [Fact]
    public void ARepresentationOfIdenticalRowsOrACopyOfTheOtherIsRefused()
    {
        var (a, b, _) = SmallPair(dir);
        string results = HandWritten("[1,2,3,4]");
        string before = File.ReadAllText(results);
        string zeros = Path.Combine(dir, "zeros.npy"), copy = Path.Combine(dir, "copy.npy");
        Npy.Write(zeros, new float[60 * 4], 60, 4);
        File.Copy(a, copy);
        Run("evaluate", results, a, zeros).AssertBadInput("zeros.npy: every row is the same, so every grid's samples are tied at distance 0 and BSR has nothing to score");
        Run("evaluate", results, zeros, b).AssertBadInput("zeros.npy: every row is the same");
        Run("evaluate", results, a, copy).AssertBadInput("hold the same values in every row, so there is no difference to explain");
        Run("evaluate", results, a, a).AssertBadInput("is both A and B, so there is no difference to explain");
        Assert.Equal(before, File.ReadAllText(results));
        Assert.Equal(0, Run("evaluate", results, a, b).Code);
    }

    /// <summary>
    /// Malformed results the reviewer found read as given: each is now one line naming the file and what is wrong, for
    /// evaluate and export alike, the file left as it was.
    /// </summary>
    [Theory]
    [InlineData("""{"method":"mytool","n":60}""", "has no 'directions'")]
    [InlineData("""{"method":"","n":60,"directions":[]}""", "has an explanation without a 'method'")]
    [InlineData("""{"method":"mytool","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1,2],"grid":[1,2]},{"rank":1,"members":[1,2],"grid":[1,2]}]}]}""",
        "direction 'x' has two concepts of rank 1; each concept has a rank of its own")]
    [InlineData("""{"method":"mytool","n":60,"directions":[{"name":"x","explains":"a","heatmap":{"samples":[1,999],"clusters":[1,1],"values":[0,0,0,0],"meaning":""},"concepts":[{"rank":1,"members":[1,2],"grid":[1,2]}]}]}""",
        "direction 'x' has heatmap sample 999, outside 0..59")]
    [InlineData("""{"method":"mytool","n":60,"directions":[{"name":"x","explains":"a","heatmap":{"samples":[1,2],"clusters":[1],"values":[0],"meaning":""},"concepts":[{"rank":1,"members":[1,2],"grid":[1,2]}]}]}""",
        "direction 'x' has a heatmap of 2 samples with 1 clusters and 1 values; it needs 2 and 4")]
    [InlineData("""{"method":"mytool","n":60,"directions":[{"name":"x","explains":"a","labels":[0,0,0],"concepts":[{"rank":1,"members":[1,2],"grid":[1,2]}]}]}""",
        "direction 'x' has 3 labels for n = 60 samples; it needs one per sample")]
    // A list left out (or its key misspelt) read as empty: no members exported, a concept left out of BSR, a direction that found nothing.
    [InlineData("""{"method":"mytool","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1,2,3],"grid":[1,2,3]},{"rank":2,"members":[4,5,6]}]}]}""",
        "is not a RepDiff results.json ($.directions[0].concepts[1]: lacks the field 'grid')")]
    [InlineData("""{"method":"mytool","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"Members":[1,2,3],"grid":[1,2,3]}]}]}""",
        "is not a RepDiff results.json ($.directions[0].concepts[0]: lacks the field 'members')")]
    [InlineData("""{"method":"mytool","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1,2],"grid":[1,2]}]},{"name":"y","explains":"b"}]}""",
        "is not a RepDiff results.json ($.directions[1]: lacks the field 'concepts')")]
    // A grid sample that is no member was scored by BSR, and export's rows (members only) left it out.
    [InlineData("""{"method":"mytool","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1,2,3],"grid":[1,2,9]}]}]}""",
        "direction 'x' concept 1 has sample 9 in its grid but not among its members; the grid is the members shown")]
    // Probabilities and shares out of 0..1 were carried into the output: a p_adjusted of -1 exported as confirmed.
    [InlineData("""{"method":"mytool","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1,2],"grid":[1,2],"p_value":0.5,"p_adjusted":-1}]}]}""",
        "direction 'x' concept 1: p_adjusted is -1, outside 0..1")]
    [InlineData("""{"method":"mytool","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1,2],"grid":[1,2],"stability":1.5}]}]}""",
        "direction 'x' concept 1: stability is 1.5, outside 0..1")]
    // A samples block of another shape was skipped: export wrote no ids or metadata, exit 0.
    [InlineData("""{"method":"mytool","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1,2],"grid":[1,2]}]}],"samples":["s0","s1"]}""",
        "samples is not an object (of ids, labels and metadata)")]
    [InlineData("""{"method":"mytool","n":60,"directions":[{"name":"x","explains":"a","concepts":[{"rank":1,"members":[1,2],"grid":[1,2]}]}],"samples":{"metadata":[["x"]]}}""",
        "samples.metadata is not an object (of columns by name)")]
    public void MalformedResultsAreOneLineNamingTheFile(string json, string problem)
    {
        string results = Path.Combine(dir, "bad.json");
        File.WriteAllText(results, json);
        var (a, b, _) = SmallPair(dir);
        Run("evaluate", results, a, b).AssertBadInput($"bad.json: {(problem.StartsWith("has no 'directions'") ? "is not a RepDiff results.json ($: " : "")}{problem}");
        Run("export", results, "--out", Path.Combine(dir, "members.csv")).AssertBadInput(problem);
        Assert.Equal(json, File.ReadAllText(results));
        Assert.False(File.Exists(Path.Combine(dir, "members.csv")));
    }

    /// <summary>
    /// No directions (what `metrics` writes) leaves nothing to score: evaluate wrote the BSR the file came with back, exit 0.
    /// export still writes its header-only table, as for a comparison without explanations.
    /// </summary>
    [Fact]
    public void NoDirectionsIsNothingToScore()
    {
        string results = Path.Combine(dir, "none.json");
        string json = """{"method":"rdx","n":60,"directions":[],"metrics":{"bsr":{"more_similar_in_a":0.9,"mean":0.9}}}""";
        File.WriteAllText(results, json);
        var (a, b, _) = SmallPair(dir);
        Run("evaluate", results, a, b).AssertBadInput("none.json: has no concept with a grid of two or more samples");
        Assert.Equal(json, File.ReadAllText(results));
        Assert.Equal(0, Run("export", results, "--out", Path.Combine(dir, "members.csv")).Code);
    }
    /// <summary>
    /// evaluate asks which array a key picks up to six times per file (the run's keys and the given ones, before and after
    /// the fingerprints): each file is opened once for the run, its answers the same as the file's own
    /// (<see cref="Embeddings.ArrayNamed"/>), a key it has no array for and a file that does not open kept as typed.
    /// </summary>
    [Fact]
    public void EachFileIsOpenedOnceToNameTheArraysKeysPick()
    {
        string pair = Path.Combine(dir, "pair.npz");
        using (var zip = ZipFile.Open(pair, ZipArchiveMode.Create))
        {
            Npy.Write(Path.Combine(dir, "x.npy"), new Matrix(2, 2, [1, 2, 3, 4]));
            zip.CreateEntryFromFile(Path.Combine(dir, "x.npy"), "x.npy");
            zip.CreateEntryFromFile(Path.Combine(dir, "x.npy"), "y.npy");
        }
        string single = Path.Combine(dir, "x.npy"), missing = Path.Combine(dir, "missing.npz");
        var opened = new List<string>();
        using (var archives = new InputArchives(input => { opened.Add(input.Path); return ArrayArchive.Open(input); }))
        {
            var arrays = new RepDiff.Cli.EvaluateCommand.ArraysNamed(archives);
            foreach (var _ in Enumerable.Range(0, 3))
            {
                foreach (string? key in new[] { "x", "x.npy", "y", "y.npy" })
                    Assert.Equal(Embeddings.ArrayNamed(pair, key), arrays.In(pair, key));
                Assert.Equal("x", arrays.In(pair, "x.npy"));      // one array, named as the file lists it
                Assert.Equal("nope", arrays.In(pair, "nope"));   // no such array: as typed
                Assert.Null(arrays.In(pair, null));              // two arrays: no key picks one, and stays none
                Assert.Null(arrays.In(single, "x"));             // a file of one array: a key picks nothing
                Assert.Equal("x", arrays.In(missing, "x"));      // does not open: as typed
                Assert.Equal("x", arrays.In(null, "x"));
            }
        }
        Assert.Equal([pair, missing], opened);
    }
}
