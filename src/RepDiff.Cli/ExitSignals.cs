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
    /// <summary>
    /// The handlers, held to the end of the process and never released: released as Main returned, a SIGTERM in the last
    /// instant took the runtime's default and ended a completed run 143 (a SIGINT 130), its results in place (CI, session 61).
    /// </summary>
    private static PosixSignalRegistration[]? registrations;

    public static void Install() => registrations ??=
    [
        PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, Cli.Interrupted)),
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, Cli.Terminated)),
    ];

    private static volatile int stopCode = Cli.Interrupted;

    /// <summary>
    /// The exit code of the signal that is stopping the run. The main thread, seeing the stop, returns it too: it had returned
    /// 130 whatever the signal, and when its return beat the handler's exit a SIGTERM ended with 130 (CI, session 32).
    /// </summary>
    public static int StopCode => stopCode;

    private static void Stop(PosixSignalContext context, int code)
    {
        context.Cancel = true;
        stopCode = code; // before TryStop, which lets the main thread see the stop
        if (!TemporaryPaths.TryStop()) return;
        SayStopped();
        ExitNow(code);
    }

    /// <summary>
    /// Ends the stopped process at once, without the native libraries' exit handlers: Environment.Exit (like Main's return)
    /// runs ONNX Runtime's static destructors while another thread may still be inside an inference or a session's creation,
    /// and a stopped compare --model-a/-b ended with SIGSEGV in libonnxruntime.so (exit 139, the lead's CI run of session
    /// 58). Nothing is left to write: the stop has deleted the run's temporary paths and refuses new ones.
    /// </summary>
    public static void ExitNow(int code)
    {
        try
        {
            Console.Out.Flush();
            Console.Error.Flush();
        }
        catch (IOException) { } // a full or closed stream: the exit code still says the run stopped
        ExitImmediately(code);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitImmediately(int status);

    private static int said;

    /// <summary>
    /// One line saying the run was stopped and left its output as it was: a log of a stopped run had ended on its last
    /// progress line ("feature covariance: 32%"), as if cut off (helper 139). Said once, by the handler or by the main
    /// thread, whichever comes first: either may end the process.
    /// </summary>
    public static void SayStopped()
    {
        if (Interlocked.Exchange(ref said, 1) != 0) return;
        string signal = stopCode == Cli.Terminated ? "SIGTERM" : "SIGINT";
        Console.Error.WriteLine($"stopped by {signal}: the run's temporary files are removed and its output is as it was before the run");
    }
}
