namespace RepDiff.IO;

/// <summary>The checks Parquet and Arrow inputs share: which column holds the embeddings, and the ids.</summary>
internal static class TableColumnChoice
{
    /// <summary>
    /// The embedding column: <paramref name="column"/> when it is one of the float-list columns; without
    /// it, the only float-list column. Anything else is an error listing the float-list columns there are.
    /// </summary>
    public static string Pick(string path, string? column, IReadOnlyList<string> floatLists, IEnumerable<string> allColumns)
    {
        string lists = floatLists.Count == 0 ? "none" : string.Join(", ", floatLists.Take(20).Select(NpyDtype.Truncate));
        if (column is null)
        {
            if (floatLists.Count == 1) return Unique(path, floatLists[0], allColumns);
            throw RepDiffInputException.ForFile(path, floatLists.Count == 0
                ? $"has no column of float lists to read embeddings from (columns: {string.Join(", ", allColumns.Take(20).Select(NpyDtype.Truncate))})"
                : $"has {floatLists.Count} float-list columns; choose one with --column (float-list columns: {lists})");
        }
        if (floatLists.Contains(column)) return Unique(path, column, allColumns);
        string problem = allColumns.Contains(column)
            ? $"column '{NpyDtype.Truncate(column)}' is not a list of floating-point values"
            : $"has no column '{NpyDtype.Truncate(column)}'";
        throw RepDiffInputException.ForFile(path, $"{problem} (float-list columns: {lists})");
    }

    /// <summary>
    /// The column's name when only one column has it: pyarrow and pandas allow two of one name, and which one a reader
    /// takes is undefined (as for two .npz entries of one name).
    /// </summary>
    /// <summary>The column a table's ids are read from without --id-column, as a JSON Lines file's "id" field is.</summary>
    public const string DefaultIdColumn = "id";

    /// <summary>
    /// <paramref name="idColumn"/>, else "id" when the table has a scalar column of that name: its rows were matched by
    /// position while every other format's ids joined the inputs, so two exports in different orders were paired wrongly,
    /// and beside a file with ids they took that file's (review 180, finding 2).
    /// </summary>
    public static string? IdColumnOrDefault(string? idColumn, IEnumerable<string> scalarColumns) =>
        idColumn ?? (scalarColumns.Contains(DefaultIdColumn, StringComparer.Ordinal) ? DefaultIdColumn : null);

    public static string Unique(string path, string column, IEnumerable<string> allColumns)
    {
        if (allColumns.Count(name => name == column) > 1)
            throw RepDiffInputException.ForFile(path, $"has two columns named '{NpyDtype.Truncate(column)}'; which one is meant is undefined (rename one)");
        return column;
    }

    /// <summary>
    /// An id column of floating-point numbers: 0.5 names no sample, and such a column is most often an integer one that pandas
    /// wrote as floats for a missing value, whose "3.0" matches no other file's "3". It had been read as ids ("0.5", "1.5").
    /// </summary>
    public static RepDiffInputException FloatIds(string path, string idColumn, string? example = null) =>
        RepDiffInputException.ForFile(path, $"id column '{NpyDtype.Truncate(idColumn)}' holds floating-point numbers{(example is null ? "" : $" ({NpyDtype.Truncate(example)}, …)")}; "
            + "ids are integers or strings: name the column that names the samples, or write these as integers (pandas turns an integer column with a missing value into floats)");

    /// <summary>Ids read from an id column (or kept beside the embeddings, <paramref name="source"/> saying which): none null or empty, none repeated.</summary>
    public static string[] CheckIds(string path, string source, string?[] ids)
    {
        var seen = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (int i = 0; i < ids.Length; i++)
        {
            string id = ids[i] ?? throw RepDiffInputException.ForFile(path, $"{source} is null at row {i}; every row needs an id");
            if (string.IsNullOrWhiteSpace(id))
                throw RepDiffInputException.ForFile(path, $"{source} is empty at row {i}; every row needs an id");
            if (!seen.TryAdd(id, i))
                throw RepDiffInputException.ForFile(path, $"id '{NpyDtype.Truncate(id)}' appears at row {seen[id]} and row {i}; ids must be unique");
        }
        return ids!;
    }
}
