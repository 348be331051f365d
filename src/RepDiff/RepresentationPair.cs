namespace RepDiff;

/// <summary>
/// Two representations of the same n samples: row i of A and row i of B are the same sample.
/// Side information (ids, labels, images, texts) describes the samples, not either model.
/// </summary>
public sealed class RepresentationPair
{
    public Matrix A { get; }
    public Matrix B { get; }
    public SampleInfo Samples { get; }

    /// <summary>Display names of the two inputs (usually their file names).</summary>
    public string NameA { get; init; } = "A";
    public string NameB { get; init; } = "B";

    public int N => A.Rows;

    public RepresentationPair(Matrix a, Matrix b, SampleInfo? samples = null)
    {
        if (a.Rows != b.Rows)
            throw new RepDiffInputException($"A has {a.Rows} rows but B has {b.Rows}; both must describe the same samples");
        if (a.Rows == 0)
            throw new RepDiffInputException("the representations have zero rows");
        A = a;
        B = b;
        Samples = samples ?? new SampleInfo();
        Samples.CheckCount(a.Rows);
    }
}

/// <summary>What is known about each sample besides its embeddings. Every array (and metadata column) has one entry per sample.</summary>
public sealed class SampleInfo
{
    public string[]? Ids { get; init; }
    public SampleLabels? Labels { get; init; }
    public ImageSet? Images { get; init; }
    public string[]? Texts { get; init; }

    /// <summary>Further per-sample columns (`--metadata`), in the samples' order.</summary>
    public SampleMetadata? Metadata { get; init; }

    public void CheckCount(int n)
    {
        Check("ids", Ids?.Length, n);
        Check("labels", Labels?.Codes.Length, n);
        Check("images", Images?.Count, n);
        Check("texts", Texts?.Length, n);
        Check("metadata", Metadata?.Count, n);
    }

    private static void Check(string what, int? count, int n)
    {
        if (count is int c && c != n)
            throw new RepDiffInputException($"{what}: {c} entries for {n} samples; there must be one per sample");
    }
}

/// <summary>Per-sample labels as categories: any strings, coded 0..K-1 in order of first appearance.</summary>
public sealed class SampleLabels
{
    /// <summary>The distinct label names; code c means Names[c].</summary>
    public string[] Names { get; }
    public int[] Codes { get; }

    public SampleLabels(IReadOnlyList<string> labels)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        Codes = new int[labels.Count];
        for (int i = 0; i < labels.Count; i++)
        {
            if (!index.TryGetValue(labels[i], out int code))
            {
                code = names.Count;
                index[labels[i]] = code;
                names.Add(labels[i]);
            }
            Codes[i] = code;
        }
        Names = names.ToArray();
    }

    public string this[int sample] => Names[Codes[sample]];
}

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
