using System.Diagnostics;
using System.Runtime.InteropServices;
using RepDiff.IO;
using RepDiff.Tests.Embedding;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Robustness;

/// <summary>
/// A run's outputs appear together or not at all: path problems are one line before any work, a failed
/// or stopped run leaves --out as it was, and what killed runs leave behind is cleaned by the next run.
/// </summary>
public class OutputFolderTests
{
    private readonly string dir = TestData.TempDir();

    [Fact]
    public void OutputPathProblemsAreOneLine()
    {
        var (a, b, _) = SmallPair(dir);
        string file = Path.Combine(dir, "a-file");
        File.WriteAllText(file, "x");
        string reportIsFolder = Path.Combine(dir, "taken");
        Directory.CreateDirectory(Path.Combine(reportIsFolder, "report.html"));
        foreach (var (outDir, expected) in new[]
        {
            (file, "is a regular file, not a folder"),
            ("/dev/null", "is a character device, not a folder"),
            ("", "--out is empty"),
            (Path.Combine(file, "sub"), "is a regular file, not a folder"),
            (reportIsFolder, "report.html is a directory"),
            // A folder that takes no new files (as a read-only mount): refused before the run, not after it.
            ("/proc/repdiff-out", "cannot write in /proc"),
            ("/proc/repdiff-missing/out", "cannot write in /proc"),
        })
        {
            var outcome = Run("kmeans", a, b, "--out", outDir);
            outcome.AssertBadInput(expected);
            Assert.DoesNotContain("%", outcome.Stderr); // refused before any work
        }
        Assert.Equal("x", File.ReadAllText(file));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-staging*"));
    }

    /// <summary>
    /// --out as a symbolic link is the folder it leads to. The swap had renamed the link away: --out became a folder of
    /// its own, with the target's files moved into it and the target left empty; a dangling link or a loop failed only
    /// after the whole run.
    /// </summary>
    [Fact]
    public void AnOutputFolderGivenAsALinkIsWrittenWhereItLeads()
    {
        var (a, b, _) = SmallPair(dir);
        string real = Path.Combine(dir, "real"), link = Path.Combine(dir, "link"), chain = Path.Combine(dir, "chain");
        Directory.CreateDirectory(real);
        File.WriteAllText(Path.Combine(real, "notes.txt"), "mine");
        File.CreateSymbolicLink(link, "real");
        File.CreateSymbolicLink(chain, link);
        Assert.Equal(0, Run("kmeans", a, b, "--concepts", "2", "--out", chain).Code);
        Assert.Equal(link, new FileInfo(chain).LinkTarget);
        Assert.Equal("real", new FileInfo(link).LinkTarget);
        Assert.Equal(["maps.npy", "notes.txt", "report.html", "results.json"], Directory.GetFiles(real).Select(Path.GetFileName).Order());

        File.CreateSymbolicLink(Path.Combine(dir, "dangling"), "/nonexistent/folder");
        File.CreateSymbolicLink(Path.Combine(dir, "loop-a"), "loop-b");
        File.CreateSymbolicLink(Path.Combine(dir, "loop-b"), "loop-a");
        foreach (var (outDir, expected) in new[]
        {
            ("dangling", "is a symbolic link to /nonexistent/folder, which does not exist"),
            ("loop-a", "is a symbolic link that leads back to itself"),
        })
        {
            var outcome = Run("kmeans", a, b, "--out", Path.Combine(dir, outDir));
            outcome.AssertBadInput(expected);
            Assert.DoesNotContain("%", outcome.Stderr); // refused before any work
        }
    }

