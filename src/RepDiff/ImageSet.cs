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

    /// <summary>The folder image files are named from: the --images folder, or a manifest's folder (null: unknown).</summary>
    public string? Folder { get; init; }

    /// <summary>
    /// Per image file, whether the manifest wrote its path absolute (null: none did, as in a folder's listing). Such a path
    /// is kept in <see cref="Paths"/> as written.
    /// </summary>
    public bool[]? WrittenAbsolute { get; init; }

    /// <summary>
    /// An image file as the samples name it (embed's ids, the report, export): its path relative to <see cref="Folder"/>,
    /// '/'-separated, else its file name. A path the manifest wrote absolute that lies outside the folder is named as written:
    /// relative to the folder it had read "../../home/user/photos/cat.jpg", a path nobody wrote that gives the same folders
    /// away. A relative path keeps its name relative to the folder, inside it or not ("val/cat_7.png", "../x.png"), and so does
    /// an absolute path inside the folder.
    /// </summary>
    public string Name(int sample)
    {
        if (Paths is null) return $"image {sample}";
        if (Folder is null) return System.IO.Path.GetFileName(Paths[sample]);
        string relative = System.IO.Path.GetRelativePath(Folder, Paths[sample]);
        bool outside = System.IO.Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith("../", StringComparison.Ordinal)
            || relative.StartsWith("..\\", StringComparison.Ordinal);
        return outside && WrittenAbsolute?[sample] == true ? Paths[sample] : relative.Replace('\\', '/');
    }

    private string[]? fileNames;

    /// <summary>
    /// Every image file's <see cref="Name"/>, one per sample, made once: what the report and `repdiff export` call a sample
    /// that has no id, so a user finds its picture; null for pixel arrays, which have no files.
    /// </summary>
    public string[]? FileNames => Paths is null ? null : fileNames ??= Enumerable.Range(0, Count).Select(Name).ToArray();

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

    /// <summary>The images of some samples, in the given order (--common-samples: the rows both inputs hold).</summary>
    public ImageSet SelectRows(int[] rows)
    {
        if (Paths is not null)
            return new ImageSet(rows.Select(i => Paths[i]).ToArray()) { Folder = Folder, WrittenAbsolute = WrittenAbsolute is null ? null : rows.Select(i => WrittenAbsolute[i]).ToArray() };
        int size = Height * Width * Channels;
        var pixels = new float[rows.Length * size];
        for (int k = 0; k < rows.Length; k++) ImagePixels(rows[k]).CopyTo(pixels.AsSpan(k * size, size));
        return new ImageSet(pixels, rows.Length, Height, Width, Channels) { Source = Source };
    }

    /// <summary>The pixels of one image (H×W×C, row-major), when the set holds arrays.</summary>
    public ReadOnlySpan<float> ImagePixels(int sample)
    {
        int size = Height * Width * Channels;
        return Pixels is null ? default : Pixels.AsSpan(sample * size, size);
    }
}
