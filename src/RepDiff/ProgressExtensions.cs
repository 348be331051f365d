namespace RepDiff;

/// <summary>Helpers so methods can report progress without caring who listens.</summary>
public static class ProgressExtensions
{
    public static void Report(this IProgress<ProgressUpdate>? progress, string stage, double fraction)
        => progress?.Report(new ProgressUpdate(stage, fraction));
}
