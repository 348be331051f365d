using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using RepDiff.Numerics;

namespace RepDiff.Metrics;

/// <summary>
/// The chance level beside every BSR figure: the BSR of random groups of the same sizes under the same
/// distance, averaged over <see cref="Draws"/> seeded draws, with its spread. SILB is near 0.5 on any pair,
/// but MNED is not: when one model's distances are spread wider than the other's, random groups already
/// score near 0 or 1, and only the distance from chance says anything.
/// </summary>
/// <remarks>
/// The random groups come from one seeded pool of samples per pair (<see cref="PoolSamples"/>), whose distance rows
/// are computed once and shared by every method of a comparison. A pair small enough for the focus rows is its own
/// pool, so the chance level estimates the BSR of random groups of all samples; a larger pair's pool is a uniform
/// subset of <see cref="PoolSize"/> samples (fewer on very large pairs), which adds the pool's own sampling error to
/// the estimate beyond the spread of the draws: on the planted fixture (n = 600) a standard deviation of 0.010 (SILB) to
/// 0.019 (MNED), 2.4–2.8 standard errors of the draws, so the same rows in another order move a chance level by a few
/// hundredths (docs/methods/METHODS.md §8).
/// </remarks>
public static class BsrChance
{
    /// <summary>Random draws per chance figure.</summary>
    public const int Draws = 100;

    /// <summary>Samples random groups are drawn from on pairs too large to be their own pool (<see cref="PoolSamples"/>).</summary>
    public const int PoolSize = 256;

    /// <summary>
    /// Samples a pool of random groups takes from a set of n: all of them while the focus rows can hold them (n at most
    /// 512): a fixed subset of 256 of 480 samples put a chance level 3 standard errors off the BSR of random groups of
    /// all samples. Else <see cref="PoolSize"/>, fewer when the focus rows of n samples cannot hold that many.
    /// </summary>
    internal static int PoolSamples(int n) => n <= FocusRows.MaxFocus(n) ? n : Math.Min(PoolSize, FocusRows.MaxFocus(n));

    private const int Seed = 2017;
    private static readonly ConditionalWeakTable<RepresentationPair, Pool> pools = new();

    private sealed record Pool(int[] Samples, FocusRows A, FocusRows B)
    {
        // The chance level of one group, per direction and size, drawn once per pool: `groups` reads it for where each group
        // holds before the scoring sets it on the concepts, and every method of a comparison scores grids of the same sizes.
        private readonly ConcurrentDictionary<(bool ExplainsA, int Size), (double Mean, double Sd)> ofGroup = new();

        public (double Mean, double Sd) OfGroup(bool explainsA, int size)
            => ofGroup.GetOrAdd((explainsA, size), key => MeanAndSpread(GroupDraws(this, key.ExplainsA, key.Size)));
    }

    /// <summary>
    /// Fills e.Metrics["bsr_chance"], "bsr_mned_chance", "bsr_lsed_chance" (per direction and "mean", as
    /// <see cref="Bsr.Evaluate"/> fills "bsr"...) with "_sd" spreads beside them, and each scored concept's
    /// <see cref="Concept.BsrChance"/> (SILB, a random group of its grid's size) with its <see cref="Concept.BsrChanceSd"/>.
    /// </summary>
    public static void Evaluate(Explanation e, RepresentationPair pair)
    {
        var scored = e.Directions.Where(d => d.Explains is "a" or "b")
            .Select(d => (Direction: d, Sizes: d.Concepts.Where(c => c.Rank >= 1 && c.Grid.Length >= 2).Select(c => c.Grid.Length).ToArray()))
            .Where(d => d.Sizes.Length > 0)
            .ToArray();
        if (scored.Length == 0) return;
        var pool = PoolFor(pair, scored.Max(d => d.Sizes.Max()));
        foreach (var (key, kind) in new[] { ("bsr", BsrDistance.Silb), ("bsr_mned", BsrDistance.Mned), ("bsr_lsed", BsrDistance.Lsed) })
        {
            var draws = new double[scored.Length][];
            for (int k = 0; k < scored.Length; k++) draws[k] = new double[Draws];
            // Each direction draws its groups from its own generator, seeded alike: one generator shared in the directions'
            // order gave the direction explaining a model other random groups when the model was given as B instead of A,
            // so its chance level moved (0.494 → 0.492) with nothing but the order of the arguments (helper 92).
            for (int k = 0; k < scored.Length; k++)
            {
                var rng = Rng.Create(Seed);
                bool a = scored[k].Direction.Explains == "a";
                for (int t = 0; t < Draws; t++)
                {
                    var groups = scored[k].Sizes.Select(g => RandomGroup(pool.Samples, g, rng)).ToArray();
                    draws[k][t] = FocusRows.Score(a ? pool.A : pool.B, a ? pool.B : pool.A, groups, kind);
                }
            }
            var means = new JsonObject();
            var spreads = new JsonObject();
            for (int k = 0; k < scored.Length; k++)
            {
                means[scored[k].Direction.Name] = Round(draws[k].Average());
                spreads[scored[k].Direction.Name] = Round(StandardDeviation(draws[k]));
            }
            // The mean BSR of directions whose concepts are separate groups: the mean of independent draws, whose spread is
            // √(Σ sd²) / K. Averaging the directions' draws pairwise gave ~0: seeded alike, both directions draw the same
            // groups, whose two scores nearly cancel (SILB's sum to 1), so the spread read 0.002 beside 0.03 per direction.
            means["mean"] = Round(draws.Average(d => d.Average()));
            spreads["mean"] = Round(Math.Sqrt(draws.Sum(d => Math.Pow(StandardDeviation(d), 2))) / scored.Length);
            e.Metrics[key + "_chance"] = means;
            e.Metrics[key + "_chance_sd"] = spreads;
        }
        foreach (var (direction, _) in scored)
            foreach (var concept in direction.Concepts.Where(c => c.Rank >= 1 && c.Grid.Length >= 2))
                (concept.BsrChance, concept.BsrChanceSd) = pool.OfGroup(direction.Explains == "a", concept.Grid.Length);
        e.Metrics["bsr_chance_draws"] = Draws;
        e.Metrics["bsr_chance_pool"] = pool.Samples.Length;
    }

