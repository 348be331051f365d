using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace RepDiff.IO;

/// <summary>
/// Parquet access through Parquet.Net: opening (any failure of the library on a broken file becomes a
/// RepDiffInputException naming the file), the float-list columns embeddings can come from, and scalar
/// columns as text (ids, metadata). Parquet.Net is asynchronous only: its calls are waited for through
/// <see cref="LibraryWait"/>, without the caller's synchronization context.
/// </summary>
internal static class ParquetFile
{
    public static ParquetReader Open(string path) => Open(path, out _);

    /// <param name="file">The open file the reader reads, whose handle <see cref="ParquetLayout.CheckChunk"/> reads page headers from by position.</param>
    public static ParquetReader Open(string path, out FileStream file)
    {
        // Parquet.Net decodes columns through `dynamic` and MakeGenericMethod, which a Native AOT binary has no code
        // for: say so up front instead of failing on the first row group.
        if (!System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported)
            throw RepDiffInputException.ForFile(path, "the Native AOT binary does not read Parquet files; use the .NET tool build "
                + "(`dotnet tool install --global --add-source ./nupkg repdiff`, README) or convert the column to .npy or Arrow");
        var stream = InputFile.OpenRead(path, 1 << 20);
        try
        {
            CheckFooterLength(path, stream);
            var reader = Run(path, () => ParquetReader.CreateAsync(stream, leaveStreamOpen: false));
            // Parquet.Net decodes the schema from the footer on each use of Schema, not when opening: a footer whose types or
            // children are corrupt fails there, so it is decoded once here, where its failure names the file.
            try { Run(path, () => Task.FromResult(reader.Schema)); }
            catch { Close(reader); throw; }
            file = stream;
            return reader;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A Parquet file ends with its footer's length and "PAR1". Parquet.Net allocates whatever length is
    /// declared before it reads, so a fake or truncated file declaring 2^31 − 1 bytes would be "out of
    /// memory" without the file's name; the length must leave room in the file for the leading "PAR1" too. Files not
    /// ending in "PAR1" are left to the library, which says so.
    /// </summary>
    private static void CheckFooterLength(string path, FileStream stream)
    {
        long size = stream.Length;
        if (size < 8) return;
        Span<byte> tail = stackalloc byte[8];
        stream.Position = size - 8;
        int read = InputFile.ReadFully(stream, tail);
        stream.Position = 0;
        if (read < 8 || !tail[4..].SequenceEqual("PAR1"u8)) return;
        uint footer = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(tail);
        TableColumn.CheckDeclaredLength(path, "footer length", footer, size - 12, size, "not a Parquet file", Rewrite);
        ParquetLayout.CheckFooter(path, stream, footer);
    }

    public static void Close(ParquetReader reader) => LibraryWait.For(async () => { await reader.DisposeAsync(); return 0; });

    /// <summary>
    /// Runs one library call; anything it throws on a malformed file becomes one line naming the file and what is wrong
    /// before the library's words, which alone (e.g. "Index was outside the bounds of the array.") say nothing of the file.
    /// </summary>
    public static T Run<T>(string path, Func<Task<T>> call)
    {
        try
        {
            return LibraryWait.For(call);
        }
        catch (Exception e) when (e is not (RepDiffInputException or OutOfMemoryException))
        {
            throw Corrupt(path, $"is not a readable Parquet file: corrupt, truncated or not Parquet (Parquet.Net: {e.Message.ReplaceLineEndings(" ")})");
        }
    }

    /// <summary>What to do about a Parquet file found corrupt or truncated: nothing in it can be read around.</summary>
    internal const string Rewrite = "; write it again, e.g. with pyarrow.parquet.write_table(table, path), or save the embeddings as .npy";

    /// <summary>The error for a Parquet file whose structure is broken: the file, what is wrong, and what to do.</summary>
    internal static RepDiffInputException Corrupt(string path, string problem) => RepDiffInputException.ForFile(path, problem, Rewrite);

    /// <summary>Top-level columns whose values are lists of float32/float64 (the leaf of a one-level list).</summary>
    public static List<(string Column, DataField Leaf)> FloatListColumns(ParquetSchema schema) =>
        schema.DataFields
            .Where(f => f.MaxRepetitionLevel == 1 && (f.ClrType == typeof(float) || f.ClrType == typeof(double)))
            .Where(f => schema.Fields.Any(top => top.Name == f.Path.FirstPart && (top is ListField || top == f)))
            .Select(f => (f.Path.FirstPart!, f))
            .ToList();

    /// <summary>The file's columns by what they can give; a list of float lists is a ListField around a ListField.</summary>
    public static TableSchema SchemaOf(ParquetSchema schema)
    {
        var scalars = ScalarColumns(schema);
        return new TableSchema(
            schema.Fields.Select(f => f.Name).ToList(),
            FloatListColumns(schema).Select(l => l.Column).ToList(),
            scalars.Where(f => IsFloat(f.ClrType)).Select(f => f.Name).ToList(),
            scalars.Where(f => f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>)).Select(f => f.Name).ToList(),
            schema.Fields.Where(f => f is ListField { Item: ListField { Item: DataField leaf } } && IsFloat(leaf.ClrType)).Select(f => f.Name).ToList());
    }

    private static bool IsFloat(Type type) => type == typeof(float) || type == typeof(double);

    /// <summary>Every top-level column of the file, with what it holds when it is not a float-list column (from the schema alone).</summary>
    public static List<(string Name, string? Holds)> Columns(string path)
    {
        var reader = Open(path);
        try
        {
            var schema = reader.Schema;
            var lists = FloatListColumns(schema).Select(l => l.Column).ToHashSet();
            return schema.Fields.Select(f => (f.Name, lists.Contains(f.Name) ? null : Holds(f, topLevel: true))).ToList();
        }
        finally { Close(reader); }
    }

    /// <summary>What a column holds, in words ("strings", "lists of int64 numbers", "structs").</summary>
    private static string Holds(Field field, bool topLevel = false) => field switch
    {
        // A repeated field at the top is a list without a ListField around it (the legacy layout).
        DataField { MaxRepetitionLevel: > 0 } d when topLevel => "lists of " + Values(d.ClrType),
        DataField d => Values(d.ClrType),
        ListField l => "lists of " + Holds(l.Item),
        MapField => "maps",
        StructField => "structs",
        _ => $"{field.SchemaType} values",
    };

    /// <summary>What values of a column's .NET type are, numbers in numpy's names ("float64 numbers").</summary>
    private static string Values(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.String => "strings",
        TypeCode.Boolean => "booleans",
        TypeCode.SByte => "int8 numbers",
        TypeCode.Int16 => "int16 numbers",
        TypeCode.Int32 => "int32 numbers",
        TypeCode.Int64 => "int64 numbers",
        TypeCode.Byte => "uint8 numbers",
        TypeCode.UInt16 => "uint16 numbers",
        TypeCode.UInt32 => "uint32 numbers",
        TypeCode.UInt64 => "uint64 numbers",
        TypeCode.Single => "float32 numbers",
        TypeCode.Double => "float64 numbers",
        TypeCode.Decimal => "decimals",
        TypeCode.DateTime => "dates",
        _ when type == typeof(ReadOnlyMemory<char>) => "strings",
        _ when type == typeof(Half) => "float16 numbers",
        _ when type == typeof(byte[]) => "bytes",
        _ when type == typeof(DateOnly) || type == typeof(DateTimeOffset) => "dates",
        _ when type == typeof(TimeSpan) || type == typeof(TimeOnly) => "times",
        _ => $"{type.Name} values",
    };

    /// <summary>Top-level scalar (not repeated, not nested) columns.</summary>
    public static List<DataField> ScalarColumns(ParquetSchema schema) =>
        schema.Fields.OfType<DataField>().Where(f => f.MaxRepetitionLevel == 0).ToList();

    /// <summary>
    /// One scalar column of every row group, as text (null where the value is null) and, for numeric
    /// columns, as numbers (NaN where null).
    /// </summary>
    public static (string?[] Text, double[]? Numbers) ReadScalar(string path, FileStream file, ParquetReader reader, DataField field)
    {
        long total = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            // Each value becomes a string and a number (16 bytes), before and after Parquet.Net has decoded it.
            ParquetLayout.CheckChunk(path, file, reader.RowGroups[g], g, field, scalar: true, bytesPerRow: 16);
            total += reader.RowGroups[g].RowCount;
        }
        if (total > Array.MaxLength) throw RepDiffInputException.ForFile(path, $"has {total} rows; too many to read");
        MemoryBudget.EnsureFits(path, total * 16, $"column '{field.Name}' of {total:N0} rows");
        var text = new string?[total];
        double[]? numbers = null;
        int start = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            int rows = (int)reader.RowGroups[g].RowCount;
            if (Spread(path, reader.RowGroups[g], g, field, text.AsSpan(start, rows), out var groupNumbers))
            {
                numbers ??= new double[total];
                groupNumbers.CopyTo(numbers, start);
            }
            start += rows;
        }
        return (text, numbers);
    }

    /// <summary>Reads one row group of a scalar column into its rows' text (and numbers, returning true, for a numeric column).</summary>
    private static bool Spread(string path, ParquetRowGroupReader group, int index, DataField field, Span<string?> text, out double[] numbers)
    {
        numbers = [];
        return Type.GetTypeCode(field.ClrType) switch
        {
            TypeCode.Double => Spread<double>(path, group, index, field, text, ref numbers, v => v),
            TypeCode.Single => Spread<float>(path, group, index, field, text, ref numbers, v => v),
            TypeCode.Int32 => Spread<int>(path, group, index, field, text, ref numbers, v => v),
            TypeCode.Int64 => Spread<long>(path, group, index, field, text, ref numbers, v => v),
            TypeCode.Int16 => Spread<short>(path, group, index, field, text, ref numbers, v => v),
            TypeCode.SByte => Spread<sbyte>(path, group, index, field, text, ref numbers, v => v),
            TypeCode.Byte => Spread<byte>(path, group, index, field, text, ref numbers, v => v),
            TypeCode.UInt16 => Spread<ushort>(path, group, index, field, text, ref numbers, v => v),
            TypeCode.UInt32 => Spread<uint>(path, group, index, field, text, ref numbers, v => v),
            TypeCode.UInt64 => Spread<ulong>(path, group, index, field, text, ref numbers, v => v),
            TypeCode.Decimal => Spread<decimal>(path, group, index, field, text, ref numbers, v => (double)v),
            TypeCode.Boolean => Spread<bool>(path, group, index, field, text, ref numbers, null),
            TypeCode.DateTime => Spread<DateTime>(path, group, index, field, text, ref numbers, null),
            _ when field.ClrType == typeof(DateOnly) => Spread<DateOnly>(path, group, index, field, text, ref numbers, null),
            _ when field.ClrType == typeof(ReadOnlyMemory<char>) => Spread<ReadOnlyMemory<char>>(path, group, index, field, text, ref numbers, null),
            _ => throw RepDiffInputException.ForFile(path, $"column '{field.Name}' has type {field.ClrType.Name}, which is not read (strings, numbers, booleans and dates are)"),
        };
    }

    /// <summary>Places the compact values of a column chunk at the rows whose definition level says they are present.</summary>
    private static bool Spread<T>(string path, ParquetRowGroupReader group, int index, DataField field, Span<string?> text, ref double[] numbers,
        Func<T, double>? number) where T : struct
    {
        using var chunk = ParquetChunk<T>.Read(path, group, index, field);
        Span<T> values = chunk.Values;
        Span<int> definition = chunk.DefinitionLevels;
        if (number is not null) numbers = new double[text.Length];
        int next = 0;
        for (int i = 0; i < text.Length; i++)
        {
            bool present = field.MaxDefinitionLevel == 0 || definition[i] == field.MaxDefinitionLevel;
            if (!present)
            {
                text[i] = null;
                if (number is not null) numbers[i] = double.NaN;
                continue;
            }
            T value = values[next++];
            text[i] = value is IFormattable f ? f.ToString(value is DateTime or DateOnly ? "o" : null, CultureInfo.InvariantCulture) : value.ToString();
            if (number is not null) numbers[i] = number(value);
        }
        return number is not null;
    }
}
