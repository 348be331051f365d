using System.Diagnostics;
using RepDiff.Metrics;

namespace RepDiff.Cli;

/// <summary>
/// Measures how the samples' images look (<see cref="ImageLooks"/>) before the explanations are scored, as a stage of its
/// own: files are decoded, which on thousands of photographs takes seconds, so it has a progress line and a timing.
/// </summary>
internal static class ImageLooksStage
{
    public const string Timing = "image_looks";

    /// <summary>Sets <see cref="SampleInfo.Looks"/> when there are images not yet measured; the seconds it took (0 when nothing was done).</summary>
    public static double Measure(SampleInfo samples, IProgress<ProgressUpdate> progress)
    {
        if (samples.Images is not { } images || samples.Looks is not null) return 0;
        var clock = Stopwatch.StartNew();
        samples.Looks = ImageLooks.Measure(images, new Embedding.ImageThumbnailer(), progress);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>One warning line when some images could not be read (the report's thumbnails name the shown ones).</summary>
    public static void Warn(SampleInfo samples)
    {
        if (samples.Looks?.Unreadable is not { Count: > 0 } unreadable) return;
        var (sample, problem) = unreadable[0];
        string verb = unreadable.Count == 1 ? "is" : "are";
        Cli.Warn($"{unreadable.Count:N0} of {samples.Looks.Values.Count:N0} images could not be read and {verb} left out of the image looks (sample {sample}: {problem})");
    }
}
