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

    /// <summary>The label bars' track in a light window, and in a dark one (on dark.css's cards).</summary>
    public const string LightTrack = "#f0f2f6", DarkTrack = "#2a3441";

    /// <summary>What a bar's rim reaches against its track: WCAG 1.4.11's 3:1 and a margin, as the maps' rims (maps.js).</summary>
    public const double RimContrast = 3.1;

    /// <summary>
    /// One CSS class per colour (fill for SVG, background for HTML); .cx is the last, "other", colour. Then the label bars'
    /// track and each colour's rim on it, in a light window and a dark one: seven fills had stood at 1.4–2.8:1 on the light
    /// track (#b2df8a, #edc948, …) and the dark ones (#000080, #3e2723) all but vanished on the dark track.
    /// </summary>
    public static string Css()
    {
        var css = new StringBuilder();
        for (int c = 0; c < Colours.Length; c++)
            css.Append(CultureInfo.InvariantCulture, $"{Selector("", c)}{{fill:{Colours[c]};background:{Colours[c]}}}\n");
        css.Append(BarRims(LightTrack));
        css.Append("@media screen and (prefers-color-scheme:dark){").Append(BarRims(DarkTrack)).Append("}\n");
        return css.ToString();
    }

    private static string Selector(string within, int c) => $"{within}.c{c}{(c == Colours.Length - 1 ? $",{within}.cx" : "")}";

    /// <summary>The bars' track and, for each colour, the rim report.css draws round its bar (.hbar i).</summary>
    private static string BarRims(string track)
    {
        // --fade: the track at 30% over an unconfirmed concept's fills (report.css), as opacity .7 over the track, rims kept.
        int[] rgb = Rgb(track);
        var css = new StringBuilder($".hbar{{background:{track};--fade:rgba({rgb[0]},{rgb[1]},{rgb[2]},.3)}}\n");
        for (int c = 0; c < Colours.Length; c++)
            css.Append(Selector(".hbar ", c)).Append("{border-color:").Append(Rim(Colours[c], track)).Append("}\n");
        return css.ToString();
    }

    /// <summary>
    /// The colour moved in steps of 2% towards black on a light track, towards white on a dark one, until it stands out from
    /// the track at <see cref="RimContrast"/>; a colour that already does is its own rim. A shade of the bar's own colour, as
    /// the maps' points have: the fill, which tells the labels apart, stays. maps.js's rimOf is this rule on the maps' light
    /// panel, for colours the page makes (the ramp's, the images' hues); PaletteRimBrowserTests checks the two agree, so a
    /// change here is made there too. Halves round up, as JavaScript's Math.round does.
    /// </summary>
    public static string Rim(string colour, string track)
    {
        var (fill, back) = (Rgb(colour), Rgb(track));
        bool darken = Luminance(back) > 0.18;  // the middle grey's luminance: darker towards a light track
        for (int step = 0; step <= 50; step++)
        {
            double t = 1 - step / 50.0;
            var rim = fill.Select(v => (int)Math.Round(darken ? v * t : 255 - (255 - v) * t, MidpointRounding.AwayFromZero)).ToArray();
            if (Contrast(rim, back) >= RimContrast) return $"#{rim[0]:x2}{rim[1]:x2}{rim[2]:x2}";
        }
        return darken ? "#000000" : "#ffffff";
    }

    /// <summary>WCAG's contrast ratio between two colours.</summary>
    private static double Contrast(int[] a, int[] b)
    {
        double x = Luminance(a), y = Luminance(b);
        return (Math.Max(x, y) + 0.05) / (Math.Min(x, y) + 0.05);
    }

    /// <summary>WCAG's relative luminance of an sRGB colour.</summary>
    private static double Luminance(int[] rgb)
    {
        double[] weights = [0.2126, 0.7152, 0.0722];
        double sum = 0;
        for (int i = 0; i < 3; i++)
        {
            double v = rgb[i] / 255.0;
            sum += weights[i] * (v <= 0.03928 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4));
        }
        return sum;
    }

    private static int[] Rgb(string hex) => [Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16)];
}
