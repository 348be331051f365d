using System.Diagnostics;
using System.Runtime.InteropServices;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Robustness;

/// <summary>
/// Runs writing beside one another: two runs into one --out end as if one had followed the other, and a staging folder is
/// removed by another run's cleanup only once the run that made it has ended, as the kernel tells (its lock file), not as
/// its process id suggests.
/// </summary>
public class ConcurrentOutputTests
{
    private readonly string dir = TestData.TempDir();

    /// <summary>How long pca's move into --out is held back: longer than a small run takes from start to commit.</summary>
    private const int HeldBackSeconds = 10;

    /// <summary>
    /// Two runs that both find --out missing and commit at the same moment (strace holds the first one's move into --out back
    /// at the system call, after it found --out missing, while the second commits): both exit 0 and --out is exactly the last
    /// one's complete folder. The second had failed after all its work: "cannot move the results into place (Directory not
    /// empty)", 24 of 30 such pairs (helper 111). Against a second run of this version (which waits for the first's commit)
    /// and against a folder moved in without waiting (an earlier version's run), which the first then replaces.
    /// </summary>
    [StraceFact]
    public async Task TwoRunsThatBothFindOutMissingEndWithTheLastOnesWholeFolder()
    {
        var (a, b, _) = SmallPair(dir);
        string earlier = Path.Combine(dir, "earlier");
        Assert.Equal(0, Run("kmeans", a, b, "--concepts", "2", "--out", earlier).Code);

        // A second run of this version: it waits for pca's commit, then replaces pca's folder.
        string outDir = Path.Combine(dir, "out");
        var pca = StartHeldBack(a, b, outDir);
        await WaitUntilCommitting(pca.Process, outDir);
        var rdx = Start("rdx", a, b, "--out", outDir);
        Assert.True(rdx.Process.WaitForExit(120_000) && pca.Process.WaitForExit(120_000), "a run did not end");
        Assert.True(pca.Process.ExitCode == 0, $"pca: exit {pca.Process.ExitCode}: {await pca.Stderr}");
        Assert.True(rdx.Process.ExitCode == 0, $"rdx: exit {rdx.Process.ExitCode}: {await rdx.Stderr}");
        AssertWholeRun(outDir, "rdx");

        // A folder moved into --out without waiting for pca's commit: pca's move finds it there and replaces it.
        string other = Path.Combine(dir, "other");
        pca = StartHeldBack(a, b, other);
        await WaitUntilCommitting(pca.Process, other);
        Directory.Move(earlier, other);
        Assert.True(pca.Process.WaitForExit(120_000), "pca did not end");
        Assert.True(pca.Process.ExitCode == 0, $"pca: exit {pca.Process.ExitCode}: {await pca.Stderr}");
        AssertWholeRun(other, "pca");
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>
    /// A run that found --out missing replaces a concurrent run's folder, committed while it worked: the files of that folder
    /// it does not write stay and are named, as when the folder was there from the start. kmeans is held back before its
    /// commit (at the move of maps.npy into its staging folder) while spec-align commits, itself held back at its move into
    /// --out, holding the commits' turn. The warning had been decided before kmeans's turn, from --out as it was then
    /// (missing): spec-align's w.npy and aligned_b.npy stayed beside kmeans's results without a word.
    /// </summary>
    [StraceFact]
    public async Task ReplacingAConcurrentRunsFolderNamesItsFilesThatStay()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        var kmeans = StartHeldBack("rename", 10, "kmeans", a, b, "--concepts", "2", "--out", outDir);
        string? kmeansStaging = null;
        await WaitFor(kmeans.Process, () => (kmeansStaging = Directory.EnumerateDirectories(dir, ".repdiff-staging.out.*")
            .FirstOrDefault(s => Directory.EnumerateFiles(s, ".maps.npy.*.tmp").Any())) is not null);
        // Each run's strace is stopped while the run is held at its system call, so that the order below does not hang on
        // how fast a run gets there: under load spec-align had taken longer than kmeans's 10 s to reach its commit.
        Started? specAlign = null;
        try
        {
            Signal(kmeans.Process, StopSignal);
            specAlign = StartHeldBack("renameat2", 15, "spec-align", a, b, "--out", outDir);
            await WaitFor(specAlign.Process, () => Directory.EnumerateDirectories(dir, ".repdiff-staging.out.*")
                .Any(s => s != kmeansStaging && File.Exists(Path.Combine(s, "maps.npy"))) && TurnTaken(dir));
            Signal(specAlign.Process, StopSignal);
            Assert.False(kmeans.Process.HasExited || Directory.Exists(outDir), "kmeans committed before spec-align");
            // kmeans goes on to its commit and waits there for the turn spec-align holds.
            Signal(kmeans.Process, ContinueSignal);
            await WaitFor(kmeans.Process, () => File.Exists(Path.Combine(kmeansStaging!, "maps.npy")));
        }
        finally
        {
            Signal(kmeans.Process, ContinueSignal);
            if (specAlign is not null) Signal(specAlign.Process, ContinueSignal);
        }
        Assert.True(kmeans.Process.WaitForExit(120_000) && specAlign.Process.WaitForExit(120_000), "a run did not end");
        Assert.True(specAlign.Process.ExitCode == 0, $"spec-align: exit {specAlign.Process.ExitCode}: {await specAlign.Stderr}");
        string stderr = await kmeans.Stderr;
        Assert.True(kmeans.Process.ExitCode == 0, $"kmeans: exit {kmeans.Process.ExitCode}: {stderr}");
        Assert.Contains("\"method\": \"kmeans\"", File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Equal(["aligned_b.npy", "maps.npy", "report.html", "results.json", "w.npy"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName).Order());
        Assert.Contains($"warning: --out {outDir} held results.json before this run; these files in it stay, as this run writes none of that name: aligned_b.npy, w.npy", stderr);
        // Both said "Wrote …": the later says whose results it replaced.
        Assert.Contains($"warning: --out {outDir}: another run wrote its results there while this one ran; this run's results replace them", stderr);
        Assert.DoesNotContain("another run wrote", await specAlign.Stderr);
    }

    /// <summary>A run under strace, held back for <paramref name="seconds"/> at the entry of its first <paramref name="call"/>.</summary>
    private static Started StartHeldBack(string call, int seconds, params string[] args) => StartHeldBack(call, 1, seconds, args);

    /// <summary>A run under strace, held back for <paramref name="seconds"/> at the entry of its <paramref name="nth"/> <paramref name="call"/>.</summary>
    private static Started StartHeldBack(string call, int nth, int seconds, string[] args) =>
        StartWith("strace", ["-f", "-qq", "--seccomp-bpf", "-o", "/dev/null", "-e", $"trace={call}", "-e", $"inject={call}:delay_enter={seconds * 1_000_000}:when={nth}",
            "dotnet", Path.Combine(AppContext.BaseDirectory, "RepDiff.Cli.dll"), .. args]);

    /// <summary>Waits until <paramref name="reached"/> holds, while the run goes on (at most two minutes).</summary>
    private static async Task WaitFor(Process run, Func<bool> reached)
    {
        var clock = Stopwatch.StartNew();
        while (!run.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2) && !reached()) await Task.Delay(5);
        Assert.False(run.HasExited, "the run ended before it got there");
    }

