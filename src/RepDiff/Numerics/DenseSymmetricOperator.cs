using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>
/// A dense symmetric matrix as an operator (float32 or float64 storage, row-major, full square).
/// The product is memory-bound, so it reads only the upper triangle: each entry a_ij (j ≥ i) gives both
/// y_i += a_ij x_j and y_j += a_ij x_i in one pass, which halves the bytes read. Blocks of rows are dealt
/// to a fixed number of lanes with private outputs, summed in lane order, so the result does not depend
/// on the thread count. Float entries are widened to double in registers:
/// the product is accurate to double precision for the stored matrix. A block of vectors is multiplied by whole rows
/// through <see cref="BlockProduct"/>: twice the bytes of one triangle, but once per 8 vectors instead of once per vector.
/// </summary>
public sealed class DenseSymmetricOperator : IBlockSymmetricOperator
{
    private const int Block = 256;
    private const int Lanes = 16;

    private readonly float[]? f;
    private readonly double[]? d;
    private double[][]? partial;
    private double[]? packedX, packedY;

    public DenseSymmetricOperator(Matrix m)
    {
        if (m.Rows != m.Cols) throw new ArgumentException($"matrix is {m.Rows}x{m.Cols}, expected square");
        f = m.Data;
        Size = m.Rows;
    }

    public DenseSymmetricOperator(double[] a, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (a.Length != (long)n * n) throw new ArgumentException($"a holds {a.Length} values, expected {n}x{n}");
        d = a;
        Size = n;
    }

    public int Size { get; }

    /// <summary>y = A x. Not safe to call concurrently on one instance (the lane buffers are reused).</summary>
    public void Multiply(double[] x, double[] y)
    {
        int n = Size;
        if (x.Length != n || y.Length != n) throw new ArgumentException($"vectors must have length {n}");
        int blocks = (n + Block - 1) / Block;
        int lanes = Math.Min(Lanes, blocks);
        partial ??= Enumerable.Range(0, Lanes).Select(_ => new double[n]).ToArray();
        // The lanes are fixed whatever runs them, so one thread gives the bits of many: a small matrix (SPEC-align's 512 × 512
        // Λ, tens of microseconds of work) stays on the calling thread, where handing lanes out cost more than the product.
        Gemm.ParallelFor(lanes, Gemm.ThreadsFor((long)n * n), lane =>
        {
            var acc = partial[lane];
            Array.Clear(acc);
            // Deal block rows so each lane gets a mix of long (top) and short (bottom) rows.
            for (int bi = lane; bi < blocks; bi += lanes) BlockRow(bi, x, acc);
        });
        var first = partial[0];
        first.AsSpan().CopyTo(y);
        for (int lane = 1; lane < lanes; lane++) System.Numerics.Tensors.TensorPrimitives.Add(y, partial[lane], y);
    }

    /// <summary>
    /// Matrices past the last-level cache (32 MB here), where a product is bound by reading the matrix. Float64: at
    /// n = 2,000 (32 MB) single-vector Lanczos took 0.09 s against 0.16 s in blocks, at 3,000 0.49 s against 0.28 s,
    /// at 4,000 1.0 s against 0.42 s. Float32 (RDX's affinities, k + 1 = 6 pairs): at 4,000 (64 MB) 0.29–0.31 s against
    /// 0.21–0.31 s, at 10,000 1.6–1.7 s against 0.7–0.9 s, at 20,000 15–17 s against 6.5–9.6 s (uniform data, no gap).
    /// </summary>
    public bool BlocksPayOff => (long)Size * Size * (d is null ? sizeof(float) : sizeof(double)) > 48L << 20;

    /// <summary>y[c] = A x[c] for each vector of the block: whole rows against the packed block, so the matrix is read
    /// once per 8 vectors (twice the bytes of one triangle). Not safe to call concurrently on one instance either.</summary>
    public void Multiply(double[][] x, double[][] y)
    {
        int n = Size, width = BlockProduct.PackedWidth(x.Length);
        // The packed blocks are kept for the next product: at n = 20,000 each is 1.3 MB, garbage a full collection frees.
        if (packedX?.Length != (long)n * width) (packedX, packedY) = (new double[(long)n * width], new double[(long)n * width]);
        var (xs, ys) = (packedX, packedY!);
        BlockProduct.Pack(x, xs);
        Parallel.For(0, (n + BlockProduct.TileRows - 1) / BlockProduct.TileRows, g =>
        {
            int i0 = g * BlockProduct.TileRows, rows = Math.Min(BlockProduct.TileRows, n - i0);
            if (f is not null) BlockProduct.Rows(f, n, i0, rows, 0, n, xs, ys, width);
            else BlockProduct.Rows(d!, n, i0, rows, 0, n, xs, ys, width);
        });
        BlockProduct.Unpack(ys, width, y);
    }

