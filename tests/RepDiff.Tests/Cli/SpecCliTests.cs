using RepDiff.Options;
using RepDiff.Cli;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>The spec/finc commands end to end: outputs on success, exit code 2 and nothing written on bad input.</summary>
public class SpecCliTests
{

    private static string Fixture(string name) => TestData.Fixture(name);

    private static void AssertBadInput(string outDir, string expectedInMessage, params string[] args)
    {
        var (code, _, error) = Run([.. args, "--out", outDir]);
        Assert.Equal(2, code);
        Assert.Contains(expectedInMessage, error);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(), "nothing may be written on bad input");
    }

    /// <summary>
    /// The review's 10 × 5,000 pair (review 174, finding 3): it had aligned for 99 s; now one line, exit 2, nothing written.
    /// </summary>
    [Fact]
    public void SpecAlignOnTenSamplesOfFiveThousandDimensionsIsRefusedNamingPca()
    {
        string tmp = TestData.TempDir();
        var rng = new Random(1);
        var wideA = new Matrix(10, 5000);
        var wideB = new Matrix(10, 5000);
        for (int i = 0; i < wideA.Data.Length; i++) (wideA.Data[i], wideB.Data[i]) = ((float)(rng.NextDouble() * 2 - 1), (float)(rng.NextDouble() * 2 - 1));
        string pa = Path.Combine(tmp, "wideA.npy"), pb = Path.Combine(tmp, "wideB.npy");
        Npy.Write(pa, wideA);
        Npy.Write(pb, wideB);
        AssertBadInput(Path.Combine(tmp, "out"), "reduce B's dimensions first (e.g. with PCA)", "spec-align", pa, pb, "--concepts", "2");
    }

    /// <summary>
    /// Too few samples for SPEC-align is no option's problem: "--concepts: SPEC-align needs at least 8 samples" (review 174,
    /// finding 11) named an option that could not help, and compare offered to "run `repdiff spec-align` to set --concepts".
    /// </summary>
    [Fact]
    public void SpecAlignOnFiveSamplesNamesTheSamplesNotAnOption()
    {
        string tmp = TestData.TempDir();
        var (a, b, _) = SmallPair(tmp, rows: 5);
        string outDir = Path.Combine(tmp, "out");
        var alone = Run("spec-align", a, b, "--out", outDir);
        alone.AssertBadInput("error: SPEC-align needs at least 8 samples, to train W on some and judge it on the rest; there are 5");
        var compared = Run("compare", a, b, "--methods", "spec-align,spec", "--out", outDir);
        compared.AssertBadInput("spec-align cannot run on these inputs (SPEC-align needs at least 8 samples, to train W on some and judge it on the rest; there are 5); leave spec-align out with --methods spec");
        Assert.DoesNotContain("--concepts", alone.Stderr + compared.Stderr);
        Assert.False(Directory.Exists(outDir));
    }

    /// <summary>
    /// SPEC-align's result, SPEC-diff on the held-out rows before and after W, is said in words on the terminal and in the
    /// report: the report had shown neither number, and the terminal had listed both beside spec_diff (of A and B·W on
    /// every row, often the smallest of the three) as if the three were one measure.
    /// </summary>
    [Fact]
    public void SpecAlignSaysWhatTheAlignmentAchievedOnTheTerminalAndInTheReport()
    {
        string dir = Path.Combine(TestData.TempDir(), "out");
        var (code, stdout, error) = Run("spec-align", Fixture("planted_a.npy"), Fixture("planted_b.npy"), "--steps", "20", "--concepts", "2", "--out", dir);
        Assert.True(code == 0, error);
        var metrics = Explanation.FromJson(File.ReadAllText(Path.Combine(dir, "results.json"))).Metrics;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string sentence = string.Create(inv, $"Aligning planted_b.npy to planted_a.npy: SPEC-diff on the {metrics["held_out_rows"]!.GetValue<int>():N0} held-out rows ")
            + string.Create(inv, $"{metrics["spec_diff_before"]!.GetValue<double>():G4} before W, {metrics["spec_diff_after"]!.GetValue<double>():G4} after (B·W)");
        Assert.Contains(sentence, stdout);
        Assert.DoesNotContain("spec_diff_before", stdout);
        Assert.Contains(sentence, System.Net.WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(dir, "report.html"))));
    }

    [Fact]
    public void SpecWritesResultsAndTheFrequenciesItUsed()
    {
        string dir = Path.Combine(TestData.TempDir(), "out");
        var (code, stdout, error) = Run("spec", Fixture("planted_a.npy"), Fixture("planted_b.npy"), "--route", "rff", "--rff-dim", "300", "--out", dir);
        Assert.True(code == 0, error);
        var e = Explanation.FromJson(File.ReadAllText(Path.Combine(dir, "results.json")));
        Assert.Equal("spec", e.Method);
        // The terminal shows each concept's BSR beside its chance level, and each direction's finding in words.
        var strongest = e.Directions[0].Concepts[0];
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{strongest.Bsr:F3} ({strongest.BsrChance:F3})"), stdout);
        foreach (var direction in e.Directions) Assert.Contains($"{direction.Name}: ", stdout);
        // SPEC-diff with what it is, and its two extremes by model.
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Assert.Contains(string.Create(inv, $"spec_diff {e.Metrics["spec_diff"]!.GetValue<double>():G4} (how far apart the two kernels are at most, 0 when they agree; ")
            + string.Create(inv, $"λ_max {e.Metrics["lambda_max"]!.GetValue<double>():G4} for what planted_a.npy clusters more, λ_min {e.Metrics["lambda_min"]!.GetValue<double>():G4} for what planted_b.npy clusters more)"), stdout);
        Assert.Equal("rff", e.Parameters["route"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(dir, "report.html")));
        // Feeding the written frequencies back reproduces the run exactly.
        string again = Path.Combine(TestData.TempDir(), "again");
        Assert.Equal(0, Run("spec", Fixture("planted_a.npy"), Fixture("planted_b.npy"), "--omega-a", Path.Combine(dir, "omega_a.npy"),
            "--omega-b", Path.Combine(dir, "omega_b.npy"), "--out", again).Code);
        Assert.Equal(e.Spectrum, Explanation.FromJson(File.ReadAllText(Path.Combine(again, "results.json"))).Spectrum);
    }

    [Fact]
    public void DifferentRowCountsAreRejected()
    {
        string dir = Path.Combine(TestData.TempDir(), "out");
        AssertBadInput(dir, "rows", "spec", Fixture("planted_a.npy"), Fixture("digits_m49_b.npy"));
    }

    [Fact]
    public void AZeroRowUnderTheCosineKernelIsNamed()
    {
        string tmp = TestData.TempDir();
        var a = TestData.LoadFixture("planted_a.npy");
        a.Row(17).Clear();
        string path = Path.Combine(tmp, "a_zero.npy");
        Npy.Write(path, a);
        AssertBadInput(Path.Combine(tmp, "out"), "row 17 of a_zero.npy has zero norm", "spec", path, Fixture("planted_b.npy"), "--kernel", "cosine");
        AssertBadInput(Path.Combine(tmp, "out"), "row 17 of a_zero.npy has zero norm", "spec", path, Fixture("planted_b.npy"), "--kernel", "cosine", "--route", "features");
        // SPEC-align always uses the cosine kernel; its message names the input's row, as B or as A.
        AssertBadInput(Path.Combine(tmp, "out"), "row 17 of a_zero.npy has zero norm", "spec-align", path, Fixture("planted_b.npy"));
        AssertBadInput(Path.Combine(tmp, "out"), "row 17 of a_zero.npy has zero norm", "spec-align", Fixture("planted_b.npy"), path);
        // compare refuses it while preparing, before RDX (first in the list) has run.
        var (code, _, error) = Run("compare", path, Fixture("planted_b.npy"), "--methods", "rdx,spec-align", "--out", Path.Combine(tmp, "out"));
        Assert.Equal(2, code);
        Assert.Contains("row 17 of a_zero.npy has zero norm", error);
        Assert.DoesNotContain("%", error);
        Assert.False(Directory.Exists(Path.Combine(tmp, "out")));
    }

    [Theory]
    [InlineData("--sigma-a", "0")]
    [InlineData("--sigma-b", "-1.5")]
    public void NonPositiveBandwidthsAreRejected(string option, string value)
    {
        AssertBadInput(Path.Combine(TestData.TempDir(), "out"), option, "spec", Fixture("planted_a.npy"), Fixture("planted_b.npy"), option, value);
    }

    [Fact]
    public void BandwidthsTooSmallForRandomFeaturesAreRejected()
    {
        // Frequencies of order 1/sigma beyond 1e16 overflow the features' phases (this was exit 1, "non-finite entries").
        AssertBadInput(Path.Combine(TestData.TempDir(), "out"), "--sigma-a: 1E-20 is below 1e-16", "spec", Fixture("planted_a.npy"), Fixture("planted_b.npy"),
            "--route", "rff", "--sigma-a", "1e-20");
        AssertBadInput(Path.Combine(TestData.TempDir(), "out"), "--sigma: 1E-30 is below 1e-16", "finc", Fixture("finc_test.npy"), Fixture("finc_ref.npy"),
            "--route", "rff", "--sigma", "1e-30");
    }

    [Fact]
    public void SpecRffWithFewerSamplesThanFeaturesCountsItsFeaturesAgainstTheMemoryLimit()
    {
        // 600 samples × 2 × 2 × 1,000 features: the n×n operator (2.9 MB) and the features with the copy AddGram makes
        // (14.4 MB). The old estimate counted 12 n² (4.3 MB) and let through what a machine with 16 MB free cannot hold
        // (helper 85: 10,000 rows and --rff-dim 100000 were killed at 24 GB).
        using (MemoryBudget.Assume(16_000_000))
            AssertBadInput(Path.Combine(TestData.TempDir(), "out"),
                "--rff-dim: n = 600 samples with D = 4,000 features need 0.0 GB for its n×n operator and n×D features (limit 0.0 GB); 466 is the largest value that fits",
                "spec", Fixture("planted_a.npy"), Fixture("planted_b.npy"), "--route", "rff", "--rff-dim", "1000");
        // The covariance form (more samples than features) names what fits the same way.
        using (MemoryBudget.Assume(2_000_000))
            AssertBadInput(Path.Combine(TestData.TempDir(), "out"), "--rff-dim: n = 600 samples with D = 400 features need 0.0 GB for its D×D covariance matrices",
                "spec", Fixture("planted_a.npy"), Fixture("planted_b.npy"), "--route", "rff", "--rff-dim", "100");
    }

    [Fact]
    public void FincRffWithFewerRowsThanFeaturesIsRefusedBeforeItAllocates()
    {
        // 2,000 pooled rows × 2 × 1,500 features: the n×n Gram and its Cholesky factor (64 MB) beside the features (24 MB),
        // which no check had counted; what fits is the covariance form's 707 (24 · (2 · 707)² bytes and a quarter more).
        using (MemoryBudget.Assume(80_000_000))
            AssertBadInput(Path.Combine(TestData.TempDir(), "out"),
                "--rff-dim: n = 2,000 samples with D = 3,000 features need 0.1 GB for its n×n operator and n×D features (limit 0.1 GB); 707 is the largest value that fits",
                "finc", Fixture("finc_test.npy"), Fixture("finc_ref.npy"), "--route", "rff", "--rff-dim", "1500");
    }

    [Fact]
    public void AFeatureRefusalWithFrequencyFilesNamesTheFilesNotRffDim()
    {
        // Both sides' frequencies come from files, so --rff-dim is not read: the refusal had named it all the same (helper 88).
        using (MemoryBudget.Assume(1_000_000))
            AssertBadInput(Path.Combine(TestData.TempDir(), "out"), "--omega-a: n = ",
                "spec", Fixture("planted_a.npy"), Fixture("planted_b.npy"), "--route", "rff",
                "--omega-a", Fixture("planted_omega_a.npy"), "--omega-b", Fixture("planted_omega_b.npy"));
    }

    [Fact]
    public void FincsExactRouteCountsTheCholeskyFactorBesideItsKernel()
    {
        // 2,000 pooled rows: the float64 kernel and its factor take 64 MB together; the 12 n² (48 MB) of SPEC's exact route
        // had passed under a 56 MB limit, and the factor would then have been allocated past it (helper 88).
        using (MemoryBudget.Assume(75_000_000))
            AssertBadInput(Path.Combine(TestData.TempDir(), "out"),
                "--route: n = 2000 needs 0.1 GB for n×n kernels and the rows (limit 0.1 GB); set it to rff, which stays linear in n",
                "finc", Fixture("finc_test.npy"), Fixture("finc_ref.npy"), "--route", "exact");
    }

    [Fact]
    public void TheExactRoutesCountTheRowsTheyReadWhole()
    {
        // 100 + 100 rows of 10,000 dimensions: 0.6 MB of kernels but 8 MB of rows, read whole for the modes' functions, which
        // the check had not counted (FINC's 1,500 + 1,500 rows of 20,000 took 240 MB beside 144 MB of kernels).
        string dir = TestData.TempDir();
        var random = new Random(5);
        string Wide(string name)
        {
            var rows = new float[100 * 10_000];
            for (int i = 0; i < rows.Length; i++) rows[i] = (float)random.NextDouble();
            string path = Path.Combine(dir, name);
            Npy.Write(path, new Matrix(100, 10_000, rows));
            return path;
        }
        string test = Wide("test.npy"), reference = Wide("ref.npy");
        using (MemoryBudget.Assume(6_000_000))
        {
            AssertBadInput(Path.Combine(dir, "finc"), "--route: n = 200 needs 0.0 GB for n×n kernels and the rows (limit 0.0 GB); set it to rff",
                "finc", test, reference, "--route", "exact");
            AssertBadInput(Path.Combine(dir, "spec"), "--route: n = 100 needs 0.0 GB for n×n kernels and the rows (limit 0.0 GB); set it to rff",
                "spec", test, reference, "--route", "exact");
        }
    }

    [Fact]
    public void OutOfMemoryNamesWhatTheMethodOffersAndNoSubsampleItLacks()
    {
        // An allocation that fails inside a method: SPEC has no option that runs on a subsample, which the line had offered
        // every command; now it names the method's own way out, and a method without one is told to use a smaller input.
        string dir = TestData.TempDir();
        var (a, b, _) = SmallPair(dir);
        var registry = RepDiff.Methods.MethodRegistry.Default.With(new OutOfMemoryMethod("oom-spec", "try --route rff with a smaller --rff-dim"), new OutOfMemoryMethod("oom-plain", null));
        var spec = Run(registry, "oom-spec", a, b, "--out", Path.Combine(dir, "out"));
        spec.AssertBadInput("error: out of memory; try --route rff with a smaller --rff-dim");
        var plain = Run(registry, "oom-plain", a, b, "--out", Path.Combine(dir, "out"));
        plain.AssertBadInput("error: out of memory; try a smaller input (fewer rows or dimensions)");
        Assert.DoesNotContain("subsample", plain.Stderr);
        Assert.Equal("try --route rff with a smaller --rff-dim (the Gaussian kernel), or fewer rows", new RepDiff.Methods.Spec.SpecMethod().OutOfMemoryAdvice);
    }

    private sealed class OutOfMemoryMethod(string name, string? advice) : RepDiff.Methods.PairMethod<RepDiff.Tests.Methods.NeighbourRatio.NeighbourRatioOptions>
    {
        public override string Name => name;
        public override string Description => "runs out of memory";
        public override string StrengthMeaning => "none";
        public override string? OutOfMemoryAdvice => advice;
        protected override Explanation Explain(RepresentationPair pair, RepDiff.Tests.Methods.NeighbourRatio.NeighbourRatioOptions options, IProgress<ProgressUpdate>? progress)
            => throw new OutOfMemoryException();
    }

    [Fact]
    public void SpecAlignRefusesAMapTooLargeForMemoryBeforeAllocating()
    {
        // 17,000 dimensions: W and its Adam state would take 9.2 GB (it was "out of memory", naming nothing).
        string tmp = TestData.TempDir();
        var rng = new Random(3);
        var wide = new Matrix(10, 17_000);
        for (int i = 0; i < wide.Data.Length; i++) wide.Data[i] = (float)rng.NextDouble();
        string path = Path.Combine(tmp, "wide.npy"), other = Path.Combine(tmp, "wide_b.npy");
        Npy.Write(path, wide);
        wide[0, 0] += 1; // a copy would be refused as A and B holding the same values
        Npy.Write(other, wide);
        AssertBadInput(Path.Combine(tmp, "out"), "wide_b.npy's 17000 dimensions need 9.2 GB", "spec-align", path, other);
    }

    [Fact]
    public void AKeyForFilesOfOneArrayIsRefused()
    {
        // It had been ignored: finc ran on the files' only arrays, as rdx and inspect did.
        AssertBadInput(Path.Combine(TestData.TempDir(), "out"), "--key emb: finc_test.npy and finc_ref.npy hold one array each", "finc",
            Fixture("finc_test.npy"), Fixture("finc_ref.npy"), "--key", "emb");
    }

    [Fact]
    public void FrequenciesOfTheWrongDimensionAreRejected()
    {
        // planted_omega_b is 40 × 300 but A has 24 dimensions. The refusal names the option that gave the file, and so the side
        // (helper h145): it had named only the file, and one file given for both sides left the side to guess.
        AssertBadInput(Path.Combine(TestData.TempDir(), "out"), "24", "spec", Fixture("planted_a.npy"), Fixture("planted_b.npy"),
            "--omega-a", Fixture("planted_omega_b.npy"), "--omega-b", Fixture("planted_omega_b.npy"));
        Run("spec", Fixture("planted_a.npy"), Fixture("planted_b.npy"), "--omega-a", Fixture("planted_omega_b.npy"), "--omega-b", Fixture("planted_omega_b.npy"),
            "--out", Path.Combine(TestData.TempDir(), "out")).AssertBadInput($"--omega-a {Fixture("planted_omega_b.npy")}: frequency matrix is 40×300 but the representation has 24 dimensions");
        Run("spec", Fixture("planted_a.npy"), Fixture("planted_b.npy"), "--omega-a", Fixture("planted_omega_a.npy"), "--omega-b", Fixture("planted_omega_a.npy"),
            "--out", Path.Combine(TestData.TempDir(), "out")).AssertBadInput($"--omega-b {Fixture("planted_omega_a.npy")}: frequency matrix is 24×300 but the representation has 40 dimensions");
        AssertBadInput(Path.Combine(TestData.TempDir(), "out"), "16", "finc", Fixture("finc_test.npy"), Fixture("finc_ref.npy"),
            "--omega", Fixture("planted_omega_a.npy"));
        Run("finc", Fixture("finc_test.npy"), Fixture("finc_ref.npy"), "--omega", Fixture("planted_omega_a.npy"), "--out", Path.Combine(TestData.TempDir(), "out"))
            .AssertBadInput($"--omega {Fixture("planted_omega_a.npy")}: frequency matrix is 24×300");
    }

    [Fact]
    public void FincRejectsANonPositiveSigmaAndDifferentDimensions()
    {
        AssertBadInput(Path.Combine(TestData.TempDir(), "out"), "--sigma", "finc", Fixture("finc_test.npy"), Fixture("finc_ref.npy"), "--sigma", "0");
        AssertBadInput(Path.Combine(TestData.TempDir(), "out"), "dimension", "finc", Fixture("finc_test.npy"), Fixture("planted_a.npy"));
    }

    [Fact]
    public void FincWritesResultsWithMembersFromEachSet()
    {
        string dir = Path.Combine(TestData.TempDir(), "out");
        var (code, _, error) = Run("finc", Fixture("finc_test.npy"), Fixture("finc_ref.npy"), "--omega", Fixture("finc_omega.npy"), "--out", dir);
        Assert.True(code == 0, error);
        var e = Explanation.FromJson(File.ReadAllText(Path.Combine(dir, "results.json")));
        Assert.Equal(["more_frequent_in_test", "more_frequent_in_ref"], e.Directions.Select(d => d.Name));
        Assert.True(File.Exists(Path.Combine(dir, "omega.npy")));
    }

    [Fact]
    public void SpecAlignWritesTheHeadAndAlignedB()
    {
        string dir = Path.Combine(TestData.TempDir(), "out");
        var (code, stdout, error) = Run("spec-align", Fixture("planted_a.npy"), Fixture("planted_b.npy"), "--steps", "20", "--out", dir);
        Assert.True(code == 0, error);
        Assert.Contains("before", stdout);
        Assert.Equal(40, Npy.ReadMatrix(Path.Combine(dir, "w.npy")).Rows);
        Assert.Equal(600, Npy.ReadMatrix(Path.Combine(dir, "aligned_b.npy")).Rows);
        // Like every method command, spec-align writes results.json and report.html, with SPEC-diff before and after.
        var e = Explanation.FromJson(File.ReadAllText(Path.Combine(dir, "results.json")));
        Assert.Equal("spec-align", e.Method);
        Assert.True(e.Metrics["spec_diff_after"]!.GetValue<double>() < e.Metrics["spec_diff_before"]!.GetValue<double>());
        Assert.True(File.Exists(Path.Combine(dir, "report.html")));
        AssertBadInput(Path.Combine(TestData.TempDir(), "out"), "rows", "spec-align", Fixture("planted_a.npy"), Fixture("digits_m49_b.npy"));
    }

    [Fact]
    public void IdenticalRowsGiveNoMedianBandwidthAndSayWhichOptionToSet()
    {
        string tmp = TestData.TempDir();
        var a = new Matrix(50, 3);
        Array.Fill(a.Data, 1f);
        string path = Path.Combine(tmp, "same.npy");
        Npy.Write(path, a);
        var b = TestData.LoadFixture("planted_b.npy").SelectRows(Enumerable.Range(0, 50).ToArray());
        string pathB = Path.Combine(tmp, "b.npy");
        Npy.Write(pathB, b);
        AssertBadInput(Path.Combine(tmp, "out"), "--sigma-a", "spec", path, pathB);
    }

    [Fact]
    public void AFeatureCovarianceTooLargeForMemoryIsRefusedBeforeAllocating()
    {
        var rng = new Random(1);
        var a = new Matrix(40_001, 2);
        for (int i = 0; i < a.Data.Length; i++) a.Data[i] = (float)rng.NextDouble();
        var options = new RepDiff.Methods.Spec.SpecOptions { Route = RepDiff.Methods.Spec.SpecRoute.Rff, RffDim = 10_000 };
        var e = Assert.Throws<InvalidOptionException>(() => new RepDiff.Methods.Spec.SpecMethod().Run(new RepresentationPair(a, a), options));
        Assert.Equal(nameof(options.RffDim), e.Property);
    }

    [Fact]
    public void LargeInputsAreStreamedWithTheirSideInformation()
    {
        // n > 5,000 on the rff route: the command streams the memory-mapped files and loads only the labels.
        string tmp = TestData.TempDir();
        var rng = new Random(3);
        var a = new Matrix(6000, 4);
        var b = new Matrix(6000, 6);
        foreach (var m in new[] { a, b })
            for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)rng.NextDouble();
        Npy.Write(Path.Combine(tmp, "a.npy"), a);
        Npy.Write(Path.Combine(tmp, "b.npy"), b);
        Npy.Write(Path.Combine(tmp, "labels.npy"), Enumerable.Range(0, 6000).Select(i => i % 7).ToArray());
        string dir = Path.Combine(tmp, "out");
        var (code, _, error) = Run("spec", Path.Combine(tmp, "a.npy"), Path.Combine(tmp, "b.npy"), "--labels", Path.Combine(tmp, "labels.npy"),
            "--rff-dim", "50", "--concepts", "3", "--out", dir);
        Assert.True(code == 0, error);
        var e = Explanation.FromJson(File.ReadAllText(Path.Combine(dir, "results.json")));
        Assert.Equal("rff", e.Parameters["route"]!.GetValue<string>());
        Assert.Equal(6000, e.N);
        Assert.All(e.Directions, d => Assert.Equal(3, d.Concepts.Count));
        Assert.True(File.Exists(Path.Combine(dir, "report.html")));
        // A streamed run is scored on its grids' rows like any other (it used to report BSR 0 from placeholder embeddings).
        Assert.InRange(e.Metrics["bsr"]!["mean"]!.GetValue<double>(), 0.2, 1.0);
        Assert.All(e.Directions.SelectMany(d => d.Concepts), c => Assert.InRange(c.Bsr!.Value, 0.0, 1.0));
        AssertBadInput(Path.Combine(tmp, "bad"), "planted_groups.npy", "spec", Path.Combine(tmp, "a.npy"), Path.Combine(tmp, "b.npy"),
            "--labels", Fixture("planted_groups.npy"), "--rff-dim", "50");
    }

    /// <summary>
    /// SPEC-align's d_B × d_B map, its gradient and Adam's moments are counted against what the machine has free before
    /// anything is allocated (at d_B = 5,000 a run had reached 1.3 GB): past it, one line naming the way out, exit 2, and an
    /// output folder that holds what it held. With room for them the same command runs.
    /// </summary>
    [Fact]
    public void SpecAlignPastTheMemoryBudgetIsRefusedBeforeItStarts()
    {
        string tmp = TestData.TempDir();
        var rng = new Random(3);
        Matrix Random(int rows, int cols)
        {
            var m = new Matrix(rows, cols);
            for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)(rng.NextDouble() * 2 - 1);
            return m;
        }
        string a = Path.Combine(tmp, "a.npy"), b = Path.Combine(tmp, "wide.npy"), outDir = Path.Combine(tmp, "out");
        Npy.Write(a, Random(40, 5));
        Npy.Write(b, Random(40, 300));
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "earlier.txt"), "kept");
        long need = RepDiff.Methods.Spec.SpecAlign.Bytes(40, 5, 300, 512);
        Outcome refused;
        using (MemoryBudget.Assume(need))  // the limit is 3/4 of what is free
            refused = Run("spec-align", a, b, "--steps", "3", "--maps", "pca", "--out", outDir);
        refused.AssertBadInput("SPEC-align learns a d_B × d_B map: wide.npy's 300 dimensions need 0.0 GB for it, its gradient and Adam's moments");
        Assert.EndsWith("reduce B's dimensions first (e.g. with PCA)", refused.ErrorLines.Last());
        Assert.Equal(["earlier.txt"], Directory.EnumerateFileSystemEntries(outDir).Select(Path.GetFileName));
        Outcome ran;
        using (MemoryBudget.Assume(need / 3 * 4 + 4096))
            ran = Run("spec-align", a, b, "--steps", "3", "--concepts", "1", "--maps", "pca", "--out", Path.Combine(tmp, "ran"));
        Assert.True(ran.Code == 0, ran.Stderr);
    }
}