    /// <summary>--out holds exactly one run's three files, which agree on the method.</summary>
    private static void AssertWholeRun(string outDir, string method)
    {
        Assert.Equal(["maps.npy", "report.html", "results.json"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName).Order());
        Assert.Contains($"\"method\": \"{method}\"", File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Contains($"<title>RepDiff {method}:", File.ReadAllText(Path.Combine(outDir, "report.html")));
    }

    private sealed record Started(Process Process, Task<string> Stderr);

    private static Started Start(params string[] args) => StartWith("dotnet", [Path.Combine(AppContext.BaseDirectory, "RepDiff.Cli.dll"), .. args]);

    /// <summary>
    /// pca under strace, its move into --out held back at the system call's entry: the second rename (the first puts
    /// maps.npy in place inside the staging folder; an earlier version moves the folder with rename) or the first renameat2.
    /// </summary>
    private static Started StartHeldBack(string a, string b, string outDir)
    {
        string delay = $"delay_enter={HeldBackSeconds * 1_000_000}";
        return StartWith("strace", ["-f", "-qq", "--seccomp-bpf", "-o", "/dev/null", "-e", "trace=rename,renameat2",
            "-e", $"inject=rename:{delay}:when=2", "-e", $"inject=renameat2:{delay}",
            "dotnet", Path.Combine(AppContext.BaseDirectory, "RepDiff.Cli.dll"), "pca", a, b, "--out", outDir]);
    }

    private static Started StartWith(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        return new Started(process, process.StandardError.ReadToEndAsync());
    }

    /// <summary>
    /// Waits until the run's staging folder holds maps.npy, its last file: the commit follows at once and is then held back,
    /// having found --out missing; a moment more lets it get there on a loaded machine.
    /// </summary>
    private static async Task WaitUntilCommitting(Process run, string outDir)
    {
        string parent = Path.GetDirectoryName(outDir)!, name = Path.GetFileName(outDir);
        var clock = Stopwatch.StartNew();
        while (!run.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)
            && !Directory.EnumerateDirectories(parent, $".repdiff-staging.{name}.*").Any(s => File.Exists(Path.Combine(s, "maps.npy"))))
            await Task.Delay(5);
        Assert.False(run.HasExited, "the held-back run ended before its commit");
        await Task.Delay(1000);
        Assert.False(Directory.Exists(outDir), "--out was there before the held-back run committed");
    }

