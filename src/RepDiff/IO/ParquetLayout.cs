using Parquet;
using Parquet.Meta;
using Parquet.Schema;

namespace RepDiff.IO;

/// <summary>
/// What Parquet.Net allocates by, checked against the file before it reads. It sizes lists by the count the footer
/// declares (a footer declaring 2^28 row groups asks for 2 GB), reads a column chunk's values, levels and dictionary
/// into arrays of the declared value counts, and a page into a buffer of its declared uncompressed size, even on
/// uncompressed pages (134 MB from a 1.2 MB file). So the footer is walked once at open, every count and byte length
/// in it against the bytes left; and before a column chunk is read, its place in the file, its value count against
/// the row group's rows and the memory budget, and every page header's sizes against the chunk and the page's values.
/// </summary>
internal static class ParquetLayout
{
    private const string NotParquet = "not a Parquet file";

    /// <summary>Walks the footer, the <paramref name="length"/> bytes before its length and the closing "PAR1".</summary>
    public static void CheckFooter(string path, FileStream stream, long length)
    {
        long start = stream.Length - 8 - length;
        stream.Position = start;
        new Thrift(path, stream, start + length, "footer").Struct(null);
        stream.Position = 0;
    }

    /// <summary>
    /// Checks one column chunk before Parquet.Net reads it. A <paramref name="scalar"/> column holds one value per row
    /// (nulls included); a list column at least one (a null or empty row is one level entry), and its rows decode to
    /// <paramref name="bytesPerRow"/> bytes each (0 while the width is not known yet). The page headers are walked only
    /// when <paramref name="walkPages"/>: a caller that has walked them once need not again for the same open file. They
    /// are read through <paramref name="file"/>, the file the reader has open (opening it again for each chunk walked had
    /// opened a table of 200 row groups 400 times).
    /// </summary>
    public static void CheckChunk(string path, FileStream file, ParquetRowGroupReader rowGroup, int group, DataField field, bool scalar, long bytesPerRow, bool walkPages = true)
    {
        string what = $"row group {group} column '{field.Path}'";
        var meta = rowGroup.GetMetadata(field)?.MetaData ?? throw ParquetFile.Corrupt(path, $"{what} has no metadata: the file is corrupt");
        long rows = rowGroup.RowCount, values = meta.NumValues;
        if (rows < 0 || values < rows || scalar && values != rows)
            throw ParquetFile.Corrupt(path, $"{what} declares {values} values for {rows} rows: the file is corrupt");
        // Decoded, each value takes its element (a reference for byte arrays) and two int levels in Parquet.Net's arrays.
        int? element = meta.Type switch
        {
            Parquet.Meta.Type.BOOLEAN => 1,
            Parquet.Meta.Type.INT32 or Parquet.Meta.Type.FLOAT => 4,
            Parquet.Meta.Type.INT96 => 12,
            Parquet.Meta.Type.INT64 or Parquet.Meta.Type.DOUBLE => 8,
            _ => null,
        };
        long decoded = Math.Max(values * ((element ?? 8) + 8), rows * bytesPerRow);
        if (decoded > Npz.MaxExpandedBytes && decoded > Npz.MaxExpansion * Math.Max(1, meta.TotalCompressedSize))
            throw ParquetFile.Corrupt(path, $"{what} expands from {meta.TotalCompressedSize:N0} bytes to {values:N0} values "
                + $"({MemoryBudget.Megabytes(decoded)}, more than {Npz.MaxExpansion}-fold): the file is corrupt (or a decompression bomb)");
        // A row group is read whole: besides these arrays, Parquet.Net holds the chunk's pages as read, decompressed and
        // decoded while it fills them (measured: ReadFactor), and the rows are copied out, each value of a list as a float32
        // (counted so before the width is known, so that the row group size advised fits).
        long held = (long)(values * ((element ?? 8) + 8) * ReadFactor) + Math.Max(rows * bytesPerRow, scalar ? 0 : values * 4);
        MemoryBudget.EnsureFits(path, held, $"{what}'s {values:N0} values", SmallerRowGroups(rows, held));
        if (!walkPages) return;

        // Pages are read from the lower of the two offsets, as Parquet.Net does; they lie between "PAR1" and the footer.
        long size = file.Length, start = meta.DictionaryPageOffset is long d && d > 0 && d < meta.DataPageOffset ? d : meta.DataPageOffset;
        if (start < 4) throw ParquetFile.Corrupt(path, $"{what} offset {start} is before the data: {NotParquet} or corrupt");
        TableColumn.CheckDeclaredLength(path, $"{what} offset", start, size - 8, size, NotParquet, ParquetFile.Rewrite);
        TableColumn.CheckDeclaredLength(path, $"{what} size", meta.TotalCompressedSize, size - 8 - start, size, NotParquet, ParquetFile.Rewrite);
        long end = start + meta.TotalCompressedSize, seen = 0;
        var headers = new HeaderReads(file);
        for (int page = 0; seen < values; page++)
        {
            if (start >= end) throw ParquetFile.Corrupt(path, $"{what}'s pages hold {seen} of its {values} values: the file is corrupt");
            headers.Position = start;
            string name = $"{what} page {page}";
            var (type, uncompressed, compressed, pageValues, encoding) = PageHeader(new Thrift(path, headers, end, $"{name} header"));
            start = headers.Position;
            TableColumn.CheckDeclaredLength(path, $"{name} compressed size", compressed, end - start, size, NotParquet, ParquetFile.Rewrite);
            // A page holds at most the chunk's values; uncompressed, each takes its element and its levels (RLE runs of
            // one, 2 bytes a level at worst), plus the levels' length prefixes. Byte arrays have no fixed size: the
            // .npz rule for what a compressed page may expand to applies instead.
            if (pageValues < 0 || pageValues > values)
                throw ParquetFile.Corrupt(path, $"{name} declares {pageValues} values, but the column chunk holds {values}: the file is corrupt");
            long limit = element is { } bytes ? pageValues * (bytes + 8) + 1024 : Math.Max(Npz.MaxExpandedBytes, Npz.MaxExpansion * compressed);
            if (uncompressed < 0 || uncompressed > limit)
                throw ParquetFile.Corrupt(path, $"{name} uncompressed size {uncompressed} is more than its {pageValues} values can take ({limit:N0} bytes): the file is corrupt");
            // A dictionary page holds its entries plainly, and so does a PLAIN v1 data page of a column without levels: each
            // value takes its element. Other pages hold levels, nulls their header does not count, or RLE runs; one of those
            // too short for its values is found as it is decoded (ParquetChunk). Booleans are bits.
            bool everyValuePlain = type == (int)PageType.DICTIONARY_PAGE || type == (int)PageType.DATA_PAGE
                && encoding == (int)Parquet.Meta.Encoding.PLAIN && field.MaxDefinitionLevel == 0 && field.MaxRepetitionLevel == 0;
            if (everyValuePlain && element is { } each && meta.Type != Parquet.Meta.Type.BOOLEAN && uncompressed < pageValues * each)
                throw ParquetFile.Corrupt(path, $"{name} uncompressed size {uncompressed} is less than its {pageValues} values take ({pageValues * each:N0} bytes): the file is corrupt");
            MemoryBudget.EnsureFits(path, uncompressed, $"{name}");
            if (type is (int)PageType.DATA_PAGE or (int)PageType.DATA_PAGE_V2) seen += pageValues;
            start += compressed;
        }
        if (seen != values) throw ParquetFile.Corrupt(path, $"{what}'s pages hold {seen} values, not the {values} it declares: the file is corrupt");
    }

