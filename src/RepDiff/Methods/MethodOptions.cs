using RepDiff.Options;

namespace RepDiff.Methods;

/// <summary>
/// The base of every method's options record. Each property is one option, declared with
/// <see cref="OptionAttribute"/> (description, range) and its default as initializer; the CLI binds
/// flags from it, validation checks it, and results.json's "parameters" is the resolved record.
/// </summary>
public abstract record MethodOptions
{
    [Option("random seed; same inputs, options and seed give the same results")]
    public int Seed { get; init; }

    /// <summary>
    /// The options a run with these resolved options does not read (the rff route's on the exact route, a bandwidth
    /// beside the cosine kernel), each with why: the one place such combinations are declared, both for refusing a
    /// value given to one and for leaving it out of results.json.
    /// </summary>
    public virtual IEnumerable<UnreadOption> UnreadOptions() => [];
}
