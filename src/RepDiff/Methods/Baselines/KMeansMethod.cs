using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using RepDiff.Numerics;

namespace RepDiff.Methods.Baselines;

/// <summary>
/// k-means on each representation alone (k-means++ and Lloyd, best of several restarts). A concept is a
/// cluster; members are ordered by distance to the centroid (scores: that distance), the grid is the
/// nearest ones. Strength is compactness: the mean squared distance of all samples to the overall mean
/// divided by that of the members to their centroid (above 1 = tighter than the data as a whole); concepts
/// are ranked by it. The coefficient of the label view is membership (1 in the cluster, else 0), so its
/// per-label mean is the fraction of that label's samples in the cluster.
/// </summary>
public sealed class KMeansMethod : PairMethod<KMeansOptions>
{
    public override string Name => "kmeans";
    public override bool ConceptsAreClusters => true;
    public override string Description => "k-means of A and of B separately: concepts are clusters, grids the members nearest the centroid.";
    public override string StrengthMeaning => "compactness: mean squared distance of all samples to the overall mean ÷ that of the members to their centroid (a baseline on one model alone)";

    /// <summary>Strength of a cluster of identical samples: tighter than anything float32 rounding can measure.</summary>
    public const double MaxCompactness = 1e12;

    protected override void CheckCount(int n, KMeansOptions options) => Baseline.CheckSampleCount(n, options);

    /// <summary>Before any work: k clusters of fewer than k distinct rows would list empty ones, as NMF refuses them.</summary>
    protected override void Validate(RepresentationPair pair, KMeansOptions options) => Baseline.CheckDistinctRows(Name, pair, options.Concepts);

    protected override Explanation Explain(RepresentationPair pair, KMeansOptions options, IProgress<ProgressUpdate>? progress)
    {
        return Baseline.Run(Name, pair, options, "membership (1 in the cluster, 0 outside)", progress, (x, stage) =>
        {
            progress.Report(stage, 0);
            var fit = KMeans.Fit(x, options.Concepts, options.Seed, options.Restarts, options.MaxIterations, options.Tolerance);
            progress.Report(stage, 1);
            return Describe(x, fit, options.GridSize);
        });
    }

    private static SideResult Describe(Matrix x, KMeansResult fit, int grid)
    {
        int k = fit.Centroids.Rows;
        var distance = new double[x.Rows];
        Parallel.For(0, x.Rows, i => distance[i] = TensorPrimitives.Distance<float>(x.Row(i), fit.Centroids.Row(fit.Labels[i])));
        double overall = MeanSquaredDistanceToMean(x);
        var compactness = new double[k];
        for (int c = 0; c < k; c++)
        {
            var members = Enumerable.Range(0, x.Rows).Where(i => fit.Labels[i] == c).ToArray();
            double spread = members.Length == 0 ? 0 : members.Average(i => distance[i] * distance[i]);
            // A single sample is no group (its spread is rounding error), and constant data has no structure: both 0.
            // Identical members cap at MaxCompactness rather than dividing by zero.
            compactness[c] = members.Length < 2 || overall == 0 ? 0 : overall / Math.Max(spread, overall / MaxCompactness);
        }
        var order = Baseline.OrderByStrength(compactness);
        var rankOf = new int[k];
        for (int r = 0; r < k; r++) rankOf[order[r]] = r + 1;
        var concepts = order.Select((cluster, r) =>
        {
            var members = Enumerable.Range(0, x.Rows).Where(i => fit.Labels[i] == cluster).OrderBy(i => distance[i]).ThenBy(i => i).ToArray();
            return new Concept
            {
                Rank = r + 1,
                Strength = compactness[cluster],
                Members = members,
                Grid = members.Take(grid).ToArray(),
                Scores = members.Select(i => distance[i]).ToArray(),
            };
        }).ToList();
        var labels = fit.Labels.Select(c => rankOf[c]).ToArray();
        var metrics = new JsonObject { ["inertia"] = fit.Inertia };
        return new SideResult(concepts, labels, c => labels.Select(l => l == c + 1 ? 1.0 : 0.0).ToArray(), metrics);
    }

    private static double MeanSquaredDistanceToMean(Matrix x)
    {
        var mean = KMeans.ColumnMeans(x);
        double total = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            double d = TensorPrimitives.Distance<float>(x.Row(i), mean);
            total += d * d;
        }
        return total / x.Rows;
    }
}
