using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Robustness;

/// <summary>
/// Option values at the edges of their declared ranges (a hostile-user sweep of every command's flags):
/// each is a meaningful exit 0 or exit 2 with one line naming the flag, never an internal error, a NaN or a hang.
/// </summary>
public class OptionBoundaryTests
{
    private readonly string dir = TestData.TempDir();

    private static void AssertFiniteResults(CliHarness.Outcome outcome, string outDir, string what)
    {
        Assert.True(outcome.Code == 0, $"{what}: exit {outcome.Code}, stderr: {outcome.Stderr}");
        string json = File.ReadAllText(Path.Combine(outDir, "results.json"));
        Assert.DoesNotContain("NaN", json);
        Assert.DoesNotContain("Infinity", json);
    }

    // A positive bandwidth so small that 1/(2σ²) overflows used to make the exact kernels 0·(−∞) = NaN on the
    // diagonal ("internal error: matrix has non-finite entries"); such a kernel is the identity, as at σ = 1e-100.
    [Theory]
    [InlineData("spec", "--sigma-a")]
    [InlineData("spec", "--sigma-b")]
    [InlineData("koda", "--sigma-a")]
    [InlineData("koda", "--sigma-b")]
    [InlineData("finc", "--sigma")]
    public void ABandwidthBelowTheSquaresRangeGivesTheIdentityKernel(string method, string option)
    {
        var (a, b, _) = SmallPair(dir);
        if (method == "finc")  // one representation: REF is A's rows shifted
        {
            var shifted = Npy.ReadMatrix(a);
            for (int i = 0; i < shifted.Data.Length; i += 3) shifted.Data[i] += 1;
            Npy.Write(b = Path.Combine(dir, "ref.npy"), shifted);
        }
        foreach (var sigma in new[] { "1e-300", "5e-324" })
        {
            string outDir = Path.Combine(dir, $"{method}{option}{sigma}");
            // --validate extends the modes to held-out rows through the same kernel in float32.
            var outcome = Run(method, a, b, option, sigma, "--concepts", "2", "--validate", "--out", outDir);
            AssertFiniteResults(outcome, outDir, $"{method} {option} {sigma}");
        }
    }

