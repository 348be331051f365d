using System.Globalization;
using System.Text.Json.Nodes;
using RepDiff.Findings;
using RepDiff.IO;
using RepDiff.Tests.Robustness;
using RepDiff.Trust;
using static RepDiff.Tests.Findings.FindingTextTests;

namespace RepDiff.Tests.Findings;

/// <summary>
/// A finding that held-out validation did not test says so and names --trust: on two representations that differ only
/// by noise, rdx and spec each named five groups per direction with nothing beside them (issue 17).
/// </summary>
public class UntestedFindingsTests
{
    private static readonly SampleLabels Labelled = Labels(("cat", 20), ("dog", 20));

    [Fact]
    public void AMethodsConceptsThatNothingTestedAreSaidToBeUntested()
        => Assert.True(FindingText.Describe(Hand(Enumerable.Range(0, 20).ToArray()), Labelled, "a", "b").Untested);

    [Fact]
    public void HeldOutValidationIsTheTestAndStabilityAloneIsNot()
    {
        // SPEC's modes on a null pair are found again as often as planted ones (docs/methods/stability.md).
        var stable = Hand(Enumerable.Range(0, 20).ToArray(), Enumerable.Range(20, 20).ToArray());
        stable.Directions[0].Concepts[0].Stability = stable.Directions[0].Concepts[1].Stability = 0.95;
        Assert.True(FindingText.Describe(stable, Labelled, "a", "b").Untested);

        var validated = Hand(Enumerable.Range(0, 20).ToArray());
        validated.Directions[0].Concepts[0].PValue = validated.Directions[0].Concepts[0].PAdjusted = 0.5;
        Assert.False(FindingText.Describe(validated, Labelled, "a", "b").Untested);

        // Validation that ran with no concept to test (its metrics say so) is not "not yet tested" either.
        var ran = Hand(Enumerable.Range(0, 20).ToArray());
        ran.Metrics["validation"] = new JsonObject { ["discovery_samples"] = 10 };
        Assert.False(FindingText.Describe(ran, Labelled, "a", "b").Untested);
    }

    [Fact]
    public void NothingIsUntestedWhereNoDirectionClaimsAGroup()
    {
        // No concepts at all.
        Assert.False(FindingText.Describe(Hand(), Labelled, "a", "b").Untested);

        // A direction no better than random groups claims nothing (the other direction has no concepts).
        var atChance = Hand(Enumerable.Range(0, 20).ToArray());
        atChance.Metrics["bsr"] = new JsonObject { [DirectionNames.MoreSimilarInA] = 0.45 };
        atChance.Metrics["bsr_chance"] = new JsonObject { [DirectionNames.MoreSimilarInA] = 0.48 };
        Assert.False(FindingText.Describe(atChance, Labelled, "a", "b").Untested);

        // A baseline's own groups claim no difference.
        Assert.False(FindingText.Describe(OneGroup("kmeans", DirectionNames.ConceptsOfA, "a"), Labelled, "a", "b").Untested);
    }

    [Fact]
    public void SingleSamplesAndGivenGroupsAreNoUntestedFindingsButASetsModesAre()
    {
        // Concepts of one sample each name no group.
        Assert.False(FindingText.Describe(Hand([3], [7]), Labelled, "a", "b").Untested);

        // Groups given in a file are each tested against random groups of their size.
        Assert.False(FindingText.Describe(OneGroup("groups", DirectionNames.MoreSimilarInA, "a"), Labelled, "a", "b").Untested);

        // FINC's modes where one set has more samples than the other are found on the same samples too.
        Assert.True(FindingText.Describe(OneGroup("finc", DirectionNames.MoreFrequentInTest, "test"), Labelled, "test.npy", "ref.npy").Untested);
    }

