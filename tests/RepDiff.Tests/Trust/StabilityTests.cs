using RepDiff.Methods;
using RepDiff.Methods.Baselines;
using RepDiff.Methods.Finc;
using RepDiff.Methods.Rdx;
using RepDiff.Methods.Spec;
using RepDiff.Numerics;
using RepDiff.Options;
using RepDiff.Trust;

namespace RepDiff.Tests.Trust;

/// <summary>What stability must be whatever the data: reproducible, 1 on the full set, and the same with or without reuse.</summary>
public class StabilityTests
{
    [Theory]
    [InlineData(0.3969, 0.39)] // below the 0.4 its words use: never shown as 0.40
    [InlineData(0.749, 0.74)]  // below FoundAgain
    [InlineData(0.29, 0.29)]   // whose double is 0.28999…
    [InlineData(1.0, 1.0)]
    public void StabilityIsShownCutToTwoDecimals(double stability, double shown) => Assert.Equal(shown, Stability.Shown(stability));

    public static TheoryData<string> Methods => new() { "rdx", "spec", "kmeans" };

    private static IPairMethod Method(string name) => (IPairMethod)MethodRegistry.Default.Find(name)!;

    private static double?[] Stabilities(Explanation e) => e.Directions.SelectMany(d => d.Concepts.Select(c => c.Stability)).ToArray();

    [Theory]
    [MemberData(nameof(Methods))]
    public void SameSeedSameNumbers(string name)
    {
        var method = Method(name);
        double?[] Once()
        {
            var pair = StabilityFixtures.Planted();
            var e = method.Run(pair, method.DefaultOptions() with { Seed = 3 });
            Stability.Measure(method, pair, e, 3);
            return Stabilities(e);
        }
        var first = Once();
        Assert.All(first, s => Assert.InRange(s!.Value, 0, 1));
        Assert.Equal(first, Once());
    }

    // rdx --max-samples 300 --stability 4 on 600 rows read every concept as unstable (0.07–0.35): each rerun drew a
    // subsample of its own from every row. A run on a subsample explains those rows, and its stability is theirs: the
    // same as RDX's run on those rows given as the input.
    [Fact]
    public void ARunOnASubsampleIsResampledFromItsOwnRows()
    {
        var method = Method("rdx");
        var pair = StabilityFixtures.Planted();
        var capped = method.Run(pair, new RdxOptions { MaxSamples = 300, Seed = 2 });
        Stability.Measure(method, pair, capped, 3);
        var rows = capped.RowsUsed!;
        Assert.Equal(300, rows.Length);
        using var subsample = pair.SelectRows(rows);
        var direct = method.Run(subsample, new RdxOptions { Seed = 2 });
        Stability.Measure(method, subsample, direct, 3);
        Assert.Equal(Stabilities(direct), Stabilities(capped));
        Assert.Contains(Stabilities(capped), s => s > 0.5);
    }

    /// <summary>Resamples that keep every row rerun the method on its own input: a deterministic method finds every concept again.</summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void ResamplesOfTheFullSetGiveStabilityOne(string name)
    {
        var method = Method(name);
        var pair = StabilityFixtures.Planted();
        var e = method.Run(pair, method.DefaultOptions());
        Stability.Measure(method, pair, e, 2, fraction: 1);
        Assert.All(Stabilities(e), s => Assert.Equal(1.0, s!.Value, 12));
    }

    [Fact]
    public void FincResamplesOfTheFullSetsGiveStabilityOne()
    {
        var sets = new SampleSets(TestData.LoadFixture("finc_test.npy"), TestData.LoadFixture("finc_ref.npy"));
        var method = new FincMethod();
        var e = method.Run(sets, new FincOptions());
        Stability.Measure(method, sets, e, 2, fraction: 1);
        Assert.All(Stabilities(e), s => Assert.Equal(1.0, s!.Value, 12));
    }

    /// <summary>FINC resamples both sets; the group that exists only in TEST (4) is found again.</summary>
    [Fact]
    public void FincPlantedModeIsStable()
    {
        var sets = new SampleSets(TestData.LoadFixture("finc_test.npy"), TestData.LoadFixture("finc_ref.npy"));
        var groups = TestData.LoadFixture("finc_test_groups.npy").Data.Select(v => (int)v).ToArray();
        var method = new FincMethod();
        var e = method.Run(sets, new FincOptions());
        Stability.Measure(method, sets, e, 5);
        var onlyInTest = StabilityFixtures.Matching(e, DirectionNames.MoreFrequentInTest, groups, [4]);
        Assert.NotNull(onlyInTest);
        Assert.True(onlyInTest.Stability >= 0.8, $"group 4: {onlyInTest.Stability}");
    }

