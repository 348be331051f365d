using RepDiff.Numerics;

namespace RepDiff.Spectral;

/// <summary>Gaussian kernel features: random Fourier features [cos(xΩ), sin(xΩ)] / √r.</summary>
internal sealed class FourierFeatures(RandomFourierFeatures rff) : IFeatureMap
{
    public RandomFourierFeatures Rff => rff;
    public int InputDim => rff.InputDim;
    public int Dim => 2 * rff.Frequencies;
    public void Map(Matrix x, Matrix dest, int column, int firstRow) => rff.Map(x, dest, column);
}
