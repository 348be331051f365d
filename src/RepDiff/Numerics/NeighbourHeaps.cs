namespace RepDiff.Numerics;

/// <summary>
/// Per point a max-heap of its k best neighbours so far (squared distances, the worst at the root, so a candidate is
/// rejected with one comparison) with a "new" flag per entry: NN-descent's working state, and the nearest subset
/// points of each point <see cref="UmapPlacement"/> places. Each row is written only by the thread that owns that
/// point or by a single-threaded apply step.
/// </summary>
internal sealed class NeighbourHeaps
{
    private readonly int[] _index;
    private readonly float[] _distance;
    private readonly bool[] _isNew;

    public int N { get; }
    public int K { get; }

    public NeighbourHeaps(int n, int k)
    {
        N = n;
        K = k;
        _index = new int[(long)n * k];
        _distance = new float[(long)n * k];
        _isNew = new bool[(long)n * k];
        Array.Fill(_index, -1);
        Array.Fill(_distance, float.PositiveInfinity);
    }

    public int Index(int i, int slot) => _index[i * K + slot];
    public bool IsNew(int i, int slot) => _isNew[i * K + slot];
    public void MarkOld(int i, int slot) => _isNew[i * K + slot] = false;

    /// <summary>The largest squared distance in i's heap (+∞ while it has free slots).</summary>
    public float Worst(int i) => _distance[i * K];

    public bool Contains(int i, int j) => _index.AsSpan(i * K, K).Contains(j);

    /// <summary>
    /// Adds j to i's heap if it comes before the worst entry (nearer, or as near with a lower index) and is not
    /// already there. With that order the heap ends as the first k of all candidates offered, sorted by
    /// (distance, index), whatever order they were offered in.
    /// </summary>
    public bool Push(int i, int j, float distance, bool isNew)
    {
        int b = i * K;
        if (!Before(distance, j, _distance[b], _index[b])) return false;
        if (_index.AsSpan(b, K).Contains(j)) return false;
        // Replace the root and sift it down.
        int pos = 0;
        while (true)
        {
            int left = 2 * pos + 1, right = left + 1, larger = pos;
            float largest = distance;
            int largestIndex = j;
            if (left < K && Before(largest, largestIndex, _distance[b + left], _index[b + left])) { larger = left; largest = _distance[b + left]; largestIndex = _index[b + left]; }
            if (right < K && Before(largest, largestIndex, _distance[b + right], _index[b + right])) larger = right;
            if (larger == pos) break;
            _distance[b + pos] = _distance[b + larger];
            _index[b + pos] = _index[b + larger];
            _isNew[b + pos] = _isNew[b + larger];
            pos = larger;
        }
        _distance[b + pos] = distance;
        _index[b + pos] = j;
        _isNew[b + pos] = isNew;
        return true;
    }

    // (d1, i1) before (d2, i2): nearer, or as near with a lower index. A free slot is (+∞, −1) and comes after any
    // real entry; NaN comes before nothing.
    private static bool Before(float d1, int i1, float d2, int i2) => d1 < d2 || (d1 == d2 && i1 < i2);

    /// <summary>i's filled entries nearest first (ties by index) into indices and squared; returns how many.</summary>
    public int Sorted(int i, Span<int> indices, Span<float> squared)
    {
        int b = i * K, count = 0;
        for (int s = 0; s < K; s++)
        {
            int j = _index[b + s];
            if (j < 0) continue;
            float d = _distance[b + s];
            int at = count++;
            for (; at > 0 && Before(d, j, squared[at - 1], indices[at - 1]); at--)
                (indices[at], squared[at]) = (indices[at - 1], squared[at - 1]);
            (indices[at], squared[at]) = (j, d);
        }
        return count;
    }

    /// <summary>Each heap sorted nearest first (ties by index), distances square-rooted; free slots last (−1, +∞).</summary>
    public NeighbourGraph ToGraph()
    {
        var indices = new int[_index.Length];
        var distances = new float[_distance.Length];
        Parallel.For(0, N, i =>
        {
            int b = i * K;
            var rowIndices = indices.AsSpan(b, K);
            var rowDistances = distances.AsSpan(b, K);
            int count = Sorted(i, rowIndices, rowDistances);
            rowIndices[count..].Fill(-1);
            rowDistances[count..].Fill(float.PositiveInfinity);
            for (int s = 0; s < count; s++) rowDistances[s] = MathF.Sqrt(rowDistances[s]);
        });
        return new NeighbourGraph(N, K, indices, distances);
    }
}
