using System.Text.Json.Nodes;
using RepDiff.IO;

namespace RepDiff.Tests;

/// <summary>Where the test data lives: the fixtures with the authors' reference outputs, and small golden files.</summary>
public static class TestData
{
    public static string Fixtures { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string Fixture(string name) => Path.Combine(Fixtures, name);

    public static Matrix LoadFixture(string name) => Npy.ReadMatrix(Fixture(name));

    private static readonly Lazy<JsonObject> reference = new(() =>
        JsonNode.Parse(File.ReadAllText(Fixture("reference_outputs.json")))!.AsObject());

    /// <summary>reference_outputs.json: what the authors' code produced on the fixtures.</summary>
    public static JsonObject Reference => reference.Value;

    public static double[] Doubles(JsonNode node) => node.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    public static int[] Ints(JsonNode node) => node.AsArray().Select(v => v!.GetValue<int>()).ToArray();

    /// <summary>The repository root (where RepDiff.slnx is).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RepDiff.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("RepDiff.slnx not found above the test binaries");
    }

    /// <summary>Writes a matrix to a fresh temporary .npy file and returns its path (options take files, e.g. frequencies).</summary>
    public static string SaveTemp(Matrix m, string name = "matrix.npy")
    {
        string path = Path.Combine(TempDir(), name);
        Npy.Write(path, m);
        return path;
    }

    /// <summary>Writes labels, one per line, to a fresh temporary text file and returns its path.</summary>
    public static string SaveLabels(int[] labels)
    {
        string path = Path.Combine(TempDir(), "labels.txt");
        File.WriteAllLines(path, labels.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return path;
    }

    /// <summary>A fresh empty directory under this test run's folder, which goes when the run ends.</summary>
    public static string TempDir()
    {
        string dir = Path.Combine(RunFolder.Value, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    // Each run's folders lie under one folder named for its process, removed when the run ends (TestRunCleanup); a run that
    // was killed leaves its folder to the next run, which removes the folders of processes no longer alive. Nothing removed
    // them before: 24 GB in 61,000 folders under /tmp/repdiff-tests on a developer's machine.
    private static readonly Lazy<string> RunFolder = new(() =>
    {
        string parent = Path.Combine(Path.GetTempPath(), "repdiff-tests");
        Directory.CreateDirectory(parent);
        foreach (var left in new DirectoryInfo(parent).EnumerateDirectories())
            if (LeftBehind(left)) TryDelete(left.FullName);
        string run = Path.Combine(parent, $"run-{Environment.ProcessId}");
        TryDelete(run);
        Directory.CreateDirectory(run);
        return run;
    });

    /// <summary>
    /// Removes this run's folder, once every test has run, in a process of its own: the runner ends the test host a moment
    /// after the last test, which cut a removal in this process short.
    /// </summary>
    internal static void RemoveRunFolder()
    {
        if (!RunFolder.IsValueCreated) return;
        try
        {
            using var _ = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("rm") { ArgumentList = { "-rf", "--", RunFolder.Value } });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No rm here: the next run removes the folder.
        }
    }

    /// <summary>A run folder whose process is gone, or a folder an older suite wrote directly under the parent over a day ago.</summary>
    private static bool LeftBehind(DirectoryInfo folder)
    {
        if (!folder.Name.StartsWith("run-", StringComparison.Ordinal)) return folder.LastWriteTimeUtc < DateTime.UtcNow.AddDays(-1);
        if (!int.TryParse(folder.Name.AsSpan(4), out int pid)) return false;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A mount a test left, or a file a stopped child still holds: the next run tries again.
        }
    }
}
