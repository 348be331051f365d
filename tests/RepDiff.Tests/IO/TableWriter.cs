using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Parquet;
using Parquet.Schema;

namespace RepDiff.Tests.IO;

/// <summary>
/// Writes small Parquet and Arrow files with Parquet.Net and Apache.Arrow themselves, the way pyarrow
/// lays out embedding tables: an id column and a list column of floats. A null row is null; a row may be
/// shorter or longer than the others (ragged) or hold null elements, to test the reader's checks.
/// </summary>
public static class TableWriter
{
    /// <summary>
    /// A Parquet file with columns "id" (string; none when <paramref name="ids"/> is null), "emb" (list of nullable float or
    /// double, nullable) and "score" (double), split into row groups of <paramref name="groupRows"/> rows.
    /// </summary>
    public static string Parquet(string path, string[]? ids, float?[]?[] rows, int groupRows = int.MaxValue, bool doubles = false, string listName = "emb",
        CompressionMethod? compression = null)
    {
        var id = new DataField<string>("id", true);
        var leaf = doubles ? (DataField)new DataField<double?>("element") : new DataField<float?>("element");
        var list = new ListField(listName, leaf);
        var score = new DataField<double>("score");
        using var stream = File.Create(path);
        var options = compression is { } method ? new ParquetOptions { CompressionMethod = method } : null;
        var schema = ids is null ? new ParquetSchema(list, score) : new ParquetSchema(id, list, score);
        var writer = ParquetWriter.CreateAsync(schema, stream, options).GetAwaiter().GetResult();
        try
        {
            for (int first = 0; first < rows.Length; first += groupRows)
            {
                int count = Math.Min(groupRows, rows.Length - first);
                using var group = writer.CreateRowGroup();
                if (ids is not null) group.WriteAsync(id, ids[first..(first + count)], null).GetAwaiter().GetResult();
                WriteFloatLists(group, leaf, rows[first..(first + count)], doubles);
                group.WriteAsync<double>(score, Enumerable.Range(first, count).Select(i => i * 0.5).ToArray()).GetAwaiter().GetResult();
            }
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return path;
    }

    /// <summary>
    /// A Parquet file of one row group with a string column "id" and one list-of-floats column per entry of
    /// <paramref name="lists"/> (a null row is a null list), as Hugging Face datasets store image and text embeddings.
    /// </summary>
    public static string ParquetTable(string path, string[] ids, params (string Name, float?[]?[] Rows)[] lists)
    {
        var id = new DataField<string>("id", true);
        var leaves = lists.Select(l => (Field: new ListField(l.Name, new DataField<float?>("element")), l.Rows)).ToList();
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema([id, .. leaves.Select(l => (Parquet.Schema.Field)l.Field)]), stream).GetAwaiter().GetResult();
        try
        {
            using var group = writer.CreateRowGroup();
            group.WriteAsync(id, ids, null).GetAwaiter().GetResult();
            foreach (var (field, rows) in leaves) WriteFloatLists(group, (DataField)field.Item, rows, doubles: false);
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return path;
    }

    /// <summary>One list column of a row group.</summary>
    private static void WriteFloatLists(ParquetRowGroupWriter group, DataField leaf, float?[]?[] rows, bool doubles)
    {
        // Levels as pyarrow writes an optional list of optional values: 0 null list, 1 empty, 2 null value, 3 value.
        var values = new List<float>();
        var def = new List<int>();
        var rep = new List<int>();
        foreach (var row in rows)
        {
            if (row is null || row.Length == 0) { def.Add(row is null ? 0 : 1); rep.Add(0); continue; }
            for (int k = 0; k < row.Length; k++)
            {
                def.Add(row[k] is null ? 2 : 3);
                rep.Add(k == 0 ? 0 : 1);
                if (row[k] is float v) values.Add(v);
            }
        }
        if (doubles)
            group.WriteAllPartsAsync<double>(leaf, values.Select(v => (double)v).ToArray(), def.ToArray(), rep.ToArray(), default).GetAwaiter().GetResult();
        else
            group.WriteAllPartsAsync<float>(leaf, values.ToArray(), def.ToArray(), rep.ToArray(), default).GetAwaiter().GetResult();
    }

    /// <summary>
    /// A Parquet (.parquet) or Arrow IPC file of one column "emb" of float64 lists, holding values float32 cannot (1e39):
    /// the other writers take their values as float32.
    /// </summary>
    public static string DoubleLists(string path, double[][] rows)
    {
        double[] values = [.. rows.SelectMany(r => r)];
        if (!path.EndsWith(".parquet", StringComparison.Ordinal))
        {
            var offsets = new ArrowBuffer.Builder<int>().AppendRange(rows.Select((_, i) => rows.Take(i).Sum(r => r.Length)).Append(values.Length)).Build();
            var list = new ListArray(new ListType(DoubleType.Default), rows.Length, offsets, new DoubleArray.Builder().AppendRange(values).Build(), ArrowBuffer.Empty, 0, 0);
            return ArrowTable(path, ("emb", list));
        }
        var leaf = new DataField<double?>("element");
        var emb = new ListField("emb", leaf);
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(emb), stream).GetAwaiter().GetResult();
        try
        {
            using var group = writer.CreateRowGroup();
            // Levels of an optional list of optional values, every value present: definition 3, repetition 0 where a row starts.
            int[] rep = [.. rows.SelectMany(r => r.Select((_, k) => k == 0 ? 0 : 1))];
            group.WriteAllPartsAsync<double>(leaf, values, Enumerable.Repeat(3, values.Length).ToArray(), rep, default).GetAwaiter().GetResult();
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return path;
    }

    public enum ListKind { List, LargeList, FixedSize }

    /// <summary>
    /// An Arrow IPC file (<paramref name="stream"/> false) or stream with columns "id" (int64; none when <paramref name="ids"/>
    /// is null) and "emb" (a list of <paramref name="valueType"/>), in record batches of <paramref name="batchRows"/> rows.
    /// </summary>
    public static string Arrow(string path, long[]? ids, float?[]?[] rows, ListKind kind, IArrowType valueType, int batchRows = int.MaxValue,
        bool stream = false, CompressionCodecType? compression = null)
    {
        var listType = ListTypeOf(rows, kind, valueType);
        var emb = new Apache.Arrow.Field("emb", listType, true);
        var schema = new Schema(ids is null ? [emb] : [new Apache.Arrow.Field("id", Int64Type.Default, false), emb], null);
        var options = new IpcOptions { CompressionCodec = compression, CompressionCodecFactory = new CompressionCodecFactory() };
        using var file = File.Create(path);
        using var writer = stream ? new ArrowStreamWriter(file, schema, false, options) : new ArrowFileWriter(file, schema, false, options);
        for (int first = 0; first < Math.Max(1, rows.Length); first += batchRows)
        {
            int count = Math.Min(batchRows, rows.Length - first);
            var list = ListArray(rows[first..(first + count)], kind, valueType, listType);
            IArrowArray[] columns = ids is null ? [list] : [new Int64Array.Builder().AppendRange(ids[first..(first + count)]).Build(), list];
            WriteBatch(writer, new RecordBatch(schema, columns, count));
        }
        writer.WriteEnd();
        return path;
    }

    /// <summary>An Arrow IPC file of one record batch holding the given columns (all nullable).</summary>
    public static string ArrowTable(string path, params (string Name, IArrowArray Column)[] columns) => ArrowTable(path, stream: false, columns);

    /// <summary>
    /// Writes a batch, held alive to the end of the write: Apache.Arrow's builders keep values in native memory that a
    /// finalizer frees, and the writer reads them through pointers that do not hold the batch, so a garbage collection in
    /// the middle of a write (another test allocating) freed them under it: "IOException: Bad address" (EFAULT) from
    /// write(2) in `ATableOfOneRowGroupIsReadOnce` (session 62's suite, 1 of 2,259).
    /// </summary>
    private static void WriteBatch(ArrowStreamWriter writer, RecordBatch batch)
    {
        writer.WriteRecordBatch(batch);
        GC.KeepAlive(batch);
    }

    /// <summary>An Arrow IPC file (<paramref name="stream"/> false) or stream of one record batch holding the given columns (all nullable).</summary>
    public static string ArrowTable(string path, bool stream, params (string Name, IArrowArray Column)[] columns)
    {
        var schema = new Schema(columns.Select(c => new Apache.Arrow.Field(c.Name, c.Column.Data.DataType, true)).ToList(), null);
        using var file = File.Create(path);
        using var writer = stream ? new ArrowStreamWriter(file, schema, false) : new ArrowFileWriter(file, schema, false);
        WriteBatch(writer, new RecordBatch(schema, columns.Select(c => c.Column), columns.Length == 0 ? 0 : columns[0].Column.Length));
        writer.WriteEnd();
        return path;
    }

    /// <summary>A list column of float32 values (fixed-size lists take the first non-null row's length).</summary>
    public static IArrowArray FloatLists(float?[]?[] rows, ListKind kind = ListKind.List) =>
        ListArray(rows, kind, FloatType.Default, ListTypeOf(rows, kind, FloatType.Default));

    private static IArrowType ListTypeOf(float?[]?[] rows, ListKind kind, IArrowType valueType) => kind switch
    {
        ListKind.List => new ListType(valueType),
        ListKind.LargeList => new LargeListType(valueType),
        _ => new FixedSizeListType(valueType, rows.FirstOrDefault(r => r is not null)?.Length ?? 0),
    };

    private static IArrowArray Build<T, TArray, TBuilder>(PrimitiveArrayBuilder<T, TArray, TBuilder> builder, List<float?> values, Func<float, T> convert)
        where T : struct, IEquatable<T> where TArray : IArrowArray where TBuilder : class, IArrowArrayBuilder<TArray>
    {
        foreach (var v in values)
        {
            if (v is float f) builder.Append(convert(f));
            else builder.AppendNull();
        }
        return builder.Build(null);
    }

    private static IArrowArray ListArray(float?[]?[] rows, ListKind kind, IArrowType valueType, IArrowType listType)
    {
        var values = rows.Where(r => r is not null).SelectMany(r => r!).ToList();
        var offsets = new List<long> { 0 };
        var valid = new ArrowBuffer.BitmapBuilder();
        foreach (var row in rows)
        {
            offsets.Add(offsets[^1] + (row?.Length ?? (kind == ListKind.FixedSize ? ((FixedSizeListType)listType).ListSize : 0)));
            valid.Append(row is not null);
            if (row is null && kind == ListKind.FixedSize) values.AddRange(new float?[((FixedSizeListType)listType).ListSize]);
        }
        IArrowArray child = valueType switch
        {
            HalfFloatType => Build(new HalfFloatArray.Builder(), values, v => (Half)v),
            DoubleType => Build(new DoubleArray.Builder(), values, v => (double)v),
            _ => Build(new FloatArray.Builder(), values, v => v),
        };
        int nulls = rows.Count(r => r is null);
        var bitmap = valid.Build();
        return kind switch
        {
            ListKind.List => new ListArray(listType, rows.Length, new ArrowBuffer.Builder<int>().AppendRange(offsets.Select(o => (int)o)).Build(), child, bitmap, nulls, 0),
            ListKind.LargeList => new LargeListArray(listType, rows.Length, new ArrowBuffer.Builder<long>().AppendRange(offsets).Build(), child, bitmap, nulls, 0),
            _ => new FixedSizeListArray(listType, rows.Length, child, bitmap, nulls, 0),
        };
    }

    /// <summary>
    /// A wide Parquet table as pandas' DataFrame(vectors).to_parquet() writes one: one float column per dimension, named by
    /// <paramref name="names"/> (a null value is null), with pandas' index column "__index_level_0__" first when asked,
    /// then a string column "id", and an int64 column "n" (a count, never a dimension) when asked.
    /// </summary>
    public static string WideParquet(string path, string[] ids, string[] names, float?[][] rows, bool doubles = false, bool pandasIndex = false,
        bool intColumn = false, int groupRows = int.MaxValue)
    {
        var index = new DataField<long>("__index_level_0__");
        var id = new DataField<string>("id", true);
        var dims = names.Select(n => doubles ? (DataField)new DataField<double?>(n) : new DataField<float?>(n)).ToArray();
        var count = new DataField<long>("n");
        Parquet.Schema.Field[] fields = [.. pandasIndex ? [index] : System.Array.Empty<Parquet.Schema.Field>(), id, .. dims,
            .. intColumn ? [count] : System.Array.Empty<Parquet.Schema.Field>()];
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), stream).GetAwaiter().GetResult();
        try
        {
            for (int first = 0; first < rows.Length; first += groupRows)
            {
                int n = Math.Min(groupRows, rows.Length - first);
                var part = rows[first..(first + n)];
                using var group = writer.CreateRowGroup();
                var positions = Enumerable.Range(first, n).Select(i => (long)i).ToArray();
                if (pandasIndex) group.WriteAsync<long>(index, positions).GetAwaiter().GetResult();
                group.WriteAsync(id, ids[first..(first + n)], null).GetAwaiter().GetResult();
                for (int j = 0; j < dims.Length; j++)
                    if (doubles) group.WriteAsync<double>(dims[j], part.Select(r => (double?)r[j]).ToArray()).GetAwaiter().GetResult();
                    else group.WriteAsync<float>(dims[j], part.Select(r => r[j]).ToArray()).GetAwaiter().GetResult();
                if (intColumn) group.WriteAsync<long>(count, positions).GetAwaiter().GetResult();
            }
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return path;
    }

