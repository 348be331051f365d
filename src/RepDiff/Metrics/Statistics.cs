using MathNet.Numerics;

namespace RepDiff.Metrics;

/// <summary>
/// Small exact tests used to say whether a group of samples differs from the whole set: the
/// hypergeometric tail (Fisher's one-sided exact test), the Mann–Whitney rank-sum z-score, and the
/// Benjamini–Hochberg correction for testing many values at once. Every probability is computed in log
/// space, so tails far below 1e-300 are still ordered correctly (they are returned as their log too).
/// </summary>
public static class Statistics
{
    /// <summary>ln C(n, k) via log-gamma; -∞ outside 0 ≤ k ≤ n.</summary>
    public static double LogChoose(long n, long k) =>
        k < 0 || k > n ? double.NegativeInfinity
        : k == 0 || k == n ? 0
        : SpecialFunctions.GammaLn(n + 1.0) - SpecialFunctions.GammaLn(k + 1.0) - SpecialFunctions.GammaLn(n - k + 1.0);

    /// <summary>
    /// ln P(X ≥ k) for X ~ Hypergeometric(population, successes, draws): the chance that a random set of
    /// <paramref name="draws"/> samples holds at least <paramref name="k"/> of the <paramref name="successes"/>
    /// samples with a value. The first term comes from log-gamma; each next term from the exact ratio
    /// pmf(x+1)/pmf(x) = (K−x)(n−x) / ((x+1)(N−K−n+x+1)), summed with a running maximum (log-sum-exp).
    /// </summary>
    public static double LogHypergeometricUpperTail(long population, long successes, long draws, long k)
    {
        if (population < 0 || successes < 0 || draws < 0 || successes > population || draws > population)
            throw new ArgumentOutOfRangeException(nameof(population), $"hypergeometric({population}, {successes}, {draws}) is not defined");
        long low = Math.Max(0, draws - (population - successes)), high = Math.Min(draws, successes);
        if (k <= low) return 0;
        if (k > high) return double.NegativeInfinity;
        double logTerm = LogChoose(successes, k) + LogChoose(population - successes, draws - k) - LogChoose(population, draws);
        double max = logTerm, sum = 1; // sum of exp(term - max)
        for (long x = k; x < high; x++)
        {
            logTerm += Math.Log((double)(successes - x) * (draws - x)) - Math.Log((double)(x + 1) * (population - successes - draws + x + 1));
            if (logTerm > max)
            {
                sum = sum * Math.Exp(max - logTerm) + 1;
                max = logTerm;
            }
            else sum += Math.Exp(logTerm - max);
            if (logTerm < max - 40) break; // the rest of a decreasing tail adds less than 1e-17 relative
        }
        return Math.Min(0, max + Math.Log(sum));
    }

    /// <summary>P(X ≥ k) for X ~ Hypergeometric(population, successes, draws); see <see cref="LogHypergeometricUpperTail"/>.</summary>
    public static double HypergeometricUpperTail(long population, long successes, long draws, long k) =>
        Math.Exp(LogHypergeometricUpperTail(population, successes, draws, k));

    /// <summary>
    /// Log odds ratio of a 2×2 table with 0.5 added to every cell (Haldane–Anscombe), so a value that
    /// every member has, or none, still gets a finite ratio: ln((a+½)(d+½) / ((b+½)(c+½))), where a = members
    /// with the value, b = members without, c = others with, d = others without.
    /// </summary>
    public static double LogOddsRatio(long membersWith, long members, long totalWith, long total)
    {
        double a = membersWith, b = members - membersWith, c = totalWith - membersWith, d = total - members - c;
        if (b < 0 || c < 0 || d < 0) throw new ArgumentOutOfRangeException(nameof(membersWith), "counts do not form a 2×2 table");
        return Math.Log((a + 0.5) * (d + 0.5)) - Math.Log((b + 0.5) * (c + 0.5));
    }

