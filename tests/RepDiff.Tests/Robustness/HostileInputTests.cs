using System.IO.Compression;
using System.Text;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Robustness;

/// <summary>
/// The reproducers of issue 13, each through the CLI as a user would type it: every one is exit code 2
/// with one line naming the file or option (or a correct exit 0), never a hang, a crash or a NaN.
/// Runs alone: some cases measure what reading allocates.
/// </summary>
[Collection(Name)]
public class HostileInputTests
{
    public const string Name = "hostile inputs (alone)";

    private readonly string dir = TestData.TempDir();

    /// <summary>A command the tool does not have is named (it had been "Required command was not provided" alone).</summary>
    [Fact]
    public void AnUnknownCommandIsNamed()
    {
        Run("frobnicate").AssertBadInput("'frobnicate' is not a command; the commands are: inspect, ");
        Run("--frob").AssertBadInput("'--frob' is not an option of repdiff itself; options follow a command: inspect, ");
    }

    // 1 and 2: special files as any input. A FIFO blocks forever when opened; /dev/zero never ends.
    [Theory]
    [InlineData("A")]
    [InlineData("A without an extension")]
    [InlineData("--labels")]
    [InlineData("--texts")]
    [InlineData("--ids")]
    [InlineData("--images")]
    [InlineData("manifest entry")]
    [InlineData("image in a directory")]
    public void FifosAndDevicesAreRefusedAsAnyInput(string slot)
    {
        var (a, b, _) = SmallPair(dir);
        foreach (var special in new[] { "fifo", "/dev/zero", "/dev/urandom" })
        {
            // A shell's pipe, <(cat a.csv), is /dev/fd/63: no extension (it had been "unsupported file type ''").
            string ext = slot == "A" ? ".csv" : slot == "A without an extension" ? "" : slot.Contains("image") || slot == "manifest entry" ? ".png" : ".txt";
            string path = Path.Combine(dir, $"special-{Guid.NewGuid():N}{ext}");
            if (special == "fifo") Fifo(path); else LinkTo(path, special);
            string[] args = slot switch
            {
                "A" or "A without an extension" => ["kmeans", path, b],
                "manifest entry" => ["kmeans", a, b, "--images", Manifest(path)],
                "image in a directory" => ["kmeans", a, b, "--images", FolderWith(path)],
                _ => ["kmeans", a, b, slot, path],
            };
            var outcome = Run([.. args, "--out", Path.Combine(dir, "out")]);
            outcome.AssertBadInput(Path.GetFileName(path));
            Assert.Contains(special == "fifo" ? "FIFO" : "character device", outcome.Stderr);
        }
    }

    [Fact]
    public void InspectOfAFifoOrDeviceIsOneLine()
    {
        Run("inspect", Fifo(Path.Combine(dir, "f.npy"))).AssertBadInput("f.npy: is a FIFO");
        Run("inspect", LinkTo(Path.Combine(dir, "z.csv"), "/dev/zero")).AssertBadInput("z.csv: is a character device");
    }

