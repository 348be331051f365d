using System.Globalization;
using System.Text;

namespace RepDiff.Report;

/// <summary>
/// Draws the side-by-side 2-D maps from the model's coordinates, as SVG with one circle per plotted
/// sample (data-i = sample index) so the page can highlight a concept's members in both maps.
/// </summary>
public static class Maps
{
    private const double Width = 360, Height = 300, Pad = 8;

    /// <summary>The SVG map of one representation: sample samples[k] at (x[k], y[k]); labelCodes (or null) colour the points.</summary>
    public static string Svg(string side, int[] samples, float[] x, float[] y, int[]? labelCodes)
    {
        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        for (int k = 0; k < samples.Length; k++)
        {
            (minX, maxX) = (Math.Min(minX, x[k]), Math.Max(maxX, x[k]));
            (minY, maxY) = (Math.Min(minY, y[k]), Math.Max(maxY, y[k]));
        }
        double scale = Math.Min((Width - 2 * Pad) / Math.Max(maxX - minX, 1e-12), (Height - 2 * Pad) / Math.Max(maxY - minY, 1e-12));
        double offX = (Width - scale * (maxX - minX)) / 2, offY = (Height - scale * (maxY - minY)) / 2;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"map\" data-side=\"{side}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"map of {side.ToUpperInvariant()}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"frame\" x=\"0.5\" y=\"0.5\" width=\"{Width - 1}\" height=\"{Height - 1}\" rx=\"6\"/>");
        for (int k = 0; k < samples.Length; k++)
        {
            double cx = offX + scale * (x[k] - minX), cy = Height - (offY + scale * (y[k] - minY));
            int colour = labelCodes is null ? -1 : Math.Min(labelCodes[samples[k]], Palette.Count - 1);
            svg.Append(CultureInfo.InvariantCulture, $"<circle data-i=\"{samples[k]}\" cx=\"{cx:F1}\" cy=\"{cy:F1}\" r=\"2.6\" class=\"c{(colour < 0 ? "x" : colour.ToString(CultureInfo.InvariantCulture))}\"/>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }
}
