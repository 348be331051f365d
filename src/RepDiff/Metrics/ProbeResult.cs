using System.Numerics.Tensors;
using RepDiff.Numerics;

namespace RepDiff.Metrics;

/// <summary>Out-of-fold results of a linear probe: every sample is predicted by the probe that did not train on it.</summary>
public sealed record ProbeResult(double Accuracy, double[] FoldAccuracies, int[] Predictions, double MajorityRate);