    /// <summary>
    /// The chance level of one group of <paramref name="size"/> samples explaining A (or B) and its spread: the mean and
    /// standard deviation of the SILB BSR of the random groups behind <see cref="Concept.BsrChance"/>, drawn from the pool of
    /// a scoring whose largest grid is <paramref name="largestGroup"/> (the same figures, drawn once for both).
    /// </summary>
    public static (double Mean, double Sd) OfGroup(RepresentationPair pair, bool explainsA, int size, int largestGroup)
        => PoolFor(pair, Math.Max(size, largestGroup)).OfGroup(explainsA, size);

    private static (double Mean, double Sd) MeanAndSpread(double[] draws) => (Round(draws.Average()), Round(StandardDeviation(draws)));

    /// <summary>The SILB BSR of <see cref="Draws"/> seeded random groups of one size, each scored alone.</summary>
    private static double[] GroupDraws(Pool pool, bool explainsA, int size)
    {
        var rng = Rng.Create(Rng.Derive(Seed, size));
        return Enumerable.Range(0, Draws).Select(_ => FocusRows.Score(explainsA ? pool.A : pool.B, explainsA ? pool.B : pool.A,
            [RandomGroup(pool.Samples, size, rng)], BsrDistance.Silb)).ToArray();
    }

    /// <summary>A uniform random subset of the pool of the given size (the whole pool when it is smaller).</summary>
    internal static int[] RandomGroup(int[] pool, int size, Random rng)
    {
        size = Math.Min(size, pool.Length);
        var chosen = new int[size];
        // A group of a grid's size (9 to 16) is searched faster than hashed: a set per group had been a tenth of the
        // chance levels at 500 samples. Either way a sample already taken is drawn again, so the groups are the same.
        var taken = size > 32 ? new HashSet<int>() : null;
        for (int k = 0; k < size;)
        {
            int i = pool[rng.Next(pool.Length)];
            if (taken?.Add(i) ?? !chosen.AsSpan(0, k).Contains(i)) chosen[k++] = i;
        }
        return chosen;
    }

    internal static double StandardDeviation(IReadOnlyCollection<double> values)
    {
        if (values.Count < 2) return 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>Six decimals: the chance figures are estimates, and a shorter results.json reads better.</summary>
    private static double Round(double v) => double.IsFinite(v) ? Math.Round(v, 6) : 0.5;

    private static Pool PoolFor(RepresentationPair pair, int largestGroup)
    {
        lock (pools)
        {
            int size = Math.Min(pair.N, Math.Max(PoolSamples(pair.N), 2 * largestGroup));
            size = Math.Min(size, Math.Max(FocusRows.MaxFocus(pair.N), Math.Min(pair.N, largestGroup)));
            if (pools.TryGetValue(pair, out var cached) && cached.Samples.Length >= Math.Min(size, pair.N)) return cached;
            var samples = Sampling.Uniform(pair.N, size, Seed);
            var pool = new Pool(samples,
                new FocusRows(pair.RowsA, samples, pair.Statistics.MaxDistanceA),
                new FocusRows(pair.RowsB, samples, pair.Statistics.MaxDistanceB));
            pools.AddOrUpdate(pair, pool);
            return pool;
        }
    }
}
