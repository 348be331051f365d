using RepDiff.Metrics;
using RepDiff.Spectral;

namespace RepDiff;

/// <summary>
/// What several steps of a run need from the same pair, computed once: each representation's largest
/// pairwise distance (MNED's normalizer), which RDX finds on its way and BSR would otherwise recompute, and each
/// representation's nearest neighbours, which the context's mutual k-NN and the report's UMAP maps both read, and each
/// representation's median pairwise distance, which SPEC's and KODA's bandwidths both come from, and BSR's counts of the
/// grids `groups` scored, which the scoring after it reads.
/// </summary>
public sealed class PairStatistics(RepresentationPair pair)
{
    /// <summary>
    /// Most samples for which the largest distance is found from the loaded rows: over all pairs up to
    /// <see cref="MnedNormalizer.ExactRowsLimit"/>, from seeded rows above (linear in n). Beyond this BSR uses its grids' rows.
    /// </summary>
    public const int AllPairsLimit = 20_000;

    private (double Value, bool Exact)? maxDistanceA, maxDistanceB;

    /// <summary>A's largest distance (exact, or the sampled lower bound: <see cref="MaxDistancesExact"/>); null above <see cref="AllPairsLimit"/> unless another step found it.</summary>
    public double? MaxDistanceA => (maxDistanceA ??= Find(() => pair.A))?.Value;
    public double? MaxDistanceB => (maxDistanceB ??= Find(() => pair.B))?.Value;

    /// <summary>Whether both largest distances are exact (over all pairs) rather than sampled.</summary>
    public bool MaxDistancesExact => MaxDistanceA is not null && MaxDistanceB is not null && maxDistanceA!.Value.Exact && maxDistanceB!.Value.Exact;

    /// <summary>Records a largest distance found over every pair of A's rows by another computation.</summary>
    public void SetMaxDistanceA(double value) => maxDistanceA = (value, true);
    public void SetMaxDistanceB(double value) => maxDistanceB = (value, true);

    /// <summary>
    /// Both largest distances over every pair (a blocked pass, O(n²·d)), for rescoring a run whose MNED divided by them:
    /// RDX finds them on its way at any n, and evaluate, which would sample them above 5,000 rows, repeats its numbers.
    /// </summary>
    public void FindExact()
    {
        if (maxDistanceA is not { Exact: true }) SetMaxDistanceA(Bsr.MaxDistance(pair.A));
        if (maxDistanceB is not { Exact: true }) SetMaxDistanceB(Bsr.MaxDistance(pair.B));
    }

    /// <summary>
    /// Most rows for which nearest neighbours are found exactly and shared (<see cref="NeighboursOfA"/>): the size up to which
    /// the context's mutual k-NN reads every row (<see cref="MutualKnn.DefaultMaxSamples"/>), so the maps' graph costs nothing more.
    /// </summary>
    public const int SharedNeighboursLimit = MutualKnn.DefaultMaxSamples;

    /// <summary>Fewest neighbours found per row: what the maps' UMAP graph takes (15 neighbours, the point itself included).</summary>
    public const int SharedNeighbours = 14;

    private int[]? neighboursA, neighboursB;
    private int widthA, widthB;

    /// <summary>
    /// The exact k nearest neighbours of every row of A (n × k, nearest first, ties by index, self excluded:
    /// <see cref="MutualKnn.Neighbours"/>), found once at the widest k asked (<see cref="SharedNeighbours"/> at least) and
    /// read as prefixes, since the nearest k of a list ordered by (distance, index) are its first k. An O(n²·d) pass:
    /// callers ask only up to <see cref="SharedNeighboursLimit"/> rows.
    /// </summary>
    public int[] NeighboursOfA(int k) => Neighbours(ref neighboursA, ref widthA, () => pair.A, k);

    public int[] NeighboursOfB(int k) => Neighbours(ref neighboursB, ref widthB, () => pair.B, k);

    private int[] Neighbours(ref int[]? lists, ref int width, Func<Matrix> rows, int k)
    {
        int n = pair.N;
        if (k < 1 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), $"{k} neighbours of {n} rows");
        if (lists is null || width < k)
        {
            width = Math.Min(Math.Max(k, SharedNeighbours), n - 1);
            lists = MutualKnn.Neighbours(rows(), width);
        }
        if (width == k) return lists;
        var prefix = new int[(long)n * k];
        for (int i = 0; i < n; i++) lists.AsSpan(i * width, k).CopyTo(prefix.AsSpan(i * k, k));
        return prefix;
    }

    private readonly Dictionary<int, double> medianDistancesA = [], medianDistancesB = [];

    /// <summary>
    /// A's median pairwise distance by the median rule (<see cref="Bandwidth.MedianDistance"/>; 0 when most rows are
    /// identical), found once per seed: SPEC and KODA each take a bandwidth from it.
    /// </summary>
    public double MedianDistanceA(int seed, string property) => MedianDistance(medianDistancesA, pair.RowsA, seed, property);

    public double MedianDistanceB(int seed, string property) => MedianDistance(medianDistancesB, pair.RowsB, seed, property);

    private static double MedianDistance(Dictionary<int, double> found, IRowSource rows, int seed, string property)
    {
        if (!found.TryGetValue(seed, out double median)) found[seed] = median = Bandwidth.MedianDistance(rows, seed, property);
        return median;
    }

    private Bsr.Tallies? bsrTallies;

    /// <summary>
    /// BSR's counts of the grids last scored on this pair, kept while the next scoring is among the same members with the
    /// same normalizers, so that it reads them rather than pass over both representations again: `groups` scores every
    /// group to rank them and keep each where it leans, and the scoring every run gets then scores the same grids.
    /// Another set of members (the next method's concepts) starts afresh, so only counts, never rows, are kept.
    /// </summary>
    internal Bsr.Tallies BsrTallies(int[] members, double? maxDistanceA, double? maxDistanceB)
        => bsrTallies is { } kept && kept.Among(members, maxDistanceA, maxDistanceB) ? kept : bsrTallies = new Bsr.Tallies(members, maxDistanceA, maxDistanceB);

    /// <summary>Loads the rows only when they are searched (a mapped file above the limit is never read whole).</summary>
    private (double, bool)? Find(Func<Matrix> rows) => pair.N <= AllPairsLimit ? MnedNormalizer.Compute(rows()) : null;
}
