using System.Buffers;
using System.Numerics;

namespace RepDiff.IO;

/// <summary>
/// The rows of an embedding file, read in batches as float32: memory-mapped for .npy and .safetensors
/// (so files larger than memory can be streamed), decoded one row group / record batch at a time for
/// .parquet and Arrow IPC files, held in memory for .npz and text formats.
/// Unless opened for inspection, reading a row that holds NaN or Inf throws a RepDiffInputException
/// naming that row.
/// </summary>
public sealed class RowFile : IRowSource, IDisposable
{
    private const int ChunkElements = 1 << 16;

    private readonly ArrayBytes? bytes;
    private readonly Matrix? values;
    private readonly TableColumn? table;
    private readonly NpyDtype dtype;
    private readonly bool fortranOrder;
    private readonly bool checkFinite;

    /// <summary>The file, with the array's key when it came from an archive: what error messages name.</summary>
    public string Name { get; }
    public string Dtype => dtype.Name;
    public long[] Shape { get; }
    public int Rows { get; }
    public int Cols { get; }

    /// <summary>
    /// Whether the file may hold finite values beyond float32's range, which reading as float32 turns into ±Inf: a float64
    /// array or column, or numbers written as text (CSV, TSV, JSON Lines).
    /// </summary>
    public bool MayExceedFloat32 => parsedFromText || dtype is { Kind: 'f', Size: 8 };

    /// <summary>Values parsed from text, any number of digits; not vectors gathered from an archive, which keep their dtype.</summary>
    private readonly bool parsedFromText;

    /// <summary>Whether rows may be read from several threads at once (memory-mapped or in-memory values, not a table decoder).</summary>
    internal bool ReadsConcurrently => table is null && (values is not null || bytes is MappedBytes);

    /// <summary>Sample ids the file itself carries (a CSV or table id column, a JSON Lines id field, an .npz or .pt array of ids), else null.</summary>
    public string[]? Ids { get; internal set; }

    /// <summary>Where the ids came from, as `inspect` shows it ("field 'id'", "array 'ids'"), when the file says more than its name.</summary>
    public string? IdsFrom { get; internal set; }

    /// <summary>
    /// The array or column a key picked, as the file names it (<see cref="ArrayArchive.ArrayNamed"/>: an .npz's "x.npy" is
    /// its "x"), null when no key was given: set as the rows are opened, so results.json's key names need no second opening.
    /// </summary>
    public string? ArrayName { get; internal set; }

    /// <summary>Where in the file the vectors are, as `inspect` shows it ("field 'embedding'"), when the format has fields to choose from.</summary>
    public string? VectorsFrom { get; internal set; }

    /// <param name="flatten">Read an N×H×W(×C) array as N rows (image pixels); otherwise only 1-D and 2-D arrays are accepted.</param>
    internal RowFile(string name, ArrayBytes bytes, NpyDtype dtype, long[] shape, bool fortranOrder, bool checkFinite, bool flatten = false)
    {
        if (!dtype.IsNumeric)
            throw RepDiffInputException.ForFile(name, $"dtype {dtype.Name} is not numeric; embeddings must be numbers");
        Name = name;
        this.bytes = bytes;
        this.dtype = dtype;
        this.fortranOrder = fortranOrder;
        this.checkFinite = checkFinite && dtype.IsFloating;
        Shape = shape;
        (Rows, Cols) = RowsAndCols(name, shape, fortranOrder, flatten);
        if (bytes.Length < (long)Rows * Cols * dtype.Size)
            throw new InvalidOperationException($"{name}: data region shorter than its validated shape");
    }

    /// <summary>Values parsed from text (the CSV and JSON Lines readers), or converted already (<paramref name="storedAs"/>: the file's dtype, as `inspect` says it).</summary>
    internal RowFile(string name, Matrix values, bool checkFinite, NpyDtype? storedAs = null)
    {
        Name = name;
        this.values = values;
        dtype = storedAs ?? NpyDtype.Float32;
        parsedFromText = storedAs is null;
        this.checkFinite = checkFinite;
        Shape = [values.Rows, values.Cols];
        Rows = values.Rows;
        Cols = values.Cols;
    }

    /// <summary>A float-list column of a table file; the table's own ids become <see cref="Ids"/>.</summary>
    internal RowFile(TableColumn table, bool checkFinite)
    {
        Name = table.Name;
        this.table = table;
        dtype = table.Dtype;
        this.checkFinite = checkFinite;
        Rows = table.Rows;
        Cols = table.Cols;
        Shape = table.Shape;
        Ids = table.Ids;
        table.RefuseBeyondFloat32 = checkFinite;
    }

