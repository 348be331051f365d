using RepDiff.Metrics;

namespace RepDiff;

/// <summary>
/// What several steps of a run need from the same pair, computed once: each representation's largest
/// pairwise distance (MNED's normalizer), which RDX finds on its way and BSR would otherwise recompute.
/// </summary>
public sealed class PairStatistics(RepresentationPair pair)
{
    /// <summary>
    /// Most samples for which the largest distance is found from the loaded rows: over all pairs up to
    /// <see cref="MnedNormalizer.ExactRowsLimit"/>, from seeded rows above (linear in n). Beyond this BSR uses its grids' rows.
    /// </summary>
    public const int AllPairsLimit = 20_000;

    private (double Value, bool Exact)? maxDistanceA, maxDistanceB;

    /// <summary>A's largest distance (exact, or the sampled lower bound: <see cref="MaxDistancesExact"/>); null above <see cref="AllPairsLimit"/> unless another step found it.</summary>
    public double? MaxDistanceA => (maxDistanceA ??= Find(() => pair.A))?.Value;
    public double? MaxDistanceB => (maxDistanceB ??= Find(() => pair.B))?.Value;

    /// <summary>Whether both largest distances are exact (over all pairs) rather than sampled.</summary>
    public bool MaxDistancesExact => MaxDistanceA is not null && MaxDistanceB is not null && maxDistanceA!.Value.Exact && maxDistanceB!.Value.Exact;

    /// <summary>Records a largest distance found over every pair of A's rows by another computation.</summary>
    public void SetMaxDistanceA(double value) => maxDistanceA = (value, true);
    public void SetMaxDistanceB(double value) => maxDistanceB = (value, true);

    /// <summary>
    /// Both largest distances over every pair (a blocked pass, O(n²·d)), for rescoring a run whose MNED divided by them:
    /// RDX finds them on its way at any n, and evaluate, which would sample them above 5,000 rows, repeats its numbers.
    /// </summary>
    public void FindExact()
    {
        if (maxDistanceA is not { Exact: true }) SetMaxDistanceA(Bsr.MaxDistance(pair.A));
        if (maxDistanceB is not { Exact: true }) SetMaxDistanceB(Bsr.MaxDistance(pair.B));
    }

    /// <summary>Loads the rows only when they are searched (a mapped file above the limit is never read whole).</summary>
    private (double, bool)? Find(Func<Matrix> rows) => pair.N <= AllPairsLimit ? MnedNormalizer.Compute(rows()) : null;
}
