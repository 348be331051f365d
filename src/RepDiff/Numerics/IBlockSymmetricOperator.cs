using System.Numerics.Tensors;

namespace RepDiff.Numerics;

/// <summary>A symmetric operator that can multiply a block of vectors at once, for less than the cost of one product each.</summary>
public interface IBlockSymmetricOperator : ISymmetricOperator
{
    /// <summary>y[c] = A x[c] for every vector c of the block.</summary>
    void Multiply(double[][] x, double[][] y);

    /// <summary>
    /// Whether block products save enough to pay for the extra products block Lanczos needs (about 1.5× those of
    /// single-vector Lanczos): true when a single product is bound by reading a matrix larger than the caches.
    /// </summary>
    bool BlocksPayOff { get; }
}
