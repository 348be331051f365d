namespace RepDiff.Embedding;

/// <summary>
/// An opaque RGBA image (alpha always 255, already composed over white), as Skia resizes it. One decoded under a
/// <see cref="DecodeBudget"/> holds its pixels' share of it until disposed.
/// </summary>
internal sealed record DecodedImage(int Width, int Height, byte[] Rgba) : IDisposable
{
    public IDisposable? Lease { get; init; }

    public void Dispose() => Lease?.Dispose();
}
