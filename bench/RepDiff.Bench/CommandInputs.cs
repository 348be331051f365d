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

    /// <summary>
    /// `write-npy n d PATH [seed]`: an n × d float32 .npy of uniform(−1, 1) values written in chunks (never whole in
    /// memory), for the streaming and compare commands at sizes the in-memory pairs above would not fit.
    /// </summary>
    [Bench("write-npy")]
    public static void WriteNpy(string[] args)
    {
        int n = int.Parse(args[0]), d = int.Parse(args[1]);
        int seed = args.Length > 3 ? int.Parse(args[3]) : 7;
        SpecBenchmarks.EnsureFile(args[2], n, d, seed);
        Console.WriteLine($"wrote {args[2]} ({n}x{d})");
    }
}
