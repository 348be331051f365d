using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace RepDiff.Bench;

/// <summary>Marks a static method (string[] args) as a benchmark runnable by name.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BenchAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Runs named benchmarks and prints one JSON object per measurement.</summary>
public static class Harness
{
    /// <summary>Every [Bench] method in this assembly, by name: each area keeps its benchmarks in its own file.</summary>
    public static readonly Dictionary<string, MethodInfo> All = typeof(Harness).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
        .Where(m => m.GetCustomAttribute<BenchAttribute>() is not null)
        .ToDictionary(m => m.GetCustomAttribute<BenchAttribute>()!.Name, StringComparer.OrdinalIgnoreCase);

    public static int Run(string[] args)
    {
        if (args.Length == 0 || !All.TryGetValue(args[0], out var bench))
        {
            Console.Error.WriteLine($"usage: RepDiff.Bench NAME [args]; names: {string.Join(", ", All.Keys.Order())}");
            return 2;
        }
        RepDiff.IO.PageAdvice.AdviseManagedHeap();  // as the CLI does, so in-process figures run on the same pages
        try { bench.Invoke(null, [args[1..]]); }
        catch (TargetInvocationException e) when (e.InnerException is RepDiffInputException input)
        {
            Console.Error.WriteLine($"error: {input.Message}");
            return 2;
        }
        return 0;
    }

    /// <summary>
    /// A folder of the repository (the tests' fixtures), found as the tests find theirs: up from the current directory, then
    /// up from this binary, to the folder holding RepDiff.slnx. Counting `..` from the binary broke a build copied or
    /// published elsewhere with a DirectoryNotFoundException.
    /// </summary>
    public static string RepositoryFolder(string relative)
    {
        string[] starts = [Directory.GetCurrentDirectory(), Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)];
        foreach (string start in starts)
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "RepDiff.slnx")) && Path.Combine(dir.FullName, relative) is var folder && Directory.Exists(folder))
                    return folder;
        throw new RepDiffInputException($"{relative}: not found in a RepDiff repository (the folder holding RepDiff.slnx) above {starts[0]} or above {starts[1]}; "
            + "run the bench from inside the repository");
    }

    /// <summary>Times one run of work (after one warm-up unless skipped) and prints name, sizes, seconds and GFLOP/s.</summary>
    public static double Measure(string name, Dictionary<string, object> sizes, Action work, double flops = 0, bool warmUp = true)
    {
        if (warmUp) work();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        work();
        double seconds = sw.Elapsed.TotalSeconds;
        process.Refresh();
        // CPU seconds of the whole process: on a machine shared with other jobs the wall clock measures the share the
        // scheduler gave, while GFLOP per CPU-second (× cores) still compares kernels run in the same process.
        double cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var record = new Dictionary<string, object> { ["name"] = name, ["sizes"] = sizes, ["seconds"] = seconds, ["cpu_seconds"] = cpuSeconds };
        if (flops > 0)
        {
            record["gflops"] = flops / seconds / 1e9;
            record["gflops_per_cpu_second"] = flops / cpuSeconds / 1e9;
        }
        record["peak_working_set_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
        Console.WriteLine(JsonSerializer.Serialize(record));
        return seconds;
    }
}
