using Parquet;
using Parquet.Schema;

namespace RepDiff.IO;

/// <summary>
/// A list column of float32/float64 values in a Parquet file, one embedding per row, decoded one row
/// group at a time. Row lengths come from the repetition levels (0 starts a row), nulls from the
/// definition levels. Parquet has no fixed-size list (pyarrow writes one as a plain list), so the width
/// is the first row's length and every other row is checked against it. A wide table (one float column per
/// dimension, as pandas writes a DataFrame of vectors) is read the same way, a column chunk at a time.
/// </summary>
internal sealed class ParquetColumn : TableColumn
{
    private readonly ParquetReader reader;
    /// <summary>The file the reader reads, through which row groups' page headers are walked.</summary>
    private readonly FileStream file;
    /// <summary>The list column's values; null for a wide table.</summary>
    private readonly DataField? leaf;
    /// <summary>A wide table's float columns, one dimension each, in the file's order (empty for a list column).</summary>
    private readonly DataField[] dimensions = [];

    private ParquetColumn(string path, string column, ParquetReader reader, FileStream file, DataField leaf) : base(path, column)
    {
        this.reader = reader;
        this.file = file;
        this.leaf = leaf;
        Dtype = new NpyDtype('f', leaf.ClrType == typeof(double) ? 8 : 4, false);
    }

    private ParquetColumn(string path, string pattern, ParquetReader reader, FileStream file, DataField[] dimensions)
        : base(path, pattern, $"{path} (columns '{pattern}')")
    {
        this.reader = reader;
        this.file = file;
        this.dimensions = dimensions;
        Dtype = new NpyDtype('f', dimensions.Any(d => d.ClrType == typeof(double)) ? 8 : 4, false);
        Cols = dimensions.Length;
    }

    public static ParquetColumn Open(string path, string? column, string? idColumn)
    {
        var reader = ParquetFile.Open(path, out var file);
        try
        {
            var scalars = ParquetFile.ScalarColumns(reader.Schema);
            idColumn = TableColumnChoice.IdColumnOrDefault(idColumn, scalars.Select(f => f.Name));
            var (name, wide) = TableColumnChoice.Choose(path, column, idColumn, ParquetFile.SchemaOf(reader.Schema));
            var table = wide is null
                ? new ParquetColumn(path, name, reader, file, ParquetFile.FloatListColumns(reader.Schema).First(l => l.Column == name).Leaf)
                : new ParquetColumn(path, name, reader, file, wide.Select(d => scalars.First(f => f.Name == d)).ToArray());
            table.SetChunks(Enumerable.Range(0, reader.RowGroupCount).Select(g => reader.RowGroups[g].RowCount).ToList());
            if (wide is null) table.ReadWidth();
            if (idColumn is not null) table.Ids = table.ReadIds(idColumn);
            return table;
        }
        catch
        {
            ParquetFile.Close(reader);
            throw;
        }
    }

    private string[] ReadIds(string idColumn)
    {
        var field = ParquetFile.ScalarColumns(reader.Schema).FirstOrDefault(f => f.Name == idColumn)
            ?? throw RepDiffInputException.ForFile(Path, $"has no scalar column '{idColumn}' for ids (columns: {string.Join(", ", ParquetFile.ScalarColumns(reader.Schema).Take(20).Select(f => f.Name))})");
        TableColumnChoice.Unique(Path, idColumn, reader.Schema.Fields.Select(f => f.Name));
        if (field.ClrType == typeof(float) || field.ClrType == typeof(double) || field.ClrType == typeof(Half) || field.ClrType == typeof(decimal))
            throw TableColumnChoice.FloatIds(Path, idColumn);
        var (text, _) = ParquetFile.ReadScalar(Path, file, reader, field);
        return TableColumnChoice.CheckIds(Path, $"id column '{idColumn}'", text);
    }

    /// <summary>
    /// The width: the first non-empty row group's first row length (0 when the file has no rows). The row group is read
    /// whole to find it, so its rows are decoded then and kept as the chunk read first: read again at the first read, a
    /// table of one row group had been read twice (inspect of 24.6 MB read 50.3 MB).
    /// </summary>
    private void ReadWidth()
    {
        for (int g = 0; g < ChunkCount; g++)
        {
            if (ChunkRows(g) == 0) continue;
            CheckLayout(g);
            using var raw = ReadRaw(g, leaf!);
            var rep = raw.RepetitionLevels;
            var def = raw.DefinitionLevels;
            if (def.Length == 0) throw BadRow(0, "is missing (the row group holds no values)");
            if (def[0] < leaf!.MaxDefinitionLevel - (leaf.IsNullable ? 1 : 0))
                throw BadRow(0, def[0] == 0 && ListIsNullable ? "is null; every row needs a list of numbers" : "is an empty list; every row needs a list of numbers");
            int length = 1;
            while (length < rep.Length && rep[length] != 0) length++;
            Cols = length;
            DecodeOnOpening(g, raw is ParquetChunk<float>, rows => DecodeList(g, raw, rows.Span));
            return;
        }
        Cols = 0;
    }

    private bool ListIsNullable => leaf!.MaxDefinitionLevel - (leaf.IsNullable ? 1 : 0) >= 2;

    /// <summary>
    /// Row groups whose page headers have been walked. A row group is checked again each time it is decoded, and the
    /// first one's decoded size again once the width is known (it is first checked with width 0); its pages stay as
    /// they were, so they are walked once.
    /// </summary>
    private readonly HashSet<int> pagesWalked = [];

