using System.Text.Json.Nodes;
using RepDiff.Numerics;

namespace RepDiff.Methods.Baselines;

/// <summary>
/// PCA of each representation alone. A concept is a principal component; its coefficients are the samples'
/// projections on it, with the component's sign chosen so that the largest-magnitude coefficients (the
/// grid's worth) sum to a positive number, i.e. the top coefficients are positive. Strength is the explained
/// variance; members and grid follow <see cref="Baseline.FromCoefficients"/> (grid = largest coefficients).
/// </summary>
public sealed class PcaMethod : PairMethod<PcaOptions>
{
    public override string Name => "pca";
    public override string Description => "PCA of A and of B separately: concepts are principal components, grids the largest coefficients.";
    public override string StrengthMeaning => "explained variance of the principal component (a baseline on one model alone)";

    protected override void CheckCount(int n, PcaOptions options) => Baseline.CheckSampleCount(n, options);

    /// <summary>Before any work: components beyond the distinct rows' span would be empty concepts (one per side, each its own width).</summary>
    protected override void Validate(RepresentationPair pair, PcaOptions options)
    {
        Baseline.CheckDistinctRows(pair.RowsA, Math.Min(options.Concepts, pair.RowsA.Cols), $"{Name} on {pair.NameA}", centred: true);
        Baseline.CheckDistinctRows(pair.RowsB, Math.Min(options.Concepts, pair.RowsB.Cols), $"{Name} on {pair.NameB}", centred: true);
    }

    protected override Explanation Explain(RepresentationPair pair, PcaOptions options, IProgress<ProgressUpdate>? progress)
    {
        return Baseline.Run(Name, pair, options, "projection on the principal component (sign-corrected)", progress, (x, stage) =>
        {
            progress.Report(stage, 0);
            var fit = Pca.Fit(x, Math.Min(options.Concepts, x.Cols));
            var scores = Pca.Transform(fit, x);
            for (int c = 0; c < scores.Cols; c++)
                if (TopMagnitudeSum(scores, c, options.GridSize) < 0)
                    for (int i = 0; i < scores.Rows; i++) scores[i, c] = -scores[i, c];
            var (concepts, labels) = Baseline.FromCoefficients(scores, fit.ExplainedVariance, options.GridSize);
            double totalVariance = TotalVariance(x);
            var metrics = new JsonObject
            {
                // Constant data has no variance to explain: every ratio is 0.
                ["explained_variance_ratio"] = new JsonArray(fit.ExplainedVariance.Select(v => (JsonNode)(totalVariance > 0 ? v / totalVariance : 0)).ToArray()),
            };
            progress.Report(stage, 1);
            return new SideResult(concepts, labels, c => Baseline.Column(scores, c), metrics);
        });
    }

    /// <summary>Sum of the <paramref name="count"/> coefficients of column c largest in magnitude, signs kept.</summary>
    private static double TopMagnitudeSum(Matrix scores, int c, int count) =>
        Enumerable.Range(0, scores.Rows).Select(i => (double)scores[i, c])
            .OrderByDescending(Math.Abs).Take(count).Sum();

    /// <summary>The sum of the column variances (the trace of the covariance), with the n − 1 normalization.</summary>
    private static double TotalVariance(Matrix x)
    {
        var mean = KMeans.ColumnMeans(x);
        double total = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            for (int j = 0; j < x.Cols; j++) total += (row[j] - mean[j]) * (double)(row[j] - mean[j]);
        }
        return total / Math.Max(1, x.Rows - 1);
    }
}
