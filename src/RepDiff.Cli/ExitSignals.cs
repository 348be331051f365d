using System.Runtime.InteropServices;
using RepDiff.IO;

namespace RepDiff.Cli;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM stop a run cleanly: temporary output is deleted (a move into place that
/// has begun finishes first), nothing new is put in place, and the process exits with 130 or 143. Once the
/// outputs are in place the run is complete and a stop is declined: it prints its summary and exits 0, so
/// 130 and 143 always mean "--out as it was".
/// Installed by the real process only; in-process callers (tests) keep the default handling.
/// </summary>
internal static class ExitSignals
{
    public static IDisposable Install()
    {
        var registrations = new[]
        {
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, Cli.Interrupted)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, Cli.Terminated)),
        };
        return new Registrations(registrations);
    }

    private static void Stop(PosixSignalContext context, int code)
    {
        context.Cancel = true;
        if (TemporaryPaths.TryStop()) Environment.Exit(code);
    }

    private sealed class Registrations(PosixSignalRegistration[] all) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in all) registration.Dispose();
        }
    }
}
