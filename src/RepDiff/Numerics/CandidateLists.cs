namespace RepDiff.Numerics;

/// <summary>
/// Per point, the (at most) capacity candidates with the smallest priorities offered to it: a bounded max-heap on
/// priority, so which candidates are kept depends only on the priorities, not on the order they were offered in.
/// </summary>
internal sealed class CandidateLists
{
    private readonly int[] _items;
    private readonly ulong[] _priority;
    private readonly int[] _count;
    private readonly int _capacity;

    public CandidateLists(int n, int capacity)
    {
        _capacity = capacity;
        _items = new int[(long)n * capacity];
        _priority = new ulong[(long)n * capacity];
        _count = new int[n];
    }

    public ReadOnlySpan<int> Of(int i) => _items.AsSpan(i * _capacity, _count[i]);

    public bool Holds(int i, int j) => Of(i).Contains(j);

    public void Offer(int i, int j, ulong priority)
    {
        int b = i * _capacity, count = _count[i];
        if (_items.AsSpan(b, count).Contains(j)) return;
        if (count < _capacity)
        {
            // Sift up into the max-heap.
            int pos = count;
            while (pos > 0)
            {
                int parent = (pos - 1) / 2;
                if (_priority[b + parent] >= priority) break;
                _priority[b + pos] = _priority[b + parent];
                _items[b + pos] = _items[b + parent];
                pos = parent;
            }
            _priority[b + pos] = priority;
            _items[b + pos] = j;
            _count[i] = count + 1;
            return;
        }
        if (priority >= _priority[b]) return;
        int at = 0;
        while (true)
        {
            int left = 2 * at + 1, right = left + 1, larger = at;
            ulong largest = priority;
            if (left < count && _priority[b + left] > largest) { larger = left; largest = _priority[b + left]; }
            if (right < count && _priority[b + right] > largest) larger = right;
            if (larger == at) break;
            _priority[b + at] = _priority[b + larger];
            _items[b + at] = _items[b + larger];
            at = larger;
        }
        _priority[b + at] = priority;
        _items[b + at] = j;
    }
}
