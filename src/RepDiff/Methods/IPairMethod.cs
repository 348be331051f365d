namespace RepDiff.Methods;

/// <summary>A method on two representations of the same samples (A and B): every method but FINC.</summary>
public interface IPairMethod : IMethod
{
    /// <summary>Whether `repdiff compare` runs it when no --methods are named.</summary>
    bool InCompareByDefault => true;

    /// <summary>Whether the method can run on this pair at all (compare skips it otherwise).</summary>
    bool Applies(RepresentationPair pair) => true;

    /// <summary>Why it does not apply to this pair, for the error when --methods names it anyway.</summary>
    string WhyNotApplicable(RepresentationPair pair) => "it does not apply to these inputs";

    /// <summary>
    /// What <see cref="Run"/> does before the method itself: checks the options against the pair and resolves what is
    /// decided at run time (a median bandwidth, a default gamma). Resolved options resolve to themselves, so running with
    /// them repeats none of this; `compare` prepares every method first, so a bad option stops it before any method runs.
    /// </summary>
    MethodOptions Prepare(RepresentationPair pair, MethodOptions options, IProgress<ProgressUpdate>? progress = null);

    /// <summary>Validates the options, runs, and returns the explanation with the resolved options as its parameters.</summary>
    Explanation Run(RepresentationPair pair, MethodOptions options, IProgress<ProgressUpdate>? progress = null);
}
