using System.CommandLine;
using RepDiff;

namespace RepDiff.Cli;

/// <summary>Runs a command line and maps failures to exit codes: 2 for bad input, 1 for internal errors.</summary>
internal static class Cli
{
    public const int BadInput = 2;
    public const int InternalError = 1;

    /// <summary>
    /// The `repdiff` command with every subcommand. A plain Command named "repdiff" (not RootCommand,
    /// which would take its name from the assembly) with help and version added by hand.
    /// </summary>
    public static Command BuildRoot()
    {
        var root = new Command("repdiff", "RepDiff: explains how two learned representations of the same samples differ.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(RdxCommand.Create());
        root.Subcommands.Add(SpecCommand.Create());
        root.Subcommands.Add(SpecAlignCommand.Create());
        root.Subcommands.Add(KodaCommand.Create());
        root.Subcommands.Add(FincCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(BaselineCommands.KMeans());
        root.Subcommands.Add(BaselineCommands.Pca());
        root.Subcommands.Add(BaselineCommands.Nmf());
        root.Subcommands.Add(BaselineCommands.Sae());
        root.Subcommands.Add(MetricsCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        return root;
    }

    private static readonly AsyncLocal<TextWriter?> output = new(), error = new();

    /// <summary>Where commands write: the writers given to <see cref="Run"/> (tests), else the console.</summary>
    public static TextWriter Out => output.Value ?? Console.Out;
    public static TextWriter Error => error.Value ?? Console.Error;

    public static int Run(Command root, string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var (previousOut, previousError) = (output.Value, error.Value);
        (output.Value, error.Value) = (stdout, stderr);
        try { return RunParsed(root, args, stdout, stderr); }
        finally { (output.Value, error.Value) = (previousOut, previousError); }
    }

    private static int RunParsed(Command root, string[] args, TextWriter? stdout, TextWriter? stderr)
    {
        var config = new InvocationConfiguration();
        if (stdout is not null) config.Output = stdout;
        if (stderr is not null) config.Error = stderr;
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) (stderr ?? Console.Error).WriteLine($"error: {error.Message}");
            (stderr ?? Console.Error).WriteLine("Run with --help to see the options.");
            return BadInput;
        }
        return parse.Invoke(config);
    }

    /// <summary>Wraps a command body: one clear line and exit code 2 for bad input, 1 for a bug.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (RepDiffInputException e)
        {
            Error.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
            return BadInput;
        }
        catch (OutOfMemoryException)
        {
            Error.WriteLine("error: out of memory; try a smaller input or --max-samples");
            return BadInput;
        }
        catch (Exception e)
        {
            Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("REPDIFF_DEBUG") is not null) Error.WriteLine(e);
            return InternalError;
        }
    }
}
