namespace RepDiff.Report;

/// <summary>How a report is written out (not what it shows).</summary>
public sealed record RenderOptions
{
    /// <summary>Reference image files by relative path instead of embedding them as data URIs.</summary>
    public bool LinkImages { get; init; }

    /// <summary>Where report.html will be written; linked image paths are made relative to it.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Reduces embedded image files to thumbnails (RepDiff.Embedding's Skia one); without it they are embedded whole.</summary>
    public Reporting.IImageThumbnailer? Thumbnailer { get; init; }
}
