namespace RepDiff;

/// <summary>Bringing rows of any row source into memory, for routes that need them all at once.</summary>
public static class RowSourceExtensions
{
    /// <summary>Every row as one matrix (the matrix itself when the source is one).</summary>
    public static Matrix ReadAll(this IRowSource source)
    {
        if (source is Matrix m) return m;
        var result = new Matrix(source.Rows, source.Cols);
        source.ReadRows(0, source.Rows, result.Data);
        return result;
    }

    /// <summary>
    /// The given rows, in the given order, as a new matrix. They are read in ascending order: a table decodes a row group
    /// or record batch at a time, and a sample's rows in random order had decoded its batches again and again (pca of two
    /// Arrow files of 4 batches read each 24 times over, of two streams 46 times).
    /// </summary>
    public static Matrix SelectRows(this IRowSource source, int[] rows)
    {
        if (source is Matrix m) return m.SelectRows(rows);
        var result = new Matrix(rows.Length, source.Cols);
        var positions = Enumerable.Range(0, rows.Length).ToArray();
        Array.Sort(rows.ToArray(), positions);
        foreach (int i in positions) source.ReadRows(rows[i], 1, result.Row(i));
        return result;
    }
}
