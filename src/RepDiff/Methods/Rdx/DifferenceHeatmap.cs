namespace RepDiff.Methods.Rdx;

/// <summary>The report's view of RDX's difference matrix: the run's own G on a subsample ordered by cluster.</summary>
internal static class DifferenceHeatmap
{
    /// <summary>
    /// Up to <paramref name="perCluster"/> evenly spaced members of each cluster (strongest, i.e. highest
    /// label, first), then unassigned samples, at most <paramref name="maxSamples"/> in all; entries sign·G so that
    /// positive means closer in the explained representation. With more than maxSamples / perCluster clusters each
    /// gets maxSamples / (number of clusters), at least one, and the strongest clusters come first: 24 from each of
    /// 40 clusters had made the heatmap 960² values (8 MB of results.json at n = 1,000), growing with --concepts.
    /// </summary>
    public static Heatmap Sample(Matrix g, float sign, int[] labels, string meaning, int maxSamples = 120, int perCluster = 24)
    {
        int n = labels.Length;
        var byLabel = Enumerable.Range(0, n).GroupBy(i => labels[i]).ToDictionary(x => x.Key, x => x.ToArray());
        var clusters = byLabel.Keys.Where(l => l > 0).OrderDescending().ToArray();
        int each = clusters.Length == 0 ? perCluster : Math.Clamp(maxSamples / clusters.Length, 1, perCluster);
        var picked = new List<int>();
        foreach (int label in clusters)
            picked.AddRange(Spread(byLabel[label], Math.Min(each, maxSamples - picked.Count)));
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
