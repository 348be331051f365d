using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Apache.Arrow.Types;
using RepDiff.IO;
using RepDiff.Tests.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Robustness;

/// <summary>
/// Files whose bytes are not what their extension says, under every extension RepDiff reads (and .mat, .txt): a binary
/// format RepDiff reads is read by its signature, with one warning where the name says another; text keeps its
/// extension, so text of another name is refused naming the extension it would be read under; and content of no format
/// RepDiff reads (an HTML page saved for the file, an empty, compressed or MATLAB file, a zip of other files, Feather 1, a
/// legacy torch pickle) is refused in one line that says what it is and what to do, whatever the name. Each reader had
/// said what it missed: "safetensors header claims 3472328296311436333 bytes", "not a valid .npz (zip) file (End of
/// Central Directory record could not be found.)", and a text file named .mat "a MATLAB .mat file of a version before 7.3".
/// </summary>
public class MisnamedContentTests : IDisposable
{
    private readonly string dir = TestData.TempDir();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    public static TheoryData<string> Extensions() => [.. EmbeddingFormat.All.SelectMany(f => f.Extensions), ".mat", ".txt"];

    /// <summary>Content RepDiff reads in no format, refused under any name: what the line says it is, and what to do.</summary>
    private Dictionary<string, (byte[] Bytes, string What, string Todo)> Foreign() => new()
    {
        ["prose"] = ("These are my notes about the embeddings.\nNothing numeric here.\n"u8.ToArray(), "is text (UTF-8)", "RepDiff reads text as .csv, .tsv or .jsonl tables"),
        ["error page"] = ("<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n"u8.ToArray(), "is an HTML page", "download the file again"),
        ["sign-in page"] = ("\n<html>\n<body>Please sign in</body></html>\n"u8.ToArray(), "is an HTML page", "download the file again"),
        ["empty"] = ([], "is empty (0 bytes)", "save the embeddings again"),
        ["gzip"] = (Gzip(File.ReadAllBytes(GoldenFileTests.Golden("le_f4.npy"))), "is gzip-compressed", "decompress it first (gunzip -c"),
        ["zip of a text file"] = (ZipOf("readme.txt"), "is a zip archive of other files (readme.txt)", "unzip it and give the embeddings file in it"),
        ["MATLAB 5"] = ([.. Encoding.ASCII.GetBytes("MATLAB 5.0 MAT-file, Platform: GLNXA64".PadRight(116)), .. new byte[12], 0, 1, (byte)'I', (byte)'M'],
            "is a MATLAB .mat file of a version before 7.3", "save it with save(path, 'x', '-v7.3')"),
        ["Feather 1"] = ([.. "FEA1"u8, .. new byte[16], .. "FEA1"u8], "is Feather version 1", "write it again, e.g. with pyarrow.feather.write_feather"),
        ["legacy torch"] = (File.ReadAllBytes(GoldenFileTests.Golden("legacy.pt")), "is in PyTorch's legacy format", "save it again with a current torch.save"),
    };

    /// <summary>The text formats' real bytes, read under their own extensions and refused, naming them, under others.</summary>
    private static readonly (string Golden, string What, string[] Own)[] Texts =
    [
        ("plain.csv", "is comma-separated text (CSV)", [".csv"]),
        ("plain.tsv", "is tab-separated text", [".tsv"]),
        ("records_f32.jsonl", "is JSON text", [".jsonl", ".ndjson"]),
    ];

