namespace RepDiff.Options;

/// <summary>
/// A bad value of one option. The library names the options-record property (<see cref="Property"/>,
/// e.g. "RffDim"); the CLI shows it as its flag ("--rff-dim") and exits with code 2.
/// </summary>
public sealed class InvalidOptionException(string property, string problem)
    : RepDiffInputException($"{property}: {problem}")
{
    /// <summary>The options-record property (or input property, e.g. of PairSpec) the problem is about.</summary>
    public string Property { get; } = property;

    /// <summary>What is wrong, without the option's name ("must be at least 1, got 0").</summary>
    public string Problem { get; } = problem;
}
