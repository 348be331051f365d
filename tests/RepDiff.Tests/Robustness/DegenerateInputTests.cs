using RepDiff.IO;
using Xunit.Abstractions;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Robustness;

/// <summary>
/// Every command over a corpus of degenerate inputs (constant data, a constant column, two distinct rows,
/// two and three samples, one dimension, huge and denormal values, A equal to B): exit code 0 with finite
/// numbers everywhere, or exit code 2 with one line. Never exit 1, never NaN or Infinity in results.json
/// or on the terminal.
/// </summary>
public class DegenerateInputTests(ITestOutputHelper output)
{
    private readonly string dir = TestData.TempDir();

    public static TheoryData<string> Commands() => new() { "rdx", "spec", "koda", "finc", "kmeans", "pca", "nmf", "sae", "metrics", "evaluate", "compare" };

    /// <summary>Degenerate versions of the first rows of the planted pair (A's and B's values transformed alike).</summary>
    private static Dictionary<string, Func<Matrix, Matrix>> Corpus(int n) => new()
    {
        ["constant"] = m => Fill(m, (i, j, v) => 1f),
        ["constant column"] = m => Fill(m, (i, j, v) => j == 0 ? 3f : v),
        ["two distinct rows"] = m => m.SelectRows(Enumerable.Range(0, n).Select(i => i % 2).ToArray()),
        ["two samples"] = m => m.SelectRows([0, 1]),
        ["three samples"] = m => m.SelectRows([0, 1, 2]),
        ["one dimension"] = m => Fill(new Matrix(m.Rows, 1), (i, j, v) => m[i, 0]),
        ["values near 1e19"] = m => Fill(m, (i, j, v) => v * 1e19f),
        ["denormal values"] = m => Fill(m, (i, j, v) => v * 1e-40f),
        ["all zero"] = m => Fill(m, (i, j, v) => 0f),
    };

