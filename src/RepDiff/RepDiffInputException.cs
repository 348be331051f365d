namespace RepDiff;

/// <summary>
/// Bad input from the user (a file, an option, a count mismatch). The CLI prints the message as one
/// line and exits with code 2; anything else is an internal error (exit code 1).
/// </summary>
public class RepDiffInputException(string message) : Exception(message)
{
    /// <summary>The file an error from <see cref="ForFile"/> is about, as named at the start of the message.</summary>
    public string? FileName { get; private init; }

    /// <summary>What is wrong with <see cref="FileName"/>, without its name or the advice (a listing's row of that file shows this).</summary>
    public string? FileProblem { get; private init; }

    /// <summary>
    /// An error about a file: the message is "PATH: PROBLEM" followed by the advice, if any: what the user most likely meant
    /// to give, for one input given alone (e.g. <c>RowFile.TokenAdvice</c>).
    /// </summary>
    public static RepDiffInputException ForFile(string path, string problem, string? advice = null) =>
        new($"{path}: {problem}{advice}") { FileName = path, FileProblem = problem };

    /// <summary>Whether the message names the option that gave <see cref="FileName"/> already (so it is not named twice).</summary>
    private bool NamesItsOption { get; init; }

    /// <summary>This error about a file, its name preceded by the option that gave the file ("--labels page.txt: …").</summary>
    public RepDiffInputException GivenWith(string flag) =>
        NamesItsOption ? this : new($"{flag} {Message}") { FileName = FileName, FileProblem = FileProblem, NamesItsOption = true };

    /// <summary>
    /// Reads (or checks) the file <paramref name="path"/> given with <paramref name="flag"/>: every refusal of that file, from
    /// "file not found" to a wrong count, names the option before it in one shape ("--labels page.txt: is an HTML page; …"),
    /// as a name alone (data.csv, side.txt) does not say which input it was. Errors about another file (an image a manifest
    /// names) or about an option are left as they are.
    /// </summary>
    public static T GivenWith<T>(string flag, string path, Func<T> read) => Reading(path, read, e => e.GivenWith(flag));

    /// <summary><see cref="GivenWith{T}"/> for a check that returns nothing.</summary>
    public static void GivenWith(string flag, string path, Action check) => GivenWith(flag, path, () => { check(); return true; });

    /// <summary>
    /// Runs <paramref name="read"/>, a refusal of <paramref name="path"/> itself replaced by <paramref name="named"/>'s: the one
    /// place that tells a file's refusal from others, for the CLI's options and a method's file options alike.
    /// </summary>
    internal static T Reading<T>(string path, Func<T> read, Func<RepDiffInputException, RepDiffInputException> named)
    {
        try { return read(); }
        catch (RepDiffInputException e) when (e.FileName == path && !e.NamesItsOption && e is not Options.InvalidOptionException) { throw named(e); }
    }
}
