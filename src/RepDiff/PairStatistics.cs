using RepDiff.Metrics;

namespace RepDiff;

/// <summary>
/// What several steps of a run need from the same pair, computed once: each representation's largest
/// pairwise distance (MNED's normalizer), which RDX finds on its way and BSR would otherwise recompute.
/// </summary>
public sealed class PairStatistics(RepresentationPair pair)
{
    /// <summary>Most samples for which the largest distance is found over all pairs (an O(n²·d) pass, ~1 s at this size).</summary>
    public const int AllPairsLimit = 20_000;

    private double? maxDistanceA, maxDistanceB;

    /// <summary>A's largest distance over all pairs; null above <see cref="AllPairsLimit"/> unless another step found it.</summary>
    public double? MaxDistanceA => maxDistanceA ??= pair.N <= AllPairsLimit ? Bsr.MaxDistance(pair.A) : null;
    public double? MaxDistanceB => maxDistanceB ??= pair.N <= AllPairsLimit ? Bsr.MaxDistance(pair.B) : null;

    /// <summary>Records a largest distance found over every pair of A's rows by another computation.</summary>
    public void SetMaxDistanceA(double value) => maxDistanceA = value;
    public void SetMaxDistanceB(double value) => maxDistanceB = value;
}
