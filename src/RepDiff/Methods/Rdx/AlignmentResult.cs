using RepDiff.Metrics;
using RepDiff.Numerics;

namespace RepDiff.Methods.Rdx;

/// <summary>The affine map learned by <see cref="CkaAlignment"/> and the source rows mapped through it.</summary>
public sealed record AlignmentResult(Matrix Weights, float[] Bias, Matrix Mapped, double? InitialHeldOutCka, double? HeldOutCka, int BestStep);