    /// <summary>
    /// Benjamini–Hochberg adjusted p-values (q-values) for m tests: q(i) = min over j ≥ i of p(j)·m/j in
    /// ascending order of p, capped at 1. A value with q ≤ α is a discovery at false discovery rate α.
    /// <paramref name="tests"/> may exceed the number of p-values given, for tests whose p-value is 1
    /// and so were not computed.
    /// </summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues, long? tests = null) =>
        // ln q ≥ ln p exactly, but exp(ln p) can round one ulp below p (8/201 does): q is held at p or above, which keeps
        // it monotone in p (the larger of two sequences that both rise with p).
        BenjaminiHochbergLog(pValues.Select(p => Math.Log(p)).ToArray(), tests).Select((q, i) => Math.Max(pValues[i], Math.Exp(q))).ToArray();

    /// <summary>
    /// <see cref="BenjaminiHochberg"/> on natural-log p-values, returning ln q: p-values below 1e-308 (a
    /// large group sharing a rare value) keep their order instead of all becoming 0.
    /// </summary>
    public static double[] BenjaminiHochbergLog(IReadOnlyList<double> logP, long? tests = null)
    {
        int count = logP.Count;
        long m = tests ?? count;
        if (m < count) throw new ArgumentOutOfRangeException(nameof(tests), "fewer tests than p-values");
        var order = Enumerable.Range(0, count).OrderBy(i => logP[i]).ThenBy(i => i).ToArray();
        var q = new double[count];
        double running = 0; // ln 1: q-values are capped at 1
        for (int rank = count; rank >= 1; rank--)
        {
            int i = order[rank - 1];
            running = Math.Min(running, logP[i] + Math.Log((double)m / rank));
            q[i] = running;
        }
        return q;
    }

    /// <summary>
    /// Mid-ranks of values (1-based; tied values share the mean of their ranks; NaN gets NaN) and the tie
    /// term Σ(t³ − t) over groups of t tied values, which the rank-sum variance needs.
    /// </summary>
    public static (double[] Ranks, double TieTerm, int Count) MidRanks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).Where(i => !double.IsNaN(values[i])).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        Array.Fill(ranks, double.NaN);
        double tieTerm = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end < order.Length && values[order[end]] == values[order[start]]) end++;
            double meanRank = (start + 1 + end) / 2.0; // the ranks start+1 .. end
            for (int j = start; j < end; j++) ranks[order[j]] = meanRank;
            double t = end - start;
            tieTerm += t * t * t - t;
            start = end;
        }
        return (ranks, tieTerm, order.Length);
    }

    /// <summary>
    /// Mann–Whitney rank-sum z-score of a group of <paramref name="groupSize"/> values whose mid-ranks sum
    /// to <paramref name="groupRankSum"/>, among <paramref name="count"/> ranked values: positive when the
    /// group ranks higher than the rest. The variance is corrected for ties; no continuity correction.
    /// Zero when either side is empty or every value is tied.
    /// </summary>
    public static double RankSumZ(double groupRankSum, long groupSize, long count, double tieTerm)
    {
        long n1 = groupSize, n2 = count - groupSize;
        if (n1 <= 0 || n2 <= 0) return 0;
        double u = groupRankSum - n1 * (n1 + 1) / 2.0;
        double variance = n1 * n2 / 12.0 * (count + 1 - tieTerm / ((double)count * (count - 1)));
        return variance <= 0 ? 0 : (u - n1 * n2 / 2.0) / Math.Sqrt(variance);
    }

    /// <summary>
    /// The rank-sum z of a group ranked within strata (labels): each stratum's Mann–Whitney statistic minus its expectation,
    /// summed, over the square root of their summed tie-corrected variances (van Elteren's test with equal weights), so the
    /// group is compared only with samples of its own strata. Zero when no stratum holds both group and other samples.
    /// </summary>
    public static double StratifiedRankSumZ(IEnumerable<(double GroupRankSum, long GroupSize, long Count, double TieTerm)> strata)
    {
        double excess = 0, variance = 0;
        foreach (var (rankSum, n1, count, tieTerm) in strata)
        {
            long n2 = count - n1;
            if (n1 <= 0 || n2 <= 0) continue;
            excess += rankSum - n1 * (n1 + 1) / 2.0 - n1 * n2 / 2.0;
            variance += n1 * n2 / 12.0 * (count + 1 - tieTerm / ((double)count * (count - 1)));
        }
        return variance <= 0 ? 0 : excess / Math.Sqrt(variance);
    }

    /// <summary>Two-sided p-value of a standard normal z: erfc(|z|/√2).</summary>
    public static double TwoSidedNormalP(double z) => SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2));
}
