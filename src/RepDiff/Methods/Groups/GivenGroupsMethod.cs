using System.Text.Json.Nodes;
using RepDiff.IO;
using RepDiff.Metrics;
using RepDiff.Numerics;
using RepDiff.Options;

namespace RepDiff.Methods.Groups;

/// <summary>
/// Groups made elsewhere, scored as every method's concepts are (docs/methods/METHODS.md §2: BSR applies to any method's
/// grids): a notebook's clusters, another tool's output, classes one model is suspected to merge, an edited
/// `repdiff export`. Nothing is found here: each group of the file (<see cref="GroupsFile"/>) becomes a concept of the
/// direction its line names, or of both directions when none is named, so that results.json, the report, export and
/// compare treat it as any method's. Its strength is its own BSR in that direction, which ranks the groups; a group
/// given without a direction is scored both ways, kept in the direction it leans to, and said to hold in the model whose
/// BSR is above its chance level, or in neither (metrics.both_ways).
/// </summary>
public sealed class GivenGroupsMethod : PairMethod<GivenGroupsOptions>
{
    /// <summary>The method's name, which an export's lines of given groups carry (GroupsFile reads their names back by it).</summary>
    public const string MethodName = "groups";

    public override string Name => MethodName;
    public override string Description => "Score groups made elsewhere (CSV, TSV or JSON Lines of their members) with BSR beside its chance level, in the direction given or both.";
    public override string StrengthMeaning => "the group's BSR (SILB) in this direction: the share of ordered pairs of its scored members that the explained model ranks nearer each other than the other model does (the groups are given, not found; this ranks them)";

    /// <summary>It needs its file, which compare does not give a method: it runs only as `repdiff groups`.</summary>
    public override bool InCompareByDefault => false;

    /// <summary>The groups are read, not found: no rerun on resamples or half the samples finds them again.</summary>
    public override bool ConceptsAreGiven => true;

    protected override void Validate(RepresentationPair pair, GivenGroupsOptions options)
    {
        // As evaluate refuses it: beside a representation of identical rows, a group's BSR was the tie-break's (0.99 against
        // a chance level of 0.98, where the other representation's rows differed).
        ConstantRows.RefuseWhereBsrScoresTies(pair, "group");
        Read(pair, options);
    }

    private static (IReadOnlyList<GroupsFile.Group> Groups, int MembersLeftOut) Read(RepresentationPair pair, GivenGroupsOptions options)
    {
        if (options.Groups is not { } path)
            throw new InvalidOptionException(nameof(options.Groups), "is needed: the file of groups to score (`repdiff groups A B --groups FILE`)");
        // "--groups g.csv: line 4: …", the shape of every other option's file: the reader knows only the file.
        return InvalidOptionException.ReadingFile(nameof(options.Groups), path,
            () => GroupsFile.Read(path, options.GroupColumn, pair.N, pair.Samples.Ids, pair.NameA, pair.NameB, pair.Samples.LeftOut));
    }

    /// <summary>results.json's count of the file's members that are rows of A --common-samples left out (absent when none).</summary>
    public const string MembersLeftOutMetric = "members_left_out";

    protected override Explanation Explain(RepresentationPair pair, GivenGroupsOptions options, IProgress<ProgressUpdate>? progress)
    {
        var (groups, membersLeftOut) = Read(pair, options);
        var grids = groups.Select((g, k) => Grid(g, options, k)).ToArray();
        var inA = new List<Concept>();
        var inB = new List<Concept>();
        for (int k = 0; k < groups.Count; k++)
        {
            if (groups[k].Direction is "a" or null) inA.Add(new Concept { Name = groups[k].Name, Members = groups[k].Members, Grid = grids[k] });
            if (groups[k].Direction is "b" or null) inB.Add(new Concept { Name = groups[k].Name, Members = groups[k].Members, Grid = grids[k] });
        }
        var explanation = new Explanation
        {
            Directions = new[] { (DirectionNames.MoreSimilarInA, "a", inA), (DirectionNames.MoreSimilarInB, "b", inB) }
                .Where(d => d.Item3.Count > 0)
                .Select(d => new Direction { Name = d.Item1, Explains = d.Item2, Concepts = d.Item3 }).ToList(),
        };
        progress?.Report("scoring the groups (BSR)", 0);
        ScoreEachGroup(explanation, pair);
        progress?.Report("scoring the groups (BSR)", 1);
        var undirected = groups.Where(g => g.Direction is null).Select(g => g.Name).ToList();
        int largestGrid = grids.Max(g => g.Length);
        JsonObject? bothWays = null;
        if (undirected.Count > 0)
        {
            explanation.Metrics["both_ways"] = bothWays = BothWays(explanation, pair, undirected, largestGrid);
            KeepWhereEachLeans(explanation, undirected);
        }
        explanation.Metrics["holds_in"] = HoldsIn(explanation, pair, groups, bothWays, largestGrid);
        if (membersLeftOut > 0) explanation.Metrics[MembersLeftOutMetric] = membersLeftOut;
        foreach (var direction in explanation.Directions)
        {
            direction.Concepts = direction.Concepts.OrderByDescending(c => c.Strength).ThenBy(c => c.Rank).ToList();
            for (int k = 0; k < direction.Concepts.Count; k++) direction.Concepts[k].Rank = k + 1;
        }
        return explanation;
    }

