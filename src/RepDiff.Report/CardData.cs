using System.Text.Json.Nodes;
using RepDiff.IO;
using RepDiff.Metrics;

namespace RepDiff.Report;

/// <summary>
/// What Assets/cards.js needs to list, highlight and export every member of every shown concept, as the
/// page data's "cards" object: <c>concepts</c>, per card key its title, method, direction, rank, name (a given group's), strength, trust, members
/// (best first), scores (aligned, or null), grid, enriched values and closest concept per other method; and
/// <c>header</c>, the export's column names, the same as `repdiff export` (<see cref="MemberExport"/>). The members'
/// ids, labels, metadata, texts and thumbnails are the page's "samples" (<see cref="SampleData"/>).
/// </summary>
internal static class CardData
{
    public static JsonObject Build(Reporting.ReportModel model, IReadOnlyList<ShownConcept> shown)
    {
        var consensus = model.Consensus;
        var byIndex = shown.Where(c => c.ConsensusIndex is not null).ToDictionary(c => c.ConsensusIndex!.Value);
        var concepts = new JsonObject();
        foreach (var card in shown)
        {
            var concept = card.Concept;
            concepts[card.Key] = new JsonObject
            {
                ["title"] = card.Title,
                ["method"] = card.Explanation.Method,
                ["direction"] = card.Direction.Name,
                ["rank"] = concept.Rank,
                // The group's own name (`repdiff groups`), in the export's group column where the table has one.
                ["name"] = concept.Name,
                ["strength"] = (float)concept.Strength,
                // The concept's trust, exported beside every member as `repdiff export` does (null where not measured).
                ["stability"] = concept.Stability,
                ["foundAgain"] = concept.FoundAgain,
                ["pValue"] = concept.PValue,
                ["pAdjusted"] = concept.PAdjusted,
                ["confirmed"] = concept.Confirmed,
                // Members exactly as the method lists them (export positions count every one).
                ["members"] = Ints(concept.Members),
                ["scores"] = concept.Scores is { } scores ? new JsonArray(scores.Select(v => (JsonNode?)(double.IsFinite(v) ? JsonValue.Create((float)v) : null)).ToArray()) : null,
                ["grid"] = Ints(concept.Grid),
                ["enrichment"] = new JsonArray((concept.Enrichment ?? []).Select(v => (JsonNode)new JsonObject
                {
                    ["phrase"] = CardParts.IsolatedPhrase(v),
                    ["column"] = v.Column,
                    ["value"] = v.Value,
                    ["logOdds"] = v.LogOddsRatio is double lor ? Math.Round(lor, 3) : null,
                    ["z"] = v.Z is double z ? Math.Round(z, 3) : null,
                    ["p"] = CardParts.Small(v.PValue),
                    ["q"] = CardParts.Small(v.QValue),
                }).ToArray()),
                // null where the samples are not texts, [] where no word stands out.
                ["words"] = concept.Words is null ? null : new JsonArray(concept.Words.Select(w => (JsonNode)new JsonObject
                {
                    ["phrase"] = $"'{BidiControls.Isolate(NpyDtype.Truncate(w.Word))}' in {w.Shares.Members} (whole set {w.Shares.Whole})",
                    ["logOdds"] = Math.Round(w.LogOddsRatio, 3),
                    ["p"] = CardParts.Small(w.PValue),
                    ["q"] = CardParts.Small(w.QValue),
                }).ToArray()),
                // null where the images were not measured, [] where no look stands out.
                ["looks"] = concept.Looks is null ? null : new JsonArray(concept.Looks.Select(v => (JsonNode)new JsonObject
                {
                    ["phrase"] = ImageLooks.Phrase(v),
                    ["logOdds"] = v.LogOddsRatio is double lor ? Math.Round(lor, 3) : null,
                    ["z"] = v.Z is double z ? Math.Round(z, 3) : null,
                    ["p"] = CardParts.Small(v.PValue),
                    ["q"] = CardParts.Small(v.QValue),
                }).ToArray()),
                ["closest"] = Closest(card, consensus, byIndex),
            };
        }
        return new JsonObject
        {
            ["concepts"] = concepts,
            ["header"] = new JsonArray(MemberExport.Header(model.Explanations, model.Samples).Select(h => (JsonNode)h).ToArray()),
            // Whether the header has the groups' names after the rank, and the image files' and the texts' columns after the fixed ones (MemberExport).
            ["groupColumn"] = MemberExport.HasGroupNames(model.Explanations),
            ["fileColumn"] = model.Samples.Files is not null,
            ["textColumn"] = model.Samples.Texts is not null,
        };
    }

    /// <summary>For each other method, its concept overlapping this one most: key (when shown), name, Jaccard, shared members.</summary>
    private static JsonArray Closest(ShownConcept card, Consensus? consensus, Dictionary<int, ShownConcept> byIndex)
    {
        if (consensus is null || card.ConsensusIndex is not int index) return [];
        return new JsonArray(consensus.ClosestPerMethod(index).OrderByDescending(c => c.Jaccard).Select(c =>
        {
            var other = consensus.Concepts[c.Index];
            return (JsonNode)new JsonObject
            {
                ["key"] = byIndex.TryGetValue(c.Index, out var s) ? s.Key : null,
                ["name"] = $"{other.Method} · {DirectionNames.Title(other.Direction)} #{other.Rank}",
                ["jaccard"] = Math.Round(c.Jaccard, 4),
                ["shared"] = consensus.Shared[index][c.Index],
            };
        }).ToArray());
    }

    private static JsonArray Ints(IEnumerable<int> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
