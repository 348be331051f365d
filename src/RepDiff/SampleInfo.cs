namespace RepDiff;

/// <summary>What is known about each sample besides its embeddings. Every array (and metadata column) has one entry per sample.</summary>
public sealed class SampleInfo
{
    public string[]? Ids { get; init; }
    public SampleLabels? Labels { get; init; }
    public ImageSet? Images { get; init; }
    public string[]? Texts { get; init; }

    private readonly string[]? files;

    /// <summary>
    /// The image file of each sample, named relative to the --images folder or manifest (<see cref="ImageSet.FileNames"/>), or
    /// as a results.json's samples block kept them; null where the images are pixel arrays or there are none. A display name
    /// only: ids, not files, join A to B.
    /// </summary>
    public string[]? Files
    {
        get => files ?? Images?.FileNames;
        init => files = value;
    }

    private readonly SampleMetadata? metadata;
    private SampleMetadata? withoutClash;

    /// <summary>
    /// Further per-sample columns (`--metadata`), in the samples' order. Beside labels, a column named "label" is read as
    /// "metadata_label": the labels keep their name in findings, maps and exports, and both columns stay visible.
    /// </summary>
    public SampleMetadata? Metadata
    {
        get => Labels is null || metadata?[SampleMetadata.LabelColumn] is null ? metadata : withoutClash ??= metadata.WithLabelColumnRenamed();
        init => metadata = value;
    }

    /// <summary>
    /// The images' brightness, colour, detail and shape (Metrics.ImageLooks), once measured: files need a decoder the library
    /// does not have, so whoever loads them measures them (the CLI, the demo) before the explanations are scored.
    /// </summary>
    public Metrics.ImageLooks? Looks { get; set; }

    /// <summary>The samples only one input held, left out by --common-samples (null: every sample of both was kept).</summary>
    public LeftOutSamples? LeftOut { get; init; }

    /// <summary>
    /// What is said once of how the inputs were read, on stderr and in results.json's "warnings": a file read as the format
    /// its content is rather than the one its name says, ids that only one input carries naming the other's rows by position.
    /// </summary>
    public IReadOnlyList<string> InputWarnings { get; init; } = [];

    /// <summary>
    /// The side information of the samples --common-samples keeps (A's rows both inputs hold, in A's order), every per-sample
    /// part following them, and what it left out; <see cref="Looks"/> is measured later, on the samples kept.
    /// </summary>
    public SampleInfo Keep(int[] rows, LeftOutSamples leftOut) => new()
    {
        Ids = Ids is null ? null : rows.Select(i => Ids[i]).ToArray(),
        Labels = Labels is null ? null : new SampleLabels(rows.Select(i => Labels[i]).ToArray()),
        Images = Images?.SelectRows(rows),
        Texts = Texts is null ? null : rows.Select(i => Texts[i]).ToArray(),
        Files = files is null ? null : rows.Select(i => files[i]).ToArray(),
        Metadata = metadata is null ? null : new SampleMetadata(metadata.Columns.Select(c => c.Select(rows)).ToList(), rows.Length) { Source = metadata.Source },
        LeftOut = leftOut,
        InputWarnings = InputWarnings,
    };

    /// <summary>What findings call the samples: "images" or "texts" when they are shown as such, else "samples".</summary>
    public string Noun => Images is not null ? "images" : Texts is not null ? "texts" : "samples";

    public void CheckCount(int n)
    {
        Check("ids", Ids?.Length, n);
        Check("labels", Labels?.Codes.Length, n);
        Check("images", Images?.Count, n);
        Check("texts", Texts?.Length, n);
        Check("files", files?.Length, n);
        Check("metadata", Metadata?.Count, n);
    }

    private static void Check(string what, int? count, int n)
    {
        if (count is int c && c != n)
            throw new RepDiffInputException($"{what}: {c} entries for {n} samples; there must be one per sample");
    }
}
