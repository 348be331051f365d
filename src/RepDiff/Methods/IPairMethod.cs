namespace RepDiff.Methods;

/// <summary>A method on two representations of the same samples (A and B): every method but FINC.</summary>
public interface IPairMethod : IMethod
{
    /// <summary>Whether `repdiff compare` runs it when no --methods are named.</summary>
    bool InCompareByDefault => true;

    /// <summary>
    /// Whether a run on every row finds each model's exact largest distance on its way (RDX's distance pass), which MNED then
    /// divides by (<see cref="PairStatistics"/>). `compare` finds them before any method is scored when one such method runs,
    /// so that every method's MNED divides by the same figures whatever the order of --methods.
    /// </summary>
    bool FindsLargestDistances => false;

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

    /// <summary>
    /// How many of a pair's n samples the method explains: n, or a subsample of them (RDX's --max-samples, whose rows
    /// <see cref="Explanation.RowsUsed"/> names). Stability resamples and held-out validation splits these.
    /// </summary>
    int SamplesExplained(int n, MethodOptions options);

    /// <summary>
    /// Refuses options that need more samples than a run on <paramref name="n"/> samples of <paramref name="pair"/> has,
    /// reading no values (n = pair.N for a run; fewer for stability's and validation's reruns on part of the samples).
    /// Every run checks it; <see cref="Trust.RerunSize.CheckBeforeRun"/> checks the reruns' sizes before the full run.
    /// </summary>
    void CheckSampleCount(RepresentationPair pair, int n, MethodOptions options);

    /// <summary>
    /// The part of <see cref="CheckSampleCount"/> that needs only <paramref name="n"/>, not the pair (more concepts than
    /// samples): `compare --model-a/-b` checks it once the inputs are listed, before either model embeds them.
    /// </summary>
    void CheckCount(int n, MethodOptions options);

    /// <summary>Validates the options, runs, and returns the explanation with the resolved options as its parameters.</summary>
    Explanation Run(RepresentationPair pair, MethodOptions options, IProgress<ProgressUpdate>? progress = null);

    /// <summary>
    /// One line for each setting of a finished run that is legal but leaves its answer saying little (a bandwidth far below
    /// the data's distances, a handful of Fourier frequencies), from the run's resolved options: the CLI prints them as
    /// warnings once the run is done, so a refused run still prints one line.
    /// </summary>
    IEnumerable<string> Cautions(RepresentationPair pair, MethodOptions resolved) => [];
}
