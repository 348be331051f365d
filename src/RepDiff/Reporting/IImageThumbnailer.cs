namespace RepDiff.Reporting;

/// <summary>
/// Reads image files small: the picture a report embeds, and the pixels <see cref="Metrics.ImageLooks"/> measures. The
/// library and the report renderer are plain managed code; decoding JPEG, PNG, WebP and the rest needs a native codec, so
/// the implementation lives with the other native code (RepDiff.Embedding's Skia thumbnailer) and is handed over by the caller.
/// </summary>
public interface IImageThumbnailer
{
    /// <summary>
    /// The image at <paramref name="path"/>, upright and reduced to fit a <paramref name="size"/>×<paramref name="size"/>
    /// box (never enlarged), encoded for a data URI. Throws <see cref="RepDiffInputException"/> naming the file
    /// when it is not a readable image.
    /// </summary>
    (byte[] Bytes, string MimeType) Thumbnail(string path, int size);

    /// <summary>The same reduced image as opaque RGBA pixels (transparency over white), with the upright size of the file's image.</summary>
    SmallImage Pixels(string path, int size);
}

/// <summary>An image reduced to <see cref="Width"/>×<see cref="Height"/> opaque RGBA bytes, from one of <see cref="OriginalWidth"/>×<see cref="OriginalHeight"/> (upright).</summary>
public sealed record SmallImage(int Width, int Height, byte[] Rgba, int OriginalWidth, int OriginalHeight);
