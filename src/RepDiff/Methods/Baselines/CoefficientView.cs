using System.Text.Json.Nodes;

namespace RepDiff.Methods.Baselines;

/// <summary>
/// How selective a concept is: per label, the distribution of every sample's coefficient on the concept
/// (count, mean, fraction above zero, min, 10/25/50/75/90 % quantiles, max). Grids hide this: a concept
/// whose grid shows only 4s may still fire as strongly on 9s.
/// </summary>
public static class CoefficientView
{
    public static JsonObject ByLabel(double[] coefficients, SampleLabels labels)
    {
        var view = new JsonObject();
        foreach (var group in Enumerable.Range(0, coefficients.Length).GroupBy(i => labels.Codes[i]).OrderBy(g => g.Key))
        {
            var values = group.Select(i => coefficients[i]).Order().ToArray();
            view[labels.Names[group.Key]] = new JsonObject
            {
                ["count"] = values.Length,
                ["mean"] = values.Average(),
                ["positive_fraction"] = values.Count(v => v > 0) / (double)values.Length,
                ["min"] = values[0],
                ["q10"] = Quantile(values, 0.10),
                ["q25"] = Quantile(values, 0.25),
                ["median"] = Quantile(values, 0.50),
                ["q75"] = Quantile(values, 0.75),
                ["q90"] = Quantile(values, 0.90),
                ["max"] = values[^1],
            };
        }
        return view;
    }

    /// <summary>Linear interpolation between order statistics (numpy's default).</summary>
    public static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }
}