    /// <summary>
    /// What a 3-D array most often is: a transformer's last hidden state, one vector per token, saved before pooling.
    /// Its shape alone had been the whole message, leaving the user to guess what RepDiff wanted instead.
    /// </summary>
    private const string TokenAdvice = ": one vector per token (samples × tokens × dimensions)? Pool them to one per sample first, "
        + "e.g. x.mean(axis=1), or x[:, 0] for the first ([CLS]) token";

    /// <summary>
    /// What else a 3-D or 4-D array often is: images as pixels (a 1200×28×28 .npy had been told only to pool its "tokens";
    /// a 4-D one was given no advice at all).
    /// </summary>
    private const string PixelAdvice = "give them with --images, or embed them with `repdiff embed resnet18 --images FILE --out embeddings.npy`";

    /// <summary>The advice for an array of <paramref name="shape"/> given as embeddings, on the error's line; null where none applies.</summary>
    public static string? ShapeAdvice(long[] shape) => shape.Length switch
    {
        3 => TokenAdvice + "; or pixel arrays (samples × height × width)? " + PixelAdvice,
        4 => ": pixel arrays (samples × height × width × channels)? " + PixelAdvice,
        _ => null,
    };

    /// <summary>Rows and columns of an embedding array: 1-D is one column, 2-D as is, anything else is an error.</summary>
    private static (int, int) RowsAndCols(string name, long[] shape, bool fortranOrder, bool flatten)
    {
        if (shape.Length == 0 || shape.Length > 2 && !flatten)
            throw RepDiffInputException.ForFile(name, $"expected a 2-D array (samples × dimensions), found shape {ShapeText(shape)}",
                advice: ShapeAdvice(shape));
        if (shape.Length > 2 && fortranOrder)
            throw RepDiffInputException.ForFile(name, "Fortran-order arrays of more than 2 dimensions are not read; save with numpy.ascontiguousarray");
        long rows = shape[0], cols = 1;
        foreach (long d in shape.AsSpan(1)) cols = d == 0 ? 0 : cols > int.MaxValue / d ? long.MaxValue : cols * d;
        if (rows > int.MaxValue || cols > int.MaxValue)
            throw RepDiffInputException.ForFile(name, $"shape {ShapeText(shape)} has more than {int.MaxValue} rows or columns");
        return ((int)rows, (int)cols);
    }

    public static string ShapeText(long[] shape) => shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";

    /// <summary>Copies rows [first, first + count) as float32 into destination (count × Cols, row-major).</summary>
    public void ReadRows(int first, int count, Span<float> destination)
    {
        if (first < 0 || count < 0 || (long)first + count > Rows)
            throw new ArgumentOutOfRangeException(nameof(first), $"rows [{first}, {first + (long)count}) outside 0..{Rows}");
        var dest = destination[..checked(count * Cols)];
        if (values is not null)
            values.Data.AsSpan(first * Cols, dest.Length).CopyTo(dest);
        else if (table is not null)
            table.ReadRows(first, count, dest);
        else if (!fortranOrder || Cols == 1)
            ReadContiguous((long)first * Cols * dtype.Size, dest);
        else
            ReadFortran(first, count, dest);
        if (checkFinite) CheckFinite(first, dest);
    }

    /// <summary>
    /// All rows as the matrix that stands for this file from now on (a pair's loaded A or B): a table held decoded hands its
    /// rows over rather than being copied, so they are held once. Other reads copy (<see cref="ReadAll"/>).
    /// </summary>
    public Matrix Load()
    {
        if (table?.TakeWhole() is not { } whole) return ReadAll();
        if (checkFinite) CheckFinite(0, whole);
        return new Matrix(Rows, Cols, whole);
    }

    /// <summary>All rows as one matrix (refuses arrays beyond .NET's array limit).</summary>
    public Matrix ReadAll()
    {
        var m = NewMatrix(Rows, Cols);
        ReadRows(0, Rows, m.Data);
        return m;
    }

