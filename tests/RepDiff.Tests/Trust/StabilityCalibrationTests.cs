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
    /// The digits pair (all 1,797 samples, labels given as the CLI's --labels would): B's model was taught that 4 and 9
    /// are one class, and nothing else. Asked that question (one RDX concept per direction; SPEC modes of as many
    /// members as there are 4s and 9s, as the planted test gives a mode a planted group's size), each method finds a
    /// concept of B that is mostly 4s and 9s, found again in resamples (≥ 0.8) and confirmed on held-out samples
    /// (p &lt; 0.01): METHODS §7's calibration on a real pair. With more RDX concepts than there are differences, the 4s
    /// are split between clusters differently in each resample (k = 3, the authors' setting: 0.50–0.52; k = 2:
    /// 0.75–0.82), and stability says so: that partition is not a finding (docs/methods/stability.md).
    /// </summary>
    [Theory]
    [InlineData("rdx", 0)]
    [InlineData("rdx", 3)]
    [InlineData("spec", 0)]
    [InlineData("spec", 3)]
    public void DigitsFourNineConceptIsStableAndConfirmed(string name, int seed)
    {
        var labels = StabilityFixtures.DigitLabels();
        int foursAndNines = labels.Count(l => l is 4 or 9);
        var (method, options) = name == "rdx"
            ? ((IPairMethod)new RdxMethod(), (MethodOptions)new RdxOptions { Concepts = 1, Gamma = 0.1, Seed = seed })
            : (new SpecMethod(), new SpecOptions { Concepts = 3, Members = foursAndNines, Seed = seed });
        var digits = StabilityFixtures.Digits();
        using var pair = new RepresentationPair(digits.RowsA, digits.RowsB,
            new SampleInfo { Labels = new SampleLabels(labels.Select(l => l.ToString()).ToArray()) });
        var e = Measured(method, options, pair);
        HeldOutValidation.Run(method, options, pair, e);
        var concepts = e.GetDirection(DirectionNames.MoreSimilarInB).Concepts;
        foreach (var c in concepts)
            output.WriteLine($"  #{c.Rank} stability {c.Stability:F2} p {c.PValue:F3}: " + string.Join(", ",
                c.Members.GroupBy(i => labels[i]).OrderByDescending(g => g.Count()).Take(4).Select(g => $"{g.Key}×{g.Count()}")));
        var fourNine = StabilityFixtures.Matching(e, DirectionNames.MoreSimilarInB, labels, [4, 9]);
        Assert.NotNull(fourNine);
        Assert.Same(concepts[0], fourNine);
        Assert.True(fourNine.Stability >= 0.8, $"4s and 9s in B: stability {fourNine.Stability}");
        Assert.True(fourNine.PValue < 0.01, $"4s and 9s in B: p = {fourNine.PValue}");
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
