using System.Globalization;
using System.Text;
using RepDiff.IO;
using RepDiff.Metrics;

namespace RepDiff.Report;

/// <summary>
/// What a concept card says beyond its grid, each part rendered on its own so cards stay easy to extend:
/// the values over-represented among its members (docs/metadata.md), its closest concept in another method,
/// and the button that opens every member (the list itself is drawn by Assets/cards.js).
/// </summary>
internal static class CardParts
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Enriched values a card lists; the member list shows them all.</summary>
    public const int EnrichedOnCard = 3;

    /// <summary>"label: 73% '3' (whole set 10%)", strongest first, with the test's numbers on hover.</summary>
    public static string Enrichment(Concept concept)
    {
        if (concept.Enrichment is not { Count: > 0 } values) return "";
        var s = new StringBuilder("<ul class=\"enriched\">");
        foreach (var v in values.Take(EnrichedOnCard))
            s.Append("<li title=\"").Append(HtmlReport.E(Evidence(v))).Append("\">").Append(HtmlReport.Isolated(IsolatedPhrase(v))).Append("</li>");
        if (values.Count > EnrichedOnCard)
        {
            int more = values.Count - EnrichedOnCard;
            s.Append(Inv, $"<li class=\"more\">and {more} more over-represented {(more == 1 ? "value" : "values")}</li>");
        }
        return s.Append("</ul>").ToString();
    }

    /// <summary>Words a card lists; results.json keeps up to <see cref="DistinctiveWords.MaxWords"/>.</summary>
    public const int WordsOnCard = 6;

    /// <summary>
    /// "words: 'she' in 35% (whole set 6%), 'her' 33% (5%), …", most significant first, with the test's numbers on hover; and
    /// whether the texts are longer or shorter than the rest.
    /// </summary>
    public static string Words(Concept concept) => WordsLine(concept) + Length(concept);

    /// <summary>"shorter texts: mean 14.6 words (whole set 20.1)" when the members' lengths differ from the rest's (q ≤ 0.05).</summary>
    private static string Length(Concept concept)
        => concept.TextLength is { Differs: true } length
            ? $"<p class=\"words length\" title=\"{HtmlReport.E(string.Create(Inv, $"words per text, members against all texts: Mann–Whitney rank-sum z = {length.Z:F2}; p = {Small(length.PValue)}; Benjamini–Hochberg q = {Small(length.QValue)} over the method's concepts"))}\">{HtmlReport.E(length.Phrase)}</p>"
            : "";

    private static string WordsLine(Concept concept) => concept.Words is not { } words ? "" : TraitLine("words",
        "no word sets these texts apart from the rest (Benjamini–Hochberg q ≤ 0.05)",
        "words the members' texts contain more often than the other texts do (Fisher's exact test, Benjamini–Hochberg q ≤ 0.05): share of the members containing the word, and of all texts",
        words.Count, words.Take(WordsOnCard).Select((w, k) =>
        {
            string evidence = string.Create(Inv, $"{w.MembersWithWord:N0} of {w.Members:N0} members, {w.TotalWithWord:N0} of {w.Total:N0} texts; log odds ratio {w.LogOddsRatio:F2}; hypergeometric p = {Small(w.PValue)}; Benjamini–Hochberg q = {Small(w.QValue)} over every word of the texts");
            var (members, whole) = w.Shares;
            return (evidence, $"<b>{HtmlReport.Bdi(NpyDtype.Truncate(w.Word))}</b> {(k == 0 ? "in " : "")}{members}{(k == 0 ? " (whole set " : " (")}{whole})");
        }));

    /// <summary>Looks a card lists, most significant first.</summary>
    public const int LooksOnCard = 4;

    /// <summary>"looks: darker (brightness 0.31, whole set 0.47), mostly green in 42% (whole set 10%)", with the test's numbers on hover.</summary>
    public static string Looks(Concept concept) => concept.Looks is not { } looks ? "" : TraitLine("looks",
        "no measured look (brightness, contrast, colour, detail, …) sets these images apart from the rest (Benjamini–Hochberg q ≤ 0.05)",
        "how the members' images differ from the whole set: brightness, contrast, colourfulness and fine detail by rank (Mann–Whitney), dominant colour and shape by count (Fisher's exact test); Benjamini–Hochberg q ≤ 0.05 over every test of the method's concepts",
        looks.Count, looks.Take(LooksOnCard).Select((look, _) =>
        {
            string evidence = Evidence(look).Replace("over this concept's tests", "over every test of the method's concepts", StringComparison.Ordinal)
                + (look.ExpectedFromLabels is null ? "" : "; its labels: the members' mean if each image had its label's mean value, what the labels alone explain")
                + (look.WithinLabelsZ is double zw ? string.Create(Inv, $"; within its labels (against the other samples of the same labels, van Elteren): z = {zw:F2}, Benjamini–Hochberg q = {Small(look.WithinLabelsQ!.Value)}") : "");
            return (evidence, HtmlReport.E(ImageLooks.Phrase(look)));
        }));

    /// <summary>
    /// A card's line of traits ("words: …", "looks: …"): each shown item's HTML with its evidence on hover, "and N more in the
    /// member list" past them, and, when none was found, a line saying so (a card without it looked as if the measuring had failed).
    /// </summary>
    private static string TraitLine(string kind, string none, string title, int found, IEnumerable<(string Evidence, string Html)> shown)
    {
        if (found == 0) return $"<p class=\"words none\">{none}</p>";
        var s = new StringBuilder($"<p class=\"{(kind == "words" ? "words" : "words " + kind)}\" title=\"{title}\">{kind}: ");
        int count = 0;
        foreach (var (evidence, html) in shown)
        {
            if (count++ > 0) s.Append(", ");
            s.Append("<span title=\"").Append(HtmlReport.E(evidence)).Append("\">").Append(html).Append("</span>");
        }
        if (found > count) s.Append(Inv, $"<span class=\"more\">, and {found - count} more in the member list</span>");
        return s.Append("</p>").ToString();
    }

    /// <summary>
    /// The phrase with its column named ("genre: 73% 'romance' (whole set 6%)"; numeric phrases name it already), the column and
    /// value between isolate marks (<see cref="EnrichedValue.IsolatedPhrase"/>): the card shows each in a bdi, the member list
    /// (page data) with the marks.
    /// </summary>
    public static string IsolatedPhrase(EnrichedValue v) => v.Value is null ? v.IsolatedPhrase : $"{BidiControls.Isolate(v.Column)}: {v.IsolatedPhrase}";

    /// <summary>The numbers behind a phrase: log odds ratio or rank-sum z, the test's p-value and the corrected one.</summary>
    public static string Evidence(EnrichedValue v)
    {
        string effect = v.LogOddsRatio is double lor
            ? string.Create(Inv, $"log odds ratio {lor:F2} ({v.MembersWithValue:N0} of {v.Members:N0} members, {v.TotalWithValue:N0} of {v.Total:N0} samples); hypergeometric p = {Small(v.PValue)}")
            : string.Create(Inv, $"rank-sum z = {v.Z:F2}; p = {Small(v.PValue)}");
        return effect + $"; Benjamini–Hochberg q = {Small(v.QValue)} over this concept's tests";
    }

    /// <summary>A p-value to 2 significant digits, "&lt; 1e-300" past what a double holds.</summary>
    public static string Small(double p) => p <= 0 ? "< 1e-300" : p.ToString(p < 1e-3 ? "0.0e+0" : "G2", Inv);

    /// <summary>
    /// "closest in SPEC: more similar in A #2 (Jaccard 0.41)": the concept of another method sharing most members,
    /// linked to its card when that card is shown.
    /// </summary>
    public static string Closest(ShownConcept card, Consensus? consensus, IReadOnlyDictionary<int, ShownConcept> byIndex)
    {
        if (consensus is null || card.ConsensusIndex is not int index) return "";
        if (consensus.Closest(index) is not { } closest)
            return "<div class=\"closest none\">no concept of another method shares a member</div>";
        var other = consensus.Concepts[closest.Index];
        string name = $"{DirectionNames.Title(other.Direction)} #{other.Rank}";
        var s = new StringBuilder("<div class=\"closest\" title=\"the concept of another method whose members overlap this one's most (Jaccard: shared members / members of either)\">closest in ");
        s.Append(HtmlReport.E(other.Method)).Append(": ");
        if (byIndex.TryGetValue(closest.Index, out var shown))
            s.Append("<a href=\"#card-").Append(shown.Key).Append("\" data-key=\"").Append(shown.Key).Append("\">").Append(HtmlReport.E(name)).Append("</a>");
        else s.Append(HtmlReport.E(name));
        return s.Append(Inv, $" <span class=\"jac\">(Jaccard {closest.Jaccard:F2})</span></div>").ToString();
    }

    /// <summary>The button that lists a concept's members; none for an empty concept.</summary>
    public static string MembersButton(ShownConcept card) => card.Concept.Members.Length switch
    {
        0 => "",
        1 => string.Create(Inv, $"<button type=\"button\" class=\"open-members\" data-key=\"{card.Key}\">its one member ▸</button>"),
        int n => string.Create(Inv, $"<button type=\"button\" class=\"open-members\" data-key=\"{card.Key}\">all {n:N0} members ▸</button>"),
    };

    /// <summary>"1 member", "12 members"; an empty concept (a PCA component or SAE latent no sample loads on most) says so.</summary>
    public static string MemberCount(int n) => n switch
    {
        0 => "no members: no sample belongs to this concept",
        1 => "1 member",
        _ => string.Create(Inv, $"{n:N0} members"),
    };
}
