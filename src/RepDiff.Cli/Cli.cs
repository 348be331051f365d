using System.CommandLine;
using RepDiff;
using RepDiff.Demo;
using RepDiff.Methods;
using RepDiff.Options;

namespace RepDiff.Cli;

/// <summary>Runs a command line and maps failures to exit codes: 2 for bad input, 1 for internal errors.</summary>
internal static class Cli
{
    public const int BadInput = 2;
    public const int InternalError = 1;
    /// <summary>Stopped by SIGINT (130) or SIGTERM (143), as shells report a process killed by those signals.</summary>
    public const int Interrupted = 130, Terminated = 143;

    /// <summary>
    /// The `repdiff` command with every subcommand. A plain Command named "repdiff" (not RootCommand,
    /// which would take its name from the assembly) with help and version added by hand.
    /// </summary>
    /// <param name="digitPairs">How the demo makes its digit pairs (default: trains them, DigitsExperiment.Build); the
    /// tests hand in one that trains once and gives every later demo run of a test class the same pairs.</param>
    public static Command BuildRoot(MethodRegistry? registry = null, DigitPairsBuilder? digitPairs = null)
    {
        registry ??= MethodRegistry.Default;
        var root = new Command("repdiff", "RepDiff: explains how two learned representations of the same samples differ.")
        {
            HelpExamples.Option(),
            new VersionOption(),
        };
        root.Subcommands.Add(InspectCommand.Create());
        foreach (var method in registry.Methods) root.Subcommands.Add(MethodCommand.Create(method));
        root.Subcommands.Add(CompareCommand.Create(registry));
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(MetricsCommand.Create());
        root.Subcommands.Add(EmbedCommand.Create());
        root.Subcommands.Add(DemoCommand.Create(registry, digitPairs ?? DigitsExperiment.Build));
        root.Subcommands.Add(InfoCommand.Create());
        RefuseEmptyFileArguments(root);
        return root;
    }

    // An empty A, FILE or RESULTS had read as a file named "" (": unsupported file type ''", ": file not found"): named instead.
    // embed's MODEL may also be a built-in name, so its line says so.
    private static void RefuseEmptyFileArguments(Command command)
    {
        foreach (var argument in command.Arguments.OfType<Argument<string>>())
            argument.Validators.Add(result =>
            {
                if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
                    result.AddError($"{argument.Name}: is empty; name {(argument.Name == EmbedCommand.ModelArgument ? ModelPair.WhatAModelIs : "a file")}");
            });
        foreach (var sub in command.Subcommands) RefuseEmptyFileArguments(sub);
    }

    private static readonly AsyncLocal<TextWriter?> output = new(), error = new();
    private static readonly AsyncLocal<string[]?> typedArguments = new();

    /// <summary>
    /// The command running, as typed: `repdiff` and its words, each quoted only where the shell needs it, so that pasted in
    /// the same folder it runs again (results.json's "command", the report's header). Paths stay as typed, relative ones
    /// relative: expanded, they would put the user's home folder into every shared file.
    /// </summary>
    public static string TypedCommand => ShellWord.Command("repdiff", typedArguments.Value ?? []);

    /// <summary>
    /// <see cref="TypedCommand"/> without the named options and their values ("--out x", "--out=x", "--out:x"): for options that
    /// choose only where files go, whose paths a shared file should not carry (the demo's).
    /// </summary>
    public static string TypedCommandWithout(params string[] options)
    {
        var typed = typedArguments.Value ?? [];
        var kept = new List<string>();
        for (int i = 0; i < typed.Length; i++)
        {
            if (options.Contains(typed[i])) i++;
            else if (!options.Any(o => typed[i].StartsWith(o + "=", StringComparison.Ordinal) || typed[i].StartsWith(o + ":", StringComparison.Ordinal))) kept.Add(typed[i]);
        }
        return ShellWord.Command("repdiff", kept);
    }

    /// <summary>Where commands write: the writers given to <see cref="Run"/> (tests), else the console.</summary>
    public static TextWriter Out => output.Value ?? standardOutput.Value;
    public static TextWriter Error => error.Value ?? Console.Error;

    /// <summary>One warning line on <see cref="Error"/>, "warning: " and the message with terminal controls made spaces (<see cref="Terminal.Clean"/>).</summary>
    public static void Warn(string message) => Say("warning: " + Terminal.Clean(message));

    /// <summary>A line on <see cref="Error"/>, or above the progress bar while one is shown (<see cref="ProgressDisplay.WriteAbove"/>).</summary>
    public static void Say(string line)
    {
        if (!ProgressDisplay.WriteAbove(line)) Error.WriteLine(line);
    }

