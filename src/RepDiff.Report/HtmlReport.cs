using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RepDiff.Metrics;

namespace RepDiff.Report;

/// <summary>
/// Renders the report: one self-contained HTML file (inline CSS, JS and SVG, images as data URIs),
/// no network, works from file://. Every user-supplied string goes through <see cref="E"/>.
/// </summary>
public static partial class HtmlReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const int MaxConceptsShown = 12;
    private const int MaxHighlighted = 5000;

    /// <summary>The HTML text and the warnings raised while rendering (e.g. unreadable image files).</summary>
    public sealed record Result(string Html, IReadOnlyList<string> Warnings);

    public static string Render(ReportModel model) => RenderWithWarnings(model).Html;

    public static Result RenderWithWarnings(ReportModel model)
    {
        var pair = model.Pair;
        var warnings = new List<string>();
        var thumbs = new Thumbnails(pair, model.LinkImages, model.OutputDirectory, warnings);
        var data = new ClientData();

        var body = new StringBuilder();
        body.Append(BsrSection(model.Explanations));
        if (model.Explanations.Count > 1)
            body.Append("<nav class=\"methods\">Methods: ").Append(string.Join(" ", model.Explanations.Select((e, m) => $"<a href=\"#method-{m}\">{E(e.Method)}</a>"))).Append("</nav>");
        for (int m = 0; m < model.Explanations.Count; m++)
            body.Append(MethodSection(model, model.Explanations[m], m, thumbs, data));

        // Maps need embedding columns (FINC's report pairs carry sample indices only).
        bool hasMaps = pair.A.Cols > 0 && pair.B.Cols > 0;
        var mustShow = model.Explanations.SelectMany(e => e.Directions).SelectMany(d => d.Concepts.Take(MaxConceptsShown)).SelectMany(c => c.Grid).Where(i => i < pair.N);
        var plotted = hasMaps ? Maps.PlottedSamples(pair.N, mustShow) : [];
        var codes = pair.Samples.Labels?.Codes;
        foreach (int i in plotted)
        {
            string key = i.ToString(Inv);
            if (thumbs.Label(i) is { } label) data.Labels[key] = label;
            if (thumbs.HasTexts) data.Texts[key] = thumbs.Text(i, 200)!;
            // Grid members already have their thumbnail; other points only when images are cheap.
            if (thumbs.HasImages && thumbs.CheapImages) data.Thumbs[key] = thumbs.Image(i)!;
        }

        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data: 'self' file:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">")
            .Append("<title>").Append(E(model.Title)).Append("</title><style>").Append(Css).Append("</style></head><body>");
        html.Append(Header(model));
        html.Append(hasMaps ? "<div class=\"layout\"><main>" : "<div class=\"layout nomaps\"><main>").Append(body);
        if (warnings.Count > 0)
        {
            html.Append("<section class=\"warnings\"><h2>Warnings</h2><ul>");
            foreach (var w in warnings.Take(50)) html.Append("<li>").Append(E(w)).Append("</li>");
            if (warnings.Count > 50) html.Append(Inv, $"<li>… and {warnings.Count - 50} more</li>");
            html.Append("</ul></section>");
        }
        html.Append("</main>");
        if (hasMaps)
        {
            html.Append("<aside class=\"maps\"><div class=\"sticky\"><h2>Where the concept lies in each model</h2>");
            html.Append("<p id=\"map-caption\" class=\"caption\">Hover or click a concept card to highlight its members in both maps.</p>");
            html.Append("<figure><figcaption>A: ").Append(E(pair.NameA)).Append(" <small>(PCA, first two components)</small></figcaption>")
                .Append(Maps.Svg("a", pair.A, plotted, codes)).Append("</figure>");
            html.Append("<figure><figcaption>B: ").Append(E(pair.NameB)).Append(" <small>(PCA, first two components)</small></figcaption>")
                .Append(Maps.Svg("b", pair.B, plotted, codes)).Append("</figure>");
            if (pair.Samples.Labels is { } labels) html.Append(Legend(labels));
            html.Append("</div></aside>");
        }
        html.Append("</div><div id=\"tip\" class=\"tip\" hidden></div>");
        html.Append("<footer>RepDiff ").Append(E(RepDiffInfo.Version)).Append(" · self-contained report, no network needed</footer>");
        html.Append("<script type=\"application/json\" id=\"rd-data\">").Append(data.ToJson()).Append("</script>");
        html.Append("<script>").Append(Script).Append("</script></body></html>");
        return new Result(html.ToString(), warnings);
    }

    /// <summary>HTML-escapes a user-supplied string (also safe inside double-quoted attributes).</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string Header(ReportModel model)
    {
        var pair = model.Pair;
        var h = new StringBuilder("<header class=\"top\">");
        h.Append("<h1>").Append(E(model.Title)).Append("</h1>");
        if (model.Intro is { } intro) h.Append("<p class=\"intro\">").Append(E(intro)).Append("</p>");
        h.Append("<dl class=\"facts\">");
        Fact(h, "A", pair.A.Cols > 0 ? $"{E(pair.NameA)} <small>{pair.A.Cols} dims</small>" : E(pair.NameA));
        Fact(h, "B", pair.B.Cols > 0 ? $"{E(pair.NameB)} <small>{pair.B.Cols} dims</small>" : E(pair.NameB));
        Fact(h, "samples", pair.N.ToString("N0", Inv));
        if (pair.Samples.Labels is { } labels) Fact(h, "labels", $"{labels.Names.Length} classes");
        var seeds = model.Explanations.Select(e => e.Parameters["seed"]?.ToJsonString()).Where(s => s is not null).Distinct().ToList();
        if (seeds.Count > 0) Fact(h, "seed", E(string.Join(", ", seeds)));
        Fact(h, "methods", E(string.Join(", ", model.Explanations.Select(e => e.Method))));
        Fact(h, "version", E(RepDiffInfo.Version));
        double? total = model.Timings.TryGetValue("total", out var t) ? t : null;
        total ??= model.Explanations.Sum(e => e.Timings.GetValueOrDefault("total"));
        Fact(h, "time", $"{total:F1} s");
        h.Append("</dl>");
        if (model.Context.Count > 0)
        {
            h.Append("<div class=\"context\"><span class=\"ctx-title\">How similar overall</span>");
            foreach (var (key, value) in model.Context)
                if (!key.EndsWith("_samples", StringComparison.Ordinal) && value is JsonValue v && v.TryGetValue(out double x))
                    h.Append("<span class=\"chip\" title=\"").Append(E(ContextHelp(key))).Append("\">").Append(E(ContextName(key)))
                        .Append(Inv, $" <b>{x:F3}</b></span>");
            h.Append("<span class=\"ctx-note\">One-number scores say how much the models agree overall; the concepts below say where they differ.</span></div>");
        }
        return h.Append("</header>").ToString();
    }

    private static void Fact(StringBuilder h, string name, string valueHtml)
        => h.Append("<div><dt>").Append(name).Append("</dt><dd>").Append(valueHtml).Append("</dd></div>");

    private static string ContextName(string key) => key switch
    {
        "linear_cka" => "linear CKA",
        "mutual_knn" => "mutual k-NN (k = 10)",
        _ => key.Replace('_', ' '),
    };

    private static string ContextHelp(string key) => key switch
    {
        "linear_cka" => "Linear centred kernel alignment of A and B: 1 = identical up to rotation and scale.",
        "mutual_knn" => "Mean overlap of each sample's 10 nearest neighbours in A and in B.",
        _ => key,
    };

    /// <summary>
    /// The BSR comparison table, one row per method: for each distance (SILB, MNED, LSED) the BSR of the
    /// grids explaining A, of those explaining B, and their mean. The best mean SILB is highlighted.
    /// </summary>
    private static string BsrSection(IReadOnlyList<Explanation> explanations)
    {
        var rows = BsrRow.From(explanations);
        if (rows.Count == 0) return "";
        var s = new StringBuilder("<section class=\"bsr\"><h2>How well each method explains the difference</h2>");
        s.Append("<p class=\"note\">Binary success rate (BSR) of each method's concept grids: the fraction of pairs inside a grid that are closer in the explained model than in the other (0.5 is chance, 1 is perfect). Columns A and B score the grids that explain A (e.g. <i>more similar in A</i>) and B. SILB uses neighbourhood ranks, MNED max-normalized Euclidean distances, LSED local-scaling distances.</p>");
        s.Append("<table><thead><tr><th rowspan=\"2\">method</th><th colspan=\"3\" class=\"group\">SILB</th><th colspan=\"3\" class=\"group\">MNED</th><th colspan=\"3\" class=\"group\">LSED</th></tr><tr>");
        for (int k = 0; k < 3; k++) s.Append("<th class=\"sub\">A</th><th class=\"sub\">B</th><th class=\"sub\">mean</th>");
        s.Append("</tr></thead><tbody>");
        double best = rows.Where(r => r.Direction == "mean").Select(r => r.Silb ?? 0).DefaultIfEmpty(0).Max();
        for (int m = 0; m < explanations.Count; m++)
        {
            var e = explanations[m];
            var mine = rows.Where(r => r.Method == e.Method).ToList();
            if (mine.Count == 0) continue;
            BsrRow? Side(string side) => e.Directions.FirstOrDefault(d => d.Explains == side) is { } d ? mine.FirstOrDefault(r => r.Direction == d.Name) : null;
            var (a, b, mean) = (Side("a"), Side("b"), mine.FirstOrDefault(r => r.Direction == "mean"));
            s.Append(Inv, $"<tr><td><a href=\"#method-{m}\">").Append(E(e.Method)).Append("</a></td>");
            s.Append(BsrCell(a?.Silb)).Append(BsrCell(b?.Silb)).Append(BsrCell(mean?.Silb, mean: true, best: mean?.Silb == best));
            s.Append(BsrCell(a?.Mned)).Append(BsrCell(b?.Mned)).Append(BsrCell(mean?.Mned, mean: true));
            s.Append(BsrCell(a?.Lsed)).Append(BsrCell(b?.Lsed)).Append(BsrCell(mean?.Lsed, mean: true));
            s.Append("</tr>");
        }
        return s.Append("</tbody></table></section>").ToString();
    }

    private static string BsrCell(double? v, bool mean = false, bool best = false) => v is double x
        ? string.Create(Inv, $"<td class=\"num{(mean ? " mean" : "")}{(best ? " best" : "")}\" style=\"--v:{Math.Clamp((x - 0.5) * 2, 0, 1):F2}\">{x:F3}</td>")
        : "<td class=\"num\">–</td>";

    private static string MethodSection(ReportModel model, Explanation e, int m, Thumbnails thumbs, ClientData data)
    {
        var pair = model.Pair;
        var s = new StringBuilder();
        s.Append(Inv, $"<section class=\"method\" id=\"method-{m}\"><h2><span class=\"mname\">").Append(E(e.Method)).Append("</span>");
        s.Append("<span class=\"params\">").Append(E(string.Join(" · ", e.Parameters.Where(p => p.Value is JsonValue).Take(8).Select(p => $"{p.Key} {Short((JsonValue)p.Value!)}")))).Append("</span></h2>");
        s.Append("<details class=\"meta\"><summary>parameters and timings</summary><table>");
        foreach (var (key, value) in e.Parameters)
            s.Append("<tr><th>").Append(E(key)).Append("</th><td>").Append(E(value?.ToJsonString() ?? "null")).Append("</td></tr>");
        foreach (var (stage, seconds) in e.Timings)
            s.Append("<tr><th>time: ").Append(E(stage)).Append(Inv, $"</th><td>{seconds:F3} s</td></tr>");
        s.Append("</table></details>");
        if (e.Metrics["eigensolver_converged"] is JsonValue converged && converged.TryGetValue(out bool ok) && !ok)
            s.Append("<p class=\"note\"><b>Warning:</b> the eigensolver stopped at its product cap before every mode met its tolerance; the weakest modes may be approximate.</p>");

        if (e.Spectrum is { Length: > 0 } spectrum)
            s.Append("<figure class=\"plot\">").Append(Charts.Spectrum(spectrum))
                .Append("<figcaption>Eigenvalue spectrum of the difference, in the method's order: positive eigenvalues (blue) are structure stronger in one model, negative (red) stronger in the other.</figcaption></figure>");

        for (int d = 0; d < e.Directions.Count; d++)
        {
            var direction = e.Directions[d];
            s.Append("<div class=\"direction\"><h3>").Append(E(DirectionTitle(direction.Name))).Append("</h3>");
            s.Append("<p class=\"statement\">").Append(Statement(pair, direction));
            if (BsrRow.Read(e.Metrics, "bsr", direction.Name) is double bsr)
                s.Append(Inv, $" <span class=\"chip\">BSR {bsr:F3}</span>");
            s.Append("</p>");
            if (direction.Concepts.Count == 0) s.Append("<p class=\"note\">No concepts in this direction.</p>");
            s.Append("<div class=\"cards\">");
            foreach (var concept in direction.Concepts.Take(MaxConceptsShown))
            {
                string key = $"m{m}d{d}c{concept.Rank}";
                data.Concepts[key] = concept.Members.Where(i => i >= 0 && i < pair.N).Take(MaxHighlighted).ToArray();
                data.Names[key] = $"{e.Method} · {DirectionTitle(direction.Name)} · concept {concept.Rank} ({concept.Members.Length} members)";
                s.Append(Card(pair, direction, concept, key, thumbs, data, CoefficientView(e, direction.Name, concept.Rank)));
            }
            s.Append("</div>");
            if (direction.Concepts.Count > MaxConceptsShown)
                s.Append(Inv, $"<p class=\"note\">{direction.Concepts.Count - MaxConceptsShown} weaker concepts not shown (they are in results.json).</p>");
            // The difference matrix belongs to the difference directions (not to baselines' concepts of one model).
            if (direction.Labels is { } clusterLabels && clusterLabels.Length == pair.N && clusterLabels.Max() > 0
                && direction.Name is DirectionNames.MoreSimilarInA or DirectionNames.MoreSimilarInB)
                s.Append(Heatmap(pair, direction, clusterLabels));
            s.Append("</div>");
        }
        return s.Append("</section>").ToString();
    }

    /// <summary>A parameter for the one-line summary: numbers to 4 significant digits, strings unquoted (all of them are in the table below).</summary>
    private static string Short(JsonValue value)
        => value.TryGetValue(out double x) ? x.ToString("G4", Inv) : value.TryGetValue(out string? text) ? text : value.ToJsonString();

    private static string DirectionTitle(string name) => name switch
    {
        "more_similar_in_a" => "More similar in A",
        "more_similar_in_b" => "More similar in B",
        "concepts_of_a" => "Concepts of A",
        "concepts_of_b" => "Concepts of B",
        "more_frequent_in_test" => "More frequent in the test set",
        "more_frequent_in_ref" => "More frequent in the reference set",
        _ => name.Replace('_', ' '),
    };

    /// <summary>The plain-language reading of a direction, with the label mix of its concepts when labels are given.</summary>
    private static string Statement(RepresentationPair pair, Direction direction)
    {
        string a = $"A (<b>{E(pair.NameA)}</b>)", b = $"B (<b>{E(pair.NameB)}</b>)";
        string text = direction.Name switch
        {
            "more_similar_in_a" => $"{a} puts these samples together; {b} pulls them apart.",
            "more_similar_in_b" => $"{b} puts these samples together; {a} pulls them apart.",
            "concepts_of_a" => $"What {a} groups on its own (a baseline: not a difference by itself).",
            "concepts_of_b" => $"What {b} groups on its own (a baseline: not a difference by itself).",
            "more_frequent_in_test" => $"Modes where the test set (<b>{E(pair.NameA)}</b>) has more samples than the reference set (<b>{E(pair.NameB)}</b>).",
            "more_frequent_in_ref" => $"Modes where the reference set (<b>{E(pair.NameB)}</b>) has more samples than the test set (<b>{E(pair.NameA)}</b>).",
            _ => E(DirectionTitle(direction.Name)) + ".",
        };
        // The label mix across the direction's concepts, each concept weighted equally.
        var concepts = direction.Concepts.Take(MaxConceptsShown).Select(c => c.Members.Where(i => i >= 0 && i < pair.N).ToArray()).Where(m => m.Length > 0).ToList();
        if (pair.Samples.Labels is { } labels && concepts.Count > 0)
        {
            var mix = concepts.SelectMany(m => m.GroupBy(i => labels.Codes[i]).Select(g => (Code: g.Key, Share: (double)g.Count() / m.Length / concepts.Count)))
                .GroupBy(x => x.Code).Select(g => (Code: g.Key, Share: g.Sum(x => x.Share)))
                .Where(x => x.Share >= 0.1).OrderByDescending(x => x.Share).Take(3).ToList();
            if (mix.Count > 0)
                text += $" Across its {(concepts.Count == 1 ? "concept" : $"{concepts.Count} concepts")}, the samples are mostly "
                    + JoinWords(mix.Select(x => string.Create(Inv, $"<b>{E(labels.Names[x.Code])}</b> ({x.Share * 100:F0}%)")).ToList()) + ".";
        }
        return text;
    }

    /// <summary>The per-label coefficient distribution of a concept, where the method provides one (metrics.coefficients_by_label).</summary>
    private static JsonObject? CoefficientView(Explanation e, string direction, int rank)
        => (e.Metrics["coefficients_by_label"]?["directions"]?[direction] as JsonArray)?
            .OfType<JsonObject>().FirstOrDefault(v => v["rank"] is JsonValue r && r.TryGetValue(out int x) && x == rank)?["by_label"] as JsonObject;

    /// <summary>"x", "x and y", "x, y and z".</summary>
    private static string JoinWords(IReadOnlyList<string> items)
        => items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];

    private static string Card(RepresentationPair pair, Direction direction, Concept concept, string key, Thumbnails thumbs, ClientData data, JsonObject? coefficients)
    {
        var c = new StringBuilder();
        var grid = concept.Grid.Where(i => i >= 0 && i < pair.N).ToArray();
        c.Append(Inv, $"<article class=\"card\" data-key=\"{key}\" tabindex=\"0\"><header><span class=\"rank\">{concept.Rank}</span>");
        c.Append(Inv, $"<span>strength <b>{concept.Strength:G4}</b></span></header><div class=\"sub\">{concept.Members.Length:N0} members");
        if (GridBsr(pair, direction, grid) is double bsr)
            c.Append(Inv, $" · <span title=\"BSR (SILB) of this grid: fraction of pairs closer in the explained model than in the other\">BSR <b>{bsr:F2}</b></span>");
        c.Append("</div>");
        if (thumbs.HasImages)
        {
            int columns = grid.Length <= 9 ? 3 : 4;
            c.Append(Inv, $"<div class=\"grid\" style=\"grid-template-columns:repeat({columns},1fr)\">");
            foreach (int i in grid)
            {
                string src = thumbs.Image(i)!;
                data.Thumbs[i.ToString(Inv)] = src;
                string caption = thumbs.Label(i) is { } l ? $"#{i} · {l}" : $"#{i}";
                c.Append("<img src=\"").Append(E(src)).Append("\" alt=\"").Append(E(caption)).Append("\" title=\"").Append(E(caption)).Append("\">");
            }
            c.Append("</div>");
        }
        else if (thumbs.HasTexts)
        {
            c.Append("<ol class=\"texts\">");
            foreach (int i in grid.Take(5)) c.Append("<li title=\"").Append(E(thumbs.Text(i, 400))).Append("\"><span>").Append(E(thumbs.Text(i, 140))).Append("</span></li>");
            c.Append("</ol>");
        }
        else
        {
            c.Append("<p class=\"ids\">").Append(E(string.Join("  ", grid.Select(i => thumbs.Label(i) is { } l ? $"#{i} ({l})" : $"#{i}")))).Append("</p>");
        }
        if (pair.Samples.Labels is { } labels)
            c.Append(Charts.LabelHistogram(labels, concept.Members.Where(i => i >= 0 && i < pair.N).ToArray()));
        if (coefficients is not null && Charts.CoefficientBoxes(coefficients, pair.Samples.Labels) is { Length: > 0 } boxes)
            c.Append("<details class=\"coef\"><summary>coefficient by label</summary>").Append(boxes).Append("</details>");
        return c.Append("</article>").ToString();
    }

    /// <summary>Most n·(d_A + d_B) for which every card gets its own BSR (each costs a grid's rows of distances).</summary>
    private const long MaxCardBsrWork = 20_000_000;

    /// <summary>BSR (SILB) of one concept's grid, where the direction explains A or B and the inputs are small enough.</summary>
    private static double? GridBsr(RepresentationPair pair, Direction direction, int[] grid)
    {
        if (direction.Explains is not ("a" or "b") || grid.Length < 2 || (long)pair.N * (pair.A.Cols + pair.B.Cols) > MaxCardBsrWork) return null;
        var (explained, other) = direction.Explains == "a" ? (pair.A, pair.B) : (pair.B, pair.A);
        return Bsr.Score(explained, other, [grid], BsrDistance.Silb);
    }

    private static string Heatmap(RepresentationPair pair, Direction direction, int[] clusterLabels)
    {
        var (explained, other) = direction.Explains == "a" ? (pair.A, pair.B) : (pair.B, pair.A);
        var (png, size, blocks) = Charts.DifferenceHeatmap(explained, other, clusterLabels);
        var s = new StringBuilder("<details class=\"heat\"><summary>Difference matrix, reordered by cluster</summary><div class=\"heatwrap\">");
        s.Append(Inv, $"<img class=\"heatmap\" width=\"{size}\" height=\"{size}\" src=\"{Png.DataUri(png)}\" alt=\"difference matrix\">");
        s.Append("<div class=\"heatlegend\"><p><span class=\"sw red\"></span> closer in ").Append(direction.Explains == "a" ? "A" : "B")
            .Append(" than in the other model</p><p><span class=\"sw blue\"></span> closer in ").Append(direction.Explains == "a" ? "B" : "A")
            .Append("</p><p class=\"note\">Rows and columns: ").Append(Inv, $"{blocks.Sum(b => b.Count)} samples")
            .Append(" ordered by cluster (strongest first, unassigned last). Entry (i, j): tanh(γ (N<sub>other</sub> − N<sub>explained</sub>) / (min + 1)), N the rank of j among i's neighbours, γ = 80/n; colours saturate at the 98th percentile.</p><ol class=\"blocks\">");
        foreach (var (label, _, count) in blocks)
            s.Append(Inv, $"<li>{(label == 0 ? "unassigned" : $"cluster {label}")}: {count}</li>");
        return s.Append("</ol></div></div></details>").ToString();
    }

    private static string Legend(SampleLabels labels)
    {
        var s = new StringBuilder("<div class=\"legend\">");
        for (int code = 0; code < Math.Min(labels.Names.Length, Palette.Count - 1); code++)
            s.Append(Inv, $"<span><i class=\"c{code}\"></i>").Append(E(labels.Names[code])).Append("</span>");
        if (labels.Names.Length >= Palette.Count) s.Append(Inv, $"<span><i class=\"c{Palette.Count - 1}\"></i>other</span>");
        return s.Append("</div>").ToString();
    }

    /// <summary>What the page script needs: concept members, display names, and per-sample hover data.</summary>
    private sealed class ClientData
    {
        public Dictionary<string, int[]> Concepts { get; } = [];
        public Dictionary<string, string> Names { get; } = [];
        public Dictionary<string, string> Thumbs { get; } = [];
        public Dictionary<string, string> Labels { get; } = [];
        public Dictionary<string, string> Texts { get; } = [];

        // Relaxed escaping keeps base64 compact ('+' stays '+'); <, > and & (which occur only inside
        // strings) are then escaped by hand so the JSON can never close the script element.
        public string ToJson() => JsonSerializer.Serialize(this, ClientDataJson.Relaxed.ClientData)
            .Replace("<", "\\u003c", StringComparison.Ordinal).Replace(">", "\\u003e", StringComparison.Ordinal).Replace("&", "\\u0026", StringComparison.Ordinal);
    }

    // Source-generated, so the Native AOT build needs no reflection; camelCase gives the names the page script reads
    // (options given to the constructor replace the attribute's, so the naming policy is set there).
    [JsonSerializable(typeof(ClientData))]
    private sealed partial class ClientDataJson : JsonSerializerContext
    {
        public static readonly ClientDataJson Relaxed = new(new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
    }

    private const string Css = """
        :root{--ink:#1d2430;--muted:#5b6573;--line:#e3e7ee;--bg:#f6f7fb;--card:#fff;--accent:#2f6fdb;--hot:#d6452f}
        *{box-sizing:border-box}
        body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg)}
        header.top{padding:22px 28px 14px;background:#fff;border-bottom:1px solid var(--line)}
        h1{font-size:22px;margin:0 0 6px}
        h2{font-size:17px;margin:0 0 10px}
        h3{font-size:15px;margin:18px 0 4px}
        .intro{max-width:980px;color:var(--muted);margin:4px 0 12px}
        .facts{display:flex;flex-wrap:wrap;gap:8px 26px;margin:8px 0}
        .facts div{min-width:80px}.facts dt{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}.facts dd{margin:0;font-weight:600}
        .facts small,.params,small{color:var(--muted);font-weight:400}
        .context{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin-top:8px}
        .ctx-title{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
        .ctx-note{color:var(--muted);font-size:12px}
        .chip{display:inline-block;padding:1px 9px;border-radius:11px;background:#eef2fa;border:1px solid #d9e1f2;font-size:12.5px;white-space:nowrap}
        .layout{display:grid;grid-template-columns:minmax(0,1fr) 400px;gap:20px;padding:18px 28px;align-items:start}
        main section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin-bottom:18px;scroll-margin-top:48px}
        h2 .mname{text-transform:uppercase;letter-spacing:.04em;margin-right:12px}
        .params{font-size:12.5px}
        .note{color:var(--muted);font-size:12.5px;margin:4px 0 10px}
        .statement{margin:2px 0 10px}
        table{border-collapse:collapse}
        .bsr table{width:100%;max-width:820px}
        th,td{text-align:left;padding:4px 10px;border-bottom:1px solid var(--line);font-size:13px}
        td.num{font-variant-numeric:tabular-nums;white-space:nowrap}
        .bsr td.num{background:rgba(47,111,219,calc(var(--v) * .28));text-align:right}
        .bsr td.mean{font-weight:600;border-right:1px solid var(--line)}
        .bsr td.best{color:#0b6b35;font-weight:800}
        .bsr th.group{text-align:center;border-bottom:1px solid var(--line)}.bsr th.sub{text-align:right;font-weight:500;color:var(--muted);font-size:12px}
        .bsr td a{color:var(--ink);text-decoration:none;text-transform:uppercase;font-weight:600;letter-spacing:.04em;font-size:12.5px}
        details.meta{margin:0 0 8px}details.meta summary,details.heat summary{cursor:pointer;color:var(--accent);font-size:13px}
        details.meta table{margin-top:6px}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(168px,1fr));gap:10px}
        nav.methods{position:sticky;top:0;z-index:5;background:var(--bg);padding:6px 0 10px;font-size:13px;color:var(--muted)}
        nav.methods a{display:inline-block;margin:0 4px;padding:2px 10px;border-radius:12px;background:#fff;border:1px solid var(--line);color:var(--accent);text-decoration:none;text-transform:uppercase;font-size:12px;letter-spacing:.04em}
        nav.methods a:hover{border-color:#9db8ea}
        .card{border:1px solid var(--line);border-radius:9px;padding:9px;background:#fff;cursor:pointer;transition:box-shadow .12s,border-color .12s;outline:none}
        .card:hover,.card:focus{border-color:#9db8ea;box-shadow:0 2px 10px rgba(47,111,219,.15)}
        .card.selected{border-color:var(--hot);box-shadow:0 0 0 2px rgba(214,69,47,.35)}
        .card header{display:flex;gap:10px;align-items:baseline;font-size:12.5px;color:var(--muted);margin-bottom:7px;flex-wrap:wrap}
        .card header b,.card .sub b{color:var(--ink)}
        .card .sub{font-size:11.5px;color:var(--muted);margin:-3px 0 7px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
        .rank{background:var(--ink);color:#fff;border-radius:50%;width:21px;height:21px;display:inline-flex;align-items:center;justify-content:center;font-weight:700;font-size:12px}
        .grid{display:grid;gap:3px}
        .grid img{width:100%;aspect-ratio:1;object-fit:cover;image-rendering:pixelated;border-radius:3px;background:#000;display:block}
        .texts{margin:0;padding-left:18px;font-size:12px;line-height:1.35}.texts li{margin-bottom:4px}.texts li span{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
        .ids{font-size:12px;color:var(--muted);word-break:break-word}
        .hist{margin-top:8px}
        .hrow{display:grid;grid-template-columns:52px 1fr 66px;gap:6px;align-items:center;font-size:11.5px;line-height:1.5}
        .hname{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
        .hbar{background:#f0f2f6;height:8px;border-radius:4px;overflow:hidden}.hbar i{display:block;height:100%}
        .hnum{font-variant-numeric:tabular-nums;color:var(--muted)}
        details.coef{margin-top:6px}details.coef summary{cursor:pointer;color:var(--accent);font-size:12px}
        .boxes{width:100%;height:auto}.boxes .whisker{stroke:#8a94a6}.boxes .median{stroke:#111;stroke-width:1.5}.boxes .zero{stroke:#d0d6e0;stroke-dasharray:2 2}
        .plot{margin:6px 0 10px}.plot svg{width:100%;max-width:620px;height:auto}.plot figcaption{color:var(--muted);font-size:12.5px}
        .spectrum .pos{fill:#4e79a7}.spectrum .neg{fill:#e15759}.spectrum .grid{stroke:#dde2ea}.tick{font-size:10px;fill:var(--muted)}
        .heatwrap{display:flex;gap:16px;flex-wrap:wrap;margin-top:8px}
        .heatmap{image-rendering:pixelated;border:1px solid var(--line);max-width:100%;height:auto}
        .heatlegend p{margin:2px 0;font-size:12.5px}.heatlegend{max-width:300px}
        .sw{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px}.sw.red{background:#b2182b}.sw.blue{background:#2166ac}
        .blocks{font-size:12px;color:var(--muted);padding-left:18px}
        aside.maps .sticky{position:sticky;top:12px;background:#fff;border:1px solid var(--line);border-radius:10px;padding:14px}
        aside figure{margin:0 0 10px}aside figcaption{font-size:12.5px;font-weight:600;margin-bottom:3px;overflow-wrap:anywhere}
        .caption{font-size:12.5px;color:var(--muted);min-height:36px;margin:0 0 6px}
        svg.map{width:100%;height:auto;display:block}
        svg.map .frame{fill:#fbfcfe;stroke:var(--line)}
        svg.map circle{stroke:none;opacity:.75;transition:opacity .1s}
        svg.map.focus circle{opacity:.12}
        svg.map.focus circle.on{opacity:1;stroke:#111;stroke-width:.9;r:4}
        svg.map circle.pick{opacity:1;stroke:var(--hot);stroke-width:2;r:5.5}
        .c0{fill:#4e79a7;background:#4e79a7}.c1{fill:#f28e2b;background:#f28e2b}.c2{fill:#e15759;background:#e15759}.c3{fill:#76b7b2;background:#76b7b2}
        .c4{fill:#59a14f;background:#59a14f}.c5{fill:#edc948;background:#edc948}.c6{fill:#b07aa1;background:#b07aa1}.c7{fill:#ff9da7;background:#ff9da7}
        .c8{fill:#9c755f;background:#9c755f}.c9{fill:#bab0ac;background:#bab0ac}.c10,.cx{fill:#8c8c8c;background:#8c8c8c}
        .legend{display:flex;flex-wrap:wrap;gap:4px 12px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:4px}
        .tip{position:fixed;pointer-events:none;background:#fff;border:1px solid #c9d2e0;border-radius:7px;padding:6px;box-shadow:0 4px 14px rgba(0,0,0,.15);font-size:12px;max-width:240px;z-index:10}
        .tip img{width:72px;height:72px;image-rendering:pixelated;display:block;margin-bottom:4px;background:#000;object-fit:cover}
        .warnings li{color:#8a4b00}
        footer{color:var(--muted);font-size:12px;padding:0 28px 24px}
        .layout.nomaps{grid-template-columns:minmax(0,1fr)}
        @media (max-width:1000px){.layout{grid-template-columns:1fr}aside.maps .sticky{position:static}}
        """;

    private const string Script = """
        (function () {
          const data = JSON.parse(document.getElementById('rd-data').textContent);
          const maps = Array.from(document.querySelectorAll('svg.map'));
          const index = maps.map(svg => { const m = new Map(); svg.querySelectorAll('circle').forEach(c => m.set(+c.dataset.i, c)); return m; });
          const caption = document.getElementById('map-caption') || document.createElement('p');
          const defaultCaption = caption.textContent;
          let selected = null, lit = [];
          function show(key) {
            lit.forEach(c => c.classList.remove('on')); lit = [];
            const members = key ? data.concepts[key] : null;
            maps.forEach((svg, s) => {
              svg.classList.toggle('focus', !!members);
              if (!members) return;
              for (const i of members) { const c = index[s].get(i); if (c) { c.classList.add('on'); lit.push(c); svg.appendChild(c); } }
            });
            caption.textContent = key ? data.names[key] : defaultCaption;
          }
          document.querySelectorAll('.card').forEach(card => {
            const key = card.dataset.key;
            card.addEventListener('mouseenter', () => show(key));
            card.addEventListener('mouseleave', () => show(selected));
            const toggle = () => {
              document.querySelectorAll('.card.selected').forEach(c => c.classList.remove('selected'));
              selected = selected === key ? null : key;
              if (selected) card.classList.add('selected');
              show(selected);
            };
            card.addEventListener('click', toggle);
            card.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
          });
          const tip = document.getElementById('tip');
          let picked = [];
          function unpick() { picked.forEach(c => c.classList.remove('pick')); picked = []; }
          maps.forEach(svg => {
            svg.addEventListener('mouseover', e => {
              const c = e.target.closest('circle'); if (!c) return;
              const i = +c.dataset.i; unpick();
              index.forEach(m => { const p = m.get(i); if (p) { p.classList.add('pick'); picked.push(p); } });
              tip.replaceChildren();
              const thumb = data.thumbs[i];
              if (thumb) { const img = document.createElement('img'); img.src = thumb; img.alt = ''; tip.appendChild(img); }
              const line = document.createElement('div');
              line.textContent = '#' + i + (data.labels[i] !== undefined ? ' · ' + data.labels[i] : '');
              tip.appendChild(line);
              if (data.texts[i]) { const t = document.createElement('div'); t.textContent = data.texts[i]; tip.appendChild(t); }
              tip.hidden = false;
            });
            svg.addEventListener('mousemove', e => {
              const w = tip.offsetWidth, h = tip.offsetHeight;
              tip.style.left = (e.clientX + 14 + w > innerWidth ? e.clientX - 14 - w : e.clientX + 14) + 'px';
              tip.style.top = (e.clientY + 14 + h > innerHeight ? e.clientY - 14 - h : e.clientY + 14) + 'px';
            });
            svg.addEventListener('mouseleave', () => { tip.hidden = true; unpick(); });
          });
        })();
        """;
}
