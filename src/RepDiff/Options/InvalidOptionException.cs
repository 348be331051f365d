namespace RepDiff.Options;

/// <summary>
/// A bad value of one option. The library names the options-record property (<see cref="Property"/>,
/// e.g. "RffDim"); the CLI shows it as its flag ("--rff-dim") and exits with code 2.
/// </summary>
public sealed class InvalidOptionException(string property, string problem)
    : RepDiffInputException(property == InvalidOptionException.NoOption ? problem : $"{property}: {problem}")
{
    /// <summary>
    /// The property of a refusal no option answers (SPEC-align on 5 samples, PCA of rows all alike): named by no flag, yet an
    /// option error still, so that a rerun's share and compare's list of the methods that cannot run say it as they say the
    /// others. "--concepts: SPEC-align needs at least 8 samples" had sent the user to an option that could not help (review 174).
    /// </summary>
    public const string NoOption = "";

    /// <summary>The options-record property (or input property, e.g. of PairSpec) the problem is about; <see cref="NoOption"/> for none.</summary>
    public string Property { get; } = property;

    /// <summary>What is wrong, without the option's name ("must be at least 1, got 0").</summary>
    public string Problem { get; } = problem;

    /// <summary>"--rff-dim: " before the problem, or "" for <see cref="NoOption"/>.</summary>
    public string FlagPrefix => Property == NoOption ? "" : OptionSpec.FlagOf(Property) + ": ";
}