    /// <summary>The binary formats' real bytes, each written by the tests' own writers or numpy, and their own extension.</summary>
    private Dictionary<string, (byte[] Bytes, string Own)> Binary()
    {
        float?[]?[] rows = [[1f, 2f], [3f, 4f], [5f, 7f]];
        return new()
        {
            ["npy"] = (File.ReadAllBytes(GoldenFileTests.Golden("le_f4.npy")), ".npy"),
            ["npz"] = (File.ReadAllBytes(GoldenFileTests.Golden("stored.npz")), ".npz"),
            ["safetensors"] = (File.ReadAllBytes(GoldenFileTests.Golden("single.safetensors")), ".safetensors"),
            ["pt"] = (File.ReadAllBytes(GoldenFileTests.Golden("tensor.pt")), ".pt"),
            ["h5"] = (Written(path => new PureHDF.H5File { ["x"] = new float[3, 2] { { 1, 2 }, { 3, 4 }, { 5, 7 } } }.Write(path)), ".h5"),
            ["parquet"] = (Written(path => TableWriter.Parquet(path, ["x", "y", "z"], rows)), ".parquet"),
            ["arrow file"] = (Written(path => TableWriter.Arrow(path, [1, 2, 3], rows, TableWriter.ListKind.List, FloatType.Default)), ".arrow"),
            ["arrow stream"] = (Written(path => TableWriter.Arrow(path, [1, 2, 3], rows, TableWriter.ListKind.List, FloatType.Default, stream: true)), ".arrow"),
        };
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public void ContentOfNoFormatIsRefusedInOneLineSayingWhatItIsAndWhatToDo(string extension)
    {
        var b = Path.Combine(dir, "b.npy");
        Npy.Write(b, new float[] { 1, 2, 3, 4, 5, 7 }, 3, 2);
        var problems = new List<string>();
        foreach (var (kind, (bytes, what, todo)) in Foreign())
        {
            // Text under a text format's name is that format: its reader names the cell or line that is wrong.
            bool told = !(kind == "prose" && extension is ".csv" or ".tsv" or ".jsonl" or ".ndjson");
            Refused(kind, extension, bytes, told ? what : null, told ? todo : null, problems, b);
        }
        foreach (var (golden, what, own) in Texts)
        {
            if (own.Contains(extension)) continue;
            string ext = own[0];
            Refused(golden, extension, File.ReadAllBytes(GoldenFileTests.Golden(golden)), what, $"rename it to end in {ext} (text files are read by their extension)", problems, b);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// A binary format RepDiff reads is read whatever the name: a user who gave pytorch_model.bin or an .npz saved as a.npy
    /// meant those embeddings. The name is warned of, once, where it says another format; text of a text format is read under its own name.
    /// </summary>
    [Theory]
    [MemberData(nameof(Extensions))]
    public void AReadableFormatUnderAnyNameIsReadWithAtMostOneWarning(string extension)
    {
        var problems = new List<string>();
        var contents = Binary().Select(c => (c.Key, c.Value.Bytes, c.Value.Own))
            .Concat(Texts.Where(t => t.Own.Contains(extension)).Select(t => (t.Golden, File.ReadAllBytes(GoldenFileTests.Golden(t.Golden)), t.Own[0])));
        foreach (var (kind, bytes, own) in contents)
        {
            string path = Path.Combine(dir, "emb" + extension);
            File.WriteAllBytes(path, bytes);
            var run = Run("inspect", path, "--json");
            var (named, content) = (EmbeddingFormat.OfExtension(path), EmbeddingFormat.OfExtension(own)!);
            // Arrow files and streams are read alike under any Arrow name.
            bool warned = named is not null && named.Noun != content.Noun;
            var readAs = named is not null && !warned ? named : content;
            if (run.Code != 0)
                problems.Add($"{kind} as {extension}: exit {run.Code}: {run.Stderr.Trim()}");
            else if (run.ErrorLines.Length != (warned ? 1 : 0))
                problems.Add($"{kind} as {extension}: stderr {run.Stderr.Trim()}");
            else if (warned && run.ErrorLines[0] != $"warning: emb{extension} is {content.Noun} by its content, not {extension} as its name says; read as one (rename it to end in {own})")
                problems.Add($"{kind} as {extension}: {run.ErrorLines[0]}");
            else if (JsonNode.Parse(run.Stdout)?["format"]?.GetValue<string>() is var shown && shown != (readAs.Shown ?? readAs.Extensions[0]))
                problems.Add($"{kind} as {extension}: read as {shown}, not {own}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    public static TheoryData<string, string> SideFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var option in new[] { "--labels", "--texts", "--metadata" })
            foreach (var kind in new[] { "npy", "html", "one-line html", "zip of text", "parquet" })
                // Texts may be one HTML document per line (TextsOfOneHtmlDocumentPerLineAreRead).
                if (!(option == "--texts" && kind == "one-line html")) data.Add(option, kind);
        return data;
    }

    /// <summary>
    /// A side file (labels, texts, metadata) whose bytes are another format is refused in one line naming the option, the
    /// file and what it is: an .npy given as --texts had been "line 1 is not valid UTF-8", an HTML page as --labels "has 1
    /// entries but the representations have 60 rows" (a page on one line still was, after h238), a zip or Parquet table as
    /// --metadata refused at a NUL byte; and the line began with the file alone, which does not say which input it was. Each
    /// is named .txt (.csv for --metadata, which reads tables by their name), as a file is that was saved in place of the text one.
    /// </summary>
    [Theory]
    [MemberData(nameof(SideFiles))]
    public void ASideFileOfAnotherFormatIsRefusedSayingWhatItIs(string option, string kind)
    {
        var (a, b, _) = SmallPair(dir);
        var (bytes, what) = kind switch
        {
            "npy" => (File.ReadAllBytes(GoldenFileTests.Golden("le_f4.npy")), "is an .npy array"),
            "html" => (Foreign()["error page"].Bytes, "is an HTML page"),
            "one-line html" => ("<!DOCTYPE html><html><head><title>404</title></head><body>Not Found</body></html>\n"u8.ToArray(), "is an HTML page"),
            "zip of text" => (ZipOf("readme.txt"), "is a zip archive of other files (readme.txt)"),
            _ => (Binary()["parquet"].Bytes, "is a Parquet table"),
        };
        string side = Path.Combine(dir, option == "--metadata" ? "side.csv" : "side.txt"), output = Path.Combine(dir, "out");
        File.WriteAllBytes(side, bytes);
        var run = Run("compare", a, b, option, side, "--out", output);
        run.AssertBadInput($"error: {option} {side}: {what}");
        Assert.False(Directory.Exists(output), "--out was made");
    }

    /// <summary>
    /// A corpus of one HTML document per line is texts, not a web page saved in place of the file: only a page whose first
    /// line is its doctype or &lt;html&gt; tag alone is refused as one.
    /// </summary>
    [Fact]
    public void TextsOfOneHtmlDocumentPerLineAreRead()
    {
        var (a, b, _) = SmallPair(dir);
        string texts = Path.Combine(dir, "pages.txt"), output = Path.Combine(dir, "out");
        File.WriteAllLines(texts, Enumerable.Range(0, 60).Select(i => $"<!DOCTYPE html><html><body><p>page {i} of the crawl</p></body></html>"));
        var run = Run("pca", a, b, "--texts", texts, "--maps", "pca", "--out", output);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.True(File.Exists(Path.Combine(output, "results.json")));
    }

    /// <summary>
    /// One refusal: a pair command given the file as A ends with exit code 2 and exactly one line, naming the file, saying
    /// what it is (when RepDiff can tell) and what to do, and --out is not made.
    /// </summary>
    private void Refused(string kind, string extension, byte[] bytes, string? what, string? todo, List<string> problems, string b)
    {
        string name = "emb" + extension, path = Path.Combine(dir, name), output = Path.Combine(dir, "out");
        File.WriteAllBytes(path, bytes);
        var run = Run("metrics", path, b, "--out", output);
        string line = run.Stderr.TrimEnd('\n');
        if (run.Code != 2 || run.ErrorLines.Length != 1 || line.Contains('\n'))
            problems.Add($"{kind} as {extension}: exit {run.Code}, stderr: {run.Stderr.Trim()}");
        else if (!line.StartsWith($"error: {path}: "))
            problems.Add($"{kind} as {extension}: does not name the file first: {line}");
        else if (what is not null && !line.Contains(what))
            problems.Add($"{kind} as {extension}: does not say '{what}': {line}");
        else if (todo is not null && !line.Contains(todo))
            problems.Add($"{kind} as {extension}: does not say '{todo}': {line}");
        if (Directory.Exists(output)) problems.Add($"{kind} as {extension}: --out was made");
    }

    private byte[] Written(Action<string> write)
    {
        string path = Path.Combine(dir, "written");
        write(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }

    internal static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest)) gzip.Write(bytes);
        return memory.ToArray();
    }

    private static byte[] ZipOf(string entry)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create))
        using (var writer = new StreamWriter(zip.CreateEntry(entry).Open()))
            writer.Write("not embeddings");
        return memory.ToArray();
    }

