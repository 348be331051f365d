namespace RepDiff.Numerics;

/// <summary>
/// What <see cref="MapLayouts.Compute"/> draws. PCA maps always; UMAP maps unless Umap is null. With
/// UmapBFromA (the default) B's UMAP descent starts from A's finished layout, so the same region holds the same
/// samples from the start; without it B starts from its own spectral layout and only the Procrustes fit aligns it.
/// PCA is fitted on a seeded subset of at most PcaFitRows rows (the projection is then applied to every row).
/// </summary>
public sealed record MapLayoutOptions
{
    public UmapOptions? Umap { get; init; } = new();
    public bool UmapBFromA { get; init; } = true;
    public int PcaFitRows { get; init; } = 20_000;
}
