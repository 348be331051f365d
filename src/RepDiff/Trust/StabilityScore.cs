namespace RepDiff.Trust;

/// <summary>
/// J_r(c) of docs/methods/METHODS.md §7: how well a concept of the full run is found again in one resample's run.
/// </summary>
public static class StabilityScore
{
    /// <summary>
    /// max over the resample's concepts c' of |(M_c ∩ S) ∩ M_c'| / |(M_c ∩ S) ∪ M_c'|, where M_c' is already mapped
    /// to full-run rows; 0 when the resample found no concept in this direction.
    /// </summary>
    /// <param name="members">Members of the full-run concept (full-run rows).</param>
    /// <param name="kept">Which full-run rows the resample kept.</param>
    /// <param name="candidates">Members of each concept of the same direction in the resample's run (full-run rows).</param>
    public static double Best(IReadOnlyList<int> members, bool[] kept, IReadOnlyList<int[]> candidates)
    {
        var inConcept = new HashSet<int>(members.Where(i => kept[i]));
        double best = 0;
        foreach (var candidate in candidates)
        {
            int shared = 0;
            var distinct = new HashSet<int>(candidate);
            foreach (int i in distinct) if (inConcept.Contains(i)) shared++;
            int union = inConcept.Count + distinct.Count - shared;
            if (union > 0) best = Math.Max(best, (double)shared / union);
        }
        return best;
    }
}
