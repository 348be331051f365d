using RepDiff.Numerics;

namespace RepDiff.Spectral;

/// <summary>Reports a sub-computation's progress under a stage name of the caller's choosing, synchronously.</summary>
internal sealed class StageProgress(IProgress<ProgressUpdate> inner, string stage) : IProgress<ProgressUpdate>
{
    public void Report(ProgressUpdate value) => inner.Report(stage, value.Fraction);
}
