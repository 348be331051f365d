namespace RepDiff.Numerics;

/// <summary>
/// Xᶜ Xᶜᵀ (n×n, float64) of column-centred rows: the sample-space twin of the d×d covariance, for data with fewer
/// samples than dimensions (a d×d matrix of 50,000-dimensional rows would not even fit an array). Chunks of columns
/// are transposed into float rows and summed by <see cref="CovarianceAccumulator"/>, so each chunk's float products
/// are added in double and precision does not degrade with d.
/// </summary>
public static class CenteredGram
{
    private const int Chunk = 1024;

    /// <summary>Bytes held at once: the double sum and its float work matrix.</summary>
    public static long Bytes(long n) => 12 * n * n;

    /// <summary>The Gram matrix of x − mean, both triangles, row-major.</summary>
    public static double[] Of(Matrix x, float[] mean)
    {
        int n = x.Rows, d = x.Cols;
        var gram = new CovarianceAccumulator(n);
        var block = new Matrix(Math.Min(Chunk, d), n);
        for (int j0 = 0; j0 < d; j0 += Chunk)
        {
            int cols = Math.Min(Chunk, d - j0);
            if (cols != block.Rows) block = new Matrix(cols, n);   // the last, narrower chunk
            var target = block;
            Parallel.For(0, n, i =>
            {
                var row = x.Row(i);
                for (int j = 0; j < cols; j++) target.Data[(long)j * n + i] = row[j0 + j] - mean[j0 + j];
            });
            gram.Add(block);
        }
        return gram.Sum;
    }
}
