using RepDiff.Metrics;
using RepDiff.Numerics;

namespace RepDiff.Trust;

/// <summary>
/// The seeded split of held-out validation (docs/methods/METHODS.md §7) of one pair, and what validation computes on
/// it that does not depend on the method: the discovery half as a pair, the held-out rows, the random groups' BSR per
/// side and group size (with the distance rows of the pool they are drawn from), and the nearest-discovery-neighbour
/// votes. <see cref="Comparison.Run"/> validates every method on one split, so these are computed once, not once per
/// method; a method command makes its own.
/// </summary>
public sealed class HeldOutSplit : IDisposable
{
    private const int SplitStream = 170;

    private readonly Dictionary<(bool A, int Size), double[]> nulls = [];
    private readonly Dictionary<string, NeighbourVote> votes = [];
    private (int[] Rows, FocusRows A, FocusRows B)? pool;

    private HeldOutSplit(RepresentationPair pair, int seed)
    {
        Pair = pair;
        Seed = seed;
        Discovery = Sampling.Stratified(pair.N, DiscoverySize(pair.N), seed, pair.Samples.Labels?.Codes);
        Validation = HeldOutValidation.Complement(Discovery, pair.N);
        DiscoveryPair = pair.SelectRows(Discovery);
        HeldA = pair.RowsA.SelectRows(Validation);
        HeldB = pair.RowsB.SelectRows(Validation);
    }

    /// <summary>The split of <paramref name="pair"/> for methods run with this options seed (<see cref="Methods.MethodOptions.Seed"/>).</summary>
    public static HeldOutSplit Of(RepresentationPair pair, int optionsSeed) => new(pair, SeedFor(optionsSeed));

    internal static int SeedFor(int optionsSeed) => Rng.Derive(optionsSeed, SplitStream);

    /// <summary>Rows of the discovery half of n.</summary>
    internal static int DiscoverySize(int n) => n / 2;

    internal RepresentationPair Pair { get; }
    internal int Seed { get; }

    /// <summary>The discovery half D (rows of the pair, ascending within strata) and the validation half V.</summary>
    internal int[] Discovery { get; }
    internal int[] Validation { get; }

    internal RepresentationPair DiscoveryPair { get; }
    internal Matrix HeldA { get; }
    internal Matrix HeldB { get; }

    /// <summary>Whether a run on this pair with this options seed validates on this split.</summary>
    internal bool Serves(RepresentationPair pair, int optionsSeed) => ReferenceEquals(pair, Pair) && SeedFor(optionsSeed) == Seed;

    /// <summary>The k nearest discovery samples of each held-out sample in one representation ("a" or "b").</summary>
    internal NeighbourVote Vote(string side, int k, IProgress<ProgressUpdate>? progress = null)
        => votes.TryGetValue(side, out var vote) ? vote
            : votes[side] = new NeighbourVote(side == "a" ? HeldA : HeldB, side == "a" ? DiscoveryPair.A : DiscoveryPair.B, k,
                Rng.Derive(Seed, 2001), progress: progress);

    /// <summary>
    /// The BSR (SILB, explaining A or B) of <paramref name="count"/> seeded random groups of V of one size, drawn from a
    /// seeded pool of V large enough for groups of <see cref="HeldOutValidation.TestedMembers"/>. They depend only on the
    /// side and the size, not on the concept or the method; fewer groups are the first of more, so methods of a comparison
    /// whose families ask for different counts share them.
    /// </summary>
    internal ArraySegment<double> NullScores(bool a, int size, int count)
    {
        if (nulls.TryGetValue((a, size), out var known) && known.Length >= count) return new(known, 0, count);
        if (pool is null)
        {
            int poolSize = Math.Min(Validation.Length, Math.Max(2 * HeldOutValidation.TestedMembers, BsrChance.PoolSamples(Validation.Length)));
            var rows = Sampling.Uniform(Validation.Length, poolSize, Seed + 1);
            pool = (rows, new FocusRows(HeldA, rows, null), new FocusRows(HeldB, rows, null));
        }
        var (poolRows, poolA, poolB) = pool.Value;
        var (explained, other) = a ? (poolA, poolB) : (poolB, poolA);
        // Seeded by the size alone: the random groups of a model's side are the same whether it was given as A or as B
        // (seeded by the side, a concept's p-value moved from 0.010 to 0.030 with the order of the arguments, helper 92).
        var rng = Rng.Create(Rng.Derive(Seed, 2 * size));
        var scores = new double[count];
        for (int r = 0; r < scores.Length; r++)
            scores[r] = FocusRows.Score(explained, other, [BsrChance.RandomGroup(poolRows, size, rng)], BsrDistance.Silb);
        return nulls[(a, size)] = scores;
    }

    public void Dispose() => DiscoveryPair.Dispose();
}
