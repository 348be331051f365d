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

    /// <summary>This error about a file, its name preceded by the option that gave the file ("--labels page.txt: …").</summary>
    public RepDiffInputException GivenWith(string flag) => new($"{flag} {Message}") { FileName = FileName, FileProblem = FileProblem };
}