    /// <summary>A process id no Linux process has (ids stay below 2^22): another container's process, as seen from here.</summary>
    private const int ForeignPid = 99_999_999;

    /// <summary>
    /// A run in another container sharing the volume has a process id that looks dead here: its staging folder is left while
    /// its lock is held, and removed (with the lock file) once it is not. A killed run whose process id now belongs to a
    /// running process (here init's, 1) is removed too, as is a lock file whose folder is already gone. Cleanup had judged
    /// by the process id alone: the live run's folder was deleted, the recycled id's kept for ever (helper 111).
    /// </summary>
    [Fact]
    public void AStagingFolderIsRemovedOnlyOnceItsRunHasEnded()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        string foreign = Path.Combine(dir, $".repdiff-staging.out.{ForeignPid}.{Guid.NewGuid():N}");
        string recycled = Path.Combine(dir, $".repdiff-staging.out.1.{Guid.NewGuid():N}");
        string orphanLock = Path.Combine(dir, $".repdiff-staging.out.{ForeignPid}.{Guid.NewGuid():N}.lock");
        foreach (string staging in new[] { foreign, recycled })
        {
            Directory.CreateDirectory(staging);
            File.WriteAllText(Path.Combine(staging, ".repdiff-incomplete"), "");
            File.WriteAllText(Path.Combine(staging, "results.json"), "half");
        }
        File.WriteAllText(recycled + ".lock", "");
        File.WriteAllText(orphanLock, "");

        // The foreign run holds its lock (this process stands in for it): its folder stays through another run's cleanup.
        using (var live = FileLocks.OwnerLock.Create(foreign + ".lock"))
        {
            Assert.NotNull(live);
            Assert.Equal(0, Run("kmeans", a, b, "--concepts", "2", "--out", outDir).Code);
            Assert.Equal("half", File.ReadAllText(Path.Combine(foreign, "results.json")));
            Assert.True(File.Exists(foreign + ".lock"));
            Assert.False(Directory.Exists(recycled), "a dead run's folder stayed because its process id is in use");
            Assert.False(File.Exists(recycled + ".lock"));
            Assert.False(File.Exists(orphanLock));
        }

