using System.Globalization;
using System.Text;

namespace RepDiff.Report;

/// <summary>A small page linking several reports (the demo writes one per pair).</summary>
public static class IndexPage
{
    public static string Render(string title, string intro, IReadOnlyList<IndexEntry> entries)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(HtmlReport.E(title)).Append("</title><style>").Append(Assets.Colours)
            // The report's colours (colours.css), so a dark window gets a dark index as it gets dark reports.
            .Append("body{margin:0;padding:28px;font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg)}")
            .Append("main{max-width:900px}h1{font-size:24px}a.entry{display:block;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:14px 0;color:inherit;text-decoration:none}")
            .Append("a.entry:hover{border-color:#9db8ea;box-shadow:0 2px 10px rgba(47,111,219,.15)}a.entry h2{font-size:18px;margin:0 0 6px;color:var(--accent)}p{margin:4px 0}.nums{color:var(--muted);font-size:13px}.nums small.chance{font-size:11px}.nums .mean{display:inline-block;max-width:100%}.at-chance{color:#b45309;margin-left:2px;cursor:help}.finding{font-weight:600}")
            // A URL or a long word in a title or description wraps rather than widen the page past a phone's screen.
            .Append("h1,h2,p{overflow-wrap:anywhere}")
            // What has no variable takes dark.css's dark colour: the hovered border, the † mark.
            .Append("@media screen and (prefers-color-scheme:dark){a.entry:hover{border-color:#5b7fc4}.at-chance{color:#f7b96c}}")
            .Append("</style></head><body><main><h1>").Append(HtmlReport.E(title)).Append("</h1>");
        html.Append("<p>").Append(HtmlReport.E(intro)).Append("</p>");
        foreach (var entry in entries)
        {
            var c = entry.Comparison;
            html.Append("<a class=\"entry\" href=\"").Append(HtmlReport.E(string.Join('/', entry.Href.Split('/').Select(Uri.EscapeDataString)))).Append("\"><h2>")
                .Append(HtmlReport.E(entry.Title)).Append("</h2>");
            if (entry.Finding is { } finding) html.Append("<p class=\"finding\">").Append(HtmlReport.E(finding)).Append("</p>");
            // Each mean BSR beside its chance level, as in the reports: 0.476 reads as a result only against a chance of 0.50.
            // A mean with a side at or below its chance level is marked † as in the reports' BSR table, by the same sides.
            var rows = BsrRow.From(c.Explanations).ToList();
            var means = rows.Where(r => r.Direction == "mean")
                .Select(r =>
                {
                    var ((nameA, a), (nameB, b)) = HtmlReport.MeanSides(c.Explanations.First(e => e.Method == r.Method), rows.Where(side => side.Method == r.Method).ToList());
                    // One item kept on one line where it fits (an inline block): a line had ended at "rdx 0.887 /", the chance level starting
                    // the next line beside another method's name.
                    return "<span class=\"mean\">" + HtmlReport.E(r.Method) + " " + (r.Silb is double silb
                        ? HtmlReport.MeanBesideChance(silb, r.SilbChance, [(nameA, a?.Silb, a?.SilbChance), (nameB, b?.Silb, b?.SilbChance)])
                        : "–") + "</span>";
                });
            html.Append("<p>").Append(HtmlReport.E(entry.Description)).Append("</p><p class=\"nums\">")
                .Append(HtmlReport.E(string.Create(CultureInfo.InvariantCulture, $"n = {c.Pair.N} · linear CKA {(c.Context["linear_cka"] is { } cka ? cka.GetValue<double>().ToString("F3", CultureInfo.InvariantCulture) : "undefined")} · ")))
                .Append("mean BSR (chance in small type; † a side at or below its chance level, named in its title): ").Append(string.Join(", ", means)).Append("</p></a>");
        }
        return html.Append("</main></body></html>").ToString();
    }
}
