using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>
/// k-nearest-neighbour graphs for UMAP. Small sets are solved exactly (GEMM distances in row blocks); larger ones
/// by NN-descent (Dong, Moses &amp; Li 2011) started from a forest of random-projection trees, as pynndescent does:
/// about n·(trees·leaf + iterations·candidates²) distances, so O(n log n)-ish instead of n². Every step is
/// deterministic for a seed whatever the thread count: work is split into fixed chunks of points, each chunk's
/// proposals are collected in parallel and applied in chunk order.
/// </summary>
public static class NearestNeighbours
{
    /// <summary>Below this many points the exact graph is cheaper than building a forest (and exact).</summary>
    public const int ExactBelow = 4096;

    /// <summary>The k-NN graph: exact below <see cref="ExactBelow"/> points, else approximate.</summary>
    public static NeighbourGraph Build(Matrix x, int k, int seed, IProgress<ProgressUpdate>? progress = null) =>
        x.Rows < ExactBelow ? Exact(x, k) : Approximate(x, k, seed, progress: progress);

    /// <summary>The exact graph (ties by index), O(n²·d) in row blocks.</summary>
    public static NeighbourGraph Exact(Matrix x, int k)
    {
        CheckK(x.Rows, k);
        return FromLists(x, Metrics.MutualKnn.Neighbours(x, k), k);
    }

    /// <summary>The graph of given exact neighbour lists (n × k, nearest first), with their distances.</summary>
    public static NeighbourGraph FromLists(Matrix x, int[] indices, int k)
    {
        int n = x.Rows;
        if (indices.LongLength != (long)n * k) throw new ArgumentException($"{indices.Length} neighbours for {n} rows × {k}");
        var distances = new float[indices.Length];
        Parallel.For(0, n, i =>
        {
            for (int s = 0; s < k; s++) distances[i * k + s] = MathF.Sqrt(SquaredDistance(x.Row(i), x.Row(indices[i * k + s])));
        });
        return new NeighbourGraph(n, k, indices, distances);
    }