    /// <summary>A small pair and the results.json of a kmeans run on it, for evaluate and export to read.</summary>
    private (string A, string B, string Results) KmeansResults()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Assert.Equal(0, Run("kmeans", a, b, "--concepts", "2", "--out", outDir).Code);
        return (a, b, Path.Combine(outDir, "results.json"));
    }

    [Fact]
    public void OutputFilesInAFolderThatTakesNoNewFilesAreRefusedBeforeTheWork()
    {
        var (a, b, results) = KmeansResults();
        Run("export", results, "--out", "/proc/members.csv").AssertBadInput("cannot write in /proc");
        var evaluate = Run("evaluate", results, a, b, "--out", "/proc/scored.json");
        evaluate.AssertBadInput("cannot write in /proc");
        Assert.DoesNotContain("%", evaluate.Stderr); // refused before any scoring
    }

    /// <summary>
    /// evaluate's and export's --out is a file: like every command's output, it is written into folders made for it when they
    /// are missing. A path ending in '/' names a folder, not a file: it had been made (and left behind, empty) before the write
    /// failed with "cannot be written (Could not find a part of the path …)".
    /// </summary>
    [Fact]
    public void AnOutputFileMayGoIntoNewFoldersButNotBeAFolder()
    {
        var (a, b, results) = KmeansResults();
        string scored = Path.Combine(dir, "new", "deeper", "scored.json"), members = Path.Combine(dir, "other", "members.csv");
        Assert.Equal(0, Run("evaluate", results, a, b, "--out", scored).Code);
        Assert.True(File.Exists(scored));
        Assert.Equal(0, Run("export", results, "--out", members).Code);
        Assert.True(File.Exists(members));
        foreach (string folder in new[] { "scores", Path.Combine("missing", "scores") })
        {
            string named = Path.Combine(dir, folder) + Path.DirectorySeparatorChar;
            var evaluate = Run("evaluate", results, a, b, "--out", named);
            evaluate.AssertBadInput($"--out {named}: ends in '/', so it names a folder; --out is the file to write");
            Assert.DoesNotContain("%", evaluate.Stderr); // refused before any scoring
            Run("export", results, "--out", named).AssertBadInput($"--out {named}: ends in '/'");
            Assert.False(Path.Exists(Path.Combine(dir, folder.Split(Path.DirectorySeparatorChar)[0])));
        }
    }

    [Fact]
    public void ARunReplacesItsOwnOutputsAndKeepsTheUsersFiles()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "mine");
        File.WriteAllText(Path.Combine(outDir, "results.json"), "old");
        File.WriteAllText(Path.Combine(outDir, "w.npy"), "an earlier spec-align's");
        var run = Run("kmeans", a, b, "--concepts", "2", "--out", outDir);
        Assert.Equal(0, run.Code);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(outDir, "notes.txt")));
        // Kept, and said: a script reading w.npy beside these results would take it for this run's (helper 86).
        Assert.Contains($"warning: --out {outDir} held results.json before this run; these files in it stay, as this run writes none of that name: notes.txt, w.npy", run.Stderr);
        // The results.json replaced was the user's ("old"), and notes.txt too: neither is called an earlier run's (review 180).
        Assert.DoesNotContain("earlier run's results", run.Stderr);
        Assert.Contains("\"method\": \"kmeans\"", File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.True(File.Exists(Path.Combine(outDir, "report.html")));
        Assert.Equal(["maps.npy", "notes.txt", "report.html", "results.json", "w.npy"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName).Order());
        // metrics, which writes only results.json, says the same of the report and maps it leaves (helper 89).
        Assert.Contains("these files in it stay, as this run writes none of that name: maps.npy, notes.txt, report.html, w.npy", Run("metrics", a, b, "--out", outDir).Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>
    /// --out keeps its permissions: the swap had put a folder of the default mode in its place, so a private folder (700)
    /// became readable by every user (755) after the first run into it (helper 91).
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void AFolderKeepsItsPermissions()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "private");
        Directory.CreateDirectory(outDir);
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        File.SetUnixFileMode(outDir, mode);
        Assert.Equal(0, Run("kmeans", a, b, "--concepts", "2", "--out", outDir).Code);
        Assert.Equal(mode, File.GetUnixFileMode(outDir));
        File.SetUnixFileMode(outDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Equal(0, Run("metrics", a, b, "--out", outDir).Code);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(outDir));
    }

    /// <summary>
    /// Root writing into a user's folder keeps it the user's, with its group and set-group-id bit: the swap had put a folder
    /// of root's in its place, where the user could no longer write (helper 91). (Another user's folder, run by a user who is
    /// not root, is refused before the work: not testable as root.)
    /// </summary>
    [RootFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void AUsersFolderStaysTheUsersWhenRootWritesInIt()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Directory.CreateDirectory(Path.Combine(dir, "users")).FullName;
        using (var chown = Process.Start("chown", ["65534:65534", outDir])) chown.WaitForExit();
        var mode = UnixFileMode.SetGroup | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;
        File.SetUnixFileMode(outDir, mode);
        Assert.Equal((65534u, 65534u), FileKind.Owner(outDir));
        Assert.Equal(0, Run("kmeans", a, b, "--concepts", "2", "--out", outDir).Code);
        Assert.Equal((65534u, 65534u), FileKind.Owner(outDir));
        Assert.Equal(mode, File.GetUnixFileMode(outDir));
    }

    /// <summary>
    /// --out as the current folder, or one above it, is refused before the work: the swap replaced the folder under the shell
    /// that started the run, which was left in a deleted folder (`ls` empty, the inputs not found; helper 91). A child process,
    /// so that the test host's own folder is never at stake.
    /// </summary>
    [Fact]
    public void TheCurrentFolderIsRefusedAsOut()
    {
        string work = Directory.CreateDirectory(Path.Combine(dir, "work", "inner")).FullName;
        var (a, b, _) = SmallPair(work);
        foreach (var (outDir, expected) in new[] { (".", "--out .: is the current folder;"), ("..", $"--out ..: holds the current folder ({work});") })
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = work };
            foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "RepDiff.Cli.dll"), "metrics", a, b, "--out", outDir }) start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(2, process.ExitCode);
            Assert.StartsWith($"error: {expected}", stderr);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.True(File.Exists(Path.Combine(work, Path.GetFileName(a))), "the inputs are where they were");
            Assert.False(File.Exists(Path.Combine(work, "results.json")));
        }
    }

    /// <summary>
    /// A ~ the shell left unexpanded (quoted, or --out=~/res) is refused before the work, or named in "file not found": the run
    /// had written ./~/res and said "Wrote ~/res/results.json", which reads as the home folder (helper 93).
    /// </summary>
    [Fact]
    public void AnUnexpandedTildeIsNamed()
    {
        Assert.False(Directory.Exists("~"), "the test host's folder holds a folder named ~");
        var (a, b, _) = SmallPair(dir);
        Run("metrics", a, b, "--out", "~/repdiff-results").AssertBadInput("--out ~/repdiff-results: begins with ~, which the shell expands only unquoted and not after '='; write the folder from $HOME (--out $HOME/repdiff-results), or ./~/repdiff-results for a folder named ~");
        Assert.False(Directory.Exists("~"));
        Run("evaluate", Path.Combine(dir, "none.json"), a, b, "--out", "~/scores.json").AssertBadInput("--out ~/scores.json: begins with ~");
        Run("metrics", "~/a.npy", b, "--out", Path.Combine(dir, "out")).AssertBadInput("~/a.npy: file not found (the shell expands a leading ~ only unquoted and not after '=': give the path from $HOME)");
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    /// <summary>A write that fails part-way (a full disk, here a failing side file) changes nothing in --out.</summary>
    [Fact]
    public void AFailedWriteLeavesTheFolderAsItWas()
    {
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "results.json"), "old results");
        File.WriteAllText(Path.Combine(outDir, "report.html"), "old report");
        var error = Assert.Throws<RepDiffInputException>(() =>
        {
            using var folder = OutputFolder.Begin(outDir, "results.json", "report.html");
            folder.WriteText("results.json", "new results");
            folder.Write("omega.npy", path =>
            {
                // The kernel's own "No space left on device": /dev/full accepts opening and fails every write.
                using var full = new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
                full.Write(new byte[1 << 16]);
                full.Flush();
            });
            folder.Commit();
        });
        Assert.Contains("omega.npy", error.Message);
        Assert.Equal("old results", File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Equal("old report", File.ReadAllText(Path.Combine(outDir, "report.html")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>
    /// A run whose staging folder cannot be made beside --out leaves none of the folders it created above --out. Here a tmpfs
    /// has inodes for its root and the two new folders only (nr_inodes=3), a failure no permission can lift, root's included:
    /// the run had said "cannot write in …/new1/new2" and left new1/new2 behind.
    /// </summary>
    [TmpfsFact]
    public void ABeginThatFailsLeavesNoFolderItCreated()
    {
        var (a, b, _) = SmallPair(dir);
        string at = MountTmpfs("inodes", "1m,nr_inodes=3");
        try
        {
            string parent = Path.Combine(at, "new1", "new2"), outDir = Path.Combine(parent, "out");
            // Begin's words, once it has made new1/new2 (the check before it writes a probe in the tmpfs's root, and removes it).
            Run("kmeans", a, b, "--concepts", "2", "--out", outDir).AssertBadInput($"--out {outDir}: cannot write in {parent} (");
            Assert.Empty(Directory.EnumerateFileSystemEntries(at));
        }
        finally
        {
            Unmount(at);
        }
    }

    /// <summary>
    /// An output name the file system takes, but not with the staging folder's (or a temporary file's) prefix and suffix
    /// around it, is refused before any work, in one line that says how long a name may be: it had failed only at the end,
    /// after the whole run, naming the hidden lock file ("The path '…/.repdiff-staging.ooo….lock' is too long"). The longest
    /// name allowed runs.
    /// </summary>
    [Fact]
    public void ANameTooLongToStageBesideItIsRefusedBeforeTheRun()
    {
        var (a, b, _) = SmallPair(dir);
        string tooLong = Path.Combine(dir, "new1", new string('o', 190));
        Run("kmeans", a, b, "--concepts", "2", "--out", tooLong)
            .AssertBadInput($"--out {tooLong}: its name is 190 bytes long, and the run first writes it under a name 66 bytes longer, beyond the 255 bytes a file name may have; give a name of at most 189 bytes");
        Assert.False(Path.Exists(Path.Combine(dir, "new1")));
        string longest = Path.Combine(dir, "new1", new string('o', 189));
        var ran = Run("kmeans", a, b, "--concepts", "2", "--out", longest);
        Assert.True(ran.Code == 0, ran.Stderr);
        Assert.True(File.Exists(Path.Combine(longest, "results.json")));
        string file = Path.Combine(dir, new string('e', 207) + ".json");
        Run("evaluate", Path.Combine(longest, "results.json"), a, b, "--out", file).AssertBadInput($"its name is 212 bytes long, and the run first writes it under a name 49 bytes longer");
    }

    /// <summary>
    /// compare --model-a/-b keeps each model's embeddings under a name made from the model's: a 230-character model file had
    /// made one the file system takes but not as a temporary file beside it, refused once the model had opened as "--out
    /// …/.repdiff-staging.out.…/embeddings/mmm….npy: its name is 234 bytes long, …; give a name of at most 206 bytes",
    /// naming a hidden file and not the model. Such a name is cut and a hash of the whole added (ModelPair.Stem): the run
    /// succeeds, every kept file's name leaves room for its temporary name, and a second run reuses them.
    /// </summary>
    [Fact]
    public void ALongModelNameKeepsItsEmbeddingsUnderANameThatFits()
    {
        string images = TestImages.SceneFolder(dir, 12);
        string model = Embedding.TinyOnnx.ImageIdentity(dir, 32, 32), longName = new('m', 230);
        File.Copy(model, Path.Combine(dir, longName + ".onnx"));
        string a = Path.Combine(dir, longName + ".json"), b = Path.Combine(dir, "doubled.json"), outDir = Path.Combine(dir, "out");
        File.WriteAllText(a, $$"""{ "model": "{{longName}}.onnx", "pooling": "mean", "image": { "size": 32 } }""");
        File.WriteAllText(b, $$"""{ "name": "doubled", "model": "{{Path.GetFileName(model)}}", "output": "doubled", "pooling": "mean", "image": { "size": 32 } }""");
        string[] args = ["compare", "--model-a", a, "--model-b", b, "--images", images, "--methods", "pca", "--maps", "pca", "--out", outDir];
        var first = Run(args);
        Assert.True(first.Code == 0, first.Stderr);
        var kept = Directory.GetFiles(Path.Combine(outDir, "embeddings")).Select(Path.GetFileName).ToArray();
        Assert.Contains(kept, name => name!.StartsWith(new string('m', 100)) && name.EndsWith(".npy"));
        // 49: what a temporary file adds to the name it stands for (AtomicFile), within Linux's 255 bytes.
        Assert.All(kept, name => Assert.True(System.Text.Encoding.UTF8.GetByteCount(name!) + 49 <= 255, name));
        var second = Run(args);
        Assert.True(second.Code == 0, second.Stderr);
        Assert.Contains($"{longName}: reusing", second.Stderr);
        Assert.Contains("doubled: reusing", second.Stderr);
        // Short names are kept as they were (their kept embeddings stay reused); long ones that differ only past the cut differ.
        Assert.Equal("ViT-B_16__DINOv2_", RepDiff.Cli.ModelPair.Stem("ViT-B/16 (DINOv2)"));
        Assert.NotEqual(RepDiff.Cli.ModelPair.Stem(longName + "a"), RepDiff.Cli.ModelPair.Stem(longName + "b"));
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(RepDiff.Cli.ModelPair.Stem(new string('é', 200))), RepDiff.Cli.ModelPair.MaxStemBytes - 1, RepDiff.Cli.ModelPair.MaxStemBytes);
    }

    /// <summary>
    /// embed writes OUT.ids.txt and OUT.skipped.txt beside --out, names up to 8 bytes longer than a .npy's: a 199-byte --out had
    /// been refused as "--out …eee.skipped.txt: its name is 207 bytes long, …; give a name of at most 206 bytes", naming a file
    /// the user had not given and a limit their --out was within. The refusal names --out and the longest it may be, which embeds.
    /// </summary>
    [Fact]
    public void EmbedsOutIsRefusedForTheFilesBesideItNamingOut()
    {
        string model = Embedding.TinyOnnx.ImageIdentity(dir, 32, 32), description = Path.Combine(dir, "identity.json");
        File.WriteAllText(description, $$"""{ "model": "{{Path.GetFileName(model)}}", "pooling": "mean", "image": { "size": 32 } }""");
        string images = TestImages.SceneFolder(dir, 3);
        string tooLong = Path.Combine(dir, new string('e', 195) + ".npy"), longest = Path.Combine(dir, new string('e', 194) + ".npy");
        Run("embed", description, "--images", images, "--out", tooLong).AssertBadInput($"--out {tooLong}: its name is 199 bytes long, and the run first writes it and "
            + "the files beside it under names up to 57 bytes longer, beyond the 255 bytes a file name may have; give a name of at most 198 bytes");
        var ran = Run("embed", description, "--images", images, "--out", longest);
        Assert.True(ran.Code == 0, ran.Stderr);
        Assert.True(File.Exists(Path.ChangeExtension(longest, ".ids.txt")));
    }

    /// <summary>Mounts a tmpfs of the given size at a new folder (the tests that call it are <see cref="TmpfsFactAttribute"/>s).</summary>
    private string MountTmpfs(string name, string size)
    {
        string at = Directory.CreateDirectory(Path.Combine(dir, name)).FullName;
        Assert.True(TmpfsFactAttribute.TryMount(at, size), $"mount -t tmpfs at {at} failed");
        return at;
    }

    private static void Unmount(string at)
    {
        using var umount = Process.Start(new ProcessStartInfo("umount") { ArgumentList = { at } })!;
        umount.WaitForExit();
    }

    /// <summary>
    /// A mount point as --out (a container's volume, --out /out) is refused before the work: the swap's rename cannot move it,
    /// and the run had ended, after all its work, in "cannot move the results into place (Device or resource busy)" (helper 91).
    /// A disk that fills up is one line naming --out, not the staging folder the file was being written in.
    /// </summary>
    [TmpfsFact]
    public void AMountPointIsRefusedAndAFullDiskNamesOut()
    {
        string volume = MountTmpfs("volume", "4m"), small = MountTmpfs("small", "64k");
        try
        {
            var (a, b, _) = SmallPair(dir);
            File.WriteAllText(Path.Combine(volume, "notes.txt"), "mine");
            var refused = Run("kmeans", a, b, "--concepts", "2", "--out", volume);
            refused.AssertBadInput($"--out {volume}: is a mount point");
            Assert.DoesNotContain("%", refused.Stderr); // before any work
            Assert.Equal(0, Run("kmeans", a, b, "--concepts", "2", "--out", Path.Combine(volume, "results")).Code);
            Assert.Equal(["notes.txt", "results"], Directory.GetFileSystemEntries(volume).Select(Path.GetFileName).Order());

            string outDir = Path.Combine(small, "out");
            var full = Run("kmeans", a, b, "--concepts", "2", "--out", outDir);
            full.AssertBadInput($"--out {outDir}: cannot write");
            Assert.DoesNotContain(".repdiff-staging", full.Stderr);
            Assert.Empty(Directory.GetFileSystemEntries(small));
        }
        finally
        {
            Unmount(volume);
            Unmount(small);
        }
    }

    /// <summary>
    /// A mount point inside --out (a volume mounted at out/data) is refused before the work, and again at the commit when it
    /// came during the run; --out is left as it was, the volume's files with it. The swap had put the new results in place,
    /// failed to move data back ("cannot move the results into place (Device or resource busy)", exit 2), and deleted the old
    /// folder as a failed run's staging folder: the user's notes.txt and every file on the mounted volume.
    /// </summary>
    [TmpfsFact]
    public void AMountPointInsideOutIsRefusedAndKeepsItsFiles()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out"), data = Path.Combine(outDir, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "mine");
        Assert.True(TmpfsFactAttribute.TryMount(data, "1m"), $"mount -t tmpfs at {data} failed");
        try
        {
            File.WriteAllText(Path.Combine(data, "x.txt"), "on the volume");
            var refused = Run("kmeans", a, b, "--concepts", "2", "--out", outDir);
            refused.AssertBadInput($"--out {outDir}: {data} is a mount point");
            Assert.DoesNotContain("%", refused.Stderr); // before any work
            AssertAsItWas();
        }
        finally
        {
            Unmount(data);
        }

        // Mounted while the run worked: the commit refuses before it moves anything.
        var error = Assert.Throws<RepDiffInputException>(() =>
        {
            using var folder = OutputFolder.Begin(outDir, "results.json");
            folder.WriteText("results.json", "new");
            Assert.True(TmpfsFactAttribute.TryMount(data, "1m"), $"mount -t tmpfs at {data} failed");
            File.WriteAllText(Path.Combine(data, "x.txt"), "on the volume");
            folder.Commit();
        });
        try
        {
            Assert.StartsWith($"--out {outDir}: {data} is a mount point", error.Message);
            AssertAsItWas();
        }
        finally
        {
            Unmount(data);
        }

        void AssertAsItWas()
        {
            Assert.Equal(["data", "notes.txt"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName).Order());
            Assert.Equal("on the volume", File.ReadAllText(Path.Combine(data, "x.txt")));
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
        }
    }

    /// <summary>
    /// A folder of the old --out that cannot be moved back after the swap (strace fails its rename with EACCES; a file's
    /// move would fall back to a copy) stays where it is, named in a warning, and the run ends as completed: its results are
    /// in place. The next run moves it back. The run had said "cannot move the results into place" (exit 2) with the new
    /// results already in --out, and deleted the old folder, the user's drafts in it.
    /// </summary>
    [StraceFact]
    public void AFolderThatCannotBeMovedBackAfterTheSwapIsKept()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        Directory.CreateDirectory(Path.Combine(outDir, "drafts"));
        File.WriteAllText(Path.Combine(outDir, "drafts", "notes.txt"), "mine");
        // The first rename puts maps.npy in place inside the staging folder; the second moves drafts back.
        var (code, stderr) = RunUnderStrace(["-e", "trace=rename", "-e", "inject=rename:error=EACCES:when=2"], "kmeans", a, b, "--concepts", "2", "--out", outDir);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Contains("\"method\": \"kmeans\"", File.ReadAllText(Path.Combine(outDir, "results.json")));
        string old = Assert.Single(Directory.GetDirectories(dir, ".repdiff-staging.out.*"));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(old, "drafts", "notes.txt")));
        Assert.Contains($"warning: --out {outDir}: the results are in place, but these entries of the folder they replaced could not be moved into it: drafts (", stderr);
        Assert.Contains($"they stay in {old}", stderr);

        Assert.Equal(0, Run("metrics", a, b, "--out", outDir).Code);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(outDir, "drafts", "notes.txt")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>
    /// Where renameat2 is missing or refused (strace fails every call with ENOSYS, EINVAL or EPERM: an old kernel, a file
    /// system without its flags, a seccomp filter that refuses calls it does not know), the move into --out falls back to
    /// plain renames, into a missing --out and over an existing one whose own files stay. EPERM had ended the run, after all
    /// its work, in "cannot move the results into place (Operation not permitted)". A failure between the fallback's two
    /// renames puts the old folder back: it had stayed under a hidden ".old" name, --out missing, after a run that said
    /// "cannot move the results into place" (exit 2, --out as it was).
    /// </summary>
    [StraceFact]
    public void WithoutRenameat2TheMoveIntoOutFallsBackToRenames()
    {
        var (a, b, _) = SmallPair(dir);
        foreach (string errno in new[] { "ENOSYS", "EINVAL", "EPERM" })
        {
            string outDir = Path.Combine(dir, "out-" + errno);
            string[] refused = ["-e", "trace=renameat2", "-e", $"inject=renameat2:error={errno}"];
            var created = RunUnderStrace(refused, "kmeans", a, b, "--concepts", "2", "--out", outDir);
            Assert.True(created.Code == 0, $"{errno}, a new --out: exit {created.Code}: {created.Stderr}");
            File.WriteAllText(Path.Combine(outDir, "notes.txt"), "mine");
            var replaced = RunUnderStrace(refused, "metrics", a, b, "--out", outDir);
            Assert.True(replaced.Code == 0, $"{errno}, an existing --out: exit {replaced.Code}: {replaced.Stderr}");
            Assert.Equal("mine", File.ReadAllText(Path.Combine(outDir, "notes.txt")));
            Assert.Contains("\"method\": \"metrics\"", File.ReadAllText(Path.Combine(outDir, "results.json")));
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
        }

        string kept = Path.Combine(dir, "out-ENOSYS");
        string results = File.ReadAllText(Path.Combine(kept, "results.json"));
        // Renames: maps.npy into place inside the staging folder, --out aside, then the new folder in: refused.
        var failed = RunUnderStrace(["-e", "trace=renameat2,rename", "-e", "inject=renameat2:error=ENOSYS", "-e", "inject=rename:error=EACCES:when=3"],
            "kmeans", a, b, "--concepts", "2", "--out", kept);
        Assert.True(failed.Code == 2, $"exit {failed.Code}: {failed.Stderr}");
        Assert.Contains($"error: --out {kept}: cannot move the results into place", failed.Stderr);
        Assert.Equal(results, File.ReadAllText(Path.Combine(kept, "results.json")));
        Assert.Equal(["maps.npy", "notes.txt", "report.html", "results.json"], Directory.GetFileSystemEntries(kept).Select(Path.GetFileName).Order());
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>
    /// The old folder removed by something else (a user's `rm -rf` of hidden folders, another tool) between the swap and
    /// the move back: strace holds the run for 3 s after the exchange, while the test removes it. The run had ended in
    /// "internal error: DirectoryNotFoundException" (exit 1) with its results in place; it now says what happened in one
    /// warning and ends as completed.
    /// </summary>
    [StraceFact]
    public void AnOldFolderRemovedBeforeTheMoveBackIsSaidAndTheResultsStay()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "mine");
        string? removed = null;
        var (code, stderr) = RunUnderStrace(["-e", "trace=renameat2", "-e", "inject=renameat2:delay_exit=3000000"], ["metrics", a, b, "--out", outDir], meanwhile: () =>
        {
            var waited = Stopwatch.StartNew();
            while (removed is null && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                // After the exchange the staging name holds the old folder, notes.txt in it.
                removed = Directory.GetDirectories(dir, ".repdiff-staging.out.*").FirstOrDefault(d => File.Exists(Path.Combine(d, "notes.txt")));
                if (removed is null) Thread.Sleep(20);
            }
            Assert.NotNull(removed);
            Directory.Delete(removed, recursive: true);
        });
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Contains("\"method\": \"metrics\"", File.ReadAllText(Path.Combine(outDir, "results.json")));
        var warning = Assert.Single(stderr.Split('\n'), line => line.StartsWith("warning:"));
        Assert.Equal($"warning: --out {outDir}: the results are in place, but the folder they replaced ({removed}) was removed by something else "
            + "before the files of it that this run does not write could be moved back into --out: they are gone with it", warning);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>
    /// The folder a commit replaced, which the run cannot read (--out without read permission: its files cannot be listed
    /// to be moved back). The warning had said "these entries of the folder they replaced could not be moved into it: *
    /// (Access to the path '…/.repdiff-staging.out.…' is denied.)", the hidden folder's name for --out and "*" for all of
    /// it; it now says that the folder replaced could not be read, why, and where all of it stays. The next run that can
    /// read it moves its files back.
    /// </summary>
    [UnreadableFolderFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void AnOldFolderThatCannotBeReadIsSaidInTheUsersTerms()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "mine");
        File.SetUnixFileMode(outDir, UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var (code, stderr) = RunUnder(UnreadableFolderFactAttribute.Wrapper, ["metrics", a, b, "--out", outDir], meanwhile: null);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Contains("\"method\": \"metrics\"", File.ReadAllText(Path.Combine(outDir, "results.json")));
        string old = Assert.Single(Directory.GetDirectories(dir, ".repdiff-staging.out.*"));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(old, "notes.txt")));
        var warning = Assert.Single(stderr.Split('\n'), line => line.StartsWith("warning:"));
        Assert.Equal($"warning: --out {outDir}: the results are in place, but the folder they replaced could not be read (permission denied), so none of its "
            + $"files were moved back into --out; all of it stays in {old} (a hidden folder beside --out), which the next run beside --out moves back if it can", warning);

        File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Equal(0, Run("metrics", a, b, "--out", outDir).Code);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(outDir, "notes.txt")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>The command run under strace with <paramref name="strace"/>'s options (a failure or delay injected).</summary>
    private static (int Code, string Stderr) RunUnderStrace(string[] strace, params string[] args) => RunUnderStrace(strace, args, meanwhile: null);

    /// <param name="meanwhile">What the test does while the command runs (it is started first).</param>
    private static (int Code, string Stderr) RunUnderStrace(string[] strace, string[] args, Action? meanwhile) =>
        RunUnder(["strace", "-f", "-qq", "--seccomp-bpf", "-o", "/dev/null", .. strace], args, meanwhile);

    /// <summary>The command run in a process of its own, started by <paramref name="wrapper"/> (a program and its options; empty: none).</summary>
    private static (int Code, string Stderr) RunUnder(string[] wrapper, string[] args, Action? meanwhile)
    {
        string[] command = [.. wrapper, "dotnet", Path.Combine(AppContext.BaseDirectory, "RepDiff.Cli.dll"), .. args];
        var start = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in command[1..])
            start.ArgumentList.Add(arg);
        using var run = Process.Start(start)!;
        _ = run.StandardOutput.ReadToEndAsync();
        var stderrRead = run.StandardError.ReadToEndAsync();
        meanwhile?.Invoke();
        string stderr = stderrRead.GetAwaiter().GetResult();
        Assert.True(run.WaitForExit(120_000), "the run did not end");
        return (run.ExitCode, stderr);
    }

    /// <summary>
    /// A run without renameat2's exchange, killed between its two renames, leaves its new folder (with the marker) and the old
    /// one (".old") beside a missing --out, and a free lock file; its process id is now another process's (init's). The next
    /// cleanup restores the old folder and removes the new one. Having dealt with the first of the two, it had deleted the lock
    /// file, and then judged the second by the process id: running, so it stayed (either --out missing for good, or a
    /// staging folder of new results never removed).
    /// </summary>
    [Fact]
    public void BothFoldersOfAFallbackSwapAreJudgedByTheirLock()
    {
        string outDir = Path.Combine(dir, "out");
        string staging = Path.Combine(dir, $".repdiff-staging.out.1.{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, ".repdiff-incomplete"), "");
        File.WriteAllText(Path.Combine(staging, "results.json"), "new");
        Directory.CreateDirectory(staging + ".old");
        File.WriteAllText(Path.Combine(staging + ".old", "notes.txt"), "mine");
        File.WriteAllText(staging + ".lock", "");

        OutputFolder.CleanLeftovers(dir, "out");
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>
    /// A run killed after it moved its results into a missing --out, before it removed the incomplete marker, leaves the
    /// marker in complete results (its lock file beside them, free). The next run beside --out removes the stray marker:
    /// it had stayed, and went along with the folder into the next run's swap.
    /// </summary>
    [Fact]
    public void AMarkerLeftInCompleteResultsIsRemoved()
    {
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "results.json"), "complete");
        File.WriteAllText(Path.Combine(outDir, ".repdiff-incomplete"), "");
        File.WriteAllText(Path.Combine(dir, $".repdiff-staging.out.1.{Guid.NewGuid():N}.lock"), "");

        OutputFolder.CleanLeftovers(dir, "out");
        Assert.Equal(["results.json"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));
        Assert.Equal("complete", File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>
    /// A stray marker in --out does not travel into the old folder a commit swaps out. There it made the old folder, kept
    /// under the staging name while a folder of it could not be moved back (strace fails that rename), look like an unfinished
    /// run's staging folder: the next run deleted it, the user's drafts in it, instead of moving them back.
    /// </summary>
    [StraceFact]
    public void AStrayMarkerDoesNotMakeTheOldFolderLookUnfinished()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(Path.Combine(outDir, "drafts"));
        File.WriteAllText(Path.Combine(outDir, "drafts", "notes.txt"), "mine");
        File.WriteAllText(Path.Combine(outDir, ".repdiff-incomplete"), "");
        // The first rename puts maps.npy in place inside the staging folder; the second moves drafts back.
        var kept = RunUnderStrace(["-e", "trace=rename", "-e", "inject=rename:error=EACCES:when=2"], "kmeans", a, b, "--concepts", "2", "--out", outDir);
        Assert.True(kept.Code == 0, $"exit {kept.Code}: {kept.Stderr}");
        string old = Assert.Single(Directory.GetDirectories(dir, ".repdiff-staging.out.*"));
        Assert.False(File.Exists(Path.Combine(old, ".repdiff-incomplete")));
        Assert.False(File.Exists(Path.Combine(outDir, ".repdiff-incomplete")));

        OutputFolder.CleanLeftovers(dir, "out");
        Assert.Equal("mine", File.ReadAllText(Path.Combine(outDir, "drafts", "notes.txt")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>
    /// A run without renameat2's exchange killed between its two renames leaves --out missing, its folder under the hidden
    /// ".old" name. A command reading the results in it (export here) puts it back first, as the next run into --out does: it
    /// had said "file not found" until then.
    /// </summary>
    [Fact]
    public void AReaderPutsBackAFolderAFallbackSwapLeftAside()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Assert.Equal(0, Run("kmeans", a, b, "--concepts", "2", "--out", outDir).Code);
        string results = File.ReadAllText(Path.Combine(outDir, "results.json"));
        string staging = Path.Combine(dir, $".repdiff-staging.out.1.{Guid.NewGuid():N}");
        Directory.Move(outDir, staging + ".old");
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, ".repdiff-incomplete"), "");
        File.WriteAllText(Path.Combine(staging, "results.json"), "new");
        File.WriteAllText(staging + ".lock", "");

        var export = Run("export", Path.Combine(outDir, "results.json"));
        Assert.True(export.Code == 0, export.Stderr);
        Assert.Equal(results, File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>
    /// A rename of the fallback swap that fails (strace refuses renameat2, then one rename: the move into a missing --out,
    /// or the new folder's into an existing one's place) is one line naming --out, exit 2, --out as it was. The message had
    /// named the hidden staging folder ("Access to the path '…/.repdiff-staging.out.PID.GUID' is denied").
    /// </summary>
    [StraceFact]
    public void AFailedFallbackMoveNamesOut()
    {
        var (a, b, _) = SmallPair(dir);
        string fresh = Path.Combine(dir, "fresh"), kept = Path.Combine(dir, "kept");
        Assert.Equal(0, Run("metrics", a, b, "--out", kept).Code);
        string results = File.ReadAllText(Path.Combine(kept, "results.json"));
        // metrics renames nothing inside its staging folder: its first rename is the staging folder's into a missing --out,
        // or an existing --out's aside, then the second the staging folder's into its place.
        foreach (var (outDir, when) in new[] { (fresh, 1), (kept, 2) })
        {
            var failed = RunUnderStrace(["-e", "trace=renameat2,rename", "-e", "inject=renameat2:error=ENOSYS", "-e", $"inject=rename:error=EACCES:when={when}"],
                "metrics", a, b, "--out", outDir);
            Assert.True(failed.Code == 2, $"exit {failed.Code}: {failed.Stderr}");
            var lines = failed.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.EndsWith('%')).ToArray();
            Assert.Equal($"error: --out {outDir}: cannot move the results into place (Access to the path '{outDir}' is denied.)", Assert.Single(lines));
        }
        Assert.False(Path.Exists(fresh));
        Assert.Equal(["results.json"], Directory.GetFileSystemEntries(kept).Select(Path.GetFileName));
        Assert.Equal(results, File.ReadAllText(Path.Combine(kept, "results.json")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>
    /// The fallback swap's last rename (the old folder, moved aside, to the staging name) failing is no failure of the run:
    /// --out already holds the new results, and the old folder is finished where it stands (the user's file moved back,
    /// the rest deleted). It had ended in "cannot move the results into place", exit 2, with the new results in --out.
    /// </summary>
    [StraceFact]
    public void AFailedRenameOfTheOldFolderAfterTheSwapStillCommits()
    {
        var (a, b, _) = SmallPair(dir);
        string kept = Path.Combine(dir, "kept");
        Assert.Equal(0, Run("kmeans", a, b, "--concepts", "2", "--out", kept).Code);
        File.WriteAllText(Path.Combine(kept, "notes.txt"), "mine");
        // metrics renames nothing inside its staging folder: --out aside, the new folder in, then the old one to the staging name.
        var run = RunUnderStrace(["-e", "trace=renameat2,rename", "-e", "inject=renameat2:error=ENOSYS", "-e", "inject=rename:error=EACCES:when=3"],
            "metrics", a, b, "--out", kept);
        Assert.True(run.Code == 0, $"exit {run.Code}: {run.Stderr}");
        Assert.Contains("\"method\": \"metrics\"", File.ReadAllText(Path.Combine(kept, "results.json")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(kept, "notes.txt")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>
    /// `embed` whose writer cannot open its temporary file right after claiming it (a preloaded library refuses that open
    /// with EACCES; as root no permission can): one line naming the output, exit 2, and nothing left beside it. The claim's
    /// descriptor had stayed open until the process exited, the file with it, and the run ended in "internal error:
    /// UnauthorizedAccessException" naming the hidden file.
    /// </summary>
    [CompilerFact]
    public void AWriterThatCannotOpenItsClaimedFileLetsItGo()
    {
        string library = Path.Combine(dir, "refuse_reopen.so");
        using (var gcc = Process.Start("gcc", ["-shared", "-fPIC", "-o", library, Path.Combine(TestData.RepoRoot, "tests", "RepDiff.Tests", "Robustness", "refuse_reopen.c"), "-ldl"]))
        {
            gcc.WaitForExit();
            Assert.Equal(0, gcc.ExitCode);
        }
        string images = Path.Combine(dir, "images"), outDir = Path.Combine(dir, "out"), output = Path.Combine(outDir, "e.npy");
        Directory.CreateDirectory(images);
        TestImages.Scenes(images, 3, 64, 48);
        string model = TinyOnnx.ImageIdentity(dir, 32, 32);
        File.WriteAllText(Path.ChangeExtension(model, ".json"), """{ "pooling": "mean", "image": { "size": 32 } }""");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "RepDiff.Cli.dll"), "embed", model, "--images", images, "--out", output })
            start.ArgumentList.Add(arg);
        start.Environment["LD_PRELOAD"] = library;
        start.Environment["REFUSE_REOPEN"] = "/.e.npy.";
        using var run = Process.Start(start)!;
        _ = run.StandardOutput.ReadToEndAsync();
        string stderr = run.StandardError.ReadToEnd();
        Assert.True(run.WaitForExit(120_000), "the run did not end");
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.EndsWith('%')).ToArray();
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {stderr}");
        Assert.Equal($"error: {output}: cannot be written (Access to the path '{output}' is denied.)", Assert.Single(lines));
        Assert.False(Path.Exists(outDir));
    }

    /// <summary>
    /// `embed` on a disk that fills up: one line naming the output, and no half-written temporary file beside it. It had been
    /// "internal error: IOException: No space left on device : '…/.e.npy.PID.GUID.tmp'", and that file stayed (helper 91).
    /// </summary>
    [TmpfsFact]
    public void AnEmbeddingThatFillsTheDiskLeavesNothing()
    {
        string tiny = MountTmpfs("tiny", "64k");
        try
        {
            string output = Path.Combine(tiny, "e.npy");
            var error = Assert.Throws<RepDiffInputException>(() =>
            {
                using var writer = new RepDiff.Embedding.EmbeddingFileWriter(output);
                var rows = new float[64 * 384];
                for (int i = 0; i < 100; i++) writer.Append(rows, 64, 384);
            });
            Assert.StartsWith($"{output}: cannot be written (", error.Message);
            Assert.DoesNotContain(".tmp", error.Message);
            Assert.Empty(Directory.GetFileSystemEntries(tiny));
        }
        finally
        {
            Unmount(tiny);
        }
    }

    /// <summary>
    /// `embed --skip-unreadable` over an earlier run's output, where the skipped list cannot be written (a full disk; here a
    /// folder made in its place while the run embedded): one line naming that file, and the earlier embeddings and ids both
    /// as they were. The new ids had been put in place before the skipped list was written, beside the old embeddings.
    /// </summary>
    [Fact]
    public void ASkippedListThatCannotBeWrittenReplacesNeitherTheEmbeddingsNorTheirIds()
    {
        string output = Path.Combine(dir, "e.npy");
        using (var earlier = new RepDiff.Embedding.EmbeddingFileWriter(output))
        {
            earlier.Append([1f, 2f], 1, 2);
            earlier.Commit(["old"], []);
        }
        string skipped = RepDiff.Embedding.EmbeddingFileWriter.SkippedPath(output);
        var error = Assert.Throws<RepDiffInputException>(() =>
        {
            using var writer = new RepDiff.Embedding.EmbeddingFileWriter(output);
            writer.Append([3f, 4f, 5f, 6f], 2, 2);
            Directory.CreateDirectory(skipped);
            writer.Commit(["a", "b"], [new RepDiff.Embedding.SkippedSample(2, "c.jpg", "not a readable image")]);
        });
        Assert.Contains(skipped, error.Message);
        Assert.Equal(new float[] { 1, 2 }, Npy.ReadMatrix(output).Data);
        Assert.Equal("old\n", File.ReadAllText(RepDiff.Embedding.EmbeddingFileWriter.IdsPath(output)));
        Assert.Equal(["e.ids.txt", "e.npy", "e.skipped.txt"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order());
    }

    /// <summary>A process id that cannot be running (Linux pids stay below 2^22).</summary>
    private const int DeadPid = 99_999_999;

    [Fact]
    public void LeftoversOfKilledRunsAreCleanedByTheNextRun()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "mine");
        // Killed while staging: the staging folder still holds its marker.
        string staging = Path.Combine(dir, $".repdiff-staging.out.{DeadPid}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, ".repdiff-incomplete"), "");
        File.WriteAllText(Path.Combine(staging, "results.json"), "half");
        // Killed right after swapping: the old contents (no marker) hold a user's file not yet moved back.
        string swapped = Path.Combine(dir, $".repdiff-staging.out.{DeadPid}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(swapped);
        File.WriteAllText(Path.Combine(swapped, "draft.txt"), "also mine");
        // Killed while writing a single file atomically.
        string temp = Path.Combine(dir, $".out.{DeadPid}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temp, "half");

        Assert.Equal(0, Run("kmeans", a, b, "--concepts", "2", "--out", outDir).Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
        Assert.False(File.Exists(temp));
        Assert.Equal("also mine", File.ReadAllText(Path.Combine(outDir, "draft.txt")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(outDir, "notes.txt")));
    }

    /// <summary>
    /// A killed run of a sibling folder whose name begins alike (out.v2 beside out) left a swapped staging folder: it is that
    /// folder's, not out's. A run into out had taken it for its own and moved out.v2's old files into out (helper 91).
    /// </summary>
    [Fact]
    public void ASiblingFoldersLeftoversAreNotTakenForOwn()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        Directory.CreateDirectory(Path.Combine(dir, "out.v2"));
        string sibling = Path.Combine(dir, $".repdiff-staging.out.v2.{DeadPid}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(sibling);
        File.WriteAllText(Path.Combine(sibling, "v2-draft.txt"), "out.v2's");

        Assert.Equal(0, Run("kmeans", a, b, "--concepts", "2", "--out", outDir).Code);
        Assert.False(File.Exists(Path.Combine(outDir, "v2-draft.txt")), "out.v2's file was moved into out");
        // out.v2's own next run finishes that swap.
        Assert.Equal(0, Run("metrics", a, b, "--out", Path.Combine(dir, "out.v2")).Code);
        Assert.Equal("out.v2's", File.ReadAllText(Path.Combine(dir, "out.v2", "v2-draft.txt")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "signal")]
    private static extern IntPtr SetDisposition(int signal, IntPtr handler);

    private static readonly IntPtr Default = 0, Ignore = 1;

    /// <summary>Whether a process ignores the signal (its SigIgn mask in /proc).</summary>
    private static bool Ignores(string process, int signal)
    {
        string mask = File.ReadLines($"/proc/{process}/status").First(l => l.StartsWith("SigIgn:")).Split(':')[1].Trim();
        return (Convert.ToUInt64(mask, 16) & (1UL << (signal - 1))) != 0;
    }

    /// <summary>
    /// Starts the process with the signal at its default disposition, as a shell starts a foreground command. A child
    /// inherits ignored signals, and a test host started from a background job ignores SIGINT; the child then (rightly,
    /// as Unix programs do) keeps ignoring it, and the test waited in vain, in about half of the full runs.
    /// </summary>
    private static Process StartWithDefault(ProcessStartInfo start, int signal)
    {
        if (!Ignores("self", signal)) return Process.Start(start)!;
        SetDisposition(signal, Default);
        try { return Process.Start(start)!; }
        finally { SetDisposition(signal, Ignore); }
    }

    /// <summary>
    /// The real process, stopped by SIGINT and SIGTERM mid-run: exit codes 130 and 143, --out exactly as
    /// before, no temporary files. (The only test that starts processes: signals need a process of their own.)
    /// </summary>
    [Theory]
    [InlineData(2, 130)]
    [InlineData(15, 143)]
    public void SignalsStopARunCleanly(int signal, int expectedCode)
    {
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "results.json"), "old results");
        string said = Stop(signal, expectedCode, "sae", TestData.Fixture("planted_a.npy"), TestData.Fixture("planted_b.npy"), "--epochs", "100000", "--out", outDir);
        // The log ends saying so: it had ended on its last progress line, as if cut off.
        Assert.Equal($"stopped by {(signal == 2 ? "SIGINT" : "SIGTERM")}: the run's temporary files are removed and its output is as it was before the run",
            said.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(line => !line.EndsWith('%')));
        Assert.Equal(["results.json"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));
        Assert.Equal("old results", File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>
    /// A stop that comes once the results are in place is declined: the run is complete, so it prints its summary and exits 0.
    /// It had exited 130, which says "--out as it was before the run", with the new results in --out and no line naming them
    /// (a SIGINT while the summary table was printed: 4 of 4 tries with rdx on 500 rows, helper 91). A SIGTERM in the last
    /// instant, after Main had released its signal handlers, took the runtime's default and ended the run 143 (CI, session 61).
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(15)]
    public async Task AStopAfterTheResultsAreInPlaceEndsTheRunAsCompleted(int signal)
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        string results = Path.Combine(outDir, "results.json");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "RepDiff.Cli.dll"), "rdx", a, b, "--out", outDir }) start.ArgumentList.Add(arg);
        // The window between the results' arrival and the exit is milliseconds: on a loaded machine the run may end before
        // the stop is sent, which says nothing of how a stop is handled, so such a run is started again (at most five times).
        Process process;
        Task<string> stdout, stderr;
        for (int attempt = 1; ; attempt++)
        {
            File.WriteAllText(results, "old results");
            process = StartWithDefault(start, signal);
            (stdout, stderr) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
            var clock = Stopwatch.StartNew();
            // The swap puts the new results.json in place in one step: the first moment it is there, the run has committed.
            while (!process.HasExited && File.ReadAllText(results) == "old results" && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(1);
            if (!process.HasExited || attempt == 5) break;
            process.Dispose();
        }
        using var _ = process;
        Assert.False(process.HasExited, "the run ended before the stop could be sent, five times");
        Assert.Equal(0, Kill(process.Id, signal));
        // Stops keep coming until the process is gone, as from a user who presses Ctrl+C again: each one, up to the last
        // instant of the process, is declined.
        var sending = Stopwatch.StartNew();
        while (!process.HasExited && sending.Elapsed < TimeSpan.FromMinutes(1))
        {
            Kill(process.Id, signal);
            Thread.Sleep(1);
        }
        Assert.True(process.WaitForExit(60_000), "the process did not stop");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}; stderr: {await stderr}");
        Assert.Contains($"Wrote {results}", await stdout);
        Assert.Contains("\"method\": \"rdx\"", File.ReadAllText(results));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>
    /// Embeddings kept on the way to a comparison are not the run's output: compare --model-a/-b (and the demo) had taken the
    /// first model's, once in its staging folder, for the outputs being in place, and declined every later SIGINT and SIGTERM,
    /// so the run could not be stopped (it went on embedding the second model and comparing).
    /// </summary>
    [Fact]
    public async Task AStopAfterTheFirstModelsEmbeddingsStillStopsTheRun()
    {
        string images = Directory.CreateDirectory(Path.Combine(dir, "images")).FullName;
        TestImages.Scenes(images, 60);
        string outDir = Path.Combine(dir, "out");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        // A small model first, then ResNet-18, which takes seconds: the stop comes while B embeds.
        string small = Embedding.TinyOnnx.ImageIdentity(dir, 32, 32);
        File.WriteAllText(Path.ChangeExtension(small, ".json"), """{ "name": "small", "pooling": "mean", "image": { "size": 32 } }""");
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "RepDiff.Cli.dll"), "compare", "--model-a", small, "--model-b", "resnet18",
            "--images", images, "--threads", "1", "--batch-size", "1", "--methods", "pca", "--out", outDir }) start.ArgumentList.Add(arg);
        using var process = StartWithDefault(start, 15);
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        bool FirstKept() => Directory.EnumerateDirectories(dir, ".repdiff-staging.out.*")
            .Any(staging => File.Exists(Path.Combine(staging, "embeddings", "small.npy")));
        while (!process.HasExited && !FirstKept() && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(1);
        Assert.False(process.HasExited, "the run ended before the stop could be sent");
        Assert.Equal(0, Kill(process.Id, 15));
        Assert.True(process.WaitForExit(60_000), "the process did not stop");
        Assert.True(process.ExitCode == 143, $"exit {process.ExitCode}; stderr: {await stderr}");
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".repdiff-*"));
    }

    /// <summary>
    /// The folders a stopped run created for its output go too, as after a failure, and `embed` leaves no temporary file:
    /// an interrupted `embed --out new/deep/x.npy` had left new/deep and a hidden .tmp file, one more per interrupt (helper 80).
    /// </summary>
    [Fact]
    public void AStoppedRunLeavesNoFolderItCreatedNorATemporaryFile()
    {
        string images = Directory.CreateDirectory(Path.Combine(dir, "images")).FullName;
        TestImages.Scenes(images, 60);
        // Sent once the output's temporary file is there (the run is writing embeddings): embed's progress lines, held for the
        // run's first 15 s, no longer say so, and the run had ended before them.
        string deep = Path.Combine(dir, "made", "deep");
        StopOnce(() => Holds(deep, ".x.npy.*.tmp"), 15, 143, "embed", "resnet18", "--images", images, "--batch-size", "1", "--threads", "1", "--out", Path.Combine(deep, "x.npy"));
        // compare --model-a/-b stages its output folder (and the embeddings in it) before embedding.
        string small = Embedding.TinyOnnx.ImageIdentity(TestData.TempDir(), 32, 32); // outside dir, whose entries are checked
        File.WriteAllText(Path.ChangeExtension(small, ".json"), """{ "pooling": "mean", "image": { "size": 32 } }""");
        string staged = Path.Combine(dir, "new", "deep");
        StopOnce(() => Holds(staged, ".repdiff-staging.out.*"), 2, 130,
            "compare", "--model-a", "resnet18", "--model-b", small, "--images", images, "--threads", "1", "--out", Path.Combine(staged, "out"));
        Assert.Equal(["images"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }

    /// <summary>
    /// Standard output that cannot be written (a full disk) is one error line, for a command and for --version alike:
    /// both had ended in an internal error or .NET's unhandled-exception dump (helper 77). A run prints once its outputs
    /// are in place, so its line says they were written: exit 2 otherwise means --out as it was.
    /// </summary>
    [Fact]
    public void AFullStandardOutputIsOneErrorLine()
    {
        var (a, b, _) = SmallPair(dir);
        string cli = Path.Combine(AppContext.BaseDirectory, "RepDiff.Cli.dll");
        string outDir = Path.Combine(dir, "out");
        foreach (var (args, error) in new[] {
            ($"kmeans {a} {b} --out {outDir}", "error: standard output: No space left on device (the outputs were written; only what the command prints was lost)"),
            ("--version", "error: standard output: No space left on device") })
        {
            var start = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", $"dotnet {cli} {args} > /dev/full" }, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            string[] lines = process.StandardError.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            process.WaitForExit();
            Assert.Equal(2, process.ExitCode);
            Assert.Equal(error, lines[^1]);
            Assert.Single(lines, l => l.Contains("error", StringComparison.Ordinal));
        }
        Assert.Contains("\"method\": \"kmeans\"", File.ReadAllText(Path.Combine(outDir, "results.json")));
    }

    /// <summary>
    /// Runs the real process, sends the signal once its first progress line shows the run under way (printed after the run's
    /// first 15 s, or at the end of a shorter one), checks the exit code and returns what it wrote to stderr after that line.
    /// </summary>
    private static string Stop(int signal, int expectedCode, params string[] args) => Stop(signal, expectedCode, process =>
    {
        // Plain progress lines go to stderr when it is redirected: the first one says the run is under way.
        string? line;
        while ((line = process.StandardError.ReadLine()) is not null && !line.Contains('%')) { }
        Assert.NotNull(line);
    }, args);

    /// <summary>As <see cref="Stop(int, int, string[])"/>, the signal sent once <paramref name="underWay"/> (polled) is true.</summary>
    private static string StopOnce(Func<bool> underWay, int signal, int expectedCode, params string[] args) => Stop(signal, expectedCode, process =>
    {
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && !underWay() && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(1);
        Assert.False(process.HasExited, "the run ended before the stop could be sent");
    }, args);

    /// <summary>Whether <paramref name="folder"/> exists and holds an entry named as <paramref name="pattern"/>.</summary>
    private static bool Holds(string folder, string pattern)
    {
        try { return Directory.EnumerateFileSystemEntries(folder, pattern).Any(); }
        catch (DirectoryNotFoundException) { return false; }
    }

    private static string Stop(int signal, int expectedCode, Action<Process> untilUnderWay, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RepDiff.Cli.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = StartWithDefault(start, signal);
        untilUnderWay(process);
        Assert.False(Ignores(process.Id.ToString(), signal), "the run was started ignoring the signal");
        Assert.Equal(0, Kill(process.Id, signal));
        var rest = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "the process did not stop");
        Assert.Equal(expectedCode, process.ExitCode);
        return rest.GetAwaiter().GetResult();
    }
}

