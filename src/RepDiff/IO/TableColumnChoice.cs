namespace RepDiff.IO;

/// <summary>A table's top-level columns, in the file's order, sorted by what they can give (from the schema alone).</summary>
/// <param name="FloatLists">lists of floats: one embedding a row</param>
/// <param name="FloatScalars">one float a row: one dimension each, in a wide table (pandas' DataFrame(vectors).to_parquet())</param>
/// <param name="Strings">text: ids or labels, never dimensions</param>
/// <param name="FloatMatrices">lists of lists of floats: a matrix a row (tokens × dimensions), which needs pooling first</param>
internal sealed record TableSchema(IReadOnlyList<string> All, IReadOnlyList<string> FloatLists, IReadOnlyList<string> FloatScalars,
    IReadOnlyList<string> Strings, IReadOnlyList<string> FloatMatrices);

/// <summary>The checks Parquet and Arrow inputs share: which column(s) hold the embeddings, and the ids.</summary>
internal static class TableColumnChoice
{
    /// <summary>What a wide table read without --column is named by: every float column.</summary>
    public const string EveryFloatColumn = "*";

    /// <summary>
    /// The embedding's columns: a float-list column (<see cref="Pick"/>), or, for a <paramref name="column"/> holding '*',
    /// the float columns it matches, one dimension each. Without --column, a table with no float-list column whose other
    /// columns are all floats or text reads every float column so when they are named alike but for a trailing number
    /// (<see cref="OneFamily"/>); its text columns are ids or labels, and an integer column (a class, a count) or a float
    /// column named otherwise (a score) is never taken for a dimension unasked. <paramref name="idColumn"/> and pandas' index
    /// column (__index_level_0__) are never dimensions.
    /// </summary>
    /// <returns>The column (or pattern) messages name, and the dimensions' columns in the file's order (null for a float-list column).</returns>
    public static (string Column, IReadOnlyList<string>? Dimensions) Choose(string path, string? column, string? idColumn, TableSchema schema)
    {
        if (column is not null && column.Contains('*')) return (column, Dimensions(path, column, idColumn, schema, given: true)!);
        if (column is not null ? schema.FloatMatrices.Contains(column) : schema.FloatLists.Count == 0 && schema.FloatMatrices.Count > 0)
            throw RepDiffInputException.ForFile(path, $"column '{NpyDtype.Truncate(column ?? schema.FloatMatrices[0])}' holds a list of lists in each row "
                + "(e.g. tokens × 768); RepDiff takes one vector per sample: pool it before saving, e.g. mean over tokens");
        if (column is null && schema.FloatLists.Count == 0 && Dimensions(path, EveryFloatColumn, idColumn, schema, given: false) is { } wide)
            return (EveryFloatColumn, wide);
        return (Pick(path, column, schema.FloatLists, schema.All, WideHint(schema, idColumn)), null);
    }

    /// <summary>
    /// The columns <paramref name="pattern"/> matches, less the id, index and text columns; each must hold floats. Null,
    /// when not <paramref name="given"/>, where that is not two or more float columns.
    /// </summary>
    private static List<string>? Dimensions(string path, string pattern, string? idColumn, TableSchema schema, bool given)
    {
        var matches = schema.All.Where(c => Matches(c, pattern) && c != idColumn && !IsPandasIndex(c) && !schema.Strings.Contains(c)).ToList();
        string? notFloat = matches.FirstOrDefault(c => !schema.FloatScalars.Contains(c));
        if (!given) return notFloat is null && matches.Count >= 2 && OneFamily(matches) ? matches : null;
        if (notFloat is not null)
            throw RepDiffInputException.ForFile(path, $"column '{NpyDtype.Truncate(notFloat)}' matches --column '{NpyDtype.Truncate(pattern)}' but does not hold "
                + "one float a row; only float columns are dimensions: give a pattern that leaves it out");
        if (matches.Count == 0)
            throw RepDiffInputException.ForFile(path, $"has no float column matching --column '{NpyDtype.Truncate(pattern)}' (float columns: {Listed(schema.FloatScalars)})");
        foreach (string match in matches) Unique(path, match, schema.All);
        return matches;
    }

