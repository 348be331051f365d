namespace RepDiff.Spectral;

/// <summary>One term w·K of a sample-space operator: a kernel of some rows (Gaussian with σ, or cosine) and its weight.</summary>
internal sealed record WeightedKernel(IRowSource Rows, KernelKind Kind, double? Sigma, double Weight, string Name)
{
    /// <summary>Adds Weight·K into the n×n float64 operator.</summary>
    public void AddTo(double[] operatorValues)
    {
        if (Kind == KernelKind.Gaussian)
        {
            SampleKernels.AddGaussian(Rows.ReadAll(), Sigma!.Value, Weight, operatorValues);
            return;
        }
        var unit = new FeatureBatches([Rows], [new CosineFeatures(Rows.Cols, Name)], Rows.Rows).MapAll()[0];
        SampleKernels.AddGram(unit, Weight, operatorValues);
    }
}
