namespace RepDiff.Embedding;

/// <summary>An opaque RGBA image (alpha always 255, already composed over white), as Skia resizes it.</summary>
internal sealed record DecodedImage(int Width, int Height, byte[] Rgba);
