namespace RepDiff;

/// <summary>
/// One image per sample: either files on disk (paths) or pixel arrays (N×H×W or N×H×W×C, values
/// scaled to 0..1 for display).
/// </summary>
public sealed class ImageSet
{
    public string[]? Paths { get; }
    public float[]? Pixels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }
    public int Count { get; }

    /// <summary>The file pixel arrays were read from, so that a message about one image can name it ("pixels.npy[3]").</summary>
    public string? Source { get; init; }

    public ImageSet(string[] paths)
    {
        Paths = paths;
        Count = paths.Length;
    }

    public ImageSet(float[] pixels, int count, int height, int width, int channels)
    {
        if (pixels.LongLength != (long)count * height * width * channels)
            throw new ArgumentException("pixel buffer does not match count×height×width×channels");
        Pixels = pixels;
        Count = count;
        Height = height;
        Width = width;
        Channels = channels;
    }

    /// <summary>The pixels of one image (H×W×C, row-major), when the set holds arrays.</summary>
    public ReadOnlySpan<float> ImagePixels(int sample)
    {
        int size = Height * Width * Channels;
        return Pixels is null ? default : Pixels.AsSpan(sample * size, size);
    }
}
