using RepDiff.Options;

namespace RepDiff.Methods;

/// <summary>
/// The base of every method's options record. Each property is one option, declared with
/// <see cref="OptionAttribute"/> (description, range) and its default as initializer; the CLI binds
/// flags from it, validation checks it, and results.json's "parameters" is the resolved record.
/// </summary>
public abstract record MethodOptions : GivenOptions
{
    // Not negative: .NET's seeded generator draws for -s what it draws for s, so a sweep from -k to k repeated itself; and below
    // int.MaxValue, whose B side (seed + 1) would wrap to int.MinValue, which draws what int.MaxValue draws.
    [Option("random seed; same inputs, options and seed give the same results", Min = 0, Max = MaxSeed)]
    public int Seed { get; init; }

    /// <summary>The largest seed any command takes (see <see cref="Seed"/>).</summary>
    public const int MaxSeed = int.MaxValue - 1;

    /// <summary>
    /// `--grid-size`'s description where a method shows its concepts' members (ModeOptions, BaselineOptions), from 2 as RDX's
    /// and the given groups': BSR scores the pairs of a grid, so a grid of one was left unscored while the finding still said
    /// the model "ranks the samples shown for five groups" nearer (spec --grid-size 1).
    /// </summary>
    internal const string GridSizeDescription = "members shown per concept (at least 2: a grid of one sample has no pairs to score)";

    /// <summary>
    /// The options a run with these resolved options does not read (the rff route's on the exact route, a bandwidth
    /// beside the cosine kernel), each with why: the one place such combinations are declared, both for refusing a
    /// value given to one and for leaving it out of results.json.
    /// </summary>
    public virtual IEnumerable<UnreadOption> UnreadOptions() => [];

    /// <summary>
    /// The options a run on part of the samples takes (held-out validation's discovery half): these, with any choice the
    /// full run made by its number of samples taken from <paramref name="resolved"/> (SPEC's and FINC's --route auto), so
    /// the part takes the full run's route and reads the options given for it.
    /// </summary>
    public virtual MethodOptions ForPartOfTheSamples(MethodOptions resolved) => this;

    // Equal options are equal values: which of them were typed (GivenOptions) does not make two runs differ.
    public virtual bool Equals(MethodOptions? other) => other is not null && base.Equals(other) && Seed == other.Seed;

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Seed);
}
