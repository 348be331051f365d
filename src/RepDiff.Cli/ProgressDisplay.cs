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
    /// started again (a rerun) and is shown again. Between quarters, a stage that has moved prints again once
    /// <see cref="Interval"/> has passed since its last line, with the time left at its pace so far: spec-align on a wide
    /// pair had shown "aligning: 0%" alone for two minutes (review 174), as if it had hung.
    /// </summary>
    /// <param name="stopping">Whether a signal is stopping the run (<see cref="Stopping"/> unless given).</param>
    /// <param name="seconds">Seconds on a monotonic clock (the process's stopwatch unless given).</param>
    internal sealed class PlainProgress(TextWriter output, Func<bool>? stopping = null, Func<double>? seconds = null) : IProgress<ProgressUpdate>
    {
        /// <summary>Seconds between a slow stage's lines: a few lines a minute, far fewer than the quarters of a fast run.</summary>
        internal const double Interval = 15;

        private readonly Lock gate = new();
        private readonly Dictionary<string, StageLine> stages = [];
        private readonly Func<double> now = seconds ?? StopwatchSeconds();

        /// <summary>A stage's last printed quarter and percent, when that line was printed, and when the stage (re)started.</summary>
        private readonly record struct StageLine(int Quarter, double Percent, double PrintedAt, double StartedAt);

        public void Report(ProgressUpdate value)
        {
            lock (gate)
            {
                if ((stopping ?? Stopping)()) return;
                int q = (int)(value.Fraction * 4);
                double percent = Math.Floor(value.Fraction * 100), t = now();
                bool known = stages.TryGetValue(value.Stage, out var last);
                if (known && q == last.Quarter)
                {
                    if (percent <= last.Percent || t - last.PrintedAt < Interval) return;
                    // Past the first percent the pace so far says what is left; the stage's start is its first report.
                    double left = (t - last.StartedAt) * (1 - value.Fraction) / value.Fraction;
                    stages[value.Stage] = last with { Percent = percent, PrintedAt = t };
                    output.WriteLine(Terminal.Clean($"{value.Stage}: {percent}% (about {Remaining(left)} left)"));
                    return;
                }
                double started = known && q > last.Quarter ? last.StartedAt : t;
                stages[value.Stage] = new StageLine(q, percent, t, started);
                output.WriteLine(Terminal.Clean($"{value.Stage}: {percent}%"));
            }
        }

        private static Func<double> StopwatchSeconds()
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            return () => clock.Elapsed.TotalSeconds;
        }

        internal static string Remaining(double seconds) => seconds switch
        {
            < 90 => $"{Math.Ceiling(seconds):0} s",
            < 5400 => $"{Math.Ceiling(seconds / 60):0} min",
            _ => $"{seconds / 3600:0.#} h",
        };
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
