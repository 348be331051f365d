namespace RepDiff.IO;

/// <summary>
/// Reads `--metadata FILE`: a .csv/.tsv with a header row, or a .parquet/.arrow/.feather table, whose
/// columns describe the samples. Rows are matched to the samples by an id column (every sample's id must
/// be there once; rows for other ids are ignored, so one table can describe a larger dataset) or, without
/// one, by position (the row count must equal the number of samples). Empty CSV fields and table nulls
/// are missing values. A quoted CSV field may span lines (a caption with a line break); its row is named by its first line.
/// </summary>
public static class MetadataFile
{
    public const string Formats = ".csv, .tsv, .parquet, .arrow or .feather";

    /// <summary>
    /// The metadata of n samples. <paramref name="idColumn"/> names the column to join on; without it, the
    /// first of <paramref name="guessIdColumns"/> the file has is used when the samples have ids, else rows
    /// match samples by position. Every problem is a RepDiffInputException naming the file and the first bad row.
    /// </summary>
    public static SampleMetadata Load(string path, int n, string[]? sampleIds, string? idColumn = null, IEnumerable<string?>? guessIdColumns = null)
    {
        // Without ids, rows match samples by position and a row past the n-th is an error: it is counted, not kept.
        var (names, columns, rowCount, rowName) = ReadColumns(path, sampleIds is null ? n : null);
        if (names.Length == 0) throw NoMetadataColumns(path, []);
        var scalarNames = names;
        string? namedId = (guessIdColumns ?? []).FirstOrDefault(g => g is not null && names.Contains(g));
        // Matched by row, a table keyed by 'id' in another order than the samples gave every sample another's labels and
        // metadata, silently (helper 139); one whose rows are in the samples' order needs only those ids to join on.
        if (idColumn is null && sampleIds is null && namedId is not null)
            throw RepDiffInputException.ForFile(path, $"has an id column '{NpyDtype.Truncate(namedId)}', but the samples have no ids to join it on, "
                + "and matched by row its rows would describe whichever samples stand in their places; give the samples' ids "
                + "(--ids, --ids-a and --ids-b, or the --id-column of a table) or, if its rows are the samples in order, leave that column out");
        if (idColumn is null && sampleIds is not null)
            idColumn = namedId ?? HoldingEveryId(names, columns, sampleIds);
        int[] rows;
        if (idColumn is not null)
        {
            int key = Array.IndexOf(names, idColumn);
            if (key < 0) throw RepDiffInputException.ForFile(path, $"has no column '{NpyDtype.Truncate(idColumn)}' to join on (columns: {ColumnList(names)})");
            if (sampleIds is null)
                throw RepDiffInputException.ForFile(path, $"is keyed by '{idColumn}', but the samples have no ids (give A and B ids to join on)");
            rows = JoinRows(path, columns[key], sampleIds, rowName);
            names = names.Where((_, j) => j != key).ToArray();
            columns = columns.Where((_, j) => j != key).ToList();
        }
        else
        {
            int count = rowCount;
            if (count != n)
                throw RepDiffInputException.ForFile(path, count < n
                    ? $"has {count} rows but there are {n} samples: sample {count} has no row (name its id column to join by id)"
                    : $"has {count} rows but there are {n} samples: {rowName(n)} has no sample (name its id column to join by id)");
            rows = Enumerable.Range(0, n).ToArray();
        }
        if (names.Length == 0) throw NoMetadataColumns(path, scalarNames);
        var result = names.Select((name, j) => new MetadataColumn(name, rows.Select(r => columns[j][r]).ToArray())).ToList();
        return new SampleMetadata(result, rows.Length) { Source = Path.GetFileName(path) };
    }

