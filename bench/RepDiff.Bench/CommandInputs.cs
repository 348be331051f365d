using RepDiff.IO;

namespace RepDiff.Bench;

/// <summary>
/// Writes the benchmarks' inputs as .npy files, so the same data can be timed as a whole `repdiff` command
/// (process wall clock) beside the in-process benchmarks.
/// </summary>
public static class CommandInputs
{
    /// <summary>
    /// `write-pair KIND n DIR`: DIR/a.npy and DIR/b.npy. KIND rdx: the RDX benchmark's synthetic pair
    /// (d = 256, seed n); KIND spec: the SPEC benchmark's uniform random pair (d_A = 256, d_B = 384).
    /// </summary>
    [Bench("write-pair")]
    public static void WritePair(string[] args)
    {
        string kind = args[0];
        int n = int.Parse(args[1]);
        string dir = args[2];
        Directory.CreateDirectory(dir);
        var pair = kind switch
        {
            "rdx" => RdxBenchmarks.SyntheticPair(n, 256, seed: n),
            "spec" => new RepresentationPair(SpecBenchmarks.Random(n, 256, 1), SpecBenchmarks.Random(n, 384, 2)),
            _ => throw new ArgumentException($"unknown kind '{kind}' (rdx or spec)"),
        };
        Npy.Write(Path.Combine(dir, "a.npy"), pair.A);
        Npy.Write(Path.Combine(dir, "b.npy"), pair.B);
        Console.WriteLine($"wrote {dir}/a.npy ({pair.A.Rows}x{pair.A.Cols}) and {dir}/b.npy ({pair.B.Rows}x{pair.B.Cols})");
    }
}
