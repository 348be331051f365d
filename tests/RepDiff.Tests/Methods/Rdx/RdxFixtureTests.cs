using RepDiff.Reporting;
using RepDiff.Methods.Rdx;
using RepDiff.Metrics;

namespace RepDiff.Tests.Methods.Rdx;

/// <summary>Agreement with the authors' RDX on the fixtures (reference_outputs.json, k = 3, gamma = 0.1, beta = 5).</summary>
public class RdxFixtureTests
{
    private static readonly RdxOptions ReferenceSettings = new() { Concepts = 3, Gamma = 0.1, Beta = 5, GridSize = 9 };

    internal static RepresentationPair Pair(string name) =>
        new(TestData.LoadFixture($"{name}_a.npy"), TestData.LoadFixture($"{name}_b.npy"));

    private static readonly Dictionary<string, Explanation> cache = [];

    private static Explanation Run(string pair)
    {
        lock (cache)
        {
            if (cache.TryGetValue(pair, out var e)) return e;
            var input = Pair(pair);
            cache[pair] = e = new RdxMethod().Run(input, ReferenceSettings);
            ExplanationScoring.Score(e, input);
            return e;
        }
    }

    public static TheoryData<string, string> Cases => new()
    {
        { "planted", DirectionNames.MoreSimilarInA },
        { "planted", DirectionNames.MoreSimilarInB },
        { "digits_m49", DirectionNames.MoreSimilarInA },
        { "digits_m49", DirectionNames.MoreSimilarInB },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void LabelsAgreeWithReference(string pair, string direction)
    {
        var reference = TestData.Ints(TestData.Reference[pair]!["rdx"]![direction]!["labels"]!);
        var labels = Run(pair).GetDirection(direction).Labels!;
        double ari = ClusterAgreement.AdjustedRandIndex(labels, reference);
        Assert.True(ari >= 0.9, $"ARI {ari:F4}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BsrOfReferenceGridsIsExact(string pair, string direction)
    {
        var node = TestData.Reference[pair]!["rdx"]![direction]!;
        var grids = node["grids"]!.AsArray().Select(g => TestData.Ints(g!)).ToArray();
        var p = Pair(pair);
        bool explainsA = direction == DirectionNames.MoreSimilarInA;
        double bsr = Bsr.Score(explainsA ? p.A : p.B, explainsA ? p.B : p.A, grids, BsrDistance.Silb);
        Assert.Equal(node["bsr_silb"]!.GetValue<double>(), bsr, 12);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BsrOfOwnGridsIsCloseToReference(string pair, string direction)
    {
        double reference = TestData.Reference[pair]!["rdx"]![direction]!["bsr_silb"]!.GetValue<double>();
        double ours = Run(pair).Metrics["bsr"]![direction]!.GetValue<double>();
        Assert.True(Math.Abs(ours - reference) <= 0.03, $"BSR {ours:F4} vs reference {reference:F4}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MeanAffinitiesAreCloseToReference(string pair, string direction)
    {
        var reference = TestData.Doubles(TestData.Reference[pair]!["rdx"]![direction]!["mean_affinity"]!);
        var ours = Run(pair).Metrics["mean_affinity"]![direction]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(reference.Length, ours.Length);
        for (int label = 0; label < reference.Length; label++)
            Assert.True(Math.Abs(ours[label] - reference[label]) <= 1e-3 * reference[label],
                $"label {label}: {ours[label]:F4} vs reference {reference[label]:F4}");
    }
}
