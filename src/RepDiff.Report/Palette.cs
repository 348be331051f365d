using System.Globalization;
using System.Text;

namespace RepDiff.Report;

/// <summary>
/// Label colours shared by the maps, histograms and box plots (Tableau 10, then grey for the rest):
/// defined here once; the page's .c0 … .c10 and .cx classes are generated from it.
/// </summary>
public static class Palette
{
    public static readonly string[] Colours =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#8c8c8c"];

    public static int Count => Colours.Length;

    /// <summary>One CSS class per colour (fill for SVG, background for HTML); .cx is the last, "other", colour.</summary>
    public static string Css()
    {
        var css = new StringBuilder();
        for (int c = 0; c < Colours.Length; c++)
            css.Append(CultureInfo.InvariantCulture, $".c{c}{(c == Colours.Length - 1 ? ",.cx" : "")}{{fill:{Colours[c]};background:{Colours[c]}}}\n");
        return css.ToString();
    }
}
