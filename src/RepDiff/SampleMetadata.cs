namespace RepDiff;

/// <summary>
/// Per-sample metadata columns in the samples' order (from `--metadata`), every column one value per
/// sample. Labels are one more such column: <see cref="WithLabels"/> puts them first, named "label".
/// </summary>
public sealed class SampleMetadata
{
    public IReadOnlyList<MetadataColumn> Columns { get; }
    public int Count { get; }

    /// <summary>The file the columns came from, for messages and results.json ("labels" when only labels).</summary>
    public string Source { get; init; } = "";

    public SampleMetadata(IReadOnlyList<MetadataColumn> columns, int count)
    {
        foreach (var column in columns)
            if (column.Values.Length != count)
                throw new ArgumentException($"metadata column '{column.Name}' has {column.Values.Length} values for {count} samples");
        if (columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != columns.Count)
            throw new ArgumentException("metadata column names must be unique");
        Columns = columns;
        Count = count;
    }

    /// <summary>The name the labels' column takes (<see cref="WithLabels"/>): concepts' enrichment lists labels under it.</summary>
    public const string LabelColumn = "label";

    public MetadataColumn? this[string name] => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>The same columns with "label" renamed "metadata_label" (or "metadata_label_2", … where that is taken).</summary>
    internal SampleMetadata WithLabelColumnRenamed()
    {
        string name = "metadata_" + LabelColumn;
        for (int k = 2; this[name] is not null; k++) name = $"metadata_{LabelColumn}_{k}";
        return new SampleMetadata(Columns.Select(c => c.Name == LabelColumn ? c.Renamed(name) : c).ToList(), Count) { Source = Source };
    }

    /// <summary>
    /// Every per-sample column of the samples: the labels as "label" (a metadata column of that name is
    /// "metadata_label" beside them: <see cref="SampleInfo.Metadata"/>), then the metadata's columns. Null when there are neither.
    /// </summary>
    public static SampleMetadata? WithLabels(SampleInfo samples)
    {
        var columns = new List<MetadataColumn>();
        if (samples.Labels is { } labels)
            columns.Add(new MetadataColumn(LabelColumn, Enumerable.Range(0, labels.Codes.Length).Select(i => (string?)labels[i]).ToArray(), categories: true));
        if (samples.Metadata is { } metadata) columns.AddRange(metadata.Columns);
        if (columns.Count == 0) return null;
        return new SampleMetadata(columns, columns[0].Values.Length) { Source = samples.Metadata?.Source ?? "labels" };
    }
}
