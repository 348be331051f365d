using System.CommandLine;

namespace RepDiff.Cli;

/// <summary>
/// The option a user most likely meant by one the command does not have: `--lables`, `--output` and `-o` had been
/// "Unrecognized command or argument '--lables' (and 1 more)", the "1 more" being the option's own value.
/// </summary>
internal static class OptionGuess
{
    /// <summary>Names other tools use for what RepDiff calls by another name (scikit-learn, argparse habits).</summary>
    private static readonly Dictionary<string, string[]> OtherToolsNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--out"] = ["--output", "-o", "--output-dir", "--out-dir", "--outdir", "--output-folder"],
        ["--concepts"] = ["-k", "--k", "--n-concepts", "--num-concepts", "--n-clusters", "--num-clusters", "--clusters"],
        ["--seed"] = ["--random-state", "--random-seed", "--rng"],
        ["--labels"] = ["-l", "--y", "--targets", "--classes"],
        ["--key"] = ["--array", "--tensor", "--dataset"],
        ["--methods"] = ["--method"],
        ["--format"] = ["-f"],
    };

    /// <summary>The option of <paramref name="command"/> that <paramref name="typed"/> most likely means, or null.</summary>
    public static string? For(Command command, string typed)
    {
        string word = typed.Split('=', 2)[0];
        // Hidden options are the ones a command refuses (groups' --trust): offered for `--trsut`, the suggestion was then
        // refused. Typed exactly, one is still bound and refused saying why.
        var names = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Append(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).Distinct().ToList();
        foreach (var (name, others) in OtherToolsNames)
            if (names.Contains(name) && others.Contains(word, StringComparer.OrdinalIgnoreCase)) return name;
        if (!word.StartsWith("--", StringComparison.Ordinal)) return null;
        // A name cut short or run on (--meta for --metadata, --labels-file for --labels) before a slip of a key, which would
        // take --meta for --beta.
        var prefix = names.Where(n => word.Length >= 5 && (n.StartsWith(word, StringComparison.Ordinal) || word.StartsWith(n + "-", StringComparison.Ordinal))).ToList();
        // --meta starts both --metadata and --metadata-id-column: the shorter, which the other extends.
        var shortest = prefix.OrderBy(n => n.Length).FirstOrDefault();
        if (shortest is not null && prefix.All(n => n.StartsWith(shortest, StringComparison.Ordinal))) return shortest;
        // A slip of a key or two: within 2 edits, and within a quarter of the name for long names.
        return names.Select(n => (Name: n, Edits: Edits(word.ToLowerInvariant(), n)))
            .Where(c => c.Edits <= Math.Max(2, c.Name.Length / 4)).OrderBy(c => c.Edits).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name).FirstOrDefault();
    }

    /// <summary>
    /// The subcommand of <paramref name="root"/> that <paramref name="typed"/> most likely means: the same name in other case
    /// (`Rdx`), else one within two edits (`comapre`); null when none is near.
    /// </summary>
    public static string? Command(Command root, string typed)
    {
        var names = root.Subcommands.Select(c => c.Name).ToList();
        return names.FirstOrDefault(n => n.Equals(typed, StringComparison.OrdinalIgnoreCase))
            ?? names.Select(n => (Name: n, Edits: Edits(typed.ToLowerInvariant(), n))).Where(c => c.Edits <= 2 && c.Edits < c.Name.Length / 2)
                .OrderBy(c => c.Edits).ThenBy(c => c.Name, StringComparer.Ordinal).Select(c => c.Name).FirstOrDefault();
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    private static int Edits(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