        // The foreign run has ended (its lock is free): the next run removes what it left.
        Assert.Equal(0, Run("kmeans", a, b, "--concepts", "2", "--out", outDir).Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
        Assert.Equal(["maps.npy", "report.html", "results.json"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName).Order());
    }

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int fd, int operation);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private const int StopSignal = 19, ContinueSignal = 18; // SIGSTOP, SIGCONT (Linux)

    /// <summary>Stops or continues a process (a run's strace, whose run then stays at its next traced call).</summary>
    private static void Signal(Process process, int signal)
    {
        if (!process.HasExited) Assert.True(Kill(process.Id, signal) == 0 || process.HasExited, $"signal {signal} to {process.Id} failed");
    }

    /// <summary>Whether another run holds the commits' turn of <paramref name="folder"/> (its lock, taken without waiting here).</summary>
    private static bool TurnTaken(string folder)
    {
        using var turn = FileLocks.LockFolder(folder, TimeSpan.Zero);
        return turn is null;
    }

    /// <summary>
    /// A temporary file of AtomicFile (evaluate's or export's output, a cached model file) is removed by another writer's
    /// cleanup only once its writer has ended, as its lock says: a live writer in another container (a process id unknown
    /// here, holding a shared lock on its file) keeps its file, and a killed writer's file goes though its id is now init's.
    /// They had been judged by the process id: the live writer's file was deleted under it, the dead one's kept for ever.
    /// </summary>
    [Fact]
    public void ATemporaryFileIsRemovedOnlyOnceItsWriterHasEnded()
    {
        string target = Path.Combine(dir, "results.json");
        var (live, dead, writer) = LiveAndDeadTemporaryFiles("results.json");
        using (writer)
        {
            AtomicFile.WriteAllText(target, "new");
            Assert.Equal("new", File.ReadAllText(target));
            Assert.True(File.Exists(live), "a live writer's temporary file was removed");
            Assert.False(File.Exists(dead), "a killed writer's temporary file stayed because its process id is in use");
        }

        // The writer has ended: the next write beside it removes its file.
        AtomicFile.WriteAllText(target, "newer");
        Assert.Equal("newer", File.ReadAllText(target));
        Assert.Equal(["results.json"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }

    /// <summary>
    /// Temporary files beside <paramref name="name"/> of two writers: a live one in another container (a process id unknown
    /// here) holding a shared lock on its file, as a writer does, until the returned stream is disposed; and a killed one
    /// whose process id is now init's.
    /// </summary>
    private (string Live, string Dead, FileStream LiveWriter) LiveAndDeadTemporaryFiles(string name)
    {
        string live = Path.Combine(dir, $".{name}.{ForeignPid}.{Guid.NewGuid():N}.tmp");
        string dead = Path.Combine(dir, $".{name}.1.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(dead, "half");
        var writer = new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        Assert.Equal(0, Flock((int)writer.SafeFileHandle.DangerousGetHandle(), 1 | 4)); // LOCK_SH | LOCK_NB
        writer.Write("half"u8);
        writer.Flush();
        return (live, dead, writer);
    }

    /// <summary>
    /// `embed`'s temporary file is claimed as AtomicFile's are: the next embedding written to that name removes a killed
    /// writer's file and keeps a live one's. Nothing had cleaned up after an embedding writer: a killed `embed` left its
    /// .e.npy.PID.GUID.tmp (the size of the embeddings so far) for ever.
    /// </summary>
    [Fact]
    public void AKilledEmbeddingWritersTemporaryFileIsRemovedByTheNextOne()
    {
        string output = Path.Combine(dir, "e.npy");
        var (live, dead, other) = LiveAndDeadTemporaryFiles("e.npy");
        using (other)
        {
            using (var writer = new RepDiff.Embedding.EmbeddingFileWriter(output))
            {
                writer.Append([1f, 2f, 3f, 4f], 2, 2);
                writer.Commit(["x", "y"], []);
            }
            Assert.True(File.Exists(live), "a live writer's temporary file was removed");
            Assert.False(File.Exists(dead), "a killed writer's temporary file stayed");
        }
        Assert.Equal(new float[] { 1, 2, 3, 4 }, Npy.ReadMatrix(output).Data);
        Assert.Equal("x\ny\n", File.ReadAllText(RepDiff.Embedding.EmbeddingFileWriter.IdsPath(output)));
    }

    /// <summary>
    /// Two `embed` runs into one --out: the second commits while strace holds the first between putting its ids in place and
    /// moving its embeddings there. The first's 3 rows had ended beside the second's 4 ids, each run saying it wrote both
    /// (helper h150); an embedding writer now puts its files in place in its folder's turn, which the second waits for, so the
    /// two files are always one run's (here the second's, which committed last).
    /// </summary>
    [StraceFact]
    public async Task TwoEmbedRunsIntoOneOutLeaveOneRunsEmbeddingsAndIds()
    {
        string vocab = RepDiff.Tests.Embedding.TinyOnnx.Vocab(dir, "the", "cat");
        string model = RepDiff.Tests.Embedding.TinyOnnx.TokenEcho(dir);
        string three = Path.Combine(dir, "three.txt"), four = Path.Combine(dir, "four.txt"), output = Path.Combine(dir, "out", "e.npy");
        File.WriteAllText(three, "the cat\ncat\nthe\n");
        File.WriteAllText(four, "the cat\ncat\nthe\nthe the\n");
        string[] Args(string texts) => ["embed", model, "--texts", texts, "--vocab", vocab, "--pooling", "cls", "--out", output];
        // A first run keeps the model's optimized graph, so that the held run's second rename is its embeddings' (its first: the ids).
        Assert.Equal(0, Run(Args(four)).Code);

        var first = StartHeldBack("rename", 2, 15, Args(three));
        string ids = RepDiff.Embedding.EmbeddingFileWriter.IdsPath(output);
        await WaitFor(first.Process, () => File.Exists(ids) && File.ReadAllLines(ids).Length == 3);
        var second = Start(Args(four));
        Assert.True(second.Process.WaitForExit(120_000) && first.Process.WaitForExit(120_000), "a run did not end");
        Assert.True(first.Process.ExitCode == 0, $"first: exit {first.Process.ExitCode}: {await first.Stderr}");
        Assert.True(second.Process.ExitCode == 0, $"second: exit {second.Process.ExitCode}: {await second.Stderr}");
        Assert.Equal(4, Npy.ReadMatrix(output).Rows);
        Assert.Equal(["1", "2", "3", "4"], File.ReadAllLines(ids));
    }

    /// <summary>
    /// Two runs begun into one --out, committed one after the other: the later commit knows the folder it replaces came after it
    /// began (another run's results, announced as written), where --out was missing and where it held an earlier folder; a
    /// commit into the folder it found does not. Both had replaced the other's results without a word. Interleaved in one
    /// process, so no timing decides the order.
    /// </summary>
    [Fact]
    public void ACommitKnowsWhenAnotherRunsFolderCameIntoOutSinceItBegan()
    {
        string outDir = Path.Combine(dir, "out");
        foreach (bool existed in new[] { false, true })
        {
            using var first = OutputFolder.Begin(outDir, "results.json");
            using (var second = OutputFolder.Begin(outDir, "results.json"))
            {
                second.WriteText("results.json", "second");
                Assert.False(second.Commit().CameSinceBegin);
            }
            first.WriteText("results.json", "first");
            var committed = first.Commit();
            Assert.True(committed.CameSinceBegin, existed ? "--out replaced since the run began" : "--out made since the run began");
            Assert.Equal(["results.json"], committed.Earlier);
            Assert.Equal("first", File.ReadAllText(Path.Combine(outDir, "results.json")));
        }
        // Nothing came between: the folder replaced is the one found at the start.
        using var alone = OutputFolder.Begin(outDir, "results.json");
        alone.WriteText("results.json", "alone");
        Assert.False(alone.Commit().CameSinceBegin);
    }

    /// <summary>
    /// A new folder at --out that holds no results is the user's, not another run's: `rm -rf out; mkdir out` during a run (and
    /// a `mkdir out` where there was none) had been reported as another run having written its results there. Once the new
    /// folder holds results, it is reported. In one process, no timing.
    /// </summary>
    [Fact]
    public void AFolderTheUserMadeAgainDuringARunIsNoOtherRunsResults()
    {
        string outDir = Path.Combine(dir, "out");
        foreach (bool existed in new[] { false, true })
        {
            if (existed) Directory.CreateDirectory(outDir);
            foreach (bool withResults in new[] { false, true })
            {
                using var run = OutputFolder.Begin(outDir, "results.json");
                // Made before the old one goes, so that the file system cannot give it the old folder's inode number.
                string made = Directory.CreateDirectory(Path.Combine(dir, "made")).FullName;
                if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
                Directory.Move(made, outDir);
                File.WriteAllText(Path.Combine(outDir, "notes.txt"), "the user's");
                if (withResults) File.WriteAllText(Path.Combine(outDir, "results.json"), "another run's");
                run.WriteText("results.json", "this run's");
                var committed = run.Commit();
                Assert.True(committed.CameSinceBegin == withResults, $"--out {(existed ? "made again" : "made")} {(withResults ? "with" : "without")} results during the run");
                Assert.Equal("this run's", File.ReadAllText(Path.Combine(outDir, "results.json")));
                Assert.Equal("the user's", File.ReadAllText(Path.Combine(outDir, "notes.txt")));
                Directory.Delete(outDir, recursive: true);
                if (existed) Directory.CreateDirectory(outDir);
            }
        }
    }

    /// <summary>
    /// While a run stages its output, its lock file is held, so another process finds it taken; once the run ends (here:
    /// its output folder disposed without a commit), the lock file is gone with the folder.
    /// </summary>
    [Fact]
    public void ARunHoldsItsStagingLockWhileItStages()
    {
        string outDir = Path.Combine(dir, "out");
        string lockFile;
        using (var folder = OutputFolder.Begin(outDir, "results.json"))
        {
            folder.WriteText("results.json", "new");
            lockFile = Assert.Single(Directory.GetFiles(dir, ".repdiff-staging.out.*.lock"));
            var (owner, taken) = FileLocks.OwnerLock.TryTake(lockFile);
            Assert.Equal(FileLocks.Owner.Running, owner);
            Assert.Null(taken);
            // Another run's cleanup beside it (with a process id that looks dead or not) leaves it.
            OutputFolder.CleanLeftovers(dir, "out");
            Assert.True(File.Exists(folder.PathOf("results.json")));
        }
        Assert.False(File.Exists(lockFile));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
        Assert.False(Directory.Exists(outDir));
    }
}

/// <summary>A fact that holds a run back at a system call with strace, skipped saying why where strace cannot trace.</summary>
public sealed class StraceFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> unavailable = new(Probe);

    public StraceFactAttribute()
    {
        if (unavailable.Value is { } why) Skip = why;
    }

    private static string? Probe()
    {
        try
        {
            using var strace = Process.Start(new ProcessStartInfo("strace") { ArgumentList = { "-f", "-qq", "--seccomp-bpf", "-o", "/dev/null", "-e", "trace=rename", "true" }, RedirectStandardError = true })!;
            strace.StandardError.ReadToEnd();
            strace.WaitForExit();
            return strace.ExitCode == 0 ? null : "strace cannot trace here (ptrace not allowed, or a strace without --seccomp-bpf)";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "no strace";
        }
    }
}
