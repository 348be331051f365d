using RepDiff;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>
/// Shows progress of long work: a Spectre progress bar on a terminal, plain "stage: 40%" lines on
/// stderr when output is redirected (logs, CI), so stdout stays clean for results.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>
    /// Plain lines unless both streams are a terminal that takes ANSI codes: on a terminal without them (TERM=dumb: an
    /// editor's shell, a CI log through a pseudo-terminal) Spectre's fallback had printed one line for a whole run (helper 99).
    /// </summary>
    internal static bool PlainLines => Console.IsErrorRedirected || Console.IsOutputRedirected
        || !AnsiConsole.Profile.Capabilities.Interactive || !AnsiConsole.Profile.Capabilities.Ansi;

    /// <summary>
    /// Whether a signal is stopping the run: plain progress lines end there, so that "stopped by SIGTERM: …" is a log's last
    /// line. The work goes on until the process exits, and a log had ended "stopped by SIGTERM: …", then "rdx: k-means: 0%".
    /// </summary>
    internal static bool Stopping() => RepDiff.IO.TemporaryPaths.Stopping;

    public static T Run<T>(Func<IProgress<ProgressUpdate>, T> work)
    {
        if (PlainLines) return work(new PlainProgress(Cli.Error));
        T result = default!;
        // The time left, as embed's bar shows it: a stage of many even steps (spec-align's Adam steps) ran for minutes with only its elapsed time.
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .Start(ctx => result = work(new SpectreProgress(ctx)));
        return result;
    }

    /// <summary>
    /// One line per stage start and per 25% step, so logs show where time went without flooding. The last step is
    /// kept per stage: A's and B's stages run at once and interleave (remembering only the latest stage printed a
    /// line at every alternation, about 2,000 lines for one `sae`). A stage that falls back below its last step has
    /// started again (a rerun) and is shown again.
    /// </summary>
    /// <param name="stopping">Whether a signal is stopping the run (<see cref="Stopping"/> unless given).</param>
    internal sealed class PlainProgress(TextWriter output, Func<bool>? stopping = null) : IProgress<ProgressUpdate>
    {
        private readonly Lock gate = new();
        private readonly Dictionary<string, int> quarters = [];

        public void Report(ProgressUpdate value)
        {
            lock (gate)
            {
                if ((stopping ?? Stopping)()) return;
                int q = (int)(value.Fraction * 4);
                if (quarters.TryGetValue(value.Stage, out int last) && q == last) return;
                quarters[value.Stage] = q;
                output.WriteLine(Terminal.Clean($"{value.Stage}: {Math.Floor(value.Fraction * 100)}%"));
            }
        }
    }

    private sealed class SpectreProgress(ProgressContext context) : IProgress<ProgressUpdate>
    {
        private readonly Lock gate = new();
        private readonly Dictionary<string, ProgressTask> tasks = [];

        public void Report(ProgressUpdate value)
        {
            lock (gate)
            {
                if (!tasks.TryGetValue(value.Stage, out var task))
                    tasks[value.Stage] = task = context.AddTask(Markup.Escape(Terminal.Clean(value.Stage)), maxValue: 1.0);
                task.Value = value.Fraction;
                if (value.Fraction >= 1) task.StopTask();
            }
        }
    }
}