    private string Manifest(string image)
    {
        string manifest = Path.Combine(dir, $"manifest-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(manifest, Enumerable.Repeat(image, 60));
        return manifest;
    }

    private string FolderWith(string image)
    {
        string folder = Path.Combine(dir, $"images-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        File.Move(image, Path.Combine(folder, Path.GetFileName(image)));
        return folder;
    }

    // 3: a text file without line breaks costs at most the line cap, not its size.
    [Fact]
    public void ASingleLineCsvBeyondTheLineCapIsRefused()
    {
        string path = Path.Combine(dir, "one-line.csv");
        using (var w = new StreamWriter(path))
            for (int i = 0; i < DelimitedText.MaxLineChars / 4 + 10; i++) w.Write("1.5,");
        long before = GC.GetTotalAllocatedBytes(precise: true);
        Run("inspect", path).AssertBadInput("one-line.csv: line 1 is longer than");
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < 200L << 20, $"allocated {allocated >> 20} MB");
    }

    [Fact]
    public void ASideFileWithoutLineBreaksIsRefused()
    {
        var (a, b, _) = SmallPair(dir);
        string labels = Path.Combine(dir, "labels.bin");
        File.WriteAllBytes(labels, Enumerable.Repeat((byte)'x', SampleFiles.MaxShortLine + 10).ToArray());
        Run("kmeans", a, b, "--labels", labels, "--out", Path.Combine(dir, "out")).AssertBadInput("labels.bin: line 1 is longer than");
        // Zero bytes stop at the first of them instead (a NUL is in no text input).
        File.WriteAllBytes(labels, new byte[SampleFiles.MaxShortLine + 10]);
        Run("kmeans", a, b, "--labels", labels, "--out", Path.Combine(dir, "out")).AssertBadInput("labels.bin: line 1 holds a NUL character");
    }

    [Fact]
    public void ANumberBeyondFloat32IsNamed()
    {
        string path = Path.Combine(dir, "big.csv");
        File.WriteAllText(path, "1,2\n3," + new string('9', 60) + "\n");
        var (a, _, _) = SmallPair(dir, rows: 2);
        var refused = Run("metrics", path, a, "--out", Path.Combine(dir, "out"));
        refused.AssertBadInput("line 2 column 2 is 9999");
        Assert.Contains(", beyond the float32 range (±3.4e38) RepDiff computes in; scale the data down", refused.Stderr);
        // inspect counts it, as it counts a float64 array's (InspectCommandTests.EveryFormatCountsValuesBeyondFloat32AndMethodsRefuseThemAlike).
        Assert.Contains("Inf (or beyond float32's ±3.4e38) │ 1 ", Run("inspect", path).Stdout);
    }

    /// <summary>An honest deflated .npz of zeros is read at the cost of its declared array, once (no doubling buffer).</summary>
    [Fact]
    public void AHighlyCompressedNpzCostsItsDeclaredArrayOnce()
    {
        string path = Path.Combine(dir, "zeros.npz");
        const int rows = 20_000, cols = 768;
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var entry = zip.CreateEntry("emb.npy", CompressionLevel.Optimal).Open())
        {
            Npy.WriteRaw(entry, "<f4", [rows, cols], []);
            entry.Write(new byte[(long)rows * cols * 4]);
        }
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var outcome = Run("inspect", path, "--json");
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(0, outcome.Code);
        Assert.Contains("\"shape\":[20000,768]", outcome.Stdout);
        Assert.True(allocated < (long)rows * cols * 4 + (16 << 20), $"allocated {allocated >> 20} MB for a {rows * cols * 4 >> 20} MB array");
    }

    /// <summary>The bomb: 0.9 MB of deflated zeros that honestly declare 300000×768 float32 (921 MB).</summary>
    [Fact]
    public void ADecompressionBombIsRefusedBeforeInflating()
    {
        string path = Path.Combine(dir, "bomb.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var entry = zip.CreateEntry("emb.npy", CompressionLevel.Optimal).Open())
        {
            Npy.WriteRaw(entry, "<f4", [300_000, 768], []);
            var zeros = new byte[1 << 20];
            for (long left = 300_000L * 768 * 4; left > 0; left -= zeros.Length) entry.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
        }
        long before = GC.GetTotalAllocatedBytes(precise: true);
        Run("inspect", path).AssertBadInput("bomb.npz[emb]: expands from");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64 << 20);
    }

