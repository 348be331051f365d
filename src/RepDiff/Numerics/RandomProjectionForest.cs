using System.Numerics.Tensors;

namespace RepDiff.Numerics;

/// <summary>
/// Random-projection trees (Dasgupta &amp; Freund; as pynndescent seeds NN-descent): each node splits its points by
/// the hyperplane halfway between two of them, picked at random, until leaves hold at most leafSize points; a split
/// that leaves one side empty (duplicates) falls back to a random halving. Trees are built in parallel, each from
/// its own derived seed, so the forest is the same for a seed whatever the thread count.
/// </summary>
internal sealed class RandomProjectionForest
{
    private readonly int[][] _order;     // per tree: the points, leaf after leaf
    private readonly int[][] _leafStart; // per tree: start of each leaf in _order, plus the end
    private readonly int[][] _leafOf;    // per tree: each point's leaf

    public int Trees => _order.Length;

    private RandomProjectionForest(int[][] order, int[][] leafStart, int[][] leafOf)
    {
        _order = order;
        _leafStart = leafStart;
        _leafOf = leafOf;
    }

    /// <summary>The points sharing point i's leaf in tree t (i included).</summary>
    public ReadOnlySpan<int> LeafOf(int t, int i) => Leaf(t, LeafIndex(t, i));

    /// <summary>The leaf of tree t that holds point i.</summary>
    public int LeafIndex(int t, int i) => _leafOf[t][i];

    public int LeafCount(int t) => _leafStart[t].Length - 1;

    /// <summary>The points of leaf l of tree t.</summary>
    public ReadOnlySpan<int> Leaf(int t, int l) => _order[t].AsSpan(_leafStart[t][l], _leafStart[t][l + 1] - _leafStart[t][l]);

    public static RandomProjectionForest Build(Matrix x, int trees, int leafSize, int seed)
    {
        var order = new int[trees][];
        var starts = new int[trees][];
        var leafOf = new int[trees][];
        Parallel.For(0, trees, t =>
        {
            var rng = Rng.Create(Rng.Derive(seed, t));
            var points = Enumerable.Range(0, x.Rows).ToArray();
            var leaves = new List<int> { 0 };
            var normal = new float[x.Cols];
            var margins = new float[x.Rows];
            Split(x, points, 0, x.Rows, leafSize, rng, normal, margins, leaves);
            var of = new int[x.Rows];
            for (int l = 0; l + 1 < leaves.Count; l++)
                for (int p = leaves[l]; p < leaves[l + 1]; p++) of[points[p]] = l;
            order[t] = points;
            starts[t] = leaves.ToArray();
            leafOf[t] = of;
        });
        return new RandomProjectionForest(order, starts, leafOf);
    }

    /// <summary>Partitions points[lo, hi) in place, depth first, appending each leaf's end to leaves.</summary>
    private static void Split(Matrix x, int[] points, int lo, int hi, int leafSize, Random rng, float[] normal, float[] margins, List<int> leaves)
    {
        int count = hi - lo;
        if (count <= leafSize)
        {
            leaves.Add(hi);
            return;
        }
        int p = points[lo + rng.Next(count)];
        int q = points[lo + rng.Next(count - 1)];
        if (q == p) q = points[hi - 1];
        var rowP = x.Row(p);
        var rowQ = x.Row(q);
        TensorPrimitives.Subtract(rowP, rowQ, normal);
        // The hyperplane through the midpoint: normal·x = normal·(p + q)/2.
        float offset = 0.5f * (TensorPrimitives.Dot(normal, rowP) + TensorPrimitives.Dot(normal, rowQ));
        int left = 0;
        for (int a = lo; a < hi; a++)
        {
            float m = TensorPrimitives.Dot(normal, x.Row(points[a])) - offset;
            margins[a] = m == 0 ? (rng.Next(2) == 0 ? -1 : 1) : m;
            if (margins[a] > 0) left++;
        }
        int mid;
        if (left == 0 || left == count)
        {
            // Every point on one side (duplicates, or p = q): halve at random.
            rng.Shuffle(points.AsSpan(lo, count));
            mid = lo + count / 2;
        }
        else
        {
            // Stable partition: left side first, order otherwise kept.
            var buffer = new int[count];
            int l = 0, r = left;
            for (int a = lo; a < hi; a++) buffer[margins[a] > 0 ? l++ : r++] = points[a];
            buffer.CopyTo(points, lo);
            mid = lo + left;
        }
        Split(x, points, lo, mid, leafSize, rng, normal, margins, leaves);
        Split(x, points, mid, hi, leafSize, rng, normal, margins, leaves);
    }
}