    /// <summary>
    /// All rows as one matrix, transposed (Cols × Rows): read a block of rows at a time, each block's values put in their
    /// columns, so that the matrix is held once beside a block (transposing <see cref="ReadAll"/>'s matrix held it twice).
    /// </summary>
    public Matrix ReadAllTransposed()
    {
        var transposed = NewMatrix(Cols, Rows);
        int blockRows = Math.Clamp(TransposeBlockValues / Math.Max(1, Cols), 1, Math.Max(1, Rows));
        var block = ArrayPool<float>.Shared.Rent(blockRows * Cols);
        try
        {
            for (int first = 0; first < Rows; first += blockRows)
            {
                int count = Math.Min(blockRows, Rows - first);
                ReadRows(first, count, block);
                // Column by column, so each column's stretch of the transposed matrix is written in order.
                for (int col = 0; col < Cols; col++)
                {
                    var into = transposed.Data.AsSpan((int)((long)col * Rows + first), count);
                    for (int row = 0; row < count; row++) into[row] = block[row * Cols + col];
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(block);
        }
        return transposed;
    }

    /// <summary>Values per block <see cref="ReadAllTransposed"/> reads (4 MB of float32): rows enough that each column's stretch is long.</summary>
    private const int TransposeBlockValues = 1 << 20;

    /// <summary>A matrix for all the values (refused beyond .NET's array limit, with the way on).</summary>
    private Matrix NewMatrix(int rows, int cols)
    {
        if ((long)rows * cols > Array.MaxLength)
            throw RepDiffInputException.ForFile(Name, $"{Rows}×{Cols} values do not fit in one in-memory matrix; use a method's streaming option");
        return new Matrix(rows, cols);
    }

    private void ReadContiguous(long byteOffset, Span<float> dest)
    {
        for (int done = 0; done < dest.Length; done += ChunkElements)
        {
            int n = Math.Min(ChunkElements, dest.Length - done);
            dtype.Convert(bytes!.Slice(byteOffset + (long)done * dtype.Size, n * dtype.Size), dest.Slice(done, n));
        }
    }

    /// <summary>Fortran order stores each column contiguously: read the column segment, scatter it into the rows.</summary>
    private void ReadFortran(int first, int count, Span<float> dest)
    {
        var buffer = ArrayPool<float>.Shared.Rent(Math.Min(count, ChunkElements));
        try
        {
            for (int j = 0; j < Cols; j++)
                for (int done = 0; done < count; done += ChunkElements)
                {
                    int n = Math.Min(ChunkElements, count - done);
                    long element = (long)j * Rows + first + done;
                    dtype.Convert(bytes!.Slice(element * dtype.Size, n * dtype.Size), buffer.AsSpan(0, n));
                    for (int r = 0; r < n; r++) dest[(done + r) * Cols + j] = buffer[r];
                }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private void CheckFinite(int first, ReadOnlySpan<float> dest)
    {
        int bad = FirstNonFinite(dest);
        if (bad < 0) return;
        int row = first + bad / Cols, col = bad % Cols;
        if (StoredDouble(row, col) is { } stored && double.IsFinite(stored))
            throw BeyondFloat32(Name, $"row {row} column {col}", stored.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        throw NotFinite(Name, $"row {row} column {col}", float.IsNaN(dest[bad]) ? "NaN" : dest[bad] > 0 ? "Inf" : "-Inf");
    }

    /// <summary>
    /// A value the file holds as a finite number but float32 cannot: the same words for every format, each naming the place
    /// as it is found ("line 2 column 3" in text, "row 1 column 2" in an array). `inspect` counts such values instead.
    /// </summary>
    internal static RepDiffInputException BeyondFloat32(string file, string where, string value) =>
        RepDiffInputException.ForFile(file, $"{where} is {value}, beyond the float32 range (±3.4e38) RepDiff computes in; scale the data down");

    /// <summary>A NaN or infinity the file holds, in the same words for every format; `inspect` counts them instead.</summary>
    internal static RepDiffInputException NotFinite(string file, string where, string value) =>
        RepDiffInputException.ForFile(file, $"{where} is {value}; values must be finite");

    /// <summary>
    /// A float64 element as stored, when the rows come from bytes: a finite 1e39 becomes float32 infinity, which the file
    /// does not hold, so the error names the stored value.
    /// </summary>
    private double? StoredDouble(int row, int col)
    {
        if (bytes is null || dtype is not { Kind: 'f', Size: 8 }) return null;
        long element = fortranOrder ? (long)col * Rows + row : (long)row * Cols + col;
        var b = bytes.Slice(element * 8, 8);
        return dtype.BigEndian ? System.Buffers.Binary.BinaryPrimitives.ReadDoubleBigEndian(b) : System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(b);
    }

    /// <summary>Index of the first NaN/Inf, or -1. x - x is 0 exactly when x is finite.</summary>
    internal static int FirstNonFinite(ReadOnlySpan<float> data)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var v = System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector<float>>(data);
            for (; i < v.Length; i++)
                if (!Vector.EqualsAll(v[i] - v[i], Vector<float>.Zero)) break;
            i *= Vector<float>.Count;
        }
        for (; i < data.Length; i++)
            if (!float.IsFinite(data[i])) return i;
        return -1;
    }

    public void Dispose()
    {
        bytes?.Dispose();
        table?.Dispose();
    }
}
