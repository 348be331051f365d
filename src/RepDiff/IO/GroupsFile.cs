using System.Globalization;
using System.Text.Json;
using RepDiff.Methods.Groups;

namespace RepDiff.IO;

/// <summary>
/// Reads `repdiff groups --groups FILE`: groups of samples made elsewhere (a notebook's HDBSCAN clusters, another tool's
/// output, classes one model is suspected to merge, `repdiff export`'s table), one line per member, as a .csv/.tsv with a
/// header or JSON Lines (.jsonl, .ndjson), its columns read by name, never by position: a group column (`group`, or the one
/// named), a `row` (0-based, a row of A as given) or an `id` column (joined as the pair's ids are), and optionally `direction`
/// (which model is said to group them: a or b, the models' names, or a direction name as `export` writes it) and `in_grid`
/// (`export`'s members shown and scored). An export's table is grouped by its concepts: method, direction and rank, or
/// the group's own name where it is an export of given groups (its `group` column, <see cref="MemberExport.GroupColumn"/>).
/// Every problem is a <see cref="RepDiffInputException"/> naming the file and the first bad line.
/// </summary>
public static class GroupsFile
{
    public const string Formats = ".csv, .tsv, .jsonl or .ndjson";

    /// <summary>The column of group names when none is named.</summary>
    public const string DefaultGroupColumn = "group";

    /// <summary>The columns that name an export's concept, which are its groups (MemberExport's fixed columns).</summary>
    private static readonly string[] ExportConcept = ["method", "direction", "rank"];

    /// <summary>One group: its name, the model said to group it ("a", "b", or null: not said), its members in the file's order, and the members `in_grid` marks (null: no such column).</summary>
    public sealed record Group(string Name, string? Direction, int[] Members, int[]? Grid);

    /// <summary>
    /// The groups of the file over a pair of <paramref name="n"/> samples with <paramref name="ids"/> (null: the samples have
    /// none), whose models are called <paramref name="nameA"/> and <paramref name="nameB"/>, and how many of its members are
    /// rows of A that --common-samples left out (not scored).
    /// </summary>
    /// <param name="leftOut">What --common-samples left out, with which row of A each sample kept is: a row of the file is a
    /// row of A as given, so it is read as the sample kept from it. Null: the pair's rows are A's.</param>
    public static (IReadOnlyList<Group> Groups, int MembersLeftOut) Read(string path, string? groupColumn, int n, string[]? ids, string nameA, string nameB,
        LeftOutSamples? leftOut = null)
    {
        string[] wanted = [groupColumn ?? DefaultGroupColumn, .. ExportConcept, "row", "id", "in_grid"];
        var (columns, kept, lines) = ReadTable(path, wanted);
        if (lines.Count == 0)
            throw RepDiffInputException.ForFile(path, columns.Length == 0 ? "is empty; give one line per member of a group" : "has a header but no lines; give one line per member of a group");
        // A column's place among the values kept of each line (-1: the file has no such column).
        int Find(string name) => Array.IndexOf(kept, Array.FindIndex(columns, c => c == name) is int exact and >= 0 ? exact
            : Array.FindIndex(columns, c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase)));
        // An export's table is grouped by its concepts unless a group column is named: a metadata column called "group" in
        // it describes the samples, not the concepts the table lists.
        bool export = groupColumn is null && ExportConcept.All(c => Find(c) >= 0) && Find("row") >= 0;
        int[] groupAt = export ? ExportConcept.Select(Find).ToArray() : [Find(groupColumn ?? DefaultGroupColumn)];
        // In an export, the given groups' own names (only a `groups` run's lines: another method's have none, and a column
        // "group" beside them is metadata, which export would have renamed had the table had names of its own).
        int givenNameAt = export ? Find(MemberExport.GroupColumn) : -1;
        if (groupAt[0] < 0)
            throw RepDiffInputException.ForFile(path, $"has no '{NpyDtype.Truncate(groupColumn ?? DefaultGroupColumn)}' column (columns: {ColumnList(columns)}); "
                + (groupColumn is null ? "name the column of group names with --group-column" : "name another with --group-column"));
        int rowAt = Find("row"), idAt = Find("id"), directionAt = Find("direction"), gridAt = Find("in_grid");
        if (rowAt < 0 && idAt < 0)
            throw RepDiffInputException.ForFile(path, $"has neither a 'row' (0-based) nor an 'id' column to name each member (columns: {ColumnList(columns)})");
        var rowOfId = ids is null ? null : RowsOfIds(ids);
        var rowsOfA = leftOut is { RowsOfA: { } keptOfA } ? new RowsOfA(nameA, keptOfA, leftOut.Kept + leftOut.CountA) : new RowsOfA(nameA, null, n, rowsAreA: leftOut is null);
        if (rowAt < 0 && rowOfId is null)
            throw RepDiffInputException.ForFile(path, "names its members by 'id', but A and B carry no ids to join them on (give --ids, --ids-a/--ids-b or --id-column, or a 'row' column)");

