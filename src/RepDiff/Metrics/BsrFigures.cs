using System.Globalization;

namespace RepDiff.Metrics;

/// <summary>
/// A BSR figure and its chance level (<see cref="BsrChance"/>) as written side by side everywhere they stand together (the
/// report's table, chips and cards, the demo's index, the terminal, the findings): both to the same decimals, at least the
/// place's own, more where those would show them equal or would show either figure with fewer than two significant digits.
/// MNED's 0.99981 beside a chance of 0.99952 read "1.000 / 1.000" at three decimals, hiding the gap the figure exists to
/// show; it reads "0.9998 / 0.9995". MNED's 0.0003 beside 0.0005 read "0.000 / 0.001": apart, but as if the BSR were
/// zero and the gap five times its size; two significant digits each keep the ratio within a few per cent: "0.00030 /
/// 0.00050". Figures of 0.01 or more already have two at three decimals, so they read as before. Rounding keeps order, so
/// figures that read apart read the right way round. Still equal at <see cref="MostDecimals"/>: <see cref="Equal"/>, both
/// at the decimals their size needs, for the caller to say so in words rather than print more digits.
/// </summary>
public readonly record struct BsrFigures(string Bsr, string Chance, bool Equal)
{
    /// <summary>The most decimals shown: beyond six, a difference is below the chance level's own sampling error by far.</summary>
    public const int MostDecimals = 6;

    public static BsrFigures Of(double bsr, double chance, int fewest = 3)
    {
        int readable = Math.Max(Readable(bsr, fewest), Readable(chance, fewest));
        for (int decimals = readable; decimals <= MostDecimals; decimals++)
        {
            string b = Fixed(bsr, decimals), c = Fixed(chance, decimals);
            if (b != c) return new BsrFigures(b, c, Equal: false);
        }
        return new BsrFigures(Fixed(bsr, readable), Fixed(chance, readable), Equal: true);
    }

    /// <summary>
    /// The mean of the two sides' BSRs beside the mean of their chance levels (the report's mean column, the demo's index),
    /// equal only where every side is equal to its own: on minilm against arctic, k-means's MNED sides of 0 and 1 beside
    /// 0.0005 and 0.9995 average to 0.5 and 0.5, and "= chance" read as if each side were at chance, when one is below its
    /// level and the other above. Such a mean reads "0.500 / 0.500", figures equal yet not said to be at chance. A side
    /// without a BSR or a chance level is not known to be equal.
    /// </summary>
    public static BsrFigures OfMean(double mean, double meanChance, IEnumerable<(double? Bsr, double? Chance)> sides)
    {
        var f = Of(mean, meanChance);
        return f.Equal && !sides.All(s => s is (double b, double c) && Of(b, c).Equal) ? f with { Equal = false } : f;
    }

    /// <summary>The decimals, from <paramref name="fewest"/> up to six, at which <paramref name="x"/> shows two significant digits (zero needs none).</summary>
    private static int Readable(double x, int fewest)
    {
        int decimals = fewest;
        while (decimals < MostDecimals && x != 0 && SignificantDigits(Fixed(x, decimals)) < 2) decimals++;
        return decimals;
    }

    private static int SignificantDigits(string figure) => figure.Where(char.IsAsciiDigit).SkipWhile(d => d == '0').Count();

    private static string Fixed(double x, int decimals) => x.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
