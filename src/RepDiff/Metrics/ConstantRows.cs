namespace RepDiff.Metrics;

/// <summary>
/// A representation whose rows are all the same has no variance and no neighbourhoods: CKA of it with anything is
/// 0/0 (its centred kernel is zero) and its nearest neighbours are all ties, so the similarity scores are undefined,
/// and are reported as such (JSON null beside a note), never as 0 or as a tie-break's 1.
/// </summary>
public static class ConstantRows
{
    /// <summary>Whether every row of x equals its first, read in blocks of about 1 MB: a file is never loaded whole.</summary>
    public static bool In(IRowSource x)
    {
        // Rows in memory are compared where they are: copying them in 1 MB blocks into a fresh buffer cost more than the
        // comparison, which stops at the second row of any real representation.
        if (x is Matrix m)
        {
            for (int r = 1; r < m.Rows; r++)
                if (!m.Row(r).SequenceEqual(m.Row(0))) return false;
            return true;
        }
        int cols = x.Cols, block = Math.Max(1, (1 << 18) / Math.Max(1, cols));
        var first = new float[cols];
        x.ReadRows(0, 1, first);
        var rows = IO.PageAdvice.NewArray<float>(Math.Min(block, x.Rows) * cols);
        for (int start = 1; start < x.Rows; start += block)
        {
            int count = Math.Min(block, x.Rows - start);
            x.ReadRows(start, count, rows.AsSpan(0, count * cols));
            for (int r = 0; r < count; r++)
                if (!rows.AsSpan(r * cols, cols).SequenceEqual(first)) return false;
        }
        return true;
    }

    /// <summary>
    /// Refuses a pair where either representation's rows are all the same, naming it: BSR ranks pairs of samples by their
    /// distances, and there every distance is a tie, so the figure would be the tie-break's (<paramref name="scored"/>: what
    /// BSR scores, "grid" or "group").
    /// </summary>
    public static void RefuseWhereBsrScoresTies(RepresentationPair pair, string scored)
    {
        foreach (var (rows, name) in new[] { (pair.RowsA, pair.NameA), (pair.RowsB, pair.NameB) })
            if (In(rows))
                throw new RepDiffInputException($"{name}: every row is the same, so every {scored}'s samples are tied at distance 0 and BSR has nothing to score");
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