        var groups = new Dictionary<string, Building>(StringComparer.Ordinal);
        var order = new List<Building>();
        string? firstUnknown = null;
        int unknown = 0;
        // Members whose row is a sample --common-samples left out, by group: how many and the first line.
        var leftOutOf = new Dictionary<string, (int Count, int Line)>(StringComparer.Ordinal);
        foreach (var (line, values) in lines)
        {
            string name = !export ? values[groupAt[0]] ?? ""
                : givenNameAt >= 0 && values[groupAt[0]] == GivenGroupsMethod.MethodName && values[givenNameAt] is { } given ? Unneutralized(given)
                : string.Join(" · ", groupAt.Select(j => values[j] ?? ""));
            if (name.Trim().Length == 0) throw RepDiffInputException.ForFile(path, $"line {line} has no group in '{columns[kept[groupAt[0]]]}'");
            int? sample = SampleOf(path, line, values, rowAt, idAt, rowOfId, rowsOfA, out string? missing);
            if (sample == LeftOutRow)
            {
                var (count, first) = leftOutOf.GetValueOrDefault(name);
                leftOutOf[name] = (count + 1, count == 0 ? line : first);
                continue;
            }
            if (sample is not int i)
            {
                firstUnknown ??= missing;
                unknown++;
                continue;
            }
            string? direction = directionAt < 0 ? null : DirectionOf(path, line, values[directionAt], nameA, nameB);
            if (!groups.TryGetValue(name, out var group))
            {
                groups[name] = group = new Building(name, direction, line);
                order.Add(group);
            }
            else if (group.Direction != direction)
                throw RepDiffInputException.ForFile(path, $"line {line} says group '{NpyDtype.Truncate(name)}' is grouped by {Said(direction)}, but line {group.FirstLine} said {Said(group.Direction)}");
            if (!group.LineOf.TryAdd(i, line))
                throw RepDiffInputException.ForFile(path, $"lines {group.LineOf[i]} and {line} both put sample {Sample(i, ids)} in group '{NpyDtype.Truncate(name)}'; list each member of a group once");
            group.Members.Add(i);
            if (gridAt >= 0 && IsTrue(path, line, values[gridAt])) group.Grid.Add(i);
        }
        if (unknown > 0)
            throw RepDiffInputException.ForFile(path, $"{firstUnknown}{(unknown > 1 ? $" ({unknown:N0} lines name samples that are not in these inputs)" : "")}; "
                + "are these the groups of another pair, or of rows in another order?");
        if (leftOutOf.FirstOrDefault(g => !groups.ContainsKey(g.Key)) is { Key: { } emptied, Value: var all })
            throw RepDiffInputException.ForFile(path, $"group '{NpyDtype.Truncate(emptied)}' (line {all.Line}) names only rows of {nameA} that --common-samples left out "
                + "(samples the other input does not hold), so none of it is left to score; remove the group or give inputs that hold its samples");
        if (order.FirstOrDefault(g => g.Members.Count < 2) is { } single)
            throw RepDiffInputException.ForFile(path, $"group '{NpyDtype.Truncate(single.Name)}' (line {single.FirstLine}) has one sample"
                + (leftOutOf.TryGetValue(single.Name, out var gone) ? $" ({gone.Count:N0} more {(gone.Count == 1 ? "is a row" : "are rows")} of {nameA} that --common-samples left out)" : "")
                + "; BSR compares the pairs of samples within a group, so each group needs two or more");
        return (order.Select(g => new Group(g.Name, g.Direction, [.. g.Members], gridAt < 0 ? null : [.. g.Grid])).ToList(), leftOutOf.Values.Sum(g => g.Count));
    }

    /// <summary>What <see cref="SampleOf"/> returns for a row of A that --common-samples left out.</summary>
    private const int LeftOutRow = -1;

    /// <summary>
    /// The rows of A as the user gave them (<paramref name="count"/>, in <paramref name="name"/>) and the pair's sample each
    /// is: the same row, or with --common-samples the sample kept from it (<paramref name="kept"/>: the row of A of each
    /// sample kept), or none. <paramref name="rowsAreA"/> is false where --common-samples left out samples but which row of A
    /// each kept one is was not kept (a pair read back from results.json).
    /// </summary>
    private sealed class RowsOfA(string name, int[]? kept, int count, bool rowsAreA = true)
    {
        private readonly int[]? sampleOf = kept is null ? null : Inverse(kept, count);

        public string Name => name;
        public int Count => count;

        /// <summary>The pair's sample of row <paramref name="row"/> of A (in range), or <see cref="LeftOutRow"/>.</summary>
        public int Sample(int row) => sampleOf is null ? row : sampleOf[row];

        /// <summary>Whether <paramref name="row"/> is sample <paramref name="sample"/>'s row of A, or its row among the pair's (an export's rows count the samples kept).</summary>
        public bool Names(int row, int sample) => row == sample || kept is not null && row == kept[sample];

        /// <summary>
        /// Sample <paramref name="sample"/> in the user's terms: its row of A ("row 61 of a.npy"), with its row among the
        /// samples kept where --common-samples moved it, since an export's rows count those.
        /// </summary>
        public string RowOf(int sample) => kept is not null && kept[sample] != sample
            ? $"row {kept[sample]} of {name} (row {sample} of the {kept.Length:N0} samples kept)"
            : rowsAreA ? $"row {sample} of {name}" : $"row {sample} of the samples kept";

        private static int[] Inverse(int[] kept, int count)
        {
            var sample = new int[count];
            Array.Fill(sample, LeftOutRow);
            for (int i = 0; i < kept.Length; i++) sample[kept[i]] = i;
            return sample;
        }
    }

    private sealed record Building(string Name, string? Direction, int FirstLine)
    {
        public List<int> Members { get; } = [];
        public List<int> Grid { get; } = [];
        public Dictionary<int, int> LineOf { get; } = [];
    }

    private static string Said(string? direction) => direction is null ? "no model" : direction.ToUpperInvariant();

    private static string Sample(int row, string[]? ids) => ids is null ? row.ToString(CultureInfo.InvariantCulture) : $"'{NpyDtype.Truncate(ids[row])}'";

    private static Dictionary<string, int> RowsOfIds(string[] ids)
    {
        var rows = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (int i = 0; i < ids.Length; i++) rows.TryAdd(ids[i], i);
        return rows;
    }

    /// <summary>
    /// The member's sample: by id where the line has one and the samples have ids (checked against its row when the line has
    /// both, as an export's lines do), else by its row of A (<see cref="LeftOutRow"/> for one --common-samples left out).
    /// Null, with the reason in <paramref name="missing"/>, for a sample these inputs do not have: the caller counts them.
    /// </summary>
    private static int? SampleOf(string path, int line, string?[] values, int rowAt, int idAt, Dictionary<string, int>? rowOfId, RowsOfA rowsOfA, out string? missing)
    {
        missing = null;
        string? rowText = rowAt < 0 ? null : values[rowAt];
        int? row = null;
        if (!string.IsNullOrWhiteSpace(rowText))
        {
            if (!int.TryParse(rowText.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int r))
                throw RepDiffInputException.ForFile(path, $"line {line}: row '{NpyDtype.Truncate(rowText)}' is not a whole number (rows count from 0)");
            row = r;
        }
        string? id = idAt < 0 ? null : values[idAt];
        if (rowOfId is not null && !string.IsNullOrEmpty(id))
        {
            if (!rowOfId.TryGetValue(id, out int byId) && !rowOfId.TryGetValue(Unneutralized(id), out byId))
            {
                missing = $"line {line}: id '{NpyDtype.Truncate(id)}' is not a sample of these inputs";
                return null;
            }
            if (row is int given && !rowsOfA.Names(given, byId))
                throw RepDiffInputException.ForFile(path, $"line {line}: id '{NpyDtype.Truncate(id)}' is {rowsOfA.RowOf(byId)}, but the line says row {given}; "
                    + "give the inputs (and ids) the groups were made on");
            return byId;
        }
        if (row is not int i)
            throw RepDiffInputException.ForFile(path, $"line {line} has no {(rowAt < 0 ? "id" : rowOfId is null || idAt < 0 ? "row" : "row or id")}");
        if (i < 0 || i >= rowsOfA.Count)
        {
            missing = $"line {line}: row {i} is not a row of {rowsOfA.Name}, which has {rowsOfA.Count:N0} (rows 0 to {rowsOfA.Count - 1:N0})";
            return null;
        }
        return rowsOfA.Sample(i);
    }

    /// <summary>
    /// An id or a group's name as `export` wrote it into CSV where it would have been a spreadsheet formula: a leading
    /// apostrophe (MemberExport.CsvField), taken off again (an id only when the id with it is no sample).
    /// </summary>
    private static string Unneutralized(string id) => id.Length > 1 && id[0] == '\'' && id[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? id[1..] : id;

    /// <summary>"a", "b" or null (not said) from a direction cell.</summary>
    private static string? DirectionOf(string path, int line, string? value, string nameA, string nameB)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        string v = value.Trim();
        if (v.Equals("a", StringComparison.OrdinalIgnoreCase) || v == nameA || v is DirectionNames.MoreSimilarInA or DirectionNames.ConceptsOfA) return "a";
        if (v.Equals("b", StringComparison.OrdinalIgnoreCase) || v == nameB || v is DirectionNames.MoreSimilarInB or DirectionNames.ConceptsOfB) return "b";
        if (v is DirectionNames.MoreFrequentInTest or DirectionNames.MoreFrequentInRef)
            throw RepDiffInputException.ForFile(path, $"line {line}: direction '{v}' is FINC's, whose members are rows of two sample sets, not samples of a pair");
        throw RepDiffInputException.ForFile(path, $"line {line}: direction '{NpyDtype.Truncate(v)}' is neither model: give a or b, "
            + $"'{NpyDtype.Truncate(nameA)}' or '{NpyDtype.Truncate(nameB)}', or leave it empty to score the group both ways");
    }

    private static bool IsTrue(string path, int line, string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "false" or "0" or "no" => false,
        "true" or "1" or "yes" => true,
        _ => throw RepDiffInputException.ForFile(path, $"line {line}: in_grid '{NpyDtype.Truncate(value)}' is not true or false"),
    };

    private static string ColumnList(string[] columns) => columns.Length == 0 ? "none" : string.Join(", ", columns.Take(20).Select(NpyDtype.Truncate)) + (columns.Length > 20 ? ", …" : "");

    /// <summary>
    /// The column names, which of them are kept (those named like <paramref name="wanted"/>, in any case: a line keeps no
    /// other value, so a wide table costs only the columns read), and each line's kept values (null where empty or absent)
    /// with its line number.
    /// </summary>
    private static (string[] Columns, int[] Kept, List<(int Line, string?[] Values)> Lines) ReadTable(string path, string[] wanted)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".csv" or ".tsv" or ".jsonl" or ".ndjson"))
            throw RepDiffInputException.ForFile(path, $"unsupported groups file type '{ext}' (expected {Formats})");
        using var reader = new TextLines(path, DelimitedText.MaxLineChars, memoryFactor: 2);
        // Each line keeps a few short strings and its number: some 16 times the bytes of a short line such as "g,12".
        MemoryBudget.EnsureFits(path, reader.FileBytes * LineMemoryFactor, $"its lines (up to {LineMemoryFactor} times the file's {MemoryBudget.Megabytes(reader.FileBytes)})",
            "split the groups into several files");
        string[]? columns = null;
        int[] kept = [];
        var lines = new List<(int, string?[])>();
        while (reader.Next() is { } text)
        {
            int number = reader.LineNumber;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var fields = ext is ".jsonl" or ".ndjson" ? JsonFields(path, number, text, ref columns) : DelimitedFields(path, number, text, ext == ".tsv" ? '\t' : ',', reader, ref columns);
            if (fields is null)
            {
                kept = Enumerable.Range(0, columns!.Length).Where(j => wanted.Contains(columns[j], StringComparer.OrdinalIgnoreCase)).ToArray();
                if (ext is ".csv" or ".tsv") continue;   // a header, not a line of groups
                fields = JsonFields(path, number, text, ref columns)!;
            }
            lines.Add((number, kept.Select(j => j < fields.Count && fields[j] is { Length: > 0 } value ? value : null).ToArray()));
        }
        return (columns ?? [], kept, lines);
    }

    private const int LineMemoryFactor = 16;

    /// <summary>A CSV/TSV line's fields; null for the header, which sets <paramref name="columns"/>.</summary>
    private static List<string?>? DelimitedFields(string path, int number, string text, char delimiter, TextLines reader, ref string[]? columns)
    {
        var fields = DelimitedText.Split(text, delimiter, path, number, reader.Next);
        if (columns is null)
        {
            columns = fields.Select(f => f.Trim()).ToArray();
            return null;
        }
        if (fields.Count > columns.Length)
            throw RepDiffInputException.ForFile(path, $"line {number} has {fields.Count} fields but the header names {columns.Length} columns");
        return [.. fields];
    }

    /// <summary>
    /// A JSON line's fields in the order of <paramref name="columns"/>, the first record's fields (a field a later record
    /// lacks is empty there); null for the first record, which sets them (and is read again as a line of groups).
    /// </summary>
    private static List<string?>? JsonFields(string path, int number, string text, ref string[]? columns)
    {
        JsonDocument record;
        try { record = JsonDocument.Parse(text); }
        catch (JsonException e) { throw RepDiffInputException.ForFile(path, $"line {number} is not JSON ({JsonErrorText.Message(e)})"); }
        using (record)
        {
            if (record.RootElement.ValueKind != JsonValueKind.Object)
                throw RepDiffInputException.ForFile(path, $"line {number} is a JSON {record.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object of fields");
            if (columns is null)
            {
                columns = record.RootElement.EnumerateObject().Select(p => p.Name).Distinct().ToArray();
                return null;
            }
            var root = record.RootElement;
            return columns.Select(c => root.TryGetProperty(c, out var v) ? Text(v) : null).ToList();
        }
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : null,
        _ => value.GetRawText(),
    };
}