    /// <summary>
    /// The note names --trust only where --trust can test the findings: on 30 samples it is refused, and the note had still
    /// suggested it (the lead). The note now gives the size the refusal gives, on the terminal, in results.json and the report.
    /// </summary>
    [Fact]
    public void ARunTooSmallToValidateSaysSoRatherThanSuggestTrust()
    {
        string dir = TestData.TempDir();
        var (a, b, _) = CliHarness.SmallPair(dir, rows: 30);
        const string tooSmall = "held-out validation needs at least 40 samples to split into a discovery and a validation half; there are 30, "
            + "so nothing here can be tested: treat these groups as leads, not findings.";
        foreach (var (command, methods) in new[] { ("rdx", 1), ("spec", 1), ("compare", 3) })
        {
            string outDir = Path.Combine(dir, command);
            var run = CliHarness.Run(command, a, b, "--maps", "pca", "--out", outDir);
            Assert.True(run.Code == 0, run.Stderr);
            var printed = run.Stdout.Split('\n').Where(l => l.StartsWith("Not yet tested", StringComparison.Ordinal)).ToList();
            Assert.EndsWith("; " + tooSmall, Assert.Single(printed));
            var results = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["findings"]!;
            // compare keeps each method's findings: every method that names groups (rdx, spec, koda; not the baselines) has the note.
            var notes = (command == "compare" ? results.AsObject().Select(m => m.Value!["note"]) : [results["note"]]).OfType<JsonNode>().Select(n => n.GetValue<string>()).ToList();
            Assert.Equal(methods, notes.Count);
            Assert.All(notes, note => Assert.Equal(printed[0], note));
            Assert.Contains($"<b>Not yet tested on held-out samples:</b>{printed[0]["Not yet tested on held-out samples:".Length..]}</p>", File.ReadAllText(Path.Combine(outDir, "report.html")));
            Assert.DoesNotContain("--trust", printed[0]);

            // The note's reason is the refusal itself.
            var trusted = CliHarness.Run(command, a, b, "--trust", "--out", Path.Combine(dir, command + "-trusted"));
            trusted.AssertBadInput("error: --trust: needs at least 40 samples to split into a discovery and a validation half; there are 30");
        }

        // Groups given in a file are tested against random groups of their size, whatever the run's size.
        string groups = Path.Combine(dir, "groups.csv");
        File.WriteAllText(groups, "group,row\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"g{i % 2},{i}\n")));
        var given = CliHarness.Run("groups", a, b, "--groups", groups, "--maps", "pca", "--out", Path.Combine(dir, "groups"));
        Assert.True(given.Code == 0, given.Stderr);
        Assert.DoesNotContain("Not yet tested", given.Stdout);
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "groups", "results.json")))!["findings"]!["note"]);
    }

    [Fact]
    public void ASetTooSmallToValidateSaysSoAndASetLargeEnoughIsToldOfTrust()
    {
        string dir = TestData.TempDir();
        var test = TestData.LoadFixture("finc_test.npy");
        string small = Path.Combine(dir, "small.npy"), reference = TestData.Fixture("finc_ref.npy");
        Npy.Write(small, test.SelectRows([0, 1, 2]));

        var run = CliHarness.Run("finc", small, reference, "--out", Path.Combine(dir, "small"));
        Assert.True(run.Code == 0, run.Stderr);
        string note = run.Stdout.Split('\n').Single(l => l.StartsWith("Not yet tested", StringComparison.Ordinal));
        Assert.EndsWith("; held-out validation needs at least 20 samples in each set to split both into a discovery and a validation half; the smaller set has 3, "
            + "so nothing here can be tested: treat these groups as leads, not findings.", note);
        Assert.Equal(note, JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "small", "results.json")))!["findings"]!["note"]!.GetValue<string>());
        Assert.Contains("the smaller set has 3, so nothing here can be tested", File.ReadAllText(Path.Combine(dir, "small", "report.html")));
        CliHarness.Run("finc", small, reference, "--trust", "--out", Path.Combine(dir, "refused"))
            .AssertBadInput("error: --trust: needs at least 20 samples in each set to split both into a discovery and a validation half; the smaller set has 3");

        run = CliHarness.Run("finc", TestData.Fixture("finc_test.npy"), reference, "--out", Path.Combine(dir, "large"));
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Contains(FindingText.UntestedNote, run.Stdout);
    }

    /// <summary>Samples enough, but an option the discovery half cannot take: the note names the option, as --trust's refusal does.</summary>
    [Fact]
    public void AnOptionValidationWouldRefuseIsNamedWithItsReason()
    {
        string dir = TestData.TempDir();
        var (a, b, _) = CliHarness.SmallPair(dir, rows: 60);
        string note = RdxNote(a, b, Path.Combine(dir, "plain"), "--concepts", "40");

        var trusted = CliHarness.Run("rdx", a, b, "--concepts", "40", "--trust", "--out", Path.Combine(dir, "trusted"));
        trusted.AssertBadInput("error: --concepts: ");
        string refusal = trusted.ErrorLines.Single()["error: --concepts: ".Length..];
        Assert.EndsWith($"; --trust (or --validate alone) tests each one, but not with this run's --concepts: {refusal}.", note);
        Assert.Contains("held-out validation runs the method on 30 of the 60 samples", refusal);
        Assert.Contains("but not with this run&#39;s <code>--concepts</code>:", File.ReadAllText(Path.Combine(dir, "plain", "report.html")));
    }

    [Fact]
    public void ASubsampleTooSmallToValidateSaysALargerOneCanBeTested()
    {
        // 60 rows, RDX on 30 of them: --trust is refused for the subsample, not for the file, so the note must not say that
        // nothing can be tested.
        string dir = TestData.TempDir();
        var (a, b, _) = CliHarness.SmallPair(dir, rows: 60);
        string note = RdxNote(a, b, Path.Combine(dir, "plain"), "--max-samples", "30");
        Assert.DoesNotContain("nothing here can be tested", note);
        Assert.EndsWith("there are 30 (the method runs on 30 of the 60 samples): --trust (or --validate alone) tests each one on a larger subsample, "
            + $"of {HeldOutValidation.MinSamples} samples or more.", note);

        // The larger subsample it names is tested.
        var trusted = CliHarness.Run("rdx", a, b, "--max-samples", HeldOutValidation.MinSamples.ToString(CultureInfo.InvariantCulture), "--trust", "--maps", "pca",
            "--out", Path.Combine(dir, "trusted"));
        Assert.True(trusted.Code == 0, trusted.Stderr);
        Assert.DoesNotContain("Not yet tested", trusted.Stdout);
    }

    /// <summary>The untested note of an `rdx` run with <paramref name="options"/> into <paramref name="output"/>.</summary>
    private static string RdxNote(string a, string b, string output, params string[] options)
    {
        var run = CliHarness.Run(["rdx", a, b, .. options, "--maps", "pca", "--out", output]);
        Assert.True(run.Code == 0, run.Stderr);
        return run.Stdout.Split('\n').Single(l => l.StartsWith("Not yet tested", StringComparison.Ordinal));
    }

    /// <summary>An explanation of one direction holding one concept of the first 20 samples.</summary>
    private static Explanation OneGroup(string method, string direction, string explains) => new()
    {
        Method = method,
        Directions = [new Direction { Name = direction, Explains = explains, Concepts = [new Concept { Rank = 1, Members = [.. Enumerable.Range(0, 20)] }] }],
    };

    [Fact]
    public void TheTerminalAndTheReportSayItUntilTrustTestsTheConcepts()
    {
        // A null pair: B = A·Q + 1% noise, so whatever spec finds here is noise (it names five groups each way).
        string dir = TestData.TempDir();
        var pair = Trust.HeldOutValidationTests.NullPair(400, 12, seed: 1);
        string a = Path.Combine(dir, "a.npy"), b = Path.Combine(dir, "b.npy"), plain = Path.Combine(dir, "plain"), trusted = Path.Combine(dir, "trusted");
        Npy.Write(a, pair.A);
        Npy.Write(b, pair.B);

        var run = CliHarness.Run("spec", a, b, "--maps", "pca", "--out", plain);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Contains(FindingText.UntestedNote, run.Stdout);
        Assert.Contains("<p class=\"note untested\"><b>Not yet tested on held-out samples:</b>", File.ReadAllText(Path.Combine(plain, "report.html")));
        Assert.Equal(FindingText.UntestedNote, JsonNode.Parse(File.ReadAllText(Path.Combine(plain, "results.json")))!["findings"]!["note"]!.GetValue<string>());

        run = CliHarness.Run("spec", a, b, "--maps", "pca", "--trust", "--out", trusted);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.DoesNotContain("Not yet tested", run.Stdout);
        Assert.DoesNotContain("Not yet tested", File.ReadAllText(Path.Combine(trusted, "report.html")));
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(trusted, "results.json")))!["findings"]!["note"]);
        Assert.Contains(ResultsFile.Read(Path.Combine(trusted, "results.json")).Explanations[0].Directions.SelectMany(d => d.Concepts), c => c.Confirmed is not null);

        // compare says it under its one-line finding, and its report under the same line in the header.
        string compared = Path.Combine(dir, "compared");
        run = CliHarness.Run("compare", a, b, "--methods", "spec,kmeans", "--maps", "pca", "--out", compared);
        Assert.True(run.Code == 0, run.Stderr);
        var lines = run.Stdout.Split('\n');
        int finding = Array.FindIndex(lines, l => l.StartsWith("finding: spec", StringComparison.Ordinal));
        Assert.True(finding >= 0, run.Stdout);
        Assert.Equal(FindingText.UntestedNote, lines[finding + 1]);
        string html = File.ReadAllText(Path.Combine(compared, "report.html"));
        int line = html.IndexOf("class=\"headline\"", StringComparison.Ordinal), note = html.IndexOf("class=\"note untested\"", StringComparison.Ordinal);
        Assert.True(line >= 0 && note > line && html.IndexOf("</header>", StringComparison.Ordinal) > note);
        Assert.Contains("<code>--trust</code>", html);
    }
}
