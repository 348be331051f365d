using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace RepDiff.IO;

/// <summary>Reads and writes numpy's .npy format (versions 1, 2 and 3).</summary>
public static class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>numpy writes headers of a few hundred bytes (and refuses to read more than 10000 by default).</summary>
    internal const int MaxHeaderLength = 1 << 16;
    private const int MaxDimensions = 32;

    /// <summary>No real array has more elements than this; larger claims are rejected before any arithmetic can overflow.</summary>
    internal const long MaxElements = 1L << 50;

    /// <summary>
    /// Parses the header at the stream's position and checks it: magic, version, header length, the
    /// dictionary, the dtype, the shape, and (when <paramref name="available"/> is known: the bytes from
    /// the header's start to the end of the file) that the data fits. Nothing is allocated from a claim
    /// before it is checked. <paramref name="strings"/>: read as labels or ids (<see cref="NpyDtype.Parse"/>);
    /// <paramref name="archiveEntry"/>: an .npz's array, which no user wrote as raw bytes.
    /// </summary>
    public static NpyHeader ReadHeader(Stream stream, string name, long available = -1, bool strings = false, bool archiveEntry = false)
    {
        if (available < 0 && stream.CanSeek) available = stream.Length - stream.Position;
        Span<byte> pre = stackalloc byte[12];
        int start = InputFile.ReadFully(stream, pre[..8]);
        if (start == 0) throw RepDiffInputException.ForFile(name, "empty file (no .npy header)");
        // A prefix of the magic is a .npy file cut short, not some other kind of file.
        if (start < 8 && pre[..Math.Min(start, 6)].SequenceEqual(Magic.AsSpan(0, Math.Min(start, 6))))
            throw RepDiffInputException.ForFile(name, $"truncated .npy header (the file ends after {start} bytes)");
        if (start < 8 || !pre[..6].SequenceEqual(Magic))
            // Raw bytes (np.memmap, ndarray.tofile) have no header: nothing says their dtype or shape. Inside an .npz, where
            // np.savez writes each array as a .npy, that advice would not fit.
            throw RepDiffInputException.ForFile(name, archiveEntry
                ? "not a .npy array: the entry does not begin with numpy's header, as every array np.savez writes does; the file is damaged or was not written by numpy"
                : "not a .npy file: it does not begin with numpy's header (raw bytes, as np.memmap and tofile "
                    + "write them, say neither dtype nor shape); save it with np.save, or make the memmap with np.lib.format.open_memmap");
        byte major = pre[6];
        if (major is < 1 or > 3 || pre[7] != 0)
            throw RepDiffInputException.ForFile(name, $"unsupported .npy format version {major}.{pre[7]} (1.0, 2.0 and 3.0 are read)");
        int lengthBytes = major == 1 ? 2 : 4;
        if (InputFile.ReadFully(stream, pre.Slice(8, lengthBytes)) < lengthBytes)
            throw RepDiffInputException.ForFile(name, "truncated .npy header");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(pre[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(pre[8..]);
        long dataOffset = 8 + lengthBytes + headerLength;
        if (available >= 0 && dataOffset > available)
            throw RepDiffInputException.ForFile(name, $"truncated .npy header (claims {headerLength} bytes, only {available - 8 - lengthBytes} are present)");
        if (headerLength > MaxHeaderLength)
            throw RepDiffInputException.ForFile(name, $".npy header claims {headerLength} bytes; at most {MaxHeaderLength} are accepted");
        var headerBytes = new byte[headerLength];
        if (InputFile.ReadFully(stream, headerBytes) < headerLength)
            throw RepDiffInputException.ForFile(name, "truncated .npy header");
        string text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (descr, fortran, shape) = HeaderLiteral.Parse(text, name);
        var dtype = NpyDtype.Parse(descr, name, strings);
        CheckShape(shape, dtype.Size, name);
        var header = new NpyHeader(dtype, fortran, shape, dataOffset);
        if (available >= 0 && header.DataBytes > available - dataOffset)
            throw RepDiffInputException.ForFile(name, $"truncated: shape {RowFile.ShapeText(shape)} of {dtype.Name} needs {header.DataBytes} data bytes but only {available - dataOffset} are present");
        return header;
    }

    /// <summary>
    /// A second array after the first: np.save called again on a file opened for appending (saving embeddings batch by
    /// batch). numpy's np.load reads the first array alone and says nothing, so the other batches would silently be
    /// missing; refused instead. Other bytes after the data are left alone, as numpy leaves them.
    /// </summary>
    private static void RefuseAppendedArray(Stream stream, NpyHeader header, string name)
    {
        long end = header.DataOffset + header.DataBytes;
        if (!stream.CanSeek || stream.Length - end < Magic.Length) return;
        long position = stream.Position;
        stream.Position = end;
        Span<byte> next = stackalloc byte[Magic.Length];
        int read = InputFile.ReadFully(stream, next);
        stream.Position = position;
        if (read == Magic.Length && next.SequenceEqual(Magic))
            throw RepDiffInputException.ForFile(name, $"holds another .npy array after its {RowFile.ShapeText(header.Shape)} array "
                + "(np.save called again on a file opened for appending?); np.load reads only the first; save every row as one array (np.concatenate)");
    }

    /// <summary>Rejects shapes whose element count is absurd (and would overflow byte arithmetic).</summary>
    internal static void CheckShape(long[] shape, int elementSize, string name)
    {
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0 || d != 0 && count > MaxElements / d)
                throw RepDiffInputException.ForFile(name, $"shape {RowFile.ShapeText(shape)} is impossibly large");
            count *= d;
        }
        if (count > MaxElements / elementSize)
            throw RepDiffInputException.ForFile(name, $"shape {RowFile.ShapeText(shape)} is impossibly large");
    }

    /// <summary>Opens a .npy file as memory-mapped rows (with flatten, N×H×W×C arrays become N rows).</summary>
    internal static RowFile OpenRows(string path, bool checkFinite, bool flatten = false)
    {
        var stream = InputFile.OpenRead(path);
        try
        {
            var header = ReadHeader(stream, path);
            RefuseAppendedArray(stream, header, path);
            var bytes = ArrayBytes.Map(stream, header.DataOffset, header.DataBytes);
            try { return new RowFile(path, bytes, header.Dtype, header.Shape, header.FortranOrder, checkFinite, flatten); }
            catch { bytes.Dispose(); throw; }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads a 2-D numeric array (a 1-D array becomes one column) as float32, without judging its values.</summary>
    public static Matrix ReadMatrix(string path)
    {
        using var rows = OpenRows(path, checkFinite: false);
        return rows.ReadAll();
    }

    /// <summary>Reads any array (numeric or string) fully: its header and raw data bytes.</summary>
    internal static (NpyHeader Header, byte[] Data) ReadRaw(string path)
    {
        using var stream = InputFile.OpenRead(path);
        var header = ReadHeader(stream, path, strings: true);
        RefuseAppendedArray(stream, header, path);
        if (header.DataBytes > Array.MaxLength)
            throw RepDiffInputException.ForFile(path, $"array of {header.DataBytes} bytes is too large to load at once");
        // Each element becomes a string: a few dozen bytes whatever its size in the file.
        MemoryBudget.EnsureFits(path, header.DataBytes + header.Count * 48, "reading this array");
        var data = new byte[header.DataBytes];
        if (InputFile.ReadFully(stream, data) < data.Length) throw RepDiffInputException.ForFile(path, "truncated data");
        return (header, data);
    }

    /// <summary>Writes a float32 matrix as a C-order little-endian .npy, atomically.</summary>
    public static void Write(string path, Matrix m) => Write(path, m.Data, m.Rows, m.Cols);

    /// <summary>Writes values with the given shape (default: 1-D) as a C-order little-endian .npy, atomically.</summary>
    public static void Write(string path, float[] values, params long[] shape) => Write(path, "<f4", values, shape);

    public static void Write(string path, double[] values, params long[] shape) => Write(path, "<f8", values, shape);

    public static void Write(string path, int[] values, params long[] shape) => Write(path, "<i4", values, shape);

    public static void Write(string path, long[] values, params long[] shape) => Write(path, "<i8", values, shape);

    private static void Write<T>(string path, string descr, T[] values, long[] shape) where T : unmanaged
    {
        if (shape.Length == 0) shape = [values.LongLength];
        if (shape.Aggregate(1L, (a, b) => a * b) != values.LongLength)
            throw new ArgumentException($"shape {RowFile.ShapeText(shape)} does not hold {values.LongLength} values");
        AtomicFile.Write(path, s => WriteRaw(s, descr, shape, MemoryMarshal.AsBytes(values.AsSpan())));
    }

    /// <summary>Writes a version 1.0 header (version 2.0 if it does not fit) and the data, C order.</summary>
    public static void WriteRaw(Stream stream, string descr, long[] shape, ReadOnlySpan<byte> data)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        int lengthBytes = dict.Length + 11 > ushort.MaxValue ? 4 : 2;
        int total = 8 + lengthBytes + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        string header = dict + new string(' ', padded - total) + "\n";
        stream.Write(Magic);
        stream.Write(lengthBytes == 2 ? [1, 0] : [2, 0]);
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)header.Length);
        stream.Write(len[..lengthBytes]);
        stream.Write(Encoding.Latin1.GetBytes(header));
        stream.Write(data);
    }

    /// <summary>
    /// The header is a Python dict literal: {'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }.
    /// A small strict parser (rather than pattern matching) so that anything unexpected is rejected.
    /// </summary>
    private ref struct HeaderLiteral(string text, string name)
    {
        private int pos;

        public static (string Descr, bool Fortran, long[] Shape) Parse(string text, string name)
        {
            var p = new HeaderLiteral(text, name);
            string? descr = null;
            bool? fortran = null;
            long[]? shape = null;
            p.Expect('{');
            while (!p.TryConsume('}'))
            {
                string key = p.ReadString();
                p.Expect(':');
                switch (key)
                {
                    case "descr" when descr is null:
                        if (p.Peek() is not ('\'' or '"'))
                            throw RepDiffInputException.ForFile(name, "unsupported dtype (structured arrays are not read)");
                        descr = p.ReadString();
                        break;
                    case "fortran_order" when fortran is null: fortran = p.ReadBool(); break;
                    case "shape" when shape is null: shape = p.ReadShape(); break;
                    default: throw p.Malformed($"unexpected or repeated key '{NpyDtype.Truncate(key)}'");
                }
                if (!p.TryConsume(',')) { p.Expect('}'); break; }
            }
            p.SkipSpace();
            if (p.pos != text.Length) throw p.Malformed("text after the dictionary");
            if (descr is null || fortran is null || shape is null)
                throw p.Malformed("needs 'descr', 'fortran_order' and 'shape'");
            return (descr, fortran.Value, shape);
        }

        private readonly RepDiffInputException Malformed(string problem) =>
            RepDiffInputException.ForFile(name, $"malformed .npy header ({problem})");

        private void SkipSpace()
        {
            while (pos < text.Length && text[pos] is ' ' or '\n' or '\r' or '\t') pos++;
        }

        private char Peek()
        {
            SkipSpace();
            return pos < text.Length ? text[pos] : '\0';
        }

        private bool TryConsume(char c)
        {
            if (Peek() != c) return false;
            pos++;
            return true;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c)) throw Malformed($"expected '{c}' at offset {pos}");
        }

        private string ReadString()
        {
            char quote = Peek();
            if (quote is not ('\'' or '"')) throw Malformed($"expected a quoted string at offset {pos}");
            int end = text.IndexOf(quote, pos + 1);
            if (end < 0) throw Malformed("unterminated string");
            string s = text[(pos + 1)..end];
            pos = end + 1;
            return s;
        }

        private bool ReadBool()
        {
            SkipSpace();
            foreach (var (word, value) in new[] { ("True", true), ("False", false) })
                if (string.CompareOrdinal(text, pos, word, 0, word.Length) == 0)
                {
                    pos += word.Length;
                    return value;
                }
            throw Malformed("'fortran_order' must be True or False");
        }

        private long[] ReadShape()
        {
            Expect('(');
            var dims = new List<long>();
            while (!TryConsume(')'))
            {
                SkipSpace();
                int start = pos;
                while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
                if (pos == start || pos - start > 18 || dims.Count == MaxDimensions)
                    throw Malformed("'shape' must be a tuple of at most 32 non-negative integers");
                dims.Add(long.Parse(text.AsSpan(start, pos - start), NumberStyles.None, CultureInfo.InvariantCulture));
                if (pos < text.Length && text[pos] == 'L') pos++; // Python 2 long literal
                if (!TryConsume(',')) { Expect(')'); break; }
            }
            return dims.ToArray();
        }
    }
}
