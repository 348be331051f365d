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