    /// <summary>
    /// NN-descent from a random-projection forest. Defaults follow umap-learn: min(64, 5 + round(√n / 20)) trees,
    /// max(5, round(log₂ n)) iterations, stopping early when fewer than delta·n·k neighbours changed in one.
    /// </summary>
    public static NeighbourGraph Approximate(Matrix x, int k, int seed, int trees = 0, int iterations = 0, int maxCandidates = 0,
        double delta = 0.001, IProgress<ProgressUpdate>? progress = null)
    {
        CheckK(x.Rows, k);
        int n = x.Rows;
        if (trees <= 0) trees = Math.Min(64, 5 + (int)Math.Round(Math.Sqrt(n) / 20));
        if (iterations <= 0) iterations = Math.Max(5, (int)Math.Round(Math.Log2(n)));
        if (maxCandidates <= 0) maxCandidates = Math.Max(k, 20);
        var heaps = new NeighbourHeaps(n, k);
        SeedFromForest(x, heaps, RandomProjectionForest.Build(x, trees, Math.Max(10, k), seed));
        progress.Report("neighbours", 0.2);
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            long changed = Descend(x, heaps, maxCandidates, Rng.Derive(seed, 1000 + iteration));
            // Stopping early is the end too: the bar had stayed at 54% while the maps went on.
            bool converged = changed <= delta * n * k;
            progress.Report("neighbours", converged ? 1 : 0.2 + 0.8 * (iteration + 1) / iterations);
            if (converged) break;
        }
        return heaps.ToGraph();
    }

    private static void CheckK(int n, int k)
    {
        if (k < 1 || k >= n) throw new RepDiffInputException($"a {k}-nearest-neighbour graph needs more than {k} samples; there are {n}");
    }

    /// <summary>Every point starts with the nearest of the points sharing a leaf with it in any tree.</summary>
    private static void SeedFromForest(Matrix x, NeighbourHeaps heaps, RandomProjectionForest forest)
    {
        Parallel.For(0, x.Rows, i =>
        {
            var row = x.Row(i);
            for (int t = 0; t < forest.Trees; t++)
                foreach (int j in forest.LeafOf(t, i))
                    if (j != i && !heaps.Contains(i, j)) heaps.Push(i, j, SquaredDistance(row, x.Row(j)), isNew: true);
        });
    }

    private const int Chunk = 64;

    /// <summary>
    /// One NN-descent round: sample new and old candidates (forward and reverse neighbours, at most maxCandidates
    /// each by a seeded priority), then compare new×new and new×old pairs in every point's candidate set.
    /// Returns how many heap entries changed.
    /// </summary>
    private static long Descend(Matrix x, NeighbourHeaps heaps, int maxCandidates, int seed)
    {
        int n = x.Rows, k = heaps.K;
        var fresh = new CandidateLists(n, maxCandidates);
        var old = new CandidateLists(n, maxCandidates);
        for (int i = 0; i < n; i++)
            for (int s = 0; s < k; s++)
            {
                int j = heaps.Index(i, s);
                if (j < 0) continue;
                ulong priority = Priority(seed, Math.Min(i, j), Math.Max(i, j));
                var lists = heaps.IsNew(i, s) ? fresh : old;
                lists.Offer(i, j, priority);
                lists.Offer(j, i, priority);
            }
        // Neighbours sampled as new are old from now on.
        Parallel.For(0, n, i =>
        {
            for (int s = 0; s < k; s++)
                if (heaps.IsNew(i, s) && fresh.Holds(i, heaps.Index(i, s))) heaps.MarkOld(i, s);
        });

        long changed = 0;
        const int batch = 64 * Chunk;
        var proposals = new List<Proposal>[batch / Chunk];
        for (int c = 0; c < proposals.Length; c++) proposals[c] = [];
        for (int first = 0; first < n; first += batch)
        {
            int chunks = (Math.Min(batch, n - first) + Chunk - 1) / Chunk;
            Parallel.For(0, chunks, c =>
            {
                var output = proposals[c];
                output.Clear();
                int end = Math.Min(n, first + (c + 1) * Chunk);
                for (int u = first + c * Chunk; u < end; u++) Join(x, heaps, fresh.Of(u), old.Of(u), output);
            });
            for (int c = 0; c < chunks; c++)
                foreach (var p in proposals[c])
                {
                    if (heaps.Push(p.P, p.Q, p.Distance, isNew: true)) changed++;
                    if (heaps.Push(p.Q, p.P, p.Distance, isNew: true)) changed++;
                }
        }
        return changed;
    }

    private readonly record struct Proposal(int P, int Q, float Distance);

    /// <summary>Distances between one point's candidates; proposes the pairs that would enter either heap.</summary>
    private static void Join(Matrix x, NeighbourHeaps heaps, ReadOnlySpan<int> fresh, ReadOnlySpan<int> old, List<Proposal> output)
    {
        for (int a = 0; a < fresh.Length; a++)
        {
            int p = fresh[a];
            var rowP = x.Row(p);
            float limitP = heaps.Worst(p);
            for (int b = a + 1; b < fresh.Length; b++)
                Propose(x, heaps, p, rowP, limitP, fresh[b], output);
            foreach (int q in old)
                if (q != p) Propose(x, heaps, p, rowP, limitP, q, output);
        }
    }

    private static void Propose(Matrix x, NeighbourHeaps heaps, int p, ReadOnlySpan<float> rowP, float limitP, int q, List<Proposal> output)
    {
        float d = SquaredDistance(rowP, x.Row(q));
        if (d < limitP || d < heaps.Worst(q)) output.Add(new Proposal(p, q, d));
    }

    /// <summary>A seeded pseudo-random priority for the pair (i, j), the same whichever end offers it.</summary>
    private static ulong Priority(int seed, int i, int j)
    {
        unchecked
        {
            ulong z = ((ulong)(uint)i << 32 | (uint)j) ^ (ulong)(uint)seed * 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>Σ (a_i − b_i)² in float with SIMD (neighbour ranking needs no more precision).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        float s = 0;
        if (Vector256.IsHardwareAccelerated && a.Length >= 16)
        {
            var acc0 = Vector256<float>.Zero;
            var acc1 = Vector256<float>.Zero;
            for (; i <= a.Length - 16; i += 16)
            {
                var d0 = Vector256.Create(a.Slice(i, 8)) - Vector256.Create(b.Slice(i, 8));
                var d1 = Vector256.Create(a.Slice(i + 8, 8)) - Vector256.Create(b.Slice(i + 8, 8));
                acc0 = Vector256.FusedMultiplyAdd(d0, d0, acc0);
                acc1 = Vector256.FusedMultiplyAdd(d1, d1, acc1);
            }
            s = Vector256.Sum(acc0 + acc1);
        }
        for (; i < a.Length; i++)
        {
            float d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }
}
