namespace RepDiff.Numerics;

/// <summary>A symmetric linear operator given by its product: y = Op x.</summary>
public interface ISymmetricOperator
{
    int Size { get; }
    void Multiply(double[] x, double[] y);
}
