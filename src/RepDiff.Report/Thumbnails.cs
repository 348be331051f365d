using RepDiff.Reporting;

namespace RepDiff.Report;

/// <summary>
/// What the report shows for one sample: an image (a data URI, or a relative link with
/// --link-images) or a text snippet. Image files are reduced once to a <see cref="FilePixels"/>-pixel
/// thumbnail when a thumbnailer is given (else embedded as they are, up to 4 MB each). Images that cannot
/// be read become a crossed-out tile and a warning.
/// </summary>
public sealed class Thumbnails
{
    private const int MaxEmbeddedBytes = 4 << 20;
    private const int DisplayPixels = 64;
    private const int MaxDisplayPixels = 96;

    /// <summary>The box an image file's thumbnail fits in: sharp in a card's grid and the member list, a few kB as JPEG.</summary>
    public const int FilePixels = 96;

    private readonly SampleInfo samples;
    private readonly bool linkImages;
    private readonly string baseDirectory;
    private readonly Dictionary<int, string> cache = [];
    private readonly List<string> warnings;
    private readonly IImageThumbnailer? thumbnailer;
    private string? unreadableTile;

    public Thumbnails(SampleInfo samples, bool linkImages, string? outputDirectory, List<string> warnings, IImageThumbnailer? thumbnailer = null)
    {
        this.samples = samples;
        this.linkImages = linkImages;
        this.thumbnailer = thumbnailer;
        baseDirectory = Path.GetFullPath(outputDirectory ?? ".");
        this.warnings = warnings;
    }

    public bool HasImages => samples.Images is not null;
    public bool HasTexts => samples.Texts is not null;

    /// <summary>Characters of the distinct image sources made so far (what they add to the page at most).</summary>
    public long ImageChars { get; private set; }

    /// <summary>
    /// The relative URL of the first image file the page links (--link-images) rather than embeds, or null when it links none:
    /// such a page works only beside those files, and says so.
    /// </summary>
    public string? FirstLinkedImage { get; private set; }

    /// <summary>Whether <paramref name="sample"/>'s image source has been made already (it then costs the page nothing new).</summary>
    public bool HasImage(int sample) => cache.ContainsKey(sample);

    /// <summary>The image source (data URI or relative URL) of a sample, or null when there are no images.</summary>
    public string? Image(int sample)
    {
        if (samples.Images is not { } images) return null;
        if (cache.TryGetValue(sample, out var uri)) return uri;
        uri = images.Pixels is not null ? FromPixels(images, sample) : FromFile(images.Paths![sample], sample);
        cache[sample] = uri;
        ImageChars += uri.Length;
        return uri;
    }

    /// <summary>The text of a sample, shortened for a card (whole, with line breaks as spaces, when <paramref name="maxLength"/> is 0).</summary>
    public string? Text(int sample, int maxLength = 160)
    {
        if (samples.Texts is not { } texts) return null;
        string t = texts[sample].ReplaceLineEndings(" ");
        if (maxLength <= 0) return t;
        return t.Length <= maxLength ? t : TextCut.Head(t, maxLength - 1);
    }

    /// <summary>The text of a sample as its file holds it, line breaks kept: what the page's downloads write, as `repdiff export` does.</summary>
    public string? WholeText(int sample) => samples.Texts?[sample];

    /// <summary>A sample's label as its caption shows it (<see cref="SampleLabels.Shown"/>).</summary>
    public string? Label(int sample) => samples.Labels is { } labels ? SampleLabels.Shown(labels[sample]) : null;

