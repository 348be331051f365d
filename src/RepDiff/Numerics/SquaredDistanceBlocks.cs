using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>
/// Squared Euclidean distances from consecutive row blocks of x to every row of x, one GEMM per
/// block, into buffers reused from block to block: large n streams through O(block·n) memory without
/// leaving a trail of large-object garbage behind.
/// </summary>
internal sealed class SquaredDistanceBlocks(Matrix x)
{
    private readonly double[] norms = Distances.RowSquaredNorms(x);
    private Matrix? rows, product;
    private float farthestValue = -1;
    private int farthestI, farthestJ;
    private (float Value, int J)[] rowFarthest = [];

    /// <summary>
    /// The largest Euclidean distance among the pairs computed so far (after a full pass: over all
    /// pairs), recomputed exactly in double for the winning pair.
    /// </summary>
    public double FarthestDistance => farthestValue < 0 ? 0 : Math.Sqrt(Distances.ExactSquared(x.Row(farthestI), x.Row(farthestJ)));

    /// <summary>Rows per block for about `floats` floats of distances.</summary>
    public static int BlockRows(int n, int floats = 8 << 20) => Math.Clamp(floats / Math.Max(n, 1), 1, Math.Max(n, 1));

    /// <summary>
    /// Rows [first, first + count) against all rows, in the first count rows of the matrix returned (it may have more),
    /// clamped at 0 and with an exact 0 on the diagonal. The matrix returned is overwritten by the next call, which
    /// reuses it when its block is no larger (the last, shorter block of a pass needs no fresh memory).
    /// </summary>
    public Matrix Compute(int first, int count)
    {
        int n = x.Rows, d = x.Cols;
        if (rows is null || rows.Rows < count)
        {
            rows = new Matrix(count, d);
            product = new Matrix(count, n);
            rowFarthest = new (float, int)[count];
        }
        x.Data.AsSpan(first * d, count * d).CopyTo(rows.Data);
        var result = product!;
        var farthest = rowFarthest;
        // Each element is summed in the same order whatever the number of rows, so a block's rows do not depend on its size.
        Gemm.Compute(count, n, d, -2f, rows.Data, 0, d, false, x.Data, 0, d, true, 0f, result.Data, 0, n);
        Parallel.For(0, count, r =>
        {
            int i = first + r;
            var row = result.Row(r);
            AddNorms(row, norms[i], norms);
            row[i] = 0;
            int arg = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row);
            farthest[r] = (row[arg], arg);
        });
        for (int r = 0; r < count; r++)
            if (rowFarthest[r].Value > farthestValue) (farthestValue, farthestI, farthestJ) = (rowFarthest[r].Value, first + r, rowFarthest[r].J);
        return result;
    }

    /// <summary>row[j] = max(0, row[j] + ni + norms[j]), summed in double: sixteen at a time where the hardware has
    /// them (the same additions in the same order as one at a time, so the same floats).</summary>
    private static void AddNorms(Span<float> row, double ni, double[] norms)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var head = Vector512.Create(ni);
            ref float r = ref MemoryMarshal.GetReference(row);
            for (; j <= row.Length - 16; j += 16)
            {
                var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref r, (nuint)j));
                lower = Vector512.Max(Vector512<double>.Zero, lower + head + Vector512.LoadUnsafe(ref norms[j]));
                upper = Vector512.Max(Vector512<double>.Zero, upper + head + Vector512.LoadUnsafe(ref norms[j + 8]));
                Vector512.Narrow(lower, upper).StoreUnsafe(ref r, (nuint)j);
            }
        }
        for (; j < row.Length; j++) row[j] = (float)Math.Max(0, row[j] + ni + norms[j]);
    }
}
