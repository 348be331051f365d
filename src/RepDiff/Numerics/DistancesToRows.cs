namespace RepDiff.Numerics;

/// <summary>
/// Squared distances from successive blocks of rows to every row of y, each block's exactly as
/// <see cref="Distances.SquaredEuclidean(Matrix, Matrix)"/> gives them, into buffers kept from block to block. A fresh
/// result and a fresh centred copy of y per block had been 1.3 GB of new memory for the nearest-neighbour lists of two
/// 10,000-row representations, and zeroing it on first touch a fifth of `spec`'s CPU time.
/// </summary>
internal sealed class DistancesToRows(Matrix y)
{
    private Matrix? centredY, centredBlock, result;

    /// <summary>The block's distances (block.Rows × y.Rows); the matrix is overwritten by the next call.</summary>
    public Matrix From(Matrix block)
    {
        if (block.Cols != y.Cols) throw new ArgumentException($"the block has {block.Cols} columns, y {y.Cols}");
        DenseMemory.EnsureFits(block.Rows, y.Rows, "the pairwise distance matrix");
        centredY ??= new Matrix(y.Rows, y.Cols);
        if (result is null || result.Rows != block.Rows)
        {
            result = new Matrix(block.Rows, y.Rows);
            centredBlock = new Matrix(block.Rows, block.Cols);
        }
        Distances.SquaredEuclideanInto(block, y, centredBlock!, centredY, result);
        return result;
    }
}
