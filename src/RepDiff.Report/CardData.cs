using System.Text.Json.Nodes;
using RepDiff.IO;
using RepDiff.Metrics;

namespace RepDiff.Report;

/// <summary>
/// What Assets/cards.js needs to list, highlight and export every member of every shown concept, as the
/// page data's "cards" object:
/// <list type="bullet">
/// <item><c>concepts</c>: per card key its title, method, direction, rank, strength, members (best first),
/// scores (aligned, or null), grid, enriched values and closest concept per other method;</item>
/// <item>per-sample values for <c>rows</c> (the members and the plotted samples, ascending; null = every
/// sample): <c>ids</c>, <c>columns</c> (labels first, then the metadata, each as value names and one code per
/// row, -1 where missing) and the members' full <c>texts</c>;</item>
/// <item><c>header</c>: the export's column names, the same as `repdiff export` (<see cref="MemberExport"/>).</item>
/// </list>
/// Thumbnails of the members (and then of the other plotted samples) go into the page's thumbs, best members
/// of every concept first, until the page holds <see cref="MaxImageChars"/> characters of images.
/// </summary>
internal static class CardData
{
    /// <summary>Budget of embedded image data (data URI characters) for the whole page: about 16 MB.</summary>
    public const long MaxImageChars = 16_000_000;

    public static JsonObject Build(Reporting.ReportModel model, IReadOnlyList<ShownConcept> shown, Thumbnails thumbs, Dictionary<string, string> pageThumbs)
    {
        var consensus = model.Consensus;
        var byIndex = shown.Where(c => c.ConsensusIndex is not null).ToDictionary(c => c.ConsensusIndex!.Value);
        var concepts = new JsonObject();
        var rowSet = new SortedSet<int>(model.Maps?.Samples ?? []);
        foreach (var card in shown)
        {
            var members = card.Concept.Members.Where(i => i >= 0 && i < model.N).ToArray();
            rowSet.UnionWith(members);
            var concept = card.Concept;
            concepts[card.Key] = new JsonObject
            {
                ["title"] = card.Title,
                ["method"] = card.Explanation.Method,
                ["direction"] = card.Direction.Name,
                ["rank"] = concept.Rank,
                ["strength"] = (float)concept.Strength,
                // Members exactly as the method lists them (export positions count every one).
                ["members"] = Ints(concept.Members),
                ["scores"] = concept.Scores is { } scores ? new JsonArray(scores.Select(v => (JsonNode?)(double.IsFinite(v) ? JsonValue.Create((float)v) : null)).ToArray()) : null,
                ["grid"] = Ints(concept.Grid),
                ["enrichment"] = new JsonArray((concept.Enrichment ?? []).Select(v => (JsonNode)new JsonObject
                {
                    ["phrase"] = CardParts.Phrase(v),
                    ["column"] = v.Column,
                    ["value"] = v.Value,
                    ["logOdds"] = v.LogOddsRatio is double lor ? Math.Round(lor, 3) : null,
                    ["z"] = v.Z is double z ? Math.Round(z, 3) : null,
                    ["p"] = CardParts.Small(v.PValue),
                    ["q"] = CardParts.Small(v.QValue),
                }).ToArray()),
                ["closest"] = Closest(card, consensus, byIndex),
            };
        }
        var rows = rowSet.ToArray();
        bool everySample = rows.Length == model.N;
        var samples = model.Samples;
        var data = new JsonObject
        {
            ["concepts"] = concepts,
            ["rows"] = everySample ? null : Ints(rows),
            ["header"] = new JsonArray(MemberExport.Header(samples).Select(h => (JsonNode)h).ToArray()),
            ["ids"] = samples.Ids is { } ids ? new JsonArray(rows.Select(r => (JsonNode)ids[r]).ToArray()) : null,
            ["columns"] = Columns(samples, rows),
        };
        if (thumbs.HasTexts)
        {
            var texts = new JsonObject();
            foreach (int i in shown.SelectMany(c => c.Concept.Members).Where(i => i >= 0 && i < model.N).Distinct())
                texts[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = thumbs.Text(i, 0);
            data["texts"] = texts;
        }
        if (thumbs.HasImages) data["thumbsComplete"] = AddThumbnails(model, shown, thumbs, pageThumbs);
        return data;
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

    /// <summary>The label column (named as the export names it) and every metadata column, dictionary-coded over the rows.</summary>
    private static JsonArray Columns(SampleInfo samples, int[] rows)
    {
        var columns = new JsonArray();
        if (samples.Labels is { } labels)
            columns.Add((JsonNode)Coded("label", rows.Select(r => (string?)labels[r])));
        var header = MemberExport.Header(samples);
        var metadata = samples.Metadata?.Columns ?? [];
        int first = header.Length - metadata.Count;
        for (int j = 0; j < metadata.Count; j++)
        {
            var values = metadata[j].Values;
            columns.Add((JsonNode)Coded(header[first + j], rows.Select(r => values[r])));
        }
        return columns;
    }

    private static JsonObject Coded(string name, IEnumerable<string?> values)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new JsonArray();
        var codes = new JsonArray();
        foreach (var v in values)
        {
            if (v is null) { codes.Add((JsonNode)(-1)); continue; }
            if (!index.TryGetValue(v, out int code)) { code = index.Count; index[v] = code; names.Add((JsonNode)v); }
            codes.Add((JsonNode)code);
        }
        return new JsonObject { ["name"] = name, ["names"] = names, ["codes"] = codes };
    }

    /// <summary>
    /// Thumbnails for the members, in rounds (every concept's best member, then every second best, ...), then for
    /// the other plotted samples, while the page's images stay within budget. True when every member has one.
    /// </summary>
    private static bool AddThumbnails(Reporting.ReportModel model, IReadOnlyList<ShownConcept> shown, Thumbnails thumbs, Dictionary<string, string> pageThumbs)
    {
        bool Add(int i)
        {
            if (!thumbs.HasImage(i) && thumbs.ImageChars >= MaxImageChars) return false;
            pageThumbs[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = thumbs.Image(i)!;
            return true;
        }
        var lists = shown.Select(c => c.Concept.Members.Where(i => i >= 0 && i < model.N).ToArray()).ToList();
        int longest = lists.Select(l => l.Length).DefaultIfEmpty(0).Max();
        bool complete = true;
        for (int p = 0; p < longest; p++)
            foreach (var list in lists)
                if (p < list.Length) complete &= Add(list[p]);
        foreach (int i in model.Maps?.Samples ?? []) Add(i);
        return complete;
    }

    private static JsonArray Ints(IEnumerable<int> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
