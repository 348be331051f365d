using RepDiff.Numerics;

namespace RepDiff.Trust;

/// <summary>
/// Extends a concept without a function of the input to held-out samples (docs/methods/METHODS.md §7): each
/// held-out sample looks at its k nearest discovery samples in the explained representation and joins the
/// concept when most of them are its members.
/// </summary>
internal sealed class NeighbourVote
{
    private readonly int[][] nearest;
    private readonly int k;

    /// <param name="heldOut">Rows of the held-out samples.</param>
    /// <param name="discovery">Rows of the discovery samples the method ran on, same representation.</param>
    public NeighbourVote(Matrix heldOut, Matrix discovery, int k)
    {
        this.k = Math.Min(k, discovery.Rows);
        nearest = new int[heldOut.Rows][];
        const int block = 512;  // held-out rows per distance block: memory O(block × discovery)
        for (int first = 0; first < heldOut.Rows; first += block)
        {
            int count = Math.Min(block, heldOut.Rows - first);
            var d = Distances.SquaredEuclidean(heldOut.SelectRows(Enumerable.Range(first, count).ToArray()), discovery);
            Parallel.For(0, count, i =>
            {
                var row = d.Row(i);
                var order = new PriorityQueue<int, (float, int)>();  // the k nearest, farthest first
                for (int j = 0; j < row.Length; j++)
                {
                    if (order.Count < this.k) order.Enqueue(j, (-row[j], -j));
                    else if (order.TryPeek(out _, out var worst) && (row[j], j).CompareTo((-worst.Item1, -worst.Item2)) < 0) order.EnqueueDequeue(j, (-row[j], -j));
                }
                nearest[first + i] = order.UnorderedItems.Select(x => x.Element).ToArray();
            });
        }
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
