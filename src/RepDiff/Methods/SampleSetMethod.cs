using System.Diagnostics.CodeAnalysis;
using RepDiff.Options;

namespace RepDiff.Methods;

/// <summary>The base of a method on one representation of two sample sets (see <see cref="PairMethod{TOptions}"/>).</summary>
public abstract class SampleSetMethod<[DynamicallyAccessedMembers(OptionsSchema.Members)] TOptions> : ISampleSetMethod where TOptions : MethodOptions, new()
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    public abstract string StrengthMeaning { get; }
    [DynamicallyAccessedMembers(OptionsSchema.Members)]
    public Type OptionsType => typeof(TOptions);
    public MethodOptions DefaultOptions() => new TOptions();
    public virtual string? OutOfMemoryAdvice => null;

    public Explanation Run(SampleSets sets, TOptions options, IProgress<ProgressUpdate>? progress = null)
        => MethodTemplate.Run(this, options, () => Validate(sets, options), () => Resolve(sets, options, progress), o => Explain(sets, o, progress));

    Explanation ISampleSetMethod.Run(SampleSets sets, MethodOptions options, IProgress<ProgressUpdate>? progress)
        => Run(sets, MethodTemplate.Cast<TOptions>(this, options), progress);

    IEnumerable<string> ISampleSetMethod.Cautions(SampleSets sets, MethodOptions resolved) => Cautions(sets, MethodTemplate.Cast<TOptions>(this, resolved));

    /// <summary>Settings of a finished run that leave its answer saying little (<see cref="IPairMethod.Cautions"/>).</summary>
    protected virtual IEnumerable<string> Cautions(SampleSets sets, TOptions resolved) => [];

    protected virtual void Validate(SampleSets sets, TOptions options) { }
    protected virtual TOptions Resolve(SampleSets sets, TOptions options, IProgress<ProgressUpdate>? progress) => options;
    protected abstract Explanation Explain(SampleSets sets, TOptions options, IProgress<ProgressUpdate>? progress);
}
