namespace RepDiff.Numerics;

/// <summary>
/// One kind of map (PCA or UMAP) of both representations: sample i is at (AX[i], AY[i]) in A's map and at
/// (BX[i], BY[i]) in B's, with B's map carried onto A's frame by a Procrustes fit (BAlignment, applied already).
/// </summary>
public sealed record MapLayout(float[] AX, float[] AY, float[] BX, float[] BY, PlaneTransform BAlignment);
