using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RepDiff.IO;

/// <summary>
/// Every member of every concept as one table row, for `repdiff export`: method, direction, rank, the group's own name
/// where some concept has one (`repdiff groups`: the names of the user's file; empty for a method's concepts beside them),
/// strength, the concept's trust (stability; found again on the discovery half, held-out p and its adjusted
/// value, confirmed; empty where not measured), the member's position in its concept (0 = best), whether the report's grid shows it, its
/// row in the inputs, id, label, score, the sample's image file where its image is one (its path relative to the --images folder or
/// manifest: how a sample without an id is found), the sample's text where the samples are texts, then one column per metadata column (prefixed "metadata_" where
/// a name is taken by a fixed column). Written as CSV (RFC 4180 quoting; text a spreadsheet would run as a formula
/// neutralized: <see cref="CsvField"/>) or JSON Lines (one object per member, nulls where a value is unknown).
/// </summary>
public static partial class MemberExport
{
    private static readonly string[] ConceptColumns = ["method", "direction", "rank"];

    private static readonly string[] FixedColumns = ["strength", "stability", "found_again", "p_value", "p_adjusted", "confirmed", "position", "in_grid", "row", "id", "label", "score"];

    /// <summary>
    /// The column of each concept's own name (Concept.Name), after its rank, in tables where some concept has one: a
    /// `repdiff groups` run's, or a comparison's with --groups. Absent otherwise, so a method's table reads as it always did.
    /// `repdiff groups` reads an export's groups back by it (GroupsFile).
    /// </summary>
    public const string GroupColumn = "group";

    /// <summary>The column of the samples' image files, after the fixed ones, when their images are files.</summary>
    private const string FileColumn = "file";

    /// <summary>The column of the samples' texts, after the fixed ones (and the files), when there are texts.</summary>
    private const string TextColumn = "text";

    /// <summary>Whether the table has the <see cref="GroupColumn"/>: some concept of the explanations has a name of its own.</summary>
    public static bool HasGroupNames(IEnumerable<Explanation> explanations)
        => explanations.Any(e => e.Directions.Any(d => d.Concepts.Any(c => c.Name is not null)));

    private static string[] Leading(bool named, SampleInfo samples) =>
        [.. ConceptColumns, .. named ? new[] { GroupColumn } : [], .. FixedColumns,
            .. samples.Files is null ? [] : new[] { FileColumn }, .. samples.Texts is null ? [] : new[] { TextColumn }];

    /// <summary>
    /// Column names: the concept's (method, direction, rank, and its name where some concept has one), the fixed ones, the
    /// file where the images are files, the text where the samples are texts, then the metadata columns.
    /// </summary>
    public static string[] Header(IEnumerable<Explanation> explanations, SampleInfo samples) => Header(HasGroupNames(explanations), samples);

    private static string[] Header(bool named, SampleInfo samples)
    {
        // A metadata column named like a fixed one is prefixed "metadata_", and numbered where that name is taken too.
        var leading = Leading(named, samples);
        var names = new List<string>(leading);
        foreach (var column in samples.Metadata?.Columns ?? [])
        {
            string name = leading.Contains(column.Name) ? "metadata_" + column.Name : column.Name;
            string unique = name;
            for (int k = 2; names.Contains(unique) || samples.Metadata!.Columns.Any(c => c != column && c.Name == unique); k++) unique = $"{name}_{k}";
            names.Add(unique);
        }
        return [.. names];
    }

