using RepDiff.Methods;
using RepDiff.Options;

namespace RepDiff.Tests.Methods.Unusual;

/// <summary>A test-only method of any options record whose Explain is the test's function.</summary>
public sealed class FunctionMethod<T>(string name, Func<RepresentationPair, T, IProgress<ProgressUpdate>?, Explanation> explain) : PairMethod<T>
    where T : MethodOptions, new()
{
    public override string Name => name;
    public override string Description => $"Test-only: {name}.";
    public override string StrengthMeaning => "a number the test chose";
    protected override Explanation Explain(RepresentationPair pair, T options, IProgress<ProgressUpdate>? progress) => explain(pair, options, progress);
}

public enum Flavour { Plain, ExtraSpicy }

/// <summary>Every kind of option the contract names: a choice, a switch, a file, a bounded number.</summary>
public sealed record RichOptions : MethodOptions
{
    [Option("a choice")] public Flavour Flavour { get; init; } = Flavour.Plain;
    [Option("a switch")] public bool Strict { get; init; }
    [Option("a file the method reads", IsFile = true)] public string? Table { get; init; }
    [Option("a fraction", Min = 0, Max = 1, MinExclusive = true)] public double Share { get; init; } = 0.5;
}

// Options named like a flag every pair command has already.
public sealed record OutOptions : MethodOptions { [Option("named like --out")] public string Out { get; init; } = "x"; }
public sealed record LabelsOptions : MethodOptions { [Option("named like --labels")] public string? Labels { get; init; } }
public sealed record ColumnOptions : MethodOptions { [Option("named like --key's alias --column")] public string? Column { get; init; } }
public sealed record HelpOptions : MethodOptions { [Option("named like --help")] public bool Help { get; init; } }
public sealed record StabilityOptions : MethodOptions { [Option("named like the trust measures' --stability", Min = 0)] public int Stability { get; init; } }
public sealed record SeedOptions : MethodOptions { [Option("a seed of its own, hiding MethodOptions.Seed", Min = 0)] public new int Seed { get; init; } }
