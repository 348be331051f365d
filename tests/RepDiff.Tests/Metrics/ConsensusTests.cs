using RepDiff.Metrics;

namespace RepDiff.Tests.Metrics;

/// <summary>Jaccard overlap of concepts across methods, and each concept's closest concept in another method.</summary>
public class ConsensusTests
{
    private static Explanation Method(string name, params int[][] concepts) => new()
    {
        Method = name,
        N = 100,
        Directions =
        [
            new Direction
            {
                Name = DirectionNames.MoreSimilarInA,
                Concepts = concepts.Select((m, i) => new Concept { Rank = i + 1, Members = m }).ToList(),
            },
        ],
    };

    [Fact]
    public void JaccardTableAndClosestConcepts()
    {
        var rdx = Method("rdx", [5, 1, 2, 3, 4], [50, 51, 52]);
        var spec = Method("spec", [3, 4, 5, 6], [90]);
        var kmeans = Method("kmeans", [50, 51, 52, 53, 1]);
        var consensus = Consensus.Of([rdx, spec, kmeans]);
        Assert.Equal(["rdx more_similar_in_a #1", "rdx more_similar_in_a #2", "spec more_similar_in_a #1", "spec more_similar_in_a #2", "kmeans more_similar_in_a #1"],
            consensus.Concepts.Select(c => c.ToString()));
        // rdx #1 = {1..5}, spec #1 = {3..6}: 3 shared of 6.
        Assert.Equal(0.5, consensus.Jaccard[0][2]);
        Assert.Equal(3, consensus.Shared[2][0]);
        Assert.Equal(1.0 / 9, consensus.Jaccard[0][4]); // {1..5} and {50..53, 1}: 1 shared of 9
        Assert.Equal(3.0 / 5, consensus.Jaccard[1][4]);
        Assert.Equal(0, consensus.Jaccard[3][0]);
        Assert.Equal(1, consensus.Jaccard[3][3]);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) Assert.Equal(consensus.Jaccard[i][j], consensus.Jaccard[j][i]);

        Assert.Equal((2, 0.5), consensus.Closest(0));  // rdx #1 -> spec #1, not its own method's concepts
        Assert.Equal((4, 0.6), consensus.Closest(1));  // rdx #2 -> kmeans #1
        Assert.Null(consensus.Closest(3));             // spec #2 = {90} overlaps nothing
        Assert.Equal([(2, 0.5), (4, 1.0 / 9)], consensus.ClosestPerMethod(0));
        var json = consensus.ToJson();
        Assert.Equal(0.5, json["jaccard"]![0]![2]!.GetValue<double>());
        Assert.Equal(2, json["closest"]![0]!["index"]!.GetValue<int>());
        Assert.Null(json["closest"]![3]);
    }

    [Fact]
    public void MergeIntersectionAgreesWithSets()
    {
        var rng = new Random(3);
        for (int trial = 0; trial < 50; trial++)
        {
            var a = Enumerable.Range(0, rng.Next(0, 200)).Select(_ => rng.Next(1000)).Distinct().Order().ToArray();
            var b = Enumerable.Range(0, rng.Next(0, 200)).Select(_ => rng.Next(1000)).Distinct().Order().ToArray();
            Assert.Equal(a.Intersect(b).Count(), Consensus.IntersectionSize(a, b));
        }
    }
}
