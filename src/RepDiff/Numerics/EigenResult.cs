namespace RepDiff.Numerics;

/// <summary>
/// Eigenpairs: Values[i] with the unit vector Vectors[i], ordered as requested (Largest: descending;
/// Smallest: ascending; LargestMagnitude: by |λ| descending).
/// </summary>
public sealed record EigenResult(double[] Values, double[][] Vectors)
{
    /// <summary>False when an iterative solver stopped at its product cap before every pair met its tolerance.</summary>
    public bool Converged { get; init; } = true;

    /// <summary>The iterative solver's estimate of ‖A‖ (largest |Ritz value| seen), the scale of its tolerances; 0 from the dense solver.</summary>
    public double Norm { get; init; }
}
