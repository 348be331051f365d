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

    /// <summary>
    /// The k nearest neighbours of every row (n×k, nearest first, ties by index, self excluded), exact: each distance
    /// computed once and offered to both of its rows (<see cref="ExactNeighbours"/>), in strips of rows so memory stays
    /// small whatever n is.
    /// </summary>
    public static int[] Neighbours(Matrix x, int k) => ExactNeighbours.Find(x, k);
}