    /// <summary>A text file given as embeddings under the name of another text format is refused naming its own (JSON Lines as .csv).</summary>
    [Theory]
    [InlineData("records_f32.jsonl", "emb.csv", "is JSON text, not a CSV file as its name says; if it holds one record or vector per line, rename it to end in .jsonl")]
    [InlineData("plain.csv", "emb.jsonl", "is comma-separated text (CSV), not a JSON Lines file as its name says; if it is a table of numbers, rename it to end in .csv")]
    [InlineData("plain.csv", "emb.tsv", "is comma-separated text (CSV), not a TSV file as its name says; if it is a table of numbers, rename it to end in .csv")]
    [InlineData("plain.tsv", "emb.csv", "is tab-separated text, not a CSV file as its name says; if it is a table of numbers, rename it to end in .tsv")]
    public void TextUnderAnotherTextFormatsNameIsRefusedNamingItsOwn(string golden, string name, string message)
    {
        string path = Path.Combine(dir, name);
        File.Copy(GoldenFileTests.Golden(golden), path);
        Run("inspect", path).AssertBadInput($"{path}: {message}");
    }

    /// <summary>
    /// A .tsv of decimal commas (a spreadsheet's export) has tabs and commas in its first line: it is a TSV file, and its
    /// reader names the first cell that is no number and the decimal comma; "rename it to end in .csv" would have it split
    /// at the decimal commas.
    /// </summary>
    [Fact]
    public void ATsvWithDecimalCommasIsLeftToItsReaderWhichNamesTheDecimalComma()
    {
        string path = Path.Combine(dir, "emb.tsv");
        File.WriteAllText(path, "0,5\t0,25\n1,5\t2,0\n3,0\t1,0\n");
        Run("inspect", path).AssertBadInput($"{path}: line 2 column 1: '1,5' is not a number (a decimal comma, as spreadsheets in many locales write numbers? "
            + "numbers are read with a decimal point: 0.5, not 0,5)");
    }