    /// <summary>
    /// A table with no scalar column but the ids: its columns of lists (the embeddings beside their ids, as a table of vectors
    /// holds them) are not read as metadata, which had been said as "has no columns besides the ids", naming none of them.
    /// </summary>
    private static RepDiffInputException NoMetadataColumns(string path, IEnumerable<string> scalarNames)
    {
        var notScalar = (Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".parquet" => ParquetFile.Columns(path).Select(c => c.Name),
            ".arrow" or ".feather" or ".arrows" or ".ipc" => ArrowColumn.Columns(path).Select(c => c.Name),
            _ => [],
        }).Except(scalarNames).ToList();
        if (notScalar.Count == 0) return RepDiffInputException.ForFile(path, "has no columns besides the ids");
        string named = string.Join(", ", notScalar.Take(5).Select(c => $"'{NpyDtype.Truncate(c)}'")) + (notScalar.Count > 5 ? ", …" : "");
        return RepDiffInputException.ForFile(path, $"has no metadata column besides the ids: {named} {(notScalar.Count == 1 ? "holds lists, which are" : "hold lists, which are")} "
            + "not metadata; metadata are scalar columns, one number or string per sample (a label, a score, a source); give a table of those");
    }

    /// <summary>
    /// The first column holding every sample's id once, whatever its name: matched by position, a table keyed by
    /// 'image_id' in another order gave every sample another sample's metadata, silently (helper 79).
    /// </summary>
    private static string? HoldingEveryId(string[] names, List<string?[]> columns, string[] sampleIds)
    {
        var wanted = new HashSet<string>(sampleIds, StringComparer.Ordinal);
        for (int j = 0; j < columns.Count; j++)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            bool repeated = false;
            foreach (string? value in columns[j])
                if (value is not null && wanted.Contains(value) && !seen.Add(value))
                {
                    repeated = true;   // an id on two rows: a category, not a key
                    break;
                }
            if (!repeated && seen.Count == wanted.Count) return names[j];
        }
        return null;
    }

    /// <summary>For each sample, its row in the file: ids must be present, non-empty and unique.</summary>
    private static int[] JoinRows(string path, string?[] keys, string[] sampleIds, Func<int, string> rowName)
    {
        var rowOf = new Dictionary<string, int>(keys.Length, StringComparer.Ordinal);
        for (int r = 0; r < keys.Length; r++)
        {
            string key = keys[r] ?? throw RepDiffInputException.ForFile(path, $"{rowName(r)} has no id");
            if (!rowOf.TryAdd(key, r))
                throw RepDiffInputException.ForFile(path, $"id '{NpyDtype.Truncate(key)}' appears on {rowName(rowOf[key])} and {rowName(r)}; ids must be unique");
        }
        var rows = new int[sampleIds.Length];
        for (int i = 0; i < sampleIds.Length; i++)
            if (!rowOf.TryGetValue(sampleIds[i], out rows[i]))
                throw RepDiffInputException.ForFile(path, $"has no row for id '{NpyDtype.Truncate(sampleIds[i])}' (sample {i}){SampleFiles.NearMatchHint(keys, sampleIds[i])}; every sample needs one");
        return rows;
    }

    private static string ColumnList(IEnumerable<string> names) => string.Join(", ", names.Take(20).Select(NpyDtype.Truncate));

    /// <summary>
    /// Column names, each column's values (of the first <paramref name="keepRows"/> rows, when given), how many rows there
    /// are, and how messages name a data row (line of a text file, row of a table).
    /// </summary>
    private static (string[] Names, List<string?[]> Columns, int RowCount, Func<int, string> RowName) ReadColumns(string path, int? keepRows)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".csv" or ".tsv" => ReadDelimited(path, ext == ".tsv" ? '\t' : ',', keepRows),
            ".parquet" => ReadParquet(path),
            ".arrow" or ".feather" or ".arrows" or ".ipc" => ReadArrow(path),
            _ => throw RepDiffInputException.ForFile(path, $"unsupported metadata file type '{ext}' (expected {Formats})"),
        };
    }

    /// <summary>
    /// Memory per byte of a .csv/.tsv while it is read, at worst: an empty cell and its delimiter (1 byte) keep an 8-byte
    /// reference (24 while its column's list grows into a copy twice the size), a one-character cell adds a 24-byte string,
    /// and each row its line number. Measured: 30 MB of ",\n" rows kept whole (joined by id) peaked at 865 MB, 29 times the
    /// file; rows held as lists of fields had taken 64 times (1.9 GB) where the budget assumed 4 (reviewer).
    /// </summary>
    private const int DelimitedMemoryFactor = 32;

    private static (string[], List<string?[]>, int, Func<int, string>) ReadDelimited(string path, char delimiter, int? keepRows)
    {
        // The line cap of embedding CSVs: without it a file without line breaks is read whole into one line (2 GB for a 200 MB file).
        using var reader = new TextLines(path, DelimitedText.MaxLineChars, memoryFactor: 2);
        // Checked before reading: rows matched by id are all kept until the id column is known.
        MemoryBudget.EnsureFits(path, reader.FileBytes * DelimitedMemoryFactor,
            $"its cells (up to {DelimitedMemoryFactor} times the file's {MemoryBudget.Megabytes(reader.FileBytes)})",
            "keep only the samples' rows and the columns you need in the metadata file");
        string[]? names = null;
        // Kept column by column, an empty field as null: no list of fields per row outlives its line.
        List<string?>[] columns = [];
        var lines = new List<int>();
        int rowCount = 0;
        while (reader.Next() is { } line)
        {
            int lineNumber = reader.LineNumber;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = DelimitedText.Split(line, delimiter, path, lineNumber, reader.Next);
            if (names is null)
            {
                names = fields.Select(f => f.Trim()).ToArray();
                // A set, not a search of the names before each: a header of 200,000 columns took 72 s (reviewer).
                var seen = new HashSet<string>(names.Length, StringComparer.Ordinal);
                for (int j = 0; j < names.Length; j++)
                {
                    if (names[j].Length == 0 && j == 0) names[j] = "index"; // pandas' unnamed index column
                    else if (names[j].Length == 0) throw RepDiffInputException.ForFile(path, $"line {lineNumber}: column {j + 1} of the header has no name");
                    if (!seen.Add(names[j])) throw RepDiffInputException.ForFile(path, $"line {lineNumber}: column name '{NpyDtype.Truncate(names[j])}' appears twice");
                }
                columns = names.Select(_ => new List<string?>()).ToArray();
                continue;
            }
            if (fields.Count != names.Length)
                throw RepDiffInputException.ForFile(path, $"line {lineNumber} has {fields.Count} fields but the header has {names.Length}");
            // Past the rows kept, the line of the first one is still wanted: the error names it.
            if (keepRows is null || rowCount <= keepRows) lines.Add(lineNumber);
            if (keepRows is null || rowCount < keepRows)
                for (int j = 0; j < fields.Count; j++) columns[j].Add(fields[j].Length == 0 ? null : fields[j]);
            rowCount = checked(rowCount + 1);
        }
        if (names is null) throw RepDiffInputException.ForFile(path, "is empty; metadata needs a header row naming the columns");
        // One column's list let go as soon as it is copied, so the copies cost a column at a time, not the table again.
        var arrays = new List<string?[]>(columns.Length);
        for (int j = 0; j < columns.Length; j++)
        {
            arrays.Add(columns[j].ToArray());
            columns[j] = null!;
        }
        return (names, arrays, rowCount, r => $"line {lines[r]}");
    }

    private static (string[], List<string?[]>, int, Func<int, string>) ReadParquet(string path)
    {
        var reader = ParquetFile.Open(path, out var file);
        try
        {
            var fields = ParquetFile.ScalarColumns(reader.Schema);
            var columns = fields.Select(f => ParquetFile.ReadScalar(path, file, reader, f).Text).ToList();
            return (fields.Select(f => f.Name).ToArray(), columns, columns.Count == 0 ? 0 : columns[0].Length, r => $"row {r}");
        }
        finally
        {
            ParquetFile.Close(reader);
        }
    }

    private static (string[], List<string?[]>, int, Func<int, string>) ReadArrow(string path)
    {
        var (names, columns) = ArrowColumn.ReadScalars(path);
        return (names, columns, columns.Count == 0 ? 0 : columns[0].Length, r => $"row {r}");
    }
}
