using System.Numerics;
using RepDiff.Metrics;

namespace RepDiff.Tests.Metrics;

/// <summary>The hypergeometric tail, log odds ratio, rank-sum z and Benjamini–Hochberg against exact sums and scipy.</summary>
public class StatisticsTests
{
    /// <summary>P(X ≥ k) summed exactly in rationals: Σ C(K,x) C(N−K,n−x) / C(N,n).</summary>
    private static double ExactUpperTail(int population, int successes, int draws, int k)
    {
        static BigInteger Choose(int n, int r)
        {
            if (r < 0 || r > n) return BigInteger.Zero;
            BigInteger c = BigInteger.One;
            for (int i = 1; i <= r; i++) c = c * (n - r + i) / i;
            return c;
        }
        BigInteger sum = BigInteger.Zero;
        for (int x = Math.Max(k, 0); x <= Math.Min(draws, successes); x++) sum += Choose(successes, x) * Choose(population - successes, draws - x);
        BigInteger all = Choose(population, draws);
        // Scale so the quotient keeps 17+ significant digits, then divide in doubles.
        int shift = Math.Max(0, (int)(all.GetBitLength() - sum.GetBitLength()) + 64);
        return (double)((sum << shift) / all) / Math.Pow(2, shift);
    }

    [Theory]
    [InlineData(8, 4, 4, 3)]
    [InlineData(60, 12, 20, 9)]
    [InlineData(500, 40, 60, 15)]
    [InlineData(1797, 180, 40, 12)]
    [InlineData(2000, 900, 700, 400)]
    [InlineData(300, 30, 30, 0)]
    [InlineData(300, 30, 30, 30)]
    public void HypergeometricTailMatchesTheExactSum(int population, int successes, int draws, int k)
    {
        double exact = ExactUpperTail(population, successes, draws, k);
        double got = Statistics.HypergeometricUpperTail(population, successes, draws, k);
        Assert.Equal(1, got / exact, 1e-10);
    }

    /// <summary>scipy 1.10.1: hypergeom.sf(k - 1, N, K, n) and hypergeom.logsf (Debian's python3-scipy, run once).</summary>
    [Theory]
    [InlineData(8, 4, 4, 3, -1.4152818979931439)]           // Fisher's tea tasting: 17/70
    [InlineData(10000, 600, 100, 73, -155.22456824940397)]
    [InlineData(100000, 5000, 2000, 150, -14.128682508628565)]
    [InlineData(1000, 500, 500, 260, -2.165103189346874)]
    [InlineData(50, 10, 20, 0, 0.0)]
    [InlineData(100000, 6000, 1000, 900, -2282.451007537624)] // sf underflows to 0 in doubles; its log does not
    public void LogTailMatchesScipy(int population, int successes, int draws, int k, double scipyLogSf)
    {
        Assert.Equal(scipyLogSf, Statistics.LogHypergeometricUpperTail(population, successes, draws, k), 1e-9 * Math.Max(1, Math.Abs(scipyLogSf)));
        Assert.Equal(17.0 / 70, Statistics.HypergeometricUpperTail(8, 4, 4, 3), 1e-13);
    }

    [Fact]
    public void LogOddsRatioAddsAHalfToEveryCell()
    {
        // 73 of 100 members, 600 of 10,000 samples: a = 73, b = 27, c = 527, d = 9373.
        Assert.Equal(Math.Log(73.5 * 9373.5 / (27.5 * 527.5)), Statistics.LogOddsRatio(73, 100, 600, 10000), 1e-12);
        Assert.True(double.IsFinite(Statistics.LogOddsRatio(10, 10, 10, 100))); // every member and only members: still finite
    }

