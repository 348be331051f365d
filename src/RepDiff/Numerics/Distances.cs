using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>
/// Pairwise squared Euclidean distances through GEMM: ‖x‖² + ‖y‖² − 2x·y, clamped at 0. The rows are first
/// centred on x's mean (distances do not change, the cancellation in the expansion shrinks), and pairs whose
/// distance is under 1% of ‖x‖² + ‖y‖² — where float cancellation would still show — are recomputed directly
/// in double, so duplicate rows are exactly 0 apart.
/// </summary>
public static class Distances
{
    private const double RefineBelow = 1e-2;

    /// <summary>n×n squared distances between the rows of x: symmetric, clamped at 0, exact 0 diagonal.</summary>
    public static Matrix SquaredEuclidean(Matrix x)
    {
        var d = SquaredEuclideanAboveDiagonal(x);
        MirrorUpper(d);
        return d;
    }

    /// <summary>
    /// The same distances above the diagonal only (what a median over pairs i &lt; j reads): half the products
    /// and no mirroring. The diagonal is 0; entries below it are unspecified.
    /// </summary>
    public static Matrix SquaredEuclideanAboveDiagonal(Matrix x)
    {
        int n = x.Rows;
        DenseMemory.EnsureFits(n, n, "the pairwise distance matrix");
        var centred = Centre(x, KMeans.ColumnMeans(x));
        var d = new Matrix(n, n);
        Gemm.Compute(n, n, x.Cols, -2f, centred.Data, 0, x.Cols, false, centred.Data, 0, x.Cols, true, 0f, d.Data, 0, n, upperOnly: true);
        var norms = RowSquaredNorms(centred);
        Gemm.ParallelFor(n, Environment.ProcessorCount, i =>
        {
            FinishRow(d.Row(i), i + 1, norms[i], norms, centred, i, centred);
            d.Row(i)[i] = 0;
        });
        return d;
    }

    /// <summary>n_x×n_y squared distances between the rows of x and of y, clamped at 0.</summary>
    public static Matrix SquaredEuclidean(Matrix x, Matrix y)
    {
        if (x.Cols != y.Cols) throw new ArgumentException($"x has {x.Cols} columns, y {y.Cols}");
        DenseMemory.EnsureFits(x.Rows, y.Rows, "the pairwise distance matrix");
        var d = new Matrix(x.Rows, y.Rows);
        SquaredEuclideanInto(x, y, new Matrix(x.Rows, x.Cols), new Matrix(y.Rows, y.Cols), d);
        return d;
    }

    /// <summary>
    /// <see cref="SquaredEuclidean(Matrix, Matrix)"/> into given buffers (x's and y's centred rows, the n_x×n_y result), every
    /// value of which it overwrites: <see cref="DistancesToRows"/> keeps them from block to block.
    /// </summary>
    internal static void SquaredEuclideanInto(Matrix x, Matrix y, Matrix centredX, Matrix centredY, Matrix d)
    {
        if (d.Rows != x.Rows || d.Cols != y.Rows) throw new ArgumentException($"d is {d.Rows}x{d.Cols}, expected {x.Rows}x{y.Rows}");
        SquaredEuclideanInto(x, y, centredX, centredY, d.Data, 0, d.Cols);
    }

    /// <summary>
    /// The same distances written into columns of a wider matrix: row i of them at <paramref name="offset"/> + i ×
    /// <paramref name="stride"/> (the same values whatever the stride). <paramref name="centredY"/> may be y itself, centred in
    /// place, since only the centred rows are read after centring.
    /// </summary>
    internal static void SquaredEuclideanInto(Matrix x, Matrix y, Matrix centredX, Matrix centredY, float[] d, long offset, int stride)
    {
        var mean = KMeans.ColumnMeans(x);
        Centre(x, mean, centredX);
        Centre(y, mean, centredY);
        Gemm.Compute(x.Rows, y.Rows, x.Cols, -2f, centredX.Data, 0, x.Cols, false, centredY.Data, 0, y.Cols, true, 0f, d, offset, stride);
        var nx = RowSquaredNorms(centredX);
        var ny = RowSquaredNorms(centredY);
        Gemm.ParallelFor(x.Rows, Environment.ProcessorCount,
            i => FinishRow(d.AsSpan(checked((int)(offset + (long)i * stride)), y.Rows), 0, nx[i], ny, centredX, i, centredY));
    }

    /// <summary>‖x_i‖² per row, accumulated in double.</summary>
    public static double[] RowSquaredNorms(Matrix x)
    {
        var norms = new double[x.Rows];
        Gemm.ParallelFor(x.Rows, Gemm.ThreadsFor((long)x.Rows * x.Cols), i => norms[i] = SquaredNorm(x.Row(i)));
        return norms;
    }