    /// <summary>Reruns that share the full run's ranks (RDX) or kernels (SPEC) find exactly what a fresh run on the subset finds.</summary>
    [Theory]
    [InlineData("rdx")]
    [InlineData("spec")]
    public void SharedRerunsMatchFreshRuns(string name)
    {
        var method = Method(name);
        var pair = StabilityFixtures.Planted();
        var options = method.Run(pair, method.DefaultOptions()).ResolvedOptions!;
        var rows = StabilityResamples.Draw(pair.N, 0, 5);
        var shared = ((ISubsetRerun)method).PrepareSubsetRuns(pair, options, null);
        Assert.NotNull(shared);
        var reused = shared(rows);
        var fresh = method.Run(pair.SelectRows(rows), options);
        foreach (var direction in fresh.Directions)
        {
            var again = reused.GetDirection(direction.Name);
            Assert.Equal(direction.Concepts.Count, again.Concepts.Count);
            for (int c = 0; c < direction.Concepts.Count; c++)
                Assert.Equal(direction.Concepts[c].Members.Order(), again.Concepts[c].Members.Order());
        }
    }

    /// <summary>
    /// A full run that stability will rerun keeps what the reruns restrict (RDX's neighbour orders, SPEC's exact kernel
    /// difference): the very arrays the reruns would compute again, handed over once, so stability gives the numbers it
    /// gives when they are recomputed and nothing stays held on the pair; a run no stability follows keeps nothing.
    /// </summary>
    [Theory]
    [InlineData("rdx")]
    [InlineData("spec")]
    public void KeptRerunInputsAreWhatRerunsRecompute(string name)
    {
        var method = Method(name);
        var trust = new TrustOptions { Stability = 3 };
        var pair = StabilityFixtures.Planted();
        Stability.Expect(method, pair, trust);
        var full = method.Run(pair, method.DefaultOptions());
        var inputs = pair.RerunInputs.Take<object>(name);
        if (name == "rdx")
        {
            var orders = Assert.IsType<RdxMethod.FullOrders>(inputs);
            Assert.Equal(DifferenceMatrix.NeighbourOrders(pair.A, null, null, "A"), orders.A);
            Assert.Equal(DifferenceMatrix.NeighbourOrders(pair.B, null, null, "B"), orders.B);
        }
        else
        {
            var o = (SpecOptions)full.ResolvedOptions!;
            var lambda = Assert.IsType<SpecMethod.KernelDifference>(inputs).Lambda;
            Assert.Equal(RepDiff.Spectral.ExactRoute.Operator(
                [new(pair.RowsA, o.Kernel, o.SigmaA, 1.0 / pair.N, "A"), new(pair.RowsB, o.Kernel, o.SigmaB, -o.Eta / pair.N, "B")], null), lambda);
        }

        var kept = StabilityFixtures.Planted();
        Stability.Expect(method, kept, trust);
        var withKept = method.Run(kept, method.DefaultOptions());
        var recomputed = StabilityFixtures.Planted();
        var fresh = method.Run(recomputed, method.DefaultOptions());
        Assert.Null(recomputed.RerunInputs.Take<object>(name));
        Stability.Measure(method, kept, withKept, trust);
        Stability.Measure(method, recomputed, fresh, trust);
        Assert.Equal(Stabilities(fresh), Stabilities(withKept));
        Assert.All(Stabilities(withKept), s => Assert.NotNull(s));
        Assert.Null(kept.RerunInputs.Take<object>(name));
    }

