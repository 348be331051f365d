namespace RepDiff;

/// <summary>
/// Passes progress on under another stage name: a sub-computation's stages under the caller's one name
/// (an eigensolver's under "modes"), or with the caller's context added ("embedding" → "garments: embedding").
/// </summary>
public sealed class RenamedProgress(IProgress<ProgressUpdate>? inner, Func<string, string> rename) : IProgress<ProgressUpdate>
{
    public void Report(ProgressUpdate value) => inner.Report(rename(value.Stage), value.Fraction);
}
