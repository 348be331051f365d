namespace RepDiff.Embedding;

/// <summary>
/// Items finished out of order by concurrent workers, handed on in index order (0, 1, 2, ...): an item waits until
/// every earlier one has been handed on. Thread-safe; handOn runs under the lock, one item at a time.
/// </summary>
internal sealed class InOrderHandOff<T>(Action<T> handOn)
{
    private readonly Dictionary<int, T> waiting = [];
    private int next;

    public void Finished(int index, T item)
    {
        lock (waiting)
        {
            waiting[index] = item;
            while (waiting.Remove(next, out var ready))
            {
                handOn(ready);
                next++;
            }
        }
    }
}
