using RepDiff;

namespace RepDiff.Cli;

/// <summary>Passes progress on under another stage name (e.g. "embedding" → "embedding 3,000 sentences with minilm-l6").</summary>
internal sealed class RenamedProgress(IProgress<ProgressUpdate>? inner, Func<string, string> rename) : IProgress<ProgressUpdate>
{
    public void Report(ProgressUpdate value) => inner?.Report(value with { Stage = rename(value.Stage) });
}
