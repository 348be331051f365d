using RepDiff.Metrics;

namespace RepDiff;

/// <summary>
/// What several steps of a run need from the same pair, computed once: each representation's largest
/// pairwise distance (MNED's normalizer), which RDX finds on its way and BSR would otherwise recompute.
/// </summary>
public sealed class PairStatistics(RepresentationPair pair)
{
    private double? maxDistanceA, maxDistanceB;

    public double MaxDistanceA => maxDistanceA ??= Bsr.MaxDistance(pair.A);
    public double MaxDistanceB => maxDistanceB ??= Bsr.MaxDistance(pair.B);

    /// <summary>Records a largest distance found over every pair of A's rows by another computation.</summary>
    public void SetMaxDistanceA(double value) => maxDistanceA = value;
    public void SetMaxDistanceB(double value) => maxDistanceB = value;
}
