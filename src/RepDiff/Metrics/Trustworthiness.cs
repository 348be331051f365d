using System.Runtime.Intrinsics;
using RepDiff.Numerics;

namespace RepDiff.Metrics;

/// <summary>
/// Trustworthiness of an embedding (Venna &amp; Kaski 2001), as scikit-learn's sklearn.manifold.trustworthiness
/// defines it: T(k) = 1 − 2/(n·k·(2n − 3k − 1)) · Σ_i Σ_{j ∈ N_k^emb(i)} max(0, r(i, j) − k), where N_k^emb(i)
/// are i's k nearest neighbours in the embedding and r(i, j) is j's rank among i's neighbours in the original
/// space (nearest = 1). 1 when every embedded neighbourhood holds only original neighbours. Ties in either space
/// are broken by index. Exact: O(n²·d) in row blocks of distances (about 64 MB whatever n is).
/// </summary>
public static class Trustworthiness
{
    public static double Compute(Matrix original, Matrix embedded, int k = 10)
    {
        int n = original.Rows;
        if (embedded.Rows != n) throw new ArgumentException($"the original has {n} rows, the embedding {embedded.Rows}");
        if (k < 1 || k >= n / 2.0) throw new RepDiffInputException($"trustworthiness needs 1 ≤ k < n/2; k = {k}, n = {n}");
        var embeddedNeighbours = MutualKnn.Neighbours(embedded, k);
        double penalty = 0;
        int block = Math.Clamp(16_000_000 / n, 1, n);
        var partial = new double[n];
        var toAll = new DistancesToRows(original);
        Matrix? rows = null;
        for (int first = 0; first < n; first += block)
        {
            int count = Math.Min(block, n - first);
            if (rows?.Rows != count) rows = new Matrix(count, original.Cols);
            original.ReadRows(first, count, rows.Data);
            var d2 = toAll.From(rows);
            Parallel.For(0, count, r =>
            {
                int i = first + r;
                partial[i] = Penalty(d2.Row(r), i, embeddedNeighbours.AsSpan(i * k, k));
            });
        }
        foreach (double p in partial) penalty += p;
        return 1 - penalty * 2.0 / (n * (double)k * (2.0 * n - 3.0 * k - 1.0));
    }

    /// <summary>Σ over the given neighbours of max(0, rank − k), ranks in this row of original distances.</summary>
    private static double Penalty(ReadOnlySpan<float> distances, int self, ReadOnlySpan<int> neighbours)
    {
        int k = neighbours.Length;
        double sum = 0;
        foreach (int j in neighbours)
        {
            float target = distances[j];
            // rank = 1 + #{l ≠ self: d_l < d_j} + #{l ≠ self, l < j: d_l = d_j}
            int rank = 1 + Ranking.CountBelow(distances, target) + CountEqual(distances[..j], target);
            float own = distances[self];
            if (own < target || (own == target && self < j)) rank--;
            sum += Math.Max(0, rank - k);
        }
        return sum;
    }

    private static int CountEqual(ReadOnlySpan<float> values, float value)
    {
        int i = 0, count = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var target = Vector256.Create(value);
            var acc = Vector256<int>.Zero;
            for (; i <= values.Length - 8; i += 8)
                acc -= Vector256.Equals(Vector256.Create(values.Slice(i, 8)), target).AsInt32();
            count = Vector256.Sum(acc);
        }
        for (; i < values.Length; i++) if (values[i] == value) count++;
        return count;
    }
}