    [Fact]
    public void BenjaminiHochbergByHand()
    {
        // Sorted 0.005, 0.01, 0.03, 0.04; p·m/rank = 0.02, 0.02, 0.04, 0.04; running minimum from the top.
        var q = Statistics.BenjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
        Assert.Equal([0.02, 0.04, 0.04, 0.02], q.Select(v => Math.Round(v, 12)));
        // A large p early in the order never lowers: [0.9, 0.8] with m = 2 gives 0.9 for both.
        Assert.Equal([0.9, 0.9], Statistics.BenjaminiHochberg([0.9, 0.8]).Select(v => Math.Round(v, 12)));
        // Untested values count toward m.
        Assert.Equal(0.05, Statistics.BenjaminiHochberg([0.01], tests: 5)[0], 12);
    }

    [Fact]
    public void BenjaminiHochbergNeverAdjustsBelowTheRawValue()
    {
        // Held-out p-values are multiples of 1/201; for 14 of them exp(ln p) rounds one ulp below p, so the largest
        // of a family (whose q is p itself) came back smaller than p, and results.json said p_adjusted < p_value.
        for (int k = 1; k <= 201; k++)
            for (int others = 0; others <= 3; others++)
            {
                double p = k / 201.0;
                var family = Enumerable.Range(1, others).Select(j => j / 201.0).Append(p).ToArray();
                var q = Statistics.BenjaminiHochberg(family);
                for (int i = 0; i < family.Length; i++)
                    Assert.True(q[i] >= family[i] && q[i] <= 1, $"p = {family[i]:R} gave q = {q[i]:R} in a family of {family.Length}");
            }
    }

    // Twenty values with ties and a group of seven of them, ranked as the rank-sum tests rank them.
    private static readonly double[] Values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4];
    private static readonly int[] Group = [0, 2, 4, 5, 11, 12, 14];

    private static (double RankSum, double TieTerm, int Count) RankedGroup()
    {
        var (ranks, tieTerm, count) = Statistics.MidRanks(Values);
        return (Group.Sum(i => ranks[i]), tieTerm, count);
    }

    [Fact]
    public void RankSumMatchesScipysMannWhitney()
    {
        // scipy 1.10.1: mannwhitneyu(x[g], x[rest], method='asymptotic', use_continuity=False) -> U = 73.5, p = 0.025261343750385145
        int[] group = Group;
        var (rankSum, tieTerm, count) = RankedGroup();
        Assert.Equal(73.5, rankSum - group.Length * (group.Length + 1) / 2.0, 12);
        double z = Statistics.RankSumZ(rankSum, group.Length, count, tieTerm);
        Assert.True(z > 0);
        Assert.Equal(0.025261343750385145, Statistics.TwoSidedNormalP(z), 1e-12);
    }

    /// <summary>
    /// The stratified rank-sum: one stratum is the plain rank-sum z; two strata add their excesses and variances (worked by
    /// hand: ranks 1..4 with the group at 3 and 4, excess 2 and variance 4/3 each; together z = 4/√(8/3)); a stratum
    /// with only group members adds nothing.
    /// </summary>
    [Fact]
    public void TheStratifiedRankSumAddsEachStratumsExcessAndVariance()
    {
        var (rankSum, tieTerm, count) = RankedGroup();
        Assert.Equal(Statistics.RankSumZ(rankSum, Group.Length, count, tieTerm), Statistics.StratifiedRankSumZ([(rankSum, Group.Length, count, tieTerm)]), 12);
        // Each stratum: four values ranked 1..4, the group holding ranks 3 and 4: U − n1·n2/2 = 4 − 2 = 2, variance 2·2·5/12.
        Assert.Equal(4 / Math.Sqrt(2 * 2 * 2 * 5 / 12.0), Statistics.StratifiedRankSumZ([(7, 2, 4, 0), (7, 2, 4, 0)]), 12);
        Assert.Equal(Statistics.StratifiedRankSumZ([(7, 2, 4, 0)]), Statistics.StratifiedRankSumZ([(7, 2, 4, 0), (6, 3, 3, 0)]), 12);
        Assert.Equal(0, Statistics.StratifiedRankSumZ([(6, 3, 3, 0)]));
    }
}