    /// <summary>
    /// How many times over a column chunk's decoded values and levels a read holds at its peak: 42 to 54 bytes a float
    /// measured by peak RSS reading lists of 768 floats in one row group of 20,000 and of 50,000 rows (one page a chunk,
    /// as Parquet.Net writes; docs/reliability.md, h183). Counting the arrays alone (12 bytes a float) had let a row group
    /// four times too large start, to fail late as "out of memory; try fewer rows".
    /// </summary>
    internal const double ReadFactor = 4.5;

    /// <summary>
    /// What to do when one row group does not fit: a row group cannot be read in part, so the file must be written with
    /// smaller ones; the advice names a size that fits.
    /// </summary>
    private static string? SmallerRowGroups(long rows, long held)
    {
        long available = MemoryBudget.Available() / 4 * 3;
        if (rows < 2 || available <= 0 || held <= 0) return null;
        long fits = Math.Max(1, (long)(rows * ((double)available / held)));
        if (fits >= 10_000) fits = fits / 1000 * 1000;
        return $"a row group is read whole: write the file with smaller ones, e.g. pyarrow.parquet.write_table(table, path, row_group_size={fits}) "
            + "(pyarrow's default is up to 1,048,576 rows a group), or save the embeddings as .npy";
    }

    /// <summary>
    /// A page header's type, sizes and value count (num_values of its data, dictionary or v2 header), and a v1 data
    /// page's encoding (-1 for other pages).
    /// </summary>
    private static (int Type, long Uncompressed, long Compressed, long Values, long Encoding) PageHeader(Thrift thrift)
    {
        int type = -1;
        long uncompressed = -1, compressed = -1, values = 0, encoding = -1;
        thrift.Struct((id, kind) =>
        {
            if (id is >= 1 and <= 3 && kind == Thrift.I32)
            {
                long value = thrift.Integer();
                if (id == 1) type = (int)value;
                else if (id == 2) uncompressed = value;
                else compressed = value;
                return true;
            }
            if (id is not (5 or 7 or 8) || kind != Thrift.StructType) return false;
            thrift.Struct((inner, innerKind) =>
            {
                if (innerKind != Thrift.I32) return false;
                if (inner == 1) values = thrift.Integer();
                else if (inner == 2 && id == 5) encoding = thrift.Integer(); // DataPageHeader.encoding
                else return false;
                return true;
            }, 1);
            return true;
        });
        return (type, uncompressed, compressed, values, encoding);
    }

