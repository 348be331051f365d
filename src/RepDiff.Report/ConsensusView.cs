using System.Globalization;
using System.Text;
using RepDiff.Metrics;

namespace RepDiff.Report;

/// <summary>
/// The report's "where the methods agree" section from the model's <see cref="Consensus"/>: a table of every
/// method and direction against every other, each cell the highest Jaccard overlap between a shown concept of
/// the row and one of the column, and the concept pairs of different methods that overlap most (a row
/// highlights the samples both share).
/// </summary>
internal static class ConsensusView
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Most concept pairs listed.</summary>
    public const int MaxPairs = 20;

    public static string Section(Consensus? consensus, IReadOnlyList<ShownConcept> shown)
    {
        if (consensus is null) return "";
        var cards = shown.Where(c => c.ConsensusIndex is not null).ToList();
        var groups = cards.GroupBy(c => (c.Explanation, c.Direction)).Select(g => g.ToList()).ToList();
        if (groups.Count < 2) return "";
        var s = new StringBuilder("<section class=\"consensus\" id=\"consensus\"><h2>Where the methods agree</h2>");
        s.Append("<p class=\"note\">Overlap of the concepts' members (Jaccard: shared members / members of either; 1 = the same samples). A cell is the largest overlap between a shown concept of the row's method and direction and one of the column's; a high value across methods means several methods find the same difference.</p>");
        s.Append("<div class=\"tablewrap\"><table class=\"overlap\"><thead><tr><th><span class=\"sr-only\">rows against columns</span></th>");
        foreach (var g in groups) s.Append("<th>").Append(GroupName(g[0])).Append("</th>");
        s.Append("</tr></thead><tbody>");
        foreach (var row in groups)
        {
            s.Append("<tr><th>").Append(GroupName(row[0])).Append("</th>");
            foreach (var column in groups)
            {
                if (ReferenceEquals(row, column)) { s.Append("<td class=\"self\">–</td>"); continue; }
                var best = row.SelectMany(a => column.Select(b => (a, b, j: consensus.Jaccard[a.ConsensusIndex!.Value][b.ConsensusIndex!.Value])))
                    .OrderByDescending(x => x.j).First();
                s.Append(Inv, $"<td class=\"num\" style=\"--v:{best.j:F2}\" title=\"").Append(HtmlReport.E($"{best.a.Title} and {best.b.Title}"))
                    .Append(Inv, $"\">{best.j:F2}</td>");
            }
            s.Append("</tr>");
        }
        s.Append("</tbody></table></div>");

        var pairs = new List<(ShownConcept A, ShownConcept B, double Jaccard, int Shared)>();
        for (int x = 0; x < cards.Count; x++)
            for (int y = x + 1; y < cards.Count; y++)
            {
                var (a, b) = (cards[x], cards[y]);
                if (a.Explanation == b.Explanation) continue;
                int shared = consensus.Shared[a.ConsensusIndex!.Value][b.ConsensusIndex!.Value];
                if (shared > 0) pairs.Add((a, b, consensus.Jaccard[a.ConsensusIndex!.Value][b.ConsensusIndex!.Value], shared));
            }
        if (pairs.Count == 0)
            return s.Append("<p class=\"note\">No two methods' shown concepts share a member.</p></section>").ToString();
        // In a scroll box as the overlap table is: at 320 pixels (a 1280-pixel window zoomed to 400%) it widened the page by 32.
        s.Append("<h3>Concepts of different methods that share members</h3><div class=\"tablewrap\"><table class=\"pairs\"><thead><tr><th>concept</th><th>concept</th><th class=\"num\">shared</th><th class=\"num\">Jaccard</th></tr></thead><tbody>");
        foreach (var (a, b, j, shared) in pairs.OrderByDescending(p => p.Jaccard).ThenByDescending(p => p.Shared).Take(MaxPairs))
            s.Append("<tr class=\"pair\" tabindex=\"0\" data-a=\"").Append(a.Key).Append("\" data-b=\"").Append(b.Key).Append("\">")
                .Append("<td>").Append(Link(a)).Append("</td><td>").Append(Link(b)).Append("</td>")
                .Append(Inv, $"<td class=\"num\">{shared:N0}</td><td class=\"num\" style=\"--v:{j:F2}\">{j:F2}</td></tr>");
        s.Append("</tbody></table></div>");
        if (pairs.Count > MaxPairs) s.Append(Inv, $"<p class=\"note\">{pairs.Count - MaxPairs} more overlapping pairs (all of them, over every concept, are in results.json's consensus).</p>");
        return s.Append("<p class=\"note hint\">Hover or select a row to highlight the samples both concepts hold.</p></section>").ToString();
    }

    private static string GroupName(ShownConcept c) => $"<span class=\"mname\">{HtmlReport.E(c.Explanation.Method)}</span><br><small>{HtmlReport.E(DirectionNames.Title(c.Direction.Name))}</small>";

    private static string Link(ShownConcept c) =>
        $"<a href=\"#card-{c.Key}\">{HtmlReport.E(c.Explanation.Method)} · {HtmlReport.E(DirectionNames.Title(c.Direction.Name))} #{c.Concept.Rank.ToString(Inv)}</a> <small>({c.Concept.Members.Length.ToString("N0", Inv)})</small>";
}