    private unsafe void BlockRow(int bi, double[] x, double[] acc)
    {
        int n = Size, i0 = bi * Block, i1 = Math.Min(n, i0 + Block);
        fixed (double* xp = x, yp = acc)
        {
            for (int i = i0; i < i1; i++)
            {
                long row = (long)i * n;
                double xi = xp[i];
                double sum;
                if (f is not null)
                    fixed (float* a = f) sum = a[row + i] * xi + DotAxpy(a + row + i + 1, xp + i + 1, yp + i + 1, xi, n - i - 1);
                else
                    fixed (double* a = d) sum = a[row + i] * xi + DotAxpy(a + row + i + 1, xp + i + 1, yp + i + 1, xi, n - i - 1);
                yp[i] += sum;
            }
        }
    }

    /// <summary>Returns Σ a[j]·x[j] and does y[j] += a[j]·s, float entries widened to double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe double DotAxpy(float* a, double* x, double* y, double s, int count)
    {
        int j = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vs = Vector512.Create(s);
            Vector512<double> s0 = default, s1 = default;
            for (; j <= count - 16; j += 16)
            {
                var (a0, a1) = Vector512.Widen(Vector512.Load(a + j));
                s0 = Vector512.FusedMultiplyAdd(a0, Vector512.Load(x + j), s0);
                s1 = Vector512.FusedMultiplyAdd(a1, Vector512.Load(x + j + 8), s1);
                Vector512.FusedMultiplyAdd(a0, vs, Vector512.Load(y + j)).Store(y + j);
                Vector512.FusedMultiplyAdd(a1, vs, Vector512.Load(y + j + 8)).Store(y + j + 8);
            }
            sum = Vector512.Sum(s0 + s1);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(s);
            Vector256<double> s0 = default, s1 = default;
            for (; j <= count - 8; j += 8)
            {
                var (a0, a1) = Vector256.Widen(Vector256.Load(a + j));
                s0 += a0 * Vector256.Load(x + j);
                s1 += a1 * Vector256.Load(x + j + 4);
                (Vector256.Load(y + j) + a0 * vs).Store(y + j);
                (Vector256.Load(y + j + 4) + a1 * vs).Store(y + j + 4);
            }
            sum = Vector256.Sum(s0 + s1);
        }
        for (; j < count; j++)
        {
            sum += a[j] * x[j];
            y[j] += a[j] * s;
        }
        return sum;
    }

    /// <summary>The double-storage twin of the float kernel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe double DotAxpy(double* a, double* x, double* y, double s, int count)
    {
        int j = 0;
        double sum = 0;
        // Two accumulators so consecutive FMAs do not wait on each other.
        if (Vector512.IsHardwareAccelerated)
        {
            var vs = Vector512.Create(s);
            Vector512<double> s0 = default, s1 = default;
            for (; j <= count - 16; j += 16)
            {
                var a0 = Vector512.Load(a + j);
                var a1 = Vector512.Load(a + j + 8);
                s0 = Vector512.FusedMultiplyAdd(a0, Vector512.Load(x + j), s0);
                s1 = Vector512.FusedMultiplyAdd(a1, Vector512.Load(x + j + 8), s1);
                Vector512.FusedMultiplyAdd(a0, vs, Vector512.Load(y + j)).Store(y + j);
                Vector512.FusedMultiplyAdd(a1, vs, Vector512.Load(y + j + 8)).Store(y + j + 8);
            }
            sum = Vector512.Sum(s0 + s1);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(s);
            Vector256<double> s0 = default, s1 = default;
            for (; j <= count - 8; j += 8)
            {
                var a0 = Vector256.Load(a + j);
                var a1 = Vector256.Load(a + j + 4);
                s0 = Vector256.FusedMultiplyAdd(a0, Vector256.Load(x + j), s0);
                s1 = Vector256.FusedMultiplyAdd(a1, Vector256.Load(x + j + 4), s1);
                Vector256.FusedMultiplyAdd(a0, vs, Vector256.Load(y + j)).Store(y + j);
                Vector256.FusedMultiplyAdd(a1, vs, Vector256.Load(y + j + 4)).Store(y + j + 4);
            }
            sum = Vector256.Sum(s0 + s1);
        }
        for (; j < count; j++)
        {
            sum += a[j] * x[j];
            y[j] += a[j] * s;
        }
        return sum;
    }
}
