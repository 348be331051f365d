using System.Numerics.Tensors;

namespace RepDiff.Numerics;

/// <summary>A fitted PCA: the mean, k×d unit components (variance descending) and their variances (divided by n − 1).</summary>
public sealed record PcaResult(float[] Mean, Matrix Components, double[] ExplainedVariance);
