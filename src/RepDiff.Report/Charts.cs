using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace RepDiff.Report;

/// <summary>The small plots of the report: eigenvalue spectra, label histograms, the difference heatmap.</summary>
public static class Charts
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A bar chart of eigenvalues in the given order, positive bars up and negative bars down.</summary>
    public static string Spectrum(double[] values, int maxBars = 60)
    {
        var shown = values.Take(maxBars).ToArray();
        const double width = 560, height = 170, right = 8, top = 10, bottom = 22;
        double max = Math.Max(shown.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max(), 1e-300);
        bool hasNegative = shown.Any(v => v < 0), hasPositive = shown.Any(v => v > 0);
        double hi = hasPositive ? max : 0, lo = hasNegative ? -max : 0;
        if (hi == lo) hi = 1;
        // The axis is as wide as its longest tick (about 6 units a character at the ticks' 10 px): a fixed 46 had cut
        // SPEC's "-0.000906" to ".000906", so a negative axis read as positive.
        double left = Math.Max(46, 8 + 6 * new[] { hi, lo }.Max(t => t.ToString("G3", Inv).Length));
        double Y(double v) => top + (hi - v) / (hi - lo) * (height - top - bottom);
        double barWidth = (width - left - right) / Math.Max(shown.Length, 1);
        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg class=\"spectrum\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"eigenvalue spectrum\">");
        foreach (double tick in new[] { hi, 0.0, lo }.Distinct())
            svg.Append(Inv, $"<line class=\"grid\" x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(tick):F1}\" y2=\"{Y(tick):F1}\"/><text class=\"tick\" x=\"{left - 4}\" y=\"{Y(tick) + 3:F1}\" text-anchor=\"end\">{tick:G3}</text>");
        for (int k = 0; k < shown.Length; k++)
        {
            double v = double.IsFinite(shown[k]) ? shown[k] : 0;
            double y0 = Y(0), y1 = Y(v);
            svg.Append(Inv, $"<rect class=\"{(v >= 0 ? "pos" : "neg")}\" x=\"{left + k * barWidth + barWidth * 0.1:F1}\" y=\"{Math.Min(y0, y1):F1}\" width=\"{barWidth * 0.8:F1}\" height=\"{Math.Max(Math.Abs(y1 - y0), 0.5):F1}\"><title>λ{k + 1} = {shown[k]:G5}</title></rect>");
        }
        svg.Append(Inv, $"<text class=\"tick\" x=\"{left}\" y=\"{height - 6}\">1</text><text class=\"tick\" x=\"{width - right}\" y=\"{height - 6}\" text-anchor=\"end\">{shown.Length}</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Horizontal bars: how many of a concept's members carry each label (the 6 most common, then "other").</summary>
    public static string LabelHistogram(SampleLabels labels, IReadOnlyDictionary<string, int> counts)
    {
        int total = counts.Values.Sum();
        if (total == 0) return "";
        var ordered = counts.OrderByDescending(kv => kv.Value).ToList();
        int other = ordered.Skip(6).Sum(kv => kv.Value);
        int max = Math.Max(ordered[0].Value, other);  // "other" can outnumber every label shown; its bar must not spill past 100%
        // The widest count ("1,204 (80%)") in characters, as report.css's --hnum, the room the names' column leaves it: such a
        // count is narrower than 1ch a character (its digits are 1ch, the comma, space and smaller per cent narrower on the whole).
        int countChars = ordered.Take(6).Select(kv => kv.Value).Append(other).Max(count => CountText(count, total).Length);
        var html = new StringBuilder().Append(Inv, $"<div class=\"hist\" style=\"--hnum:{countChars}ch\">");
        foreach (var (name, count) in ordered.Take(6))
        {
            int code = Array.IndexOf(labels.Names, name);
            Bar(html, SampleLabels.Shown(name), count, max, total, code < 0 ? "cx" : $"c{Math.Min(code, Palette.Count - 1)}");
        }
        if (other > 0) Bar(html, "other", other, max, total, "cx");
        return html.Append("</div>").ToString();
    }

    /// <summary>
    /// One label's row: its name (wrapping, report.css; long ones end in an ellipsis), bar and count, the whole row titled with the
    /// name and count, so a name the card cuts is read whole on hover of its name, bar or number. The name is isolated, in its
    /// cell and in the title, so a right-to-left name keeps its own order and leaves the count after it.
    /// </summary>
    private static void Bar(StringBuilder html, string name, int count, int max, int total, string colourClass)
        => html.Append(Inv, $"<div class=\"hrow\" title=\"{HtmlReport.EIsolated(name)}: {count:N0} of {total:N0} members ({100.0 * count / total:F0}%)\"><span class=\"hname\"><bdi>{WordBreaks(HtmlReport.E(name))}</bdi></span><span class=\"hbar\"><i class=\"{colourClass}\" style=\"width:{100.0 * count / max:F1}%\"></i></span><span class=\"hnum\">{count:N0} <small>({100.0 * count / total:F0}%)</small></span></div>");

    private static string CountText(int count, int total) => string.Create(Inv, $"{count:N0} ({100.0 * count / total:F0}%)");

    /// <summary>
    /// Where a sample's id, image file or label may break inside a word: after each of these characters, in a card's list of
    /// samples (HtmlReport) and in the member list, whose script is given them in the page data (SampleData).
    /// </summary>
    internal const string SampleBreaks = "/_-.";

    /// <summary>
    /// Escaped text with a line break allowed after each of <paramref name="after"/>: a label's name after "_" and "/"
    /// ("science_<wbr>fiction"; the browser breaks at a space or "-" of itself), a card's sample id and label after
    /// <see cref="SampleBreaks"/> (HtmlReport). report.css breaks nowhere else inside a word: a word wider than its column ends
    /// in "…". The escapes (&amp;amp;, &amp;#233;) hold none of these characters.
    /// </summary>
    internal static string WordBreaks(string escaped, string after = "_/")
    {
        var s = new StringBuilder(escaped.Length + 16);
        foreach (char ch in escaped)
        {
            s.Append(ch);
            if (after.Contains(ch)) s.Append("<wbr>");
        }
        return s.ToString();
    }

    /// <summary>
    /// Box plots of a concept's coefficient per label (whiskers q10–q90, box q25–q75, median line),
    /// from a view { label: { q10, q25, median, q75, q90, ... } }: shows how selective a concept is.
    /// </summary>
    public static string CoefficientBoxes(JsonObject byLabel, SampleLabels? labels)
    {
        var rows = new List<(string Name, double Q10, double Q25, double Median, double Q75, double Q90)>();
        foreach (var (name, node) in byLabel)
        {
            if (node is not JsonObject q) continue;
            double Get(string key) => q[key] is JsonValue v && v.TryGetValue(out double x) && double.IsFinite(x) ? x : double.NaN;
            var row = (name, Get("q10"), Get("q25"), Get("median"), Get("q75"), Get("q90"));
            if (!double.IsNaN(row.Item2) && !double.IsNaN(row.Item6)) rows.Add(row);
        }
        if (rows.Count == 0) return "";
        rows = rows.Take(12).ToList();
        double lo = Math.Min(0, rows.Min(r => r.Q10)), hi = Math.Max(rows.Max(r => r.Q90), lo + 1e-12);
        const double width = 200, left = 40, right = 4, rowHeight = 11;
        double height = rows.Count * rowHeight + 14;
        double X(double v) => left + (v - lo) / (hi - lo) * (width - left - right);
        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg class=\"boxes\" viewBox=\"0 0 {width} {height:F0}\" role=\"img\" aria-label=\"coefficient by label\">");
        svg.Append(Inv, $"<line class=\"zero\" x1=\"{X(0):F1}\" x2=\"{X(0):F1}\" y1=\"0\" y2=\"{height - 12:F0}\"/>");
        for (int k = 0; k < rows.Count; k++)
        {
            var r = rows[k];
            double y = k * rowHeight + 5.5;
            int code = labels is null ? -1 : Array.IndexOf(labels.Names, r.Name);
            string colour = code < 0 ? "cx" : $"c{Math.Min(code, Palette.Count - 1)}";
            svg.Append(Inv, $"<text class=\"tick\" x=\"{left - 4}\" y=\"{y + 3:F1}\" text-anchor=\"end\">{HtmlReport.E(HtmlReport.Head(r.Name, 7))}</text>");
            svg.Append(Inv, $"<line class=\"whisker\" x1=\"{X(r.Q10):F1}\" x2=\"{X(r.Q90):F1}\" y1=\"{y:F1}\" y2=\"{y:F1}\"/>");
            svg.Append(Inv, $"<rect class=\"{colour}\" x=\"{X(r.Q25):F1}\" y=\"{y - 3.5:F1}\" width=\"{Math.Max(X(r.Q75) - X(r.Q25), 1):F1}\" height=\"7\"><title>{HtmlReport.EIsolated(SampleLabels.Shown(r.Name))}: median {r.Median:G3}, q25–q75 {r.Q25:G3}–{r.Q75:G3}, q10–q90 {r.Q10:G3}–{r.Q90:G3}</title></rect>");
            svg.Append(Inv, $"<line class=\"median\" x1=\"{X(r.Median):F1}\" x2=\"{X(r.Median):F1}\" y1=\"{y - 4:F1}\" y2=\"{y + 4:F1}\"/>");
        }
        svg.Append(Inv, $"<text class=\"tick\" x=\"{left}\" y=\"{height - 2:F0}\">{lo:G3}</text><text class=\"tick\" x=\"{width - right}\" y=\"{height - 2:F0}\" text-anchor=\"end\">{hi:G3}</text>");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// A method's difference matrix (<see cref="RepDiff.Heatmap"/>: its own values on a subsample ordered by
    /// cluster) as a PNG: red where the pair is closer in the explained representation, blue the reverse,
    /// colours saturating at the 98th percentile of |value|; dark lines at the cluster boundaries.
    /// Returns the PNG, its size and the cluster blocks (positions in the ordered subsample).
    /// </summary>
    public static (byte[] Png, int Size, List<(int Label, int Start, int Count)> Blocks) DifferenceHeatmap(Heatmap heatmap)
    {
        int m = heatmap.Samples.Length;
        var g = heatmap.Values;
        // Array.Sort on the floats themselves: LINQ's Order() sorted an index map through a key comparer, a percent of a
        // 500-sample rdx run's CPU. Both order NaN first, so the percentile is the same value.
        var magnitudes = new float[g.Length];
        for (int i = 0; i < g.Length; i++) magnitudes[i] = MathF.Abs(g[i]);
        Array.Sort(magnitudes);
        double saturation = Math.Max(magnitudes[(int)(0.98 * (magnitudes.Length - 1))], 1e-12);
        int scale = m <= 100 ? 4 : 2;
        int size = m * scale;
        var rgb = new byte[size * size * 3];
        for (int a = 0; a < m; a++)
            for (int b = 0; b < m; b++)
            {
                var (r, gr, bl) = Diverging(g[a * m + b] / saturation);
                for (int dy = 0; dy < scale; dy++)
                    for (int dx = 0; dx < scale; dx++)
                    {
                        int p = ((a * scale + dy) * size + b * scale + dx) * 3;
                        rgb[p] = r; rgb[p + 1] = gr; rgb[p + 2] = bl;
                    }
            }
        var blocks = new List<(int Label, int Start, int Count)>();
        for (int k = 0; k < m;)
        {
            int label = heatmap.Clusters[k], start = k;
            while (k < m && heatmap.Clusters[k] == label) k++;
            blocks.Add((label, start, k - start));
        }
        foreach (var block in blocks.Skip(1))
            for (int t = 0; t < size; t++)
            {
                int edge = block.Start * scale;
                SetDark(rgb, size, edge, t);
                SetDark(rgb, size, t, edge);
            }
        return (Png.Encode(rgb, size, size, 3), size, blocks);
    }

    private static void SetDark(byte[] rgb, int size, int row, int col)
    {
        int p = (row * size + col) * 3;
        rgb[p] = 40; rgb[p + 1] = 40; rgb[p + 2] = 40;
    }

    /// <summary>White at 0, red towards +1, blue towards −1.</summary>
    private static (byte R, byte G, byte B) Diverging(double g)
    {
        double t = Math.Clamp(Math.Abs(g), 0, 1);
        var (r, gr, b) = g >= 0 ? (178.0, 24.0, 43.0) : (33.0, 102.0, 172.0);
        return ((byte)(255 + (r - 255) * t), (byte)(255 + (gr - 255) * t), (byte)(255 + (b - 255) * t));
    }
}
