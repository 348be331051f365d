using System.Globalization;
using System.Text.Json.Nodes;
using RepDiff.Methods;
using RepDiff.Metrics;
using RepDiff.Trust;

namespace RepDiff.Findings;

/// <summary>
/// Says in plain words what an explanation found, per direction, from the labels of its concepts'
/// members: which labels one model ranks as nearer neighbours than the other does (a concept mixing labels),
/// or that the difference lies within labels (concepts of one label each), or that it cuts across
/// labels. Every name and number in a sentence comes from the concept profiles returned with it. After
/// held-out validation (docs/methods/METHODS.md §7) only confirmed concepts are spoken of; a difference
/// direction whose BSR is not above its chance level is said to be no better than random groups.
/// </summary>
public static class FindingText
{
    /// <summary>Concepts read per direction, strongest first (the report shows as many cards).</summary>
    public const int DefaultMaxConcepts = 5;

    /// <summary>
    /// A difference direction counts as no better than chance when its BSR is at most its chance level plus
    /// this many standard deviations of the chance distribution (metrics.bsr_chance, bsr_chance_sd: the mean BSR
    /// of random groups of the direction's grid sizes, over 100 draws). Two keeps a direction that random groups
    /// reach about one time in forty from reading as a finding; the checkpoints' KODA directions (0.529 against
    /// 0.507 ± 0.027, 0.422 against 0.483) are within it, every RDX and SPEC direction of the demo far above.
    /// </summary>
    public const double ChanceMargin = 2;

    /// <summary>
    /// Whether a BSR is above its chance level by <see cref="ChanceMargin"/> spreads, and by more than the chance level's
    /// six-decimal rounding (<see cref="BsrChance"/>): when every random group of a size is the same group (one of
    /// all n samples) the spread is 0 and the stored level is the BSR itself rounded, and a rounding had read as "holds".
    /// </summary>
    public static bool AboveChance(double bsr, double chance, double sd) => bsr > chance + Math.Max(ChanceMargin * sd, ChanceRounding);

    /// <summary>Twice the largest rounding error of a chance level stored to six decimals.</summary>
    private const double ChanceRounding = 1e-6;

    /// <summary>The findings for a pair's explanation: its names, labels and a noun for its samples ("images").</summary>
    public static ExplanationFindings Describe(Explanation explanation, RepresentationPair pair, string sampleNoun = "samples", int maxConcepts = DefaultMaxConcepts)
        => Describe(explanation, pair.Samples.Labels, pair.NameA, pair.NameB, sampleNoun, maxConcepts,
            MethodRegistry.Default.Find(explanation.Method) is IPairMethod method && explanation.ResolvedOptions is { } options
                ? RerunSize.ValidationRefusal(method, options, pair) : null);

