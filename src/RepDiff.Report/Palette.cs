using System.Globalization;
using System.Text;

namespace RepDiff.Report;

/// <summary>
/// Label colours shared by the maps, histograms and box plots: Tableau 10, then nine of Tableau 20's other colours that
/// stay apart from those (so the demo's 15 Brown genres each get one, as matplotlib's tab20 would give them), then grey
/// for the rest. Defined here once; the page's .c0 … .c19 and .cx classes are generated from it.
/// </summary>
public static class Palette
{
    public static readonly string[] Colours =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
         "#a0cbe8", "#ffbe7d", "#8cd17d", "#b6992d", "#499894", "#d37295", "#d4a6c8", "#d7b5a6", "#2f4b7c", "#8c8c8c"];

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
