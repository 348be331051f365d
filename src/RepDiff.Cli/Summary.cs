using System.Globalization;
using System.Text.Json.Nodes;
using RepDiff.IO;
using RepDiff.Metrics;
using RepDiff.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RepDiff.Cli;

/// <summary>A short table of what a method found, for the terminal, read from the report model.</summary>
internal static class Summary
{
    private const int RowsPerDirection = 5;

    public static void Print(ReportModel model, Explanation explanation)
    {
        var concepts = explanation.Directions.SelectMany(d => d.Concepts).ToList();
        // Columns nothing fills are left out (FINC has neither BSR nor labels).
        bool bsr = concepts.Any(c => c.Bsr is not null), labels = concepts.Any(c => c.LabelCounts is not null);
        bool stability = concepts.Any(c => c.Stability is not null), validated = concepts.Any(c => c.Confirmed is not null);
        bool words = concepts.Any(c => c.Words is { Count: > 0 }), looks = concepts.Any(c => c.Looks is { Count: > 0 });
        bool named = concepts.Any(c => c.Name is not null);
        var table = new Table().AddColumns(named ? ["direction", "rank", "group", "strength", "members"] : ["direction", "rank", "strength", "members"]);
        if (bsr) table.AddColumn("BSR (chance)");
        if (stability) table.AddColumn("stability");
        if (validated) table.AddColumn("held out");
        if (labels) table.AddColumn("top labels");
        if (words) table.AddColumn("top words");
        if (looks) table.AddColumn("looks");
        foreach (var direction in explanation.Directions)
            foreach (var concept in direction.Concepts.Take(RowsPerDirection))
            {
                var cells = new List<string> { Text(direction.Name), concept.Rank.ToString(CultureInfo.InvariantCulture) };
                if (named) cells.Add(Text(Shorten(concept.Name ?? "")));
                cells.AddRange([concept.Strength.ToString("G4", CultureInfo.InvariantCulture), concept.Members.Length.ToString(CultureInfo.InvariantCulture)]);
                if (bsr) cells.Add(WithChance(concept.Bsr, concept.BsrChance));
                if (stability) cells.Add(concept.Stability is double s ? Trust.Stability.Shown(s).ToString("F2", CultureInfo.InvariantCulture) : "–");
                if (validated) cells.Add(HeldOut(concept, explanation));
                var row = cells.Select(cell => (IRenderable)new Markup(cell)).ToList();
                if (labels) row.Add(Terminal.Phrases(TopLabelPhrases(concept)));
                if (words) row.Add(new Markup(concept.Words is { Count: 0 } ? "–" : Text(TopWords(concept))));
                if (looks) row.Add(new Markup(concept.Looks is { Count: 0 } ? "–" : Text(TopLooks(concept))));
                table.AddRow(row);
            }
        bool sets = explanation.Directions.Any(d => d.Name is DirectionNames.MoreFrequentInTest or DirectionNames.MoreFrequentInRef);
        Terminal.Write($"{explanation.Method}: {model.NameA} ({(sets ? "TEST" : "A")}) vs {model.NameB} ({(sets ? "REF" : "B")})", table);
        if (explanation.Directions.Any(d => d.Concepts.Count > RowsPerDirection))
            // The report shows its own first ReportModel.MaxConceptsShown of a direction: "and the report" is said only when that is all of them.
            Cli.Out.WriteLine($"(the first {RowsPerDirection} concepts of each direction; all {explanation.Directions.Sum(d => d.Concepts.Count)} are in results.json"
                + (explanation.Directions.Any(d => d.Concepts.Count > ReportModel.MaxConceptsShown)
                    ? $", and the report shows the first {ReportModel.MaxConceptsShown} of each)" : " and the report)"));
        // A spectral method has as many concepts as eigenvalues of a direction's sign clearly away from zero: `spec --concepts 1000`
        // had given 160 a direction without a word of why. KODA's constrained search ends at its first vector that neither
        // lies clearly above zero nor separates the two kernels (KodaMethod.SearchModes).
        if (explanation.ResolvedOptions is Methods.ModeOptions { Concepts: var asked } && explanation.Directions.Any(d => d.Concepts.Count < asked))
            Cli.Out.WriteLine($"(--concepts {asked}: " + string.Join(", ", explanation.Directions.Select(d => $"{d.Name} has {d.Concepts.Count}"))
                + (explanation.ResolvedOptions is Methods.Koda.KodaOptions
                    ? ", one per group that one kernel holds clearly tighter than the other; there are no more)"
                    : ", one per eigenvalue of its sign clearly away from zero; there are no more)"));
        // The spectral distance with what it is: "spec_diff 0.145983" alone meant nothing to a reader (helper 79).
        var alignment = Methods.Spec.SpecAlignMethod.AlignmentSentence(explanation.Metrics, model.NameA, model.NameB);
        var headline = explanation.Metrics.Where(m => m.Value is JsonValue v && v.TryGetValue(out double _) && m.Key.Contains("_diff", StringComparison.Ordinal)
                && (alignment is null || m.Key == "spec_diff"))
            .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value!.GetValue<double>():G4}")).ToList();
        if (headline.Count > 0)
        {
            // FINC compares two sets' kernel covariances in one representation: "the two kernels" and "what test.npy
            // clusters more" spoke of two models (helper 92).
            var (what, more) = sets ? ("the two sets' kernel covariances", "has more of") : ("the two kernels", "clusters more");
            Cli.Out.WriteLine(Terminal.Clean(string.Join(", ", headline) + $" (how far apart {what} are at most, 0 when they agree"
                + (explanation.Metrics["lambda_max"] is JsonValue && explanation.Metrics["lambda_min"] is JsonValue
                    ? string.Create(CultureInfo.InvariantCulture, $"; λ_max {explanation.Metrics["lambda_max"]!.GetValue<double>():G4} for what {model.NameA} {more}, λ_min {explanation.Metrics["lambda_min"]!.GetValue<double>():G4} for what {model.NameB} {more})")
                    : ")")));
        }
        if (alignment is not null) Cli.Out.WriteLine(Terminal.Clean(char.ToUpperInvariant(alignment[0]) + alignment[1..] + "."));
        if (explanation.Metrics["both_ways"] is JsonObject bothWays)
            foreach (var (name, scored) in bothWays) Cli.Out.WriteLine(Terminal.Clean(BothWays(model, explanation, name, scored!.AsObject())));
        var findings = model.Findings.FirstOrDefault(f => f.Method == explanation.Method);
        // Groups given in a file: where they hold, counted ("Of the three groups given, one holds in A …").
        if (findings is { OfGivenGroups: true }) Cli.Out.WriteLine(Terminal.Clean(findings.Summary));
        WarnOfMembersLeftOut(explanation, model.NameA);
        // The plain-language finding of each direction, as the report's summary gives it (only confirmed concepts after --validate).
        foreach (var finding in findings?.Directions ?? []) Cli.Out.WriteLine(Terminal.Clean($"{finding.Direction}: {finding.Text}"));
        if (findings?.Note is { } note) Cli.Out.WriteLine(Terminal.Clean(note));
        if (explanation.Metrics["eigensolver_converged"]?.GetValue<bool>() == false)
            Cli.Warn("the eigensolver stopped at its product cap before every mode met its tolerance; the weakest modes may be approximate");
    }

    /// <summary>
    /// Rows of A a groups file names that --common-samples left out: dropped from their groups, said on the terminal (by
    /// `repdiff groups` and by compare's --groups) and in results.json.
    /// </summary>
    public static void WarnOfMembersLeftOut(Explanation explanation, string nameA)
    {
        if (explanation.Metrics[RepDiff.Methods.Groups.GivenGroupsMethod.MembersLeftOutMetric]?.GetValue<int>() is int leftOut)
            Cli.Warn(leftOut.ToString("N0", CultureInfo.InvariantCulture) + (leftOut == 1 ? " member of the groups is a row" : " members of the groups are rows")
                + $" of {nameA} that --common-samples left out (samples the other input does not hold): not scored");
    }

    /// <summary>
    /// Where a group given without a direction holds (`repdiff groups`, metrics.both_ways), with its BSR both ways:
    /// "group 'x' holds in A (a.npy), which ranks its members as nearer neighbours of each other than B does; BSR (chance) 0.620 (0.489) explaining A, 0.377 (0.511) explaining B".
    /// </summary>
    private static string BothWays(ReportModel model, Explanation explanation, string name, JsonObject scored)
    {
        // A group larger than --grid-size is scored on some of its members: "its scored members" (FindingText.GivenMembers).
        string members = RepDiff.Findings.FindingText.GivenMembers(explanation.Directions.SelectMany(d => d.Concepts).Where(c => c.Name == name));
        string Way(string explains) => $"{WithChance(scored["bsr"]?[explains]?.GetValue<double>(), scored["bsr_chance"]?[explains]?.GetValue<double>())} explaining {explains.ToUpperInvariant()}";
        string verdict = scored["holds_in"]?.GetValue<string>() switch
        {
            "a" => $"holds in {ModelReference.Of("A", model.NameA)}, which ranks its {members} as nearer neighbours of each other than B does",
            "b" => $"holds in {ModelReference.Of("B", model.NameB)}, which ranks its {members} as nearer neighbours of each other than A does",
            _ => "holds in neither model: its BSR is within two spreads of its chance level both ways",
        };
        return $"group '{Shorten(name)}' {verdict}; BSR (chance) {Way("a")}, {Way("b")}";
    }

    /// <summary>
    /// "0.847 (0.484)": a BSR beside its chance level, the BSR of random groups of the same size, both to the report table's
    /// decimals (review 167: the terminal's "0.892 (0.48)" stood beside the table's "0.892 / 0.484"): three, more where three
    /// show them equal ("0.9998 (0.9995)"), "1.000 (= chance)" where six still do (<see cref="BsrFigures"/>).
    /// </summary>
    public static string WithChance(double? bsr, double? chance)
        => bsr is not double b ? "–"
            : chance is double c && BsrFigures.Of(b, c) is var f ? (f.Equal ? $"{f.Bsr} (= chance)" : $"{f.Bsr} ({f.Chance})")
            : b.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>
    /// Held-out validation in words, as the concept card gives it: "yes, p = 0.003 (adjusted 0.015)"; a concept counts
    /// as confirmed by its Benjamini–Hochberg adjusted value, so a p below 0.05 can still read "no". A concept that has no
    /// tested p (its 1 is a convention, not a test) gets the reason instead, as on its card. A p at the smallest its random
    /// groups can give (the explanation's metrics.validation.random_groups) is a bound, said as the card says it:
    /// "yes, p ≤ 0.0025 (adjusted ≤ 0.005): none of 400 random groups scored as high".
    /// </summary>
    internal static string HeldOut(Concept concept, Explanation? explanation = null)
        => concept.Confirmed is not bool confirmed ? "–"
            : concept.Untested is { } why ? $"no, {why}"
            : explanation is not null && Trust.HeldOutValidation.AtSmallestP(concept, explanation) is int groups
                ? $"{(confirmed ? "yes" : "no")}, p ≤ {Trust.HeldOutValidation.BoundText(concept.PValue!.Value)} (adjusted ≤ {Trust.HeldOutValidation.BoundText(concept.PAdjusted!.Value)}): {Trust.HeldOutValidation.NoneAsHigh(groups)}"
            : $"{(confirmed ? "yes" : "no")}, p = {PText(concept.PValue)} (adjusted {PText(concept.PAdjusted)})";

    private static string PText(double? p) => p is not double v ? "–" : v < 0.001 ? "< 0.001" : v.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>
    /// The most common labels among a concept's members as the phrases a table cell keeps whole (<see cref="Terminal.Phrases"/>):
    /// each label with its count, every one but the last followed by its comma ("4 ×5,", "9 ×4"); each label cut to 40
    /// characters, as a table cell wraps a long one over hundreds of lines (a 10,000-character label did; results.json and the
    /// report keep it whole).
    /// </summary>
    public static IReadOnlyList<string> TopLabelPhrases(Concept concept)
    {
        if (concept.LabelCounts is not { } counts) return [];
        var top = counts.Take(3).Select(kv => $"{Shorten(kv.Key)} ×{kv.Value}").ToList();
        return [.. top.Select((phrase, i) => i < top.Count - 1 ? phrase + "," : phrase)];
    }

    /// <summary>The words that set a concept's texts apart most (Metrics.DistinctiveWords), e.g. "she, her, mrs"; each cut to 40 characters.</summary>
    public static string TopWords(Concept concept)
        => concept.Words is { } words ? string.Join(", ", words.Take(3).Select(w => Shorten(w.Word))) : "";

    /// <summary>
    /// A label of more than 40 characters as its first 20 and last 19 around "…": labels often share a long start (a folder,
    /// a synset's path) and differ at the end, which a cut after 40 characters had lost ("/data/imagenet/train/n0144…" twice).
    /// </summary>
    public static string Shorten(string label)
    {
        const int Head = 20, Tail = 19;
        if (label.Length <= Head + Tail + 1) return label;
        int head = char.IsHighSurrogate(label[Head - 1]) ? Head - 1 : Head;
        int tail = char.IsLowSurrogate(label[^Tail]) ? Tail - 1 : Tail;
        return $"{label[..head]}{Terminal.Ellipsis}{label[^tail..]}";
    }

    /// <summary>
    /// How a concept's images look against the rest (Metrics.ImageLooks), e.g. "darker, mostly green": with labels, only
    /// looks beyond what the concept's labels give (a concept of bags is not "brighter" for being bags), "as its labels"
    /// when it has looks and the labels explain them all.
    /// </summary>
    public static string TopLooks(Concept concept)
    {
        if (concept.Looks is not { Count: > 0 } looks) return "";
        var beyond = looks.Where(l => Metrics.ImageLooks.BeyondLabels(l)).Take(2).Select(Metrics.ImageLooks.Word).ToList();
        return beyond.Count > 0 ? string.Join(", ", beyond) : "as its labels";
    }

    /// <summary>Input-derived text as a table cell: no control characters, no markup.</summary>
    public static string Text(string text) => Markup.Escape(Terminal.Clean(text));
}