    /// <summary>
    /// For a table with no float-list column: how its float columns can be read, when it has several. The pattern is the
    /// largest family of float columns named alike but for a trailing number (emb_0 … emb_767; pandas' 0 … 767), so that a
    /// score beside them is left out.
    /// </summary>
    private static string? WideHint(TableSchema schema, string? idColumn)
    {
        var floats = schema.FloatScalars.Where(c => c != idColumn && !IsPandasIndex(c)).ToList();
        if (floats.Count < 2) return null;
        var family = floats.GroupBy(Stem, StringComparer.Ordinal).MaxBy(g => g.Count())!.ToList();
        return family.Count >= 2
            ? $"its {family.Count} float columns ({Listed(family)}) are read as one dimension each with --column '{NpyDtype.Truncate(Stem(family[0]))}*'"
            : $"its {floats.Count} float columns ({Listed(floats)}) are read as one dimension each with a --column pattern that matches them";
    }

    /// <summary>
    /// Whether columns are named alike but for a trailing number (emb_0 … emb_767; pandas' 0 … 767): only such columns are
    /// read as dimensions unasked, so that a float column named otherwise (a score, a loss) is not taken for one.
    /// </summary>
    private static bool OneFamily(IReadOnlyList<string> columns)
        => columns.All(c => c.Length > 0 && char.IsAsciiDigit(c[^1])) && columns.Select(Stem).Distinct(StringComparer.Ordinal).Count() == 1;

    /// <summary>A column's name without its trailing number.</summary>
    private static string Stem(string column) => column.TrimEnd("0123456789".ToCharArray());

    /// <summary>pandas' to_parquet writes a DataFrame's index as a column of this name (a level number after it).</summary>
    private static bool IsPandasIndex(string column) => column.StartsWith("__index_level_", StringComparison.Ordinal);

    /// <summary>Whether a column name matches a pattern in which '*' stands for any run of characters.</summary>
    internal static bool Matches(string name, string pattern)
    {
        var parts = pattern.Split('*');
        if (!name.StartsWith(parts[0], StringComparison.Ordinal)) return false;
        int at = parts[0].Length;
        for (int i = 1; i < parts.Length - 1; i++)
        {
            int found = name.IndexOf(parts[i], at, StringComparison.Ordinal);
            if (found < 0) return false;
            at = found + parts[i].Length;
        }
        return parts.Length == 1 ? name.Length == at : name.Length - at >= parts[^1].Length && name.EndsWith(parts[^1], StringComparison.Ordinal);
    }

    private static string Listed(IReadOnlyList<string> columns) => columns.Count == 0 ? "none"
        : columns.Count <= 20 ? string.Join(", ", columns.Select(NpyDtype.Truncate))
        : $"{string.Join(", ", columns.Take(3).Select(NpyDtype.Truncate))} … {NpyDtype.Truncate(columns[^1])}";

    /// <summary>
    /// The embedding column: <paramref name="column"/> when it is one of the float-list columns; without
    /// it, the only float-list column. Anything else is an error listing the float-list columns there are.
    /// </summary>
    /// <param name="noListsHint">for a table without float-list columns, what else it can give (its float columns)</param>
    public static string Pick(string path, string? column, IReadOnlyList<string> floatLists, IEnumerable<string> allColumns, string? noListsHint = null)
    {
        string lists = floatLists.Count == 0 ? "none" : string.Join(", ", floatLists.Take(20).Select(NpyDtype.Truncate));
        if (column is null)
        {
            if (floatLists.Count == 1) return Unique(path, floatLists[0], allColumns);
            throw RepDiffInputException.ForFile(path, floatLists.Count == 0
                ? $"has no column of float lists to read embeddings from (columns: {string.Join(", ", allColumns.Take(20).Select(NpyDtype.Truncate))}){(noListsHint is null ? "" : "; " + noListsHint)}"
                : $"has {floatLists.Count} float-list columns; choose one with --column (float-list columns: {lists})");
        }
        if (floatLists.Contains(column)) return Unique(path, column, allColumns);
        string problem = allColumns.Contains(column)
            ? $"column '{NpyDtype.Truncate(column)}' is not a list of floating-point values"
            : $"has no column '{NpyDtype.Truncate(column)}'";
        throw RepDiffInputException.ForFile(path, $"{problem} (float-list columns: {lists}){(floatLists.Count == 0 && noListsHint is not null ? "; " + noListsHint : "")}");
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
