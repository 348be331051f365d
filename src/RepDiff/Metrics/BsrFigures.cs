using System.Globalization;

namespace RepDiff.Metrics;

/// <summary>
/// A BSR figure and its chance level (<see cref="BsrChance"/>) as written side by side everywhere they stand together (the
/// report's table, chips and cards, the demo's index, the terminal, the findings): both to the same decimals, at least the
/// place's own, more where those would show them equal. MNED's 0.99981 beside a chance of 0.99952 read "1.000 / 1.000" at
/// three decimals, hiding the gap the figure exists to show; it reads "0.9998 / 0.9995". Rounding keeps order, so figures
/// that read apart read the right way round. Still equal at <see cref="MostDecimals"/>: <see cref="Equal"/>, both at the
/// place's decimals, for the caller to say so in words rather than print more digits.
/// </summary>
public readonly record struct BsrFigures(string Bsr, string Chance, bool Equal)
{
    /// <summary>The most decimals shown: beyond six, a difference is below the chance level's own sampling error by far.</summary>
    public const int MostDecimals = 6;

    public static BsrFigures Of(double bsr, double chance, int fewest = 3)
    {
        for (int decimals = fewest; decimals <= MostDecimals; decimals++)
        {
            string b = Fixed(bsr, decimals), c = Fixed(chance, decimals);
            if (b != c) return new BsrFigures(b, c, Equal: false);
        }
        return new BsrFigures(Fixed(bsr, fewest), Fixed(chance, fewest), Equal: true);
    }

    private static string Fixed(double x, int decimals) => x.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