    /// <summary>
    /// The members BSR scores: those the file marks in_grid (two or more), else the whole group, and of more than
    /// --grid-size a seeded random subset (the same in both directions, so both score the same pairs).
    /// </summary>
    private static int[] Grid(GroupsFile.Group group, GivenGroupsOptions options, int index)
    {
        var candidates = group.Grid is { Length: >= 2 } marked ? marked : group.Members;
        if (candidates.Length <= options.GridSize) return candidates;
        return Sampling.Uniform(candidates.Length, options.GridSize, Rng.Derive(options.Seed, index)).Select(i => candidates[i]).ToArray();
    }

    /// <summary>Each group's strength is its BSR (SILB) in its direction (ranks are the file's order until the groups are ranked by it).</summary>
    private static void ScoreEachGroup(Explanation explanation, RepresentationPair pair)
    {
        foreach (var direction in explanation.Directions)
            for (int k = 0; k < direction.Concepts.Count; k++) direction.Concepts[k].Rank = k + 1;
        Bsr.Evaluate(explanation, pair);
        // The directions' BSR is the common scoring's, over the groups kept where they lean, with chance levels; it reads
        // these groups' counts from the pair (PairStatistics.BsrTallies) rather than pass over the rows again.
        explanation.Metrics.Clear();
        foreach (var concept in explanation.Directions.SelectMany(d => d.Concepts)) (concept.Strength, concept.Bsr) = (concept.Bsr ?? double.NaN, null);
    }

    private static Concept Named(Explanation explanation, string explains, string name)
        => explanation.Directions.Single(d => d.Explains == explains).Concepts.Single(c => c.Name == name);

    /// <summary>
    /// A group given without a direction, scored both ways, stays as a concept of the direction whose BSR is higher (A's on a
    /// tie), so that each direction's BSR, its finding and compare's ranking read the groups that lean its way, as a
    /// method's directions hold the concepts it claims for them; <c>both_ways</c> keeps the other figure.
    /// </summary>
    private static void KeepWhereEachLeans(Explanation explanation, IReadOnlyList<string> undirected)
    {
        foreach (string name in undirected)
        {
            var (a, b) = (Named(explanation, "a", name), Named(explanation, "b", name));
            var (keep, drop) = b.Strength > a.Strength ? ("b", a) : ("a", b);
            explanation.Directions.Single(d => d.Explains != keep).Concepts.Remove(drop);
        }
        explanation.Directions.RemoveAll(d => d.Concepts.Count == 0);
    }

    /// <summary>
    /// Where each group holds, in the file's order: "a" or "b" where its BSR in its direction is above the chance level of
    /// random groups of its size by <see cref="Findings.FindingText.ChanceMargin"/> spreads, else "neither". A group given
    /// without a direction is said to hold where <c>both_ways</c> says; one given with a direction is scored only there,
    /// so "neither" says it does not hold in the model its file names. The findings count these ("Of the five groups
    /// given, two hold in A ...").
    /// </summary>
    private static JsonObject HoldsIn(Explanation explanation, RepresentationPair pair, IReadOnlyList<GroupsFile.Group> groups, JsonObject? bothWays, int largestGrid)
    {
        var result = new JsonObject();
        foreach (var group in groups)
        {
            if (group.Direction is not { } explains)
            {
                result[group.Name] = bothWays![group.Name]!["holds_in"]!.GetValue<string>();
                continue;
            }
            var concept = Named(explanation, explains, group.Name);
            var (mean, sd) = BsrChance.OfGroup(pair, explains == "a", concept.Grid.Length, largestGrid);
            result[group.Name] = Findings.FindingText.AboveChance(concept.Strength, mean, sd) ? explains : "neither";
        }
        return result;
    }

    /// <summary>
    /// For each group given without a direction: its BSR (SILB) explaining A and explaining B, each beside the chance level
    /// of random groups of its size and that level's spread, and the model in which it holds: "a" or "b" where its BSR is
    /// above the chance level by <see cref="Findings.FindingText.ChanceMargin"/> spreads (as a direction's finding reads
    /// chance), "neither" where it is in neither.
    /// </summary>
    private static JsonObject BothWays(Explanation explanation, RepresentationPair pair, IReadOnlyList<string> undirected, int largestGrid)
    {
        var result = new JsonObject();
        foreach (string name in undirected)
        {
            var (bsr, chance, spread) = (new JsonObject(), new JsonObject(), new JsonObject());
            string holds = "neither";
            foreach (string explains in new[] { "a", "b" })
            {
                var concept = Named(explanation, explains, name);
                var (mean, sd) = BsrChance.OfGroup(pair, explains == "a", concept.Grid.Length, largestGrid);
                (bsr[explains], chance[explains], spread[explains]) = (concept.Strength, mean, sd);
                if (holds == "neither" && Findings.FindingText.AboveChance(concept.Strength, mean, sd)) holds = explains;
            }
            result[name] = new JsonObject { ["holds_in"] = holds, ["bsr"] = bsr, ["bsr_chance"] = chance, ["bsr_chance_sd"] = spread };
        }
        return result;
    }
}
