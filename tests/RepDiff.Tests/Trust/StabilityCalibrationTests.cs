using RepDiff.Methods;
using RepDiff.Methods.Rdx;
using RepDiff.Methods.Spec;
using RepDiff.Trust;
using Xunit.Abstractions;

namespace RepDiff.Tests.Trust;

/// <summary>
/// The calibration of docs/methods/METHODS.md §7 for stability: the planted and known concepts come back in
/// resamples (≥ 0.8), the top concepts RDX finds on null pairs do not reach that.
/// </summary>
public class StabilityCalibrationTests(ITestOutputHelper output)
{
    private const int Resamples = 10;

    private Explanation Measured(IPairMethod method, MethodOptions options, RepresentationPair pair, int resamples = Resamples)
    {
        var e = method.Run(pair, options);
        Stability.Measure(method, pair, e, resamples);
        foreach (var d in e.Directions)
            output.WriteLine($"{method.Name} {d.Name}: " + string.Join(" ", d.Concepts.Select(c => $"#{c.Rank} {c.Members.Length} members {c.Stability:F2}")));
        return e;
    }

    /// <summary>Planted truth: A keeps group 2 together (B splits it); B puts groups 3 and 4 together (A separates them).</summary>
    public static TheoryData<string> PlantedMethods => new() { "rdx", "spec" };

    [Theory]
    [MemberData(nameof(PlantedMethods))]
    public void PlantedConceptsAreStable(string name)
    {
        // SPEC's members are each mode's top m scores: with m below a group's size (--members 50 of 120), which
        // part of the group makes the top changes between resamples, so the mode is found again but only about
        // three quarters of its members; with as many members as a planted group has, its stability is the mode's.
        var (method, options) = name == "rdx"
            ? ((IPairMethod)new RdxMethod(), (MethodOptions)new RdxOptions())
            : (new SpecMethod(), new SpecOptions { Members = 100 });
        var groups = StabilityFixtures.PlantedGroups();
        var e = Measured(method, options, StabilityFixtures.Planted());
        var keptTogether = StabilityFixtures.Matching(e, DirectionNames.MoreSimilarInA, groups, [2]);
        var merged = StabilityFixtures.Matching(e, DirectionNames.MoreSimilarInB, groups, [3, 4]);
        Assert.NotNull(keptTogether);
        Assert.NotNull(merged);
        Assert.True(keptTogether.Stability >= 0.8, $"group 2 in A: {keptTogether.Stability}");
        Assert.True(merged.Stability >= 0.8, $"groups 3 and 4 in B: {merged.Stability}");
    }

    /// <summary>
    /// The digits pair (first 1,000 samples): B's model was taught that 4 and 9 are one class. SPEC's strongest mode
    /// of B lies on 4s and 9s (its top 50 scores are 4s) and comes back in resamples. (RDX's 4-and-9 cluster in the
    /// authors' configuration, k = 3 and gamma = 0.1, does not: 0.50 on all 1,797 samples, as its 4s are split
    /// differently between a 4-and-9 and a 4-and-7 cluster from one resample to the next.)
    /// </summary>
    [Fact]
    public void DigitsFourNineModeIsStable()
    {
        var e = Measured(new SpecMethod(), new SpecOptions { Concepts = 3 }, StabilityFixtures.Digits(1000), resamples: 5);
        var labels = StabilityFixtures.DigitLabels();
        foreach (var c in e.GetDirection(DirectionNames.MoreSimilarInB).Concepts)
            output.WriteLine($"  #{c.Rank}: " + string.Join(", ", c.Members.GroupBy(i => labels[i]).OrderByDescending(g => g.Count()).Select(g => $"{g.Key}×{g.Count()}")));
        var top = e.GetDirection(DirectionNames.MoreSimilarInB).Concepts[0];
        Assert.Same(top, StabilityFixtures.Matching(e, DirectionNames.MoreSimilarInB, labels, [4, 9], each: false));
        Assert.True(top.Stability >= 0.8, $"4s and 9s in B: {top.Stability}");
    }

