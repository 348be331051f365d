using RepDiff.Numerics;

namespace RepDiff.Spectral;

/// <summary>Cosine kernel features: the rows scaled to unit length. A zero row has no direction and is an input error.</summary>
internal sealed class CosineFeatures(int inputDim, string sourceName) : IFeatureMap
{
    public int InputDim => inputDim;
    public int Dim => inputDim;

    public void Map(Matrix x, Matrix dest, int column, int firstRow)
    {
        int zeroRow = int.MaxValue;  // the first row without a direction, reported after the parallel loop
        Parallel.For(0, x.Rows, i =>
        {
            var row = x.Row(i);
            double norm = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot<float>(row, row));
            if (norm == 0 || !double.IsFinite(norm))
            {
                InterlockedMin(ref zeroRow, i);
                return;
            }
            System.Numerics.Tensors.TensorPrimitives.Multiply(row, (float)(1 / norm), dest.Row(i).Slice(column, inputDim));
        });
        if (zeroRow != int.MaxValue)
            throw new RepDiffInputException($"row {firstRow + zeroRow} of {sourceName} has zero norm; the cosine kernel needs every row to be nonzero (use the Gaussian kernel or drop the row)");
    }

    private static void InterlockedMin(ref int target, int value)
    {
        for (int seen = Volatile.Read(ref target); value < seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }
}
