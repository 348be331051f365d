namespace RepDiff.Options;

/// <summary>
/// An options record that knows which of its options the user typed (the CLI's flags, by property name), so that an option
/// the run would not read is refused when typed at its default value as well as at another: "--rff-dim 3000" on SPEC's
/// exact route, "--folds 5" for `repdiff metrics` without labels.
/// </summary>
public abstract record GivenOptions
{
    // A field, not a property: every public property is an option. Records copy it through `with`, so resolving keeps it.
    private IReadOnlySet<string> given = new HashSet<string>();

    /// <summary>These options, marked as given by the user (the CLI's flags, by property name).</summary>
    public GivenOptions WithGiven(IEnumerable<string> properties) => this with { given = properties.ToHashSet() };

    /// <summary>Whether the user gave this option (see <see cref="WithGiven"/>); a record built in code gives none.</summary>
    public bool WasGiven(string property) => given.Contains(property);

    // Equal options are equal values: which of them were typed does not make two runs differ.
    public virtual bool Equals(GivenOptions? other) => other is not null && EqualityContract == other.EqualityContract;

    public override int GetHashCode() => EqualityContract.GetHashCode();
}
