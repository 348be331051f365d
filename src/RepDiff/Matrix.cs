namespace RepDiff;

/// <summary>A dense float32 matrix in row-major order: the storage type of every representation.</summary>
public sealed class Matrix : IRowSource
{
    public int Rows { get; }
    public int Cols { get; }

    /// <summary>Row-major values; element (i, j) is at i * Cols + j.</summary>
    public float[] Data { get; }

    public Matrix(int rows, int cols)
        : this(rows, cols, IO.PageAdvice.NewArray<float>(checked((long)rows * cols))) { }

    public Matrix(int rows, int cols, float[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if (data.LongLength != (long)rows * cols)
            throw new ArgumentException($"data holds {data.LongLength} values, expected {rows}x{cols}");
        Rows = rows;
        Cols = cols;
        Data = data;
    }

    public float this[int row, int col]
    {
        get => Data[(long)row * Cols + col];
        set => Data[(long)row * Cols + col] = value;
    }

    public Span<float> Row(int row) => Data.AsSpan(checked(row * Cols), Cols);

    public void ReadRows(int first, int count, Span<float> destination)
        => Data.AsSpan(first * Cols, count * Cols).CopyTo(destination);

    /// <summary>A new matrix holding the given rows, in the given order.</summary>
    public Matrix SelectRows(ReadOnlySpan<int> rows)
    {
        var result = new Matrix(rows.Length, Cols);
        for (int i = 0; i < rows.Length; i++) Row(rows[i]).CopyTo(result.Row(i));
        return result;
    }

    public static Matrix FromRows(double[][] rows)
    {
        int cols = rows.Length == 0 ? 0 : rows[0].Length;
        var m = new Matrix(rows.Length, cols);
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < cols; j++) m[i, j] = (float)rows[i][j];
        return m;
    }
}
