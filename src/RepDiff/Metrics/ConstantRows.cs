namespace RepDiff.Metrics;

/// <summary>
/// A representation whose rows are all the same has no variance and no neighbourhoods: CKA of it with anything is
/// 0/0 (its centred kernel is zero) and its nearest neighbours are all ties, so the similarity scores are undefined,
/// and are reported as such (JSON null beside a note), never as 0 or as a tie-break's 1.
/// </summary>
public static class ConstantRows
{
    /// <summary>Whether every row of x equals its first.</summary>
    public static bool In(Matrix x)
    {
        var first = x.Row(0);
        for (int i = 1; i < x.Rows; i++)
            if (!x.Row(i).SequenceEqual(first)) return false;
        return true;
    }

    /// <summary>Why a similarity of a and b is undefined ("every row of a.npy is the same, so it has no variance"), or null when both vary.</summary>
    public static string? Why(Matrix a, Matrix b, string nameA, string nameB) => (In(a), In(b)) switch
    {
        (true, true) => $"every row of {nameA} is the same, and every row of {nameB}, so neither has any variance",
        (true, false) => $"every row of {nameA} is the same, so it has no variance",
        (false, true) => $"every row of {nameB} is the same, so it has no variance",
        _ => null,
    };
}
