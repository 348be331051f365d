using System.Numerics.Tensors;
using RepDiff.Spectral;

namespace RepDiff.Numerics;

/// <summary>
/// PCA through the d×d covariance (SYRK over centred row batches) and a symmetric eigensolver; never n×n, except
/// with more dimensions than samples, where the n×n Gram matrix is the smaller and gives the same components.
/// </summary>
public static class Pca
{
    private const int Batch = 1024;

    public static PcaResult Fit(Matrix x, int components) => Fit(x, components, throughSamples: null);

    /// <param name="throughSamples">Force the n×n (true) or d×d (false) route; null takes the smaller.</param>
    internal static PcaResult Fit(Matrix x, int components, bool? throughSamples)
    {
        int n = x.Rows, d = x.Cols;
        if (components < 1 || components > Math.Min(n, d))
            throw new RepDiffInputException($"cannot fit {components} principal components to {n} samples of {d} dimensions (at most {Math.Min(n, d)})");
        long bytes = SampleKernels.Bytes(Math.Min(n, d)), limit = IO.MemoryBudget.WorkLimit();
        if (bytes > limit)
            throw new RepDiffInputException($"PCA of {n} samples of {d} dimensions needs {bytes / 1e9:F1} GB (a d×d or n×n matrix, whichever is smaller; "
                + $"limit {limit / 1e9:F1} GB); reduce the dimensions or the samples first");
        var mean = KMeans.ColumnMeans(x);
        return throughSamples ?? n < d ? ThroughSamples(x, mean, components) : ThroughFeatures(x, mean, components);
    }

    private static PcaResult ThroughFeatures(Matrix x, float[] mean, int components)
    {
        int n = x.Rows, d = x.Cols;
        var covariance = new CovarianceAccumulator(d);
        var batch = new Matrix(Math.Min(Batch, n), d);
        for (int first = 0; first < n; first += Batch)
        {
            int rows = Math.Min(Batch, n - first);
            var part = rows == batch.Rows ? batch : new Matrix(rows, d);
            for (int i = 0; i < rows; i++) TensorPrimitives.Subtract(x.Row(first + i), mean, part.Row(i));
            covariance.Add(part);
        }
        var c = covariance.Sum;
        TensorPrimitives.Divide(c, Math.Max(1, n - 1), c);
        var eig = Lanczos.Solve(new DenseSymmetricOperator(c, d), components, EigenTarget.Largest);
        var result = new Matrix(components, d);
        for (int i = 0; i < components; i++)
            for (int j = 0; j < d; j++) result[i, j] = (float)eig.Vectors[i][j];
        return new PcaResult(mean, result, eig.Values.Select(v => Math.Max(0, v)).ToArray());
    }

    /// <summary>
    /// Xᶜ Xᶜᵀ/(n − 1) has the covariance's nonzero eigenvalues; each eigenvector u gives the component Xᶜᵀu, scaled
    /// to unit length and signed as the eigensolver signs its vectors. A zero-variance component stays zero (its
    /// scores are zero either way).
    /// </summary>
    private static PcaResult ThroughSamples(Matrix x, float[] mean, int components)
    {
        int n = x.Rows, d = x.Cols;
        var gram = new double[(long)n * n];
        SampleKernels.AddGram(Distances.Centre(x, mean), 1, gram);
        TensorPrimitives.Divide(gram, Math.Max(1, n - 1), gram);
        var eig = Lanczos.Solve(new DenseSymmetricOperator(gram, n), components, EigenTarget.Largest);
        var result = new Matrix(components, d);
        for (int c = 0; c < components; c++)
        {
            var u = eig.Vectors[c];
            var v = new double[d];
            Parallel.For(0, (d + Batch - 1) / Batch, block =>
            {
                int j0 = block * Batch, j1 = Math.Min(d, j0 + Batch);
                for (int i = 0; i < n; i++)
                {
                    var row = x.Row(i);
                    for (int j = j0; j < j1; j++) v[j] += (row[j] - mean[j]) * u[i];
                }
            });
            double norm = Math.Sqrt(TensorPrimitives.Dot<double>(v, v));
            if (!(norm > 0)) continue;
            TensorPrimitives.Divide(v, norm, v);
            SymmetricEigen.NormalizeSign(v);
            for (int j = 0; j < d; j++) result[c, j] = (float)v[j];
        }
        return new PcaResult(mean, result, eig.Values.Select(v => Math.Max(0, v)).ToArray());
    }

    /// <summary>n×k scores (x − mean)·Componentsᵀ, centred in row batches so a large mean costs no precision.</summary>
    public static Matrix Transform(PcaResult pca, Matrix x)
    {
        int d = pca.Mean.Length, k = pca.Components.Rows;
        if (x.Cols != d) throw new ArgumentException($"rows have {x.Cols} dimensions, the PCA was fitted on {d}");
        var scores = new Matrix(x.Rows, k);
        var batch = new Matrix(Math.Min(Batch, x.Rows), d);
        for (int first = 0; first < x.Rows; first += Batch)
        {
            int rows = Math.Min(Batch, x.Rows - first);
            for (int i = 0; i < rows; i++) TensorPrimitives.Subtract(x.Row(first + i), pca.Mean, batch.Row(i));
            Gemm.Compute(rows, k, d, 1f, batch.Data, 0, d, false, pca.Components.Data, 0, d, true, 0f, scores.Data, (long)first * k, k);
        }
        return scores;
    }
}