    /// <summary>The rows, values aligned with <see cref="Header"/>: strings, ints, doubles, bools or null.</summary>
    public static IEnumerable<object?[]> Rows(IReadOnlyList<Explanation> explanations, SampleInfo samples)
    {
        bool named = HasGroupNames(explanations);
        var metadata = samples.Metadata?.Columns ?? [];
        int width = Leading(named, samples).Length + metadata.Count;
        foreach (var explanation in explanations)
            foreach (var direction in explanation.Directions)
                foreach (var concept in direction.Concepts)
                {
                    var grid = concept.Grid.ToHashSet();
                    for (int p = 0; p < concept.Members.Length; p++)
                    {
                        int row = concept.Members[p];
                        var values = new List<object?>(width) { explanation.Method, direction.Name, concept.Rank };
                        if (named) values.Add(concept.Name);
                        values.AddRange([concept.Strength, concept.Stability, concept.FoundAgain, concept.PValue, concept.PAdjusted, concept.Confirmed,
                            p, grid.Contains(row), row,
                            samples.Ids is { } ids && row < ids.Length ? ids[row] : null,
                            samples.Labels is { } labels && row < labels.Codes.Length ? labels[row] : null,
                            concept.Scores is { } scores ? scores[p] : null]);
                        if (samples.Files is { } files) values.Add(row < files.Length ? files[row] : null);
                        if (samples.Texts is { } texts) values.Add(row < texts.Length ? texts[row] : null);
                        foreach (var column in metadata) values.Add(row < column.Values.Length ? column.Values[row] : null);
                        yield return [.. values];
                    }
                }
    }

    public static void WriteCsv(TextWriter writer, IReadOnlyList<Explanation> explanations, SampleInfo samples)
    {
        writer.Write(string.Join(",", Header(explanations, samples).Select(CsvField)) + "\n");
        foreach (var row in Rows(explanations, samples))
            writer.Write(string.Join(",", row.Select(CsvField)) + "\n");
    }

    public static void WriteJsonLines(TextWriter writer, IReadOnlyList<Explanation> explanations, SampleInfo samples)
    {
        var header = Header(explanations, samples);
        // Metadata columns of numbers as written are JSON numbers (a data frame read from the file gets numeric columns).
        var asNumbers = samples.Metadata?.Columns.Select(c => c.IsJsonNumbers).ToArray() ?? [];
        int firstMetadata = header.Length - asNumbers.Length;
        var buffer = new MemoryStream();
        foreach (var row in Rows(explanations, samples))
        {
            buffer.SetLength(0);
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                for (int j = 0; j < header.Length; j++)
                {
                    switch (row[j])
                    {
                        case null: json.WriteNull(header[j]); break;
                        case string s when j >= firstMetadata && asNumbers[j - firstMetadata]:
                            json.WriteNumber(header[j], double.Parse(s, CultureInfo.InvariantCulture)); break;
                        case string s: json.WriteString(header[j], s); break;
                        case int i: json.WriteNumber(header[j], i); break;
                        case bool b: json.WriteBoolean(header[j], b); break;
                        case double d when double.IsFinite(d): json.WriteNumber(header[j], d); break;
                        case double d: json.WriteString(header[j], d.ToString(CultureInfo.InvariantCulture)); break;
                    }
                }
                json.WriteEndObject();
            }
            writer.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n");
        }
    }

    /// <summary>
    /// One CSV field. Text from the user's files (ids, labels, metadata values and column names) that begins with =, +, -,
    /// @, a tab or a carriage return is a formula to Excel, LibreOffice and Google Sheets when the file is opened there
    /// (OWASP "CSV injection": =HYPERLINK(...) or a DDE command in a sample id), so it is written with a leading apostrophe
    /// in a quoted field, which they show as text. Text that is a plain number (-0.25, +3, 1e-3) and the numbers of
    /// the fixed columns are written as they are. The report's downloads do the same (cards.js, csvField).
    /// </summary>
    public static string CsvField(object? value)
    {
        string text = Text(value);
        return value is string && IsFormula(text) ? "\"'" + text.Replace("\"", "\"\"") + "\"" : Quote(text);
    }

    private static bool IsFormula(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !PlainNumber().IsMatch(text);

    [GeneratedRegex(@"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")]
    private static partial Regex PlainNumber();

    private static string Text(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Quotes a CSV field when it holds a comma, quote, line break or edge whitespace.</summary>
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || field.Length > 0 && (char.IsWhiteSpace(field[0]) || char.IsWhiteSpace(field[^1]))
            ? "\"" + field.Replace("\"", "\"\"") + "\""
            : field;
}
