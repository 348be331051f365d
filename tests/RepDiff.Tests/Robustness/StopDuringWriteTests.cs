using System.CommandLine;
using System.Reflection;
using System.Runtime.Loader;

namespace RepDiff.Tests.Robustness;

/// <summary>
/// A stop (SIGINT, SIGTERM) that deletes the staging folder under a result file being written ends as the stop: exit 130
/// (143), no error line. The write failed with "error: --out …: cannot write results.json" and exit 2 (helper 227).
/// The stop is the real one the signal handler makes (<c>TemporaryPaths.TryStop</c>), in RepDiff's assemblies loaded
/// afresh in a context of their own: the stop refuses every later temporary path for good, which in the tests' shared
/// assemblies would fail the tests running beside this one.
/// </summary>
public sealed class StopDuringWriteTests : IDisposable
{
    private readonly string dir = TestData.TempDir();
    private readonly Isolated isolated = new();

    public void Dispose() => isolated.Unload();

    [Fact]
    public void AWriteWhoseFolderAStopDeletedEndsAsTheStop()
    {
        string outDir = Path.Combine(dir, "out");
        var (code, stderr) = isolated.Guard(() =>
        {
            using var folder = isolated.BeginOutput(outDir, "results.json");
            // The signal comes after the write has checked for a stop and before it opens its file.
            isolated.Write(folder, "results.json", path =>
            {
                isolated.Stop();
                File.WriteAllText(path, "{}");
            });
            return 0;
        });
        Assert.True(code == RepDiff.Cli.Cli.Interrupted, $"exit {code}: {stderr}");
        Assert.Empty(stderr); // the stop's own line goes to the process's stderr, as the handler's does
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
    }

    /// <summary>Whatever a body throws once the run is stopping (a refusal of files the stop removed, a bug's exception) is the stop.</summary>
    [Fact]
    public void AnyFailureOnceStoppingIsTheStop()
    {
        isolated.Stop();
        foreach (var failure in new Func<Exception>[]
        {
            () => isolated.InputError("--out x: cannot write results.json (Could not find a part of the path)"),
            () => isolated.OptionError("RffDim", "the file vanished"),
            () => new DirectoryNotFoundException("gone"),
            () => new UnauthorizedAccessException("denied"),
            () => new InvalidOperationException("a bug's"),
            () => new OperationCanceledException("the run is being stopped"),
        })
        {
            var (code, stderr) = isolated.Guard(() => throw failure());
            Assert.True(code == RepDiff.Cli.Cli.Interrupted, $"{failure().GetType().Name}: exit {code}: {stderr}");
            Assert.Empty(stderr);
        }
    }

    /// <summary>Without a stop, bad input is the one line and exit 2 it always was.</summary>
    [Fact]
    public void BadInputWithoutAStopIsUnchanged()
    {
        var (code, stderr) = isolated.Guard(() => throw isolated.InputError("--out x: cannot write results.json (disk full)"));
        Assert.Equal(2, code);
        Assert.Equal("error: --out x: cannot write results.json (disk full)", stderr.TrimEnd());
    }

    /// <summary>RepDiff's own assemblies loaded again, with static state (the stop) of their own; the framework's are shared.</summary>
    private sealed class Isolated() : AssemblyLoadContext(isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName name)
        {
            string path = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
            return name.Name is { } own && own.StartsWith("RepDiff", StringComparison.Ordinal) && own != "RepDiff.Tests" && File.Exists(path)
                ? LoadFromAssemblyPath(path) : null;
        }

        private Type TypeOf(string assembly, string type) => LoadFromAssemblyName(new AssemblyName(assembly)).GetType(type, throwOnError: true)!;

        private object? Call(Type type, string method, object? target, params object?[] args) =>
            type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)
                .Single(m => m.Name == method && m.GetParameters().Length == args.Length)
                .Invoke(target, BindingFlags.DoNotWrapExceptions, null, args, null); // thrown as the code threw it

        /// <summary>What the SIGINT handler does (ExitSignals.Stop) short of exiting the process.</summary>
        public void Stop() => Assert.True((bool)Call(TypeOf("RepDiff", "RepDiff.IO.TemporaryPaths"), "TryStop", null)!);

        public IDisposable BeginOutput(string outDir, params string[] files) =>
            (IDisposable)Call(TypeOf("RepDiff", "RepDiff.IO.OutputFolder"), "Begin", null, outDir, files)!;

        public void Write(IDisposable folder, string relative, Action<string> write) =>
            Call(folder.GetType(), "Write", folder, relative, write);

        public Exception InputError(string message) =>
            (Exception)Activator.CreateInstance(TypeOf("RepDiff", "RepDiff.RepDiffInputException"), message)!;

        public Exception OptionError(string property, string problem) =>
            (Exception)Activator.CreateInstance(TypeOf("RepDiff", "RepDiff.Options.InvalidOptionException"), property, problem)!;

        /// <summary>Cli.Guard around <paramref name="body"/>, run as a command (Cli.Run), its error lines kept.</summary>
        public (int Code, string Stderr) Guard(Func<int> body)
        {
            var cli = TypeOf("RepDiff.Cli", "RepDiff.Cli.Cli");
            var root = new RootCommand();
            root.SetAction(_ => (int)Call(cli, "Guard", null, body, null)!);
            var stderr = new StringWriter();
            int code = (int)Call(cli, "Run", null, root, Array.Empty<string>(), new StringWriter(), stderr)!;
            return (code, stderr.ToString());
        }
    }
}