    /// <summary>
    /// The file as the page walk reads it: a few hundred bytes at a time at the position asked (RandomAccess), leaving the
    /// reader's stream and its 1 MiB buffer alone. Read through that buffer, each page header had filled it from the
    /// page's start, so a chunk of pages smaller than 1 MiB (pyarrow writes pages of about 1 MB) was read whole by the walk
    /// and again by Parquet.Net: inspect read 1.84 times a file of 20,000 × 384 float32 in pages of 261 KB.
    /// </summary>
    private sealed class HeaderReads(FileStream file) : Stream
    {
        private readonly byte[] buffer = new byte[512]; // a page header is tens of bytes; statistics can make it a few hundred
        private long bufferStart;
        private int buffered;

        public override long Position { get; set; }
        public override long Length { get; } = file.Length;

        public override int ReadByte()
        {
            if (Position < bufferStart || Position >= bufferStart + buffered)
            {
                bufferStart = Position;
                buffered = Position < Length ? RandomAccess.Read(file.SafeFileHandle, buffer, Position) : 0;
                if (buffered == 0) return -1;
            }
            return buffer[Position++ - bufferStart];
        }

        public override int Read(byte[] into, int offset, int count)
        {
            int done = 0;
            for (int b; done < count && (b = ReadByte()) >= 0; done++) into[offset + done] = (byte)b;
            return done;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => Length + offset,
        };

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>
    /// Just enough of the Thrift compact protocol, in which Parquet's footer and page headers are written, to visit
    /// every field of a struct, with each byte length and element count checked against the bytes left before end.
    /// </summary>
    private sealed class Thrift(string path, Stream stream, long end, string what)
    {
        public const int I32 = 5, StructType = 12;
        private const int MaxDepth = 32; // Parquet nests structs a few levels deep; far deeper only exhausts the stack

        private int Byte()
        {
            int b = stream.Position < end ? stream.ReadByte() : -1;
            return b >= 0 ? b : throw ParquetFile.Corrupt(path, $"{what} runs past its end: {NotParquet} or truncated");
        }

        private long Varint()
        {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                int b = Byte();
                value |= (long)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
            throw ParquetFile.Corrupt(path, $"{what} holds a number longer than 64 bits: {NotParquet} or corrupt");
        }

        /// <summary>An i16, i32 or i64 (zigzag varint).</summary>
        public long Integer()
        {
            long v = Varint();
            return (long)((ulong)v >> 1) ^ -(v & 1);
        }

        /// <summary>A count of elements that take at least a byte each, against the bytes left.</summary>
        private long Count(long n, string of)
        {
            TableColumn.CheckDeclaredLength(path, $"{what} {of}", n, end - stream.Position, stream.Length, NotParquet, ParquetFile.Rewrite);
            return n;
        }

        // Not `stream.Position += Count(Varint(), ...)`: that reads Position before the varint moves it.
        private void Advance(long bytes) => stream.Position += bytes;

        /// <summary>Visits the fields of a struct: <paramref name="read"/> reads those it wants (returning true); the others are skipped.</summary>
        public void Struct(Func<int, int, bool>? read, int depth = 0)
        {
            if (depth > MaxDepth) throw ParquetFile.Corrupt(path, $"{what} nests more than {MaxDepth} levels: {NotParquet} or corrupt");
            int id = 0;
            for (int header = Byte(); header != 0; header = Byte())
            {
                int type = header & 0x0F;
                id = header >> 4 == 0 ? (int)Integer() : id + (header >> 4);
                if (read?.Invoke(id, type) != true) Skip(type, depth, inList: false);
            }
        }

        private void Skip(int type, int depth, bool inList)
        {
            switch (type)
            {
                case 1 or 2: if (inList) Byte(); break; // a boolean field is its header; in a list, a byte
                case 3: Byte(); break;
                case 4 or 5 or 6: Varint(); break;
                case 7: Advance(Count(8, "double")); break;
                case 8: Advance(Count(Varint(), "byte length")); break;
                case 9 or 10:
                    int list = Byte();
                    for (long i = Count(list >> 4 == 15 ? Varint() : list >> 4, "list length"); i > 0; i--) Skip(list & 0x0F, depth + 1, inList: true);
                    break;
                case 11:
                    long pairs = Count(Varint(), "map size");
                    int kinds = pairs > 0 ? Byte() : 0;
                    for (; pairs > 0; pairs--)
                    {
                        Skip(kinds >> 4, depth + 1, inList: true);
                        Skip(kinds & 0x0F, depth + 1, inList: true);
                    }
                    break;
                case 12: Struct(null, depth + 1); break;
                default: throw ParquetFile.Corrupt(path, $"{what} holds a field of unknown type {type}: {NotParquet} or corrupt");
            }
        }
    }
}
