using System.Diagnostics;
using System.Text.Json.Nodes;
using RepDiff.Methods;
using RepDiff.Metrics;
using RepDiff.Numerics;
using RepDiff.Options;

namespace RepDiff.Trust;

/// <summary>
/// Held-out validation of every concept (docs/methods/METHODS.md §7): one seeded split of the samples
/// (stratified by labels when given) into a discovery half D and a validation half V; the method runs on D
/// with the same options; each concept it finds is extended to V (<see cref="IConceptExtension"/>, or a vote
/// of its 10 nearest D samples), and the BSR of its held-out members (at most <see cref="TestedMembers"/>) is
/// compared with that of N random groups of V of the same size (<see cref="RandomGroupsFor"/>):
/// p = (1 + #{random ≥ observed}) / (N + 1).
/// Each concept of the full run gets the p-value of the discovery concept it matches (most of the smaller
/// of the two member sets shared), 1 when none matches; Benjamini–Hochberg adjusts over the explanation.
/// </summary>
public static class HeldOutValidation
{
    /// <summary>Random groups each held-out statistic is compared with (N of §7), at the least: see <see cref="RandomGroupsFor"/>.</summary>
    public const int RandomGroups = 200;

    /// <summary>
    /// N for a Benjamini–Hochberg family of m concepts: 200, or 2m / <see cref="ConfirmedBelow"/> when that is more, so a
    /// concept no random group reaches can be confirmed alone (its adjusted p is then m / (N + 1) ≤ 0.025). With N = 200
    /// and SPEC's or FINC's 20 concepts, the least adjusted p of a single real concept was 20/201 = 0.0995: a planted
    /// group found on held-out samples with p = 0.005 was "not confirmed" (helper 92).
    /// </summary>
    public static int RandomGroupsFor(int family) => Math.Max(RandomGroups, (int)Math.Ceiling(2 * family / ConfirmedBelow));

    /// <summary>
    /// The smallest p-value N random groups can give, 1/(N + 1): none of them scored as high as the concept. A p there is a
    /// bound the test cannot go below, not an exact value, so the card and the terminal say "p ≤" (review 167: "adjusted
    /// p = 0.005" read as measured).
    /// </summary>
    public static double SmallestP(int randomGroups) => 1.0 / (randomGroups + 1);

    /// <summary>
    /// N (metrics.validation.random_groups) when the concept's raw p is the smallest those random groups can give
    /// (<see cref="SmallestP"/>), else null; its adjusted p is then a bound too, as Benjamini–Hochberg never lowers a value
    /// when a p rises.
    /// </summary>
    public static int? AtSmallestP(Concept concept, Explanation explanation)
        => concept is { PValue: double p, HeldOutScore: not null } && explanation.Metrics["validation"]?["random_groups"]?.GetValue<int>() is int n
            && p <= SmallestP(n) * (1 + 1e-9) ? n : null;

