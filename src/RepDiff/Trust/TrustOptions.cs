using RepDiff.Options;

namespace RepDiff.Trust;

/// <summary>
/// How much to check the concepts a method finds (docs/methods/METHODS.md §7): stability under R
/// resamples and held-out validation. Method-agnostic, so every method command and compare share it.
/// </summary>
public sealed record TrustOptions
{
    [Option("resamples for the stability of every concept (0 = off); each reruns the method on 80% of the samples", Min = 0, Max = 200)]
    public int Stability { get; init; }

    [Option("validate every concept on held-out samples and give it a p-value")]
    public bool Validate { get; init; }
}
