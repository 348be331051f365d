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

    /// <summary>Whether <see cref="Problem"/> is a refusal of the file the option named ("x.npy: file not found").</summary>
    public bool AboutItsFile { get; private init; }

    /// <summary>
    /// "--rff-dim: " before the problem, or "" for <see cref="NoOption"/>; "--guide-labels " before a refusal of the option's
    /// file, which begins with the file's name: the shape of every side file's refusal ("--guide-labels x.txt: file not found").
    /// </summary>
    public string FlagPrefix => Property == NoOption ? "" : OptionSpec.FlagOf(Property) + (AboutItsFile ? " " : ": ");

    /// <summary>
    /// Reads (or checks) the file <paramref name="path"/> a method option (<paramref name="property"/>) names, a refusal of that
    /// file made an option error naming the option before the file (<see cref="RepDiffInputException.GivenWith{T}"/>'s shape).
    /// </summary>
    public static T ReadingFile<T>(string property, string path, Func<T> read) =>
        Reading(path, read, e => new InvalidOptionException(property, e.Message) { AboutItsFile = true });
}