    /// <summary>A declared array larger than the machine's memory is refused before anything is decompressed.</summary>
    [Fact]
    public void AnNpzDeclaringMoreThanMemoryIsRefused()
    {
        string path = Path.Combine(dir, "huge.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var entry = zip.CreateEntry("emb.npy", CompressionLevel.Optimal).Open())
        {
            Npy.WriteRaw(entry, "<f4", [4_000_000_000L, 1000], []);
            entry.Write(new byte[1 << 20]);
        }
        Run("inspect", path).AssertBadInput("huge.npz[emb]");
    }

    // 7: a NUL byte in a manifest path.
    [Fact]
    public void ANulInAManifestPathIsNamed()
    {
        var (a, b, _) = SmallPair(dir);
        string manifest = Path.Combine(dir, "manifest.txt");
        File.WriteAllText(manifest, string.Concat(Enumerable.Repeat("img\0.png\n", 60)));
        Run("kmeans", a, b, "--images", manifest, "--out", Path.Combine(dir, "out")).AssertBadInput("manifest.txt: line 1 holds a NUL character");
    }

    // 12: messages that name the real problem.
    [Fact]
    public void HeaderOnlyCsvAndNpyVersion11AreRefusedByInspect()
    {
        string csv = Path.Combine(dir, "header.csv");
        File.WriteAllText(csv, "a,b,c\n");
        Run("inspect", csv).AssertBadInput("header.csv: has a header row but no data rows");
        string npy = Path.Combine(dir, "v11.npy");
        var stream = new MemoryStream();
        Npy.WriteRaw(stream, "<f4", [1, 2], new byte[8]);
        var bytes = stream.ToArray();
        bytes[7] = 1;
        File.WriteAllBytes(npy, bytes);
        Run("inspect", npy).AssertBadInput("v11.npy: unsupported .npy format version 1.1");
    }

    [Fact]
    public void ParseErrorsAreOneLine()
    {
        Run("kmeans", "a.npy", "b.npy", "--concepts", "x").AssertBadInput("--concepts");
        Run("kmeans", "a.npy", "b.npy", "--concepts", "x", "--bogus").AssertBadInput("");
        Run("nosuchcommand", "a", "b").AssertBadInput("");
        // The parser's own whole-number options (compare's --seed, embed's --batch-size): past 32 bits a number is too large or too small, not "not a whole number".
        Run("compare", "a.npy", "b.npy", "--seed", "99999999999").AssertBadInput("--seed: '99999999999' is too large (at most 2147483647)");
        Run("embed", "resnet18", "--images", "x", "--out", "e.npy", "--batch-size", "-99999999999").AssertBadInput("--batch-size: '-99999999999' is too small");
        Run("embed", "resnet18", "--images", "x", "--out", "e.npy", "--batch-size", "1.5").AssertBadInput("--batch-size: '1.5' is not a whole number");
    }

    [Fact]
    public void TinyInputsGetMethodsAndContextWithFewerNeighbours()
    {
        var (a, b, _) = SmallPair(dir, rows: 8);
        var outcome = Run("kmeans", a, b, "--concepts", "2", "--grid-size", "3", "--out", Path.Combine(dir, "out"));
        Assert.Equal(0, outcome.Code);
        Assert.Equal(0, Run("metrics", a, b, "--out", Path.Combine(dir, "m")).Code);
    }

    // 10: control sequences from input files never reach the terminal.
    [Fact]
    public void ControlSequencesFromInputsAreStripped()
    {
        string csv = Path.Combine(dir, "evil.csv");
        File.WriteAllText(csv, "1,2\n3,\u001b]0;PWNED\u0007\u001b[2J\n");
        var outcome = Run("inspect", csv);
        outcome.AssertBadInput("PWNED");
        Assert.DoesNotContain('\u001b', outcome.Stderr);
        Assert.DoesNotContain('\u0007', outcome.Stderr);

        var (a, b, _) = SmallPair(dir);
        string labels = Path.Combine(dir, "evil-labels.txt");
        File.WriteAllLines(labels, Enumerable.Range(0, 60).Select(i => $"\u001b[31mred{i % 3}\u202E"));
        var run = Run("kmeans", a, b, "--labels", labels, "--concepts", "2", "--out", Path.Combine(dir, "out"));
        Assert.Equal(0, run.Code);
        Assert.Contains("red", run.Stdout);
        Assert.DoesNotContain('\u001b', run.Stdout + run.Stderr);
        Assert.DoesNotContain('\u202E', run.Stdout + run.Stderr);
    }

    /// <summary>
    /// Names the user gave (--out) are printed as other lines print them, without control characters: the "Wrote ..." line had
    /// printed --out raw, so an escape sequence in it drove the terminal and a newline split the line (helper 108).
    /// </summary>
    [Fact]
    public void ControlCharactersInOutputNamesAreNotPrintedRaw()
    {
        var (a, b, _) = SmallPair(dir);
        string evil = Path.Combine(dir, "r\u001b[2J\nfake");
        foreach (var run in new[]
        {
            Run("kmeans", a, b, "--concepts", "2", "--out", evil),
            Run("metrics", a, b, "--out", evil + "-metrics"),
            Run("export", Path.Combine(evil, "results.json"), "--out", evil + ".csv"),
            Run("evaluate", Path.Combine(evil, "results.json"), a, b, "--out", evil + "-evaluated.json"),
        })
        {
            Assert.True(run.Code == 0, run.Stderr);
            string printed = run.Stdout + run.Stderr;
            Assert.DoesNotContain('\u001b', printed);
            // The whole path stays on the line that names it: a raw newline had begun a line with "fake".
            Assert.DoesNotContain(printed.Split('\n'), line => line.StartsWith("fake"));
            Assert.Contains(printed.Split('\n'), line => line.StartsWith("Wrote ") && line.Contains("[2J fake"));
        }
    }

    // 4, 5, 11, 12: values whose squared distances overflow or underflow float32.
    [Theory]
    [InlineData(1e19)]
    [InlineData(1e-30)]
    [InlineData(1e-40)]
    public void OutOfRangeValuesAreRescaledForScaleInvariantMethods(double scale)
    {
        var (a, b, _) = SmallPair(dir);
        foreach (var path in new[] { a, b })
        {
            var m = Npy.ReadMatrix(path);
            for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)(m.Data[i] * scale);
            Npy.Write(path, m);
        }
        foreach (var method in new[] { "kmeans", "pca", "nmf", "spec", "rdx", "metrics" })
        {
            string outDir = Path.Combine(dir, method + scale);
            var outcome = Run(method, a, b, "--out", outDir);
            Assert.True(outcome.Code == 0, $"{method} ×{scale}: {outcome.Stderr}");
            Assert.Contains("multiplied by 2^", outcome.Stderr);
            string json = File.ReadAllText(Path.Combine(outDir, "results.json"));
            Assert.DoesNotContain("NaN", json);
            Assert.DoesNotContain("Infinity", json);
        }
        // A bandwidth in the data's units forbids rescaling: refused, naming the option.
        Run("spec", a, b, "--sigma-a", "1", "--out", Path.Combine(dir, "sigma")).AssertBadInput("--sigma-a");
    }

