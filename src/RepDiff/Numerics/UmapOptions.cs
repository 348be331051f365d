namespace RepDiff.Numerics;

/// <summary>
/// UMAP's parameters with umap-learn's meanings and defaults. Neighbours counts the point itself, as n_neighbors
/// does (15: each point's 14 nearest others). Epochs 0 means umap-learn's default: 500 up to 10,000 points, else 200.
/// </summary>
public sealed record UmapOptions
{
    public int Neighbours { get; init; } = 15;
    public double MinDist { get; init; } = 0.1;
    public double Spread { get; init; } = 1.0;
    public int Epochs { get; init; }
    public int NegativeSampleRate { get; init; } = 5;
    public double LearningRate { get; init; } = 1.0;
    public double RepulsionStrength { get; init; } = 1.0;

    /// <summary>
    /// With a start layout only: at each positive sample both ends are also pulled this fraction (times the
    /// learning rate) of the way back to their start, as AlignedUMAP's regularisation ties linked points; 0 is off.
    /// Keeps one layout in register with another where its own graph does not say otherwise.
    /// </summary>
    public double AnchorStrength { get; init; }

    public int EpochsFor(int n) => Epochs > 0 ? Epochs : n <= 10_000 ? 500 : 200;

    /// <summary>Throws RepDiffInputException naming the first bad parameter.</summary>
    public void Validate()
    {
        if (Neighbours < 2 || Neighbours > 1000) throw new RepDiffInputException($"UMAP n_neighbors must be between 2 and 1000; got {Neighbours}");
        if (!(MinDist >= 0) || !(Spread > 0) || MinDist > Spread) throw new RepDiffInputException($"UMAP needs 0 ≤ min_dist ≤ spread; got min_dist = {MinDist}, spread = {Spread}");
        if (Epochs < 0 || Epochs > 100_000) throw new RepDiffInputException($"UMAP epochs must be between 1 and 100,000 (0: default); got {Epochs}");
        if (NegativeSampleRate < 0 || NegativeSampleRate > 100) throw new RepDiffInputException($"UMAP negative sample rate must be between 0 and 100; got {NegativeSampleRate}");
        if (!(AnchorStrength >= 0) || AnchorStrength > 1) throw new RepDiffInputException($"UMAP anchor strength must be between 0 and 1; got {AnchorStrength}");
        if (!(LearningRate > 0) || !(RepulsionStrength >= 0) || double.IsInfinity(LearningRate) || double.IsInfinity(RepulsionStrength))
            throw new RepDiffInputException($"UMAP learning rate must be positive and repulsion strength non-negative; got {LearningRate}, {RepulsionStrength}");
    }
}
