using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Numerics.Tensors;
using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Apache.Arrow.Memory;
using Apache.Arrow.Types;

namespace RepDiff.IO;

/// <summary>
/// A list, large-list or fixed-size-list column of float16/32/64 values in an Arrow IPC file (.arrow,
/// .feather: the random-access file format) or stream (what Hugging Face datasets cache), decoded one
/// record batch at a time. Opening counts each batch's rows from its message's header (which it checks anyway), reads
/// the first batch with rows for the width and keeps it decoded for the first read, and reads every batch for the ids
/// only where there is an id column (Apache.Arrow reads a batch whole: its IPC readers read no single column); the
/// stream format is re-read from the start when a caller goes back to an earlier batch. LZ4- and Zstandard-compressed
/// bodies (pyarrow's Feather default) are read.
/// </summary>
internal sealed class ArrowColumn : TableColumn
{
    private static readonly CompressionCodecFactory Codecs = new();

    /// <summary>Native memory Apache.Arrow allocated on this thread: the tests add it to the thread's managed allocations to bound a whole read.</summary>
    [ThreadStatic] internal static long NativeBytesOnThread;

    private readonly int columnIndex;
    /// <summary>A wide table's float columns, one dimension each, in the file's order (empty for a list column).</summary>
    private readonly int[] dimensions = [];
    private ArrowStreamReader reader;
    private int nextBatch;
    /// <summary>
    /// A file's last record batch as the scan for ids read it, kept until its first read: a pass in order asks for the
    /// batches before it first, and dropping it then had read it again (a file of 4 batches with ids, 1.75 times its size
    /// for inspect, 1.5 now). A stream's is not kept: going back to its first batch reads the stream from its start.
    /// </summary>
    private (RecordBatch Batch, int Chunk)? kept;

    private ArrowColumn(string path, string column, ArrowStreamReader reader, int columnIndex, string? name = null) : base(path, column, name)
    {
        this.reader = reader;
        this.columnIndex = columnIndex;
    }

    private ArrowColumn(string path, string pattern, ArrowStreamReader reader, int[] dimensions)
        : this(path, pattern, reader, -1, $"{path} (columns '{pattern}')")
    {
        this.dimensions = dimensions;
    }

