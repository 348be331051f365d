using System.Diagnostics.CodeAnalysis;
using RepDiff.Options;

namespace RepDiff.Methods;

/// <summary>
/// The base of a method on two representations of the same samples. A method is its options record and
/// <see cref="Explain"/>; <see cref="Run"/> validates, resolves and records the parameters around it.
/// </summary>
public abstract class PairMethod<[DynamicallyAccessedMembers(OptionsSchema.Members)] TOptions> : IPairMethod where TOptions : MethodOptions, new()
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    public abstract string StrengthMeaning { get; }
    [DynamicallyAccessedMembers(OptionsSchema.Members)]
    public Type OptionsType => typeof(TOptions);
    public MethodOptions DefaultOptions() => new TOptions();
    public virtual bool InCompareByDefault => true;
    public virtual bool Applies(RepresentationPair pair) => true;
    public virtual string WhyNotApplicable(RepresentationPair pair) => "it does not apply to these inputs";
    public virtual bool RetrainsOnEveryRerun => false;
    public virtual bool ConceptsAreClusters => false;
    public virtual bool ConceptsAreGiven => false;
    public virtual bool FindsLargestDistances => false;
    public virtual string? OutOfMemoryAdvice => null;

    public Explanation Run(RepresentationPair pair, TOptions options, IProgress<ProgressUpdate>? progress = null)
        => MethodTemplate.Run(this, options, () => { CheckSizes(pair, pair.N, options); Validate(pair, options); }, () => Resolve(pair, options, progress), o =>
        {
            var explanation = Explain(pair, o, progress);
            explanation.N = pair.N;
            return explanation;
        });

    MethodOptions IPairMethod.Prepare(RepresentationPair pair, MethodOptions options, IProgress<ProgressUpdate>? progress)
    {
        var typed = MethodTemplate.Cast<TOptions>(this, options);
        OptionsSchema.Validate(typed);
        CheckSizes(pair, pair.N, typed);
        Validate(pair, typed);
        return MethodTemplate.Resolve(typed, () => Resolve(pair, typed, progress));
    }

    Explanation IPairMethod.Run(RepresentationPair pair, MethodOptions options, IProgress<ProgressUpdate>? progress)
        => Run(pair, MethodTemplate.Cast<TOptions>(this, options), progress);

    int IPairMethod.SamplesExplained(int n, MethodOptions options) => SamplesExplained(n, MethodTemplate.Cast<TOptions>(this, options));

    void IPairMethod.CheckSampleCount(RepresentationPair pair, int n, MethodOptions options)
        => CheckSizes(pair, n, MethodTemplate.Cast<TOptions>(this, options));

    void IPairMethod.CheckCount(int n, MethodOptions options) => CheckCount(n, MethodTemplate.Cast<TOptions>(this, options));

    /// <summary>The count alone first, then what needs the pair: one refusal whether or not the pair is known yet.</summary>
    private void CheckSizes(RepresentationPair pair, int n, TOptions options)
    {
        CheckCount(n, options);
        CheckSampleCount(pair, n, options);
    }

    IEnumerable<string> IPairMethod.Cautions(RepresentationPair pair, MethodOptions resolved) => Cautions(pair, MethodTemplate.Cast<TOptions>(this, resolved));

    /// <summary>Settings of a finished run that leave its answer saying little (<see cref="IPairMethod.Cautions"/>).</summary>
    protected virtual IEnumerable<string> Cautions(RepresentationPair pair, TOptions resolved) => [];

    /// <summary>How many of n samples the method explains (<see cref="IPairMethod.SamplesExplained"/>).</summary>
    protected virtual int SamplesExplained(int n, TOptions options) => n;

    /// <summary>
    /// The checks of options against the number of samples alone (<see cref="IPairMethod.CheckSampleCount"/>): they go
    /// here, not in <see cref="Validate"/>, so that stability's and validation's reruns are checked before the full run.
    /// </summary>
    protected virtual void CheckSampleCount(RepresentationPair pair, int n, TOptions options) { }

    /// <summary>
    /// The part of those checks that reads only the number of samples, not the pair's dimensions
    /// (<see cref="IPairMethod.CheckCount"/>): checked before <see cref="CheckSampleCount"/>, and by `compare --model-a/-b`
    /// before either model embeds.
    /// </summary>
    protected virtual void CheckCount(int n, TOptions options) { }

    /// <summary>Checks what the declared ranges cannot (options against the input, options against each other).</summary>
    protected virtual void Validate(RepresentationPair pair, TOptions options) { }

    /// <summary>Fills in what is decided at run time; the returned record is what results.json records.</summary>
    protected virtual TOptions Resolve(RepresentationPair pair, TOptions options, IProgress<ProgressUpdate>? progress) => options;

    /// <summary>The method itself: concepts for both directions, with its own stage timings and metrics.</summary>
    protected abstract Explanation Explain(RepresentationPair pair, TOptions options, IProgress<ProgressUpdate>? progress);
}
