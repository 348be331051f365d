using System.Globalization;
using System.Text;

namespace RepDiff.IO;

/// <summary>
/// Reads embeddings from .csv (comma) or .tsv (tab) text: one sample per line, numeric columns, an
/// optional header row (detected: a first row with a non-numeric field and no decimal number, or pandas' default
/// column names 0, 1, …, w − 1 above rows of decimals) and an optional id
/// column named by the header (a header whose first name is empty, as pandas writes its index, makes
/// that column the ids). Fields may be double-quoted. Blank lines are skipped.
/// </summary>
public static class DelimitedText
{
    /// <summary>
    /// Longest line read: a row of 100,000 dimensions written with numpy's full precision ("%.18e", 25
    /// characters) is 2.6 million characters; a line beyond this is not a row of embeddings.
    /// </summary>
    public const int MaxLineChars = 1 << 23;

    internal static RowFile OpenRows(string path, string? idColumn, bool checkFinite)
    {
        char delimiter = Path.GetExtension(path).Equals(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',';
        // The values are at most one float32 per two characters of text: 2 bytes per file byte, twice while the list grows.
        using var reader = new TextLines(path, MaxLineChars, memoryFactor: 4);
        var values = new List<float>();
        List<string>? ids = null;
        var idLines = new Dictionary<string, int>(StringComparer.Ordinal);
        int idIndex = -1, width = -1, lineNumber = 0, rows = 0;
        bool first = true;
        // A first row 0, 1, …, w − 1 is pandas' column names (DataFrame.to_csv(index=False)) or a row of data that happens to
        // read so: it is read as data until a later row settles it. pandas writes float columns with a decimal point, so a
        // later decimal makes it the header; when every value is a whole number nothing tells them apart.
        bool rangeRow = false, laterDecimal = false;
        string? firstName = null; // the first column's name in the header, if there is one
        List<string>? headerNames = null;
        string? line;
        while ((line = reader.Next()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = Split(line, delimiter, path, lineNumber);
            if (first)
            {
                first = false;
                width = fields.Count;
                bool header = IsHeader(fields);
                if (header) (firstName, headerNames) = (fields[0], fields);
                rangeRow = idColumn is null && !header && IsColumnNumbers(fields);
                if (idColumn is not null)
                {
                    idIndex = header ? fields.IndexOf(idColumn) : -1;
                    if (idIndex < 0)
                        throw RepDiffInputException.ForFile(path, header
                            ? $"has no column '{idColumn}' (columns: {string.Join(", ", fields.Take(20).Select(NpyDtype.Truncate))})"
                            : $"the id column {idColumn} needs a header row naming the columns");
                    if (fields.LastIndexOf(idColumn) != idIndex)
                        throw RepDiffInputException.ForFile(path, $"line {lineNumber}: the id column '{NpyDtype.Truncate(idColumn)}' appears twice in the header (columns {idIndex + 1} and {fields.LastIndexOf(idColumn) + 1})");
                }
                else if (header && fields[0].Trim().Length == 0)
                    idIndex = 0; // an unnamed first column is an index (pandas writes one by default): ids, not a dimension
                if (idIndex >= 0) ids = [];
                if (width - (idIndex >= 0 ? 1 : 0) == 0) throw RepDiffInputException.ForFile(path, "has no numeric columns");
                if (header) continue;
            }
            if (fields.Count != width)
                throw RepDiffInputException.ForFile(path, $"line {lineNumber} has {fields.Count} fields but the first row has {width}"
                    // A header "id;f0;f1" is one field and "s0;0,12;0,5" several: a spreadsheet's semicolons and decimal commas.
                    + (line.Contains(';') || width == 1 && headerNames?[0].Contains(';') == true
                        ? SemicolonHint(delimiter) : ""));
            for (int j = 0; j < fields.Count; j++)
            {
                if (j == idIndex)
                {
                    if (string.IsNullOrWhiteSpace(fields[j]))
                        throw RepDiffInputException.ForFile(path, $"line {lineNumber}: the id is empty; every sample needs an id");
                    if (idLines.TryGetValue(fields[j], out int previous))
                        throw RepDiffInputException.ForFile(path, $"id '{NpyDtype.Truncate(fields[j])}' appears on line {previous} and line {lineNumber}; ids must be unique");
                    idLines[fields[j]] = lineNumber;
                    ids!.Add(fields[j]);
                    continue;
                }
                if (rows > 0 && !laterDecimal && !IsWholeNumber(fields[j])) laterDecimal = true;
                if (!TryParse(fields[j], out float v) && string.IsNullOrWhiteSpace(fields[j]))
                    throw RepDiffInputException.ForFile(path, $"line {lineNumber} column {j + 1} is empty"
                        + (j == fields.Count - 1 ? $" (the line ends with a '{(delimiter == '\t' ? "\\t" : delimiter)}')" : "") + "; every cell must hold a number");
                if (!TryParse(fields[j], out v))
                    throw OtherSeparatorHint(fields[j], delimiter) is { } hint
                        ? RepDiffInputException.ForFile(path, $"line {lineNumber} column {j + 1}: '{NpyDtype.Truncate(fields[j])}' is not a number" + hint)
                        : TextColumns(path, lineNumber, fields, headerNames, idIndex, idColumn);
                // Named by line and column as the file is read; inspect counts them (a number beyond float32 as Inf) instead.
                if (checkFinite && !float.IsFinite(v))
                    throw float.IsInfinity(v) && !IsInfinityWord(fields[j])
                        ? RowFile.BeyondFloat32(path, $"line {lineNumber} column {j + 1}", NpyDtype.Truncate(fields[j].Trim()))
                        : RowFile.NotFinite(path, $"line {lineNumber} column {j + 1}", NpyDtype.Truncate(fields[j].Trim()));
                values.Add(v);
            }
            rows++;
        }
        if (width < 0) throw RepDiffInputException.ForFile(path, "is empty");
        if (rangeRow)
        {
            if (!laterDecimal)
                throw RepDiffInputException.ForFile(path, $"line 1 reads {ColumnNumbersText(width)}, which is pandas' column names or a first row of data, "
                    + "and every value is a whole number, so it could be either; name the columns (e.g. d0,d1,…) if it is a header, or put a header above it if it is data");
            values.RemoveRange(0, width); // pandas' column names: a header, not a sample
            rows--;
        }
        if (rows == 0) throw RepDiffInputException.ForFile(path, "has a header row but no data rows");
        int cols = width - (idIndex >= 0 ? 1 : 0);
        var data = values.ToArray();
        if (idIndex != 0) RefuseRowIndex(path, data, rows, cols, firstName);
        // Text has no types: a column of numbers only, one with a fraction or an exponent, is a float column.
        if (idColumn is not null && ids is not null && ids.All(id => TryParse(id, out _)) && ids.FirstOrDefault(id => !IsWholeNumber(id)) is { } fraction)
            throw TableColumnChoice.FloatIds(path, idColumn, fraction);
        return new RowFile(path, new Matrix(rows, cols, data), checkFinite) { Ids = ids?.ToArray() };
    }

    /// <summary>
    /// A cell that is several numbers: fields split by another separator than the file's. "0.1 0.2 0.3" is np.savetxt's
    /// default (a space); it had been taken for a header and the next line's numbers for a column of ids. Or one number
    /// written with a decimal comma.
    /// </summary>
    private static string? OtherSeparatorHint(string field, char delimiter)
    {
        if (field.Contains(';')) return SemicolonHint(delimiter);
        // "0,5" in a .tsv: a spreadsheet's decimal comma (a .csv splits it into two fields instead).
        if (delimiter == '\t' && field.Count(c => c == ',') == 1 && TryParse(field.Replace(',', '.'), out _))
            return " (a decimal comma, as spreadsheets in many locales write numbers? numbers are read with a decimal point: 0.5, not 0,5)";
        var parts = field.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !parts.All(p => TryParse(p, out _))) return null;
        return delimiter == '\t'
            ? " (fields separated by spaces, as np.savetxt writes them by default? a .tsv is read by tabs: np.savetxt(path, x, delimiter='\\t'))"
            : " (fields separated by spaces, as np.savetxt writes them by default? a .csv is read by commas: np.savetxt(path, x, delimiter=','))";
    }

    /// <summary>What a field or header holding ';' most likely means: a spreadsheet's export with decimal commas.</summary>
    private static string SemicolonHint(char delimiter) =>
        $" (fields separated by ';', as spreadsheets with decimal commas write them? {(delimiter == '\t' ? "a .tsv is read by tabs" : "a .csv is read by commas")} and decimal points)";

    /// <summary>
    /// The columns of a data line that hold text, named by the header, and what to do with them: an id column is named with
    /// --id-column, anything else (a label, a caption) has no place among the dimensions. "line 2 column 1: 's0000' is not a
    /// number (name it as the id column)" had named neither the flag nor, once the ids were named, the label column after them.
    /// </summary>
    private static RepDiffInputException TextColumns(string path, int lineNumber, List<string> fields, List<string>? headerNames, int idIndex, string? idColumn)
    {
        var text = Enumerable.Range(0, fields.Count).Where(j => j != idIndex && !TryParse(fields[j], out _) && !string.IsNullOrWhiteSpace(fields[j])).ToList();
        string Column(int j) => headerNames is null ? $"column {j + 1}" : $"column {j + 1} ('{NpyDtype.Truncate(headerNames[j])}')";
        string where = $"line {lineNumber} " + (text.Count == 1 ? Column(text[0]) : string.Join(", ", text.Take(3).Select(Column)) + (text.Count > 3 ? ", …" : ""));
        string values = string.Join(", ", text.Take(3).Select(j => $"'{NpyDtype.Truncate(fields[j])}'"));
        string problem = $"{where}: {values} {(text.Count == 1 ? "is not a number" : "are not numbers")}";
        // Without a header nothing names a column: a typo as likely as a column of text.
        if (headerNames is null)
            return RepDiffInputException.ForFile(path, $"{problem}; every cell must hold a number (a column of ids needs a header row naming it, for --id-column)");
        // With a header and no id column named yet, the first text column may be the ids: say how to name it.
        string advice = idColumn is not null ? (text.Count == 1 ? "remove it" : "remove them")
            : text.Count == 1 ? $"if it holds sample ids, give --id-column {NpyDtype.Truncate(headerNames[text[0]])}, otherwise remove it"
            : $"if '{NpyDtype.Truncate(headerNames[text[0]])}' holds sample ids, give --id-column {NpyDtype.Truncate(headerNames[text[0]])}, and remove the {(text.Count == 2 ? "other" : "others")}";
        return RepDiffInputException.ForFile(path, $"{problem}; {advice}: an embedding table holds only numbers beside its id column "
            + "(labels go in --labels, other columns in --metadata)");
    }

    /// <summary>
    /// A first column holding every row number once, 0 … n − 1 or 1 … n, beside columns of decimals, is a row index, not a
    /// dimension: pandas writes its index first (to_csv(header=False) without a header; a file read back and saved again
    /// names it "Unnamed: 0"), R's row names (write.table without column names) and spreadsheets' row numbers count from 1.
    /// Read as a dimension it outweighed every other (values up to n against values near 1), silently. Whole-number data
    /// (counts) and a column that misses or repeats a row number are read as they are.
    /// </summary>
    private static void RefuseRowIndex(string path, float[] data, int rows, int cols, string? firstName)
    {
        if (cols < 2 || rows < 3) return;
        float start = data[0];
        for (int r = 1; r < rows; r++) start = MathF.Min(start, data[(long)r * cols]);
        if (start is not (0f or 1f)) return;
        var seen = new bool[rows];
        bool decimals = false;
        for (int r = 0; r < rows; r++)
        {
            float v = data[(long)r * cols] - start;
            if (v < 0 || v >= rows || v != MathF.Floor(v) || seen[(int)v]) return;
            seen[(int)v] = true;
            for (int j = 1; j < cols && !decimals; j++)
                decimals = data[(long)r * cols + j] is var x && float.IsFinite(x) && x != MathF.Floor(x);
        }
        if (!decimals) return;
        int first = (int)start;
        bool pandas = first == 0;
        string without = pandas ? "to_csv(index=False)" : "in R write.csv(x, row.names = FALSE)";
        throw RepDiffInputException.ForFile(path, $"column 1{(firstName is null ? "" : $" ('{NpyDtype.Truncate(firstName)}')")} holds every row number "
            + $"{first} to {rows - 1 + first} once: a row index ({(pandas ? "pandas writes one first" : "R's row names and spreadsheets' row numbers count from 1")}), not a dimension; "
            + (firstName is null || firstName.Trim().Length == 0 ? $"write the file without it ({without})" : $"name it with --id-column {firstName}, or write the file without it ({without})"));
    }

    /// <summary>
    /// Whether the first row names the columns: it holds a field that is no number and none that only data holds (a
    /// number with a decimal point or an exponent: such a row is data with one bad cell, reported as such rather than
    /// dropped as a header). pandas' default names 0, 1, …, w − 1 are decided by the rows after them (<see cref="IsColumnNumbers"/>).
    /// </summary>
    private static bool IsHeader(List<string> fields)
    {
        bool text = false, data = false;
        foreach (string field in fields)
        {
            if (!TryParse(field, out _)) text = true;
            else if (!IsWholeNumber(field)) data = true;
        }
        return text && !data;
    }

    /// <summary>Whether the row is 0, 1, …, w − 1 (w ≥ 2), the names pandas gives unnamed columns.</summary>
    private static bool IsColumnNumbers(List<string> fields)
    {
        if (fields.Count < 2) return false;
        for (int j = 0; j < fields.Count; j++)
            if (fields[j].Trim() != j.ToString(CultureInfo.InvariantCulture)) return false;
        return true;
    }

    private static string ColumnNumbersText(int width) => width <= 4 ? string.Join(", ", Enumerable.Range(0, width)) : $"0, 1, …, {width - 1}";

    private static bool IsWholeNumber(string field)
    {
        var s = field.AsSpan().Trim();
        if (s.Length > 0 && s[0] is '+' or '-') s = s[1..];
        return s.Length > 0 && !s.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>A number as numpy.savetxt and pandas write them, including nan and inf (which validation then reports).</summary>
    private static bool TryParse(string field, out float value)
    {
        var s = field.AsSpan().Trim();
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
        {
            value = (float)d;
            return true;
        }
        var word = s.TrimStart("+-");
        if (word.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = float.NaN;
            return true;
        }
        if (word.Equals("inf", StringComparison.OrdinalIgnoreCase) || word.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = s.StartsWith("-") ? float.NegativeInfinity : float.PositiveInfinity;
            return true;
        }
        value = 0;
        return false;
    }

    private static bool IsInfinityWord(string field)
    {
        var word = field.AsSpan().Trim().TrimStart("+-");
        return word.Equals("inf", StringComparison.OrdinalIgnoreCase) || word.Equals("infinity", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Splits one line into fields; a field in double quotes may hold the delimiter, and "" stands for a quote.</summary>
    /// <param name="nextLine">
    /// Reads the file's next line when a quoted field runs past the end of this one (a caption with a line break, as
    /// pandas and Python's csv module write it); null when every record must end on its line. The record is then
    /// capped at <see cref="MaxLineChars"/>, so a stray quote is reported, not read to the end of the file.
    /// </param>
    internal static List<string> Split(string line, char delimiter, string path, int lineNumber, Func<string?>? nextLine = null)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        long recordChars = line.Length;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                for (i++; ; i++)
                {
                    if (i >= line.Length)
                    {
                        if (nextLine?.Invoke() is not { } more)
                            throw RepDiffInputException.ForFile(path, $"line {lineNumber}: unterminated quoted field");
                        recordChars += more.Length + 1;
                        if (recordChars > MaxLineChars)
                            throw RepDiffInputException.ForFile(path, $"line {lineNumber}: a quoted field runs on past {MaxLineChars:#,0} characters (a quote never closed?)");
                        field.Append('\n');
                        (line, i) = (more, -1); // the loop's i++ starts the next line at 0
                        continue;
                    }
                    if (line[i] != '"') { field.Append(line[i]); continue; }
                    if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; continue; }
                    i++;
                    break;
                }
                if (i < line.Length && line[i] != delimiter)
                    throw RepDiffInputException.ForFile(path, $"line {lineNumber}: text after a closing quote");
            }
            else
            {
                int end = line.IndexOf(delimiter, i);
                if (end < 0) end = line.Length;
                field.Append(line, i, end - i);
                i = end;
            }
            fields.Add(field.ToString());
            if (i >= line.Length) return fields;
            i++; // the delimiter
        }
    }
}
