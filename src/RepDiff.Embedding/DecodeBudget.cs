namespace RepDiff.Embedding;

/// <summary>
/// Bytes of decoded pixels held at once by the threads that decode images. One image is capped
/// (<see cref="ImageDecoder.MaxPixels"/>), but a folder of tiny files each declaring 14000×14000 pixels, decoded on every
/// thread at once, multiplied that cap by the threads (--threads goes to 256). A decode waits here until what the
/// others hold leaves room for it; a decode alone always proceeds, so no image waits forever.
/// </summary>
internal sealed class DecodeBudget(long capacity)
{
    /// <summary>Half the memory available when the first image is decoded: the model and the batches need the rest.</summary>
    public static DecodeBudget Shared => shared.Value;

    private static readonly Lazy<DecodeBudget> shared = new(() => new DecodeBudget(RepDiff.IO.MemoryBudget.Available() / 2));

    private readonly object gate = new();
    private long held;

    public long Held { get { lock (gate) return held; } }

    /// <summary>Waits until <paramref name="bytes"/> fit beside what is held (or nothing is held), then holds them until disposed.</summary>
    public IDisposable Take(long bytes)
    {
        lock (gate)
        {
            while (held > 0 && held + bytes > capacity) Monitor.Wait(gate);
            held += bytes;
        }
        return new Lease(this, bytes);
    }

    private void Return(long bytes)
    {
        lock (gate)
        {
            held -= bytes;
            Monitor.PulseAll(gate);
        }
    }

    private sealed class Lease(DecodeBudget budget, long bytes) : IDisposable
    {
        private int returned;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref returned, 1) == 0) budget.Return(bytes);
        }
    }
}