    /// <summary>
    /// The findings for an explanation of representations named nameA and nameB (FINC: the test and the
    /// reference set), with per-sample labels when there are any. <paramref name="validationRefusal"/>: what --trust would
    /// refuse on this run (<see cref="RerunSize.ValidationRefusal(IPairMethod, MethodOptions, RepresentationPair)"/>),
    /// which the note under untested findings says instead of suggesting it.
    /// </summary>
    public static ExplanationFindings Describe(Explanation explanation, SampleLabels? labels, string nameA, string nameB,
        string sampleNoun = "samples", int maxConcepts = DefaultMaxConcepts, Options.InvalidOptionException? validationRefusal = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcepts, 1);
        // Every string from the user's input goes into a sentence marked (BidiControls.Isolate), so the report can isolate it:
        // a right-to-left name or label had carried the numbers beside it into its own order. The plain text has no marks.
        (nameA, nameB) = (BidiControls.Isolate(nameA), BidiControls.Isolate(nameB));
        // Groups given in a file (`repdiff groups`) were not found by a method: the sentences say they were given, and the
        // explanation's line counts where they hold.
        bool given = MethodRegistry.Default.Find(explanation.Method)?.ConceptsAreGiven == true;
        var directions = explanation.Directions.Select(d => DescribeDirection(explanation, d, labels, nameA, nameB, sampleNoun, maxConcepts, given)).ToList();
        bool validated = explanation.Directions.SelectMany(d => d.Concepts).Any(c => c.Confirmed is not null);
        string summary = given && explanation.Metrics["holds_in"] is JsonObject holds ? GivenSummary(holds, explanation, nameA, nameB)
            : Summary(explanation.Method, directions, nameA, nameB, sampleNoun, validated, Unnamed(labels, sampleNoun, brief: true));
        // Concepts measured only on the samples they were found in: every method finds some even between two models that
        // differ only by noise (rdx and spec each named five groups per direction on B = A·Q + 1% noise), so a finding that
        // held-out validation did not test says so and names the option that does. Stability alone is no such test: SPEC's
        // null modes are found again as often as planted ones (docs/methods/stability.md).
        bool tested = validated || explanation.Metrics["validation"] is not null;
        bool untested = !given && !tested && directions.Any(d => d.Concepts.Count > 0 && !d.NoBetterThanChance && !d.SingleSamples
            && d.Direction is not (DirectionNames.ConceptsOfA or DirectionNames.ConceptsOfB));
        return new ExplanationFindings(explanation.Method, directions, BidiControls.RemoveIsolates(summary))
        {
            IsolatedSummary = summary, OfGivenGroups = given, Note = untested ? UntestedNoteFor(validationRefusal) : null,
        };
    }

    /// <summary>Why a finding nothing tested may be no difference at all: the first part of each untested note.</summary>
    private const string UntestedWhy = "Not yet tested on held-out samples: these concepts are measured on the very samples they were found in, and every "
        + "method finds some even where there is no difference (representations or sets that differ only by noise); ";

    /// <summary>What a finding <see cref="ExplanationFindings.Untested"/> is told with, on the terminal and in the report, where --trust can test it.</summary>
    public const string UntestedNote = UntestedWhy
        + "--trust (or --validate alone) on the method's command or compare tests each one, given samples enough to hold half of them out.";

    /// <summary>
    /// The note under an untested finding: <see cref="UntestedNote"/> where held-out validation could run; where it would be
    /// refused (<paramref name="refusal"/>), the size it needs ("held-out validation needs at least 40 samples …; there are 30"),
    /// that a larger subsample can be tested, or the option it refuses, as --trust would have been refused on this run.
    /// </summary>
    public static string UntestedNoteFor(Options.InvalidOptionException? refusal) => refusal switch
    {
        null => UntestedNote,
        // Too few samples (explained): nothing this run found can be tested.
        { Property: nameof(TrustOptions.Trust) } => UntestedWhy + $"held-out validation {refusal.Problem}, so nothing here can be tested: treat these groups as leads, not findings.",
        // The method's subsample too small (rdx --max-samples 30 of 60 rows): a larger one can be tested.
        { Property: RerunSize.SubsampleTooSmall } => UntestedWhy + $"held-out validation {refusal.Problem}: --trust (or --validate alone) tests each one "
            + $"on a larger subsample, of {HeldOutValidation.MinSamples} samples or more.",
        // Too few samples for the method on the discovery half, which no option changes (spec-align on 12 samples).
        { Property: Options.InvalidOptionException.NoOption } => UntestedWhy + $"--trust (or --validate alone) tests each one, but not on this few samples: {refusal.Problem}.",
        // An option the discovery half cannot take (rdx --concepts 40 on 60 samples): another value can be tested.
        _ => UntestedWhy + $"--trust (or --validate alone) tests each one, but not with this run's {Options.OptionSpec.FlagOf(refusal.Property)}: {refusal.Problem}.",
    };

    /// <summary>Given groups a summary names in each part; more are counted as a direction's sentence counts them ("and four more").</summary>
    private const int GroupsNamed = 3;

    /// <summary>
    /// The line of a `groups` run: where the groups given hold, from metrics.holds_in (GivenGroupsMethod): "Of the three groups
    /// given, one holds in A (a.npy), which ranks its members as nearer neighbours of each other than B does ('cats-indoor'); one
    /// holds in B (b.npy), which ranks its members as nearer neighbours of each other than A does ('cats-outdoor'); and one is no
    /// better than random groups of its size ('strays')." The groups were given, not found: a method's line ("the groups found
    /// here", "rdx finds …") had said so. A group larger than --grid-size is scored on some of its members: "its scored members".
    /// </summary>
    private static string GivenSummary(JsonObject holds, Explanation explanation, string nameA, string nameB)
    {
        var groups = holds.Select(g => (Name: g.Key, Where: g.Value is JsonValue v && v.TryGetValue(out string? w) ? w : null)).ToList();
        int n = groups.Count;
        List<string> In(params string?[] where) => groups.Where(g => where.Contains(g.Where)).Select(g => g.Name).ToList();
        var (inA, inB, neither) = (In("a"), In("b"), groups.Where(g => g.Where is not ("a" or "b")).Select(g => g.Name).ToList());
        string Quoted(List<string> names) => JoinWords([.. names.Take(GroupsNamed).Select(name => $"'{BidiControls.Isolate(IO.NpyDtype.Truncate(name))}'"),
            .. names.Count > GroupsNamed ? [$"{Count(names.Count - GroupsNamed)} more"] : Array.Empty<string>()]);
        // "one", "two", "both", "all five": how many of the groups given a part speaks of.
        string HowMany(int k) => k == n && n == 2 ? "both" : k == n && n > 2 ? $"all {Count(n)}" : Count(k);
        string Holds(List<string> names, string model, string name, string other)
        {
            string their = names.Count == 1 ? "its" : "their";
            var concepts = explanation.Directions.Where(d => d.Explains == model.ToLowerInvariant()).SelectMany(d => d.Concepts).Where(c => c.Name is { } g && names.Contains(g));
            return $"{(n == 1 ? "" : HowMany(names.Count) + " ")}{(names.Count == 1 ? "holds" : "hold")} in {ModelReference.Of(model, name)}, which ranks {their} {GivenMembers(concepts)} as nearer neighbours of each other than {other} does";
        }
        string Chance(List<string> names) => $"{(n == 1 ? "" : HowMany(names.Count) + " ")}{(names.Count == 1 ? "is" : "are")} no better than random groups of {(names.Count == 1 ? "its size" : "their sizes")}";
        var parts = new List<(string Text, List<string> Names)>();
        if (inA.Count > 0) parts.Add((Holds(inA, "A", nameA, "B"), inA));
        if (inB.Count > 0) parts.Add((Holds(inB, "B", nameB, "A"), inB));
        if (neither.Count > 0) parts.Add((Chance(neither), neither));
        if (n == 1) return Sentence($"The one group given ({Quoted(parts[0].Names)}) {parts[0].Text}", nameA, nameB);
        var said = parts.Select(p => $"{p.Text} ({Quoted(p.Names)})").ToList();
        return Sentence($"Of the {Count(n)} groups given, " + (said.Count == 1 ? said[0] : string.Join("; ", said.Take(said.Count - 1)) + "; and " + said[^1]), nameA, nameB);
    }

    /// <summary>Words a finding quotes for a concept without labels (its card lists more).</summary>
    public const int WordsQuoted = 3;

    /// <summary>
    /// What names unlabelled texts instead: "concept 2, 279 sentences, stands out by the words 'she' (in 35% of them, whole set 6%),
    /// 'her' (33%, 5%) and 'mrs' (8%, 1%)", for the strongest concept spoken of that has words over-represented (Concept.Words)
    /// or texts of another length than the rest (Concept.TextLength), with its length where that differs ("concept 1, 180
    /// sentences (shorter: mean 14.5 words, whole set 20.1), stands out by …"); its words quoted for the method's line. Null
    /// when no concept has either.
    /// </summary>
    private static (string Clause, string Traits, int Rank)? WordsClause(IReadOnlyList<Concept> described, IReadOnlyList<ConceptProfile> profiles, string noun)
    {
        if (Lead(described, profiles, c => c.Words is { Count: > 0 } || c.TextLength is { Differs: true }, noun) is not var (concept, named, rank)) return null;
        var shown = (concept.Words ?? []).Take(WordsQuoted).ToList();
        var quoted = shown.Select(w => $"'{BidiControls.Isolate(IO.NpyDtype.Truncate(w.Word))}'").ToList();
        var withShares = shown.Select((w, k) =>
        {
            var (members, whole) = w.Shares;
            return k == 0 ? $"{quoted[k]} (in {members} of them, whole set {whole})" : $"{quoted[k]} ({members}, {whole})";
        }).ToList();
        string traits = quoted.Count == 0 ? "" : "by " + JoinWords(quoted);
        if (concept.TextLength is not { Differs: true } l)
            return ($"{named}, stands out by the word{(shown.Count > 1 ? "s" : "")} {JoinWords(withShares)}", traits, rank);
        string longer = l.Z > 0 ? "longer" : "shorter", mean = string.Create(CultureInfo.InvariantCulture, $"mean {l.MemberMean:0.#} words, whole set {l.Mean:0.#}");
        return (shown.Count == 0 ? $"{named}, holds {longer} {noun} than the rest ({mean})"
            : $"{named} ({longer}: {mean}), stands out by the word{(shown.Count > 1 ? "s" : "")} {JoinWords(withShares)}", traits, rank);
    }

    /// <summary>Looks a finding names for a concept without labels (its card lists more).</summary>
    public const int LooksNamed = 2;

    /// <summary>
    /// What names unlabelled images instead: "concept 2, 112 emoji, stands out as more often blue (43% of them, whole set 17%)
    /// and darker (brightness 0.707, whole set 0.76)", for the strongest concept spoken of whose images look unlike the rest
    /// (Concept.Looks); "as more often blue and darker" for the method's line. Null when no concept has a look.
    /// </summary>
    private static (string Clause, string Traits, int Rank)? LooksClause(IReadOnlyList<Concept> described, IReadOnlyList<ConceptProfile> profiles, string noun)
    {
        if (Lead(described, profiles, c => c.Looks is { Count: > 0 }, noun) is not var (concept, named, rank)) return null;
        var looks = concept.Looks!.Take(LooksNamed).ToList();
        // The first share said is "of them"; the next read the same way.
        int firstShare = looks.FindIndex(l => l.Value is not null);
        var phrases = looks.Select((l, k) => k == firstShare
            ? Metrics.ImageLooks.Phrase(l).Replace("%, whole set", "% of them, whole set", StringComparison.Ordinal) : Metrics.ImageLooks.Phrase(l)).ToList();
        return ($"{named}, stands out as {JoinWords(phrases)}", "as " + JoinWords(looks.Select(Metrics.ImageLooks.Word).ToList()), rank);
    }

    /// <summary>The first concept spoken of that <paramref name="hasTraits"/>, as "concept 2, 279 sentences", with its rank; null when none has.</summary>
    private static (Concept Concept, string Named, int Rank)? Lead(IReadOnlyList<Concept> described, IReadOnlyList<ConceptProfile> profiles, Func<Concept, bool> hasTraits, string noun)
    {
        foreach (var profile in profiles)
            if (described.First(c => c.Rank == profile.Rank) is var concept && hasTraits(concept))
                return (concept, $"{profile.Called(isolated: true)}, {profile.Size.ToString("N0", CultureInfo.InvariantCulture)} {noun}", profile.Rank);
        return null;
    }

    /// <summary>Why concepts go unnamed: no labels, or one label for every sample (which names nothing); brief: as a parenthesis.</summary>
    private static string Unnamed(SampleLabels? labels, string noun, bool brief = false)
        => labels is { Names.Length: 1 } ? $"all {noun} have the same label, so labels cannot name them"
        : brief ? "no labels to name them" : "there are no labels to name them";

    // Unlabelled: the sentence when no member has a label ({1} counts the groups and their sizes); Leaning: {1} the over-represented labels.
    // Unseen: what concepts of single samples cannot show ("so they show …"): a baseline's own groups have no other model to
    // name, which had read "nothing it keeps together that  pulls apart" (review 174).
    private sealed record Framing(string Subject, string Other, string Together, string Within, string Across, string Nothing, string Unlabelled, string Leaning,
        string Unseen);

    /// <summary>
    /// The wording of each kind of direction: who is the subject and what its concepts mean. <paramref name="allMembers"/>:
    /// whether BSR scored every member of the concepts spoken of (<see cref="ScoresAllMembers"/>), which a difference says.
    /// </summary>
    private static Framing FramingOf(string direction, string nameA, string nameB, string noun, bool allMembers) => direction switch
    {
        DirectionNames.MoreSimilarInA or DirectionNames.MoreSimilarInB => Difference(direction == DirectionNames.MoreSimilarInA ? (nameA, nameB) : (nameB, nameA), noun, allMembers),
        DirectionNames.ConceptsOfA or DirectionNames.ConceptsOfB => OwnGroups(direction == DirectionNames.ConceptsOfA ? nameA : nameB, noun),
        DirectionNames.MoreFrequentInTest => Frequency(ModelReference.Of("the test set", nameA), ModelReference.Of("the reference set", nameB), noun),
        DirectionNames.MoreFrequentInRef => Frequency(ModelReference.Of("the reference set", nameB), ModelReference.Of("the test set", nameA), noun),
        _ => new Framing(direction.Replace('_', ' '), "", "{0} groups {1} together ({2})", "{0} groups " + noun + " within single labels ({1}; {2})",
            "{0} groups {1} across labels ({2})", "{0} has no concept", "{0} forms {1} ({2})", "{0} groups " + noun + " of several labels, above all {1} ({2})",
            "no group of " + noun),
    };

    // {0} subject, {1} labels or noun, {2} the lead concept's detail, {3} the other model. A difference direction's concepts are
    // pairs nearer by neighbourhood rank in {0} than in {3} (what BSR scores), not nearer in distance: a merge in B changes the
    // ranks of the merged classes, so A's direction holds them though B keeps each as tight, and a class beside one of them
    // though A holds the two far apart. "Keeps zeta and alpha together where B separates them" and "what A keeps together and B
    // pulls apart lies within … delta and zeta" read as distances and were false there (review 167, F2): the sentences say ranks.
    private const string Nearer = "as nearer neighbours of each other than {3} does";

    /// <summary>
    /// Whether BSR scored every member of these concepts: it scores each grid, the samples a card shows, and a method's grid
    /// is its concept's best examples, not its members. RDX's five groups nearer in B on 1,000 Brown sentences (minilm-l6
    /// against arctic-embed-xs) scored 0.90–1.00 on their grids, but only 0.66, 0.47, 0.56, 0.53 and 0.46 of their member
    /// pairs were nearer by rank in B, so "ranks the members of five groups" was false of two (h211). Given groups of up to
    /// --grid-size members are scored whole. Labelled sentences said it of the labels and the members counted beside them
    /// ("merged ranks 3 and 5 as nearer neighbours … (concept 3, 27 images …)"): over the demo's 80 concepts above chance,
    /// grids scored 0.83 and member pairs 0.72 on average, and with labels the Brown pair's sentence speaks of the same five
    /// groups (h215).
    /// </summary>
    internal static bool ScoresAllMembers(IEnumerable<Concept> concepts) => concepts.All(c => c.Grid.Length >= c.Members.Length);

    /// <summary>What of given groups BSR scored: "members", or "scored members" where a group larger than --grid-size was scored on some.</summary>
    public static string GivenMembers(IEnumerable<Concept> concepts) => ScoresAllMembers(concepts) ? "members" : "scored members";

    /// <summary>
    /// A difference's sentences, ranking the samples BSR scored: the labels or the members where it scored every member
    /// ("ranks 3 and 5 as nearer neighbours …"), else the samples shown for the groups ("ranks the images shown for a group
    /// mixing 3 and 5 as nearer neighbours …"), whose grids are what the figures measure.
    /// </summary>
    private static Framing Difference((string Subject, string Other) names, string noun, bool allMembers)
    {
        string shown = $"the {noun} shown for";
        string ofLabels = allMembers ? $"{noun} of" : $"{shown} groups of";
        return new(names.Subject, names.Other,
            "{0} ranks " + (allMembers ? "" : $"{shown} a group mixing ") + "{1} " + Nearer + " ({2})",
            "within single labels, {0} ranks " + (allMembers ? noun : $"{shown} each group") + " " + Nearer + " ({1}; {2})",
            "{0} ranks " + ofLabels + " many labels " + Nearer + " ({2})",
            "{0} puts no group of " + noun + " together that {3} pulls apart (the method found no concept in this direction)",
            "{0} ranks " + (allMembers ? "the members of" : shown) + " {1} " + Nearer + " ({2})",
            "{0} ranks " + ofLabels + " several labels, above all {1}, " + Nearer + " ({2})",
            "nothing it keeps together that {3} pulls apart");
    }

    private static Framing OwnGroups(string subject, string noun) => new(subject, "",
        "on its own, {0} groups {1} together ({2}; a baseline, not a difference by itself)",
        "on its own, {0} groups " + noun + " by label ({1}; {2}; a baseline, not a difference by itself)",
        "on its own, {0} groups " + noun + " across labels ({2}; a baseline, not a difference by itself)",
        "{0} has no concept of its own here",
        "on its own, {0} forms {1} ({2}; a baseline, not a difference by itself)",
        "on its own, {0} groups " + noun + " of several labels, above all {1} ({2}; a baseline, not a difference by itself)",
        "no group of " + noun + " it forms on its own");

    private static Framing Frequency(string subject, string other, string noun) => new(subject, other,
        "{0} has more " + noun + " than {3} where {1} meet ({2})",
        "{0} has more " + noun + " of {1} than {3} ({2})",
        "{0} has more " + noun + " than {3} in modes that cut across labels ({2})",
        "no mode has more " + noun + " in {0} than in {3}",
        "{0} has more " + noun + " than {3} in {1} ({2})",
        "{0} has more " + noun + " than {3} in modes that lean to {1} ({2})",
        "no group of " + noun + " more frequent in it than in {3}");

    private static DirectionFinding DescribeDirection(Explanation explanation, Direction direction, SampleLabels? labels, string nameA, string nameB, string noun, int maxConcepts, bool given)
    {
        // After held-out validation a direction speaks only of the concepts it confirmed (the report still shows the rest, marked).
        var validated = direction.Concepts.Where(c => c.Confirmed is not null).ToList();
        var confirmed = validated.Where(c => c.Confirmed == true).ToList();
        // Given groups are each tested against random groups of their size (metrics.holds_in): a direction speaks of those
        // that hold in it, as a validated method's speaks of its confirmed concepts. Its BSR over every group given it had
        // said "no better than random groups" of a direction where one group held beside a stray one that did not.
        var holds = given ? explanation.Metrics["holds_in"] as JsonObject : null;
        var held = holds is null ? null
            : direction.Concepts.Where(c => c.Name is { } name && holds[name] is JsonValue v && v.TryGetValue(out string? where) && where == direction.Explains).ToList();
        // Without either, it speaks of the concepts whose grid is closer than random groups of its size, those whose cards
        // are not marked †: SPEC's "five groups" on minilm/arctic had counted one at 0.39 against a chance of 0.50 (h209).
        bool difference = DirectionNames.IsDifference(direction.Name);
        var aboveChanceFound = difference ? direction.Concepts.Where(c => !c.GridAtChance).ToList() : direction.Concepts;
        var described = validated.Count > 0 ? confirmed : held ?? aboveChanceFound;
        bool allMembers = ScoresAllMembers(described.Take(maxConcepts));
        var frame = FramingOf(direction.Name, nameA, nameB, noun, allMembers);
        if (held is { Count: 0 })
        {
            int count = direction.Concepts.Count;
            string none = Sentence($"{frame.Subject}: {(count == 1 ? "the one group given that falls in this direction does not hold" : $"{(count == 2 ? "neither" : "none")} of the {Count(count)} groups given that fall in this direction holds")}: "
                + $"{(count == 1 ? "it is" : "each is")} no better than random groups of {(count == 1 ? "its size" : "the same size")}, so {(count == 1 ? "it shows" : "they show")} nothing it keeps together that {frame.Other} pulls apart", nameA, nameB);
            return new DirectionFinding(direction.Name, none, BidiControls.RemoveIsolates(none), [], null) { NoBetterThanChance = true };
        }
        int setSize = SetSize(explanation, direction);
        bool modes = TopOfModes(explanation);
        var profiles = described.Take(maxConcepts).Select(c => ConceptProfile.Of(SinglesOut(c, setSize, modes), labels)).Where(p => p.Size > 0).ToList();
        string wholeSet = WholeSetClause(explanation, described.Take(maxConcepts), setSize, modes, noun);
        // Without held-out validation to choose by, stability (when measured) does: a concept not found again when the
        // method reruns on subsamples leads the headline only when no concept was (docs/methods/stability.md).
        var unsettled = validated.Count > 0 ? [] : described.Where(c => c.Stability < Stability.FoundAgain).Select(c => c.Rank).ToHashSet();
        string Fill(string template, string what, string detail) => string.Format(CultureInfo.InvariantCulture, template, frame.Subject, what, detail, frame.Other);

        DirectionFinding NoBetterThanRandom((string Figures, bool Below) chance)
        {
            string groups = given ? "the groups given that fall in this direction" : "the groups found here";
            // Below chance is not "no difference": the other model ranks these groups as the nearer neighbours (KODA's direction
            // a on minilm/arctic: 0.306 against 0.495 ± 0.033, h235), which the sentence says rather than "no better than random".
            string shown = ScoresAllMembers(direction.Concepts) ? "their members" : $"the {noun} shown for them";
            string verdict = chance.Below
                ? $"{groups} are below chance, the opposite of this direction: {shown} are nearer neighbours of each other in {frame.Other} than in {frame.Subject} more often than those of random groups ({chance.Figures})"
                : $"{groups} are no better than random groups ({chance.Figures})";
            string text = Sentence($"{frame.Subject}: {verdict}, so they show nothing it keeps together that {frame.Other} pulls apart", nameA, nameB);
            return new DirectionFinding(direction.Name, text, BidiControls.RemoveIsolates(text), profiles, null)
                { NoBetterThanChance = true, BelowChance = chance.Below ? chance.Figures : null };
        }
        // Every concept's grid at chance: the direction's own BSR says so where it is at chance too, else each grid does.
        if (validated.Count == 0 && held is null && aboveChanceFound.Count == 0 && direction.Concepts.Count > 0)
        {
            if (ChanceLevel(explanation, direction) is { } level) return NoBetterThanRandom(level);
            int count = direction.Concepts.Count;
            string none = Sentence($"{frame.Subject}: {(count == 1 ? "the one concept found here does not hold" : $"{(count == 2 ? "neither" : "none")} of the {Count(count)} concepts found here holds")}: "
                + $"{(count == 1 ? "its grid is" : "each grid is")} no better than random groups of its size, so {(count == 1 ? "it shows" : "they show")} nothing it keeps together that {frame.Other} pulls apart", nameA, nameB);
            return new DirectionFinding(direction.Name, none, BidiControls.RemoveIsolates(none), [], null) { NoBetterThanChance = true };
        }
        if (profiles.Count == 0 && validated.Count > 0)
        {
            string all = validated.Count == 2 ? "neither of the two concepts" : validated.Count == 1 ? "the one concept" : $"none of the {Count(validated.Count)} concepts";
            string none = Sentence($"{frame.Subject}: {all} found in this direction {(validated.Count == 1 ? "was not" : "was")} confirmed on held-out samples", nameA, nameB);
            return new DirectionFinding(direction.Name, none, none, profiles, null);
        }
        if (profiles.Count == 0)
        {
            string nothing = Sentence(Fill(frame.Nothing, "", ""), nameA, nameB);
            return new DirectionFinding(direction.Name, nothing, BidiControls.RemoveIsolates(nothing), profiles, null);
        }

        // A concept of one sample has no within-group distance and no BSR: single samples are no groups, and "keeps five
        // groups (1, 1, 1, 1 and 1 samples) together" (rdx --max-samples 6) said what nothing measured (helpers 93, 94).
        if (profiles.All(p => p.Size < 2))
        {
            string single = Sentence($"{frame.Subject}: {(profiles.Count == 1 ? "its concept here is a single sample, not a group, so it shows" : "its concepts here are single samples, not groups, so they show")} "
                + Fill(frame.Unseen, "", ""), nameA, nameB);
            return new DirectionFinding(direction.Name, single, BidiControls.RemoveIsolates(single), profiles, null) { SingleSamples = true };
        }

        // Held-out confirmation is the stronger test (unseen samples, up to 50 members per concept against the 9 of a
        // grid), so a direction with confirmed concepts speaks of them even when its grids' BSR is near chance; but not of
        // a concept whose own grid is no closer than random groups: a spectral concept is confirmed by the held-out group
        // its mode picks from one input alone, and SPEC's "kept together in B" concept whose members sat closer in A
        // (BSR 0.17, random groups 0.49) was confirmed that way (helper 79).
        var belowChance = difference ? described.Where(c => c.GridAtChance).Select(c => c.Rank).ToHashSet() : [];
        if (held is null && !confirmed.Any(c => !belowChance.Contains(c.Rank)) && ChanceLevel(explanation, direction) is { } chance)
            return NoBetterThanRandom(chance);

        if (profiles.All(p => p.Mix == ConceptMix.Unlabelled))
        {
            // Concepts of one sample are no groups (see above): counted apart, "five groups (3, 22, 2, 471 and 1 samples)" had
            // called a single sample a group beside real ones (helper 95).
            var real = profiles.Where(p => p.Size >= 2).ToList();
            int singles = profiles.Count - real.Count;
            string sizes = JoinWords(real.Select(p => p.Size.ToString("N0", CultureInfo.InvariantCulture)).ToList());
            // Where a concept at chance was passed over, the ranks spoken of: "see the concept cards" would read cards 1 to 5.
            bool passedOver = difference && validated.Count == 0 && held is null && direction.Concepts.Take(maxConcepts).Any(c => c.GridAtChance);
            string ranks = JoinWords(real.Select(p => p.Rank.ToString(CultureInfo.InvariantCulture)).ToList());
            string groups = (real.Count == 1 ? $"one group of {sizes} {noun}{(passedOver ? $" (concept {ranks})" : "")}" : $"{Count(real.Count)} groups ({sizes} {noun}{(passedOver ? $": concepts {ranks}" : "")})")
                + (singles == 0 ? "" : singles == 1 ? " and one concept of a single sample" : $" and {Count(singles)} concepts of a single sample each");
            // Given groups by the names their user knows them by: "the groups 'cats-indoor' (120 samples) and 'strays' (30 samples)",
            // and how many more hold, as the run's line counts them: of thirteen that held, "and two more" had counted the five spoken of.
            if (held is not null)
            {
                int quoted = Math.Min(real.Count, GroupsNamed), more = held.Count(c => c.Members.Length >= 2) - quoted;
                groups = (real.Count == 1 && more == 0 ? "the group " : "the groups ") + JoinWords([.. real.Take(quoted).Select(p => $"{p.Quoted(isolated: true)} ({p.Size.ToString("N0", CultureInfo.InvariantCulture)} {noun})"),
                    .. more > 0 ? [$"{Count(more)} more"] : Array.Empty<string>()]);
            }
            var traits = WordsClause(described, profiles, noun) ?? LooksClause(described, profiles, noun);
            string named = traits is { } t ? $"{Unnamed(labels, noun)}; {t.Clause}" : Unnamed(labels, noun);
            string text = Fill(frame.Unlabelled, groups, $"{named}: see the concept cards");
            return new DirectionFinding(direction.Name, Sentence(text + wholeSet + StabilityClause(explanation, profiles, unsettled), nameA, nameB), BidiControls.RemoveIsolates(Sentence(text, nameA, nameB)), profiles, profiles[0])
                { LeadTraits = BidiControls.RemoveIsolates(traits?.Traits ?? ""), LeadTraitsRank = traits?.Rank ?? 0, NamedWithoutLabels = traits is not null, ScoresAllMembers = allMembers };
        }

        // The headline leads with a mixture when there is one (what one model confuses and the other tells apart is the
        // difference itself: two dog-and-fox concepts beside three filler classes had been headed "lies within single
        // labels"), else says what most of the concepts are (a tie goes to single labels, then to concepts leaning to a
        // few labels), led by the strongest concept of that kind. A concept whose grid is no closer than random groups
        // comes after every other; a concept found again on reruns before one that was not, whatever their sizes; among
        // those, a few stray samples do not speak for the direction: small concepts lead only when every concept is small
        // (and the detail then says "only N").
        var labelled = profiles.Where(p => p.Mix != ConceptMix.Unlabelled).ToList();
        var aboveChance = Prefer(labelled, p => !belowChance.Contains(p.Rank));
        var settled = Prefer(aboveChance, p => !unsettled.Contains(p.Rank));
        var candidates = Prefer(settled, p => !p.IsSmall);
        var kind = candidates.Any(p => p.Mix == ConceptMix.Mixed) ? ConceptMix.Mixed
            : new[] { ConceptMix.OneLabel, ConceptMix.Leaning, ConceptMix.Spread }.OrderByDescending(k => candidates.Count(p => p.Mix == k)).First();
        var lead = candidates.First(p => p.Mix == kind);
        string detail = lead.Detail(noun, isolated: true) + MetadataNote(described.FirstOrDefault(c => c.Rank == lead.Rank));
        string headline = lead.Mix switch
        {
            ConceptMix.Mixed => Fill(frame.Together, JoinWords(lead.Leading.Select(s => BidiControls.Isolate(s.Named)).ToList()), detail),
            ConceptMix.OneLabel => Fill(frame.Within, JoinWords(candidates.Where(p => p.Mix == ConceptMix.OneLabel).Select(p => BidiControls.Isolate(p.Labels[0].Named)).Distinct().Take(ConceptProfile.MaxLabelsNamed).ToList()), detail),
            ConceptMix.Leaning => Fill(frame.Leaning, JoinWords(lead.Leading.Select(s => BidiControls.Isolate(s.Named)).ToList()), detail),
            _ => Fill(frame.Across, "", detail),
        };
        string tally = Tally(profiles, validated.Count > 0, validated.Count > 0 ? confirmed.Count : described.Count, held is null ? "concepts" : "groups that hold here");
        return new DirectionFinding(direction.Name, Sentence(headline + tally + wholeSet + StabilityClause(explanation, profiles, unsettled), nameA, nameB), BidiControls.RemoveIsolates(Sentence(headline, nameA, nameB)), profiles, lead);
    }

    // A spectral concept's members are the --members samples its mode scores highest (METHODS §3 fixes m, default 50), so on a
    // set of m samples or fewer every sample is a member of every mode, and "five groups (40, 40, 40, 40 and 40 samples)" said
    // nothing (review 174, finding 5). The members stay as METHODS defines them (the cards, results.json and held-out
    // validation read them); the sentence reads such a concept by its grid instead: the top of its mode, and what BSR scores.

    /// <summary>Whether the method's concepts are the top-scored samples of modes (SPEC, SPEC-align, KODA, FINC: <see cref="ModeOptions"/>).</summary>
    private static bool TopOfModes(Explanation explanation)
        => MethodRegistry.Default.Find(explanation.Method) is { } method && typeof(ModeOptions).IsAssignableFrom(method.OptionsType);

    /// <summary>The samples a direction's concepts are drawn from: FINC's test or reference set, else every sample.</summary>
    private static int SetSize(Explanation explanation, Direction direction) => direction.Rows switch
    {
        "test" when explanation.Metrics["test_rows"] is JsonValue rows => rows.GetValue<int>(),
        "ref" when explanation.Metrics["ref_rows"] is JsonValue rows => rows.GetValue<int>(),
        _ => explanation.N,
    };

    /// <summary>Whether a mode's members are its whole set while its grid is fewer: all it singles out is its grid.</summary>
    private static bool HoldsWholeSet(Concept concept, int setSize, bool modes)
        => modes && setSize > 0 && concept.Members.Length >= setSize && concept.Grid.Length < concept.Members.Length;

    /// <summary>The concept as the sentence reads it: its grid alone where its members are the whole set (see above).</summary>
    private static Concept SinglesOut(Concept concept, int setSize, bool modes) => HoldsWholeSet(concept, setSize, modes)
        ? new Concept { Rank = concept.Rank, Name = concept.Name, Strength = concept.Strength, Members = concept.Grid, Grid = concept.Grid }
        : concept;

    /// <summary>"; with 40 samples and --members 50, every sample is a member of each mode here, so …": where a concept was read by its grid.</summary>
    private static string WholeSetClause(Explanation explanation, IEnumerable<Concept> concepts, int setSize, bool modes, string noun)
    {
        var whole = concepts.Where(c => HoldsWholeSet(c, setSize, modes)).ToList();
        if (whole.Count == 0) return "";
        string members = explanation.Parameters["members"] is JsonValue m ? $" and --members {m.ToJsonString()}" : "";
        int grid = whole.Max(c => c.Grid.Length);
        return string.Create(CultureInfo.InvariantCulture, $"; with {setSize:N0} {noun}{members}, every one is a member of {(whole.Count == 1 ? "its mode" : "each mode")} here, "
            + $"so each group counted is the {grid:N0} {noun} its mode ranks highest");
    }

    /// <summary>
    /// "; source 'web' in 100% of them (whole set 15%)": the metadata value (not a label) most over-represented among the lead
    /// concept's members (the card's enrichment test, q ≤ 0.05) when at least half of them have it; else "". A concept that
    /// was all 'web' across five labels had been named by its labels alone (helper 79).
    /// </summary>
    private static string MetadataNote(Concept? concept)
    {
        var value = concept?.Enrichment?
            .Where(e => e.Column != SampleMetadata.LabelColumn && e.Value is not null && e.MembersWithValue * 2 >= e.Members)
            .OrderBy(e => e.QValue).FirstOrDefault();
        return value is null ? "" : $"; {BidiControls.Isolate(value.Column)} '{BidiControls.Isolate(value.Value!)}' in {EnrichedValue.Percent(value.MembersWithValue!.Value, value.Members)} of them "
            + $"(whole set {EnrichedValue.Percent(value.TotalWithValue!.Value, value.Total)})";
    }

    /// <summary>The profiles that pass <paramref name="keep"/>, or all of them when none does.</summary>
    private static List<ConceptProfile> Prefer(List<ConceptProfile> profiles, Func<ConceptProfile, bool> keep)
        => profiles.Any(keep) ? profiles.Where(keep).ToList() : profiles;

    /// <summary>
    /// "; two of its first three concepts were not found again when rerun on 80% of the samples": said when stability was
    /// measured and concepts spoken of were below <see cref="Stability.FoundAgain"/>. When two or more clusters were, a
    /// rerun regrouped their samples, as it does when a method is asked for more clusters than the difference has, so
    /// the clause says fewer may be stable (RDX on the digits: k = 3 0.36–0.61, k = 2 0.86–0.95, k = 1 0.92–0.96).
    /// </summary>
    private static string StabilityClause(Explanation explanation, IReadOnlyList<ConceptProfile> profiles, IReadOnlySet<int> unsettled)
    {
        int count = profiles.Count(p => unsettled.Contains(p.Rank));
        if (count == 0) return "";
        double fraction = explanation.Metrics["stability_fraction"]?.GetValue<double>() ?? StabilityResamples.DefaultFraction;
        string which = profiles.Count == 1 ? "its concept was not"
            : count == profiles.Count ? $"none of its first {Count(count)} concepts was"
            : $"{Count(count)} of its first {Count(profiles.Count)} concepts {(count == 1 ? "was" : "were")} not";
        string clause = string.Create(CultureInfo.InvariantCulture, $"; {which} found again when rerun on {fraction * 100:F0}% of the samples");
        bool clusters = MethodRegistry.Default.Find(explanation.Method)?.ConceptsAreClusters == true;
        return count >= 2 && clusters && explanation.Parameters["concepts"] is JsonValue asked && asked.TryGetValue(out int k) && k > 1
            ? clause + ", as happens when a method is asked for more clusters than the difference has: fewer concepts may find stable ones"
            : clause;
    }

    /// <summary>
    /// "BSR 0.422, random groups of the same sizes 0.484 ± 0.029" when a difference direction's BSR is not above its
    /// chance level by <see cref="ChanceMargin"/> spreads (without a spread in the metrics, not above the level itself), and
    /// whether it is as far below it (<see cref="BelowChance"/>); null when it is above, or when the explanation holds no chance level (not scored, or another kind of direction:
    /// a baseline's own groups claim no difference, and FINC's modes are not scored by BSR).
    /// </summary>
    private static (string Figures, bool Below)? ChanceLevel(Explanation explanation, Direction direction)
    {
        if (direction.Name is not (DirectionNames.MoreSimilarInA or DirectionNames.MoreSimilarInB)) return null;
        if (BsrRow.Read(explanation.Metrics, "bsr", direction.Name) is not double bsr
            || BsrRow.Read(explanation.Metrics, "bsr_chance", direction.Name) is not double chance) return null;
        double? sd = BsrRow.Read(explanation.Metrics, "bsr_chance_sd", direction.Name);
        if (AboveChance(bsr, chance, sd ?? 0)) return null;
        var f = BsrFigures.Of(bsr, chance);
        string figures = (f.Equal ? $"BSR {f.Bsr}, the same as random groups of the same sizes" : $"BSR {f.Bsr}, random groups of the same sizes {f.Chance}")
            + (sd is double s ? string.Create(CultureInfo.InvariantCulture, $" ± {s:F3}") : "");
        // Without a spread (results written before it) nothing tells a low BSR from one random groups reach: at chance.
        return (figures, sd is double spread && BelowChance(bsr, chance, spread));
    }

    /// <summary>
    /// Whether a BSR is below its chance level by as much as <see cref="AboveChance"/> asks above it: the groups' pairs are nearer
    /// neighbours in the other model than in the explained one more often than random groups' are, the opposite of the direction.
    /// </summary>
    public static bool BelowChance(double bsr, double chance, double sd) => bsr < chance - Math.Max(ChanceMargin * sd, ChanceRounding);

    /// <summary>
    /// "; of its first five concepts, three mix a few labels and two are mostly one label": the kinds, when there are
    /// several. After validation the concepts spoken of are the confirmed ones, whatever their ranks: "of its four
    /// confirmed concepts" (<paramref name="available"/>: how many the direction has of those it could speak of).
    /// <paramref name="concepts"/>: what they are called ("groups that hold here" where they were given in a file).
    /// </summary>
    private static string Tally(IReadOnlyList<ConceptProfile> profiles, bool confirmedOnly, int available, string concepts = "concepts")
    {
        var labelled = profiles.Where(p => p.Mix != ConceptMix.Unlabelled).ToList();
        if (labelled.Count < 2) return "";
        int n = labelled.Count;
        var kinds = new[] { ConceptMix.Mixed, ConceptMix.OneLabel, ConceptMix.Leaning, ConceptMix.Spread }
            .Select(kind => (Kind: kind, Count: labelled.Count(p => p.Mix == kind))).Where(k => k.Count > 0).ToList();
        // "its four confirmed concepts" when those are all of them, "its first five confirmed concepts" when more were confirmed.
        string confirmedGroup = available > n ? $"its first {Count(n)} confirmed {concepts}" : $"its {Count(n)} confirmed {concepts}";
        string Phrase(ConceptMix kind) => KindPhrase(kind, labelled.Where(p => p.Mix == kind).ToList());
        if (kinds.Count == 1)
        {
            string all = n == 2 ? "both" : $"all {Count(n)}";
            string group = confirmedOnly ? (available > n ? confirmedGroup : $"its confirmed {concepts}") : n == 2 ? $"its first two {concepts}" : $"its first {concepts}";
            return $"; {all} of {group} {Phrase(kinds[0].Kind)}";
        }
        return $"; of {(confirmedOnly ? confirmedGroup : $"its first {Count(n)} {concepts}")}, {JoinWords(kinds.Select(k => $"{Count(k.Count)} {Phrase(k.Kind)}").ToList())}";
    }

    /// <summary>
    /// What the concepts of one kind are: "mix a few labels", "is mostly one label"; where two or more mixtures hold the same labels,
    /// or two or more single-label concepts the same label, which: "mix the same two labels (delta and zeta)". RDX's five concepts
    /// of one planted merge had read "all five of its first concepts mix a few labels", as if five differences (review 167, F2).
    /// </summary>
    private static string KindPhrase(ConceptMix kind, IReadOnlyList<ConceptProfile> ofKind)
    {
        bool plural = ofKind.Count > 1;
        var labels = ofKind[0].Leading.Select(s => s.Label).ToHashSet(StringComparer.Ordinal);
        bool same = plural && kind is ConceptMix.Mixed or ConceptMix.OneLabel
            && ofKind.All(p => p.Leading.Count == labels.Count && p.Leading.All(s => labels.Contains(s.Label)));
        string which = $"({JoinWords(ofKind[0].Leading.Select(s => BidiControls.Isolate(s.Named)).ToList())})";
        return kind switch
        {
            ConceptMix.Mixed => same ? $"mix the same {Count(labels.Count)} labels {which}" : plural ? "mix a few labels" : "mixes a few labels",
            ConceptMix.OneLabel => same ? $"are mostly the same label {which}" : plural ? "are mostly one label" : "is mostly one label",
            ConceptMix.Leaning => plural ? "lean to a few labels" : "leans to a few labels",
            _ => plural ? "cut across labels" : "cuts across labels",
        };
    }

    /// <summary>
    /// One line for an index page: the direction whose concepts mix labels most, against the label purity of the opposite
    /// direction, or, when both headlines keep a few labels together, the one whose labels are the more concentrated against
    /// the whole set; without labels, how many groups each direction has. A direction no better than random groups is never
    /// the line, and is said to be so where the other's purity would stand (docs/findings.md, "The headline").
    /// </summary>
    private static string Summary(string method, IReadOnlyList<DirectionFinding> directions, string nameA, string nameB, string noun, bool validated, string unnamed)
    {
        var withConcepts = directions.Where(d => d.Concepts.Count > 0 && !d.NoBetterThanChance && !d.SingleSamples).ToList();
        if (withConcepts.Count == 0 && directions.Any(d => d.SingleSamples) && !directions.Any(d => d.NoBetterThanChance))
            return Sentence($"{method}'s concepts are single {noun}, not groups: it shows no difference between {nameA} and {nameB}", method, nameA, nameB);
        var below = directions.Where(d => d.BelowChance is not null).ToList();
        // A direction below chance is not "no difference": its groups are nearer neighbours in the other model (h235).
        string Opposite(DirectionFinding d) => OppositeWay(method, d, nameA, nameB);
        string atChanceToo = directions.Any(d => d.NoBetterThanChance && d.BelowChance is null) ? "; the other way no better than random groups" : "";
        if (withConcepts.Count == 0 && below.Count > 0)
            return Sentence($"{method} finds no group that holds in the direction it was found for: {string.Join("; and ", below.Select(Opposite))}{atChanceToo}", method, nameA, nameB);
        if (withConcepts.Count == 0 && directions.Any(d => d.NoBetterThanChance))
            return Sentence($"{method}'s groups of {noun} are no better than random groups: it shows no difference between {nameA} and {nameB}", method, nameA, nameB);
        if (withConcepts.Count == 0 && validated)
            return Sentence($"{method} finds no group of {noun} that holds on held-out samples: none of its concepts was confirmed", method, nameA, nameB);
        if (withConcepts.Count == 0)
            return Sentence($"{method} finds no group of {noun} that one representation keeps together and the other pulls apart", method, nameA, nameB);
        var labelled = withConcepts.Where(d => d.MeanPurity is not null).ToList();
        if (labelled.Count == 0)
        {
            var counts = withConcepts.Select(d => GroupCount(d.Direction, d.Concepts.Count(p => p.Size >= 2), nameA, nameB, noun, d.ScoresAllMembers)).ToList();
            // Texts by their words, images by their looks: each direction's first concept that has any, in the order the groups
            // are counted. It is not always rank 1, so it is named by its rank and its direction's groups.
            var worded = withConcepts.Where(d => d.LeadTraits.Length > 0).ToList();
            string byWords = worded.Count == 0 ? ""
                : withConcepts.Count == 1 ? $"; its concept {worded[0].LeadTraitsRank} stands out {worded[0].LeadTraits}"
                : "; " + string.Join(", and ", worded.Select(d => $"concept {d.LeadTraitsRank} of {Groups(d.Direction, nameA, nameB)} stands out {d.LeadTraits}"));
            return Sentence($"{method} finds {JoinWords(counts)} ({unnamed}{byWords}){string.Concat(below.Select(d => "; the other way below chance: " + Opposite(d)))}", method, nameA, nameB);
        }
        var byPurity = labelled.OrderBy(d => d.MeanPurity!.Value).ThenBy(d => d.Direction, StringComparer.Ordinal).First();
        // When both directions lead with a few labels kept together, the line is the one whose labels are the more concentrated
        // against the whole set: the lower label purity had let a diffuse 640-image third of the digits (83% from four labels
        // that are 40% of the set) beat the merged model's 3s and 5s (96% of concept 3, from 20% of the set), as it lets any
        // large group drawn from many labels. Where one direction leads with no mixture, the purities choose, as before: ResNet-18
        // mixing garment classes the task model separates is the difference there, not a mixture of Bag, Shirt and Pullover.
        bool bothMixtures = labelled.Count > 1 && labelled.All(d => d.Lead is { Mix: ConceptMix.Mixed, IsSmall: false });
        var byConcentration = labelled.OrderByDescending(d => d.Lead is { } lead ? Concentration(lead) : 0).ToList();
        var chosen = bothMixtures ? TwoMixtures(byConcentration[0], byConcentration[1]) : null;
        var mixing = chosen?.Finding ?? byPurity;
        string line = mixing.Headline[..^1];
        var opposite = labelled.FirstOrDefault(d => d != mixing);
        // Where the purities would have chosen the other way, the line gives the figures that chose it instead.
        if (mixing != byPurity && opposite is not null)
            return Sentence($"{line}; {MixtureFigures(mixing.Lead!, opposite.Lead!, noun, chosen!.Value.BySamples)}", nameA, nameB);
        var (own, other) = PurityFigures(mixing.MeanPurity!.Value, opposite?.MeanPurity);
        string purity = $"label purity of its concepts {own}";
        if (other is not null) purity += $" against {other} the other way";
        // What purity a group has by drawing from the set, so the figures can be read (3 classes: a third; 15: 7%).
        purity += $" (the whole set's largest label {ConceptProfile.Percent(mixing.Concepts.First(c => c.Mix != ConceptMix.Unlabelled).WholeSetPurity)})";
        if (opposite is null && below.Count > 0) purity += "; the other way below chance: " + Opposite(below[0]);
        else if (opposite is null && directions.Any(d => d.NoBetterThanChance)) purity += "; the other way no better than random groups";
        else if (opposite is null && directions.Any(d => d.SingleSamples)) purity += "; the other way single samples, not groups";
        return Sentence($"{line}; {purity}", nameA, nameB);
    }

    /// <summary>
    /// What a direction below chance shows (<see cref="DirectionFinding.BelowChance"/>), for the line: "the groups koda finds nearer
    /// in a.npy are nearer in b.npy more often than random groups are (BSR 0.306, …)", short, as model names can be long.
    /// </summary>
    private static string OppositeWay(string method, DirectionFinding direction, string nameA, string nameB)
    {
        var (subject, other) = direction.Direction == DirectionNames.MoreSimilarInA ? (nameA, nameB) : (nameB, nameA);
        return $"the groups {method} finds nearer in {subject} are nearer in {other} more often than random groups are ({direction.BelowChance})";
    }

    /// <summary>
    /// Which of two directions' mixtures leads the line, or null to leave it to the purities. The clearly more concentrated one
    /// (<see cref="Concentration"/>, <see cref="ClearlyMore"/> times the other's), if it still is with no label counted rarer than
    /// an average label of the set. If only rarity made it so, it is a handful of rare samples: labels that are 2% of the set
    /// reach 50 times their share where labels that are 24.5% cannot pass 4.1, so 12 of 14 samples from two rare labels had outranked
    /// a 400-image merge of two common ones (helper 157's probe). Then the other mixture leads when it holds clearly more of its
    /// labels' samples (<c>BySamples</c>); otherwise, as for a near tie, the purities choose: "100% and 20%, against 100% and
    /// 20%" showed no difference (helper 157). Gathering more alone does not lead: the digits' diffuse 640 would beat the merge.
    /// </summary>
    private static (DirectionFinding Finding, bool BySamples)? TwoMixtures(DirectionFinding higher, DirectionFinding lower)
    {
        var (more, less) = (higher.Lead!, lower.Lead!);
        if (Concentration(more) < ClearlyMore * Concentration(less)) return null;
        if (Concentration(more, rareAsAverage: true) >= ClearlyMore * Concentration(less, rareAsAverage: true)) return (higher, false);
        // Only rarity made it the more concentrated.
        return LeadingShares(less).Count >= ClearlyMore * LeadingShares(more).Count ? (lower, true) : null;
    }

    /// <summary>
    /// How concentrated a mixture's labels are: their share of the concept over their share of the whole set (3 and 5, 96% of a
    /// concept and 20% of the set: 4.7; 3, 2, 1 and 9, 83% and 40%: 2.1). Two labels nearly filling a concept say more than four
    /// that a third of the set would hold by drawing from it. <paramref name="rareAsAverage"/>: each label's share of the set
    /// taken as at least an average label's (<see cref="ConceptProfile.AverageLabelShare"/>), so rarity alone earns nothing.
    /// </summary>
    private static double Concentration(ConceptProfile mixture, bool rareAsAverage = false)
    {
        double whole = rareAsAverage ? mixture.Leading.Sum(s => Math.Max(s.BaseShare, mixture.AverageLabelShare)) : LeadingShares(mixture).Whole;
        return whole > 0 ? LeadingShares(mixture).Share / whole : 0;
    }

    /// <summary>
    /// How many times the other mixture's figure (concentration, or samples held) a mixture needs to lead against the purities
    /// (the merged digits: 4.7 against 2.1).
    /// </summary>
    private const double ClearlyMore = 1.5;

    /// <summary>How many of the concept's members carry its named labels, their share of the concept, and the labels' share of the whole set.</summary>
    private static (int Count, double Share, double Whole) LeadingShares(ConceptProfile concept)
    {
        int count = concept.Leading.Sum(s => s.Count);
        return (count, (double)count / concept.Size, concept.Leading.Sum(s => s.BaseShare));
    }

    /// <summary>
    /// "3 and 5 are 96% of that concept and 20% of the whole set, against 83% and 40% for the other way's 3, 2, 1 and 9 (concept 5,
    /// 640 images)": why the line is this direction's mixture rather than the other's, and what the other was. Chosen by the
    /// samples it holds, the line gives them and says why the other's higher concentration did not count: "98% (392 samples) …,
    /// against 86% (12 samples) and 2% for the other way's R0 and R1 (concept 1, 14 samples), labels rarer than the set's average".
    /// </summary>
    private static string MixtureFigures(ConceptProfile lead, ConceptProfile passed, string noun, bool bySamples)
    {
        var (own, other) = (LeadingShares(lead), LeadingShares(passed));
        string Named(ConceptProfile p) => JoinWords(p.Leading.Select(s => BidiControls.Isolate(s.Named)).ToList());
        string Number(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
        string Held((int Count, double Share, double Whole) s) => ConceptProfile.Percent(s.Share) + (bySamples ? $" ({Number(s.Count)} {noun})" : "");
        return $"{Named(lead)} are {Held(own)} of that concept and {ConceptProfile.Percent(own.Whole)} of the whole set, against "
            + $"{Held(other)} and {ConceptProfile.Percent(other.Whole)} for the other way's {Named(passed)} "
            + $"({passed.Called(isolated: true)}, {Number(passed.Size)} {noun})" + (bySamples ? ", labels rarer than the set's average" : "");
    }

    /// <summary>
    /// The line's purity and the other direction's as whole percents, or with as many decimals (up to three) as tell them
    /// apart when they round alike: the line is the direction of the lower purity, and "24% against 24%" (23.5% and 23.6%,
    /// minilm-l6 against arctic-embed-xs on 1,200 Brown sentences) did not say why it was this one (helper 141).
    /// </summary>
    internal static (string Own, string? Other) PurityFigures(double own, double? other)
    {
        // A true tie (the line is then the first direction by name) stays in whole percents.
        if (other is not double o || o == own) return (ConceptProfile.Percent(own), other is null ? null : ConceptProfile.Percent(own));
        for (int decimals = 0; decimals < 3; decimals++)
        {
            string a = Percent(own, decimals), b = Percent(o, decimals);
            if (a != b) return (a, b);
        }
        return (Percent(own, 3), Percent(o, 3));

        static string Percent(double share, int decimals) => decimals == 0 ? ConceptProfile.Percent(share)
            : (share * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%";
    }

    /// <summary>"the groups nearer in A", and the like for each kind of direction.</summary>
    private static string Groups(string direction, string nameA, string nameB) => direction switch
    {
        DirectionNames.MoreSimilarInA => $"the groups nearer in {nameA}",
        DirectionNames.MoreSimilarInB => $"the groups nearer in {nameB}",
        DirectionNames.ConceptsOfA => $"{nameA}'s own groups",
        DirectionNames.ConceptsOfB => $"{nameB}'s own groups",
        DirectionNames.MoreFrequentInTest => $"the groups more frequent in {nameA}",
        DirectionNames.MoreFrequentInRef => $"the groups more frequent in {nameB}",
        _ => $"the groups in {direction.Replace('_', ' ')}",
    };

    /// <summary>
    /// "five groups of images whose shown images A ranks as nearer neighbours of each other than B does" ("whose members" where
    /// BSR scored every member: <see cref="ScoresAllMembers"/>), and the like for each kind of direction.
    /// </summary>
    private static string GroupCount(string direction, int count, string nameA, string nameB, string noun, bool allMembers)
    {
        string groups = $"{Count(count)} {(count == 1 ? "group" : "groups")} of {noun}";
        string scored = allMembers ? "members" : $"shown {noun}";
        return direction switch
        {
            DirectionNames.MoreSimilarInA => $"{groups} whose {scored} {nameA} ranks as nearer neighbours of each other than {nameB} does",
            DirectionNames.MoreSimilarInB => $"{groups} whose {scored} {nameB} ranks as nearer neighbours of each other than {nameA} does",
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

    /// <summary>
    /// Ends the text with a full stop and capitalizes it, unless it starts with a name (names keep their case: "all-MiniLM-L6-v2"),
    /// read on the plain text: the isolate marks neither hide a name nor take the capital.
    /// </summary>
    private static string Sentence(string text, params string[] names)
    {
        string plain = BidiControls.RemoveIsolates(text);
        if (plain.Length == 0 || names.Select(BidiControls.RemoveIsolates).Any(n => n.Length > 0 && plain.StartsWith(n, StringComparison.Ordinal))) return text + ".";
        int first = text.AsSpan().IndexOfAnyExcept(BidiControls.IsolateStart, BidiControls.IsolateEnd);
        return text[..first] + char.ToUpperInvariant(text[first]) + text[(first + 1)..] + ".";
    }
}
