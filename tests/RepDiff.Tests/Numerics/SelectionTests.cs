using RepDiff.Numerics;

namespace RepDiff.Tests.Numerics;

/// <summary>The radix median agrees with sorting, whatever the signs, ties and parity of the count.</summary>
public class SelectionTests
{
    [Theory]
    [InlineData(2, "spread")]
    [InlineData(7, "spread")]     // 21 entries: odd count
    [InlineData(40, "spread")]    // 780 entries: even count
    [InlineData(41, "ties")]      // few distinct values, middle ranks inside one value
    [InlineData(33, "signs")]     // negative, zero and positive entries, −0 included
    [InlineData(60, "close")]     // values within one high-16-bit bucket
    public void MedianAboveDiagonalEqualsTheSortedMiddle(int n, string kind)
    {
        var rng = new Random(n);
        var m = new Matrix(n, n);
        for (int i = 0; i < m.Data.Length; i++)
            m.Data[i] = kind switch
            {
                "ties" => rng.Next(3),
                "signs" => rng.Next(5) == 0 ? -0f : (float)(rng.NextDouble() * 2 - 1),
                "close" => 1 + (float)rng.NextDouble() * 1e-3f,
                _ => (float)(rng.NextDouble() * 100),
            };
        var upper = new List<double>();
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) upper.Add(m[i, j]);
        upper.Sort();
        int c = upper.Count;
        double Median(Func<double, double> f) => c % 2 == 1 ? f(upper[c / 2]) : (f(upper[c / 2 - 1]) + f(upper[c / 2])) / 2;
        Assert.Equal(Median(v => v), Selection.MedianAboveDiagonal(m, v => v));
        // f is applied to the middle entries before averaging, as numpy's median of f(d) does.
        Assert.Equal(Median(v => Math.Sqrt(v + 10)), Selection.MedianAboveDiagonal(m, v => Math.Sqrt(v + 10)));
    }
}
