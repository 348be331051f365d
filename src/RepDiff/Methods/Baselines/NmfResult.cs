using System.Numerics.Tensors;
using RepDiff.Numerics;

namespace RepDiff.Methods.Baselines;

/// <summary>
/// X (n×d) ≈ W H with coefficients W (n×k) ≥ 0. Rows of H have unit norm (the scale is in W).
/// <see cref="Variant"/> is Nmf or SemiNmf, never Auto.
/// </summary>
public sealed record NmfResult(Matrix Coefficients, Matrix Dictionary, NmfVariant Variant, int Iterations, double RelativeError);
