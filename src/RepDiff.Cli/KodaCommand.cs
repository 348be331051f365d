using System.CommandLine;
using RepDiff.Methods.Koda;

namespace RepDiff.Cli;

/// <summary>`repdiff koda A B`: constrained contrastive modes (METHODS §5), exact route.</summary>
internal static class KodaCommand
{
    public static Command Create()
    {
        var pairOptions = new PairOptions();
        var kernel = new Option<string>("--kernel") { Description = "gaussian or cosine", DefaultValueFactory = _ => "gaussian" };
        var sigmaA = new Option<double?>("--sigma-a") { Description = "Gaussian bandwidth of A (default: median pairwise distance)" };
        var sigmaB = new Option<double?>("--sigma-b") { Description = "Gaussian bandwidth of B (default: median pairwise distance)" };
        var epsilon = new Option<double?>("--epsilon") { Description = "bound on the other kernel's quadratic form (default: median nonzero eigenvalue of that kernel / n)" };
        var modes = new Option<int>("--modes") { Description = "modes per direction", DefaultValueFactory = _ => 10 };
        var members = new Option<int>("--members") { Description = "members per mode", DefaultValueFactory = _ => 50 };
        var grid = new Option<int>("--grid") { Description = "members shown per mode", DefaultValueFactory = _ => 9 };
        var command = new Command("koda", "KODA: modes one kernel clusters strongly while the other's quadratic form stays below epsilon.");
        pairOptions.AddTo(command);
        foreach (var o in new Option[] { kernel, sigmaA, sigmaB, epsilon, modes, members, grid }) command.Options.Add(o);
        command.SetAction(parse => MethodRunner.Run(parse, pairOptions, (pair, progress) => Koda.Run(pair, new KodaOptions
        {
            Kernel = SpecCommand.ParseKernel(parse.GetValue(kernel)!),
            SigmaA = parse.GetValue(sigmaA),
            SigmaB = parse.GetValue(sigmaB),
            Epsilon = parse.GetValue(epsilon),
            Modes = parse.GetValue(modes),
            Members = parse.GetValue(members),
            Grid = parse.GetValue(grid),
        }, parse.GetValue(pairOptions.Seed), progress),
            (parse.GetValue(sigmaA) is null ? null : "--sigma-a", parse.GetValue(sigmaB) is null ? null : "--sigma-b")));
        return command;
    }
}
