using RepDiff.Numerics;

namespace RepDiff.Metrics;

/// <summary>
/// Mutual k-nearest-neighbour alignment (Huh et al. 2024): for every sample, the fraction of its k nearest
/// neighbours in A (itself excluded) that are also among its k nearest in B, averaged over samples.
/// 1 when both representations order every neighbourhood alike.
/// </summary>
public static class MutualKnn
{
    /// <summary>Default size above which the CLI measures on a seeded random subset (exact k-NN is O(n²·d)).</summary>
    public const int DefaultMaxSamples = 10000;

    /// <summary>The k of the context figure compare and the reports give (the report states its chance level from it).</summary>
    public const int DefaultNeighbours = 10;

    /// <summary>
    /// Expected alignment of random neighbours: each sample's k neighbours drawn at random from the n − 1 others in A and
    /// again in B share k/(n − 1) of them on average, the level a measured alignment is read against.
    /// </summary>
    public static double Chance(int k, int n) => n > 1 ? Math.Min(1, (double)k / (n - 1)) : double.NaN;

    /// <summary>The k a context object's mutual k-NN was measured with: `mutual_knn_k` where recorded (repdiff metrics), else compare's default.</summary>
    public static int NeighboursOf(System.Text.Json.Nodes.JsonObject context)
        => context["mutual_knn_k"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out int k) ? k : DefaultNeighbours;

    /// <summary>The samples a context object's mutual k-NN was measured on: `mutual_knn_samples` where recorded (a subsample), else all n.</summary>
    public static int SamplesOf(System.Text.Json.Nodes.JsonObject context, int n)
        => context["mutual_knn_samples"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out int used) ? used : n;

    public static double Alignment(Matrix a, Matrix b, int k = DefaultNeighbours)
    {
        if (a.Rows != b.Rows) throw new ArgumentException("A and B must have the same rows");
        if (k < 1 || k >= a.Rows || k > 1000) throw new RepDiffInputException($"mutual k-NN with k = {k} neighbours (--neighbours) needs more than k samples and k ≤ 1000; the inputs have {a.Rows}");
        return Overlap(Neighbours(a, k), Neighbours(b, k), k);
    }

    /// <summary>The alignment of given neighbour lists (n × k each, as <see cref="Neighbours"/> writes them).</summary>
    public static double Overlap(int[] neighboursA, int[] neighboursB, int k)
    {
        int n = neighboursA.Length / k;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var ra = neighboursA.AsSpan(i * k, k);
            var rb = neighboursB.AsSpan(i * k, k);
            int shared = 0;
            foreach (int j in ra) if (rb.Contains(j)) shared++;
            total += (double)shared / k;
        }
        return total / n;
    }

    /// <summary>Rows whose column mean the distances are centred on: 16 million floats of distances, as ever.</summary>
    private const int CentringFloats = 16_000_000;

    /// <summary>
    /// Floats of distances computed at a time (16 MB; <see cref="Neighbours(Matrix, int, ref Matrix?, int)"/>). Measured at
    /// n = 10,000 on a busy machine: 4 MB parts touched a third less fresh memory than 16 MB ones but took twice as long, each
    /// part's half-dozen parallel loops waiting for a core; 16 MB parts cost no more time than the old 64 MB blocks.
    /// </summary>
    internal const int BlockFloats = 1 << 22;

    /// <summary>
    /// The k nearest neighbours of every row (n×k, nearest first, ties by index, self excluded), exact:
    /// distances in row blocks of at most 16 MB whatever n is.
    /// </summary>
    public static int[] Neighbours(Matrix x, int k)
    {
        Matrix? distances = null;
        return Neighbours(x, k, ref distances);
    }

    /// <summary>
    /// <see cref="Neighbours(Matrix, int)"/>, the distances written into <paramref name="distances"/> where its shape fits (left
    /// holding the buffer used), so the two sides of a pair share one.
    /// </summary>
    /// <remarks>
    /// The distances are centred on the mean of a block of 16 million floats' rows, as they have been since they were first
    /// computed in blocks (the mean decides their rounding, and so ties and near-ties in the lists), but computed
    /// <paramref name="blockFloats"/> at a time: whole 64 MB blocks, a fresh set per side, had cost more kernel time to touch
    /// than the smaller GEMMs lose.
    /// </remarks>
    internal static int[] Neighbours(Matrix x, int k, ref Matrix? distances, int blockFloats = BlockFloats)
    {
        int n = x.Rows;
        var result = new int[(long)n * k];
        int centring = Math.Clamp(CentringFloats / n, 1, n), part = Math.Clamp(blockFloats / n, 1, centring);
        // Parts no longer than the last, shorter block where that costs little, so it needs no buffers of its own either.
        int last = n - (n - 1) / centring * centring;
        if (last >= part / 2) part = Math.Min(part, last);
        var toAll = new DistancesToRows(x, distances);
        Matrix? rows = null;
        for (int first = 0; first < n; first += centring)
        {
            int count = Math.Min(centring, n - first);
            if (rows?.Rows != count) rows = new Matrix(count, x.Cols);
            x.ReadRows(first, count, rows.Data);
            toAll.CentreOn(rows);
            for (int start = 0; start < count; start += part)
            {
                // Parts of one size, so the buffers are kept: the last ends at the block's end, repeating rows of the one
                // before (their lists come out the same).
                int from = Math.Max(0, Math.Min(start, count - part)), size = Math.Min(part, count);
                var d2 = toAll.Rows(from, size);
                int row0 = first + from;
                Parallel.For(0, size, r => Selection.Smallest(d2.Row(r), result.AsSpan((row0 + r) * k, k), skip: row0 + r));
            }
        }
        distances = toAll.Result;
        return result;
    }
}
