using System.Runtime.InteropServices;
using RepDiff.IO;
using RepDiff.Methods;

namespace RepDiff.Tests.Robustness;

/// <summary>Runs the `repdiff` command in-process and makes the inputs the hostile-input tests need.</summary>
public static class CliHarness
{
    public sealed record Outcome(int Code, string Stdout, string Stderr)
    {
        public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.EndsWith('%')).ToArray();

        /// <summary>Exit code 2 with exactly one line on stderr that contains <paramref name="names"/>.</summary>
        public void AssertBadInput(string names)
        {
            var lines = ErrorLines.Where(l => !l.StartsWith("warning:")).ToArray();
            Assert.True(Code == 2, $"exit code {Code}, stderr: {Stderr}");
            Assert.Single(lines);
            Assert.StartsWith("error: ", lines[0]);
            Assert.Contains(names, lines[0]);
        }
    }

    public static Outcome Run(params string[] args) => Run(MethodRegistry.Default, args);

    /// <summary>The command with another method registry (a method that exists only in the tests).</summary>
    public static Outcome Run(MethodRegistry registry, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = RepDiff.Cli.Cli.Run(RepDiff.Cli.Cli.BuildRoot(registry), args, stdout, stderr);
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// The first <paramref name="rows"/> rows of the planted fixture pair (real outputs of the authors' setup),
    /// written to dir as a.npy and b.npy with their group labels as labels.txt: small enough for a CLI run in a second.
    /// </summary>
    public static (string A, string B, string Labels) SmallPair(string dir, int rows = 60)
    {
        var a = TestData.LoadFixture("planted_a.npy");
        var b = TestData.LoadFixture("planted_b.npy");
        var groups = TestData.LoadFixture("planted_groups.npy");
        var pick = Enumerable.Range(0, rows).Select(i => i * (a.Rows / rows)).ToArray();
        string pa = Path.Combine(dir, "a.npy"), pb = Path.Combine(dir, "b.npy"), labels = Path.Combine(dir, "labels.txt");
        Npy.Write(pa, a.SelectRows(pick));
        Npy.Write(pb, b.SelectRows(pick));
        File.WriteAllLines(labels, pick.Select(i => ((int)groups.Data[i]).ToString()));
        return (pa, pb, labels);
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MkFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    /// <summary>A named pipe at path: opening it for reading blocks until a writer comes, which none will.</summary>
    public static string Fifo(string path)
    {
        Assert.Equal(0, MkFifo(path, Convert.ToUInt32("644", 8)));
        return path;
    }

    /// <summary>A symbolic link at path to a device such as /dev/zero (endless) or /dev/urandom.</summary>
    public static string LinkTo(string path, string target)
    {
        File.CreateSymbolicLink(path, target);
        return path;
    }
}