    /// <summary>
    /// --trust is --validate plus "--stability 4 unless --stability is given": given as 0 (off), it had run 4 resamples
    /// anyway (only a value above 0 counted as given); R given is R, and --trust alone is 4.
    /// </summary>
    [Theory]
    [InlineData(new[] { "--trust", "--stability", "0" }, 0)]
    [InlineData(new[] { "--trust", "--stability", "2" }, 2)]
    [InlineData(new[] { "--trust" }, TrustOptions.TrustResamples)]
    public void TrustRunsTheStabilityGivenEvenWhenItIsZero(string[] flags, int resamples)
    {
        string dir = TestData.TempDir();
        var (a, b, _) = Robustness.CliHarness.SmallPair(dir, 60);
        string outDir = Path.Combine(dir, "out");
        var outcome = Robustness.CliHarness.Run(["kmeans", a, b, .. flags, "--out", outDir]);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        var e = RepDiff.IO.ResultsFile.Read(Path.Combine(outDir, "results.json")).Explanations.Single();
        var concepts = e.Directions.SelectMany(d => d.Concepts).Where(c => c.Members.Length > 0).ToList();
        Assert.NotEmpty(concepts);
        Assert.All(concepts, c => Assert.NotNull(c.PValue));   // validated either way
        if (resamples == 0)
        {
            Assert.False(e.Metrics.ContainsKey("stability_resamples"));
            Assert.All(concepts, c => Assert.Null(c.Stability));
        }
        else
        {
            Assert.Equal(resamples, e.Metrics["stability_resamples"]!.GetValue<int>());
            Assert.All(concepts, c => Assert.NotNull(c.Stability));
        }
    }

    [Fact]
    public void StabilityIsWrittenToResultsJson()
    {
        var method = new RdxMethod();
        var pair = StabilityFixtures.Planted();
        var e = method.Run(pair, new RdxOptions());
        Stability.Measure(method, pair, e, 2);
        var read = Explanation.FromJson(e.ToJson());
        Assert.Equal(Stabilities(e), Stabilities(read));
        Assert.Contains("\"stability\":", e.ToJson());
    }

    /// <summary>
    /// A resample that keeps none of a concept's members says nothing about it: |∅ ∩ M'| / |∅ ∪ M'| read 0, "not found
    /// again", for an empty concept (k-means on a representation with fewer distinct rows than concepts) and for a
    /// one-member concept whose sample the resample left out. Such resamples are left out of the mean; a concept no
    /// resample kept a member of has no stability (null), not 0.
    /// </summary>
    [Fact]
    public void AResampleWithoutAnyOfAConceptsMembersDoesNotCount()
    {
        var method = new KMeansMethod();
        var pair = StabilityFixtures.Planted();
        var e = method.Run(pair, new KMeansOptions());
        int seed = e.ResolvedOptions!.Seed;
        var (rows0, rows1) = (StabilityResamples.Draw(pair.N, 0, seed), StabilityResamples.Draw(pair.N, 1, seed));
        var direction = e.Directions[0];
        var first = direction.Concepts[0];
        var droppedBy0 = first.Members.Except(rows0).ToArray();
        var onlyIn1 = droppedBy0.Intersect(rows1).ToArray();
        Assert.NotEmpty(onlyIn1);
        int rank = direction.Concepts.Count;
        var empty = new Concept { Rank = ++rank, Members = [] };
        var neverKept = new Concept { Rank = ++rank, Members = droppedBy0 };
        var keptBy1Only = new Concept { Rank = ++rank, Members = onlyIn1 };
        direction.Concepts.AddRange([empty, neverKept, keptBy1Only]);

        Stability.Measure(method, pair, e, 1);
        Assert.Null(empty.Stability);
        Assert.Null(neverKept.Stability);
        Assert.Null(keptBy1Only.Stability);
        Assert.Equal(1, first.Stability);

        // Over two resamples the first, which kept none of keptBy1Only, is left out: its stability is resample 1's overlap.
        Stability.Measure(method, pair, e, 2);
        Assert.Null(empty.Stability);
        var kept = new bool[pair.N];
        foreach (int i in rows1) kept[i] = true;
        var rerun = method.Run(pair.SelectRows(rows1), (KMeansOptions)e.ResolvedOptions);
        var candidates = rerun.Directions[0].Concepts.Select(c => c.Members.Select(p => rows1[p]).ToArray()).ToList();
        double overlap = StabilityScore.Best(keptBy1Only.Members, kept, candidates);
        Assert.True(overlap > 0);
        Assert.Equal(Math.Round(overlap, 4), keptBy1Only.Stability);
        Assert.Equal(1, first.Stability);
    }

