namespace RepDiff.Methods;

/// <summary>A method on one representation of two sample sets (TEST and REF), as FINC.</summary>
public interface ISampleSetMethod : IMethod
{
    Explanation Run(SampleSets sets, MethodOptions options, IProgress<ProgressUpdate>? progress = null);

    /// <summary>Settings of a finished run that leave its answer saying little (<see cref="IPairMethod.Cautions"/>).</summary>
    IEnumerable<string> Cautions(SampleSets sets, MethodOptions resolved) => [];
}