    public static TheoryData<int, int> NullPairs => new() { { 500, 1 }, { 500, 2 }, { 1000, 1 }, { 1000, 3 }, { 1500, 2 } };

    /// <summary>B = A·Q + 1% noise: RDX's strongest concept in each direction is not found again the way planted ones are (≥ 0.97 there).</summary>
    [Theory]
    [MemberData(nameof(NullPairs))]
    public void RdxTopConceptsOnNullPairsAreUnstable(int n, int seed)
    {
        var e = Measured(new RdxMethod(), new RdxOptions { Seed = seed }, StabilityFixtures.Null(n, seed));
        var top = e.Directions.Select(d => d.Concepts[0].Stability!.Value).ToArray();
        Assert.All(top, s => Assert.True(s < 0.8, $"top concept stability {s:F2} on a null pair"));
    }

    /// <summary>
    /// What the calibration of METHODS §7 asks in so many words: the top concepts RDX finds on null pairs are less
    /// stable than the planted concepts (0.99–1.00 there).
    /// </summary>
    [Fact]
    public void RdxTopConceptsOnNullPairsAreLessStableThanPlantedOnes()
    {
        var groups = StabilityFixtures.PlantedGroups();
        var planted = Measured(new RdxMethod(), new RdxOptions(), StabilityFixtures.Planted());
        double leastPlanted = Math.Min(StabilityFixtures.Matching(planted, DirectionNames.MoreSimilarInA, groups, [2])!.Stability!.Value,
            StabilityFixtures.Matching(planted, DirectionNames.MoreSimilarInB, groups, [3, 4])!.Stability!.Value);
        foreach (var (n, seed) in new[] { (500, 1), (1000, 3) })
        {
            var e = Measured(new RdxMethod(), new RdxOptions { Seed = seed }, StabilityFixtures.Null(n, seed));
            Assert.All(e.Directions, d => Assert.True(d.Concepts[0].Stability < leastPlanted,
                $"{d.Name}: top concept stability {d.Concepts[0].Stability:F2} on a null pair, planted {leastPlanted:F2}"));
        }
    }

    /// <summary>
    /// SPEC, where stability cannot do that (docs/methods/stability.md): on a null pair the per-sample noise of B and
    /// the bandwidth it widens are fixed properties of the samples, so the modes they cause, though tiny (SPEC-diff
    /// ≈ 9·10⁻⁴ against 0.09 on the planted fixture), come back in every row resample: the top modes are as stable as
    /// planted ones (0.89–0.95 against 0.76–0.96). Held-out validation is what tells them apart: none is confirmed.
    /// This test holds both facts, so a change that makes stability separate them must also change the docs.
    /// </summary>
    [Theory]
    [InlineData(500, 1)]
    [InlineData(500, 2)]
    [InlineData(1000, 1)]
    public void SpecTopModesOnNullPairsAreStableButNotConfirmedOnHeldOutSamples(int n, int seed)
    {
        var method = new SpecMethod();
        var options = new SpecOptions { Seed = seed };
        var pair = StabilityFixtures.Null(n, seed);
        var e = Measured(method, options, pair);
        HeldOutValidation.Run(method, options, pair, e);
        var top = e.Directions.Select(d => d.Concepts[0]).ToArray();
        output.WriteLine("top modes: " + string.Join("; ", top.Select(c => $"stability {c.Stability:F2} p {c.PValue:F3}")));
        Assert.All(top, c => Assert.True(c.Stability >= 0.8, $"stability {c.Stability:F2}: stability separates SPEC's null modes now; update docs/methods/stability.md"));
        // "Confirmed" is the Benjamini–Hochberg adjusted value ≤ 0.05; a single raw p below 0.05 happens to one null mode
        // in twenty by construction (the rate over many null concepts is HeldOutValidationTests' calibration).
        Assert.All(top, c => Assert.True(c.Confirmed == false, $"a null mode is confirmed: p = {c.PValue:F3}, adjusted {c.PAdjusted:F3}"));
    }
}