    /// <summary>Whether <see cref="Out"/> is the process's standard output (not a test's writer).</summary>
    public static bool OutIsConsole => output.Value is null;

    private static readonly Lazy<TextWriter> standardOutput = new(() => new StandardOutputWriter(Console.Out));

    /// <summary>
    /// The console's output with a failed write (a full disk, a closed pipe) made an input error naming standard output:
    /// `rdx … > /dev/full` had ended in "internal error: IOException: No space left on device" (helper 77).
    /// </summary>
    private sealed class StandardOutputWriter(TextWriter inner) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;
        public override void Write(char value) => Guarded(() => inner.Write(value));
        public override void Write(string? value) => Guarded(() => inner.Write(value));
        public override void Write(char[] buffer, int index, int count) => Guarded(() => inner.Write(buffer, index, count));
        public override void WriteLine(string? value) => Guarded(() => inner.WriteLine(value));
        public override void Flush() => Guarded(inner.Flush);

        private static void Guarded(Action write)
        {
            try { write(); }
            catch (IOException e) { throw Failed(e.Message); }
            // EBADF (a descriptor not open for writing) arrives as UnauthorizedAccessException around the IOException.
            catch (UnauthorizedAccessException e) { throw Failed(e.InnerException?.Message ?? e.Message); }
        }

