using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>
/// Φᵀ v for a float matrix Φ (n × D, one row per sample) and several sample-space vectors v at once, in double: the
/// feature-space weights of the spectral modes on the routes with fewer samples than features. Each output entry is
/// Σ_i Φ[i, j] · v[i] summed in row order with a separate multiply and add, as the scalar loop it replaced (so the
/// results are bit for bit the same); the columns are cut into blocks worked on in parallel, so Φ is read once for all
/// the vectors (the scalar loop read it once per mode and map: 3.5 s of SPEC at n = 10,000 with --rff-dim 3000).
/// </summary>
internal static class TransposedProduct
{
    /// <summary>Columns per block: the block's part of every output vector (20 modes × 512 doubles) stays in L2 cache.</summary>
    private const int BlockColumns = 512;

    public static double[][] Compute(Matrix phi, IReadOnlyList<double[]> vectors)
    {
        int n = phi.Rows, d = phi.Cols, count = vectors.Count;
        foreach (var v in vectors)
            if (v.Length != n) throw new ArgumentException($"a vector has {v.Length} entries for {n} rows");
        var result = new double[count][];
        for (int k = 0; k < count; k++) result[k] = new double[d];
        Parallel.For(0, (d + BlockColumns - 1) / BlockColumns, block =>
        {
            int first = block * BlockColumns, width = Math.Min(BlockColumns, d - first);
            Span<double> widened = stackalloc double[BlockColumns];
            widened = widened[..width];
            for (int i = 0; i < n; i++)
            {
                var row = phi.Row(i).Slice(first, width);
                for (int j = 0; j < width; j++) widened[j] = row[j];
                for (int k = 0; k < count; k++)
                    AddScaled(result[k].AsSpan(first, width), widened, vectors[k][i]);
            }
        });
        return result;
    }

    /// <summary>sum += x · scale, a multiply then an add per entry (never fused: the same roundings as scalar code).</summary>
    private static void AddScaled(Span<double> sum, ReadOnlySpan<double> x, double scale)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var s = Vector512.Create(scale);
            for (; j <= x.Length - Vector512<double>.Count; j += Vector512<double>.Count)
                Vector512.Add(Vector512.Create(sum.Slice(j)), Vector512.Multiply(Vector512.Create(x.Slice(j)), s)).CopyTo(sum.Slice(j));
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; j <= x.Length - Vector256<double>.Count; j += Vector256<double>.Count)
                Vector256.Add(Vector256.Create(sum.Slice(j)), Vector256.Multiply(Vector256.Create(x.Slice(j)), s)).CopyTo(sum.Slice(j));
        }
        for (; j < x.Length; j++) sum[j] += x[j] * scale;
    }
}
