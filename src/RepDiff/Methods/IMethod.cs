using System.Diagnostics.CodeAnalysis;
using RepDiff.Options;

namespace RepDiff.Methods;

/// <summary>What every method declares: its name, a one-line description and its options record.</summary>
public interface IMethod
{
    /// <summary>The command name and results.json "method" ("rdx", "spec", ...).</summary>
    string Name { get; }

    /// <summary>One line for --help and the report.</summary>
    string Description { get; }

    /// <summary>
    /// What a concept's strength measures, in one sentence (docs/methods): each method ranks its concepts by its own
    /// quantity on its own scale (RDX 17.2, SPEC 0.058, KODA 0.00085), so the report names it beside every figure.
    /// </summary>
    string StrengthMeaning { get; }

    /// <summary>The options record type (a <see cref="MethodOptions"/> with a parameterless constructor).</summary>
    [DynamicallyAccessedMembers(OptionsSchema.Members)]
    Type OptionsType { get; }

    /// <summary>A new options record holding every default.</summary>
    MethodOptions DefaultOptions();

    /// <summary>
    /// Whether every stability rerun trains a model from scratch at the cost of a full run, with nothing to share
    /// (the sparse autoencoder). `--trust` then leaves its stability to an explicit --stability R, so that
    /// compare --trust stays within about twice compare's time (docs/benchmarks.md).
    /// </summary>
    bool RetrainsOnEveryRerun => false;

    /// <summary>
    /// Whether the concepts of a direction are clusters that divide its samples among them (RDX, k-means), so that
    /// concepts a rerun regroups differently suggest fewer of them (docs/methods/stability.md).
    /// </summary>
    bool ConceptsAreClusters => false;

    /// <summary>
    /// Whether the concepts are given by the user rather than found in the data (`repdiff groups`): stability and held-out
    /// validation rerun the method to find its concepts again, which given groups never are, so both are refused for it.
    /// </summary>
    bool ConceptsAreGiven => false;

    /// <summary>
    /// What to try when a run of this method runs out of memory, as a clause after "out of memory; " (null: a smaller input).
    /// The CLI had offered every command "the command's options that run on a subsample", which only RDX has.
    /// </summary>
    string? OutOfMemoryAdvice => null;
}