    /// <summary>
    /// Bytes of no signature under a binary format's name reach that format's reader, whose refusal says what the file is not
    /// and what to do, in one line: .npz and .pt had said .NET's "End of Central Directory record could not be found", a
    /// .safetensors "safetensors header claims 506097522914230528 bytes but the file holds 1016", an .h5 "is not an HDF5 file
    /// (no HDF5 signature)", none of them what to do.
    /// </summary>
    [Theory]
    [InlineData(".npy", "not a .npy file", "save it with np.save")]
    [InlineData(".npz", "is not a readable .npz file", "save it again with np.savez")]
    [InlineData(".safetensors", "is not a readable safetensors file", "save it again with safetensors' save_file")]
    [InlineData(".pt", "is not a readable .pt file", "save it again with torch.save")]
    [InlineData(".pth", "is not a readable .pt file", "save it again with torch.save")]
    [InlineData(".h5", "is not an HDF5 file", "save it again with h5py")]
    [InlineData(".hdf5", "is not an HDF5 file", "save it again with h5py")]
    [InlineData(".parquet", "is not a readable Parquet file", "write it again")]
    [InlineData(".arrow", "not an Arrow IPC stream", "write it again")]
    [InlineData(".feather", "not an Arrow IPC stream", "write it again")]
    public void UnrecognisedBytesUnderABinaryNameSayWhatTheFileIsNotAndWhatToDo(string extension, string isNot, string todo)
    {
        var b = Path.Combine(dir, "b.npy");
        Npy.Write(b, new float[] { 1, 2, 3, 4, 5, 7 }, 3, 2);
        // Bytes 0, 1, 2, …: no signature, no text.
        byte[] bytes = [.. Enumerable.Range(0, 1024).Select(i => (byte)i)];
        var problems = new List<string>();
        Refused("unrecognised bytes", extension, bytes, isNot, todo, problems, b);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// json.dump of a list of vectors is one JSON value, not JSON Lines: named .jsonl it had been "line 1: value 0 of the vector
    /// is a list, not a number" (or, written with indent, "line 1 is not valid JSON"); named .csv, "rename it to end in .jsonl",
    /// which would not have helped. A JSON Lines file of one vector per line is still read.
    /// </summary>
    [Theory]
    [InlineData("emb.jsonl", "[[0.5, 1.5], [2.5, 3.5], [4.5, 5.5]]\n", "a JSON Lines file")]
    [InlineData("emb.jsonl", "[\n  [0.5, 1.5],\n  [2.5, 3.5]\n]\n", "a JSON Lines file")]
    [InlineData("emb.jsonl", "[{\"id\": \"a\", \"embedding\": [0.5, 1.5]}]\n", "a JSON Lines file")]
    [InlineData("emb.csv", "[[0.5, 1.5], [2.5, 3.5]]\n", "a CSV file")]
    public void AJsonArrayIsNotJsonLines(string name, string content, string noun)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, content);
        Run("inspect", path).AssertBadInput($"{path}: is a JSON array holding every vector or record in one value, not {noun} as its name says; "
            + "JSON Lines holds one per line: write each on a line of its own (Python: f.writelines(json.dumps(v) + \"\\n\" for v in vectors)) in a file named .jsonl, or save the vectors with np.save");
        File.WriteAllText(path = Path.Combine(dir, "vectors.jsonl"), "[0.5, 1.5]\n[2.5, 3.5]\n[4.5, 5.5]\n");
        var read = Run("inspect", path);
        Assert.True(read.Code == 0, read.Stderr);
    }

    /// <summary>The .mat case the extension had decided: text, an HTML page or nothing named .mat is not MATLAB's older format.</summary>
    [Fact]
    public void AMatFileThatIsTextIsNotCalledMatlabs()
    {
        string path = Path.Combine(dir, "emb.mat");
        File.WriteAllText(path, "0.5,1.5\n2.5,3.5\n");
        var run = Run("inspect", path);
        run.AssertBadInput($"{path}: is comma-separated text (CSV), not a MATLAB .mat file as its name says; if it is a table of numbers, rename it to end in .csv");
        Assert.DoesNotContain("version before 7.3", run.Stderr);
    }
}
