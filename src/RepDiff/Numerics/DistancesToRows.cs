namespace RepDiff.Numerics;

/// <summary>
/// Squared distances from successive blocks of rows to every row of y, each block's exactly as
/// <see cref="Distances.SquaredEuclidean(Matrix, Matrix)"/> gives them, into buffers kept from block to block. A fresh
/// result and a fresh centred copy of y per block had been 1.3 GB of new memory for the nearest-neighbour lists of two
/// 10,000-row representations, and zeroing it on first touch a fifth of `spec`'s CPU time. A given result buffer (another
/// search's <see cref="Result"/>) is written into when its shape fits, so two searches of as many rows share one.
/// </summary>
internal sealed class DistancesToRows(Matrix y, Matrix? result = null)
{
    private Matrix? centredY, centredRows, block;
    private float[]? mean;
    private double[]? normsY;

    /// <summary>The buffer the last rows' distances were written into.</summary>
    public Matrix? Result => result;

    /// <summary>The block's distances (block.Rows × y.Rows); the matrix is overwritten by the next call.</summary>
    public Matrix From(Matrix block)
    {
        CentreOn(block);
        return Rows(0, block.Rows);
    }

    /// <summary>
    /// Takes the block whose column mean the rows are centred on: the floats carry its rounding, so <see cref="Rows"/> gives
    /// any of the block's rows the distances <see cref="From"/> gives them, a part of the block at a time.
    /// </summary>
    public void CentreOn(Matrix block)
    {
        if (block.Cols != y.Cols) throw new ArgumentException($"the block has {block.Cols} columns, y {y.Cols}");
        this.block = block;
        mean = KMeans.ColumnMeans(block);
        centredY ??= new Matrix(y.Rows, y.Cols);
        normsY = Distances.CentreInto(y, mean, centredY);
    }

    /// <summary>The distances of the block's rows first..first + count − 1 (count × y.Rows); overwritten by the next call.</summary>
    public Matrix Rows(int first, int count)
    {
        if (block is null) throw new InvalidOperationException("no block to centre on");
        DenseMemory.EnsureFits(count, y.Rows, "the pairwise distance matrix");
        if (result is null || result.Rows != count || result.Cols != y.Rows) result = new Matrix(count, y.Rows);
        if (centredRows?.Rows != count) centredRows = new Matrix(count, y.Cols);
        Distances.SquaredEuclideanInto(block, first, mean!, centredRows, centredY!, normsY!, result);
        return result;
    }
}
