namespace RepDiff.Numerics;

/// <summary>
/// NN-descent's working state: per point a max-heap of its k best neighbours so far (squared distances, the worst
/// at the root, so a candidate is rejected with one comparison) with a "new" flag per entry. Each row is written
/// only by the thread that owns that point or by the single-threaded apply step.
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

    /// <summary>Adds j to i's heap if it is nearer than the worst entry and not already there.</summary>
    public bool Push(int i, int j, float distance, bool isNew)
    {
        int b = i * K;
        if (!(distance < _distance[b])) return false;
        if (_index.AsSpan(b, K).Contains(j)) return false;
        // Replace the root and sift it down.
        int pos = 0;
        while (true)
        {
            int left = 2 * pos + 1, right = left + 1, larger = pos;
            float largest = distance;
            if (left < K && _distance[b + left] > largest) { larger = left; largest = _distance[b + left]; }
            if (right < K && _distance[b + right] > largest) larger = right;
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

    /// <summary>Each heap sorted nearest first (ties by index), distances square-rooted.</summary>
    public NeighbourGraph ToGraph()
    {
        var indices = new int[_index.Length];
        var distances = new float[_distance.Length];
        Parallel.For(0, N, i =>
        {
            var order = new int[K];
            for (int s = 0; s < K; s++) order[s] = s;
            int b = i * K;
            Array.Sort(order, (p, q) => _distance[b + p] != _distance[b + q] ? _distance[b + p].CompareTo(_distance[b + q]) : _index[b + p].CompareTo(_index[b + q]));
            for (int s = 0; s < K; s++)
            {
                indices[b + s] = _index[b + order[s]];
                distances[b + s] = MathF.Sqrt(_distance[b + order[s]]);
            }
        });
        return new NeighbourGraph(N, K, indices, distances);
    }
}