    /// <summary>A guide-labels file of the planted groups, one line per sample of the full pair.</summary>
    private static string GuideFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"repdiff-guide-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, StabilityFixtures.PlantedGroups().Select(g => $"group{g}"));
        return path;
    }

    /// <summary>
    /// RDX's guide labels are read from a file with one line per sample of the input: a rerun on a subset reads the
    /// lines of its rows (it used to refuse the file, 600 labels for 480 samples, on every fresh rerun and on
    /// validation's discovery half), and finds what the shared rerun finds.
    /// </summary>
    [Fact]
    public void RdxGuideLabelsFollowTheRowsOfReruns()
    {
        string guide = GuideFile();
        try
        {
            IPairMethod method = new RdxMethod();
            var pair = StabilityFixtures.Planted();
            var options = method.Run(pair, new RdxOptions { GuideLabels = guide }).ResolvedOptions!;
            var rows = StabilityResamples.Draw(pair.N, 0, 5);
            var reused = ((ISubsetRerun)method).PrepareSubsetRuns(pair, options, null)!(rows);
            var fresh = method.Run(pair.SelectRows(rows), options);
            foreach (var direction in fresh.Directions)
                for (int c = 0; c < direction.Concepts.Count; c++)
                    Assert.Equal(direction.Concepts[c].Members.Order(), reused.GetDirection(direction.Name).Concepts[c].Members.Order());

            // Reruns that cannot share (max-normalized distances) and validation's discovery half run on row subsets too.
            var maxNormalized = new RdxOptions { GuideLabels = guide, Distance = RdxDistance.MaxNormalized };
            var e = method.Run(pair, maxNormalized);
            Stability.Measure(method, pair, e, 2);
            HeldOutValidation.Run(method, maxNormalized, pair, e);
            Assert.All(e.Directions.SelectMany(d => d.Concepts), c =>
            {
                Assert.InRange(c.Stability!.Value, 0, 1);
                Assert.NotNull(c.PValue);
            });
        }
        finally
        {
            File.Delete(guide);
        }
    }

    /// <summary>
    /// A baseline rerun on a selection of rows (stability, validation) finds the concepts a fresh pair of those rows
    /// gives, and leaves out what only the full run's report shows (silhouettes, agreement), most of a rerun's time.
    /// </summary>
    [Theory]
    [InlineData("kmeans")]
    [InlineData("pca")]
    [InlineData("nmf")]
    public void BaselineRerunsFindTheConceptsOfAFreshRunWithoutTheReportMetrics(string name)
    {
        var method = Method(name);
        var pair = StabilityFixtures.Planted();
        var options = method.DefaultOptions() with { Seed = 2 };
        var rows = StabilityResamples.Draw(pair.N, 0, 2);
        var rerun = method.Run(pair.SelectRows(rows), options);
        var fresh = method.Run(new RepresentationPair(pair.A.SelectRows(rows), pair.B.SelectRows(rows)), options);
        Assert.True(pair.SelectRows(rows).IsRerun);
        Assert.False(pair.IsRerun);
        Assert.Equal(fresh.Directions.Select(d => d.Name), rerun.Directions.Select(d => d.Name));
        for (int d = 0; d < fresh.Directions.Count; d++)
            Assert.Equal(fresh.Directions[d].Concepts.Select(c => c.Members), rerun.Directions[d].Concepts.Select(c => c.Members));
        Assert.NotNull(fresh.Metrics["silhouette"]);
        Assert.NotNull(fresh.Metrics["agreement_a_b"]);
        Assert.Null(rerun.Metrics["silhouette"]);
        Assert.Null(rerun.Metrics["agreement_a_b"]);
    }

    /// <summary>An option that fits the samples given but not a rerun's share of them is reported with that share.</summary>
    [Fact]
    public void AnOptionTooLargeForTheRerunsNamesTheirShareOfTheSamples()
    {
        var rng = Rng.Create(1);
        Matrix Random() => new(50, 4, Enumerable.Range(0, 200).Select(_ => (float)Rng.Normal(rng)).ToArray());
        var pair = new RepresentationPair(Random(), Random());
        var method = new KMeansMethod();
        var forStability = new KMeansOptions { Concepts = 45 };
        var stable = method.Run(pair, forStability);
        var error = Assert.Throws<InvalidOptionException>(() => Stability.Measure(method, pair, stable, 2));
        Assert.Equal("Concepts: 45 concepts need at least as many samples, but there are 40 (stability reruns the method on 40 of the 50 samples)", error.Message);

        var forValidation = new KMeansOptions { Concepts = 30 };
        var validated = method.Run(pair, forValidation);
        error = Assert.Throws<InvalidOptionException>(() => HeldOutValidation.Run(method, forValidation, pair, validated));
        Assert.Equal("Concepts: 30 concepts need at least as many samples, but there are 25 (held-out validation runs the method on 25 of the 50 samples)", error.Message);
    }
}
