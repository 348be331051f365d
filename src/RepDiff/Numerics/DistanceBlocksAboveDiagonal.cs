namespace RepDiff.Numerics;

/// <summary>
/// The squared distances of <see cref="Distances.SquaredEuclideanAboveDiagonal"/>, the same floats, a block of rows at a time
/// into one buffer that every block and pass reuses: what a median over all pairs reads (<see cref="Selection.MedianAboveDiagonal(int, Selection.UpperRowBlocks, Func{double, double})"/>),
/// in O(block) memory rather than n². At 5,000 rows the n² matrix was 100 MB a side, whose fresh pages cost the kernel more
/// time than the GEMM that filled them; recomputing the blocks for the median's second pass costs less.
/// </summary>
/// <remarks>
/// Every element of a GEMM is summed in the same order whatever the rows and columns around it (<see cref="Gemm"/>), and the
/// rows are centred on the means of all of them, as the whole matrix's are, so a block holds the whole matrix's floats.
/// </remarks>
internal sealed class DistanceBlocksAboveDiagonal
{
    /// <summary>Values of one block at most: 16 MB, one block up to 2,048 rows.</summary>
    public const int BlockFloats = 1 << 22;

    private readonly Matrix centred;
    private readonly double[] norms;
    private readonly int blockRows;
    private readonly float[] buffer;
    private bool holdsEveryRow;

    public DistanceBlocksAboveDiagonal(Matrix x, int blockFloats = BlockFloats)
    {
        int n = x.Rows;
        centred = Distances.Centre(x, KMeans.ColumnMeans(x));
        norms = Distances.RowSquaredNorms(centred);
        blockRows = Math.Clamp(blockFloats / Math.Max(n, 1), 1, Math.Max(n, 1));
        buffer = IO.PageAdvice.NewArray<float>((long)blockRows * n);
    }

    /// <summary>One pass: body is called with each block of rows in order; the block is overwritten by the next one.</summary>
    public void ForEach(Action<Selection.UpperBlock> body)
    {
        int n = centred.Rows, d = centred.Cols;
        for (int first = 0; first < n; first += blockRows)
        {
            // Rows [first, first + count) against columns [first, n): the diagonals of the block and of the matrix coincide,
            // so the GEMM's upper-only tiles are the matrix's.
            int count = Math.Min(blockRows, n - first), width = n - first;
            if (!holdsEveryRow)
            {
                Gemm.Compute(count, width, d, -2f, centred.Data, (long)first * d, d, false, centred.Data, (long)first * d, d, true,
                    0f, buffer, 0, width, upperOnly: true);
                int from = first;
                Gemm.ParallelFor(count, Environment.ProcessorCount, r =>
                    Distances.FinishRow(buffer.AsSpan(r * width, width), r + 1, norms[from + r], norms.AsSpan(from), centred, from + r, centred, from));
                holdsEveryRow = count == n;
            }
            body(new Selection.UpperBlock(n, first, count, buffer, width));
        }
    }
}
