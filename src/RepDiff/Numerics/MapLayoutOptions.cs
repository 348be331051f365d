namespace RepDiff.Numerics;

/// <summary>
/// What <see cref="MapLayouts.Compute"/> draws. PCA maps always; UMAP maps unless Umap is null. With
/// UmapBFromA (the default) B's UMAP descent starts from A's finished layout, so the same region holds the same
/// samples from the start; without it B starts from its own spectral layout and only the Procrustes fit aligns it.
/// B's descent is then also anchored to A's layout with UmapAnchor (see <see cref="UmapOptions.AnchorStrength"/>):
/// without it a full re-run of the descent can still move whole groups (measured: from A's start alone, B's
/// samples ended 0.24–0.72 of the map's spread from their place in A's map on a pair with identical geometry).
/// Started from A's layout, B's descent runs UmapBEpochShare of the epochs a fresh layout would (a third, as umap-learn's
/// transform refines points placed on a finished layout with a third of the epochs): it starts where A's converged.
/// PCA is fitted on a seeded subset of at most PcaFitRows rows (the projection is then applied to every row).
/// Above UmapDescentRows points, UMAP's descent runs on a seeded subset of that many and every other point is placed
/// from its nearest subset points (<see cref="UmapPlacement"/>), so the maps of 100,000 samples cost O(n), not a full
/// descent over every point (measured in docs/benchmarks.md).
/// UMAP runs <see cref="UmapEpochs"/> epochs at every size (umap-learn's choice for large sets; it takes 500 below
/// 10,000 points): on Fashion-MNIST the trustworthiness of the maps moved by at most 0.002 (docs/methods/maps.md), and
/// with 500 the maps had cost two to three times the method itself at the papers' sizes.
/// </summary>
public sealed record MapLayoutOptions
{
    public const int UmapEpochs = 200;

    public UmapOptions? Umap { get; init; } = new() { Epochs = UmapEpochs };
    public bool UmapBFromA { get; init; } = true;
    public double UmapAnchor { get; init; } = 0.01;
    public double UmapBEpochShare { get; init; } = 1.0 / 3;
    public int PcaFitRows { get; init; } = 20_000;
    public int UmapDescentRows { get; init; } = 20_000;
}
