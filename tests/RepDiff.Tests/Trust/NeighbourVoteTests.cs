using RepDiff.Numerics;
using RepDiff.Trust;

namespace RepDiff.Tests.Trust;

/// <summary>
/// The neighbour vote that extends clustering concepts to held-out samples reads at most NeighbourVote.MaxVoters
/// discovery samples: all of them against every held-out sample made validating k-means quadratic (106 s at n = 128,000).
/// </summary>
public class NeighbourVoteTests
{
    private static Matrix Points(int rows, int seed)
    {
        var rng = new Random(seed);
        return new Matrix(rows, 3, Enumerable.Range(0, rows * 3).Select(_ => (float)rng.NextDouble()).ToArray());
    }

    /// <summary>The index of the discovery row nearest to row i of heldOut among the given candidates.</summary>
    private static int Nearest(Matrix heldOut, int i, Matrix discovery, IEnumerable<int> candidates) =>
        candidates.MinBy(j => Enumerable.Range(0, 3).Sum(c => Math.Pow(heldOut[i, c] - discovery[j, c], 2)));

    [Fact]
    public void AboveTheCapOnlyASeededSubsampleOfDiscoverySamplesVotes()
    {
        var heldOut = Points(200, 1);
        var discovery = Points(1000, 2);
        var vote = new NeighbourVote(heldOut, discovery, k: 1, seed: 5, maxVoters: 100);
        var voters = Sampling.Uniform(1000, 100, 5);
        // With one neighbour, a held-out sample joins the concept of the voter nearest to it: every one joins the voters'.
        Assert.Equal(Enumerable.Range(0, 200), vote.Members(voters).Order());
        Assert.Empty(vote.Members(Enumerable.Range(0, 1000).Except(voters)));
        foreach (int i in new[] { 0, 57, 199 })
            Assert.Contains(i, vote.Members([Nearest(heldOut, i, discovery, voters)]));
    }

    [Fact]
    public void UpToTheCapEveryDiscoverySampleVotes()
    {
        var heldOut = Points(50, 3);
        var discovery = Points(300, 4);
        var vote = new NeighbourVote(heldOut, discovery, k: 1, seed: 5, maxVoters: 300);
        foreach (int i in Enumerable.Range(0, 50))
            Assert.Contains(i, vote.Members([Nearest(heldOut, i, discovery, Enumerable.Range(0, 300))]));
        Assert.True(NeighbourVote.MaxVoters >= 20_000, "the default keeps the exact vote for n up to 40,000");
    }
}
