using RepDiff.Numerics;

namespace RepDiff.Trust;

/// <summary>
/// Extends a concept without a function of the input to held-out samples (docs/methods/METHODS.md §7): each
/// held-out sample looks at its k nearest discovery samples in the explained representation and joins the
/// concept when most of them are its members.
/// </summary>
internal sealed class NeighbourVote
{
    /// <summary>
    /// Most discovery samples that vote. Every held-out sample against every discovery sample is n²/4 distances, which
    /// made validating k-means (a linear method) quadratic: 0.9 s at n = 8,000, 106 s at 128,000. Above this the voters
    /// are a seeded uniform subsample, so the cost grows linearly; at most 2 × MaxVoters samples vote as before.
    /// </summary>
    public const int MaxVoters = 20_000;

    public const string Stage = "validation: neighbour votes";

    private readonly int[][] nearest;
    private readonly int k;

    /// <param name="heldOut">Rows of the held-out samples.</param>
    /// <param name="discovery">Rows of the discovery samples the method ran on, same representation.</param>
    /// <param name="seed">Seeds the voters' subsample when there are more than <paramref name="maxVoters"/>.</param>
    public NeighbourVote(Matrix heldOut, Matrix discovery, int k, int seed = 0, int maxVoters = MaxVoters, IProgress<ProgressUpdate>? progress = null)
    {
        // Indices into discovery of the samples that vote (all of them up to maxVoters).
        var voters = Sampling.Uniform(discovery.Rows, maxVoters, seed);
        var voting = voters.Length == discovery.Rows ? discovery : discovery.SelectRows(voters);
        this.k = Math.Min(k, voting.Rows);
        nearest = new int[heldOut.Rows][];
        const int block = 512;  // held-out rows per distance block: memory O(block × voters)
        for (int first = 0; first < heldOut.Rows; first += block)
        {
            progress.Report(Stage, (double)first / heldOut.Rows);
            int count = Math.Min(block, heldOut.Rows - first);
            var d = Distances.SquaredEuclidean(heldOut.SelectRows(Enumerable.Range(first, count).ToArray()), voting);
            Parallel.For(0, count, i =>
            {
                var row = d.Row(i);
                var order = new PriorityQueue<int, (float, int)>();  // the k nearest, farthest first
                for (int j = 0; j < row.Length; j++)
                {
                    if (order.Count < this.k) order.Enqueue(j, (-row[j], -j));
                    else if (order.TryPeek(out _, out var worst) && (row[j], j).CompareTo((-worst.Item1, -worst.Item2)) < 0) order.EnqueueDequeue(j, (-row[j], -j));
                }
                nearest[first + i] = order.UnorderedItems.Select(x => voters[x.Element]).ToArray();
            });
        }
        progress.Report(Stage, 1);
    }

    /// <summary>The held-out samples that join a concept with these discovery members, most votes first (ties by index).</summary>
    public int[] Members(IEnumerable<int> discoveryMembers)
    {
        var isMember = new HashSet<int>(discoveryMembers);
        return Enumerable.Range(0, nearest.Length)
            .Select(i => (Sample: i, Votes: nearest[i].Count(isMember.Contains)))
            .Where(x => 2 * x.Votes > k)
            .OrderByDescending(x => x.Votes).ThenBy(x => x.Sample)
            .Select(x => x.Sample).ToArray();
    }
}