    public static ArrowColumn Open(string path, string? column, string? idColumn)
    {
        var reader = OpenReader(path, out var batchRows);
        try
        {
            var schema = SchemaOf(path, reader);
            var fields = schema.FieldsList;
            idColumn = TableColumnChoice.IdColumnOrDefault(idColumn, fields.Where(f => f.DataType is not NestedType).Select(f => f.Name));
            var (name, wide) = TableColumnChoice.Choose(path, column, idColumn, TableSchemaOf(fields));
            int idIndex = idColumn is null ? -1 : fields.ToList().FindIndex(f => f.Name == idColumn);
            if (idColumn is not null && idIndex < 0)
                throw RepDiffInputException.ForFile(path, $"has no column '{NpyDtype.Truncate(idColumn)}' for ids (columns: {string.Join(", ", fields.Take(20).Select(f => NpyDtype.Truncate(f.Name)))})");
            if (idColumn is not null) TableColumnChoice.Unique(path, idColumn, fields.Select(f => f.Name));
            if (idColumn is not null && fields[idIndex].DataType is FloatType or DoubleType or HalfFloatType or Decimal128Type or Decimal256Type)
                throw TableColumnChoice.FloatIds(path, idColumn);
            if (idColumn is not null && fields[idIndex].DataType is NestedType)
                throw RepDiffInputException.ForFile(path, $"id column '{NpyDtype.Truncate(idColumn)}' holds lists, not one id per row; name the column of integer or string ids");
            ArrowColumn table;
            if (wide is not null)
            {
                var indices = wide.Select(d => fields.ToList().FindIndex(f => f.Name == d)).ToArray();
                table = new ArrowColumn(path, name, reader, indices)
                {
                    Dtype = new NpyDtype('f', indices.Max(i => FloatSize(fields[i].DataType)), false),
                    Cols = indices.Length,
                };
            }
            else
            {
                int index = fields.ToList().FindIndex(f => f.Name == name);
                table = new ArrowColumn(path, name, reader, index) { Dtype = new NpyDtype('f', FloatSize(FloatValueType(fields[index].DataType)!), false) };
                table.Cols = fields[index].DataType is FixedSizeListType fixedSize ? fixedSize.ListSize : -1;
            }
            table.Scan(batchRows, idIndex, idColumn);
            return table;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private static int FloatSize(IArrowType type) => type switch { HalfFloatType => 2, DoubleType => 8, _ => 4 };

    /// <summary>The file's columns by what they can give.</summary>
    private static TableSchema TableSchemaOf(IReadOnlyList<Field> fields)
    {
        List<string> Where(Func<IArrowType, bool> holds) => fields.Where(f => holds(f.DataType)).Select(f => f.Name).ToList();
        return new TableSchema(fields.Select(f => f.Name).ToList(),
            Where(t => FloatValueType(t) is not null),
            Where(t => t is HalfFloatType or FloatType or DoubleType),
            Where(t => t is StringType or LargeStringType or StringViewType or DictionaryType { ValueType: StringType or LargeStringType or StringViewType }),
            Where(t => t is NestedType nested && nested.Fields.Count == 1 && FloatValueType(nested.Fields[0].DataType) is not null && t is not StructType));
    }

    /// <summary>Every column of the file, with what it holds when it is not a float-list column (from the schema alone).</summary>
    internal static List<(string Name, string? Holds)> Columns(string path)
    {
        using var reader = OpenReader(path, out _);
        var schema = SchemaOf(path, reader);
        return schema.FieldsList.Select(f => (f.Name, FloatValueType(f.DataType) is null ? Holds(f.DataType) : null)).ToList();
    }

    /// <summary>What a column of this type holds, in words ("strings", "lists of int64 numbers", "structs").</summary>
    private static string Holds(IArrowType type) => type switch
    {
        StringType or LargeStringType or StringViewType => "strings",
        BinaryType or LargeBinaryType or FixedSizeBinaryType or BinaryViewType => "bytes",
        BooleanType => "booleans",
        NullType => "nulls",
        HalfFloatType => "float16 numbers",
        FloatType => "float32 numbers",
        DoubleType => "float64 numbers",
        IntegerType => $"{type.Name} numbers",
        DictionaryType d => Holds(d.ValueType),
        MapType => "maps",
        ListType l => "lists of " + Holds(l.ValueDataType),
        LargeListType l => "lists of " + Holds(l.ValueDataType),
        FixedSizeListType l => "lists of " + Holds(l.ValueDataType),
        StructType => "structs",
        _ => $"{type.Name} values",
    };

    /// <summary>
    /// The IPC file format starts with "ARROW1"; Feather version 1 with "FEA1"; anything else is read as a stream. Read
    /// from the reader's file (a stream of its own had opened the file once more), past its buffer, and kept in
    /// <paramref name="known"/> for Apache.Arrow, which reads the magic again: read through the buffer, each had filled
    /// its 1 MiB.
    /// </summary>
    private static bool IsFileFormat(string path, FileStream stream, List<(long At, byte[] Bytes)> known)
    {
        var magic = new byte[6];
        int read = ReadAt(stream, 0, magic);
        if (read < 6) throw Corrupt(path, "is too short to be an Arrow file: truncated, or not Arrow");
        known.Add((0, magic));
        if (magic[..4].SequenceEqual("FEA1"u8))
            throw RepDiffInputException.ForFile(path, $"is {FileSignature.Feather1.What}; {FileSignature.Feather1.Advice}");
        return magic.SequenceEqual("ARROW1"u8);
    }

    /// <param name="batchRows">The rows of each record batch, as their headers declare.</param>
    private static ArrowStreamReader OpenReader(string path, out List<long> batchRows)
    {
        var stream = InputFile.OpenRead(path, 1 << 20);
        try
        {
            var known = new List<(long At, byte[] Bytes)>();
            bool fileFormat = IsFileFormat(path, stream, known);
            batchRows = CheckMessages(path, stream, fileFormat, known);
            var allocator = new BoundedAllocator(path, stream.Length);
            var reads = new ReadsInPlace(stream, known);
            return fileFormat ? new ArrowFileReader(reads, allocator, Codecs, leaveOpen: false) : new ArrowStreamReader(reads, allocator, Codecs, leaveOpen: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The lengths Apache.Arrow allocates by, checked against the file before it reads: the file format's footer length
    /// (before the closing "ARROW1"), then every message's metadata length (it rents a buffer of that size) and body length
    /// (it allocates and zero-fills that much) against the bytes that remain. A stream's messages are walked from its
    /// start; a file's are those its footer's blocks point to, before the footer. Files whose magic is wrong are left
    /// to the library, which says so. Returns the rows of each record batch, in order, as their headers declare; a file's
    /// footer and the bytes after it, which Apache.Arrow reads again on opening, are added to <paramref name="known"/>.
    /// </summary>
    private static List<long> CheckMessages(string path, FileStream stream, bool fileFormat, List<(long At, byte[] Bytes)> known)
    {
        long size = stream.Length;
        var batchRows = new List<long>();
        try
        {
            BatchLayout? layout = null;
            if (!fileFormat)
            {
                for (long at = 0, i = 0; at >= 0; i++)
                    at = CheckMessage(path, stream, at, size, i == 0 ? "first message" : $"message {i + 1}", "not an Arrow IPC stream", ref layout, batchRows);
                return batchRows;
            }
            // "ARROW1", two bytes of padding, messages, the footer, its int32 length, "ARROW1".
            var bytes = new byte[10];
            if (size < 18) return batchRows;
            ReadAt(stream, size - 10, bytes);
            if (!bytes.AsSpan(4).SequenceEqual("ARROW1"u8)) return batchRows;
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
            CheckDeclaredLength(path, "footer length", length, size - 18, size, "not an Arrow IPC file", Rewrite);
            long footerStart = size - 10 - length;
            var footer = new byte[length];
            ReadAt(stream, footerStart, footer);
            known.Add((size - 10, bytes));
            known.Add((footerStart, footer));
            // Footer: version, schema, dictionaries and record batches, each a vector of 24-byte blocks (offset, metadata and body length).
            long root = Read(path, footer, 0, 4);
            layout = CheckFields(path, footer, Target(path, footer, root, 1), "the footer's schema");
            foreach (var (index, name) in new[] { (2, "dictionary batch"), (3, "record batch") })
            {
                long field = Field(path, footer, root, index);
                if (field == 0) continue;
                long vector = field + Read(path, footer, field, 4);
                long count = Read(path, footer, vector, 4);
                CheckDeclaredLength(path, $"footer's {name} count", count, (footer.Length - vector - 4) / 24, size, "not an Arrow IPC file", Rewrite);
                for (int k = 0; k < count; k++)
                {
                    long offset = Read(path, footer, vector + 4 + 24L * k, 8);
                    if (offset < 8 || offset > footerStart)
                        throw Corrupt(path, $"{name} {k} offset {offset} is outside the messages (bytes 8 to {footerStart:N0}): not an Arrow IPC file or corrupt");
                    CheckMessage(path, stream, offset, footerStart, $"{name} {k}", "not an Arrow IPC file", ref layout, batchRows);
                    // The batches are counted by their blocks' order, as Apache.Arrow reads them by index.
                    if (batchRows.Count != (index == 3 ? k + 1 : 0))
                        throw Corrupt(path, $"{name} {k} (at byte {offset:N0}) is no {name}'s message: not an Arrow IPC file or corrupt");
                }
            }
            return batchRows;
        }
        finally
        {
            stream.Position = 0;
        }
    }

    /// <summary>
    /// Checks the message at <paramref name="at"/> (its length, after the continuation marker 0xFFFFFFFF or alone in the
    /// old format, the metadata, then the body) against <paramref name="end"/>; returns where the next message starts,
    /// or -1 at the end marker or the end of the data. A schema's message sets the <paramref name="layout"/> the batches after it are checked by;
    /// a record batch's rows are added to <paramref name="batchRows"/>.
    /// </summary>
    private static long CheckMessage(string path, FileStream stream, long at, long end, string name, string notFormat, ref BatchLayout? layout, List<long> batchRows)
    {
        Span<byte> prefix = stackalloc byte[8];
        int read = ReadAt(stream, at, prefix[..(int)Math.Clamp(end - at, 0, 8)]);
        bool continued = read >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(prefix) == 0xFFFFFFFF;
        if (read < (continued ? 8 : 4)) return -1;
        int length = BinaryPrimitives.ReadInt32LittleEndian(continued ? prefix[4..] : prefix);
        if (length == 0) return -1;
        long start = at + (continued ? 8 : 4);
        CheckDeclaredLength(path, $"{name} length", length, end - start, stream.Length, notFormat, Rewrite);
        var metadata = new byte[length]; // no more than the file holds, as checked; Apache.Arrow rents as much next
        ReadAt(stream, start, metadata);
        // Message: version, header type, header, body length (an int64), custom metadata.
        long message = Read(path, metadata, 0, 4), field = Field(path, metadata, message, 3), body = field == 0 ? 0 : Read(path, metadata, field, 8);
        CheckHeader(path, metadata, message, name, ref layout, batchRows);
        CheckDeclaredLength(path, $"{name} body length", body, end - start - length, stream.Length, notFormat, Rewrite);
        return start + length + body;
    }

    /// <summary>
    /// The bytes at <paramref name="at"/> alone, past the stream's buffer: read through it, each message's few bytes of
    /// header had filled its 1 MiB (a file of 4 batches of 7 MB read 4 MiB more than it holds).
    /// </summary>
    private static int ReadAt(FileStream stream, long at, Span<byte> buffer)
    {
        int done = 0;
        for (int n; done < buffer.Length && (n = RandomAccess.Read(stream.SafeFileHandle, buffer[done..], at + done)) > 0;) done += n;
        return done;
    }

    /// <summary>
    /// The counts in a message's header by which Apache.Arrow sizes an array before it reads what they count: a record
    /// batch's field nodes (a list of that capacity) and a schema field's children. One flipped byte had made them 16 to
    /// 268 million, and Apache.Arrow allocated 128 MB to 2 GB for a file of 1.5 KB before it failed. As in any valid
    /// flatbuffer, what they count must lie inside the metadata. A batch's counts of its view columns' data buffers are
    /// checked as well (<see cref="CheckDataBufferCounts"/>).
    /// </summary>
    private static void CheckHeader(string path, byte[] metadata, long message, string name, ref BatchLayout? layout, List<long> batchRows)
    {
        // Message: version, header type (1 schema, 2 dictionary batch, 3 record batch), header.
        long type = Field(path, metadata, message, 1), header = Target(path, metadata, message, 2);
        if (type == 0 || header == 0) return;
        switch (Read(path, metadata, type, 1))
        {
            case 1: layout = CheckFields(path, metadata, header, $"the schema ({name})"); break;
            case 2: // DictionaryBatch: id, data (a record batch of the dictionary's values, whose column the schema does not list)
                long data = Target(path, metadata, header, 1);
                CheckFieldNodes(path, metadata, data, name);
                CheckDataBufferCounts(path, metadata, data, name, null);
                break;
            case 3: // RecordBatch: length (its rows; 0 when absent, as Apache.Arrow reads it), nodes, buffers, …
                CheckFieldNodes(path, metadata, header, name);
                CheckDataBufferCounts(path, metadata, header, name, layout);
                long length = Field(path, metadata, header, 0);
                batchRows.Add(length == 0 ? 0 : Read(path, metadata, length, 8));
                break;
        }
    }

    /// <summary>
    /// What a schema says of a record batch's buffers: its string and binary view columns, in the order the batch lists
    /// their counts of data buffers (depth first, as Apache.Arrow reads the columns), and how many buffers the other
    /// columns and the views' own two take (null when a column's type is one whose buffers are not counted here).
    /// </summary>
    private sealed record BatchLayout(List<string> ViewColumns, long? OtherBuffers);

    /// <summary>
    /// The buffers Apache.Arrow reads for a column of a schema's type (Field's type_type), before any data buffers of a
    /// view: none for null, the validity bitmap alone for a struct or fixed-size list, three for (large) binary and strings
    /// and list views, two for a view (validity and views) and for the rest it reads; null for unions, run-end encoded
    /// and large list views, whose count depends on more than the type or is not read.
    /// </summary>
    private static int? BuffersOf(long type) => type switch
    {
        1 => 0,
        13 or 16 => 1,
        4 or 5 or 19 or 20 or 25 => 3,
        2 or 3 or 6 or 7 or 8 or 9 or 10 or 11 or 12 or 15 or 17 or 18 or 21 or 23 or 24 => 2,
        _ => null,
    };

    /// <summary>Flatbuffer type numbers of the view columns: BinaryView and Utf8View.</summary>
    private static bool IsView(long type) => type is 23 or 24;

    /// <summary>
    /// A batch's counts of its view columns' data buffers (RecordBatch: length, nodes, buffers, compression,
    /// variadicBufferCounts), by which Apache.Arrow sizes each view column's array of buffers before it reads them: a count of
    /// 100 million in a file of 1.2 KB had made it allocate 2.3 GB, a negative one threw an overflow, and one the batch does
    /// not hold read buffers from beyond its list. Each must be at most the buffers the batch lists; with the schema's
    /// layout, a vector of counts must have one for each view column, and the buffers the columns take with them must be
    /// those the batch lists (unless a column's type is one whose buffers are not counted).
    /// </summary>
    private static void CheckDataBufferCounts(string path, byte[] metadata, long batch, string name, BatchLayout? layout)
    {
        if (batch == 0) return;
        long buffers = Vector(path, metadata, batch, 2, 16, $"the count of buffers of {name}").Count;
        var (at, listed) = Vector(path, metadata, batch, 4, 8, $"the count of data buffer counts of {name}");
        var views = layout?.ViewColumns ?? [];
        string Column(long k) => k < views.Count ? $"column '{NpyDtype.Truncate(views[(int)k])}'" : $"view column {k + 1}";
        var counts = new List<long>();
        for (long k = 0; k < listed; k++)
        {
            long count = Read(path, metadata, at + 8 * k, 8);
            if (count < 0 || count > buffers)
                throw Corrupt(path, $"{name} gives {Column(k)} {count:N0} data buffers, which is no count of the {buffers:N0} buffers it lists: the file is corrupt");
            counts.Add(count);
        }
        // Without the vector Apache.Arrow reads each count as 0; a vector too short it reads beyond.
        if (at != 0 && views.Count > listed)
            throw Corrupt(path, $"{name} gives no count of data buffers for {Column(listed)} (a string or binary view column): the file is corrupt");
        while (counts.Count < views.Count) counts.Add(0);
        long taken = layout?.OtherBuffers is long other ? other + counts.Take(views.Count).Sum() : buffers;
        if (views.Count > 0 && taken != buffers)
            throw Corrupt(path, $"{name} lists {buffers:N0} buffers, but its columns take {taken:N0} with the data buffers it gives "
                + string.Join(", ", views.Select((v, k) => $"{Column(k)} ({counts[k]:N0})")) + ": the file is corrupt");
    }

    /// <summary>RecordBatch: length, nodes (16-byte structs), buffers, compression.</summary>
    private static void CheckFieldNodes(string path, byte[] metadata, long batch, string name)
    {
        if (batch != 0) Vector(path, metadata, batch, 1, 16, $"the count of field nodes of {name}");
    }

    /// <summary>Fields nest no deeper than this; Apache.Arrow reads them recursively.</summary>
    private const int MaxNesting = 64;

    /// <summary>
    /// Every field of a schema (Schema: endianness, fields) and their children (Field: name, nullable, type type, type,
    /// dictionary, children). A valid field takes at least 8 bytes (its offset and its table), which bounds the walk when
    /// a corrupt offset lists a field inside itself. Returns what the schema says of a record batch's buffers.
    /// </summary>
    private static BatchLayout CheckFields(string path, byte[] buffer, long schema, string where)
    {
        long left = buffer.Length / 8;
        var views = new List<string>();
        long? otherBuffers = 0;
        // inBatch: the column's buffers are read from the batch (a dictionary-encoded column's are its indices' alone).
        void Walk(long table, int vectorIndex, string? column, int depth, bool inBatch)
        {
            string of = column is null ? $"columns of {where}" : $"children of column '{NpyDtype.Truncate(column)}' in {where}";
            var (at, count) = Vector(path, buffer, table, vectorIndex, 4, $"the count of {of}");
            for (long k = 0; k < count; k++)
            {
                long field = at + 4 * k + Read(path, buffer, at + 4 * k, 4);
                string name = (column is null ? "" : column + ".") + Text(path, buffer, field, 0);
                if (--left < 0 || depth == MaxNesting)
                    throw Corrupt(path, $"column '{NpyDtype.Truncate(name)}' in {where} nests more fields than its metadata of {buffer.Length:N0} bytes holds: the file is corrupt");
                long typeAt = Field(path, buffer, field, 2), type = typeAt == 0 ? 0 : Read(path, buffer, typeAt, 1);
                bool encoded = Field(path, buffer, field, 4) != 0, read = inBatch && type != 1 && !encoded;
                if (inBatch)
                {
                    if (IsView(type) && !encoded) views.Add(name);
                    otherBuffers += encoded ? 2 : BuffersOf(type);
                }
                Walk(field, 5, name, depth + 1, read);
            }
        }
        if (schema != 0) Walk(schema, 1, null, 0, true);
        return new BatchLayout(views, otherBuffers);
    }

    /// <summary>
    /// Where the vector in field <paramref name="index"/> of a table starts and how many elements of
    /// <paramref name="size"/> bytes it has ((0, 0) when absent), refused unless they all lie inside the buffer.
    /// </summary>
    private static (long At, long Count) Vector(string path, byte[] buffer, long table, int index, int size, string what)
    {
        long at = Target(path, buffer, table, index);
        if (at == 0) return (0, 0);
        long count = Read(path, buffer, at, 4), room = (buffer.Length - at - 4) / size;
        if (count < 0 || count > room)
            throw Corrupt(path, $"{what} is {count:N0}, more than its metadata of {buffer.Length:N0} bytes holds ({room:N0}): the file is corrupt");
        return (at + 4, count);
    }

    /// <summary>A string field of a table (a field's name), shortened for a message.</summary>
    private static string Text(string path, byte[] buffer, long table, int index)
    {
        long at = Target(path, buffer, table, index), length = at == 0 ? 0 : Read(path, buffer, at, 4);
        return length > 0 && length <= buffer.Length - at - 4 ? NpyDtype.Truncate(Encoding.UTF8.GetString(buffer, (int)at + 4, (int)length)) : "";
    }

    /// <summary>Where field <paramref name="index"/> of the flatbuffer table at <paramref name="table"/> lies (0 when the field is absent).</summary>
    private static long Field(string path, byte[] buffer, long table, int index)
    {
        long vtable = table - Read(path, buffer, table, 4);
        long slot = 4 + 2 * index, offset = slot < Read(path, buffer, vtable, 2) ? Read(path, buffer, vtable + slot, 2) : 0;
        return offset == 0 ? 0 : table + offset;
    }

    /// <summary>The table, vector or string that an offset field of a table points to (0 when the field is absent).</summary>
    private static long Target(string path, byte[] buffer, long table, int index)
    {
        long field = Field(path, buffer, table, index);
        return field == 0 ? 0 : field + Read(path, buffer, field, 4);
    }

    /// <summary>
    /// A little-endian integer of 1 (unsigned), 2, 4 or 8 bytes inside a flatbuffer, which must hold it; signed as the
    /// FlatBuffers runtime in Apache.Arrow reads offsets, so that the checks find what the library will.
    /// </summary>
    private static long Read(string path, byte[] buffer, long at, int bytes)
    {
        if (at < 0 || at > buffer.Length - bytes)
            throw Corrupt(path, $"holds an Arrow message or footer that points outside itself (byte {at} of {buffer.Length}): the file is corrupt");
        var span = buffer.AsSpan((int)at, bytes);
        return bytes switch
        {
            1 => span[0],
            2 => BinaryPrimitives.ReadInt16LittleEndian(span),
            4 => BinaryPrimitives.ReadInt32LittleEndian(span),
            _ => BinaryPrimitives.ReadInt64LittleEndian(span),
        };
    }

    /// <summary>
    /// The file as Apache.Arrow reads it: its asynchronous reads are done at once, on the calling thread. A FileStream's go
    /// to the thread pool on Linux and the library's work resumed there, where the allocations of a read could not be
    /// counted (the tests bound them) and each read cost a thread hop. Bytes opening has read already
    /// (<paramref name="known"/>: the magic, a file's footer and its length) are given again from memory: the library
    /// reads them on opening, and each such read had filled the file's 1 MiB buffer (the magic's, at the start of a file,
    /// then dropped at the seek to its footer).
    /// </summary>
    private sealed class ReadsInPlace(FileStream inner, List<(long At, byte[] Bytes)> known) : FileReadWrapper(inner)
    {
        public override int Read(Span<byte> buffer)
        {
            long at = Position;
            foreach (var (start, bytes) in known)
                if (at >= start && at + buffer.Length <= start + bytes.Length)
                {
                    bytes.AsSpan((int)(at - start), buffer.Length).CopyTo(buffer);
                    Position = at + buffer.Length;
                    return buffer.Length;
                }
            return base.Read(buffer);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));
    }

    /// <summary>
    /// Apache.Arrow's allocator, which it calls with lengths read from the file (a message's body, a buffer's
    /// decompressed size) and zero-fills: a buffer more than <see cref="Npz.MaxExpansion"/> times the file and
    /// over <see cref="Npz.MaxExpandedBytes"/> (the rule for .npz entries) is refused before it is allocated.
    /// </summary>
    private sealed class BoundedAllocator(string path, long fileSize) : NativeMemoryAllocator
    {
        protected override IMemoryOwner<byte> AllocateInternal(int length, out int bytesAllocated)
        {
            if (length > Npz.MaxExpandedBytes && length > Npz.MaxExpansion * Math.Max(1, fileSize))
                throw Corrupt(path, $"declares a buffer of {length:N0} bytes, more than {Npz.MaxExpansion} times the file's "
                    + $"{fileSize:N0}: the file is corrupt (or a decompression bomb)");
            var memory = base.AllocateInternal(length, out bytesAllocated);
            NativeBytesOnThread += bytesAllocated;
            return memory;
        }
    }

    /// <summary>The float element type of a list column, or null when the column is something else.</summary>
    private static IArrowType? FloatValueType(IArrowType type)
    {
        var value = type switch
        {
            ListType l => l.ValueDataType,
            LargeListType l => l.ValueDataType,
            FixedSizeListType l => l.ValueDataType,
            _ => null,
        };
        return value is HalfFloatType or FloatType or DoubleType ? value : null;
    }

    /// <summary>The file's schema; a stream that ends before it (an end-of-stream marker alone) has none, and Apache.Arrow says so with null.</summary>
    private static Schema SchemaOf(string path, ArrowStreamReader reader)
        => Run(path, () => reader.GetSchema(default).AsTask()) ?? throw Corrupt(path, "is an empty Arrow stream: it ends before its schema, so it holds no columns");

    private static T Run<T>(string path, Func<Task<T>> call)
    {
        try
        {
            return LibraryWait.For(call);
        }
        catch (Exception e) when (e is not (RepDiffInputException or OutOfMemoryException))
        {
            // What RepDiff's own checks did not name: the library's words alone ("Specified argument was out of the range of valid
            // values.", for a flipped byte of a footer's schema) had not said what is wrong with the file.
            throw Corrupt(path, $"is not a readable Arrow IPC file: corrupt, truncated or not Arrow (Apache.Arrow: {e.Message.ReplaceLineEndings(" ")})");
        }
    }

    /// <summary>What to do about an Arrow file found corrupt or truncated: nothing in it can be read around.</summary>
    internal const string Rewrite = "; write it again, e.g. with pyarrow.feather.write_feather(table, path), or save the embeddings as .npy";

    /// <summary>The error for an Arrow file whose structure is broken: the file, what is wrong, and what to do.</summary>
    private static RepDiffInputException Corrupt(string path, string problem) => RepDiffInputException.ForFile(path, problem, Rewrite);

    protected override string CorruptAdvice => Rewrite;

    /// <summary>
    /// Reads cells of record batch <paramref name="batch"/>. Apache.Arrow builds a batch's arrays over its buffers
    /// without checking that they hold what the lengths declare (pyarrow's Validate does), nor that the batch has every
    /// column of the schema; its accessors then throw when a cell lies past a buffer. On a corrupt file (a flipped length
    /// or offset) that is the file's fault, said in one line, not an internal error.
    /// </summary>
    private static void ReadCells(string path, int batch, Action read)
    {
        try
        {
            read();
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException or InvalidCastException)
        {
            throw Corrupt(path, $"record batch {batch} is corrupt: its columns do not hold what its lengths and offsets declare");
        }
    }

    /// <summary>
    /// The rows of each batch (from their headers), then the batches up to the first with rows: its first row gives the
    /// width, and it is decoded and kept for the first read. With an id column every batch is read for its ids: each is
    /// decoded then when the table is held whole, else a file's last is kept for its read. Counting rows by reading every
    /// batch had read a table of several batches about twice.
    /// </summary>
    private void Scan(List<long> batchRows, int idIndex, string? idColumn)
    {
        if (reader is ArrowFileReader file && Run(Path, () => file.RecordBatchCountAsync().AsTask()) != batchRows.Count)
            throw Corrupt(Path, $"lists {batchRows.Count} record batches in its footer's blocks but not to Apache.Arrow: the file is corrupt");
        SetChunks(batchRows);
        int first = batchRows.FindIndex(rows => rows > 0);
        int last = idIndex >= 0 ? batchRows.Count - 1 : first;
        var ids = idIndex >= 0 ? new List<string?>() : null;
        try
        {
            while (nextBatch <= last && NextBatch() is { } batch)
            {
                int chunk = nextBatch - 1;
                // A table held whole decodes every batch read here for its ids, so none is read again; else a file keeps its last.
                bool decode = ids is not null && chunk > first && HoldsWhole;
                bool keep = reader is ArrowFileReader && ids is not null && chunk == last && chunk != first && !decode;
                try
                {
                    if (ids is not null)
                        ReadCells(Path, chunk, () =>
                        {
                            var idArray = batch.Column(idIndex);
                            for (int i = 0; i < batch.Length; i++) ids.Add(Text(idArray, i, Path, idColumn!));
                        });
                    if (chunk == first) DecodeFirst(batch, chunk);
                    else if (decode) DecodeOnOpening(chunk, Dtype.Size < 8, values => Decode(batch, chunk, values));
                    if (keep) kept = (batch, chunk);
                }
                finally
                {
                    if (!keep) batch.Dispose();
                }
            }
            if (Cols < 0) Cols = 0;
            if (ids is not null) Ids = TableColumnChoice.CheckIds(Path, $"id column '{idColumn}'", ids.ToArray());
        }
        catch
        {
            kept?.Batch.Dispose(); // the caller disposes the reader alone
            throw;
        }
    }

    /// <summary>
    /// The first batch with rows: the width, a fixed-size list's from the schema too, is checked against its first row's
    /// values; then its rows are decoded and kept for the first read.
    /// </summary>
    private void DecodeFirst(RecordBatch batch, int chunk)
    {
        if (dimensions.Length == 0) ReadCells(Path, chunk, () => Cols = FirstRowWidth(batch.Column(columnIndex), ChunkFirstRow(chunk)));
        DecodeOnOpening(chunk, Dtype.Size < 8, values => Decode(batch, chunk, values));
    }

    /// <summary>The next record batch in order (null at the end).</summary>
    private RecordBatch? NextBatch()
    {
        if (reader is ArrowFileReader file)
        {
            int count = Run(Path, () => file.RecordBatchCountAsync().AsTask());
            if (nextBatch >= count) return null;
            int index = nextBatch++;
            return Run(Path, () => file.ReadRecordBatchAsync(index, default).AsTask());
        }
        nextBatch++;
        return Run(Path, () => reader.ReadNextRecordBatchAsync(default).AsTask());
    }

    private RecordBatch Batch(int chunk)
    {
        if (kept is { } last && last.Chunk == chunk)
        {
            kept = null;
            return last.Batch;
        }
        if (reader is ArrowFileReader file) return Run(Path, () => file.ReadRecordBatchAsync(chunk, default).AsTask());
        if (chunk < nextBatch)
        {
            reader.Dispose();
            reader = OpenReader(Path, out _);
            nextBatch = 0;
        }
        while (true)
        {
            var batch = NextBatch() ?? throw RepDiffInputException.ForFile(Path, $"ended before record batch {chunk}; was it changed while being read?");
            if (nextBatch - 1 == chunk) return batch;
            batch.Dispose();
        }
    }

    protected override void Decode(int chunk, Memory<float> destination)
    {
        using var batch = Batch(chunk);
        Decode(batch, chunk, destination);
    }

    private void Decode(RecordBatch batch, int chunk, Memory<float> destination)
    {
        if (batch.Length != ChunkRows(chunk))
            throw RepDiffInputException.ForFile(Path, $"record batch {chunk} has {batch.Length} rows, not the {ChunkRows(chunk)} it had when opened");
        ReadCells(Path, chunk, () =>
        {
            if (dimensions.Length > 0)
            {
                for (int d = 0; d < dimensions.Length; d++) CopyDimension(batch, d, destination.Span, ChunkFirstRow(chunk));
                return;
            }
            var column = batch.Column(columnIndex);
            int firstRow = ChunkFirstRow(chunk);
            var values = Values(column);
            for (int r = 0; r < batch.Length; r++)
            {
                long start = Start(column, r);
                int length = RowLength(column, r, firstRow);
                if (length != Cols) throw WrongLength(firstRow + r, length);
                CopyValues(values, start, destination.Span.Slice(r * Cols, Cols), firstRow + r);
            }
        });
    }

    /// <summary>Column <paramref name="d"/> of a wide table's batch into every row's dimension d: a number in every row.</summary>
    private void CopyDimension(RecordBatch batch, int d, Span<float> destination, long firstRow)
    {
        var column = batch.Column(dimensions[d]);
        for (int r = 0; r < batch.Length; r++)
        {
            if (column.IsNull(r)) throw BadRow(firstRow + r, $"is null in column '{NpyDtype.Truncate(batch.Schema.FieldsList[dimensions[d]].Name)}'; every dimension needs a number");
            int at = r * Cols + d;
            switch (column)
            {
                case FloatArray f: destination[at] = f.Values[r]; break;
                case HalfFloatArray h: destination[at] = (float)h.Values[r]; break;
                case DoubleArray v:
                    destination[at] = (float)v.Values[r];
                    if (RefuseBeyondFloat32 && float.IsInfinity(destination[at]) && double.IsFinite(v.Values[r]))
                        throw RowFile.BeyondFloat32(Name, $"row {firstRow + r} column '{batch.Schema.FieldsList[dimensions[d]].Name}'", v.Values[r].ToString("R", CultureInfo.InvariantCulture));
                    break;
                default: throw new InvalidOperationException($"{Name}: unexpected array {column.GetType().Name}");
            }
        }
    }

    private IArrowArray Values(IArrowArray column) => column switch
    {
        ListArray l => l.Values,
        LargeListArray l => l.Values,
        FixedSizeListArray l => l.Values,
        _ => throw new InvalidOperationException($"{Name}: unexpected array {column.GetType().Name}"),
    };

    /// <summary>
    /// The first row's length, the width every row must have, once its values are seen to lie inside its batch: a corrupt
    /// offset had set a width of millions, and the rows were allocated at it before the first copy found out (603 MB for a
    /// file of 1.5 KB).
    /// </summary>
    private int FirstRowWidth(IArrowArray column, long row)
    {
        int length = RowLength(column, 0, row);
        long start = Start(column, 0);
        if (start < 0 || start + length > Values(column).Length) throw CorruptRow(row, "points outside its batch's values");
        return length;
    }

    /// <summary>Length of row r of a list column; a null row is an error naming its row in the file.</summary>
    private int RowLength(IArrowArray column, int r, long firstRow)
    {
        if (column.IsNull(r)) throw BadRow(firstRow + r, "is null; every row needs a list of numbers");
        long length = column switch
        {
            ListArray l => l.GetValueLength(r),
            LargeListArray l => l.ValueOffsets[r + 1] - l.ValueOffsets[r],
            FixedSizeListArray l => ((FixedSizeListType)l.Data.DataType).ListSize,
            _ => throw new InvalidOperationException($"{Name}: unexpected array {column.GetType().Name}"),
        };
        // A negative length (a corrupt offset or list size) had become the width, by which the first batch was allocated.
        if (length < 0) throw CorruptRow(firstRow + r, $"declares {length} values");
        if (length == 0 || length > int.MaxValue) throw WrongLength(firstRow + r, length);
        return (int)length;
    }

    private static long Start(IArrowArray column, int r) => column switch
    {
        ListArray l => l.ValueOffsets[r],
        LargeListArray l => l.ValueOffsets[r],
        FixedSizeListArray l => (long)(l.Offset + r) * ((FixedSizeListType)l.Data.DataType).ListSize,
        _ => 0,
    };

    private void CopyValues(IArrowArray values, long start, Span<float> destination, long row)
    {
        if (start < 0 || start + destination.Length > values.Length)
            throw CorruptRow(row, "points outside its batch's values");
        int first = (int)start;
        if (values.NullCount > 0)
            for (int k = 0; k < destination.Length; k++)
                if (values.IsNull(first + k)) throw BadRow(row, $"has a null at position {k}; values must be numbers");
        switch (values)
        {
            case FloatArray f: f.Values.Slice(first, destination.Length).CopyTo(destination); break;
            case HalfFloatArray h: TensorPrimitives.ConvertToSingle(h.Values.Slice(first, destination.Length), destination); break;
            case DoubleArray d:
                var source = d.Values.Slice(first, destination.Length);
                for (int k = 0; k < source.Length; k++) destination[k] = (float)source[k];
                CheckBeyondFloat32(source, destination, row);
                break;
            default: throw new InvalidOperationException($"{Name}: unexpected values {values.GetType().Name}");
        }
    }

    /// <summary>A scalar cell of <paramref name="column"/> as text (ids, metadata): strings, integers, dictionary-encoded strings; null when null.</summary>
    internal static string? Text(IArrowArray array, int i, string path, string column)
    {
        if (array.IsNull(i)) return null;
        var c = CultureInfo.InvariantCulture;
        return array switch
        {
            StringArray s => s.GetString(i),
            LargeStringArray s => s.GetString(i),
            StringViewArray s => ViewText(s, i, path, column),
            Int8Array x => x.GetValue(i)!.Value.ToString(c),
            Int16Array x => x.GetValue(i)!.Value.ToString(c),
            Int32Array x => x.GetValue(i)!.Value.ToString(c),
            Int64Array x => x.GetValue(i)!.Value.ToString(c),
            UInt8Array x => x.GetValue(i)!.Value.ToString(c),
            UInt16Array x => x.GetValue(i)!.Value.ToString(c),
            UInt32Array x => x.GetValue(i)!.Value.ToString(c),
            UInt64Array x => x.GetValue(i)!.Value.ToString(c),
            FloatArray x => x.GetValue(i)!.Value.ToString("R", c),
            DoubleArray x => x.GetValue(i)!.Value.ToString("R", c),
            BooleanArray x => x.GetValue(i)!.Value ? "true" : "false",
            DictionaryArray d => Text(d.Dictionary, int.Parse(Text(d.Indices, i, path, column)!, c), path, column),
            _ => throw RepDiffInputException.ForFile(path, $"column '{NpyDtype.Truncate(column)}' is of type {array.Data.DataType.Name}, which cannot hold ids (strings and integers can)"),
        };
    }

    /// <summary>The bytes of one view of a string or binary view column: its length, then its text or its prefix, data buffer and offset.</summary>
    private const int ViewBytes = 16;

    /// <summary>
    /// A cell of a string view column, once its view is seen to lie inside the column's buffers:
    /// Apache.Arrow reads the data buffer and offset a view names as the file gives them, and one out of range threw
    /// IndexOutOfRange or ArgumentOutOfRange.
    /// </summary>
    private static string ViewText(StringViewArray array, int i, string path, string column)
    {
        RepDiffInputException CorruptColumn(string what) => Corrupt(path, $"column '{NpyDtype.Truncate(column)}' {what}: the file is corrupt");
        if (array.ViewsBuffer.Length < ViewBytes * ((long)array.Offset + array.Length))
            throw CorruptColumn($"has {array.Length:N0} rows in a record batch whose views buffer holds {array.ViewsBuffer.Length / ViewBytes:N0}");
        var view = array.Views[i];
        if (view.Length < 0)
            throw CorruptColumn($"holds a string (row {i:N0} of its record batch) of {view.Length:N0} bytes");
        if (!view.IsInline && !(view.BufferIndex >= 0 && view.BufferIndex < array.DataBufferCount
            && view.BufferOffset >= 0 && (long)view.BufferOffset + view.Length <= array.DataBuffer(view.BufferIndex).Length))
            throw CorruptColumn($"holds a string (row {i:N0} of its record batch) of {view.Length:N0} bytes at byte {view.BufferOffset:N0} "
                + $"of data buffer {view.BufferIndex:N0}, which the column's data buffers ({array.DataBufferCount:N0}) do not hold");
        return array.GetString(i);
    }

    /// <summary>Types <see cref="Text"/> reads: strings (string views too), integers, floats, booleans and dictionary-encoded strings (categoricals).</summary>
    private static bool IsScalar(IArrowType type) => type switch
    {
        StringType or LargeStringType or StringViewType or FloatType or DoubleType or BooleanType => true,
        Int8Type or Int16Type or Int32Type or Int64Type or UInt8Type or UInt16Type or UInt32Type or UInt64Type => true,
        DictionaryType d => IsScalar(d.ValueType),
        _ => false,
    };

    /// <summary>Every scalar column of an Arrow file or stream as text (metadata); other columns are left out.</summary>
    internal static (string[] Names, List<string?[]> Columns) ReadScalars(string path)
    {
        using var table = new ArrowColumn(path, "", OpenReader(path, out _), -1);
        var schema = SchemaOf(path, table.reader);
        var indices = Enumerable.Range(0, schema.FieldsList.Count).Where(j => IsScalar(schema.FieldsList[j].DataType)).ToArray();
        var columns = indices.Select(_ => new List<string?>()).ToList();
        while (table.NextBatch() is { } batch)
        {
            using (batch)
                ReadCells(path, table.nextBatch - 1, () =>
                {
                    for (int k = 0; k < indices.Length; k++)
                    {
                        var array = batch.Column(indices[k]);
                        for (int i = 0; i < batch.Length; i++) columns[k].Add(Text(array, i, path, schema.FieldsList[indices[k]].Name));
                    }
                });
        }
        return (indices.Select(j => schema.FieldsList[j].Name).ToArray(), columns.Select(c => c.ToArray()).ToList());
    }

    public override void Dispose()
    {
        kept?.Batch.Dispose();
        reader.Dispose();
    }
}
