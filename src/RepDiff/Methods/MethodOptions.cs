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
    /// The options a run with these resolved options does not read (the rff route's on the exact route), by property
    /// name: results.json leaves them out of "parameters" rather than record a default that played no part.
    /// </summary>
    public virtual IEnumerable<string> UnreadOptions() => [];
}
