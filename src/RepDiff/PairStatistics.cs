using System.Collections.Concurrent;
using RepDiff.Metrics;
using RepDiff.Spectral;

namespace RepDiff;

/// <summary>
/// What several steps of a run need from the same pair, computed once: each representation's largest
/// pairwise distance (MNED's normalizer), which RDX finds on its way and BSR would otherwise recompute, and each
/// representation's nearest neighbours, which the context's mutual k-NN and the report's UMAP maps both read, and each
/// representation's median pairwise distance, which SPEC's and KODA's bandwidths both come from, and BSR's counts of the
/// grids `groups` scored, which the scoring after it reads. Safe for several threads where the report's maps are made
/// beside scoring and the context metrics (<see cref="Reporting.SampleMaps.Beside"/>): whichever asks first finds a value
/// while the other waits for it rather than finding it again (BSR's counts are read and written by the scoring alone).
/// </summary>
public sealed class PairStatistics(RepresentationPair pair)
{
    /// <summary>
    /// Most samples for which the largest distance is found from the loaded rows: over all pairs up to
    /// <see cref="MnedNormalizer.ExactRowsLimit"/>, from seeded rows above (linear in n). Beyond this BSR uses its grids' rows.
    /// </summary>
    public const int AllPairsLimit = 20_000;

    /// <summary>A side's largest distance: over all pairs (exact), or the sampled lower bound.</summary>
    private sealed record Farthest(double Value, bool Exact);

    /// <summary>Found over every pair by another computation (RDX, <see cref="FindExact"/>): these take the place of what was found here.</summary>
    private volatile Farthest? givenA, givenB;

    private readonly Once<Farthest?> foundA = new(), foundB = new();

    private Farthest? FarthestA => givenA ?? foundA.Get(() => Find(() => pair.A));
    private Farthest? FarthestB => givenB ?? foundB.Get(() => Find(() => pair.B));

    /// <summary>A's largest distance (exact, or the sampled lower bound: <see cref="MaxDistancesExact"/>); null above <see cref="AllPairsLimit"/> unless another step found it.</summary>
    public double? MaxDistanceA => FarthestA?.Value;
    public double? MaxDistanceB => FarthestB?.Value;

    /// <summary>Whether both largest distances are exact (over all pairs) rather than sampled.</summary>
    public bool MaxDistancesExact => FarthestA is { Exact: true } && FarthestB is { Exact: true };

    /// <summary>Records a largest distance found over every pair of A's rows by another computation.</summary>
    public void SetMaxDistanceA(double value) => givenA = new(value, true);
    public void SetMaxDistanceB(double value) => givenB = new(value, true);

    /// <summary>
    /// Both largest distances over every pair (a blocked pass, O(n²·d)), for rescoring a run whose MNED divided by them:
    /// RDX finds them on its way at any n, and evaluate, which would sample them above 5,000 rows, repeats its numbers.
    /// </summary>
    public void FindExact()
    {
        // What is already known is looked at without finding it: a sampled bound would be a pass for nothing.
        if (givenA is null && foundA.Known is not { Exact: true }) SetMaxDistanceA(Bsr.MaxDistance(pair.A));
        if (givenB is null && foundB.Known is not { Exact: true }) SetMaxDistanceB(Bsr.MaxDistance(pair.B));
    }

    /// <summary>
    /// Most rows for which nearest neighbours are found exactly and shared (<see cref="NeighboursOfA"/>): the size up to which
    /// the context's mutual k-NN reads every row (<see cref="MutualKnn.DefaultMaxSamples"/>), so the maps' graph costs nothing more.
    /// </summary>
    public const int SharedNeighboursLimit = MutualKnn.DefaultMaxSamples;

    /// <summary>Fewest neighbours found per row: what the maps' UMAP graph takes (15 neighbours, the point itself included).</summary>
    public const int SharedNeighbours = 14;

    private readonly NeighbourLists neighboursA = new(pair, () => pair.A), neighboursB = new(pair, () => pair.B);

    /// <summary>
    /// The exact k nearest neighbours of every row of A (n × k, nearest first, ties by index, self excluded:
    /// <see cref="MutualKnn.Neighbours"/>), found once at the widest k asked (<see cref="SharedNeighbours"/> at least) and
    /// read as prefixes, since the nearest k of a list ordered by (distance, index) are its first k. An O(n²·d) pass:
    /// callers ask only up to <see cref="SharedNeighboursLimit"/> rows.
    /// </summary>
    public int[] NeighboursOfA(int k) => neighboursA.Of(k);

    public int[] NeighboursOfB(int k) => neighboursB.Of(k);

    /// <summary>One side's neighbour lists, widened when a wider k is asked; one search at a time.</summary>
    private sealed class NeighbourLists(RepresentationPair pair, Func<Matrix> rows)
    {
        private readonly Lock searching = new();
        private int[]? lists;
        private int width;

        public int[] Of(int k)
        {
            int n = pair.N;
            if (k < 1 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), $"{k} neighbours of {n} rows");
            int[] found;
            int foundWidth;
            // Held through the search: a second asker (the maps' UMAP graph beside the context's mutual k-NN) waits for
            // these lists instead of searching all pairs again.
            lock (searching)
            {
                if (lists is null || width < k)
                {
                    int wider = Math.Min(Math.Max(k, SharedNeighbours), n - 1);
                    lists = MutualKnn.Neighbours(rows(), wider);
                    width = wider;
                }
                (found, foundWidth) = (lists, width);
            }
            if (foundWidth == k) return found;
            var prefix = new int[(long)n * k];
            for (int i = 0; i < n; i++) found.AsSpan(i * foundWidth, k).CopyTo(prefix.AsSpan(i * k, k));
            return prefix;
        }
    }

    private readonly ConcurrentDictionary<int, Once<double>> medianDistancesA = [], medianDistancesB = [];

    /// <summary>
    /// A's median pairwise distance by the median rule (<see cref="Bandwidth.MedianDistance"/>; 0 when most rows are
    /// identical), found once per seed: SPEC and KODA each take a bandwidth from it.
    /// </summary>
    public double MedianDistanceA(int seed, string property) => MedianDistance(medianDistancesA, pair.RowsA, seed, property);

    public double MedianDistanceB(int seed, string property) => MedianDistance(medianDistancesB, pair.RowsB, seed, property);

    private static double MedianDistance(ConcurrentDictionary<int, Once<double>> found, IRowSource rows, int seed, string property)
        => found.GetOrAdd(seed, _ => new()).Get(() => Bandwidth.MedianDistance(rows, seed, property));

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
    private Farthest? Find(Func<Matrix> rows)
    {
        if (pair.N > AllPairsLimit) return null;
        var (value, exact) = MnedNormalizer.Compute(rows());
        return new(value, exact);
    }

    /// <summary>
    /// A value found by the first thread that asks while any other asking waits for it. A failure is not kept: the next ask
    /// finds it again, and its error names that asker's option (a median refused for SPEC's option is not KODA's).
    /// </summary>
    private sealed class Once<T>
    {
        private sealed record Found(T Value);

        private Found? found;
        private object? finding;

        public T Get(Func<T> find) => LazyInitializer.EnsureInitialized(ref found, ref finding, () => new Found(find())).Value;

        /// <summary>The value when it has been found, without finding it (default otherwise).</summary>
        public T? Known => Volatile.Read(ref found) is { } done ? done.Value : default;
    }
}
