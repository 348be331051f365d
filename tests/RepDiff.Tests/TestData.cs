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

    /// <summary>A fresh empty directory under the system temp folder.</summary>
    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "repdiff-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