    /// <summary>Copies the upper triangle onto the lower in 64×64 tiles (cache-friendly), so the result is exactly symmetric.</summary>
    private static void MirrorUpper(Matrix d)
    {
        int n = d.Rows;
        const int tile = 64;
        int tiles = (n + tile - 1) / tile;
        var data = d.Data;
        Gemm.ParallelFor(tiles, Environment.ProcessorCount, bi =>
        {
            int i0 = bi * tile, i1 = Math.Min(n, i0 + tile);
            for (int j0 = 0; j0 <= i0; j0 += tile)
            {
                int j1 = Math.Min(n, j0 + tile);
                for (int i = i0; i < i1; i++)
                    for (int j = j0; j < Math.Min(j1, i); j++) data[(long)i * n + j] = data[(long)j * n + i];
            }
        });
    }

    /// <summary>
    /// <see cref="Finish"/> of row[j] for j from <paramref name="from"/> on, eight at a time: the same double additions and
    /// comparison in vector lanes give the same floats, and a group of eight with a pair to recompute goes one by one. One at
    /// a time, this pass cost as much as the GEMM before it (a tenth of `spec` at 10,000 rows, in its median bandwidth,
    /// MNED's normalizer and the shared nearest-neighbour lists). row[j] is the pair (x_i, y_(yFirst + j)), whose norm is normsY[j].
    /// </summary>
    internal static void FinishRow(Span<float> row, int from, double ni, ReadOnlySpan<double> normsY, Matrix x, int i, Matrix y, int yFirst = 0)
    {
        int j = from;
        if (Vector256.IsHardwareAccelerated)
        {
            var head = Vector256.Create(ni);
            var refine = Vector256.Create(RefineBelow);
            for (; j <= row.Length - 8; j += 8)
            {
                var (lowDot, highDot) = Vector256.Widen(Vector256.Create(row.Slice(j, 8)));
                var lowSum = head + Vector256.Create(normsY.Slice(j, 4));
                var highSum = head + Vector256.Create(normsY.Slice(j + 4, 4));
                var low = lowSum + lowDot;
                var high = highSum + highDot;
                if ((Vector256.LessThan(low, refine * lowSum) | Vector256.LessThan(high, refine * highSum)) != Vector256<double>.Zero)
                {
                    for (int k = j; k < j + 8; k++) row[k] = Finish(ni, normsY[k], row[k], x, i, y, yFirst + k);
                    continue;
                }
                Vector256.Narrow(Vector256.Max(Vector256<double>.Zero, low), Vector256.Max(Vector256<double>.Zero, high)).CopyTo(row.Slice(j, 8));
            }
        }
        for (; j < row.Length; j++) row[j] = Finish(ni, normsY[j], row[j], x, i, y, yFirst + j);
    }

    private static float Finish(double ni, double nj, float minusTwoDot, Matrix x, int i, Matrix y, int j)
    {
        double v = ni + nj + minusTwoDot;
        if (v < RefineBelow * (ni + nj)) v = ExactSquared(x.Row(i), y.Row(j));
        return (float)Math.Max(0, v);
    }

    /// <summary>x minus mean, row by row (a copy).</summary>
    internal static Matrix Centre(Matrix x, float[] mean)
    {
        var c = new Matrix(x.Rows, x.Cols);
        Centre(x, mean, c);
        return c;
    }

    private static void Centre(Matrix x, float[] mean, Matrix into)
        => Gemm.ParallelFor(x.Rows, Environment.ProcessorCount, i => TensorPrimitives.Subtract(x.Row(i), mean, into.Row(i)));

    /// <summary>Σ (a_j − b_j)² in double.</summary>
    internal static double ExactSquared(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        int i = 0;
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
        {
            var acc = System.Runtime.Intrinsics.Vector256<double>.Zero;
            for (; i <= a.Length - 8; i += 8)
            {
                var (alo, ahi) = System.Runtime.Intrinsics.Vector256.Widen(System.Runtime.Intrinsics.Vector256.Create(a.Slice(i, 8)));
                var (blo, bhi) = System.Runtime.Intrinsics.Vector256.Widen(System.Runtime.Intrinsics.Vector256.Create(b.Slice(i, 8)));
                var dlo = alo - blo;
                var dhi = ahi - bhi;
                acc += dlo * dlo + dhi * dhi;
            }
            s = System.Runtime.Intrinsics.Vector256.Sum(acc);
        }
        for (; i < a.Length; i++) s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
        return s;
    }

    internal static double SquaredNorm(ReadOnlySpan<float> v)
    {
        // Widen to double in registers: exact products, double sums, still SIMD.
        double s = 0;
        int i = 0;
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
        {
            var acc = System.Runtime.Intrinsics.Vector256<double>.Zero;
            for (; i <= v.Length - 8; i += 8)
            {
                var (lo, hi) = System.Runtime.Intrinsics.Vector256.Widen(System.Runtime.Intrinsics.Vector256.Create(v.Slice(i, 8)));
                acc += lo * lo + hi * hi;
            }
            s = System.Runtime.Intrinsics.Vector256.Sum(acc);
        }
        for (; i < v.Length; i++) s += (double)v[i] * v[i];
        return s;
    }
}