    /// <summary>Why a p at <see cref="SmallestP"/> is a bound: "none of 400 random groups scored as high".</summary>
    public static string NoneAsHigh(int randomGroups) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"none of {randomGroups:N0} random groups scored as high");

    /// <summary>
    /// A p-value that is a bound, to two significant digits rounded up so that it stays one: 1/401 reads "0.0025", the adjusted
    /// 10/(5 × 401) "0.005" (rounded to three decimals, 1/401 would read "0.002", below the bound).
    /// </summary>
    public static string BoundText(double p)
    {
        int decimals = Math.Max(0, 1 - (int)Math.Floor(Math.Log10(p)));
        double scale = Math.Pow(10, decimals);
        return (Math.Ceiling(p * scale - 1e-9) / scale).ToString("0.##########", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The concepts one Benjamini–Hochberg adjustment runs over (see Attach): those with members in the validated directions.</summary>
    private static int Family(Explanation full, Func<Direction, bool> validated)
        => full.Directions.Where(validated).Sum(d => d.Concepts.Count(c => c.Rank >= 1 && c.Members.Length > 0));

    /// <summary>Discovery neighbours that vote on each held-out sample (k of §7).</summary>
    public const int Neighbours = 10;

    /// <summary>A concept is confirmed when its adjusted p-value is at most this.</summary>
    public const double ConfirmedBelow = 0.05;

    /// <summary>Fewest samples to split: each half must still hold concepts and random groups.</summary>
    public const int MinSamples = 40;

    /// <summary>
    /// Most held-out members of a concept whose BSR is tested. Not the 9-member grid the report shows: the BSR of 9
    /// random samples spreads by ±0.10 (sd) around 0.5, so a concept only part of whose pairs differ (a planted
    /// merge of two groups: held-out BSR ≈ 0.75) sits 2.5 sd above chance and cannot reach p &lt; 0.01; with 50
    /// members the spread is about ±0.04 (docs/methods/METHODS.md §7).
    /// </summary>
    public const int TestedMembers = 50;

    /// <summary>Share of the smaller member set two concepts must have in common to be the same concept.</summary>
    public const double MatchOverlap = 0.5;

    /// <summary>A concept of the discovery run (its members as full-run rows), the BSR of its held-out group and its p-value.</summary>
    private sealed record Tested(string Direction, int[] DiscoveryMembers, double? Score, double PValue);

    /// <summary>Validates every concept of <paramref name="full"/>, the method's run on the whole pair with these options.</summary>
    /// <param name="split">
    /// The split to validate on, shared by the methods of one comparison (<see cref="HeldOutSplit"/>); when null, or
    /// made for another pair or seed, the run makes its own.
    /// </param>
    public static void Run(IPairMethod method, MethodOptions options, RepresentationPair pair, Explanation full, IProgress<ProgressUpdate>? progress = null,
        HeldOutSplit? split = null)
    {
        var clock = Stopwatch.StartNew();
        // A run on a subsample (RDX's --max-samples) explains those rows, so they are what is split: split from every row,
        // the discovery run took a subsample of its own, sharing a quarter of its rows with the full run's, and its
        // concepts were "not found again" by construction.
        using var subsample = full.RowsUsed is { } used ? pair.SelectRows(used) : null;
        var source = subsample ?? pair;
        CheckSize(source);
        HeldOutSplit? own = split is not null && split.Serves(source, options.Seed) ? null : HeldOutSplit.Of(source, options.Seed);
        try
        {
            Validate(method, options, own ?? split!, full, progress);
        }
        finally
        {
            own?.Dispose();
        }
        full.Timings["validation"] = clock.Elapsed.TotalSeconds;
        progress.Report("validation: held-out groups", 1);
    }

    // The discovery half takes the full run's route: re-decided by --route auto for half the samples, spec --rff-dim 500
    // on 6,000 rows ran the exact route on 3,000 and was refused for an option that route does not read.
    private static MethodOptions ForDiscovery(MethodOptions options, Explanation full)
        => full.ResolvedOptions is { } resolved ? options.ForPartOfTheSamples(resolved) : options;

    private static void Validate(IPairMethod method, MethodOptions options, HeldOutSplit split, Explanation full, IProgress<ProgressUpdate>? progress)
    {
        int seed = split.Seed;
        int randomGroups = RandomGroupsFor(Family(full, PairDirection));
        var (discovery, heldA, heldB) = (split.Discovery, split.HeldA, split.HeldB);
        var discoveryRows = full.InputRows(discovery);
        progress.Report("validation: discovery run", 0);
        var found = RerunSize.Explained("held-out validation runs the method", discovery.Length, split.Pair.N,
            () => method.Run(split.DiscoveryPair, ForDiscovery(options, full)));
        progress.Report("validation: held-out groups", 0.5);

        // Each discovery concept's held-out group (indices into V): its held-out members, at most TestedMembers of them.
        var groups = new List<(Direction Direction, Concept Concept, int[] Group)>();
        bool voted = false, extended = false;
        foreach (var direction in found.Directions.Where(d => d.Explains is "a" or "b"))
            foreach (var concept in direction.Concepts.Where(c => c.Rank >= 1 && c.Members.Length > 0))
            {
                int[] members;
                if (found.Extension?.Score(direction.Name, concept.Rank, [heldA, heldB]) is { } scores)
                {
                    // The mode's own rule: its m best-scoring held-out samples, as many as it has on the discovery half.
                    members = Top(scores, concept.Members.Length);
                    extended = true;
                }
                else
                {
                    members = split.Vote(direction.Explains!, Neighbours, progress).Members(concept.Members);
                    voted = true;
                }
                // Seeded by the concept's rank, not its place in the list (A's direction first): given B then A, a concept
                // drew another 50 of its held-out members.
                groups.Add((direction, concept, TestedGroup(members, Rng.Derive(seed, 1000 + concept.Rank))));
            }

        // The random groups' BSR depends only on the explained side and the group size, not on the concept, so concepts
        // of one side and size are compared with the same N random groups (BH stays valid: the p-values are positively
        // dependent), scored once per split, side and size (HeldOutSplit.NullScores).
        var tested = new List<Tested>();
        for (int t = 0; t < groups.Count; t++)
        {
            var (direction, concept, group) = groups[t];
            var mapped = concept.Members.Select(i => discoveryRows[i]).ToArray();
            if (group.Length < 2)
            {
                tested.Add(new Tested(direction.Name, mapped, null, 1));
                continue;
            }
            bool a = direction.Explains == "a";
            // The group's own distance rows (its ranks are over all of V, as the pool's are): one |group|×|V| pass each,
            // so memory does not grow with the number of concepts.
            var (groupA, groupB) = (new FocusRows(heldA, group, null), new FocusRows(heldB, group, null));
            double observed = a ? FocusRows.Score(groupA, groupB, [group], BsrDistance.Silb) : FocusRows.Score(groupB, groupA, [group], BsrDistance.Silb);
            int atLeast = split.NullScores(a, group.Length, randomGroups).Count(x => x >= observed);
            tested.Add(new Tested(direction.Name, mapped, observed, (1.0 + atLeast) / (randomGroups + 1)));
        }
        var discoverySet = new HashSet<int>(discoveryRows);
        Attach(full, tested, PairDirection, (_, i) => discoverySet.Contains(i));
        full.Metrics["validation"] = Summary(full, discovery.Length, split.Validation.Length, randomGroups,
            statistic: $"BSR (SILB) of the concept's held-out members (a seeded draw of {TestedMembers} when there are more), within the validation half",
            extension: (extended, voted) switch
            {
                (true, false) => "the method's mode functions",
                (false, true) => $"a vote of the {Neighbours} nearest discovery samples in the explained representation",
                (true, true) => "mode functions, else a vote of nearest discovery samples",
                _ => "none (no concepts)",
            });
    }

    /// <summary>
    /// FINC's validation: each sample set is split in two; the method runs on the discovery halves; each mode
    /// scores the pooled held-out samples of both sets, and the statistic is the share of its top m held-out
    /// samples that come from the set the mode is more frequent in, against random groups of the pool.
    /// BSR does not apply: there is one representation, and FINC claims a difference of frequency, not of distance.
    /// </summary>
    public static void Run(ISampleSetMethod method, MethodOptions options, SampleSets sets, Explanation full, IProgress<ProgressUpdate>? progress = null)
    {
        CheckSize(sets);
        var clock = Stopwatch.StartNew();
        int seed = HeldOutSplit.SeedFor(options.Seed);
        int nt = sets.Test.Rows, nr = sets.Reference.Rows;
        int randomGroups = RandomGroupsFor(Family(full, SetDirection));
        // Both sets split with one seed, and each mode's random groups counted against its own set's block (below): a set
        // given as REF instead of TEST had been split and tested otherwise, so its modes' p-values moved (helper 92).
        var discoveryTest = Sampling.Uniform(nt, nt / 2, seed);
        var discoveryRef = Sampling.Uniform(nr, nr / 2, seed);
        var heldTest = Complement(discoveryTest, nt);
        var heldRef = Complement(discoveryRef, nr);
        progress.Report("validation: discovery run", 0);
        var found = RerunSize.Explained("held-out validation runs the method", discoveryTest.Length + discoveryRef.Length, nt + nr,
            () => method.Run(new SampleSets(sets.Test.SelectRows(discoveryTest), sets.Reference.SelectRows(discoveryRef)), ForDiscovery(options, full)));
        var pooled = Stack(sets.Test.SelectRows(heldTest), sets.Reference.SelectRows(heldRef));
        var all = Enumerable.Range(0, pooled.Rows).ToArray();
        var tested = new List<Tested>();
        foreach (var direction in found.Directions.Where(d => d.Rows is "test" or "ref"))
        {
            bool test = direction.Rows == "test";
            var discoveryRows = test ? discoveryTest : discoveryRef;
            foreach (var concept in direction.Concepts.Where(c => c.Rank >= 1 && c.Members.Length > 0))
            {
                var mapped = concept.Members.Select(i => discoveryRows[i]).ToArray();
                if (found.Extension?.Score(direction.Name, concept.Rank, [pooled]) is not { } scores)
                {
                    tested.Add(new Tested(direction.Name, mapped, null, 1));
                    continue;
                }
                var top = Top(scores, concept.Members.Length);
                double Own(IEnumerable<int> rows) => rows.Count(i => (i < heldTest.Length) == test) / (double)top.Length;
                double observed = Own(top);
                // A random group's share is that of its positions below the own set's size: the same draws give the same
                // null whichever slot the set came in.
                int ownRows = test ? heldTest.Length : heldRef.Length;
                var rng = Rng.Create(Rng.Derive(seed, concept.Rank));
                int atLeast = 0;
                for (int r = 0; r < randomGroups; r++)
                    if (BsrChance.RandomGroup(all, top.Length, rng).Count(i => i < ownRows) / (double)top.Length >= observed) atLeast++;
                tested.Add(new Tested(direction.Name, mapped, observed, (1.0 + atLeast) / (randomGroups + 1)));
            }
        }
        var inTest = new HashSet<int>(discoveryTest);
        var inRef = new HashSet<int>(discoveryRef);
        Attach(full, tested, SetDirection, (direction, i) => (direction.Rows == "test" ? inTest : inRef).Contains(i));
        full.Metrics["validation"] = Summary(full, discoveryTest.Length + discoveryRef.Length, pooled.Rows, randomGroups,
            statistic: "share of the mode's top held-out samples (pooled from both sets) that come from the set it is more frequent in",
            extension: "the method's mode functions");
        full.Timings["validation"] = clock.Elapsed.TotalSeconds;
        progress.Report("validation: held-out groups", 1);
    }

    /// <summary>
    /// Refuses a pair too small to split; callers check before the method runs, so the refusal costs no work.
    /// <paramref name="option"/>: the TrustOptions property that asked (<see cref="TrustOptions.ValidationOption"/>), which the refusal names.
    /// </summary>
    public static void CheckSize(RepresentationPair pair, string option = nameof(TrustOptions.Validate)) => CheckSize(pair.N, option);

    /// <summary>Refuses sample sets whose smaller set is too small to split in two (each set is split on its own).</summary>
    public static void CheckSize(SampleSets sets, string option = nameof(TrustOptions.Validate))
    {
        int smaller = Math.Min(sets.Test.Rows, sets.Reference.Rows);
        if (smaller * 2 < MinSamples)
            throw new InvalidOptionException(option, $"needs at least {MinSamples / 2} samples in each set to split both into a discovery and a validation half; the smaller set has {smaller}");
    }

    internal static void CheckSize(int n, string option = nameof(TrustOptions.Validate))
    {
        if (n < MinSamples)
            throw new InvalidOptionException(option, $"needs at least {MinSamples} samples to split into a discovery and a validation half; there are {n}");
    }

    /// <summary>
    /// Gives each concept of the full run the p-value of the discovery concept of its direction that shares most
    /// of its members (Jaccard, among those sharing at least <see cref="MatchOverlap"/> of the smaller set), or 1,
    /// then the Benjamini–Hochberg adjusted values over every concept of the explanation.
    /// </summary>
    private static void Attach(Explanation full, List<Tested> tested, Func<Direction, bool> validated, Func<Direction, int, bool> inDiscovery)
    {
        var concepts = new List<Concept>();
        // A concept without members (PCA or k-means of a constant representation) is no test: it gets no p-value and
        // stays out of the Benjamini–Hochberg family, rather than "not found again" with p = 1.
        foreach (var direction in full.Directions.Where(validated))
            foreach (var concept in direction.Concepts.Where(c => c.Rank >= 1 && c.Members.Length > 0))
            {
                var seen = concept.Members.Where(i => inDiscovery(direction, i)).ToHashSet();
                Tested? best = null;
                double bestJaccard = 0;
                foreach (var candidate in tested.Where(x => x.Direction == direction.Name))
                {
                    int shared = candidate.DiscoveryMembers.Count(seen.Contains);
                    int smaller = Math.Min(seen.Count, candidate.DiscoveryMembers.Length);
                    if (smaller == 0 || shared < MatchOverlap * smaller) continue;
                    double jaccard = shared / (double)(seen.Count + candidate.DiscoveryMembers.Length - shared);
                    if (jaccard > bestJaccard) (best, bestJaccard) = (candidate, jaccard);
                }
                concept.PValue = best?.PValue ?? 1;
                concept.FoundAgain = best is not null;
                concept.HeldOutScore = best?.Score;
                concepts.Add(concept);
            }
        if (concepts.Count == 0) return;
        var adjusted = Statistics.BenjaminiHochberg(concepts.Select(c => c.PValue!.Value).ToArray());
        for (int k = 0; k < concepts.Count; k++) concepts[k].PAdjusted = adjusted[k];
    }

    private static bool PairDirection(Direction direction) => direction.Explains is "a" or "b";

    private static bool SetDirection(Direction direction) => direction.Rows is "test" or "ref";

    private static JsonObject Summary(Explanation full, int discovery, int validation, int randomGroups, string statistic, string extension)
    {
        var concepts = full.Directions.SelectMany(d => d.Concepts).Where(c => c.PValue is not null).ToList();
        return new JsonObject
        {
            ["discovery_samples"] = discovery,
            ["validation_samples"] = validation,
            ["random_groups"] = randomGroups,
            ["extension"] = extension,
            ["statistic"] = statistic,
            ["confirmed_below"] = ConfirmedBelow,
            ["concepts"] = concepts.Count,
            ["confirmed"] = concepts.Count(c => c.Confirmed == true),
        };
    }

    /// <summary>
    /// The held-out group whose BSR is tested: the concept's held-out members, or a seeded uniform draw of
    /// <see cref="TestedMembers"/> of them when there are more. The draw reads no distances, so it cannot favour
    /// pairs that happen to differ in V.
    /// </summary>
    private static int[] TestedGroup(int[] members, int seed)
        => members.Length <= TestedMembers ? members : Sampling.Uniform(members.Length, TestedMembers, seed).Select(i => members[i]).ToArray();

    /// <summary>Indices of the m largest scores, largest first (ties by index).</summary>
    private static int[] Top(double[] scores, int m) => Enumerable.Range(0, scores.Length)
        .OrderByDescending(i => scores[i]).ThenBy(i => i).Take(Math.Min(m, scores.Length)).ToArray();

    internal static int[] Complement(int[] chosen, int n)
    {
        var taken = new bool[n];
        foreach (int i in chosen) taken[i] = true;
        return Enumerable.Range(0, n).Where(i => !taken[i]).ToArray();
    }

    private static Matrix Stack(Matrix first, Matrix second)
    {
        var stacked = new Matrix(first.Rows + second.Rows, first.Cols);
        first.Data.CopyTo(stacked.Data, 0);
        second.Data.CopyTo(stacked.Data, first.Data.Length);
        return stacked;
    }
}
