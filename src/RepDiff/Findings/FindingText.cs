using System.Globalization;

namespace RepDiff.Findings;

/// <summary>
/// Says in plain words what an explanation found, per direction, from the labels of its concepts'
/// members: which labels one model keeps together that the other separates (a concept mixing labels),
/// or that the difference lies within labels (concepts of one label each), or that it cuts across
/// labels. Every name and number in a sentence comes from the concept profiles returned with it. After
/// held-out validation (docs/methods/METHODS.md §7) only confirmed concepts are spoken of.
/// </summary>
public static class FindingText
{
    /// <summary>Concepts read per direction, strongest first (the report shows as many cards).</summary>
    public const int DefaultMaxConcepts = 5;

    /// <summary>The findings for a pair's explanation: its names, labels and a noun for its samples ("images").</summary>
    public static ExplanationFindings Describe(Explanation explanation, RepresentationPair pair, string sampleNoun = "samples", int maxConcepts = DefaultMaxConcepts)
        => Describe(explanation, pair.Samples.Labels, pair.NameA, pair.NameB, sampleNoun, maxConcepts);

    /// <summary>
    /// The findings for an explanation of representations named nameA and nameB (FINC: the test and the
    /// reference set), with per-sample labels when there are any.
    /// </summary>
    public static ExplanationFindings Describe(Explanation explanation, SampleLabels? labels, string nameA, string nameB,
        string sampleNoun = "samples", int maxConcepts = DefaultMaxConcepts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcepts, 1);
        var directions = explanation.Directions.Select(d => DescribeDirection(d, labels, nameA, nameB, sampleNoun, maxConcepts)).ToList();
        bool validated = explanation.Directions.SelectMany(d => d.Concepts).Any(c => c.Confirmed is not null);
        return new ExplanationFindings(explanation.Method, directions, Summary(explanation.Method, directions, nameA, nameB, sampleNoun, validated));
    }

    // Unlabelled: the sentence when no member has a label ({1} counts the groups and their sizes).
    private sealed record Framing(string Subject, string Other, string Together, string Within, string Across, string Nothing, string Unlabelled);

    /// <summary>The wording of each kind of direction: who is the subject and what its concepts mean.</summary>
    private static Framing FramingOf(string direction, string nameA, string nameB, string noun) => direction switch
    {
        DirectionNames.MoreSimilarInA or DirectionNames.MoreSimilarInB => Difference(direction == DirectionNames.MoreSimilarInA ? (nameA, nameB) : (nameB, nameA), noun),
        DirectionNames.ConceptsOfA or DirectionNames.ConceptsOfB => OwnGroups(direction == DirectionNames.ConceptsOfA ? nameA : nameB, noun),
        DirectionNames.MoreFrequentInTest => Frequency($"the test set ({nameA})", $"the reference set ({nameB})", noun),
        DirectionNames.MoreFrequentInRef => Frequency($"the reference set ({nameB})", $"the test set ({nameA})", noun),
        _ => new Framing(direction.Replace('_', ' '), "", "{0} groups {1} together ({2})", "{0} groups " + noun + " within single labels ({1}; {2})",
            "{0} groups {1} across labels ({2})", "{0} has no concept", "{0} forms {1} ({2})"),
    };

    // {0} subject, {1} labels or noun, {2} the lead concept's detail, {3} the other model.
    private static Framing Difference((string Subject, string Other) names, string noun) => new(names.Subject, names.Other,
        "{0} keeps {1} together where {3} separates them ({2})",
        "what {0} keeps together and {3} pulls apart lies within single labels ({1}; {2})",
        "{0} keeps together " + noun + " of many labels that {3} separates ({2})",
        "{0} puts no group of " + noun + " together that {3} pulls apart (the method found no concept in this direction)",
        "{0} keeps {1} together that {3} pulls apart ({2})");

    private static Framing OwnGroups(string subject, string noun) => new(subject, "",
        "on its own, {0} groups {1} together ({2}; a baseline, not a difference by itself)",
        "on its own, {0} groups " + noun + " by label ({1}; {2}; a baseline, not a difference by itself)",
        "on its own, {0} groups " + noun + " across labels ({2}; a baseline, not a difference by itself)",
        "{0} has no concept of its own here",
        "on its own, {0} forms {1} ({2}; a baseline, not a difference by itself)");

    private static Framing Frequency(string subject, string other, string noun) => new(subject, other,
        "{0} has more " + noun + " than {3} where {1} meet ({2})",
        "{0} has more " + noun + " of {1} than {3} ({2})",
        "{0} has more " + noun + " than {3} in modes that cut across labels ({2})",
        "no mode has more " + noun + " in {0} than in {3}",
        "{0} has more " + noun + " than {3} in {1} ({2})");

    private static DirectionFinding DescribeDirection(Direction direction, SampleLabels? labels, string nameA, string nameB, string noun, int maxConcepts)
    {
        var frame = FramingOf(direction.Name, nameA, nameB, noun);
        // After held-out validation a direction speaks only of the concepts it confirmed (the report still shows the rest, marked).
        var validated = direction.Concepts.Where(c => c.Confirmed is not null).ToList();
        var described = validated.Count > 0 ? validated.Where(c => c.Confirmed == true) : direction.Concepts;
        var profiles = described.Take(maxConcepts).Select(c => ConceptProfile.Of(c, labels)).Where(p => p.Size > 0).ToList();
        string Fill(string template, string what, string detail) => string.Format(CultureInfo.InvariantCulture, template, frame.Subject, what, detail, frame.Other);

        if (profiles.Count == 0 && validated.Count > 0)
        {
            string none = Sentence($"{frame.Subject}: none of the {Count(validated.Count)} {(validated.Count == 1 ? "concept" : "concepts")} found in this direction was confirmed on held-out samples", nameA, nameB);
            return new DirectionFinding(direction.Name, none, none, profiles, null);
        }
        if (profiles.Count == 0)
        {
            string nothing = Sentence(Fill(frame.Nothing, "", ""), nameA, nameB);
            return new DirectionFinding(direction.Name, nothing, nothing, profiles, null);
        }

        if (profiles.All(p => p.Mix == ConceptMix.Unlabelled))
        {
            string sizes = JoinWords(profiles.Select(p => p.Size.ToString("N0", CultureInfo.InvariantCulture)).ToList());
            string groups = profiles.Count == 1 ? $"one group of {sizes} {noun}" : $"{Count(profiles.Count)} groups ({sizes} {noun})";
            string text = Fill(frame.Unlabelled, groups, "there are no labels to name them: see the concept cards");
            return new DirectionFinding(direction.Name, Sentence(text, nameA, nameB), Sentence(text, nameA, nameB), profiles, profiles[0]);
        }

        // The headline says what most of the concepts are (a tie goes to mixtures, what one model confuses
        // and the other tells apart, then to single labels), led by the strongest concept of that kind.
        var kind = new[] { ConceptMix.Mixed, ConceptMix.OneLabel, ConceptMix.Spread }
            .OrderByDescending(k => profiles.Count(p => p.Mix == k)).First();
        var lead = profiles.First(p => p.Mix == kind);
        string headline = lead.Mix switch
        {
            ConceptMix.Mixed => Fill(frame.Together, JoinWords(lead.Leading.Select(s => s.Label).ToList()), lead.Detail(noun)),
            ConceptMix.OneLabel => Fill(frame.Within, JoinWords(profiles.Where(p => p.Mix == ConceptMix.OneLabel).Select(p => p.Labels[0].Label).Distinct().Take(ConceptProfile.MaxLabelsNamed).ToList()), lead.Detail(noun)),
            _ => Fill(frame.Across, "", lead.Detail(noun)),
        };
        return new DirectionFinding(direction.Name, Sentence(headline + Tally(profiles), nameA, nameB), Sentence(headline, nameA, nameB), profiles, lead);
    }

    /// <summary>"; of its first five concepts, three mix a few labels and two are mostly one label": the kinds, when there are several.</summary>
    private static string Tally(IReadOnlyList<ConceptProfile> profiles)
    {
        var labelled = profiles.Where(p => p.Mix != ConceptMix.Unlabelled).ToList();
        if (labelled.Count < 2) return "";
        var kinds = new[] { ConceptMix.Mixed, ConceptMix.OneLabel, ConceptMix.Spread }
            .Select(kind => (Kind: kind, Count: labelled.Count(p => p.Mix == kind))).Where(k => k.Count > 0).ToList();
        if (kinds.Count == 1) return $"; all {Count(labelled.Count)} of its first concepts {KindPhrase(kinds[0].Kind, plural: true)}";
        return $"; of its first {Count(labelled.Count)} concepts, {JoinWords(kinds.Select(k => $"{Count(k.Count)} {KindPhrase(k.Kind, k.Count > 1)}").ToList())}";
    }

    private static string KindPhrase(ConceptMix kind, bool plural) => kind switch
    {
        ConceptMix.Mixed => plural ? "mix a few labels" : "mixes a few labels",
        ConceptMix.OneLabel => plural ? "are mostly one label" : "is mostly one label",
        _ => plural ? "cut across labels" : "cuts across labels",
    };

    /// <summary>
    /// One line for an index page: the direction whose concepts mix labels most, against the label
    /// purity of the opposite direction; without labels, how many groups each direction has.
    /// </summary>
    private static string Summary(string method, IReadOnlyList<DirectionFinding> directions, string nameA, string nameB, string noun, bool validated)
    {
        var withConcepts = directions.Where(d => d.Concepts.Count > 0).ToList();
        if (withConcepts.Count == 0 && validated)
            return Sentence($"{method} finds no group of {noun} that holds on held-out samples: none of its concepts was confirmed", method, nameA, nameB);
        if (withConcepts.Count == 0)
            return Sentence($"{method} finds no group of {noun} that one representation keeps together and the other pulls apart", method, nameA, nameB);
        var labelled = withConcepts.Where(d => d.MeanPurity is not null).ToList();
        if (labelled.Count == 0)
        {
            var counts = withConcepts.Select(d => GroupCount(d.Direction, d.Concepts.Count, nameA, nameB, noun)).ToList();
            return Sentence($"{method} finds {JoinWords(counts)} (no labels to name them)", method, nameA, nameB);
        }
        var mixing = labelled.OrderBy(d => d.MeanPurity!.Value).ThenBy(d => d.Direction, StringComparer.Ordinal).First();
        string line = mixing.Headline[..^1];
        string purity = $"label purity of its concepts {ConceptProfile.Percent(mixing.MeanPurity!.Value)}";
        var opposite = labelled.FirstOrDefault(d => d != mixing);
        if (opposite is not null) purity += $" against {ConceptProfile.Percent(opposite.MeanPurity!.Value)} the other way";
        return Sentence($"{line}; {purity}", nameA, nameB);
    }

    /// <summary>"five groups of images that A keeps together and B pulls apart", and the like for each kind of direction.</summary>
    private static string GroupCount(string direction, int count, string nameA, string nameB, string noun)
    {
        string groups = $"{Count(count)} {(count == 1 ? "group" : "groups")} of {noun}";
        return direction switch
        {
            DirectionNames.MoreSimilarInA => $"{groups} that {nameA} keeps together and {nameB} pulls apart",
            DirectionNames.MoreSimilarInB => $"{groups} that {nameB} keeps together and {nameA} pulls apart",
            DirectionNames.ConceptsOfA => $"{groups} of {nameA}'s own",
            DirectionNames.ConceptsOfB => $"{groups} of {nameB}'s own",
            DirectionNames.MoreFrequentInTest => $"{groups} more frequent in {nameA} than in {nameB}",
            DirectionNames.MoreFrequentInRef => $"{groups} more frequent in {nameB} than in {nameA}",
            _ => $"{groups} in {direction.Replace('_', ' ')}",
        };
    }

    private static string Count(int n) => n switch
    {
        1 => "one", 2 => "two", 3 => "three", 4 => "four", 5 => "five", 6 => "six", 7 => "seven", 8 => "eight", 9 => "nine",
        _ => n.ToString("N0", CultureInfo.InvariantCulture),
    };

    /// <summary>"a", "a and b", "a, b and c".</summary>
    internal static string JoinWords(IReadOnlyList<string> words) => words.Count switch
    {
        0 => "",
        1 => words[0],
        _ => string.Join(", ", words.Take(words.Count - 1)) + " and " + words[^1],
    };

    /// <summary>Ends the text with a full stop and capitalizes it, unless it starts with a name (names keep their case: "all-MiniLM-L6-v2").</summary>
    private static string Sentence(string text, params string[] names) =>
        text.Length == 0 || names.Any(n => n.Length > 0 && text.StartsWith(n, StringComparison.Ordinal)) ? text + "." : char.ToUpperInvariant(text[0]) + text[1..] + ".";
}