    /// <summary>
    /// A pixel-array image as a PNG data URI: small images (8×8 digits) enlarged with nearest-neighbour
    /// sampling to about 64 px, large ones reduced by box averaging to at most 96 px, so the report stays small.
    /// </summary>
    private static string FromPixels(ImageSet images, int sample)
    {
        int h = images.Height, w = images.Width, channels = images.Channels is 1 or 3 ? images.Channels : 1;
        var source = images.ImagePixels(sample);
        int longest = Math.Max(h, w);
        int step = longest > MaxDisplayPixels ? (longest + MaxDisplayPixels - 1) / MaxDisplayPixels : 1;
        int outH = Math.Max(1, h / step), outW = Math.Max(1, w / step);
        var pixels = new float[outH * outW * channels];
        for (int y = 0; y < outH; y++)
            for (int x = 0; x < outW; x++)
            {
                // A side shorter than the step (a 1×100 strip) is one box of all its pixels, not step of them:
                // the box stops at the image's edge.
                int rows = Math.Min(step, h - y * step), cols = Math.Min(step, w - x * step);
                for (int c = 0; c < channels; c++)
                {
                    double sum = 0;
                    for (int dy = 0; dy < rows; dy++)
                        for (int dx = 0; dx < cols; dx++)
                            // Other channel counts (e.g. RGBA) show their first channel as grey.
                            sum += source[((y * step + dy) * w + x * step + dx) * images.Channels + c];
                    pixels[(y * outW + x) * channels + c] = (float)(sum / (rows * cols));
                }
            }
        int scale = Math.Max(1, DisplayPixels / Math.Max(outH, outW));
        return Png.DataUri(Png.EncodeFloat(pixels, outW, outH, channels, scale));
    }

    private string FromFile(string path, int sample)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return Unreadable(sample, path, "file not found");
            string? mime = MimeType(path);
            if (mime is null) return Unreadable(sample, path, "not a PNG, JPEG, GIF, WebP, BMP or SVG file");
            if (linkImages)
            {
                string link = string.Join('/', Path.GetRelativePath(baseDirectory, info.FullName)
                    .Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString));
                FirstLinkedImage ??= link;
                return link;
            }
            if (thumbnailer is not null)
            {
                try
                {
                    var (small, type) = thumbnailer.Thumbnail(info.FullName, FilePixels);
                    return $"data:{type};base64,{Convert.ToBase64String(small)}";
                }
                catch (RepDiffInputException e)
                {
                    return Unreadable(sample, path, e.Message);
                }
            }
            if (info.Length > MaxEmbeddedBytes) return Unreadable(sample, path, $"larger than {MaxEmbeddedBytes >> 20} MB; use --link-images");
            var bytes = File.ReadAllBytes(path);
            if (!LooksLike(mime, bytes)) return Unreadable(sample, path, "content does not match its extension");
            return $"data:{mime};base64,{Convert.ToBase64String(bytes)}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unreadable(sample, path, e.Message);
        }
    }

    private string Unreadable(int sample, string path, string problem)
    {
        // Named relative to the --images source, as ids are, also where the problem names the file (a decoder's message
        // starts with the path): a shared report must not give away where the files lay (/home/…).
        string name = samples.Images!.Name(sample);
        problem = problem.Replace(Path.GetFullPath(path), name, StringComparison.Ordinal).Replace(path, name, StringComparison.Ordinal);
        warnings.Add($"image of sample {sample} ({name}) cannot be shown: {problem}");
        return unreadableTile ??= Png.DataUri(CrossedOutTile());
    }

    /// <summary>A light grey tile with a dark cross: "no image here".</summary>
    private static byte[] CrossedOutTile()
    {
        const int size = 32;
        var pixels = new byte[size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                pixels[y * size + x] = (byte)(x == y || x == size - 1 - y ? 120 : 225);
        return Png.Encode(pixels, size, size, 1);
    }

    private static string? MimeType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".webp" => "image/webp",
        ".bmp" => "image/bmp",
        ".svg" => "image/svg+xml",
        _ => null,
    };

    /// <summary>Checks the file's magic bytes so a truncated or mislabelled file is caught here, not as a broken image.</summary>
    private static bool LooksLike(string mime, byte[] b) => mime switch
    {
        "image/png" => b.Length > 8 && b[0] == 0x89 && b[1] == (byte)'P' && b[2] == (byte)'N' && b[3] == (byte)'G',
        "image/jpeg" => b.Length > 3 && b[0] == 0xFF && b[1] == 0xD8,
        "image/gif" => b.Length > 6 && b[0] == (byte)'G' && b[1] == (byte)'I' && b[2] == (byte)'F',
        "image/webp" => b.Length > 12 && b[8] == (byte)'W' && b[9] == (byte)'E' && b[10] == (byte)'B' && b[11] == (byte)'P',
        "image/bmp" => b.Length > 2 && b[0] == (byte)'B' && b[1] == (byte)'M',
        _ => b.Length > 0,
    };
}
