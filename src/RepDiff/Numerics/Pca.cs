using System.Numerics.Tensors;

namespace RepDiff.Numerics;

/// <summary>PCA through the d×d covariance (SYRK over centred row batches) and a symmetric eigensolver; never n×n.</summary>
public static class Pca
{
    private const int Batch = 1024;

    public static PcaResult Fit(Matrix x, int components)
    {
        int n = x.Rows, d = x.Cols;
        if (components < 1 || components > Math.Min(n, d))
            throw new RepDiffInputException($"cannot fit {components} principal components to {n} samples of {d} dimensions (at most {Math.Min(n, d)})");
        var mean = KMeans.ColumnMeans(x);
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
