using System.Globalization;
using System.Text;

namespace RepDiff.Report;

/// <summary>
/// Label colours shared by the maps, histograms and box plots: Tableau 10, then nine more picked greedily from a pool of
/// common chart colours for the largest CIEDE2000 distance to those, to each other and to the greys (the smallest between
/// any two of the nineteen is 17.7, where Tableau 20's lighter and darker shades came within 9.1 and blurred on the maps),
/// then a dark grey for the rest (17.8 from every colour; Tableau's mid grey was 12.7 from its own warm grey, #bab0ac). Defined here once; the page's .c0 … .c19 and .cx classes are generated from it.
/// </summary>
public static class Palette
{
    public static readonly string[] Colours =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
         "#000080", "#004d40", "#3e2723", "#880e4f", "#827717", "#800000", "#b2df8a", "#008080", "#6a3d9a", "#6b6b6b"];

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
