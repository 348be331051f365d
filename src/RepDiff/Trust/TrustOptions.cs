using RepDiff.Methods;
using RepDiff.Options;

namespace RepDiff.Trust;

/// <summary>
/// How much to check the concepts a method finds (docs/methods/METHODS.md §7): stability under R
/// resamples and held-out validation. Method-agnostic, so every method command and compare share it.
/// </summary>
public sealed record TrustOptions
{
    /// <summary>
    /// The resamples `--trust` asks for when --stability is not given: the most that kept `compare --trust` within twice
    /// the time of `compare` at n = 2,000 when chosen (five took 2.1–2.2×); docs/benchmarks.md has the current ratio.
    /// </summary>
    public const int TrustResamples = 4;

    /// <summary>--stability R; null when not given, which is 0 (off) except under --trust. Given as 0 it stays off,
    /// --trust or not (`--trust --stability 0` had run 4 resamples: "unless --stability is given" read as "unless above 0").</summary>
    [Option("resamples for the stability of every concept (0 = off, the default); each reruns the method on 80% of the samples", Min = 0, Max = 200)]
    public int? Stability { get; init; }

    [Option("validate every concept on held-out samples and give it a p-value")]
    public bool Validate { get; init; }

    [Option("check every concept both ways: --validate and, unless --stability is given, --stability 4 (not for sae, whose every rerun retrains it: give --stability R)")]
    public bool Trust { get; init; }

    /// <summary>Whether held-out validation runs (--validate or --trust).</summary>
    public bool Validates() => Validate || Trust;

    /// <summary>The option that asked for held-out validation, for its refusals to name as typed: --trust when it came without --validate.</summary>
    public string ValidationOption() => Validate ? nameof(Validate) : nameof(Trust);

    /// <summary>
    /// The stability resamples to run for <paramref name="method"/>: --stability, else <see cref="TrustResamples"/> with
    /// --trust unless each of the method's reruns is a full training (<see cref="IMethod.RetrainsOnEveryRerun"/>), else 0.
    /// A --stability given, 0 included, is what runs.
    /// </summary>
    public int ResamplesFor(IMethod method) => Stability ?? (Trust && !method.RetrainsOnEveryRerun ? TrustResamples : 0);

    /// <summary>
    /// A warning for --stability 1, null otherwise: one resample's overlap is the whole measure, so one unlucky (or lucky)
    /// rerun decides it (`rdx --stability 1` had said "none of its first five concepts was found again" without a word).
    /// </summary>
    public string? Caution() => Stability == 1
        ? $"--stability 1: each concept's stability is how well one rerun on 80% of the samples found it again, so one rerun's chance decides it; use --stability {TrustResamples} or more (--trust's default)"
        : null;

    /// <summary>Why --trust measured no stability for <paramref name="method"/>, or null when it did or was not asked to.</summary>
    public string? StabilityLeftOut(IMethod method) => Stability is null && Trust && method.RetrainsOnEveryRerun
        ? $"stability not measured: each {method.Name} rerun retrains it from scratch, so --trust leaves it out; give --stability R to measure it"
        : null;
}