    /// <summary>
    /// A Parquet file whose column "tokens" holds a list of float lists in each row (tokens × dimensions, as an unpooled
    /// transformer output is saved) beside a string column "id": its schema alone, no rows.
    /// </summary>
    public static string TokenMatrixParquet(string path)
    {
        var schema = new ParquetSchema(new DataField<string>("id", true), new ListField("tokens", new ListField("element", new DataField<float?>("element"))));
        using var stream = File.Create(path);
        ParquetWriter.CreateAsync(schema, stream).GetAwaiter().GetResult().DisposeAsync().AsTask().GetAwaiter().GetResult();
        return path;
    }

    /// <summary>An Arrow column holding a list of float lists in each row: <paramref name="rows"/> matrices of tokens × dimensions.</summary>
    public static IArrowArray TokenMatrices(float[][][] rows)
    {
        var builder = new ListArray.Builder(new ListType(FloatType.Default));
        var tokens = (ListArray.Builder)builder.ValueBuilder;
        var values = (FloatArray.Builder)tokens.ValueBuilder;
        foreach (var matrix in rows)
        {
            builder.Append();
            foreach (var token in matrix)
            {
                tokens.Append();
                values.AppendRange(token);
            }
        }
        return builder.Build();
    }

    /// <summary>An Arrow column of one float (or double) a row, a null where the value is null.</summary>
    public static IArrowArray Floats(IEnumerable<float?> values, bool doubles = false) => doubles
        ? Build(new DoubleArray.Builder(), values.ToList(), v => (double)v)
        : Build(new FloatArray.Builder(), values.ToList(), v => v);
}
