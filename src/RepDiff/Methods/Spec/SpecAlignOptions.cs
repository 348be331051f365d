using RepDiff.Options;

namespace RepDiff.Methods.Spec;

/// <summary>Options of SPEC-align (docs/methods/METHODS.md §3) and of the SPEC run on the aligned pair.</summary>
public sealed record SpecAlignOptions : ModeOptions
{
    [Option("weight of the penalty mu‖W − I‖² that keeps the head near the identity", Min = 0, Max = 1e6)]
    public double Mu { get; init; } = 1e-2;

    [Option("Adam learning rate", Min = 0, MinExclusive = true, Max = 1)]
    public double LearningRate { get; init; } = 1e-3;

    [Option("Adam steps (one minibatch each)", Min = 0, Max = 1_000_000)]
    public int Steps { get; init; } = 300;

    [Option("rows per minibatch", Min = 2, Max = 100_000)]
    public int BatchSize { get; init; } = 512;

    [Option("fraction of rows held out to measure SPEC-diff before and after", Min = 0, MinExclusive = true, Max = 0.9)]
    public double HoldoutFraction { get; init; } = 0.3;

    [Option("weight of the aligned B's kernel in (K_A − eta K_BW)/n", Min = 0, MinExclusive = true, Max = 1e6)]
    public double Eta { get; init; } = 1.0;

}
