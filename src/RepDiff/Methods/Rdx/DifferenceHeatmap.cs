namespace RepDiff.Methods.Rdx;

/// <summary>The report's view of RDX's difference matrix: the run's own G on a subsample ordered by cluster.</summary>
internal static class DifferenceHeatmap
{
    /// <summary>
    /// Up to <paramref name="perCluster"/> evenly spaced members of each cluster (strongest, i.e. highest
    /// label, first), then unassigned samples up to <paramref name="maxSamples"/>; entries sign·G so that
    /// positive means closer in the explained representation.
    /// </summary>
    public static Heatmap Sample(Matrix g, float sign, int[] labels, string meaning, int maxSamples = 120, int perCluster = 24)
    {
        int n = labels.Length;
        var byLabel = Enumerable.Range(0, n).GroupBy(i => labels[i]).ToDictionary(x => x.Key, x => x.ToArray());
        var picked = new List<int>();
        foreach (int label in byLabel.Keys.Where(l => l > 0).OrderDescending())
            picked.AddRange(Spread(byLabel[label], perCluster));
        if (byLabel.TryGetValue(0, out var unassigned))
            picked.AddRange(Spread(unassigned, Math.Max(0, maxSamples - picked.Count)));
        int m = picked.Count;
        var values = new float[m * m];
        for (int r = 0; r < m; r++)
            for (int c = 0; c < m; c++)
                values[r * m + c] = r == c ? 0 : MathF.Round(sign * g[picked[r], picked[c]], 3);
        return new Heatmap { Samples = picked.ToArray(), Clusters = picked.Select(i => labels[i]).ToArray(), Values = values, Meaning = meaning };
    }

    /// <summary>At most `count` of the items, evenly spaced, in order.</summary>
    private static int[] Spread(int[] items, int count) => items.Length <= count ? items
        : Enumerable.Range(0, count).Select(k => items[(int)((long)k * items.Length / count)]).ToArray();
}
