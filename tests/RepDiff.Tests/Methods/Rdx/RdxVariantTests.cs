using RepDiff.Methods.Rdx;

namespace RepDiff.Tests.Methods.Rdx;

/// <summary>
/// Every variant finds the planted differences (fixtures.json): A keeps group 2 together while B
/// splits it (more_similar_in_a), B merges groups 3 and 4 that A separates (more_similar_in_b).
/// </summary>
public class RdxVariantTests
{
    private static readonly RdxOptions Base = new() { Concepts = 3, Gamma = 0.1 };

    internal static readonly int[] Groups = TestData.LoadFixture("planted_groups.npy").Data.Select(v => (int)v).ToArray();

    public static TheoryData<string> Variants => new()
    {
        "default", "max-normalized", "local-scaling", "standard", "standard-normalized", "pagerank", "eigencentrality",
        "centroid", "random", "no-null-cluster", "max-samples",
    };

    internal static RdxOptions Variant(string name) => name switch
    {
        "default" => Base,
        "max-normalized" => Base with { Distance = RdxDistance.MaxNormalized, Gamma = null },
        "local-scaling" => Base with { Distance = RdxDistance.LocalScaling, Gamma = null },
        "standard" => Base with { Difference = RdxDifference.Standard, Gamma = null, Beta = 0.01 },
        "standard-normalized" => Base with { Difference = RdxDifference.Standard, Gamma = null, NormalizeDifference = true },
        "pagerank" => Base with { Clustering = RdxClustering.PageRank },
        "eigencentrality" => Base with { Clustering = RdxClustering.EigenCentrality },
        "centroid" => Base with { Grid = RdxGrid.Centroid },
        "random" => Base with { Grid = RdxGrid.Random },
        "no-null-cluster" => Base with { NullCluster = false },
        "max-samples" => Base with { MaxSamples = 400 },
        "align" => Base with { Align = true },
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void TopConceptOfEachDirectionIsThePlantedGroup(string variant)
    {
        var options = Variant(variant);
        var e = new RdxMethod().Run(RdxFixtureTests.Pair("planted"), options);
        var inA = e.GetDirection(DirectionNames.MoreSimilarInA);
        if (options.Clustering == RdxClustering.Spectral)
            AssertTopConcept(inA, g => g == 2);
        else
        {
            // Centrality concepts are single neighbourhoods of g samples. Besides group 2, A also keeps
            // group 3 apart from group 4 (B merges them), so a neighbourhood inside group 3 or group 4 alone
            // is a true more_similar_in_a difference too: the concept must lie inside one of these groups.
            int group = Groups[inA.Concepts[0].Grid[0]];
            Assert.Contains(group, new[] { 2, 3, 4 });
            AssertTopConcept(inA, g => g == group);
        }
        AssertTopConcept(e.GetDirection(DirectionNames.MoreSimilarInB), g => g == 3 || g == 4);
    }

    /// <summary>
    /// Local scaling with a sample that has 7 or more exact copies in both models: its scale s_i (distance to the 7th
    /// neighbour) is 0, and D²/(s_i s_j) was infinite in both, NaN in the difference, an internal error (helper 61, on
    /// 60 samples). The copies take the smallest positive scale, and every value stays finite.
    /// </summary>
    [Theory]
    [InlineData(RdxClustering.Spectral)]
    [InlineData(RdxClustering.PageRank)]
    public void LocalScalingWithManyCopiesOfOneSampleStaysFinite(RdxClustering clustering)
    {
        // Small whole numbers, so the copies' distances are exactly 0 (GEMM rounding would otherwise leave them ~1e-7).
        var rng = new Random(3);
        Matrix Model()
        {
            var m = new Matrix(60, 8);
            for (int k = 0; k < m.Data.Length; k++) m.Data[k] = rng.Next(-3, 4);
            // Samples 1–7 are copies of sample 0: 8 equal rows.
            for (int i = 1; i <= 7; i++) m.Data.AsSpan(0, 8).CopyTo(m.Data.AsSpan(i * 8, 8));
            return m;
        }
        var (a, b) = (Model(), Model());
        var e = new RdxMethod().Run(new RepresentationPair(a, b), Variant("local-scaling") with { Clustering = clustering });
        string json = e.ToJson();
        Assert.DoesNotContain("NaN", json);
        Assert.DoesNotContain("Infinity", json);
        Assert.All(e.Directions, d => Assert.NotEmpty(d.Concepts));
    }

    /// <summary>
    /// --normalize-difference divides the standard difference by its largest magnitude whichever sign holds it: it read
    /// the largest-magnitude entry with its sign and skipped a negative one, so with B and A swapped the differences
    /// stayed ranks (up to 599 here) and the default beta was refused as overflowing, though the option was on.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NormalizedStandardDifferenceIsWithinOneWhicheverSignIsLargest(bool swapped)
    {
        var pair = RdxFixtureTests.Pair("planted");
        if (swapped) pair = new RepresentationPair(pair.B, pair.A);
        var e = new RdxMethod().Run(pair, Variant("standard-normalized"));
        foreach (var direction in e.Directions)
        {
            var values = direction.Heatmap!.Values;
            Assert.True(values.Max(Math.Abs) <= 1f, $"{direction.Name}: a difference of {values.Max(Math.Abs)} after normalizing");
            Assert.True(values.Max(Math.Abs) > 0.05f, $"{direction.Name}: every shown difference is near 0");
        }
    }

    private static void AssertTopConcept(Direction direction, Func<int, bool> planted)
    {
        var top = direction.Concepts.Single(c => c.Rank == 1);
        double gridShare = top.Grid.Count(i => planted(Groups[i])) / (double)top.Grid.Length;
        double memberShare = top.Members.Count(i => planted(Groups[i])) / (double)top.Members.Length;
        Assert.True(gridShare >= 0.9 && memberShare >= 0.8,
            $"{direction.Name}: {gridShare:P0} of the grid and {memberShare:P0} of {top.Members.Length} members in the planted group; groups of the grid: {string.Join(",", top.Grid.Select(i => Groups[i]))}");
    }
}
