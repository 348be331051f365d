using System.Diagnostics;

namespace RepDiff;

/// <summary>Stage timings for results.json, one clock for a run's consecutive stages.</summary>
internal static class StopwatchLaps
{
    /// <summary>Seconds since the clock was started or last lapped; the clock restarts for the next stage.</summary>
    public static double Lap(this Stopwatch clock)
    {
        double seconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return seconds;
    }
}
