using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace RepDiff.Cli;

/// <summary>
/// Command lines a user can paste, shown under "Examples:" at the end of a command's --help: the help of `compare`, `rdx`,
/// `embed` and `inspect` had listed every option and never one whole command line. Their file names (a.npy, labels.txt) stand for the
/// user's own; every example parses as it stands and fits 80 columns (TerminalOutputTests).
/// </summary>
internal static class HelpExamples
{
    public static IReadOnlyList<string> For(Command command) => command.Name switch
    {
        "repdiff" => ["repdiff demo", "repdiff compare a.npy b.npy --labels labels.txt --out run1", "repdiff compare --help"],
        "compare" => ["repdiff compare a.npy b.npy --labels labels.txt --out run1",
            "repdiff compare --model-a minilm-l6 --model-b arctic-embed-xs --texts t.txt"],
        "embed" => ["repdiff embed minilm-l6 --texts texts.txt --out minilm.npy", "repdiff embed resnet18 --images photos/ --out resnet18.npy"],
        "inspect" => ["repdiff inspect a.npy", "repdiff inspect minilm-l6 --layers"],
        "evaluate" => ["repdiff evaluate run1/results.json a.npy b.npy"],
        "export" => ["repdiff export run1/results.json --out members.csv"],
        "metrics" => ["repdiff metrics a.npy b.npy --labels labels.txt"],
        "demo" => ["repdiff demo", "repdiff demo --out demo-run"],
        "info" => ["repdiff info"],
        "groups" => ["repdiff groups a.npy b.npy --groups groups.csv"],
        _ when command.Arguments.Any(a => a.Name == "TEST") => [$"repdiff {command.Name} generated.npy real.npy --out {command.Name}-run"],
        _ when command.Arguments.Count == 2 => [$"repdiff {command.Name} a.npy b.npy --labels labels.txt --out {command.Name}-run"],
        _ => [],
    };

    /// <summary>--help as System.CommandLine writes it, then the command's examples.</summary>
    public static HelpOption Option()
    {
        var option = new HelpOption();
        option.Action = new WithExamples((HelpAction)option.Action!);
        return option;
    }

    private sealed class WithExamples(HelpAction help) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            int code = help.Invoke(parseResult);
            var examples = For(parseResult.CommandResult.Command);
            if (examples.Count == 0) return code;
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var example in examples) output.WriteLine("  " + example);
            output.WriteLine();
            return code;
        }
    }
}
