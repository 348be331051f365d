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
        if (PlainLines) return RunPlain(plain => work(plain));
        T result = default!;
        ShowBar(ctx => result = work(new SpectreProgress(ctx)));
        return result;
    }

    /// <summary>
    /// Runs <paramref name="work"/> with plain lines on stderr, those of its first <see cref="PlainProgress.Interval"/> held
    /// back: printed when it ends normally or fails internally, left out when it is refused or stopped. `embed` writes its
    /// own lines (with the rate) through it too: a later batch's failure had printed them above its one error line.
    /// </summary>
    internal static T RunPlain<T>(Func<PlainProgress, T> work)
    {
        using var plain = new PlainProgress(Cli.Error, hold: PlainProgress.Interval);
        try
        {
            T done = work(plain);
            plain.Release();
            return done;
        }
        catch (Exception e) when (e is RepDiffInputException or OutOfMemoryException || Stopping())
        {
            // A refusal is the run's one line ("error: …"); a stop's line is "stopped by …", printed by the handler.
            plain.Drop();
            throw;
        }
        catch
        {
            plain.Release(); // an internal error: the lines say which stage it came from
            throw;
        }
    }

    /// <summary>
    /// The console of the progress bar being shown, null when none is; the work's own threads see it (they inherit the
    /// context), another run in the same process (a test's) does not.
    /// </summary>
    private static readonly AsyncLocal<IAnsiConsole?> live = new();

    /// <summary>
    /// Shows a progress bar on the terminal while <paramref name="work"/> runs, with the time left (a stage of many even
    /// steps, spec-align's Adam steps, ran for minutes with only its elapsed time) and cleared at the end.
    /// </summary>
    internal static void ShowBar(Action<ProgressContext> work)
    {
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                live.Value = AnsiConsole.Console;
                try { work(ctx); }
                finally { live.Value = null; }
            });
    }

    /// <summary>
    /// Writes a line above the progress bar being shown, where it stays, and returns true; false when no bar is shown. A
    /// line written to stderr under the bar was drawn over by its next refresh and cleared with it: on a terminal the
    /// demo's "koda is left out" warnings were gone from the screen at the end.
    /// </summary>
    internal static bool WriteAbove(string line)
    {
        if (live.Value is not { } console) return false;
        console.WriteLine(line);
        return true;
    }

    /// <summary>
    /// One line per stage start and per 25% step, so logs show where time went without flooding. The last step is
    /// kept per stage: A's and B's stages run at once and interleave (remembering only the latest stage printed a
    /// line at every alternation, about 2,000 lines for one `sae`). A stage that falls back below its last step has
    /// started again (a rerun) and is shown again. Between quarters, a stage that has moved prints again once
    /// <see cref="Interval"/> has passed since its last line, with the time left at its pace so far: spec-align on a wide
    /// pair had shown "aligning: 0%" alone for two minutes (review 174), as if it had hung.
    /// <para>
    /// With <c>hold</c>, the lines of the run's first <c>hold</c> seconds are held back, then printed together (once that
    /// time has passed, or at <see cref="Release"/> when the work is done) or left out (<see cref="Drop"/>, when the run is
    /// refused): a refusal that needs the work done first had printed "distances and ranks: 100%" above its error line,
    /// which then was not the run's one line (review 174). A run refused later than that has a log worth keeping.
    /// </para>
    /// </summary>
    internal sealed class PlainProgress : IProgress<ProgressUpdate>, IDisposable
    {
        /// <summary>Seconds between a slow stage's lines: a few lines a minute, far fewer than the quarters of a fast run.</summary>
        internal const double Interval = 15;

        private readonly Lock gate = new();
        private readonly Dictionary<string, StageLine> stages = [];
        private readonly TextWriter output;
        private readonly Func<bool>? stopping;
        private readonly Func<double> now;
        /// <summary>Lines held back (null once released or dropped), and whether they were dropped.</summary>
        private List<string>? held;
        private bool dropped;
        /// <summary>Releases the held lines once the hold is over, though no stage reports then (a long first stage).</summary>
        private readonly Timer? releaser;

        /// <param name="output">Where the lines go.</param>
        /// <param name="stopping">Whether a signal is stopping the run (<see cref="Stopping"/> unless given).</param>
        /// <param name="seconds">Seconds on a monotonic clock (the process's stopwatch unless given).</param>
        /// <param name="hold">Seconds from now during which lines are held back; none by default.</param>
        public PlainProgress(TextWriter output, Func<bool>? stopping = null, Func<double>? seconds = null, double hold = 0)
        {
            (this.output, this.stopping, now) = (output, stopping, seconds ?? StopwatchSeconds());
            if (hold <= 0) return;
            held = [];
            releaser = new Timer(_ => Release(), null, TimeSpan.FromSeconds(hold), Timeout.InfiniteTimeSpan);
        }

        /// <summary>Prints the lines held back, and every later line as it comes.</summary>
        public void Release()
        {
            lock (gate)
            {
                releaser?.Dispose();
                if (held is null) return;
                var lines = held;
                held = null;
                if (!(stopping ?? Stopping)())
                    foreach (string line in lines) output.WriteLine(line);
            }
        }

        /// <summary>Leaves out the lines held back and every later line: the run was refused.</summary>
        public void Drop()
        {
            lock (gate)
            {
                releaser?.Dispose();
                (held, dropped) = (null, true);
            }
        }

        public void Dispose() => releaser?.Dispose();

        /// <summary>A line of the caller's own (embed's, with its rate), held, dropped and ended by a stop as the stage lines are.</summary>
        public void WriteLine(string line)
        {
            lock (gate)
            {
                if (!(stopping ?? Stopping)()) Print(line);
            }
        }

        private void Print(string line)
        {
            if (dropped) return;
            if (held is not null) held.Add(line);
            else output.WriteLine(line);
        }

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
                    Print(Terminal.Clean($"{value.Stage}: {percent}% (about {Remaining(left)} left)"));
                    return;
                }
                double started = known && q > last.Quarter ? last.StartedAt : t;
                stages[value.Stage] = new StageLine(q, percent, t, started);
                Print(Terminal.Clean($"{value.Stage}: {percent}%"));
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
