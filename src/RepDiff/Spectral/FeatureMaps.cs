using RepDiff.Numerics;

namespace RepDiff.Spectral;

/// <summary>An explicit feature map φ with k(x, y) = φ(x)·φ(y), applied to row batches.</summary>
internal interface IFeatureMap
{
    int InputDim { get; }
    int Dim { get; }

    /// <summary>
    /// Writes φ of each row of x into columns [column, column + Dim) of dest's rows (dest has x.Rows rows);
    /// firstRow numbers the rows in error messages.
    /// </summary>
    void Map(Matrix x, Matrix dest, int column, int firstRow);
}

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
            throw new RepDiffInputException($"{sourceName} row {firstRow + zeroRow} has zero norm; the cosine kernel needs every row to be nonzero (use the Gaussian kernel or drop the row)");
    }

    private static void InterlockedMin(ref int target, int value)
    {
        for (int seen = Volatile.Read(ref target); value < seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }
}

/// <summary>Gaussian kernel features: random Fourier features [cos(xΩ), sin(xΩ)] / √r.</summary>
internal sealed class FourierFeatures(RandomFourierFeatures rff) : IFeatureMap
{
    public RandomFourierFeatures Rff => rff;
    public int InputDim => rff.InputDim;
    public int Dim => 2 * rff.Frequencies;
    public void Map(Matrix x, Matrix dest, int column, int firstRow) => rff.Map(x, dest, column);
}

/// <summary>
/// Reads row batches from sources that describe the same rows and maps them side by side:
/// batch row i is [φ_1(x_i) | φ_2(y_i) | ...]. Memory is O(batch × total feature dimension).
/// </summary>
internal sealed class FeatureBatches
{
    private readonly IRowSource[] sources;
    private readonly IFeatureMap[] maps;
    private readonly int batchRows;

    public FeatureBatches(IRowSource[] sources, IFeatureMap[] maps, int batchRows)
    {
        this.sources = sources;
        this.maps = maps;
        this.batchRows = Math.Max(1, batchRows);
        Dim = maps.Sum(m => m.Dim);
        Rows = sources[0].Rows;
    }

    public int Rows { get; }
    public int Dim { get; }

    /// <summary>The feature dimension of one map (its block of columns in a batch).</summary>
    public int MapDim(int map) => maps[map].Dim;

    /// <summary>Calls body(features, firstRow) for each batch in order; features is reused between calls.</summary>
    public void ForEach(Action<Matrix, int> body, IProgress<ProgressUpdate>? progress, string stage)
    {
        Matrix? fullFeatures = null;
        var rawFull = new Matrix?[maps.Length];
        for (int first = 0; first < Rows; first += batchRows)
        {
            int count = Math.Min(batchRows, Rows - first);
            var features = count == batchRows ? (fullFeatures ??= new Matrix(count, Dim)) : new Matrix(count, Dim);
            // Each map writes its own columns of the batch directly: [φ_1(x_i) | φ_2(y_i) | ...].
            for (int s = 0, column = 0; s < maps.Length; column += maps[s].Dim, s++)
            {
                var raw = count == batchRows ? (rawFull[s] ??= new Matrix(count, sources[s].Cols)) : new Matrix(count, sources[s].Cols);
                sources[s].ReadRows(first, count, raw.Data);
                maps[s].Map(raw, features, column, first);
            }
            body(features, first);
            progress.Report(stage, (double)(first + count) / Rows);
        }
    }

    /// <summary>All rows' features in one matrix (for the n ≤ D routes, where n × D is small).</summary>
    public Matrix[] MapAll()
    {
        var result = new Matrix[maps.Length];
        for (int s = 0; s < maps.Length; s++)
        {
            var raw = sources[s].ReadAll();
            result[s] = new Matrix(Rows, maps[s].Dim);
            maps[s].Map(raw, result[s], 0, 0);
        }
        return result;
    }
}
