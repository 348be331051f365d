using System.Text.Json.Nodes;

namespace RepDiff.Methods.Baselines;

/// <summary>
/// NMF (or semi-NMF) of each representation alone. A concept is a dictionary atom (a row of H, unit norm);
/// coefficients are the non-negative loadings W. Strength is the atom's share of the data, ‖w_c‖ ‖h_c‖ / ‖X‖_F;
/// members and grid follow <see cref="Baseline.FromCoefficients"/> (grid = largest coefficients).
/// </summary>
public sealed class NmfMethod : PairMethod<NmfOptions>
{
    public override string Name => "nmf";
    public override string Description => "NMF (or semi-NMF) of A and of B separately: concepts are dictionary atoms, grids the largest coefficients.";
    public override string StrengthMeaning => "‖w_c‖·‖h_c‖ / ‖X‖_F: the share of the data's norm the atom carries (a baseline on one model alone)";

    protected override void CheckCount(int n, NmfOptions options) => Baseline.CheckSampleCount(n, options);

    /// <summary>Before any work (a comparison prepares every method before running the first): enough distinct rows on both sides.</summary>
    protected override void Validate(RepresentationPair pair, NmfOptions options)
    {
        // Named here, where the file is known: the fit itself can only say "this representation" (review 174).
        Nmf.CheckVariant(pair.RowsA, options.Variant, pair.NameA);
        Nmf.CheckVariant(pair.RowsB, options.Variant, pair.NameB);
        Baseline.CheckDistinctRows(Name, pair, options.Concepts);
    }

    protected override Explanation Explain(RepresentationPair pair, NmfOptions options, IProgress<ProgressUpdate>? progress)
    {
        return Baseline.Run(Name, pair, options, "non-negative loading on the dictionary atom", progress, (x, stage) =>
        {
            var fit = Nmf.Fit(x, options.Concepts, options.Variant, options.Seed, options.MaxIterations, options.Tolerance, progress, stage);
            double dataNorm = Math.Sqrt(x.Data.Sum(v => (double)v * v));
            var share = Enumerable.Range(0, options.Concepts)
                .Select(c => dataNorm == 0 ? 0 : Math.Sqrt(Baseline.Column(fit.Coefficients, c).Sum(v => v * v)) / dataNorm).ToArray();
            var order = Baseline.OrderByStrength(share);
            var coefficients = new Matrix(x.Rows, order.Length);
            for (int i = 0; i < x.Rows; i++)
                for (int r = 0; r < order.Length; r++) coefficients[i, r] = fit.Coefficients[i, order[r]];
            var (concepts, labels) = Baseline.FromCoefficients(coefficients, order.Select(c => share[c]).ToArray(), options.GridSize);
            var metrics = new JsonObject
            {
                ["variant"] = RepDiff.Options.OptionSpec.EnumName(fit.Variant),
                ["iterations"] = fit.Iterations,
                ["relative_error"] = fit.RelativeError,
            };
            return new SideResult(concepts, labels, c => Baseline.Column(coefficients, c), metrics);
        });
    }
}