    /// <summary>An option needing more samples than there are was the second line, after the data's value-range warning.</summary>
    [Fact]
    public void AnOptionTooLargeForTheSamplesIsOneLineEvenBesideOutOfRangeValues()
    {
        var (a, b, _) = SmallPair(dir);
        var m = Npy.ReadMatrix(a);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] *= 1e30f;
        Npy.Write(a, m);
        var outcome = Run("rdx", a, b, "--concepts", "500", "--out", Path.Combine(dir, "out"));
        outcome.AssertBadInput("--concepts: 501 clusters (500 plus the null cluster) need at least as many samples");
        Assert.DoesNotContain("warning", outcome.Stderr);
    }

    [Fact]
    public void DegenerateBaselineInputsGiveAnErrorOrAFiniteAnswer()
    {
        var (a, b, _) = SmallPair(dir);
        var m = Npy.ReadMatrix(a);
        var three = m.SelectRows(Enumerable.Range(0, m.Rows).Select(i => i % 3).ToArray());
        Npy.Write(a, three);
        Run("nmf", a, b, "--concepts", "5", "--out", Path.Combine(dir, "nmf")).AssertBadInput("--concepts 3");
        Npy.Write(a, new Matrix(m.Rows, m.Cols, Enumerable.Repeat(1f, m.Data.Length).ToArray()));
        // Rows all alike have no principal component: refused, as their empty concepts had been listed (review 174, finding 10).
        Run("pca", a, b, "--out", Path.Combine(dir, "pca")).AssertBadInput("every row of the representation is the same, so it has no principal component");
        Assert.False(Directory.Exists(Path.Combine(dir, "pca")));
    }

    // 6: options whose values are in no sensible range, or make a method's arithmetic overflow.
    [Theory]
    [InlineData("--batch-size", "sae", "--batch-size", "0")]
    [InlineData("--learning-rate", "sae", "--learning-rate", "1e30", "--epochs", "2")]
    [InlineData("--rff-dim", "spec", "--route", "rff", "--rff-dim", "2000000000")]
    [InlineData("--beta", "rdx", "--beta", "1e300")]
    [InlineData("--beta 1000 makes the affinities", "rdx", "--beta", "1e3")]  // the value as a user reads it, not 1E+03
    // The other end: exp(±beta G) within float32's resolution of 1 everywhere, so the concepts were split from a
    // constant affinity (--beta 1e-9: concepts of 1, 1 and 35 samples, "a keeps five groups together", strengths 1.0000000001).
    [InlineData("--beta 1E-09 leaves the affinities", "rdx", "--beta", "1e-9")]
    [InlineData("--gamma 1E-10", "rdx", "--gamma", "1e-10")]
    [InlineData("--gamma 1E-320", "rdx", "--gamma", "1e-320")]   // 0 as float32
    public void ExtremeOptionValuesNameTheOption(string option, string method, params string[] extra)
    {
        var (a, b, _) = SmallPair(dir);
        Run([method, a, b, .. extra, "--out", Path.Combine(dir, "out")]).AssertBadInput(option);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    [Fact]
    public void FincRffDimIsCheckedBeforeAllocating()
    {
        var (a, _, _) = SmallPair(dir);
        Run("finc", a, a, "--route", "rff", "--rff-dim", "2000000000", "--out", Path.Combine(dir, "out")).AssertBadInput("--rff-dim");
    }
}

[CollectionDefinition(HostileInputTests.Name, DisableParallelization = true)]
public class HostileInputCollection;