    // A grid of one sample has no pairs for BSR to score: spec --grid-size 1 had run, left every concept unscored, and still
    // said "a.npy ranks the samples shown for five groups … as nearer neighbours". Refused as RDX and given groups refuse it.
    [Theory]
    [InlineData("spec")]
    [InlineData("spec-align")]
    [InlineData("koda")]
    [InlineData("finc")]
    [InlineData("kmeans")]
    [InlineData("pca")]
    [InlineData("nmf")]
    [InlineData("sae")]
    public void AGridOfOneSampleIsRefused(string method)
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, method);
        Run(method, a, b, "--grid-size", "1", "--out", outDir).AssertBadInput("--grid-size: must be from 2 to 1000, got 1");
        Assert.False(Directory.Exists(outDir));
    }

    // An empty path was ": file not found" (no flag named) and for --images an internal error (Path.GetFullPath("")).
    [Theory]
    [InlineData("rdx", "--images")]
    [InlineData("rdx", "--labels")]
    [InlineData("kmeans", "--texts")]
    [InlineData("kmeans", "--ids")]
    [InlineData("kmeans", "--ids-a")]
    [InlineData("kmeans", "--ids-b")]
    [InlineData("kmeans", "--metadata")]
    [InlineData("rdx", "--guide-labels")]
    [InlineData("spec", "--omega-a")]
    public void AnEmptyPathNamesItsFlag(string method, string flag)
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        foreach (var empty in new[] { "", " " })
        {
            Run(method, a, b, flag, empty, "--out", outDir).AssertBadInput($"{flag}: is empty; name a file");
            Assert.False(Directory.Exists(outDir));
        }
    }

    // The bad-input sweep of the forty-first session: an empty input argument read as a file named "", so the line named
    // no argument (": unsupported file type ''", ": file not found").
    [Fact]
    public void AnEmptyInputArgumentIsNamed()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        foreach (var empty in new[] { "", " " })
        {
            Run("rdx", empty, b, "--out", outDir).AssertBadInput("A: is empty; name a file");
            Run("spec", a, empty, "--out", outDir).AssertBadInput("B: is empty; name a file");
            Run("finc", empty, a, "--out", outDir).AssertBadInput("TEST: is empty; name a file");
            Run("inspect", empty).AssertBadInput("FILE: is empty; name a file");
            Run("export", empty).AssertBadInput("RESULTS: is empty; name a file");
            Assert.False(Directory.Exists(outDir));
        }
    }

    // Sixty distinct guide labels put every pair across labels: rdx ran and gave concepts of strength 1 (helper 77).
    [Fact]
    public void GuideLabelsThatNoTwoSamplesShareAreRefused()
    {
        var (a, b, _) = SmallPair(dir);
        string guide = Path.Combine(dir, "guide.txt"), outDir = Path.Combine(dir, "out");
        File.WriteAllLines(guide, Enumerable.Range(0, 60).Select(i => $"g{i}"));
        Run("rdx", a, b, "--guide-labels", guide, "--out", outDir).AssertBadInput(
            $"--guide-labels {guide}: every sample has a label of its own, so no two share one and no difference within a label is left to explain; give labels that groups of samples share");
        Assert.False(Directory.Exists(outDir));
    }

    /// <summary>.NET's seeded generator draws for −s what it draws for s: --seed -3 repeated --seed 3's subsample (helper 86).</summary>
    [Theory]
    [InlineData("rdx", "--seed: must be from 0 to")]
    [InlineData("compare", "--seed: must be from 0 to 2147483646, got -3")]
    [InlineData("metrics", "--seed: must be from 0 to")]
    public void ANegativeSeedIsRefused(string command, string message)
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Run(command, a, b, "--seed", "-3", "--out", outDir).AssertBadInput(message);
        Assert.False(Directory.Exists(outDir));
        // int.MaxValue: SPEC's B frequencies (seed + 1) would wrap to int.MinValue, which draws A's (helper 89).
        Run(command, a, b, "--seed", "2147483647", "--out", outDir).AssertBadInput("--seed: ");
    }

    // The cosine kernel has no bandwidth: a --sigma-a given with it used to be dropped without a word.
    [Theory]
    [InlineData("spec", "--sigma-a")]
    [InlineData("spec", "--sigma-b")]
    [InlineData("koda", "--sigma-a")]
    [InlineData("koda", "--sigma-b")]
    public void ABandwidthForTheCosineKernelIsRefused(string method, string flag)
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Run(method, a, b, "--kernel", "cosine", flag, "1", "--out", outDir).AssertBadInput($"{flag}: is a bandwidth of the Gaussian kernel; the cosine kernel has none");
        Assert.False(Directory.Exists(outDir));
    }

    // A flag naming part of an input that is not there was ignored without a word (exit 0, the flag unused).
    [Theory]
    [InlineData("--text-field", "text", "--text-field text: names the field of a --texts JSONL file, but no --texts was given")]
    [InlineData("--metadata-id-column", "id", "--metadata-id-column id: names a column of the --metadata file, but no --metadata was given")]
    [InlineData("--id-column", "id", "--id-column id: a.npy and b.npy have no named columns")]
    public void AFlagForAnAbsentPartOfTheInputsIsRefused(string flag, string value, string message)
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Run("kmeans", a, b, flag, value, "--out", outDir).AssertBadInput(message);
        Assert.False(Directory.Exists(outDir));
    }

    // compare's --batch-size and --threads set how --model-a/-b embed: with embeddings given they were ignored, --threads 0 too.
    [Theory]
    [InlineData("--threads", "0", "--threads 0: sets how --model-a/--model-b embed, but the embeddings A and B were given")]
    [InlineData("--batch-size", "7", "--batch-size 7: sets how --model-a/--model-b embed")]
    public void AModelFlagWithoutModelsIsRefused(string flag, string value, string message)
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Run("compare", a, b, flag, value, "--methods", "pca", "--out", outDir).AssertBadInput(message);
        Assert.False(Directory.Exists(outDir));
    }

    // compare --link-images references image files; without --images, or with a .npy of pixel arrays, it was ignored.
    [Fact]
    public void LinkImagesWithoutImageFilesIsRefused()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Run("compare", a, b, "--link-images", "--methods", "pca", "--out", outDir)
            .AssertBadInput("--link-images: references the image files of --images, but no --images was given");
        string pixels = Path.Combine(dir, "pixels.npy");
        // Not yet written: a missing file is said to be missing, not to hold pixel arrays.
        Run("compare", a, b, "--images", pixels, "--link-images", "--methods", "pca", "--out", outDir)
            .AssertBadInput($"--images {pixels}: file not found");
        Npy.Write(pixels, new float[60 * 4 * 4], 60, 4, 4);
        Run("compare", a, b, "--images", pixels, "--link-images", "--methods", "pca", "--out", outDir)
            .AssertBadInput("--link-images: pixels.npy holds pixel arrays, not image files to reference");
        Assert.False(Directory.Exists(outDir));
    }

    // The exact route reads no random-feature options: spec --route exact --rff-dim 5 recorded 5 in results.json and ran
    // with none. Refused whether the route was asked for or chosen by --route auto for a small n, and also when given at
    // the option's default value (--rff-dim 3000 asks for frequencies as much as 5 does); the rff route takes them.
    [Theory]
    [InlineData("spec", new[] { "--route", "exact", "--rff-dim", "3000" }, "--rff-dim: is an option of --route rff; this run takes the exact route")]
    [InlineData("spec", new[] { "--batch-rows", "4096" }, "--batch-rows: is an option of --route rff; this run takes the exact route")]
    [InlineData("spec", new[] { "--covariance-ridge", "0" }, "--covariance-ridge: is an option of --route rff; this run takes the exact route")]
    [InlineData("koda", new[] { "--batch-rows", "4096" }, "--batch-rows: is an option of --route features (the cosine kernel's; --route auto takes it above 1,500 samples); this run takes the exact route")]
    [InlineData("finc", new[] { "--rff-dim", "3000" }, "--rff-dim: is an option of --route rff; this run takes the exact route (--route auto does up to 3,000 samples)")]
    [InlineData("spec", new[] { "--route", "exact", "--rff-dim", "5" }, "--rff-dim: is an option of --route rff; this run takes the exact route (--route auto does up to 5,000 samples), which does not read it")]
    [InlineData("spec", new[] { "--rff-dim", "5" }, "--rff-dim: is an option of --route rff; this run takes the exact route (--route auto does up to 5,000 samples)")]
    [InlineData("spec", new[] { "--route", "exact", "--batch-rows", "10" }, "--batch-rows: is an option of --route rff; this run takes the exact route")]
    [InlineData("spec", new[] { "--covariance-ridge", "1e-7" }, "--covariance-ridge: is an option of --route rff; this run takes the exact route")]
    [InlineData("spec", new[] { "--kernel", "cosine", "--batch-rows", "10" }, "--batch-rows: is an option of --route features; this run takes the exact route")]
    [InlineData("spec", new[] { "--kernel", "cosine", "--rff-dim", "5" }, "--rff-dim: random Fourier features belong to the Gaussian kernel")]
    [InlineData("finc", new[] { "--route", "exact", "--rff-dim", "5" }, "--rff-dim: is an option of --route rff; this run takes the exact route (--route auto does up to 3,000 samples)")]
    [InlineData("finc", new[] { "--batch-rows", "10" }, "--batch-rows: is an option of --route rff; this run takes the exact route (--route auto does up to 3,000 samples)")]
    public void AFeatureRouteOptionOnTheExactRouteIsRefused(string method, string[] options, string message)
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        if (method == "finc") b = a;  // FINC: two sets of one representation
        Run([method, a, b, .. options, "--out", outDir]).AssertBadInput(message);
        Assert.False(Directory.Exists(outDir));
    }

    // rdx a.npy a.npy listed five "concepts" per direction, each no better than random groups: one file as A and B is a
    // mistake, refused also through another path to it; metrics still compares it with itself (CKA 1).
    [Theory]
    [InlineData("rdx")]
    [InlineData("spec")]
    [InlineData("compare")]
    public void OneFileAsBothAAndBIsRefused(string command)
    {
        var (a, _, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Run(command, a, Path.Combine(dir, ".", "a.npy"), "--out", outDir).AssertBadInput("a.npy is both A and B, so there is no difference to explain");
        Assert.False(Directory.Exists(outDir));
        Assert.Equal(0, Run("metrics", a, a).Code);
    }

    // Two files with the same values (a copy, one model embedded twice; here also a CSV of the .npy's numbers, and a copy
    // whose rows are shuffled and joined back by id) ran every method and listed concepts no better than random groups.
    [Theory]
    [InlineData("rdx")]
    [InlineData("kmeans")]
    [InlineData("compare")]
    public void TwoFilesHoldingTheSameValuesAreRefused(string command)
    {
        var (a, b, _) = SmallPair(dir);
        var values = Npy.ReadMatrix(a);
        string copy = Path.Combine(dir, "copy.npy"), csv = Path.Combine(dir, "copy.csv"), outDir = Path.Combine(dir, "out");
        File.Copy(a, copy);
        File.WriteAllLines(csv, Enumerable.Range(0, values.Rows).Select(i =>
            string.Join(",", Enumerable.Range(0, values.Cols).Select(j => values[i, j].ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));
        Run(command, a, copy, "--out", outDir).AssertBadInput("a.npy and copy.npy hold the same values in every row, so there is no difference to explain");
        Run(command, a, csv, "--out", outDir).AssertBadInput("a.npy and copy.csv hold the same values in every row");
        var order = Enumerable.Range(0, values.Rows).Reverse().ToArray();
        string shuffled = Path.Combine(dir, "shuffled.npy"), idsA = Path.Combine(dir, "ids_a.txt"), idsB = Path.Combine(dir, "ids_b.txt");
        Npy.Write(shuffled, values.SelectRows(order));
        File.WriteAllLines(idsA, Enumerable.Range(0, values.Rows).Select(i => $"s{i}"));
        File.WriteAllLines(idsB, order.Select(i => $"s{i}"));
        Run(command, a, shuffled, "--ids-a", idsA, "--ids-b", idsB, "--out", outDir).AssertBadInput("a.npy and shuffled.npy hold the same values for every id");
        Assert.False(Directory.Exists(outDir));
        // One value apart is a difference; metrics still compares a copy.
        values[values.Rows - 1, 0] += 1;
        Npy.Write(copy, values);
        Assert.Equal(0, Run(command, a, copy, "--out", outDir).Code);
        Assert.Equal(0, Run("metrics", a, csv).Code);
    }

    // Each RDX difference reads only its own setting: rdx --difference standard --gamma 5 recorded gamma 5 (and without
    // --gamma the resolved 80/n) in results.json, and --normalize-difference was recorded true for the locally-biased one.
    [Theory]
    [InlineData(new[] { "--difference", "standard", "--normalize-difference", "--gamma", "5" }, "--gamma: scales the locally-biased difference; --difference standard does not read it")]
    [InlineData(new[] { "--normalize-difference" }, "--normalize-difference: applies to --difference standard")]
    public void AnRdxOptionOfTheOtherDifferenceIsRefused(string[] options, string message)
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Run(["rdx", a, b, .. options, "--out", outDir]).AssertBadInput(message);
        Assert.False(Directory.Exists(outDir));

        var outcome = Run("rdx", a, b, "--difference", "standard", "--normalize-difference", "--concepts", "2", "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var parameters = Explanation.FromJson(File.ReadAllText(Path.Combine(outDir, "results.json"))).Parameters;
        Assert.False(parameters.ContainsKey("gamma"));
        Assert.True(parameters["normalize_difference"]!.GetValue<bool>());
    }

    // Frequency files make a bandwidth and, when they give every representation's, the frequency count moot:
    // finc --omega F --rff-dim 77 ran F's 16 frequencies and recorded rff_dim 77 in results.json; --sigma was dropped.
    [Theory]
    [InlineData("finc", new[] { "--rff-dim", "77" }, "--rff-dim: is not read when --omega gives the frequencies")]
    [InlineData("finc", new[] { "--sigma", "3" }, "--sigma: is not read when --omega gives the frequencies")]
    [InlineData("spec", new[] { "--rff-dim", "77" }, "--rff-dim: is not read when --omega-a and --omega-b give the frequencies")]
    [InlineData("spec", new[] { "--sigma-b", "3" }, "--sigma-b: is not read when --omega-b gives the frequencies")]
    public void AnOptionTheFrequencyFilesMakeMootIsRefused(string method, string[] options, string message)
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        string[] files = method == "finc" ? ["--omega", FrequencyFile(a, 16)] : ["--omega-a", FrequencyFile(a, 16), "--omega-b", FrequencyFile(b, 16)];
        if (method == "finc") b = a;
        Run([method, a, b, .. files, .. options, "--concepts", "2", "--out", outDir]).AssertBadInput(message);
        Assert.False(Directory.Exists(outDir));

        // Without the moot option the files run, and results.json records the frequencies they hold.
        var outcome = Run([method, a, b, .. files, "--concepts", "2", "--out", outDir]);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var metrics = Explanation.FromJson(File.ReadAllText(Path.Combine(outDir, "results.json"))).Metrics;
        Assert.Equal(16, metrics[method == "finc" ? "rff_dim" : "rff_dim_b"]!.GetValue<int>());
    }

    /// <summary>An omega file of r seeded frequencies for the rows of the .npy at path, as an earlier run writes it.</summary>
    private static string FrequencyFile(string path, int r) =>
        TestData.SaveTemp(RepDiff.Numerics.RandomFourierFeatures.Sample(Npy.ReadMatrix(path).Cols, r, 5, 1).Omega, $"omega_{Path.GetFileNameWithoutExtension(path)}.npy");

    /// <summary>
    /// All-zero frequencies make every Fourier feature constant, so any two sets have the same kernel; FINC had accepted them
    /// and reported its round-off as a mode each way (review 174). Refused as huge and infinite ones are, naming the file.
    /// </summary>
    [Theory]
    [InlineData("finc", "--omega")]
    [InlineData("spec", "--omega-a")]
    public void AllZeroFrequenciesAreRefused(string method, string flag)
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        string zeros = TestData.SaveTemp(new Matrix(Npy.ReadMatrix(a).Cols, 25), "omega_zero.npy");
        if (method == "finc") b = a;
        var outcome = Run(method, a, b, flag, zeros, "--concepts", "2", "--out", outDir);
        outcome.AssertBadInput("omega_zero.npy: frequency matrix is all zeros, so every Fourier feature is constant");
        Assert.Contains($"error: {flag} {zeros}: ", outcome.Stderr);
        Assert.False(Directory.Exists(outDir));
    }

    // Only A's frequencies from a file: --rff-dim still draws B's, and --sigma-a alone is the moot one.
    [Fact]
    public void OneFrequencyFileLeavesTheOtherSidesOptions()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        string frequencies = FrequencyFile(a, 16);
        Run("spec", a, b, "--omega-a", frequencies, "--sigma-a", "3", "--out", outDir).AssertBadInput("--sigma-a: is not read when --omega-a gives the frequencies");
        var outcome = Run("spec", a, b, "--omega-a", frequencies, "--rff-dim", "8", "--sigma-b", "3", "--concepts", "2", "--out", outDir);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var metrics = Explanation.FromJson(File.ReadAllText(Path.Combine(outDir, "results.json"))).Metrics;
        Assert.Equal(16, metrics["rff_dim_a"]!.GetValue<int>());
        Assert.Equal(8, metrics["rff_dim_b"]!.GetValue<int>());
    }

    // results.json's parameters name only what the run read: the exact route recorded rff_dim 3000, batch_rows 4096 and
    // covariance_ridge 0 (defaults it never used), and frequency files for both sides an rff_dim their own counts overrode;
    // likewise a bandwidth beside the cosine kernel, the other RDX difference's setting, the null cluster of pagerank.
    [Theory]
    [InlineData("spec", new string[0], new[] { "rff_dim", "omega_a", "omega_b", "covariance_ridge", "batch_rows" })]
    [InlineData("finc", new string[0], new[] { "rff_dim", "omega", "batch_rows" })]
    [InlineData("spec", new[] { "--route", "rff", "--omega-a", "FA", "--omega-b", "FB" }, new[] { "rff_dim", "sigma_a", "sigma_b" })]
    [InlineData("spec", new[] { "--kernel", "cosine" }, new[] { "sigma_a", "sigma_b", "rff_dim", "omega_a", "omega_b" })]
    [InlineData("koda", new[] { "--kernel", "cosine" }, new[] { "sigma_a", "sigma_b" })]
    [InlineData("rdx", new string[0], new[] { "normalize_difference" })]
    [InlineData("rdx", new[] { "--difference", "standard", "--normalize-difference" }, new[] { "gamma" })]
    [InlineData("rdx", new[] { "--clustering", "pagerank" }, new[] { "null_cluster", "normalize_difference" })]
    public void ParametersLeaveOutWhatTheRunDidNotRead(string method, string[] options, string[] unread)
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        if (method == "finc") b = a;
        var given = options.Select(o => o == "FA" ? FrequencyFile(a, 16) : o == "FB" ? FrequencyFile(b, 16) : o).ToArray();
        var outcome = Run([method, a, b, .. given, "--concepts", "2", "--out", outDir]);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var parameters = Explanation.FromJson(File.ReadAllText(Path.Combine(outDir, "results.json"))).Parameters;
        foreach (string key in unread) Assert.False(parameters.ContainsKey(key), key);
        Assert.True(parameters.ContainsKey("seed") && parameters.ContainsKey("concepts"));
    }

    [Theory]
    [InlineData("spec", new[] { "--rff-dim", "5", "--batch-rows", "10", "--covariance-ridge", "1e-7" })]
    [InlineData("finc", new[] { "--rff-dim", "5", "--batch-rows", "10" })]
    public void TheRffRouteTakesItsOptions(string method, string[] options)
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        if (method == "finc") b = a;
        var outcome = Run([method, a, b, "--route", "rff", .. options, "--concepts", "2", "--out", outDir]);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        Assert.Equal(5, Explanation.FromJson(File.ReadAllText(Path.Combine(outDir, "results.json"))).Parameters["rff_dim"]!.GetValue<int>());
    }

    // "--concepts: 6 clusters … but there are 2" left a user with 60 rows to guess that --max-samples made the 2.
    [Fact]
    public void TooFewSamplesAfterMaxSamplesSaysSo()
    {
        var (a, b, _) = SmallPair(dir);
        Run("rdx", a, b, "--max-samples", "2", "--out", Path.Combine(dir, "out"))
            .AssertBadInput("--concepts: 6 clusters (5 plus the null cluster) need at least as many samples, but there are 2 (--max-samples 2 of 60)");
    }

    // evaluate --out A.npy wrote the results over the embeddings, and export --out RESULTS over the results it read.
    [Fact]
    public void AnOutputFileThatIsAnInputIsRefusedAndTheInputKept()
    {
        var (a, b, labels) = SmallPair(dir);
        string results = Path.Combine(dir, "k", "results.json");
        Assert.Equal(0, Run("kmeans", a, b, "--out", Path.Combine(dir, "k")).Code);
        string hardLink = Path.Combine(dir, "linked.npy");
        Assert.Equal(0, Link(a, hardLink));
        var inputs = new[] { a, results, labels }.ToDictionary(p => p, File.ReadAllBytes);
        Run("evaluate", results, a, b, "--out", a).AssertBadInput($"--out {a}: is the input {a}");
        Run("evaluate", results, a, b, "--out", hardLink).AssertBadInput("is the input");
        Run("export", results, "--out", results).AssertBadInput($"--out {results}: is the input {results}");
        Run("export", results, "--labels", labels, "--out", labels).AssertBadInput($"--out {labels}: is the input {labels}");
        foreach (var (path, bytes) in inputs) Assert.Equal(bytes, File.ReadAllBytes(path));
        // Rewriting RESULTS_JSON is evaluate's own default, so naming it is no error.
        Assert.Equal(0, Run("evaluate", results, a, b, "--out", results).Code);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string existing,
        [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string created);

    /// <summary>A word after a switch was "Unrecognized command or argument 'yes'", as if it stood alone.</summary>
    [Theory]
    [InlineData("rdx", "--null-cluster")]
    [InlineData("embed", "--normalize")]
    public void AValueGivenToASwitchNamesTheSwitch(string command, string flag)
    {
        var (a, b, _) = SmallPair(dir);
        string[] args = command == "embed" ? ["embed", "resnet18", "--images", dir, flag, "yes", "--out", Path.Combine(dir, "e.npy")] : [command, a, b, flag, "yes", "--out", Path.Combine(dir, "out")];
        Run(args).AssertBadInput($"{flag}: 'yes' is not a value it takes; it is a switch, on when given alone ({flag} true or {flag} false also work)");
    }
}
