using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RepDiff.Numerics;
using RepDiff.Findings;
using RepDiff.Reporting;

namespace RepDiff.Report;

/// <summary>
/// Renders a <see cref="ReportModel"/> as one self-contained HTML file (inline CSS, JS and SVG, images as
/// data URIs), no network, works from file://. It computes nothing about the data: every number, map
/// coordinate and matrix comes from the model. Every user-supplied string goes through <see cref="E"/>.
/// </summary>
public static partial class HtmlReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const int MaxConceptsShown = ReportModel.MaxConceptsShown;

    /// <summary>The HTML text and the warnings raised while rendering (e.g. unreadable image files).</summary>
    public sealed record Result(string Html, IReadOnlyList<string> Warnings);

    public static string Render(ReportModel model, RenderOptions? options = null) => RenderWithWarnings(model, options).Html;

    public static Result RenderWithWarnings(ReportModel model, RenderOptions? options = null)
    {
        options ??= new RenderOptions();
        var warnings = new List<string>();
        var thumbs = new Thumbnails(model.Samples, options.LinkImages, options.OutputDirectory, warnings, options.Thumbnailer);
        var shown = ShownConcept.All(model.Explanations, MaxConceptsShown, model.Consensus is not null);
        var data = new ClientData { Shown = shown.ToDictionary(c => c.Key) };

        var body = new StringBuilder();
        body.Append(BsrSection(model.Explanations));
        body.Append(ConsensusView.Section(model.Consensus, shown)).Append(ExportBar(shown));
        if (model.Explanations.Count > 1)
            body.Append("<nav class=\"methods\">Methods: ").Append(string.Join(" ", model.Explanations.Select((e, m) => $"<a href=\"#method-{m}\">{E(e.Method)}</a>"))).Append("</nav>");
        for (int m = 0; m < model.Explanations.Count; m++)
            body.Append(MethodSection(model, model.Explanations[m], m, thumbs, data));

        var rows = SampleData.Rows(model, shown);
        data.Samples = SampleData.Build(model, shown, rows, thumbs);
        data.Cards = CardData.Build(model, shown);
        var maps = model.Maps;
        bool hasMaps = maps is not null;
        if (maps is not null) data.Maps = MapData.Build(maps, rows);

        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data: 'self' file:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">")
            .Append("<title>").Append(E(model.Title)).Append("</title><style>").Append(Assets.Css).Append("</style></head><body>");
        html.Append(SkipLinks(model.Explanations.Count > 0, hasMaps));
        html.Append(Header(model, LinkedImagesNote(thumbs.FirstLinkedImage)));
        html.Append(hasMaps ? "<div class=\"layout\"><main>" : "<div class=\"layout nomaps\"><main>");
        // At the top, above the concepts, the run's warnings first: rows paired at random make every concept below an artefact
        // of the pairing, and the warning had reached stderr only (review 180, finding 1).
        var shownWarnings = model.Warnings.Concat(warnings).ToList();
        if (shownWarnings.Count > 0)
        {
            html.Append("<section class=\"warnings\"><h2>Warnings</h2><ul>");
            foreach (var w in shownWarnings.Take(50)) html.Append("<li>").Append(E(w)).Append("</li>");
            if (shownWarnings.Count > 50) html.Append(Inv, $"<li>… and {shownWarnings.Count - 50} more</li>");
            html.Append("</ul></section>");
        }
        html.Append(body).Append("</main>");
        if (hasMaps)
        {
            html.Append(MapsAside(model, maps!));
        }
        html.Append("</div><div id=\"tip\" class=\"tip\" hidden></div>");
        html.Append("<footer>RepDiff ").Append(E(RepDiffInfo.Version)).Append(thumbs.FirstLinkedImage is null ? " · self-contained report, no network needed" : " · no network needed; the images are linked files (--link-images), not part of this file").Append("</footer>");
        html.Append("<script type=\"application/json\" id=\"rd-data\">").Append(data.ToJson()).Append("</script>");
        html.Append("<script>").Append(Assets.Script).Append('\n').Append(Assets.MapsScript).Append('\n').Append(Assets.CardsScript).Append("</script></body></html>");
        return new Result(html.ToString(), warnings);
    }

    /// <summary>
    /// Links that appear on the first Tab presses and jump past what comes before the concepts or the maps: the maps come
    /// last in the page, and the keyboard had to pass every consensus row, card and button first (332 Tab presses in the
    /// garments demo report).
    /// </summary>
    private static string SkipLinks(bool hasConcepts, bool hasMaps)
    {
        if (!hasConcepts && !hasMaps) return "";
        var s = new StringBuilder("<nav class=\"skip\" aria-label=\"skip links\">");
        if (hasConcepts) s.Append("<a href=\"#method-0\">Skip to the concepts</a>");
        if (hasMaps) s.Append("<a href=\"#maps\">Skip to the maps</a>");
        return s.Append("</nav>").ToString();
    }

    /// <summary>
    /// The linked maps: PCA (and UMAP) of both models on canvases drawn by Assets/maps.js from the page data, a switch
    /// between them, the colouring choice (labels and every metadata column) and what the maps leave out or place.
    /// </summary>
    private static string MapsAside(ReportModel model, SampleMaps maps)
    {
        var s = new StringBuilder("<aside class=\"maps\" id=\"maps\" aria-label=\"maps\"><div class=\"sticky\"><h2>Where the concept lies in each model</h2>");
        s.Append("<p id=\"map-caption\" class=\"caption\">Hover over or focus a concept card to highlight its members in both maps, click it (or press Enter) to keep them lit; drag on a map to select samples.</p>");
        // Where the maps announce the sample the keyboard moved to, and what Enter, Space or Escape did (maps.js).
        s.Append("<p id=\"map-live\" class=\"sr-only\" aria-live=\"polite\"></p>");
        // The shown concepts that hold the samples selected on a map (for several, those holding the most, with counts), each a
        // button that selects its card; else a hint (cards.js).
        s.Append("<div id=\"map-concepts\" class=\"held-in\" aria-live=\"polite\"></div>");
        s.Append("<div class=\"mapbar\">");
        if (maps.Umap is not null)
            // Two toggle buttons (aria-pressed, kept by maps.js): a "tablist" role without "tab" children is not a tab list to a screen reader.
            s.Append("<div class=\"maptabs\" role=\"group\" aria-label=\"map kind\"><button type=\"button\" data-kind=\"pca\" class=\"on\" aria-pressed=\"true\">PCA</button><button type=\"button\" data-kind=\"umap\" aria-pressed=\"false\">UMAP</button></div>");
        var columns = SampleData.ColumnNames(model.Samples).ToList();
        // Coloured by the labels (or the first metadata column) at first; by an image look only when chosen.
        bool firstIsData = model.Samples.Labels is not null || model.Samples.Metadata is { Columns.Count: > 0 };
        s.Append("<label class=\"colour\">colour <select id=\"map-colour\"><option value=\"-1\"").Append(firstIsData ? "" : " selected").Append(">none</option>");
        for (int c = 0; c < columns.Count; c++)
            s.Append(Inv, $"<option value=\"{c}\"{(c == 0 && firstIsData ? " selected" : "")}>").Append(E(columns[c])).Append("</option>");
        s.Append("</select></label><button type=\"button\" id=\"map-clear\" hidden>clear selection</button></div>");
        s.Append(SearchField(model.Samples));
        s.Append(MapSet("pca", "PCA, first two components", model, maps.Samples.Length, hidden: false));
        if (maps.Umap is not null) s.Append(MapSet("umap", "UMAP, 15 neighbours, B's layout started from A's", model, maps.Samples.Length, hidden: true));
        if (maps.Subsampled(model.N))
            s.Append(Inv, $"<p class=\"note\">The maps show {maps.Samples.Length:N0} of the {model.N:N0} samples (an even stride plus every member of the shown concepts).</p>");
        if (maps.Umap is null)
            s.Append("<p class=\"note\">").Append(maps.Samples.Length < SampleMaps.UmapMinSamples
                ? $"No UMAP maps: UMAP needs at least {SampleMaps.UmapMinSamples} samples."
                : "PCA maps only: the UMAP maps were not asked for (repdiff … --maps pca).").Append("</p>");
        if (maps.UmapPlaced)
            s.Append(Inv, $"<p class=\"note umap-note\">UMAP laid out a seeded subset of {maps.UmapDescentPoints:N0} samples; the other {maps.Samples.Length - maps.UmapDescentPoints:N0} are placed at the weighted mean of their 15 nearest subset samples.</p>");
        s.Append("<div id=\"map-legend\" class=\"legend\"></div>");
        return s.Append("</div></aside>").ToString();
    }

    /// <summary>
    /// One search field for both maps (maps.js): it outlines the samples whose id, image file, label or text holds what is typed, and
    /// Enter selects them. Its label names only what this report's samples have; the count beside it is read out as it changes.
    /// </summary>
    private static string SearchField(SampleInfo samples)
    {
        var fields = new List<string> { "id" };
        if (samples.Files is not null) fields.Add("file name");
        if (samples.Labels is not null || samples.Metadata?["label"] is not null) fields.Add("label");
        if (samples.Texts is not null) fields.Add("text");
        string what = fields.Count == 1 ? fields[0] : string.Join(", ", fields.SkipLast(1)) + " or " + fields[^1];
        return "<div class=\"mapsearch\"><input type=\"search\" id=\"map-search\" autocomplete=\"off\" spellcheck=\"false\" placeholder=\"find samples by " + what
            + "\" aria-label=\"Find samples on both maps by " + what + ": matches are outlined, Enter selects them, Escape clears the search\" aria-describedby=\"map-search-count\">"
            + "<span id=\"map-search-count\" class=\"count\" role=\"status\"></span></div>";
    }

    /// <summary>One kind of map (PCA or UMAP) of both models; B's map is aligned onto A's, so the same region holds the same samples.</summary>
    private static string MapSet(string kind, string caption, ReportModel model, int samples, bool hidden)
    {
        var s = new StringBuilder($"<div class=\"mapset\" data-kind=\"{kind}\"{(hidden ? " hidden" : "")}>");
        // The caption is cut to three lines (report.css); its title keeps the whole name.
        s.Append("<figure><figcaption title=\"A: ").Append(EIsolated(model.NameA)).Append("\">A: ").Append(Bdi(model.NameA)).Append(" <small>(").Append(E(caption)).Append(")</small></figcaption>")
            .Append(Canvas(kind, "a", samples)).Append("</figure>");
        s.Append("<figure><figcaption title=\"B: ").Append(EIsolated(model.NameB)).Append("\">B: ").Append(Bdi(model.NameB)).Append(" <small>(").Append(E(caption)).Append(", aligned to A)</small></figcaption>")
            .Append(Canvas(kind, "b", samples)).Append("</figure>");
        return s.Append("</div>").ToString();
    }

    /// <summary>
    /// One map: the points' canvas and above it the overlay that takes the mouse, in a box that is the keyboard's way in
    /// (maps.js). The box is focusable; its role "application" makes a screen reader hand the arrow keys to the page instead
    /// of reading with them, and its label says what the map shows and what the keys do. The canvases are hidden from
    /// assistive technology: the box speaks for them.
    /// </summary>
    private static string Canvas(string kind, string side, int samples)
    {
        string label = string.Create(Inv, $"{kind.ToUpperInvariant()} map of {side.ToUpperInvariant()}, {samples:N0} sample{(samples == 1 ? "" : "s")}. Arrow keys move to the nearest sample in that direction; Enter or Space adds it to or removes it from the selection; Escape clears the selection.");
        return $"<div class=\"mapbox\" data-kind=\"{kind}\" data-side=\"{side}\" tabindex=\"0\" role=\"application\" aria-label=\"{label}\"><canvas class=\"map\" data-kind=\"{kind}\" data-side=\"{side}\" aria-hidden=\"true\"></canvas><canvas class=\"overlay\" data-kind=\"{kind}\" data-side=\"{side}\" aria-hidden=\"true\"></canvas></div>";
    }

    /// <summary>
    /// HTML-escapes a user-supplied string (also safe inside double-quoted attributes), its bidirectional controls shown as
    /// spaces: a label inside a finding's sentence must not reorder the rest of it (<see cref="BidiControls"/>).
    /// </summary>
    public static string E(string? text) => WebUtility.HtmlEncode(BidiControls.Neutralize(text ?? ""));

    /// <summary>
    /// s cut to its first <paramref name="keep"/> UTF-16 units and "…" when longer than one more (<see cref="TextCut"/>:
    /// a pair kept whole, as an emoji id's half had reached the page as U+FFFD).
    /// </summary>
    public static string Head(string s, int keep) => s.Length <= keep + 1 ? s : TextCut.Head(s, keep);

    /// <summary>As <see cref="Head"/>, keeping the end: "…" and the last <paramref name="keep"/> units.</summary>
    public static string Tail(string s, int keep) => s.Length <= keep + 1 ? s : TextCut.Tail(s, keep);

    /// <summary>A user-supplied string escaped (<see cref="E"/>) inside its own bdi: a right-to-left name or label keeps the text around it in its order.</summary>
    public static string Bdi(string? text) => "<bdi>" + E(text) + "</bdi>";

    /// <summary>
    /// A user-supplied string escaped (<see cref="E"/>) between isolate marks (<see cref="BidiControls.Isolate"/>), for an
    /// attribute (a title, an alt) where a bdi cannot go: "שלום: 3 of 17 members" keeps its count after the label.
    /// </summary>
    public static string EIsolated(string? text) => BidiControls.IsolateStart + E(text) + BidiControls.IsolateEnd;

    /// <summary>
    /// A sentence whose user strings are marked (<see cref="BidiControls.Isolate"/>: findings, a direction's reading) as HTML: each
    /// marked string in its own bdi, every piece escaped by <see cref="E"/> (which shows a stray mark as a space), so "33% אלף,"
    /// keeps its number beside its label.
    /// </summary>
    public static string Isolated(string marked)
    {
        var s = new StringBuilder();
        int at = 0;
        while (marked.IndexOf(BidiControls.IsolateStart, at) is int start and >= 0 && marked.IndexOf(BidiControls.IsolateEnd, start + 1) is int end and >= 0)
        {
            s.Append(E(marked[at..start])).Append(Bdi(marked[(start + 1)..end]));
            at = end + 1;
        }
        return s.Append(E(marked[at..])).ToString();
    }

    /// <summary>
    /// Where a page links its images (--link-images) rather than embeds them, what that means for sharing it: moved one folder
    /// deeper or sent alone, its footer had called it self-contained while every picture was broken.
    /// </summary>
    private static string LinkedImagesNote(string? firstLinkedImage) => firstLinkedImage is null ? "" :
        "<p class=\"note linked\">This report links its images from files beside it (for example <code>" + E(Uri.UnescapeDataString(firstLinkedImage))
        + "</code>, relative to this file) instead of holding them: moved or sent without them, it shows no pictures. Write it without <code>--link-images</code> to have one file that holds everything.</p>";

    private static string Header(ReportModel model, string linkedImagesNote)
    {
        var h = new StringBuilder("<header class=\"top\">");
        h.Append("<h1>").Append(E(model.Title)).Append("</h1>").Append(linkedImagesNote);
        if (model.Intro is { } intro) h.Append("<p class=\"intro\">").Append(CodeSpans(E(intro))).Append("</p>");
        h.Append("<dl class=\"facts\">");
        if (model.SetSizes is { } sets)
        {
            // FINC compares two sample sets of one model: each is named with its own size (there is no shared sample count).
            Fact(h, "test set", string.Create(Inv, $"{Bdi(model.NameA)} <small>{sets.Test:N0} samples</small>"));
            Fact(h, "reference set", string.Create(Inv, $"{Bdi(model.NameB)} <small>{sets.Reference:N0} samples</small>"));
        }
        else SampleFacts(h, model);
        if (model.Samples.Labels is { } labels) Fact(h, "labels", labels.Names.Length == 1 ? "1 class" : $"{labels.Names.Length} classes");
        var seeds = model.Explanations.Select(e => e.Parameters["seed"]?.ToJsonString()).Where(s => s is not null).Distinct().ToList();
        if (seeds.Count > 0) Fact(h, "seed", E(string.Join(", ", seeds)));
        Fact(h, "methods", E(string.Join(", ", model.Explanations.Select(e => e.Method))));
        Fact(h, "version", E(RepDiffInfo.Commit is { } commit ? $"{RepDiffInfo.Version} (commit {commit[..Math.Min(7, commit.Length)]})" : RepDiffInfo.Version));
        double? total = model.Timings.TryGetValue("total", out var t) ? t : null;
        total ??= model.Explanations.Sum(e => e.Timings.GetValueOrDefault("total"));
        Fact(h, "time", $"{total:F1} s");
        h.Append("</dl>");
        if (model.Origin is { } origin) h.Append(Origin(origin));
        if (model.Context.Count > 0)
        {
            h.Append("<div class=\"context\"><span class=\"ctx-title\">How similar overall</span>");
            foreach (var (key, value) in model.Context)
            {
                if (key.EndsWith("_samples", StringComparison.Ordinal) || key.EndsWith("_note", StringComparison.Ordinal)) continue;
                if (value is JsonValue v && v.TryGetValue(out double x))
                    h.Append("<span class=\"chip\" title=\"").Append(E(ContextHelp(key))).Append("\">").Append(E(ContextName(key, model.Context)))
                        .Append(Inv, $" <b>{x:F3}</b>").Append(key == "mutual_knn" ? KnnChance(model) : "").Append("</span>");
                // An undefined score (null) says so, with why beside it, rather than vanishing or reading 0.
                else if (value is null && model.Context[Metrics.ContextMetrics.NoteKey(key)]?.GetValue<string>() is { } note)
                    h.Append("<span class=\"chip\" title=\"").Append(E(ContextHelp(key))).Append("\">").Append(E(ContextName(key, model.Context)))
                        .Append(" <b>undefined</b> <small class=\"chance\">").Append(E(note.StartsWith("undefined: ", StringComparison.Ordinal) ? note["undefined: ".Length..] : note)).Append("</small></span>");
            }
            h.Append("<span class=\"ctx-note\">One-number scores say how much the models agree overall; the concepts below say where they differ.</span></div>");
        }
        // A comparison's one-line finding, as the terminal and the demo's index lead with it: a shared report had lacked it.
        if (model.Explanations.Count > 1 && model.LeadingFindings is { } headline)
            h.Append("<p class=\"headline\"><span class=\"ctx-title\">Finding</span> <small>(the method ranked first by mean BSR)</small> ")
                .Append(Isolated(headline.Headline(isolated: true))).Append("</p>")
                .Append(headline.Note is { } note ? UntestedNote(note) : "");
        return h.Append("</header>").ToString();
    }

    /// <summary>
    /// Escaped text with each `command` between backticks as code: an intro's "run `repdiff koda`" showed its backticks
    /// (review 167); the terminal says the same sentence as plain text, backticks and all.
    /// </summary>
    internal static string CodeSpans(string escaped) => System.Text.RegularExpressions.Regex.Replace(escaped, "`([^`]+)`", "<code>$1</code>");

    /// <summary>
    /// How to make the report again and check its inputs: the command as typed, in a block that wraps (a long one had widened
    /// the page) and selects whole with one click, and each input's first 12 hex digits of SHA-256, the full one in its title.
    /// </summary>
    private static string Origin(IO.RunOrigin origin)
    {
        var h = new StringBuilder("<div class=\"origin\"><p><span class=\"ctx-title\">Command</span> ")
            .Append("<code class=\"command\" title=\"").Append(E(origin.Reading)).Append("\">").Append(E(origin.Command)).Append("</code></p>");
        if (origin.Inputs.Count > 0)
        {
            h.Append("<p class=\"fingerprints\"><span class=\"ctx-title\">Inputs</span> ");
            foreach (var input in origin.Inputs)
                h.Append("<span class=\"fingerprint\" title=\"").Append(E(input.Key)).Append(": SHA-256 ").Append(input.Sha256).Append("\">")
                    .Append(Bdi(input.Name)).Append(" <code>").Append(input.Short).Append("</code></span> ");
            h.Append("<small>the first 12 hex digits of each file's SHA-256: <code>sha256sum FILE</code> checks them")
                .Append(string.Concat(origin.Inputs.Where(input => input.Check is not null).Select(images =>
                    $"; {Bdi(images.Name)}: {E(images.Check!.Covers)}, <code class=\"images-check\">{E(images.Check.Command)}</code>")))
                .Append("</small></p>");
        }
        return h.Append("</div>").ToString();
    }

    /// <summary>
    /// An untested finding's note (<see cref="ExplanationFindings.Note"/>) as a paragraph: its verdict in bold, as the eigensolver's
    /// warning is, and its options as code, which does not break a line after their dashes ("-- validate"), "--max-samples" whole.
    /// </summary>
    private static string UntestedNote(string note)
    {
        int colon = note.IndexOf(':') + 1;
        return $"<p class=\"note untested\"><b>{E(note[..colon])}</b>"
            + System.Text.RegularExpressions.Regex.Replace(E(note[colon..]), "--[a-z]+(-[a-z]+)*", "<code>$0</code>") + "</p>";
    }

    /// <summary>The two representations with their dimensions, and the shared samples (with RDX's --max-samples subsample).</summary>
    private static void SampleFacts(StringBuilder h, ReportModel model)
    {
        // Each name isolated: a right-to-left name had put "256" before itself ("256 מודל ב dims").
        Fact(h, "A", model.DimensionsA is int da ? $"{Bdi(model.NameA)} <small>{da} dims</small>" : Bdi(model.NameA));
        Fact(h, "B", model.DimensionsB is int db ? $"{Bdi(model.NameB)} <small>{db} dims</small>" : Bdi(model.NameB));
        // A method that ran on a subsample (RDX's --max-samples) says so where the sample count is read.
        var subsampled = model.Explanations.Select(e => (e.Method, Used: e.Metrics["samples_used"]?.GetValue<int>() ?? model.N))
            .Where(e => e.Used < model.N).Select(e => string.Create(Inv, $"{e.Method} on a seeded {e.Used:N0}")).ToList();
        Fact(h, "samples", model.N.ToString("N0", Inv) + (subsampled.Count > 0 ? $" <small>({E(string.Join(", ", subsampled))}: --max-samples)</small>" : "")
            + (model.Samples.LeftOut is { } leftOut ? string.Create(Inv, $" <small>(those both hold: {leftOut.CountA:N0} of A's and {leftOut.CountB:N0} of B's left out, --common-samples)</small>") : ""));
    }

    private static void Fact(StringBuilder h, string name, string valueHtml)
        => h.Append("<div><dt>").Append(name).Append("</dt><dd>").Append(valueHtml).Append("</dd></div>");

    /// <summary>
    /// Mutual k-NN's chance level beside it, as every BSR has its own: k/(n − 1), the overlap of random neighbours, with n the
    /// samples it was measured on (an evenly spaced subsample above 10,000 samples: `mutual_knn_samples`), not all samples.
    /// </summary>
    private static string KnnChance(ReportModel model)
    {
        int n = Metrics.MutualKnn.SamplesOf(model.Context, model.N);
        int k = Metrics.MutualKnn.NeighboursOf(model.Context);
        return string.Create(Inv, $"<small class=\"chance\" title=\"chance level: random neighbours share k/(n − 1) = {k}/{n - 1:N0} of each sample's {k} neighbours ({n:N0} samples measured)\"> / {Metrics.MutualKnn.Chance(k, n):F3}</small>");
    }

    private static string ContextName(string key, JsonObject context) => key switch
    {
        "linear_cka" => "linear CKA",
        "mutual_knn" => $"mutual k-NN (k = {Metrics.MutualKnn.NeighboursOf(context)})",
        _ => key.Replace('_', ' '),
    };

    private static string ContextHelp(string key) => key switch
    {
        "linear_cka" => "Linear centred kernel alignment of A and B: 1 = identical up to rotation and scale.",
        "mutual_knn" => "Mean overlap of each sample's nearest neighbours in A and in B; beside it, the overlap random neighbours would have.",
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
        s.Append("<p class=\"note\">Binary success rate (BSR) of each method's concept grids: the fraction of pairs inside a grid that are closer in the explained model than in the other (1 is perfect). Under each figure, in small type, its chance level: the mean BSR of random groups of the same sizes under the same distance (SILB's is near 0.5; MNED's and LSED's are not when the two models' distances are spread differently, so read them against it). A mean marked † has a side at or below its own chance level (its title names which): the mean of a side at chance and a side well above it can look strong, and a mean reads “= chance” only where both sides are at theirs (MNED's sides of 0 and 1 beside 0.0005 and 0.9995 average to 0.500 / 0.500); on a card, † marks a grid at or below its own, its title saying where the grid is below it by two spreads: nearer neighbours in the other model. Columns A and B score the grids that explain A (e.g. <i>more similar in A</i>) and B. SILB uses neighbourhood ranks, MNED max-normalized Euclidean distances, LSED local-scaling distances.</p>");
        s.Append("<table><thead><tr><th rowspan=\"2\">method</th><th colspan=\"3\" class=\"group\">SILB</th><th colspan=\"3\" class=\"group\">MNED</th><th colspan=\"3\" class=\"group\">LSED</th></tr><tr>");
        for (int k = 0; k < 3; k++) s.Append("<th class=\"sub\">A</th><th class=\"sub\">B</th><th class=\"sub\">mean</th>");
        s.Append("</tr></thead><tbody>");
        double best = rows.Where(r => r.Direction == "mean").Select(r => r.Silb ?? 0).DefaultIfEmpty(0).Max();
        for (int m = 0; m < explanations.Count; m++)
        {
            var e = explanations[m];
            var mine = rows.Where(r => r.Method == e.Method).ToList();
            if (mine.Count == 0) continue;
            var ((nameA, a), (nameB, b)) = MeanSides(e, mine);
            var mean = mine.FirstOrDefault(r => r.Direction == "mean");
            s.Append(Inv, $"<tr><td><a href=\"#method-{m}\">").Append(E(e.Method)).Append("</a></td>");
            s.Append(BsrCell(a?.Silb, a?.SilbChance)).Append(BsrCell(b?.Silb, b?.SilbChance))
                .Append(BsrCell(mean?.Silb, mean?.SilbChance, best: mean?.Silb == best, sides: [(nameA, a?.Silb, a?.SilbChance), (nameB, b?.Silb, b?.SilbChance)]));
            s.Append(BsrCell(a?.Mned, a?.MnedChance)).Append(BsrCell(b?.Mned, b?.MnedChance))
                .Append(BsrCell(mean?.Mned, mean?.MnedChance, sides: [(nameA, a?.Mned, a?.MnedChance), (nameB, b?.Mned, b?.MnedChance)]));
            s.Append(BsrCell(a?.Lsed, a?.LsedChance)).Append(BsrCell(b?.Lsed, b?.LsedChance))
                .Append(BsrCell(mean?.Lsed, mean?.LsedChance, sides: [(nameA, a?.Lsed, a?.LsedChance), (nameB, b?.Lsed, b?.LsedChance)]));
            s.Append("</tr>");
        }
        return s.Append("</tbody></table></section>").ToString();
    }

    /// <summary>A cell of the table; a mean's, given its <paramref name="sides"/>, marked † where one is at or below its chance level.</summary>
    private static string BsrCell(double? v, double? chance, bool best = false, (string Name, double? Bsr, double? Chance)[]? sides = null) => v is double x
        ? string.Create(Inv, $"<td class=\"num{(sides is null ? "" : " mean")}{(best ? " best" : "")}\" style=\"--v:{Math.Clamp((x - (chance ?? 0.5)) * 2, 0, 1):F2}\">")
            + (sides is null ? BsrBesideChance(x, chance) : MeanBesideChance(x, chance, sides)) + "</td>"
        : "<td class=\"num\">–</td>";

    /// <summary>
    /// The sides a method's mean BSR is read against (<paramref name="rows"/>: the method's), by the table's columns A and B: the
    /// rows of the directions that explain A and B, each with its <see cref="SideName"/> ("" and null where there is none). The
    /// demo's index marks a mean by them too: it had counted every direction of the method, one explaining neither model as well.
    /// </summary>
    internal static ((string Name, BsrRow? Row) A, (string Name, BsrRow? Row) B) MeanSides(Explanation e, IReadOnlyList<BsrRow> rows)
    {
        (string, BsrRow?) Side(string side) => e.Directions.FirstOrDefault(d => d.Explains == side) is { } d && rows.FirstOrDefault(r => r.Direction == d.Name) is { } row
            ? (SideName(e, row.Direction), row) : ("", null);
        return (Side("a"), Side("b"));
    }

    /// <summary>
    /// Marks a mean BSR whose <paramref name="sides"/> (<see cref="SideName"/>) are at or below their chance levels (the report's
    /// table and the index), naming them: "one side is at or below its chance level" had left the reader to find which.
    /// </summary>
    internal static string AtChanceMark(IReadOnlyList<string> sides) => "<span class=\"at-chance\" title=\"" + E(string.Join(" and ", sides))
        + (sides.Count == 1 ? " are" : " are each") + " at or below their chance level\">†</span>";

    /// <summary>
    /// A direction's grids by the BSR table's column and the direction's title: "A's grids (more similar in A)"; a direction that
    /// explains neither model (FINC's) by its title alone.
    /// </summary>
    internal static string SideName(Explanation e, string direction)
    {
        string title = DirectionNames.Title(direction);
        title = char.ToLowerInvariant(title[0]) + title[1..];
        string? side = e.Directions.FirstOrDefault(d => d.Name == direction)?.Explains;
        return side is "a" or "b" ? $"{side.ToUpperInvariant()}'s grids ({title})" : $"the grids {title}";
    }

    /// <summary>
    /// Marks a card whose grid's BSR is at or below its chance level, by the table's rule (<see cref="Concept.GridAtChance"/>);
    /// one as far below it as a direction's finding calls below (<see cref="Concept.GridBelowChance"/>) says so, as the finding
    /// does: a grid at 0.097 against 0.493 had read as one at 0.49, "no closer than random groups".
    /// </summary>
    internal static string GridAtChanceMark(Concept concept, Direction direction)
    {
        if (!concept.GridAtChance) return "";
        string title = "at or below its chance level: this grid is no closer than random groups of the same size";
        if (concept.GridBelowChance && Metrics.BsrFigures.Of(concept.Bsr!.Value, concept.BsrChance!.Value, fewest: 2) is var f)
        {
            var (explained, other) = direction.Explains == "b" ? ("B", "A") : ("A", "B");
            title = $"below its chance level: this grid's samples are nearer neighbours of each other in {other} than in {explained} "
                + string.Create(Inv, $"more often than those of random groups of its size (BSR {f.Bsr}, random groups {f.Chance} ± {concept.BsrChanceSd:F3})");
        }
        return $"<span class=\"at-chance\" title=\"{E(title)}\">†</span>";
    }

    /// <summary>
    /// A BSR figure with its chance level in small type beside it, both to the decimals that tell them apart
    /// (<see cref="Metrics.BsrFigures"/>; a card's fewest are two, elsewhere three): "0.620 / 0.490", "0.9998 / 0.9995",
    /// "0.00030 / 0.00050", or "1.000 = chance" where six decimals cannot; the figure alone where there is no chance level.
    /// </summary>
    internal static string BsrBesideChance(double bsr, double? chance, int fewest = 3, bool bold = false)
    {
        if (chance is double c) return Beside(Metrics.BsrFigures.Of(bsr, c, fewest), bold);
        string figure = bsr.ToString("F" + fewest.ToString(Inv), Inv);
        return bold ? $"<b>{figure}</b>" : figure;
    }

    /// <summary>
    /// A mean BSR beside the mean of its sides' chance levels (the table's mean column, the demo's index), "= chance" only
    /// where every side is at its own (<see cref="Metrics.BsrFigures.OfMean"/>), and marked † where a side is at or below
    /// its own. A mean that equals its chance level only on average reads "0.500 / 0.500", its title saying why.
    /// </summary>
    internal static string MeanBesideChance(double mean, double? meanChance, IEnumerable<(string Name, double? Bsr, double? Chance)> sides)
    {
        var known = sides.ToList();
        var atChance = known.Where(s => Concept.AtChance(s.Bsr, s.Chance)).Select(s => s.Name).ToList();
        return (meanChance is double c ? Beside(Metrics.BsrFigures.OfMean(mean, c, known.Select(s => (s.Bsr, s.Chance)))) : mean.ToString("F3", Inv))
            + (atChance.Count > 0 ? AtChanceMark(atChance) : "");
    }

    private static string Beside(Metrics.BsrFigures f, bool bold = false)
    {
        string figure = bold ? $"<b>{f.Bsr}</b>" : f.Bsr;
        if (f.Equal) return figure + "<small class=\"chance\" title=\"equal to its chance level, the mean BSR of random groups of the same size, to six decimals\"> = chance</small>";
        string title = f.Bsr == f.Chance
            ? "mean of the two sides' chance levels: the mean BSR equals it, yet the sides are not each at their own (read A and B)"
            : "chance level: mean BSR of random groups of the same size, same distance";
        return figure + $"<small class=\"chance\" title=\"{title}\"> / {f.Chance}</small>";
    }

    private static string MethodSection(ReportModel model, Explanation e, int m, Thumbnails thumbs, ClientData data)
    {
        var s = new StringBuilder();
        s.Append(Inv, $"<section class=\"method\" id=\"method-{m}\"><h2><span class=\"mname\">").Append(E(e.Method)).Append("</span>");
        s.Append("<span class=\"params\">").Append(E(string.Join(" · ", e.Parameters.Where(p => p.Value is JsonValue).Take(8).Select(p => $"{p.Key} {Short((JsonValue)p.Value!)}")))).Append("</span></h2>");
        s.Append("<details class=\"meta\"><summary>parameters and timings</summary><table>");
        foreach (var (key, value) in e.Parameters)
            s.Append("<tr><th>").Append(E(key)).Append("</th><td>").Append(E(ParameterText(value))).Append("</td></tr>");
        foreach (var (stage, seconds) in e.Timings)
            s.Append("<tr><th>time: ").Append(E(stage)).Append(Inv, $"</th><td>{seconds:F3} s</td></tr>");
        s.Append("</table></details>");
        if (e.Metrics["eigensolver_converged"] is JsonValue converged && converged.TryGetValue(out bool ok) && !ok)
            s.Append("<p class=\"note\"><b>Warning:</b> the eigensolver stopped at its product cap before every mode met its tolerance; the weakest modes may be approximate.</p>");
        if (Methods.Spec.SpecAlignMethod.AlignmentSentence(e.Metrics, model.NameA, model.NameB) is { } alignment)
            s.Append("<p class=\"statement\">").Append(E(char.ToUpperInvariant(alignment[0]) + alignment[1..])).Append(".</p>");
        if (e.Metrics["stability_note"] is JsonValue stabilityNote && stabilityNote.TryGetValue(out string? leftOut))
            s.Append("<p class=\"note\">").Append(E(char.ToUpperInvariant(leftOut[0]) + leftOut[1..])).Append(".</p>");

        if (e.Spectrum is { Length: > 0 } spectrum)
            s.Append("<figure class=\"plot\">").Append(Charts.Spectrum(spectrum))
                .Append("<figcaption>Eigenvalue spectrum of the difference, in the method's order: ").Append(SpectrumSigns(model, e)).Append("</figcaption></figure>");
        // Each method's strength is on its own scale, so it is named once here and on every card's figure.
        string? strength = e.StrengthMeaning;
        var findings = model.Findings.FirstOrDefault(f => f.Method == e.Method);
        var given = findings is { OfGivenGroups: true } ? findings : null;
        if (strength is not null)
            s.Append("<p class=\"note strength\"><b>Strength</b> (on each card): ").Append(E(strength))
                .Append(given is null ? ". It ranks this method's concepts" : ". It ranks the groups given").Append("; it is not comparable across methods.</p>");
        // Groups given in a file: where they hold, counted ("Of the three groups given, one holds in A …"); a method's directions say what it found.
        if (given is not null)
            s.Append("<p class=\"given-summary\">").Append(Isolated(given.IsolatedSummary)).Append("</p>");
        if (findings?.Note is { } note) s.Append(UntestedNote(note));

        for (int d = 0; d < e.Directions.Count; d++)
        {
            var direction = e.Directions[d];
            s.Append("<div class=\"direction\"><h3>").Append(E(DirectionNames.Title(direction.Name))).Append("</h3>");
            s.Append("<p class=\"statement\">").Append(Statement(model, e, direction));
            // FINC's two directions number their members in different sets: said, or #199 reads as one sample in both.
            if (direction.Rows is { } rows)
                s.Append(" <small>Sample numbers (#) are rows of ").Append(Bdi(rows == "test" ? model.NameA : model.NameB)).Append(".</small>");
            if (BsrRow.Read(e.Metrics, "bsr", direction.Name) is double bsr)
                s.Append(" <span class=\"chip\">BSR ").Append(BsrBesideChance(bsr, BsrRow.Read(e.Metrics, "bsr_chance", direction.Name))).Append("</span>");
            s.Append(ValidationTally(direction));
            s.Append("</p>");
            if (direction.Concepts.Count == 0) s.Append("<p class=\"note\">No concepts in this direction.</p>");
            s.Append("<div class=\"cards\">");
            foreach (var concept in direction.Concepts.Take(MaxConceptsShown))
            {
                string key = ShownConcept.KeyOf(m, d, concept);
                s.Append(Card(model, concept, key, thumbs, data, CoefficientView(e, direction.Name, concept.Rank), strength, DirectionNames.IsDifference(direction.Name)));
            }
            s.Append("</div>");
            if (direction.Concepts.Count > MaxConceptsShown)
                s.Append(Inv, $"<p class=\"note\">{direction.Concepts.Count - MaxConceptsShown} weaker concepts not shown (they are in results.json).</p>");
            if (direction.Heatmap is { Samples.Length: > 1 } heatmap) s.Append(Heatmap(direction, heatmap, e.Metrics["samples_used"]?.GetValue<int>() ?? model.N));
            s.Append("</div>");
        }
        return s.Append("</section>").ToString();
    }

    /// <summary>
    /// Which model each sign of a spectrum belongs to, by name: positive eigenvalues are the modes of the direction that
    /// explains A (more similar in A; FINC: more frequent in the test set), negative those of B (the reference set).
    /// </summary>
    private static string SpectrumSigns(ReportModel model, Explanation e)
        => e.Directions.Any(d => d.Rows is not null)
            ? $"positive eigenvalues (blue) are modes more frequent in {ModelReference.Of("the test set", Bdi(model.NameA))}, negative (red) modes more frequent in {ModelReference.Of("the reference set", Bdi(model.NameB))}."
            : $"positive eigenvalues (blue) are modes more similar in {ModelReference.Of("A", Bdi(model.NameA))}; negative (red) are modes more similar in {ModelReference.Of("B", Bdi(model.NameB))}.";

    /// <summary>A parameter as the table shows it: strings unquoted, an option not set (null) as a dash, numbers and lists as JSON writes them.</summary>
    private static string ParameterText(JsonNode? value) => value switch
    {
        null => "—",
        JsonValue v when v.TryGetValue(out string? text) => text,
        _ => value.ToJsonString(),
    };

    /// <summary>A parameter for the one-line summary: numbers to 4 significant digits, strings unquoted (all of them are in the table below).</summary>
    private static string Short(JsonValue value)
        => value.TryGetValue(out double x) ? x.ToString("G4", Inv) : value.TryGetValue(out string? text) ? text : value.ToJsonString();

    /// <summary>
    /// What a direction of given groups holds: the groups the file says one model keeps together, or that lean to it when
    /// scored both ways; not "A ranks these samples as nearer neighbours …", which a given group at its chance level does not bear out.
    /// </summary>
    private static string? GivenReading(string direction, string nameA, string nameB) => direction switch
    {
        DirectionNames.MoreSimilarInA => $"The groups given as kept together by {ModelReference.Of("A", nameA)} and pulled apart by {ModelReference.Of("B", nameB)}, or leaning that way where given without a direction; each card's BSR beside its chance level says whether it holds.",
        DirectionNames.MoreSimilarInB => $"The groups given as kept together by {ModelReference.Of("B", nameB)} and pulled apart by {ModelReference.Of("A", nameA)}, or leaning that way where given without a direction; each card's BSR beside its chance level says whether it holds.",
        _ => null,
    };

    /// <summary>
    /// The plain-language reading of a direction, with what its concepts' labels show: the finding read from
    /// them (<see cref="ReportModel.Findings"/>), else the label mix of its concepts.
    /// </summary>
    private static string Statement(ReportModel model, Explanation e, Direction direction)
    {
        var (a, b) = (BidiControls.Isolate(model.NameA), BidiControls.Isolate(model.NameB));
        var found = model.FindingOf(e.Method, direction.Name);
        // Groups at or below chance did not find what the reading claims: it says what was looked for, the finding what was found.
        string text = Isolated(model.Findings.FirstOrDefault(f => f.Method == e.Method)?.OfGivenGroups == true && GivenReading(direction.Name, a, b) is { } given
            ? given : found?.NoBetterThanChance == true ? DirectionNames.Sought(direction.Name, a, b) : DirectionNames.Reading(direction.Name, a, b));
        // A finding with no lead concept is the sentence for a direction with nothing to describe (none confirmed, or no
        // better than random groups), the one the terminal prints; it is shown as it is, not replaced by a label mix.
        // Without labels a finding is shown only when texts' words or length name a concept; otherwise it would say no more than the statement.
        if (found is { } finding && (finding.Lead is null or { Mix: not ConceptMix.Unlabelled } || finding.NamedWithoutLabels))
            return text + " <span class=\"finding\">" + Isolated(finding.Isolated) + "</span>";
        // The label mix across the direction's concepts, each concept weighted equally.
        var counts = Described(direction).Take(MaxConceptsShown).Select(c => c.LabelCounts).OfType<Dictionary<string, int>>().Where(c => c.Count > 0).ToList();
        if (counts.Count > 0)
        {
            var mix = counts.SelectMany(c => c.Select(kv => (Label: kv.Key, Share: (double)kv.Value / c.Values.Sum() / counts.Count)))
                .GroupBy(x => x.Label).Select(g => (Label: g.Key, Share: g.Sum(x => x.Share)))
                .Where(x => x.Share >= 0.1).OrderByDescending(x => x.Share).Take(3).ToList();
            if (mix.Count > 0)
                text += $" Across its {(counts.Count == 1 ? "concept" : $"{counts.Count} concepts")}, the samples are mostly "
                    + JoinWords(mix.Select(x => string.Create(Inv, $"<b>{Bdi(x.Label)}</b> ({x.Share * 100:F0}%)")).ToList()) + ".";
        }
        return text;
    }

    /// <summary>The concepts a direction's statement speaks of: after held-out validation, the confirmed ones only.</summary>
    private static IEnumerable<Concept> Described(Direction direction)
        => direction.Concepts.Any(c => c.Confirmed is not null) ? direction.Concepts.Where(c => c.Confirmed == true) : direction.Concepts;

    /// <summary>The per-label coefficient distribution of a concept, where the method provides one (metrics.coefficients_by_label).</summary>
    private static JsonObject? CoefficientView(Explanation e, string direction, int rank)
        => (e.Metrics["coefficients_by_label"]?["directions"]?[direction] as JsonArray)?
            .OfType<JsonObject>().FirstOrDefault(v => v["rank"] is JsonValue r && r.TryGetValue(out int x) && x == rank)?["by_label"] as JsonObject;

    /// <summary>
    /// Downloads of members (Assets/cards.js makes the files in the page): every shown concept, or the current
    /// selection (the selected card, or the samples selected on a map), as CSV or JSON.
    /// </summary>
    private static string ExportBar(IReadOnlyList<ShownConcept> shown)
    {
        if (shown.Count == 0) return "";
        return "<section class=\"export\" id=\"export\"><h2>Export members</h2><p class=\"note\">Each row is one member: method, direction, rank, " + (RepDiff.IO.MemberExport.HasGroupNames(shown.Select(c => c.Explanation).Distinct()) ? "group (the given group's own name), " : "") + "strength, position, in_grid, row, id, label, score, the image file (for images read from files), the text (for texts) and the metadata columns, as <code>repdiff export</code> writes them (<code>--texts</code> for the text), strength and score to float32's seven significant digits (<code>repdiff export</code> gives them in full). A concept's own list opens from its card.</p>"
            + "<div class=\"exportbar\"><span>every shown concept</span><button type=\"button\" data-export=\"all\" data-format=\"csv\">CSV</button><button type=\"button\" data-export=\"all\" data-format=\"json\">JSON</button>"
            + "<span>current selection: <b id=\"export-selection\">none (select a card, or drag on a map)</b></span><button type=\"button\" data-export=\"selection\" data-format=\"csv\" disabled>CSV</button><button type=\"button\" data-export=\"selection\" data-format=\"json\" disabled>JSON</button></div></section>";
    }

    /// <summary>"x", "x and y", "x, y and z".</summary>
    private static string JoinWords(IReadOnlyList<string> items)
        => items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];

    /// <summary>
    /// A card's strength: four significant digits, three below 1, whose leading zeros take the room of a digit, trailing zeros
    /// kept (0.00180 beside 0.00174). A SPEC card's "strength 0.009758" was too long to sit beside the rank in a card of the
    /// narrowest width, and pushed the badge onto a line of its own.
    /// </summary>
    public static string StrengthFigure(double strength)
    {
        int digits = Math.Abs(strength) < 1 ? 3 : 4;
        if (strength == 0 || !double.IsFinite(strength) || Math.Abs(strength) < 1e-4 || Math.Abs(strength) >= 1e4) return strength.ToString("G" + digits, Inv);
        return strength.ToString("F" + Math.Max(0, digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(strength)))), Inv);
    }

    private static string Card(ReportModel model, Concept concept, string key, Thumbnails thumbs, ClientData data, JsonObject? coefficients, string? strength, bool difference)
    {
        var c = new StringBuilder();
        var grid = concept.Grid.Where(i => i >= 0 && i < model.N).ToArray();
        // Named for a screen reader as it is reached by Tab: an article has no name of its own, and was read as "article".
        c.Append(Inv, $"<article class=\"card{TrustClass(concept)}\" id=\"card-{key}\" data-key=\"{key}\" tabindex=\"0\" aria-label=\"{E(data.Shown[key].Title)}, {CardParts.MemberCount(concept.Members.Length)}\"><div class=\"card-head\"><header><span class=\"rank\">{concept.Rank}</span>");
        // A given group (`repdiff groups`) is known by its own name.
        if (concept.Name is { } name) c.Append(Inv, $"<span class=\"group-name\">{E(name)}</span>");
        c.Append(Inv, $"<span class=\"strength\"{(strength is null ? "" : $" title=\"strength: {E(strength)}\"")}>strength <b>{StrengthFigure(concept.Strength)}</b></span></header>");
        // The "·" ends the item before it, inside its nowrap span: starting the BSR's, it had begun a narrow card's second line.
        bool scored = concept.Bsr is double bsr && double.IsFinite(bsr);
        c.Append(Inv, $"<div class=\"sub\"><span>{CardParts.MemberCount(concept.Members.Length)}{(scored ? " ·" : "")}</span>");
        if (scored)
        {
            double cardBsr = concept.Bsr!.Value;
            c.Append(Inv, $" <span title=\"BSR (SILB) of this grid: fraction of pairs closer in the explained model than in the other\">BSR {BsrBesideChance(cardBsr, concept.BsrChance, fewest: 2, bold: true)}</span>")
                .Append(GridAtChanceMark(concept, data.Shown[key].Direction));
        }
        // The head ends after the trust lines: a card held in its own box above the dock keeps it in view (report.css, .card-head).
        c.Append("</div>").Append(StabilityNote(concept)).Append(ValidationLine(concept, data.Shown[key].Explanation, difference)).Append("</div>");
        if (thumbs.HasImages)
        {
            int columns = grid.Length <= 9 ? 3 : 4;
            c.Append(Inv, $"<div class=\"grid\" style=\"grid-template-columns:repeat({columns},1fr)\">");
            foreach (int i in grid)
            {
                string src = thumbs.Image(i)!;
                // Each of the user's strings isolated, so a right-to-left label does not carry the "·" or the id into its order.
                string named = OtherFile(model, i) is { } file ? $"{EIsolated(SampleName(model, i))} · {EIsolated(file)}" : EIsolated(SampleName(model, i));
                string caption = thumbs.Label(i) is { } l ? $"{named} · {EIsolated(l)}" : named;
                c.Append("<img src=\"").Append(E(src)).Append("\" alt=\"").Append(caption).Append("\" title=\"").Append(caption).Append("\">");
            }
            c.Append("</div>");
        }
        else if (thumbs.HasTexts)
        {
            c.Append("<ol class=\"texts\">");
            foreach (int i in grid.Take(TextsShown)) c.Append("<li title=\"").Append(E(thumbs.Text(i, 0))).Append("\"><span dir=\"auto\">").Append(E(thumbs.Text(i, 140))).Append("</span></li>");
            c.Append("</ol>");
        }
        else
        {
            c.Append("<p class=\"ids\">").Append(string.Join("  ", grid.Select(i => ListedSample(model, i, thumbs.Label(i))))).Append("</p>");
        }
        c.Append(GridNote(grid.Length, thumbs.HasTexts && !thumbs.HasImages ? Math.Min(grid.Length, TextsShown) : grid.Length, concept.Members.Length,
            model.Samples.Labels is not null && concept.LabelCounts is not null));
        if (model.Samples.Labels is { } labels && concept.LabelCounts is { } counts)
            c.Append(Charts.LabelHistogram(labels, counts));
        if (coefficients is not null && Charts.CoefficientBoxes(coefficients, model.Samples.Labels) is { Length: > 0 } boxes)
            c.Append("<details class=\"coef\"><summary>coefficient by label</summary>").Append(boxes).Append("</details>");
        c.Append(CardParts.Enrichment(concept)).Append(CardParts.Words(concept)).Append(CardParts.Looks(concept)).Append(CardParts.Closest(data.Shown[key], model.Consensus, data.ShownByConsensusIndex)).Append(CardParts.MembersButton(data.Shown[key]));
        return c.Append("</article>").ToString();
    }

    /// <summary>
    /// A sample in a card's list of ids: isolated, left to right, with its id and its label each isolated in it (a right-to-left
    /// label would otherwise carry the numbers around it into its own order, or turn "#9 (label)" round). The id and the label
    /// may break after "/", "_", "-" and "." only (<see cref="Charts.SampleBreaks"/>; "imagenet/n|01440764/…" and
    /// "very_long_name|-with…" had broken inside a word, and a label "north_american_river_otter" not at all); a word wider than
    /// the card's column ends in "…" (report.css), so the title holds the whole id, uncut, and the label.
    /// </summary>
    private static string ListedSample(ReportModel model, int sample, string? label)
    {
        string title = EIsolated(SampleName(model, sample, whole: true)) + (label is null ? "" : " (" + EIsolated(label) + ")");
        return "<bdi dir=\"ltr\" title=\"" + title + "\"><bdi>" + Charts.WordBreaks(E(SampleName(model, sample)), Charts.SampleBreaks) + "</bdi>"
            + (label is null ? "" : " (<bdi>" + Charts.WordBreaks(E(label), Charts.SampleBreaks) + "</bdi>)") + "</bdi>";
    }

    /// <summary>Texts a card shows, the first of its grid.</summary>
    private const int TextsShown = 5;

    /// <summary>
    /// What the samples a card shows are: its grid, which BSR scores, and not a sample of its members. RDX's grid is one
    /// member and its nearest cluster-mates, one corner of the concept, so it can hold none of the concept's largest label
    /// (a concept 48% bags showed T-shirts and pullovers and no bag; helper 141). Nothing when the grid is every member.
    /// </summary>
    private static string GridNote(int grid, int shown, int members, bool labelled)
    {
        if (grid == 0 || grid >= members) return "";
        string what = shown < grid ? string.Create(Inv, $"{shown} of its grid's {grid}, of {members:N0} members") : string.Create(Inv, $"its grid: {grid} of {members:N0} members");
        return string.Create(Inv, $"<p class=\"gridnote\" title=\"The grid is the members the method shows and BSR scores (for RDX one member and its nearest cluster-mates, one corner of the concept). The label bars and the lists below count all {members:N0} members.\">{what}{(labelled ? "; the labels below count all" : "")}</p>");
    }

    /// <summary>A concept's stability (docs/methods/METHODS.md §7) in words, when it was measured.</summary>
    private static string StabilityNote(Concept concept)
    {
        if (concept.Stability is not double s || !double.IsFinite(s)) return "";
        string found = s >= Trust.Stability.FoundAgain ? "found again" : s >= 0.4 ? "partly found again" : "not found again";
        double shown = Trust.Stability.Shown(s);
        // The number first, on a line that wraps, so a narrow card never cuts it off.
        return string.Create(Inv, $"<div class=\"trust stability\" title=\"mean best overlap (Jaccard) with a concept of the same direction when the method reruns on 80% subsamples: {shown * 100:F0}%\">stability {shown:F2}: {found} when rerun on 80% of the samples</div>");
    }

    /// <summary>
    /// A sample as a card names it: its id when the samples have ids (cut to 40 characters), else its image file (cut from
    /// the front, so the file's own name stays), else its row ("#1125"), which no file of the user's names (helper 79). Uncut
    /// when <paramref name="whole"/>, for a title.
    /// </summary>
    private static string SampleName(ReportModel model, int sample, bool whole = false)
    {
        if (model.Samples.Ids is { } ids && sample < ids.Length) return whole ? ids[sample] : Head(ids[sample], 39);
        if (model.Samples.Files is { } files && sample < files.Length) return whole ? files[sample] : Tail(files[sample], 39);
        return $"#{sample}";
    }

    /// <summary>The sample's image file where it has an id that is not the file's name (embed's ids are), else null: shown beside the id.</summary>
    private static string? OtherFile(ReportModel model, int sample)
        => model.Samples is { Ids: { } ids, Files: { } files } && sample < ids.Length && ids[sample] != files[sample] ? files[sample] : null;

    /// <summary>" unconfirmed" for a concept held-out validation did not confirm: it stays in the report, marked.</summary>
    private static string TrustClass(Concept concept) => concept.Confirmed == false ? " unconfirmed" : "";

    /// <summary>
    /// The card's line on held-out validation, in words (docs/methods/METHODS.md §7); nothing where it did not run. It gives
    /// the Benjamini–Hochberg adjusted p, the value the verdict reads (a raw p of 0.045 is not confirmed when its adjusted
    /// value is 0.083), and instead of a p says why there is none: p = 1 is then a convention (Concept.FoundAgain), not a test.
    /// </summary>
    private static string ValidationLine(Concept concept, Explanation explanation, bool difference)
    {
        if (concept.PValue is not double p) return "";
        string held = concept.HeldOutScore is double score ? string.Create(Inv, $"; held-out statistic {score:F2}") : "";
        // At the smallest p its random groups can give, both values are bounds: "≤", and why.
        int? floor = Trust.HeldOutValidation.AtSmallestP(concept, explanation);
        string title = E((floor is int n
            ? string.Create(Inv, $"p ≤ {Trust.HeldOutValidation.BoundText(p)} (1/{n + 1:N0}, the smallest {n:N0} random groups can give), Benjamini–Hochberg adjusted over the method's concepts ≤ {Trust.HeldOutValidation.BoundText(concept.PAdjusted ?? 1)}")
            : string.Create(Inv, $"p = {p:G3}, Benjamini–Hochberg adjusted over the method's concepts {concept.PAdjusted:G3}"))
            + string.Create(Inv, $" (confirmed at ≤ {Trust.HeldOutValidation.ConfirmedBelow})") + held);
        string why = concept.Untested ?? (concept.PAdjusted is not double q ? ""
            : floor is int groups ? $"adjusted p ≤ {Trust.HeldOutValidation.BoundText(q)}: {Trust.HeldOutValidation.NoneAsHigh(groups)}"
            : $"adjusted p = {PText(q)}");
        string reason = why.Length > 0 ? $" ({why})" : "";
        // Confirmed yet not found again on reruns: the two measures answer different questions (docs/methods/stability.md),
        // and the card says how to read them together rather than leave two verdicts that seem to disagree.
        string unsettled = concept.Stability < Trust.Stability.FoundAgain ? ", though its members change when the method reruns: a real difference whose boundary is not settled" : "";
        // A spectral concept is confirmed by the held-out group its mode picks from the explained input alone, which can
        // differ from its own members: said when a difference concept's own grid is no closer than random groups, which the
        // findings then do not lead with (docs/findings.md).
        if (difference && concept.GridAtChance && Metrics.BsrFigures.Of(concept.Bsr!.Value, concept.BsrChance!.Value, fewest: 2) is var f)
            unsettled += $", yet its own grid is no closer than random groups (BSR {f.Bsr}, {(f.Equal ? "the same as random groups" : "random groups " + f.Chance)})";
        return concept.Confirmed == true
            ? $"<div class=\"trust held\" title=\"{title}\">holds on held-out samples{reason}{unsettled}</div>"
            : $"<div class=\"trust unconfirmed\" title=\"{title}\">not confirmed on held-out samples{reason}</div>";
    }

    /// <summary>How many of a direction's concepts held-out validation confirmed, after its statement; nothing where it did not run.</summary>
    private static string ValidationTally(Direction direction)
    {
        var validated = direction.Concepts.Where(c => c.Confirmed is not null).ToList();
        if (validated.Count == 0) return "";
        int confirmed = validated.Count(c => c.Confirmed == true);
        return string.Create(Inv, $" <span class=\"chip\" title=\"Held-out validation: each concept found again on half the samples and tested on the other half; unconfirmed concepts stay below, marked\">{confirmed} of {validated.Count} confirmed on held-out samples</span>");
    }

    /// <summary>A p-value to three decimals, or "&lt; 0.001".</summary>
    private static string PText(double p) => p < 0.001 ? "&lt; 0.001" : p.ToString("F3", Inv);

    /// <summary>
    /// The method's difference matrix on its subsample, saying that it is one: "concept 1: 24 samples" under a card of 40
    /// members had read as a count that disagreed with the card.
    /// </summary>
    private static string Heatmap(Direction direction, Heatmap heatmap, int samples)
    {
        var (png, size, blocks) = Charts.DifferenceHeatmap(heatmap);
        string explained = direction.Explains == "b" ? "B" : "A", other = direction.Explains == "b" ? "A" : "B";
        var s = new StringBuilder("<details class=\"heat\"><summary>Difference matrix, reordered by cluster</summary><div class=\"heatwrap\">");
        s.Append(Inv, $"<img class=\"heatmap\" width=\"{size}\" height=\"{size}\" src=\"{Png.DataUri(png)}\" alt=\"difference matrix\">");
        s.Append("<div class=\"heatlegend\"><p><span class=\"sw red\"></span> closer in ").Append(explained)
            .Append(" than in the other model</p><p><span class=\"sw blue\"></span> closer in ").Append(other)
            .Append("</p><p class=\"note\">Rows and columns: ").Append(heatmap.Samples.Length < samples ? string.Create(Inv, $"{heatmap.Samples.Length:N0} of the {samples:N0} samples,") : string.Create(Inv, $"{heatmap.Samples.Length:N0} samples"))
            .Append(" ordered by concept (strongest first, unassigned last). Entry (i, j) of this run's difference matrix: ").Append(E(heatmap.Meaning))
            .Append(" Colours saturate at the 98th percentile.</p><ul class=\"blocks\">");
        // A block is named by the card of its samples: the method's cluster labels run the other way from the cards' ranks.
        foreach (var (label, start, count) in blocks)
        {
            int first = heatmap.Samples[start];
            var concept = label == 0 ? null : direction.Concepts.FirstOrDefault(c => Array.IndexOf(c.Members, first) >= 0);
            string shown = concept is null || count == concept.Members.Length ? string.Create(Inv, $"{count:N0} samples") : string.Create(Inv, $"{count:N0} of its {concept.Members.Length:N0} members");
            s.Append(Inv, $"<li>{(concept is null ? "unassigned" : $"concept {concept.Rank}")}: {shown}</li>");
        }
        return s.Append("</ul></div></div></details>").ToString();
    }

    /// <summary>What the page scripts need, each piece once: the samples' values, the shown concepts, the maps.</summary>
    private sealed class ClientData
    {
        /// <summary>Ids, labels, metadata, texts and thumbnails of the members and plotted samples (<see cref="SampleData"/>).</summary>
        public JsonObject? Samples { get; set; }

        /// <summary>Every shown concept's title, members, scores and enrichment, for the cards and their downloads (<see cref="CardData"/>).</summary>
        public JsonObject? Cards { get; set; }

        [JsonIgnore] public Dictionary<string, ShownConcept> Shown { get; init; } = [];

        [JsonIgnore] public Dictionary<int, ShownConcept> ShownByConsensusIndex => shownByIndex ??= Shown.Values.Where(c => c.ConsensusIndex is not null).ToDictionary(c => c.ConsensusIndex!.Value);
        private Dictionary<int, ShownConcept>? shownByIndex;

        /// <summary>The maps' coordinates (<see cref="MapData"/>), null without maps.</summary>
        public JsonObject? Maps { get; set; }

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
}
