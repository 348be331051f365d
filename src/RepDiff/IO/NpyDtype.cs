using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;

namespace RepDiff.IO;

/// <summary>
/// An element type in numpy's terms ("&lt;f4", "&gt;i8", "|u1", "|b1", "&lt;U12") and how to convert it:
/// numeric kinds to float32 (embeddings), any kind to a string (labels). Safetensors' dtypes map onto the
/// same kinds, plus bfloat16 (kind 'h').
/// </summary>
public sealed record NpyDtype(char Kind, int Size, bool BigEndian)
{
    public static readonly NpyDtype Float32 = new('f', 4, false);

    /// <summary>numpy's name for the dtype: float32, int64, bool, &lt;U12 ...</summary>
    public string Name => Kind switch
    {
        'f' => $"float{Size * 8}",
        'h' => "bfloat16",
        'i' => $"int{Size * 8}",
        'u' => $"uint{Size * 8}",
        'b' => "bool",
        'U' => $"<U{Size / 4}",
        _ => $"|S{Size}",
    };

    public bool IsNumeric => Kind is not ('U' or 'S');

    /// <summary>Only floating kinds can hold NaN or Inf.</summary>
    public bool IsFloating => Kind is 'f' or 'h';

    /// <summary>
    /// Parses a numpy descr; anything this reader cannot convert is a RepDiffInputException. <paramref name="strings"/>: the
    /// array is read as labels or ids, so a refusal says how to save strings rather than numbers.
    /// </summary>
    public static NpyDtype Parse(string descr, string name, bool strings = false)
    {
        char order = descr.Length > 0 ? descr[0] : ' ';
        int start = order is '<' or '>' or '|' or '=' ? 1 : 0;
        bool big = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        if (descr.Length > start + 1 && descr.Length <= start + 10 && int.TryParse(descr.AsSpan(start + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int size))
        {
            char kind = descr[start];
            bool supported = kind switch
            {
                'f' => size is 2 or 4 or 8,
                'i' or 'u' => size is 1 or 2 or 4 or 8,
                'b' => size == 1,
                'U' => size is > 0 and < 1 << 20,
                'S' => size is > 0 and < 1 << 22,
                _ => false,
            };
            if (supported) return new NpyDtype(kind, kind == 'U' ? size * 4 : size, big && size > 1);
        }
        // An object array (|O) is pickled Python objects: np.save of a list of arrays of different lengths, or of tensors;
        // as labels, a pandas column's .values (strings are objects there).
        if (descr is "|O" or "O")
            throw RepDiffInputException.ForFile(name, strings
                ? $"unsupported dtype '{descr}': Python objects (pickled), as a pandas column's .values holds its strings; RepDiff runs no pickle: "
                    + "save them as numpy strings instead, e.g. np.asarray(labels, dtype=str)"
                : $"unsupported dtype '{descr}': Python objects (pickled), not numbers; RepDiff runs no pickle: "
                    + "save a numeric array instead, e.g. np.save(path, np.stack(rows).astype(np.float32))");
        throw RepDiffInputException.ForFile(name, $"unsupported dtype '{Truncate(descr)}' (float16/32/64, int/uint 8-64, bool and, for labels, strings are read)");
    }

    /// <summary>Maps a safetensors dtype name (F32, BF16, I64, ...; always little-endian); null for one RepDiff does not read (F8_E4M3, ...).</summary>
    public static NpyDtype? FromSafetensors(string dtype) => dtype switch
    {
        "F16" => new('f', 2, false),
        "BF16" => new('h', 2, false),
        "F32" => new('f', 4, false),
        "F64" => new('f', 8, false),
        "I8" => new('i', 1, false),
        "I16" => new('i', 2, false),
        "I32" => new('i', 4, false),
        "I64" => new('i', 8, false),
        "U8" => new('u', 1, false),
        "U16" => new('u', 2, false),
        "U32" => new('u', 4, false),
        "U64" => new('u', 8, false),
        "BOOL" => new('b', 1, false),
        _ => null,
    };

    /// <summary>Why a tensor of a safetensors dtype that <see cref="FromSafetensors"/> does not map is refused.</summary>
    public static string UnreadSafetensorsDtype(string dtype) =>
        $"unsupported safetensors dtype '{Truncate(dtype)}' (F16, BF16, F32, F64, I8-I64, U8-U64 and BOOL are read)";

    /// <summary>The first 40 characters and "…" (a character outside the basic plane is not cut in half).</summary>
    public static string Truncate(string s) => s.Length <= 40 ? s : TextCut.Head(s, 40);

    /// <summary>Converts dest.Length elements from bytes (dest.Length * Size of them) to float32.</summary>
    public void Convert(ReadOnlySpan<byte> bytes, Span<float> dest)
    {
        bytes = bytes[..(dest.Length * Size)];
        if (!BigEndian)
        {
            switch (Kind, Size)
            {
                case ('f', 4): MemoryMarshal.Cast<byte, float>(bytes).CopyTo(dest); return;
                case ('f', 2): TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(bytes), dest); return;
                case ('f', 8): Widen<double>(bytes, dest); return;
                case ('h', 2):
                    var bits = MemoryMarshal.Cast<byte, ushort>(bytes);
                    for (int i = 0; i < dest.Length; i++) dest[i] = BitConverter.Int32BitsToSingle(bits[i] << 16);
                    return;
                case ('i', 1): Widen<sbyte>(bytes, dest); return;
                case ('u', 1) or ('b', 1): Widen<byte>(bytes, dest); return;
                case ('i', 2): Widen<short>(bytes, dest); return;
                case ('u', 2): Widen<ushort>(bytes, dest); return;
                case ('i', 4): Widen<int>(bytes, dest); return;
                case ('u', 4): Widen<uint>(bytes, dest); return;
                case ('i', 8): Widen<long>(bytes, dest); return;
                case ('u', 8): Widen<ulong>(bytes, dest); return;
            }
        }
        for (int i = 0; i < dest.Length; i++) dest[i] = (float)ReadBigEndian(bytes.Slice(i * Size, Size));
    }

