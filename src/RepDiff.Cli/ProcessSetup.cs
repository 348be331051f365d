using System.Globalization;
using System.Runtime.InteropServices;

namespace RepDiff.Cli;

/// <summary>
/// What the real process sets and checks before it runs a command line (in-process callers, the tests, keep their own):
/// the invariant culture, standard streams that are the caller's, and room to open files.
/// </summary>
internal static class ProcessSetup
{
    /// <summary>
    /// Open files a run needs at least: the runtime keeps each loaded assembly open, and `compare --model-a/-b` peaks at about
    /// 105 (it fails below 112; the demo peaks at 94, compare on two .npy files at 88, kmeans at 80). Under `ulimit -n 64` every
    /// command had died part-way: an assembly that could not load, then the error line itself (SIGABRT and .NET's
    /// unhandled-exception dump), or "internal error: TaskSchedulerException" at 80 (helper 99). 160 had refused, at 150, runs
    /// that all fit (helper 100).
    /// </summary>
    internal const int MinOpenFiles = 128;

    /// <summary>
    /// A command line that only prints (help, the version, `info`): about 50 open files, so it runs under any limit the runtime
    /// starts under. `repdiff --version` and `repdiff info`, what one types to see what is wrong, had been refused below 160.
    /// </summary>
    internal static bool OnlyPrints(string[] args) =>
        args.Length == 0 || args[0] == "info" || args.Any(arg => arg is "--help" or "-h" or "-?" or "--version");

    public static int Run(string[] args)
    {
        // 0.5, never 0,5, on the terminal and in the report: the build asks for invariant globalization, but
        // DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=0 (set in some .NET container images) overrides it, and LC_ALL=de_DE.UTF-8
        // then printed "linear_cka 0,934" and "total 1,1 s" (helper 99).
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        // A closed stderr (2>&-) has nowhere to report to: its lines are dropped. Written to, it had ended the run at its first
        // progress line with SIGABRT; with stdin or stdout closed too, the runtime's own pipe sits on descriptor 2 and took them.
        if (!Writable(2)) Console.SetError(TextWriter.Null);
        AsciiOnTerminalsWithoutUtf8();
        BoundMallocArenas();
        RepDiff.IO.PageAdvice.AdviseManagedHeap();  // 2 MB pages: a fifth of a run's CPU had gone to page faults
        string? problem = !Writable(1)
            ? "standard output is closed (or not open for writing); send it to /dev/null (> /dev/null) to discard what the command prints"
            : !OnlyPrints(args) && OpenFiles() is { } limit && limit < MinOpenFiles
                ? $"at most {limit} files may be open at once (ulimit -n), and a run opens up to about 110 (its libraries, inputs and outputs); raise the limit (ulimit -n 1024)"
                : null;
        if (problem is null) return Cli.Run(Cli.BuildRoot(), args);
        Console.Error.WriteLine($"error: {problem}");
        return Cli.BadInput;
    }

    /// <summary>
    /// Under a locale that names no UTF-8 (LANG=C, none set), a terminal stream gets ASCII for the tool's symbols, tables
    /// ASCII borders and the progress bar ASCII bars (<see cref="Terminal.AsciiOnly"/>); a stream that is a file or a pipe
    /// keeps UTF-8.
    /// </summary>
    private static void AsciiOnTerminalsWithoutUtf8()
    {
        if (Terminal.Utf8Locale(Environment.GetEnvironmentVariable)) return;
        if (!Console.IsOutputRedirected)
        {
            Console.SetOut(Terminal.AsciiWriter(Console.Out));
            Terminal.AsciiOnly = true;
            Spectre.Console.AnsiConsole.Profile.Capabilities.Unicode = false;  // the progress bar's own glyphs
        }
        if (!Console.IsErrorRedirected) Console.SetError(Terminal.AsciiWriter(Console.Error));
    }

    /// <summary>
    /// Whether descriptor <paramref name="fd"/> is a stream the caller gave this process, open for writing. A closed 0, 1 or 2
    /// is the lowest free descriptor, so the runtime's first pipe or file takes it: those are close-on-exec, which no
    /// descriptor inherited across exec can be.
    /// </summary>
    internal static bool Writable(int fd)
    {
        if (!OperatingSystem.IsLinux()) return true;
        int flags = Fcntl(fd, GetDescriptorFlags);
        return flags >= 0 && (flags & CloseOnExec) == 0 && (Fcntl(fd, GetStatusFlags) & AccessMode) != ReadOnly;
    }

    /// <summary>
    /// Under a limit on address space (ulimit -v, a grid engine's h_vmem), glibc's malloc reserves 64 MB for each thread's own
    /// arena, and the runtime's reservations take the rest: `spec` on 2,000 × 256 under ulimit -v 2500000 ended in the runtime's
    /// "Out of memory." and SIGABRT during the UMAP layout, with a few MB of data (helper 99). Two arenas serve every thread.
    /// Set here, the bound came after the runtime's own threads had made six arenas (384 MB), and the run still died on
    /// machines of 8 cores or more, whose thread pool holds more threads (DOTNET_PROCESSOR_COUNT=64: every try; helper 102):
    /// so the process starts itself again with MALLOC_ARENA_MAX=2, which glibc reads before any thread exists. Returns only
    /// when that cannot be done (then the bound applies to the arenas still to come).
    /// </summary>
    private static void BoundMallocArenas()
    {
        if (!RepDiff.IO.MemoryBudget.AddressSpaceIsLimited()) return;
        if (Environment.GetEnvironmentVariable(ArenaMaxVariable) is null)
        {
            string[]? arguments = null;
            try { arguments = File.ReadAllText("/proc/self/cmdline").Split('\0')[..^1]; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            // The same program, arguments and descriptors; the variable set first, so the new start does not come here again.
            if (arguments is { Length: > 0 } && SetEnvironment(ArenaMaxVariable, "2", overwrite: 1) == 0)
                Execute("/proc/self/exe", [.. arguments, null]);
        }
        SetMallocOption(ArenaMax, 2);
    }

    private const string ArenaMaxVariable = "MALLOC_ARENA_MAX";

    /// <summary>The soft limit on open files (the runtime has raised it to the hard one); null where unknown or unlimited.</summary>
    private static long? OpenFiles()
    {
        if (!OperatingSystem.IsLinux() || GetLimit(OpenFilesResource, out var limit) != 0) return null;
        return limit.Current > int.MaxValue ? null : (long)limit.Current;
    }

    private const int GetDescriptorFlags = 1, GetStatusFlags = 3, CloseOnExec = 1, AccessMode = 3, ReadOnly = 0, OpenFilesResource = 7,
        ArenaMax = -8;

    [StructLayout(LayoutKind.Sequential)]
    private struct Limit
    {
        public ulong Current, Maximum;
    }

    [DllImport("libc", EntryPoint = "fcntl")]
    private static extern int Fcntl(int fd, int command);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int SetMallocOption(int option, int value);

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnvironment([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    /// <summary>execv: returns only when it failed. (LPStr is UTF-8 on Linux; LPUTF8Str is refused inside an array.)</summary>
    [DllImport("libc", EntryPoint = "execv")]
    private static extern int Execute([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] arguments);

    [DllImport("libc", EntryPoint = "getrlimit")]
    private static extern int GetLimit(int resource, out Limit limit);
}
