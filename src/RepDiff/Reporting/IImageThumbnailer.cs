namespace RepDiff.Reporting;

/// <summary>
/// Makes the small picture a report embeds for an image file. The library and the report renderer are plain
/// managed code; decoding JPEG, PNG, WebP and the rest needs a native codec, so the implementation lives with
/// the other native code (RepDiff.Embedding's Skia thumbnailer) and is handed to the renderer by the caller.
/// </summary>
public interface IImageThumbnailer
{
    /// <summary>
    /// The image at <paramref name="path"/>, upright and reduced to fit a <paramref name="size"/>×<paramref name="size"/>
    /// box (never enlarged), encoded for a data URI. Throws <see cref="RepDiffInputException"/> naming the file
    /// when it is not a readable image.
    /// </summary>
    (byte[] Bytes, string MimeType) Thumbnail(string path, int size);
}
