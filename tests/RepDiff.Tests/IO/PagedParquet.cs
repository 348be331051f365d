using System.Buffers.Binary;
using System.Text;

namespace RepDiff.Tests.IO;

/// <summary>
/// Writes a Parquet file whose column chunks hold many data pages, as pyarrow writes them (about 1 MB a page) and
/// Parquet.Net does not (one page a chunk): a column "emb" of float lists (list of nullable float32, every value
/// present), uncompressed PLAIN version-1 data pages of <c>pageRows</c> rows, in row groups of <c>groupRows</c> rows.
/// The footer and page headers are Thrift compact structs, written here field by field.
/// </summary>
public static class PagedParquet
{
    public static string Write(string path, float[][] rows, int pageRows, int groupRows = int.MaxValue)
    {
        int dim = rows[0].Length;
        var file = new MemoryStream();
        file.Write("PAR1"u8);
        var groups = new List<ThriftStruct>();
        for (int first = 0; first < rows.Length; first += groupRows)
        {
            var group = rows[first..Math.Min(rows.Length, first + groupRows)];
            long start = file.Length;
            for (int page = 0; page < group.Length; page += pageRows)
                WritePage(file, group[page..Math.Min(group.Length, page + pageRows)], dim);
            long size = file.Length - start;
            var meta = new ThriftStruct().I32(1, 4 /* FLOAT */).I32List(2, [0 /* PLAIN */, 3 /* RLE */]).StringList(3, ["emb", "list", "element"])
                .I32(4, 0 /* uncompressed */).I64(5, (long)group.Length * dim).I64(6, size).I64(7, size).I64(9, start);
            groups.Add(new ThriftStruct().StructList(1, [new ThriftStruct().I64(2, start).Struct(3, meta)]).I64(2, size).I64(3, group.Length));
        }
        // The schema as pyarrow writes a list column: an optional LIST group around a repeated "list" around the element.
        ThriftStruct[] schema =
        [
            new ThriftStruct().String(4, "schema").I32(5, 1),
            new ThriftStruct().I32(3, 1 /* OPTIONAL */).String(4, "emb").I32(5, 1).I32(6, 3 /* LIST */),
            new ThriftStruct().I32(3, 2 /* REPEATED */).String(4, "list").I32(5, 1),
            new ThriftStruct().I32(1, 4 /* FLOAT */).I32(3, 1).String(4, "element"),
        ];
        byte[] footer = new ThriftStruct().I32(1, 1).StructList(2, schema).I64(3, rows.Length).StructList(4, [.. groups]).String(6, "RepDiff.Tests PagedParquet").End();
        file.Write(footer);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, footer.Length);
        file.Write(length);
        file.Write("PAR1"u8);
        File.WriteAllBytes(path, file.ToArray());
        return path;
    }

    /// <summary>
    /// One data page: repetition levels (0 opens a row, 1 continues it) and definition levels (3: present) as RLE runs,
    /// each behind its 4-byte length, then the values.
    /// </summary>
    private static void WritePage(Stream file, float[][] rows, int dim)
    {
        var repetition = new MemoryStream();
        foreach (var _ in rows)
        {
            Run(repetition, 1, 0);
            Run(repetition, dim - 1, 1);
        }
        var definition = new MemoryStream();
        Run(definition, rows.Length * dim, 3);
        var body = new MemoryStream();
        foreach (var levels in new[] { repetition, definition })
        {
            body.Write(BitConverter.GetBytes(checked((int)levels.Length)));
            levels.WriteTo(body);
        }
        foreach (var row in rows)
            foreach (float value in row) body.Write(BitConverter.GetBytes(value));
        var dataHeader = new ThriftStruct().I32(1, rows.Length * dim).I32(2, 0 /* PLAIN */).I32(3, 3 /* RLE */).I32(4, 3);
        file.Write(new ThriftStruct().I32(1, 0 /* DATA_PAGE */).I32(2, (int)body.Length).I32(3, (int)body.Length).Struct(5, dataHeader).End());
        body.WriteTo(file);
    }

    /// <summary>An RLE run of the hybrid encoding: its length shifted left once, then the value in a byte (bit widths of at most 8).</summary>
    private static void Run(Stream to, int count, byte value)
    {
        Varint(to, (ulong)count << 1);
        to.WriteByte(value);
    }

    private static void Varint(Stream to, ulong value)
    {
        for (; value >= 0x80; value >>= 7) to.WriteByte((byte)(value | 0x80));
        to.WriteByte((byte)value);
    }

    /// <summary>A Thrift compact struct, its fields in increasing id order.</summary>
    private sealed class ThriftStruct
    {
        private readonly MemoryStream bytes = new();
        private int last;

        private ThriftStruct Field(int id, int type)
        {
            bytes.WriteByte((byte)((id - last) << 4 | type)); // ids here rise by at most 15
            last = id;
            return this;
        }

        private void ZigZag(long value) => Varint(bytes, (ulong)((value << 1) ^ (value >> 63)));

        private void Text(string value)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(value);
            Varint(bytes, (ulong)utf8.Length);
            bytes.Write(utf8);
        }

        private void ListHeader(int count, int type)
        {
            if (count < 15) bytes.WriteByte((byte)(count << 4 | type));
            else
            {
                bytes.WriteByte((byte)(0xF0 | type));
                Varint(bytes, (ulong)count);
            }
        }

        public ThriftStruct I32(int id, int value) { Field(id, 5).ZigZag(value); return this; }
        public ThriftStruct I64(int id, long value) { Field(id, 6).ZigZag(value); return this; }
        public ThriftStruct String(int id, string value) { Field(id, 8).Text(value); return this; }
        public ThriftStruct Struct(int id, ThriftStruct value) { Field(id, 12).bytes.Write(value.End()); return this; }

        public ThriftStruct I32List(int id, int[] values)
        {
            Field(id, 9).ListHeader(values.Length, 5);
            foreach (int value in values) ZigZag(value);
            return this;
        }

        public ThriftStruct StringList(int id, string[] values)
        {
            Field(id, 9).ListHeader(values.Length, 8);
            foreach (string value in values) Text(value);
            return this;
        }

        public ThriftStruct StructList(int id, ThriftStruct[] values)
        {
            Field(id, 9).ListHeader(values.Length, 12);
            foreach (var value in values) bytes.Write(value.End());
            return this;
        }

        public byte[] End() => [.. bytes.ToArray(), 0];
    }
}
