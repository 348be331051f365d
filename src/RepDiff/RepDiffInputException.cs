namespace RepDiff;

/// <summary>
/// Bad input from the user (a file, an option, a count mismatch). The CLI prints the message as one
/// line and exits with code 2; anything else is an internal error (exit code 1).
/// </summary>
public class RepDiffInputException(string message) : Exception(message)
{
    /// <summary>An error about a file: the message starts with the file name.</summary>
    public static RepDiffInputException ForFile(string path, string problem) => new($"{path}: {problem}");
}