        // A run prints its summary once its outputs are in place: the line says they are, as exit 2 otherwise means they are
        // not (`kmeans … > /dev/full` had left new outputs behind a bare "No space left on device").
        private static RepDiffInputException Failed(string why) => new(RepDiff.IO.TemporaryPaths.Complete
            ? $"standard output: {why} (the outputs were written; only what the command prints was lost)"
            : $"standard output: {why}");
    }

    public static int Run(Command root, string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var (previousOut, previousError, previousArguments) = (output.Value, error.Value, typedArguments.Value);
        (output.Value, error.Value, typedArguments.Value) = (stdout, stderr, args);
        try { return RunParsed(root, args, stdout, stderr); }
        finally { (output.Value, error.Value, typedArguments.Value) = (previousOut, previousError, previousArguments); }
    }

    private static int RunParsed(Command root, string[] args, TextWriter? stdout, TextWriter? stderr)
    {
        // Built-in actions (--version, --help) write through Out too, and their failures reach Guard.
        var config = new InvocationConfiguration { Output = stdout ?? Out, EnableDefaultExceptionHandler = false };
        if (stderr is not null) config.Error = stderr;
        var parse = root.Parse(args);
        if (OptionTakenAsFile(parse) is { } mistyped)
        {
            (stderr ?? Console.Error).WriteLine($"error: {Terminal.Clean(mistyped)}; see --help");
            return BadInput;
        }
        if (UnknownCommand(parse) is { } unknown)
        {
            (stderr ?? Console.Error).WriteLine($"error: {Terminal.Clean(unknown)}; see --help");
            return BadInput;
        }
        if (parse.Errors.Count > 0)
        {
            // One line, whatever the number of problems: the first one, and where to look. A word the parser does not know
            // comes first: `repdiff frobnicate` had said only "Required command was not provided", never naming the word.
            var first = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            // An unknown option's value is unrecognized too, and no second problem: "--lables x.txt" had said "(and 1 more)".
            var unknownWords = parse.Errors.Select(e => UnknownWord(e.Message)).OfType<string>().ToHashSet();
            var valuesOfUnknownOptions = args.Skip(1).Where((_, i) => args[i].StartsWith('-') && unknownWords.Contains(args[i])).ToHashSet();
            int others = parse.Errors.Count(e => e != first && (UnknownWord(e.Message) is not { } word || !valuesOfUnknownOptions.Contains(word)));
            string more = others > 0 ? $" (and {others} more)" : "";
            string problem = SwitchValue(parse, args, first.Message) ?? UnknownOption(parse, first.Message) ?? ExtraFile(parse, first.Message)
                ?? RepeatedOption(parse, args, first.Message)
                ?? ParseError(first.Message);
            (stderr ?? Console.Error).WriteLine($"error: {Terminal.Clean(problem)}{more}; see --help");
            return BadInput;
        }
        return Guard(() => parse.Invoke(config));
    }

    /// <summary>
    /// A first word that is no command, with the commands there are and the one most likely meant: `repdiff frob` had been
    /// "Unrecognized command or argument 'frob' (and 1 more)", the more being the command not given, and `repdiff Rdx a b`
    /// "(and 3 more)", naming no command. Null when the command line names a command.
    /// </summary>
    private static string? UnknownCommand(ParseResult parse)
    {
        var root = parse.RootCommandResult.Command;
        if (parse.CommandResult.Command != root) return null;
        var word = parse.Errors.Select(e => UnknownWord(e.Message)).FirstOrDefault(w => w is not null);
        if (word is null) return null;
        string commands = string.Join(", ", root.Subcommands.Select(c => c.Name));
        // An option before any command (`repdiff --frob x`: --frob is the mistake, not its value x; alone it had been
        // "(and 1 more)", the more being the command not given).
        if (word.StartsWith('-')) return $"'{word}' is not an option of repdiff itself; options follow a command: {commands}";
        string meant = OptionGuess.Command(root, word) is { } name ? $" (did you mean {name}?)" : "";
        return $"'{word}' is not a command{meant}; the commands are: {commands}";
    }

    /// <summary>The word of an "Unrecognized command or argument 'WORD'" error, or null for another error.</summary>
    private static string? UnknownWord(string message)
    {
        var word = System.Text.RegularExpressions.Regex.Match(message, @"^Unrecognized command or argument '(.*)'\.?$");
        return word.Success ? word.Groups[1].Value : null;
    }

    /// <summary>An option the command does not have, with the one the user most likely meant (`--lables`: --labels).</summary>
    private static string? UnknownOption(ParseResult parse, string message)
    {
        if (UnknownWord(message) is not { } word || !word.StartsWith('-')) return null;
        return Unrecognized(parse.CommandResult.Command, word);
    }

    private static string Unrecognized(Command command, string word) =>
        $"Unrecognized command or argument '{word}'" + (OptionGuess.For(command, word) is { } meant ? $" (did you mean {meant}?)" : "");

    /// <summary>
    /// An option the command does not have, taken by the parser as one of its files: `compare --model-a … --text s.txt`
    /// had said "give either embeddings A and B or --model-a/--model-b, not both" (A was '--text', B the sentences), and
    /// `rdx a.npy --lables l.txt` "'l.txt' is one more". A file that exists under such a name is left to be read, and so is
    /// any word after `--`, which says that what follows are files.
    /// </summary>
    private static string? OptionTakenAsFile(ParseResult parse)
    {
        var files = parse.Tokens.SkipWhile(t => t.Type != System.CommandLine.Parsing.TokenType.DoubleDash).ToHashSet(ReferenceEqualityComparer.Instance);
        var word = parse.CommandResult.Children.OfType<System.CommandLine.Parsing.ArgumentResult>()
            .SelectMany(a => a.Tokens).Where(t => !files.Contains(t)).Select(t => t.Value)
            .FirstOrDefault(v => v.Length > 1 && v[0] == '-' && !char.IsDigit(v[1]) && v[1] != '.' && !Path.Exists(v));
        return word is null ? null : Unrecognized(parse.CommandResult.Command, word);
    }

    /// <summary>
    /// A file beyond the command's arguments: `inspect a.npy b.npy` and `rdx a.npy b.npy c.npy` had been "Unrecognized command
    /// or argument 'b.npy'", as if the file were a misspelt command.
    /// </summary>
    private static string? ExtraFile(ParseResult parse, string message)
    {
        var command = parse.CommandResult.Command;
        if (UnknownWord(message) is not { } word || word.StartsWith('-') || command.Arguments.Count == 0 || !Path.Exists(word)) return null;
        var names = command.Arguments.Select(a => a.Name).ToList();
        string takes = names.Count == 1 ? $"one file ({names[0]})" : $"{names.Count} files ({string.Join(", ", names)})";
        return $"{command.Name} takes {takes}; '{word}' is one more" + (names.Count == 1 ? $" (run {command.Name} once per file)" : "");
    }

    /// <summary>
    /// An option given twice: `--key a A.npz --key b B.npz` had said "Option '--key' expects a single argument but 2 were
    /// provided", not that A's and B's arrays have options of their own.
    /// </summary>
    private static string? RepeatedOption(ParseResult parse, string[] args, string message)
    {
        var twice = System.Text.RegularExpressions.Regex.Match(message, @"^Option '(.*)' expects a single argument but \d+ were provided\.?$");
        var options = parse.CommandResult.Command.Options;
        var option = twice.Success ? options.FirstOrDefault(o => o.Name == twice.Groups[1].Value || o.Aliases.Contains(twice.Groups[1].Value)) : null;
        if (option is null) return null;
        // Named as typed (--key, not its alias --column), with the per-side options of that spelling.
        var spellings = option.Aliases.Append(option.Name).ToList();
        string typed = args.FirstOrDefault(a => spellings.Contains(a.Split('=', 2)[0]))?.Split('=', 2)[0] ?? option.Name;
        bool perSide = options.Any(o => o.Name == typed + "-a" || o.Aliases.Contains(typed + "-a"));
        return perSide
            ? $"{typed} is given more than once; to give A and B each its own, use {typed}-a and {typed}-b"
            : $"{typed} is given more than once; give it once";
    }

    /// <summary>
    /// A word the parser did not know right after a switch (a true/false option): `--normalize yes` was "Unrecognized command
    /// or argument 'yes'", as if the word stood alone. Null when that is not the case.
    /// </summary>
    private static string? SwitchValue(ParseResult parse, string[] args, string message)
    {
        var word = System.Text.RegularExpressions.Regex.Match(message, @"^Unrecognized command or argument '(.*)'\.?$");
        int at = word.Success ? Array.IndexOf(args, word.Groups[1].Value) : -1;
        if (at < 1) return null;
        string flag = args[at - 1];
        return parse.CommandResult.Command.Options.Any(o => (o is Option<bool> or Option<bool?>) && (o.Name == flag || o.Aliases.Contains(flag)))
            ? $"{flag}: '{word.Groups[1].Value}' is not a value it takes; it is a switch, on when given alone ({flag} true or {flag} false also work)"
            : null;
    }

    /// <summary>
    /// A parse error in the words the method options use: System.CommandLine names .NET types ("Cannot parse argument
    /// 'abc' for option '--batch-size' as expected type 'System.Int32'.").
    /// </summary>
    internal static string ParseError(string message)
    {
        var value = System.Text.RegularExpressions.Regex.Match(message, @"^Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'\.$");
        if (!value.Success) return message.TrimEnd('.');
        var (text, option, type) = (value.Groups[1].Value, value.Groups[2].Value, value.Groups[3].Value);
        // A whole number past 32 bits is a whole number still (`--batch-size 99999999999` had read "is not a whole number"),
        // as the method options say (OptionSpec.Parse).
        // The option's own range is checked after parsing; this only says which way the number is out of 32 bits.
        if (type == "System.Int32" && System.Numerics.BigInteger.TryParse(text.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var whole))
            return whole > 0 ? $"{option}: '{text}' is too large (at most {int.MaxValue})" : $"{option}: '{text}' is too small (at least {int.MinValue})";
        return $"{option}: '{text}' is not {TypeNames.InWords(type)}";
    }

    /// <summary>compare's and the demo's --seed, held to the methods' range (<see cref="Methods.MethodOptions.Seed"/>).</summary>
    public static int Seed(ParseResult parse, Option<int> seed)
    {
        int value = parse.GetValue(seed);
        return value is >= 0 and <= Methods.MethodOptions.MaxSeed ? value
            : throw new RepDiffInputException($"{seed.Name}: must be from 0 to {Methods.MethodOptions.MaxSeed}, got {value}");
    }

    /// <summary>Wraps a command body: one clear line and exit code 2 for bad input, 1 for a bug; a stop's line and code once a signal is stopping the run.</summary>
    /// <param name="outOfMemoryAdvice">What to try when the body runs out of memory (a method's <see cref="IMethod.OutOfMemoryAdvice"/>).</param>
    public static int Guard(Func<int> body, string? outOfMemoryAdvice = null)
    {
        try
        {
            return body();
        }
        // First: once a signal is stopping the run, whatever the body throws comes of the stop, which deletes the staging folder
        // under a write in flight (OutputFolder.Write is outside the Gate, so that a stop never waits for a long write). Such a
        // write had ended "error: --out …: cannot write results.json" with exit 2 (or "internal error", 1), not as the stop.
        catch (Exception) when (RepDiff.IO.TemporaryPaths.Stopping)
        {
            ExitSignals.SayStopped();
            return ExitSignals.StopCode; // stopped by a signal, whose handler exits with the same code
        }
        catch (InvalidOptionException e)
        {
            Error.WriteLine($"error: {e.FlagPrefix}{Terminal.Clean(e.Problem.ReplaceLineEndings(" "))}");
            return BadInput;
        }
        catch (RepDiffInputException e)
        {
            Error.WriteLine($"error: {Terminal.Clean(e.Message.ReplaceLineEndings(" "))}");
            return BadInput;
        }
        catch (OutOfMemoryException)
        {
            // Only what applies: "options that run on a subsample" had been offered to spec, finc and koda, which have none.
            Error.WriteLine($"error: out of memory; {outOfMemoryAdvice ?? "try a smaller input (fewer rows or dimensions)"}");
            return BadInput;
        }
        catch (Exception e)
        {
            Error.WriteLine($"internal error: {e.GetType().Name}: {Terminal.Clean(e.Message.ReplaceLineEndings(" "))}");
            if (Environment.GetEnvironmentVariable("REPDIFF_DEBUG") is not null) Error.WriteLine(e);
            return InternalError;
        }
    }
}
