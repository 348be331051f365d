namespace RepDiff.Numerics;

/// <summary>A 2-D UMAP layout: point i is at (X[i], Y[i]); Initialization says how the layout was started.</summary>
public sealed record UmapLayout(float[] X, float[] Y, string Initialization);
