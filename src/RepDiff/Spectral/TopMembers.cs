namespace RepDiff.Spectral;

/// <summary>
/// The m highest-scoring rows seen so far (ties: lower row first), in O(m) memory: a min-heap whose
/// top is the current weakest member, so most rows are rejected by one comparison.
/// </summary>
internal sealed class TopMembers(int capacity)
{
    private readonly PriorityQueue<int, (double Score, int Row)> heap = new(capacity + 1, WeakestFirst.Instance);

    public void Offer(int row, double score)
    {
        if (heap.Count < capacity) { heap.Enqueue(row, (score, row)); return; }
        if (capacity == 0 || !heap.TryPeek(out _, out var weakest) || WeakestFirst.Instance.Compare((score, row), weakest) <= 0) return;
        heap.EnqueueDequeue(row, (score, row));
    }

    /// <summary>Members best first, with their scores.</summary>
    public (int[] Rows, double[] Scores) Best()
    {
        var items = heap.UnorderedItems.Select(x => x.Priority).ToList();
        items.Sort((x, y) => WeakestFirst.Instance.Compare(y, x));
        return (items.Select(x => x.Row).ToArray(), items.Select(x => x.Score).ToArray());
    }

    private sealed class WeakestFirst : IComparer<(double Score, int Row)>
    {
        public static readonly WeakestFirst Instance = new();
        public int Compare((double Score, int Row) x, (double Score, int Row) y)
        {
            int c = x.Score.CompareTo(y.Score);
            return c != 0 ? c : y.Row.CompareTo(x.Row);  // a later row is weaker on ties
        }
    }
}