    private static void Widen<T>(ReadOnlySpan<byte> bytes, Span<float> dest) where T : unmanaged, INumberBase<T>
    {
        var source = MemoryMarshal.Cast<byte, T>(bytes);
        for (int i = 0; i < dest.Length; i++) dest[i] = float.CreateTruncating(source[i]);
    }

    private double ReadBigEndian(ReadOnlySpan<byte> b) => (Kind, Size) switch
    {
        ('f', 2) => (double)BinaryPrimitives.ReadHalfBigEndian(b),
        ('f', 4) => BinaryPrimitives.ReadSingleBigEndian(b),
        ('f', 8) => BinaryPrimitives.ReadDoubleBigEndian(b),
        ('h', 2) => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16BigEndian(b) << 16),  // bfloat16: the high half of a float32
        ('i', 2) => BinaryPrimitives.ReadInt16BigEndian(b),
        ('u', 2) => BinaryPrimitives.ReadUInt16BigEndian(b),
        ('i', 4) => BinaryPrimitives.ReadInt32BigEndian(b),
        ('u', 4) => BinaryPrimitives.ReadUInt32BigEndian(b),
        ('i', 8) => BinaryPrimitives.ReadInt64BigEndian(b),
        ('u', 8) => BinaryPrimitives.ReadUInt64BigEndian(b),
        _ => throw new InvalidOperationException($"no big-endian conversion for {Name}"),
    };

    /// <summary>One element as a label string: integers exactly, floats shortest round-trip, strings without NUL padding.</summary>
    public string FormatElement(ReadOnlySpan<byte> b)
    {
        b = b[..Size];
        switch (Kind)
        {
            case 'U':
                var text = Encoding.UTF32.GetString(BigEndian ? ReverseUtf32(b) : b);
                return text.TrimEnd('\0');
            case 'S':
                return Encoding.UTF8.GetString(b).TrimEnd('\0');
            case 'i':
                long signed = Size switch
                {
                    1 => (sbyte)b[0],
                    2 => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b),
                    4 => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
                    _ => BigEndian ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b),
                };
                return signed.ToString(CultureInfo.InvariantCulture);
            case 'u' or 'b':
                ulong unsigned = Size switch
                {
                    1 => b[0],
                    2 => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
                    4 => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
                    _ => BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b),
                };
                return Kind == 'b' ? (unsigned != 0 ? "True" : "False") : unsigned.ToString(CultureInfo.InvariantCulture);
            default:
                double value = Size == 8
                    ? (BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b))
                    : BigEndian ? ReadBigEndian(b) : ConvertOne(b);
                // The shortest text that reads back as the stored type, as numpy prints it: float32 0.1 is "0.1", not the
                // "0.10000000149011612" of its double.
                return (Kind, Size) switch
                {
                    ('f', 2) => ((Half)value).ToString("R", CultureInfo.InvariantCulture),
                    (_, 8) => value.ToString("R", CultureInfo.InvariantCulture),
                    _ => ((float)value).ToString("R", CultureInfo.InvariantCulture),
                };
        }
    }

    private double ConvertOne(ReadOnlySpan<byte> b)
    {
        Span<float> one = stackalloc float[1];
        Convert(b, one);
        return one[0];
    }

    private static byte[] ReverseUtf32(ReadOnlySpan<byte> b)
    {
        var copy = b.ToArray();
        for (int i = 0; i + 3 < copy.Length; i += 4) Array.Reverse(copy, i, 4);
        return copy;
    }
}
