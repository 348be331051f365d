namespace RepDiff.IO;

/// <summary>
/// A Parquet or Arrow IPC table as an archive whose keys are its columns, so that `inspect` without --column lists them:
/// a float-list column opens as rows through its own reader (decoded a row group / record batch at a time, as with
/// --column); any other column opens as an error saying what it holds. Opening reads the schema alone.
/// </summary>
internal sealed class TableArchive : ArrayArchive
{
    /// <summary>The columns in the file's order, each with what it holds when it is not a float-list column (else null).</summary>
    private readonly List<(string Name, string? Holds)> columns;
    private readonly Func<string?, TableColumn> openColumn;

    /// <param name="columns">Every top-level column, with what it holds ("strings", "lists of int64 numbers") unless it is a list of floats.</param>
    /// <param name="openColumn">Opens one float-list column by its name.</param>
    public TableArchive(string path, List<(string Name, string? Holds)> columns, Func<string?, TableColumn> openColumn) : base(path)
    {
        this.columns = columns;
        this.openColumn = openColumn;
        Keys = columns.Select(c => c.Name).ToList();
    }

    public override IReadOnlyList<string> Keys { get; }
    /// <summary>A table's ids are a column, named by --id-column or 'id' (the readers' concern), not an array kept beside.</summary>
    protected override bool KeepsIds => false;
    public override int ChoiceCount => columns.Count(c => c.Holds is null);
    public override string KeysAre => "columns";
    public override string KeyFlag => "--column";
    /// <summary>A pattern (--column 'emb_*') names the float columns it matches, and is recorded as typed.</summary>
    public override string ArrayNamed(string? key) => key is not null && key.Contains('*') ? key : base.ArrayNamed(key);

    /// <summary>The columns, when some hold one float a row (a wide table) or a list of float lists (token matrices).</summary>
    public override IReadOnlyList<(string Name, string Holds)>? ColumnTypes =>
        columns.Any(c => c.Holds is "float16 numbers" or "float32 numbers" or "float64 numbers" || c.Holds?.StartsWith("lists of lists of float", StringComparison.Ordinal) == true)
            ? columns.Select(c => (c.Name, c.Holds ?? "lists of floats")).ToList()
            : null;
    public override string NameOf(string key) => $"{Path} (column '{key}')";

    public override RowFile OpenRows(string? key, bool checkFinite)
    {
        if (columns.FirstOrDefault(c => c.Name == key).Holds is { } holds)
            throw RepDiffInputException.ForFile(NameOf(key!), $"not an embedding: {holds}, not lists of floats");
        return new RowFile(openColumn(key), checkFinite);
    }
}