/// <summary>A fact that runs as root only (it changes a folder's owner), skipped saying why otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root") Skip = "needs root: it gives a folder to another user";
    }
}

/// <summary>A fact that compiles a small C library with gcc (to preload into a run), skipped where there is no gcc.</summary>
public sealed class CompilerFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> present = new(() =>
    {
        try
        {
            using var gcc = Process.Start(new ProcessStartInfo("gcc", "--version") { RedirectStandardOutput = true })!;
            gcc.StandardOutput.ReadToEnd();
            gcc.WaitForExit();
            return gcc.ExitCode == 0 && OperatingSystem.IsLinux();
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    });

    public CompilerFactAttribute()
    {
        if (!present.Value) Skip = "no gcc (or not Linux) to build the preloaded library";
    }
}

/// <summary>
/// A fact that mounts small tmpfs file systems (a mount point as --out, a full disk), skipped saying why where mounting is
/// not allowed (not root, or a container without the capability): probed once by mounting one.
/// </summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> unavailable = new(Probe);

    public TmpfsFactAttribute()
    {
        if (unavailable.Value is { } why) Skip = why;
    }

    public static bool TryMount(string at, string size)
    {
        using var mount = Process.Start(new ProcessStartInfo("mount") { ArgumentList = { "-t", "tmpfs", "-o", $"size={size}", "tmpfs", at }, RedirectStandardError = true })!;
        mount.StandardError.ReadToEnd();
        mount.WaitForExit();
        return mount.ExitCode == 0;
    }

    private static string? Probe()
    {
        if (Environment.UserName != "root") return "needs root to mount a tmpfs";
        string at = Directory.CreateTempSubdirectory("repdiff-mount-probe").FullName;
        try
        {
            if (!TryMount(at, "64k")) return "mount -t tmpfs is not allowed here (a container without the capability)";
            using var umount = Process.Start(new ProcessStartInfo("umount") { ArgumentList = { at } })!;
            umount.WaitForExit();
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "no mount command";
        }
        finally
        {
            Directory.Delete(at);
        }
    }
}

/// <summary>
/// A fact whose run must not read a folder the test takes read permission from: as root, the run is started without the
/// capabilities that override file permissions (setpriv drops them from its bounding set); skipped saying why where that
/// cannot be done.
/// </summary>
public sealed class UnreadableFolderFactAttribute : FactAttribute
{
    /// <summary>What the run is started under: nothing where file permissions already hold the user, else setpriv.</summary>
    public static string[] Wrapper => Environment.IsPrivilegedProcess ? ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] : [];

    private static readonly Lazy<string?> unavailable = new(Probe);

    public UnreadableFolderFactAttribute()
    {
        if (unavailable.Value is { } why) Skip = why;
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "file permissions are tested on Linux";
        if (Wrapper.Length == 0) return null;
        try
        {
            using var setpriv = Process.Start(new ProcessStartInfo(Wrapper[0], [.. Wrapper[1..], "true"]) { RedirectStandardError = true })!;
            setpriv.StandardError.ReadToEnd();
            setpriv.WaitForExit();
            return setpriv.ExitCode == 0 ? null : "running as root, and setpriv cannot drop the capabilities that override file permissions";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "running as root, without setpriv to drop the capabilities that override file permissions";
        }
    }
}
