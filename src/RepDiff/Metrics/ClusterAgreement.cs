using System.Numerics.Tensors;
using MathNet.Numerics;
using RepDiff.Numerics;

namespace RepDiff.Metrics;

/// <summary>How much two clusterings of the same samples agree (labels are arbitrary integers).</summary>
public static class ClusterAgreement
{
    /// <summary>Adjusted Rand index (Hubert &amp; Arabie): 1 for identical partitions up to relabelling, about 0 by chance.</summary>
    public static double AdjustedRandIndex(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count) throw new ArgumentException("clusterings must label the same samples");
        var table = Contingency(a, b, out var rowSums, out var colSums);
        double index = table.Values.Sum(Pairs);
        double rows = rowSums.Values.Sum(Pairs), cols = colSums.Values.Sum(Pairs);
        double expected = rows * cols / Pairs(a.Count);
        double max = (rows + cols) / 2;
        return max == expected ? 1.0 : (index - expected) / (max - expected);
    }

    /// <summary>
    /// Normalized mutual information, MI / mean(H(a), H(b)) (arithmetic mean, natural log; sklearn's
    /// default). 1 for identical partitions up to relabelling; 1 when both put every sample in one cluster. MI is at
    /// most either entropy, so at most 1; rounding of the logarithms' sums read 1 + 1e-15, clamped.
    /// </summary>
    public static double NormalizedMutualInformation(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var (table, rows, cols, n) = Counts(a, b);
        double ha = Entropy(rows, n), hb = Entropy(cols, n);
        if (ha == 0 && hb == 0) return 1.0;
        return Math.Min(1, MutualInformation(table, rows, cols, n) / ((ha + hb) / 2));
    }

    /// <summary>
    /// Adjusted mutual information (Vinh, Epps &amp; Bailey 2010): (MI − E[MI]) / (mean(H(a), H(b)) − E[MI]),
    /// E[MI] under random relabelling with the same cluster sizes (hypergeometric model). 1 for identical
    /// partitions, about 0 by chance.
    /// </summary>
    public static double AdjustedMutualInformation(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var (table, rows, cols, n) = Counts(a, b);
        // One cluster on both sides, or every sample its own cluster on both sides: identical partitions.
        if ((rows.Count == 1 && cols.Count == 1) || (rows.Count == n && cols.Count == n)) return 1.0;
        double mi = MutualInformation(table, rows, cols, n);
        double expected = ExpectedMutualInformation(rows.Values, cols.Values, n);
        double denominator = (Entropy(rows, n) + Entropy(cols, n)) / 2 - expected;
        // Guard a vanishing denominator the way sklearn does: keep its sign, floor its size at machine epsilon.
        denominator = denominator < 0 ? Math.Min(denominator, -MachineEpsilon) : Math.Max(denominator, MachineEpsilon);
        return (mi - expected) / denominator;
    }

    /// <summary>
    /// Mean silhouette (Rousseeuw 1987) with Euclidean distances: per sample s = (b − a) / max(a, b), a the
    /// mean distance to its own cluster, b the smallest mean distance to another cluster; 0 for samples
    /// alone in their cluster. Exact, O(n²·d) time in row blocks of GEMM distances on centred rows,
    /// O(block·n) memory; pass a sample for large n.
    /// </summary>
    public static double Silhouette(Matrix x, IReadOnlyList<int> labels)
    {
        if (labels.Count != x.Rows) throw new ArgumentException("one label per row is needed");
        var codes = new Dictionary<int, int>();
        var label = new int[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            if (!codes.TryGetValue(labels[i], out int c)) codes[labels[i]] = c = codes.Count;
            label[i] = c;
        }
        int clusters = codes.Count, n = x.Rows;
        if (clusters < 2 || clusters >= n)
            throw new ArgumentException($"silhouette needs between 2 and n-1 clusters, found {clusters}");
        var size = new int[clusters];
        foreach (int c in label) size[c]++;
        // One GEMM per block of rows instead of a dot product per pair (which cost each baseline run, and each
        // of its --trust reruns, about a second at 2,000 × 256); centring keeps the expansion's cancellation small.
        var distances = new SquaredDistanceBlocks(Distances.Centre(x, KMeans.ColumnMeans(x)));
        int block = SquaredDistanceBlocks.BlockRows(n, 1 << 22);
        var s = new double[n];
        for (int first = 0; first < n; first += block)
        {
            int count = Math.Min(block, n - first);
            var d2 = distances.Compute(first, count);
            Parallel.For(0, count, () => new double[clusters], (r, _, sums) =>
            {
                int i = first + r;
                Array.Clear(sums);
                var row = d2.Row(r);
                for (int j = 0; j < n; j++) sums[label[j]] += Math.Sqrt(row[j]);   // row[i] is 0
                int own = label[i];
                if (size[own] == 1) { s[i] = 0; return sums; }
                double within = sums[own] / (size[own] - 1), nearest = double.PositiveInfinity;
                for (int c = 0; c < clusters; c++)
                    if (c != own) nearest = Math.Min(nearest, sums[c] / size[c]);
                double larger = Math.Max(within, nearest);
                s[i] = larger == 0 ? 0 : (nearest - within) / larger;
                return sums;
            }, _ => { });
        }
        return s.Average();
    }

    private const double MachineEpsilon = 2.220446049250313e-16;

    private static (Dictionary<(int, int), long> Table, Dictionary<int, long> Rows, Dictionary<int, long> Cols, int N) Counts(
        IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count) throw new ArgumentException("clusterings must label the same samples");
        if (a.Count == 0) throw new ArgumentException("clusterings are empty");
        var table = Contingency(a, b, out var rows, out var cols);
        return (table, rows, cols, a.Count);
    }

    private static double Entropy(Dictionary<int, long> sizes, int n) =>
        -sizes.Values.Sum(c => (double)c / n * Math.Log((double)c / n));

    private static double MutualInformation(Dictionary<(int, int), long> table, Dictionary<int, long> rows, Dictionary<int, long> cols, int n)
    {
        double mi = 0;
        foreach (var ((i, j), count) in table)
            mi += (double)count / n * Math.Log((double)count * n / ((double)rows[i] * cols[j]));
        return Math.Max(mi, 0);
    }

    /// <summary>E[MI] over random partitions with the given cluster sizes: the sum over the hypergeometric distribution of each cell.</summary>
    private static double ExpectedMutualInformation(IEnumerable<long> rowSizes, IEnumerable<long> colSizes, int n)
    {
        double total = 0, lnN = SpecialFunctions.GammaLn(n + 1);
        var cols = colSizes.ToArray();
        foreach (long ai in rowSizes)
            foreach (long bj in cols)
            {
                // log of the constant part of the hypergeometric probability: a!(n−a)!b!(n−b)!/n!
                double fixedPart = SpecialFunctions.GammaLn(ai + 1) + SpecialFunctions.GammaLn(n - ai + 1)
                    + SpecialFunctions.GammaLn(bj + 1) + SpecialFunctions.GammaLn(n - bj + 1) - lnN;
                for (long nij = Math.Max(1, ai + bj - n); nij <= Math.Min(ai, bj); nij++)
                {
                    double logP = fixedPart - SpecialFunctions.GammaLn(nij + 1) - SpecialFunctions.GammaLn(ai - nij + 1)
                        - SpecialFunctions.GammaLn(bj - nij + 1) - SpecialFunctions.GammaLn(n - ai - bj + nij + 1);
                    total += (double)nij / n * Math.Log((double)n * nij / ((double)ai * bj)) * Math.Exp(logP);
                }
            }
        return total;
    }

    private static double Pairs(long count) => count * (count - 1) / 2.0;

    private static Dictionary<(int, int), long> Contingency(IReadOnlyList<int> a, IReadOnlyList<int> b,
        out Dictionary<int, long> rowSums, out Dictionary<int, long> colSums)
    {
        var table = new Dictionary<(int, int), long>();
        rowSums = [];
        colSums = [];
        for (int i = 0; i < a.Count; i++)
        {
            table[(a[i], b[i])] = table.GetValueOrDefault((a[i], b[i])) + 1;
            rowSums[a[i]] = rowSums.GetValueOrDefault(a[i]) + 1;
            colSums[b[i]] = colSums.GetValueOrDefault(b[i]) + 1;
        }
        return table;
    }
}