    /// <summary>A row group's declared sizes, before Parquet.Net allocates by them and before its rows × Cols floats are.</summary>
    private void CheckLayout(int group)
    {
        bool walkPages = !pagesWalked.Contains(group);
        if (leaf is not null) ParquetLayout.CheckChunk(Path, file, reader.RowGroups[group], group, leaf, scalar: false, bytesPerRow: 4L * Cols, walkPages);
        // A wide table's columns are decoded one at a time into the row group's rows × Cols floats.
        foreach (var dimension in dimensions)
            ParquetLayout.CheckChunk(Path, file, reader.RowGroups[group], group, dimension, scalar: true, bytesPerRow: 4L * Cols, walkPages);
        pagesWalked.Add(group); // only once the walk has passed: a chunk that failed it fails again when read again
    }

    protected override string CorruptAdvice => ParquetFile.Rewrite;

    protected override void CheckChunkSize(int chunk)
    {
        base.CheckChunkSize(chunk);
        CheckLayout(chunk);
    }

    private ParquetChunk ReadRaw(int group, DataField field) => field.ClrType == typeof(double)
        ? ParquetChunk<double>.Read(Path, reader.RowGroups[group], group, field)
        : ParquetChunk<float>.Read(Path, reader.RowGroups[group], group, field);

    protected override void Decode(int chunk, Memory<float> destination)
    {
        if (leaf is null)
        {
            for (int d = 0; d < dimensions.Length; d++) DecodeDimension(chunk, d, destination.Span);
            return;
        }
        using var raw = ReadRaw(chunk, leaf);
        DecodeList(chunk, raw, destination.Span);
    }

    private void DecodeList(int chunk, ParquetChunk raw, Span<float> destination)
    {
        switch (raw)
        {
            case ParquetChunk<float> f: Fill(chunk, f.Values, f.DefinitionLevels, f.RepetitionLevels, destination, v => v); break;
            case ParquetChunk<double> d:
                Fill(chunk, d.Values, d.DefinitionLevels, d.RepetitionLevels, destination, v => (float)v);
                CheckBeyondFloat32(d.Values, destination, ChunkFirstRow(chunk));   // the values are dense: Fill refused any null
                break;
            default: throw new InvalidOperationException($"{Name}: unexpected chunk type {raw.GetType().Name}");
        }
    }

    /// <summary>Column <paramref name="d"/> of a wide table's row group into every row's dimension d: a number in every row.</summary>
    private void DecodeDimension(int chunk, int d, Span<float> destination)
    {
        var field = dimensions[d];
        using var raw = ReadRaw(chunk, field);
        int rows = ChunkRows(chunk), firstRow = ChunkFirstRow(chunk);
        var def = raw.DefinitionLevels;
        for (int r = 0; r < def.Length; r++)
            if (def[r] < field.MaxDefinitionLevel)
                throw BadRow(firstRow + r, $"is null in column '{NpyDtype.Truncate(field.Name)}'; every dimension needs a number");
        switch (raw)
        {
            case ParquetChunk<float> f:
                for (int r = 0; r < rows; r++) destination[r * Cols + d] = f.Values[r];
                break;
            case ParquetChunk<double> v:
                for (int r = 0; r < rows; r++)
                {
                    float value = destination[r * Cols + d] = (float)v.Values[r];
                    if (RefuseBeyondFloat32 && float.IsInfinity(value) && double.IsFinite(v.Values[r]))
                        throw RowFile.BeyondFloat32(Name, $"row {firstRow + r} column '{field.Name}'", v.Values[r].ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                }
                break;
            default: throw new InvalidOperationException($"{Name}: unexpected chunk type {raw.GetType().Name}");
        }
    }

    /// <summary>
    /// Walks the levels of one row group: each row must be a list of Cols present values. ParquetChunk has checked that
    /// the values reach the last entry the levels mark present, so none is read from before the page was decoded.
    /// </summary>
    private void Fill<T>(int chunk, Span<T> values, Span<int> def, Span<int> rep, Span<float> destination, Func<T, float> convert)
    {
        int maxDef = leaf!.MaxDefinitionLevel, presentList = maxDef - (leaf.IsNullable ? 1 : 0);
        int rows = ChunkRows(chunk), firstRow = ChunkFirstRow(chunk);
        int row = -1, inRow = 0, next = 0;
        for (int i = 0; i < def.Length; i++)
        {
            if (rep[i] == 0)
            {
                if (row >= 0 && inRow != Cols) throw WrongLength(firstRow + row, inRow);
                row++;
                inRow = 0;
                if (row >= rows) throw ParquetFile.Corrupt(Path, $"row group {chunk} holds more rows than its declared {rows}: the file is corrupt");
            }
            else if (row < 0)
                throw ParquetFile.Corrupt(Path, $"row group {chunk} column '{leaf.Path}' starts in the middle of a row (its first repetition level is {rep[i]}): the file is corrupt");
            if (def[i] < presentList)
                throw BadRow(firstRow + row, def[i] == 0 && ListIsNullable ? "is null; every row needs a list of numbers" : "is an empty list; every row needs a list of numbers");
            if (def[i] < maxDef) throw BadRow(firstRow + row, $"has a null at position {inRow}; values must be numbers");
            if (inRow >= Cols) throw WrongLength(firstRow + row, CountRow(rep, i - inRow));
            destination[row * Cols + inRow] = convert(values[next++]);
            inRow++;
        }
        if (row >= 0 && inRow != Cols) throw WrongLength(firstRow + row, inRow);
        if (row + 1 != rows) throw ParquetFile.Corrupt(Path, $"row group {chunk} holds {row + 1} rows but declares {rows}: the file is corrupt");
    }

    /// <summary>The full length of the row that starts at entry <paramref name="start"/>, for the error message.</summary>
    private static int CountRow(Span<int> rep, int start)
    {
        int end = start + 1;
        while (end < rep.Length && rep[end] != 0) end++;
        return end - start;
    }

    public override void Dispose() => ParquetFile.Close(reader);
}