    private static Matrix Fill(Matrix m, Func<int, int, float, float> value)
    {
        var result = new Matrix(m.Rows, m.Cols);
        for (int i = 0; i < m.Rows; i++)
            for (int j = 0; j < m.Cols; j++) result[i, j] = value(i, j, m[i, j]);
        return result;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryOutcomeIsFiniteOrOneLine(string command)
    {
        const int n = 24;
        var (a, b, _) = SmallPair(dir, rows: n);
        var (baseA, baseB) = (Npy.ReadMatrix(a), Npy.ReadMatrix(b));
        var tally = new List<string>();
        foreach (var (name, transform) in Corpus(n).Append(new("A equal to B", m => m)))
        {
            string caseDir = Path.Combine(dir, name.Replace(' ', '-'));
            Directory.CreateDirectory(caseDir);
            string pa = Path.Combine(caseDir, "a.npy"), pb = Path.Combine(caseDir, "b.npy");
            Npy.Write(pa, transform(baseA));
            Npy.Write(pb, name == "A equal to B" ? baseA : transform(baseB));
            string outDir = Path.Combine(caseDir, "out");
            var outcome = command switch
            {
                "finc" => Run("finc", pa, pa, "--concepts", "2", "--out", outDir),
                "sae" => Run("sae", pa, pb, "--epochs", "3", "--concepts", "2", "--out", outDir),
                "compare" => Run("compare", pa, pb, "--methods", "rdx,spec,kmeans,nmf", "--out", outDir),
                "koda" or "spec" => Run(command, pa, pb, "--concepts", "2", "--out", outDir),
                "evaluate" => Evaluate(caseDir, pa, pb),
                _ => Run(command, pa, pb, "--out", outDir),
            };
            tally.Add($"{name}: {outcome.Code}");
            Assert.True(outcome.Code is 0 or 2, $"{command} on {name}: exit {outcome.Code}: {outcome.Stderr}");
            if (outcome.Code == 2) { outcome.AssertBadInput(""); continue; }
            string results = command == "evaluate" ? Path.Combine(caseDir, "evaluated.json") : Path.Combine(outDir, "results.json");
            string json = File.ReadAllText(results);
            Assert.False(json.Contains("NaN") || json.Contains("Infinity"), $"{command} on {name} wrote a non-finite number");
            Assert.DoesNotContain("NaN", outcome.Stdout);
            Assert.DoesNotContain("∞", outcome.Stdout);
        }
        output.WriteLine($"{command}: {string.Join("; ", tally)}");
    }

    /// <summary>
    /// RDX of a representation whose rows are all the same (here B, then A in a comparison) is refused naming the file:
    /// it read the tie-break order of that representation's tied neighbourhoods as structure and reported that the other
    /// model keeps groups together that the constant one pulls apart, the reverse of the truth.
    /// </summary>
    [Fact]
    public void RdxRefusesARepresentationWhoseRowsAreAllTheSame()
    {
        var (a, b, _) = SmallPair(dir, rows: 40);
        string constant = Path.Combine(dir, "flat.npy");
        Npy.Write(constant, Fill(Npy.ReadMatrix(b), (i, j, v) => 0.25f));
        string outDir = Path.Combine(dir, "out");
        Run("rdx", a, constant, "--out", outDir).AssertBadInput("flat.npy: every row is the same");
        Run("compare", constant, b, "--methods", "rdx,kmeans", "--out", outDir).AssertBadInput("flat.npy: every row is the same");
        Assert.False(Directory.Exists(outDir));
        Assert.Equal(0, Run("rdx", a, b, "--out", outDir).Code);
    }

    /// <summary>
    /// Given groups beside a representation whose rows are all the same (found by the forty-first session's sweep): groups
    /// scored them with the tie-break's BSR (0.99 against a chance level of 0.98), exit 0, where evaluate refuses the same
    /// scoring. Refused naming the file, by `groups` and by `compare --groups`, with nothing written.
    /// </summary>
    [Fact]
    public void GivenGroupsBesideARepresentationWhoseRowsAreAllTheSameAreRefused()
    {
        var (a, b, _) = SmallPair(dir, rows: 40);
        string constant = Path.Combine(dir, "flat.npy"), groups = Path.Combine(dir, "groups.csv");
        Npy.Write(constant, Fill(Npy.ReadMatrix(a), (i, j, v) => 0.25f));
        File.WriteAllText(groups, "group,row\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"g{i % 4},{i}\n")));
        string outDir = Path.Combine(dir, "out");
        const string why = "flat.npy: every row is the same, so every group's samples are tied at distance 0 and BSR has nothing to score";
        Run("groups", constant, b, "--groups", groups, "--out", outDir).AssertBadInput(why);
        Run("groups", a, constant, "--groups", groups, "--out", outDir).AssertBadInput(why);
        Run("compare", constant, b, "--methods", "kmeans", "--groups", groups, "--out", outDir).AssertBadInput(why);
        Assert.False(Directory.Exists(outDir));
        Assert.Equal(0, Run("groups", a, b, "--groups", groups, "--out", outDir).Code);
    }

    /// <summary>A comparison whose NMF cannot run (fewer distinct rows than concepts) says so before RDX runs, not after.</summary>
    [Fact]
    public void CompareRefusesNmfOnTooFewDistinctRowsBeforeAnyMethodRuns()
    {
        var (a, b, _) = SmallPair(dir, rows: 40);
        string twoRows = Path.Combine(dir, "two-rows.npy");
        Npy.Write(twoRows, Npy.ReadMatrix(a).SelectRows(Enumerable.Range(0, 40).Select(i => i % 2).ToArray()));
        string outDir = Path.Combine(dir, "out");
        var outcome = Run("compare", twoRows, b, "--methods", "rdx,nmf", "--out", outDir);
        outcome.AssertBadInput("nmf on two-rows.npy: the representation has only 2 distinct rows");
        Assert.DoesNotContain("%", outcome.Stderr); // no method's progress: refused while preparing
        Assert.False(Directory.Exists(outDir));
    }

    /// <summary>
    /// k-means and PCA refuse, as NMF does, more concepts than the distinct rows hold (review 174, finding 10): they had listed
    /// clusters and components of no member (k-means of 21 distinct rows into 25, PCA of 40 equal rows into five). PCA's k
    /// components need k + 1 distinct rows, since centred rows span one direction fewer than they are; rows all alike have
    /// no component at any --concepts, which no option answers.
    /// </summary>
    [Fact]
    public void KMeansAndPcaRefuseMoreConceptsThanDistinctRowsAsNmfDoes()
    {
        var (a, b, _) = SmallPair(dir, rows: 40);
        var rowsA = Npy.ReadMatrix(a);
        string half = Path.Combine(dir, "half.npy"), same = Path.Combine(dir, "same.npy"), three = Path.Combine(dir, "three.npy");
        Npy.Write(half, rowsA.SelectRows(Enumerable.Range(0, 40).Select(i => i < 20 ? 0 : i - 19).ToArray()));  // 21 distinct rows
        Npy.Write(same, rowsA.SelectRows(new int[40]));
        Npy.Write(three, rowsA.SelectRows(Enumerable.Range(0, 40).Select(i => i % 3).ToArray()));
        string outDir = Path.Combine(dir, "out");
        Run("kmeans", half, b, "--concepts", "25", "--out", outDir).AssertBadInput("--concepts: kmeans on half.npy: the representation has only 21 distinct rows, fewer than the 25 concepts asked for; use --concepts 21 or fewer");
        Run("kmeans", same, b, "--out", outDir).AssertBadInput("--concepts: kmeans on same.npy: the representation has only 1 distinct row, fewer than the 5 concepts asked for; use --concepts 1 or fewer");
        Run("pca", a, same, "--out", outDir).AssertBadInput("error: pca on same.npy: every row of the representation is the same, so it has no principal component");
        Run("pca", three, b, "--concepts", "3", "--out", outDir).AssertBadInput("--concepts: pca on three.npy: the representation has only 3 distinct rows, which centred span 2 directions, fewer than the 3 principal components asked for; use --concepts 2 or fewer");
        Assert.False(Directory.Exists(outDir));
        // At the counts that fit, every concept has members.
        foreach (var args in new[] { new[] { "kmeans", half, b, "--concepts", "21" }, ["pca", three, b, "--concepts", "2"] })
        {
            Assert.Equal(0, Run([.. args, "--maps", "pca", "--out", outDir]).Code);
            var results = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!;
            Assert.All(results["directions"]!.AsArray(), d => Assert.All(d!["concepts"]!.AsArray(), c => Assert.NotEmpty(c!["members"]!.AsArray())));
        }
    }

    /// <summary>metrics of one sample is refused before any measure runs (RBF CKA had refused it after three had).</summary>
    [Fact]
    public void MetricsOfOneSampleIsRefusedBeforeAnyMeasure()
    {
        var (a, b, _) = SmallPair(dir, rows: 10);
        string oneA = Path.Combine(dir, "one-a.npy"), oneB = Path.Combine(dir, "one-b.npy");
        Npy.Write(oneA, Npy.ReadMatrix(a).SelectRows([0]));
        Npy.Write(oneB, Npy.ReadMatrix(b).SelectRows([0]));
        var outcome = Run("metrics", oneA, oneB, "--out", Path.Combine(dir, "out"));
        outcome.AssertBadInput("hold 1 sample; the similarity measures need at least 2");
        Assert.DoesNotContain("%", outcome.Stderr);
    }

    /// <summary>evaluate scores a k-means result of the healthy pair against the degenerate one.</summary>
    private Outcome Evaluate(string caseDir, string a, string b)
    {
        var (ha, hb, _) = SmallPair(Directory.CreateDirectory(Path.Combine(caseDir, "healthy")).FullName, rows: Npy.ReadMatrix(a).Rows);
        string fitted = Path.Combine(caseDir, "fitted");
        var fit = Run("kmeans", ha, hb, "--concepts", "2", "--grid-size", "2", "--out", fitted);
        if (fit.Code != 0) return fit;
        return Run("evaluate", Path.Combine(fitted, "results.json"), a, b, "--out", Path.Combine(caseDir, "evaluated.json"));
    }
}
