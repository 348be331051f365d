using RepDiff.Methods.Baselines;
using RepDiff.Metrics;

namespace RepDiff.Bench;

/// <summary>Baselines and context measures at scale: `-- NAME [n] [d]` (defaults n = 100,000, d = 768).</summary>
public static class BaselineBenchmarks
{
    private static (int N, int D) Sizes(string[] args) =>
        (args.Length > 0 ? int.Parse(args[0]) : 100_000, args.Length > 1 ? int.Parse(args[1]) : 768);

    /// <summary>Ten Gaussian clusters in d dimensions (A), and B = a fixed mix of A's coordinates plus noise.</summary>
    internal static RepresentationPair Data(int n, int d)
    {
        var rng = new Random(1);
        var centres = new float[10 * d];
        for (int j = 0; j < centres.Length; j++) centres[j] = (float)(3 * (rng.NextDouble() - 0.5));
        var a = new Matrix(n, d);
        var b = new Matrix(n, d);
        Parallel.For(0, n, i =>
        {
            var r = new Random(i + 7);
            var ra = a.Row(i);
            var rb = b.Row(i);
            var centre = centres.AsSpan(i % 10 * d, d);
            for (int j = 0; j < d; j++) ra[j] = centre[j] + (float)(r.NextDouble() - 0.5);
            for (int j = 0; j < d; j++) rb[j] = ra[j] + 0.5f * ra[(j * 7 + 3) % d] + (float)(r.NextDouble() - 0.5);
        });
        return new RepresentationPair(a, b);
    }

    private static Dictionary<string, object> Shape(int n, int d) => new() { ["n"] = n, ["d"] = d };

    [Bench("cka")]
    public static void LinearCka(string[] args)
    {
        var (n, d) = Sizes(args);
        var pair = Data(n, d);
        // One d×d cross product (2·n·d² flops) and two symmetric Gram matrices (n·d² each, one triangle).
        Harness.Measure("linear_cka", Shape(n, d), () => Cka.Linear(pair.A, pair.B), flops: 4.0 * n * d * d, warmUp: false);
        Harness.Measure("debiased_linear_cka", Shape(n, d), () => Cka.LinearDebiased(pair.A, pair.B), flops: 4.0 * n * d * d, warmUp: false);
        Harness.Measure("rbf_cka_5000", Shape(n, d), () => Cka.Rbf(pair.A, pair.B, out _), warmUp: false);
    }

    [Bench("kmeans-baseline")]
    public static void KMeansRun(string[] args)
    {
        var (n, d) = Sizes(args);
        var pair = Data(n, d);
        Harness.Measure("kmeans_baseline_a_and_b", Shape(n, d), () => new KMeansMethod().Run(pair, new KMeansOptions()), warmUp: false);
    }

    [Bench("pca-baseline")]
    public static void PcaRun(string[] args)
    {
        var (n, d) = Sizes(args);
        var pair = Data(n, d);
        Harness.Measure("pca_baseline_a_and_b", Shape(n, d), () => new PcaMethod().Run(pair, new PcaOptions()), warmUp: false);
    }

    [Bench("nmf-baseline")]
    public static void NmfRun(string[] args)
    {
        var (n, d) = Sizes(args);
        var pair = Data(n, d);
        Harness.Measure("semi_nmf_baseline_a_and_b", Shape(n, d), () => new NmfMethod().Run(pair, new NmfOptions()), warmUp: false);
    }

    [Bench("sae-baseline")]
    public static void SaeRun(string[] args)
    {
        var (n, d) = Sizes(args);
        var pair = Data(n, d);
        Harness.Measure("sae_baseline_a_and_b", Shape(n, d), () => new SaeMethod().Run(pair, new SaeOptions()), warmUp: false);
    }

    [Bench("context-metrics")]
    public static void Metrics(string[] args)
    {
        var (n, d) = Sizes(args);
        var pair = Data(n, d);
        Harness.Measure("context_metrics_no_labels", Shape(n, d), () => ContextMetrics.Compute(pair, new ContextMetricsOptions()), warmUp: false);
    }

    [Bench("linear-probe")]
    public static void Probe(string[] args)
    {
        var (n, d) = Sizes(args);
        var pair = Data(n, d);
        // Labels: the planted cluster (i mod 10) with 20% of them reassigned at random, so the probe has work to do.
        var rng = new Random(5);
        var labels = Enumerable.Range(0, n).Select(i => rng.NextDouble() < 0.2 ? rng.Next(10) : i % 10).ToArray();
        Harness.Measure("linear_probe_5_fold", Shape(n, d), () => LinearProbe.CrossValidate(pair.B, labels), warmUp: false);
    }
}
