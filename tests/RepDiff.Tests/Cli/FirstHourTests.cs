using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using RepDiff.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Cli;

/// <summary>
/// A new user's first hour: the options they guess and the files they already have (token embeddings not pooled, a
/// pickled array, a CSV with a label column, a Hugging Face datasets folder). Each mistake gets one line saying what to do.
/// </summary>
public class FirstHourTests
{
    private readonly string dir = TestData.TempDir();

    /// <summary>
    /// An option the command lacks names the one meant: misspelt, cut short, run on or as other tools call it. These had
    /// been "Unrecognized command or argument '--lables' (and 1 more)", the "1 more" being the option's own value.
    /// </summary>
    [Theory]
    [InlineData("--lables", "--labels")]
    [InlineData("--label", "--labels")]
    [InlineData("--labels-file", "--labels")]
    [InlineData("--output", "--out")]
    [InlineData("-o", "--out")]
    [InlineData("--n-clusters", "--concepts")]
    [InlineData("--id-col", "--id-column")]
    [InlineData("--meta", "--metadata")]
    [InlineData("--random-state", "--seed")]
    public void AMistypedOptionNamesTheOneMeant(string typed, string meant)
    {
        var (a, b, _) = SmallPair(dir);
        var outcome = Run("rdx", a, b, typed, "x", "--out", Path.Combine(dir, "out"));
        outcome.AssertBadInput($"Unrecognized command or argument '{typed}' (did you mean {meant}?); see --help");
        Assert.DoesNotContain("more)", outcome.Stderr);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    /// <summary>
    /// A mistyped option where the command takes files is taken by the parser as a file: `compare --model-a … --text s.txt`
    /// had said "give either embeddings A and B or --model-a/--model-b, not both" ('--text' was A, the sentences B),
    /// `rdx a.npy --lables l.txt` "'l.txt' is one more" and `inspect --jsn a.npy` "'a.npy' is one more".
    /// </summary>
    [Fact]
    public void AMistypedOptionInAFilesPlaceIsNamedAsAnOption()
    {
        var (a, b, labels) = SmallPair(dir);
        string texts = Path.Combine(dir, "texts.txt"), output = Path.Combine(dir, "out");
        File.WriteAllLines(texts, ["one", "two"]);
        Run("compare", "--model-a", "minilm-l6", "--model-b", "arctic-embed-xs", "--text", texts, "--out", output)
            .AssertBadInput("error: Unrecognized command or argument '--text' (did you mean --texts?); see --help");
        Run("compare", "--text", texts, a, b, "--out", output)
            .AssertBadInput("error: Unrecognized command or argument '--text' (did you mean --texts?); see --help");
        Run("rdx", a, "--lables", labels, "--out", output)
            .AssertBadInput("error: Unrecognized command or argument '--lables' (did you mean --labels?); see --help");
        Run("inspect", "--jsn", a).AssertBadInput("error: Unrecognized command or argument '--jsn' (did you mean --json?); see --help");
        Run("rdx", a, "--frobnicate", "--out", output).AssertBadInput("error: Unrecognized command or argument '--frobnicate'; see --help");
        // After `--` a word is a file, whatever it starts with.
        Run("rdx", "--out", output, "--", a, "-missing.npy").AssertBadInput("error: -missing.npy: file not found");
        Assert.False(Directory.Exists(output));
    }

    /// <summary>
    /// The bundled data is gzip'd, and a newcomer gives it as it is: brown-sentences.tsv.gz as --texts had been "line 1 is
    /// not valid UTF-8", test-labels.csv.gz as --labels and test-images.npy.gz as --images "line 1 holds a NUL character:
    /// UTF-16 text without a byte order mark, or a binary file?".
    /// </summary>
    [Fact]
    public void ACompressedTextFileSaysToDecompressIt()
    {
        var (a, b, _) = SmallPair(dir);
        string data = Path.Combine(TestData.RepoRoot, "data"), output = Path.Combine(dir, "out");
        foreach (var (option, file) in new[] { ("--texts", "brown/brown-sentences.tsv.gz"), ("--labels", "fashion-mnist/test-labels.csv.gz"), ("--images", "fashion-mnist/test-images.npy.gz") })
        {
            string path = Path.Combine(data, file);
            Run("compare", a, b, option, path, "--out", output)
                .AssertBadInput($"error: {option} {path}: is gzip-compressed; decompress it first (gunzip -c {path} > {path[..^3]}): text files are read as they are");
        }
        string xz = Path.Combine(dir, "labels.txt.xz");
        File.WriteAllBytes(xz, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 4]);
        Run("rdx", a, b, "--labels", xz, "--out", output).AssertBadInput($"{xz}: is xz-compressed; decompress it first (unxz -c {xz} > {xz[..^3]})");
        string bz2 = Path.Combine(dir, "texts.txt.bz2");
        File.WriteAllBytes(bz2, [(byte)'B', (byte)'Z', (byte)'h', (byte)'9', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0, 0]);
        Run("rdx", a, b, "--texts", bz2, "--out", output).AssertBadInput($"{bz2}: is bzip2-compressed; decompress it first (bunzip2 -c {bz2} > {bz2[..^4]})");
        // A text that starts as bzip2 does is a text.
        string bzText = Path.Combine(dir, "bz.txt");
        File.WriteAllLines(bzText, ["BZh9 is a line of text", "another"]);
        Assert.Equal(["BZh9 is a line of text", "another"], RepDiff.IO.SampleFiles.LoadTexts(bzText));
        // A name without the suffix, with a space in it, from another folder: the command still works where the user is.
        string odd = Path.Combine(dir, "my labels");
        File.WriteAllBytes(odd, [0x1f, 0x8b, 8, 0]);
        Run("rdx", a, b, "--labels", odd, "--out", output).AssertBadInput($"{odd}: is gzip-compressed; decompress it first (gunzip -c '{odd}' > '{odd}.txt')");
        Assert.False(Directory.Exists(output));
    }

    /// <summary>
    /// The bundled Brown sentences decompressed (id, document, genre, text) and given as --texts: every line was taken whole
    /// as a text, the header and each sentence's id, document and genre embedded with it, and nothing said.
    /// </summary>
    [Fact]
    public void ATableOfTextsIsRefusedNamingItsTextColumn()
    {
        var (a, b, _) = SmallPair(dir);
        string table = Path.Combine(dir, "brown.tsv"), output = Path.Combine(dir, "out");
        File.WriteAllLines(table, ["id\tdocument\tgenre\ttext", "ca01.005\tca01\tnews\tThe jury said it did find that.", "ca01.049\tca01\tnews\tDespite the warning, there was a vote."]);
        Run("compare", a, b, "--texts", table, "--out", output).AssertBadInput(
            $"{table}: every line holds 4 tab-separated fields, as a table does (line 1: 'id document genre text'); texts are read one per line, each line whole: give the text column alone (tail -n +2 {table} | cut -f4 > texts.txt)");
        // A text that holds a tab, among texts that do not, is a text.
        string texts = Path.Combine(dir, "texts.tsv");
        File.WriteAllLines(texts, ["one\ttab", "none here"]);
        Assert.Equal(["one\ttab", "none here"], RepDiff.IO.SampleFiles.LoadTexts(texts));
        // One line with a tab, and lines each indented by a tab, are texts too.
        File.WriteAllLines(texts, ["if x:\treturn"]);
        Assert.Equal(["if x:\treturn"], RepDiff.IO.SampleFiles.LoadTexts(texts));
        File.WriteAllLines(texts, ["\tindented", "\tand again"]);
        Assert.Equal(["\tindented", "\tand again"], RepDiff.IO.SampleFiles.LoadTexts(texts));
        Assert.False(Directory.Exists(output));
    }

    /// <summary>A word nothing resembles is named without a guess, and a second unknown word is still counted.</summary>
    [Fact]
    public void AnOptionLikeNothingIsNamedWithoutAGuess()
    {
        var (a, b, _) = SmallPair(dir);
        Run("rdx", a, b, "--frobnicate", "3").AssertBadInput("error: Unrecognized command or argument '--frobnicate'; see --help");
        Run("rdx", a, b, "--frobnicate", "3", "--wibble", "4").AssertBadInput("'--frobnicate' (and 1 more); see --help");
    }

    /// <summary>
    /// `--key a … --key b`, the obvious guess for two arrays of one .npz, had said "Option '--key' expects a single argument
    /// but 2 were provided", not that A and B have options of their own.
    /// </summary>
    [Fact]
    public void AnOptionGivenTwicePointsToItsPerSideOptions()
    {
        var (a, b, _) = SmallPair(dir);
        Run("rdx", a, b, "--key", "a", "--key", "b").AssertBadInput("--key is given more than once; to give A and B each its own, use --key-a and --key-b");
        Run("rdx", a, b, "--column", "a", "--column", "b").AssertBadInput("--column is given more than once; to give A and B each its own, use --column-a and --column-b");
        Run("rdx", a, b, "--seed", "1", "--seed", "2").AssertBadInput("--seed is given more than once; give it once");
    }

    /// <summary>
    /// A key refused names the option as typed (helper h145): --column-a, --key's alias for A, had been named "--key-a",
    /// and `--key-a x --key-b x` as "--key", which was not given (one value for both had been taken for --key).
    /// </summary>
    [Fact]
    public void ARefusedKeyNamesTheOptionAsTyped()
    {
        var (a, b, _) = SmallPair(dir);
        string outDir = Path.Combine(dir, "out");
        Run("compare", a, b, "--column-a", "x", "--out", outDir).AssertBadInput("--column-a x: a.npy holds one array; --column-a picks an array");
        Run("compare", a, b, "--key-a", "x", "--key-b", "x", "--out", outDir).AssertBadInput("--key-a x: a.npy holds one array; --key-a picks");
        Run("rdx", a, b, "--column-b", "x", "--out", outDir).AssertBadInput("--column-b x: b.npy holds one array");
        Run("rdx", a, b, "--column", "x", "--out", outDir).AssertBadInput("--column x: a.npy and b.npy hold one array each; --column picks");
        Run("finc", a, b, "--column", "x", "--out", outDir).AssertBadInput("--column x: a.npy and b.npy hold one array each");
        Run("metrics", a, b, "--column-b", " ", "--out", outDir).AssertBadInput("--column-b: is empty");
        Assert.False(Path.Exists(outDir));
    }

    /// <summary>
    /// --key picks the array of every input that has arrays, and --key-a overrides it for A: `--key emb --key-a emb` on an
    /// .npz A and an .npy B runs as `--key emb` alone does (it had been refused naming --key, "b.npy holds one array", as if
    /// --key had been given for B alone). The run records A's array, and no key for B, whose one array no key picks.
    /// </summary>
    [Fact]
    public void KeyBesideKeyAOnAnNpzAndAnNpyRunsAsKeyAloneDoes()
    {
        var (a, b, _) = SmallPair(dir);
        string npz = Path.Combine(dir, "a.npz");
        using (var zip = ZipFile.Open(npz, ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(a, "emb.npy");
            zip.CreateEntryFromFile(b, "other.npy");
        }
        foreach (string[] keys in new[] { new[] { "--key", "emb", "--key-a", "emb" }, ["--key", "emb"], ["--column", "other", "--column-a", "emb"] })
        {
            string outDir = Path.Combine(dir, $"out{keys.Length}{keys[1]}");
            var run = Run(["kmeans", npz, b, .. keys, "--concepts", "3", "--maps", "pca", "--out", outDir]);
            Assert.True(run.Code == 0, run.Stderr);
            var inputs = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["inputs"]!.AsObject();
            Assert.Equal("emb", (string?)inputs["key_a"]);
            Assert.False(inputs.ContainsKey("key_b"));
        }
    }

    /// <summary>--key beside both --key-a and --key-b picks no array: refused saying so, where it had been ignored without a word.</summary>
    [Theory]
    [InlineData("--key", "--key-a", "--key-b")]
    [InlineData("--column", "--column-a", "--column-b")]
    public void AKeyEveryInputOverridesIsRefused(string both, string keyA, string keyB)
    {
        var (a, b, _) = SmallPair(dir);
        string npz = Path.Combine(dir, "ab.npz");
        using (var zip = ZipFile.Open(npz, ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(a, "x.npy");
            zip.CreateEntryFromFile(b, "y.npy");
        }
        string outDir = Path.Combine(dir, "out");
        Run(["kmeans", npz, npz, both, "z", keyA, "x", keyB, "y", "--out", outDir])
            .AssertBadInput($"error: {both} z: {keyA} and {keyB} both override it, so it picks no array; leave it out");
        Assert.False(Directory.Exists(outDir));
        // One side's override leaves --key for the other, which runs.
        var run = Run(["kmeans", npz, npz, both, "y", keyA, "x", "--concepts", "3", "--maps", "pca", "--out", outDir]);
        Assert.True(run.Code == 0, run.Stderr);
    }

    /// <summary>A .npy of the given header dict and data, padded as numpy pads it.</summary>
    private string WriteNpy(string name, string descr, string shape, byte[] data)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int unpadded = 10 + dict.Length + 1;
        string header = dict + new string(' ', (unpadded + 63) / 64 * 64 - unpadded) + "\n";
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, (byte)(header.Length >> 8), .. Encoding.Latin1.GetBytes(header), .. data]);
        return path;
    }

    /// <summary>
    /// Token embeddings saved before pooling ([n, tokens, d], a transformer's last hidden state) had been refused with
    /// their shape alone; the line now says what the shape likely is and how to pool it.
    /// </summary>
    [Fact]
    public void UnpooledTokenEmbeddingsSayHowToPool()
    {
        var (a, _, _) = SmallPair(dir);
        string tokens = WriteNpy("tokens.npy", "<f4", "(60, 4, 2)", new byte[60 * 4 * 2 * 4]);
        Run("rdx", tokens, a, "--out", Path.Combine(dir, "out")).AssertBadInput(
            "tokens.npy: expected a 2-D array (samples × dimensions), found shape (60, 4, 2): one vector per token (samples × tokens × dimensions)? "
            + "Pool them to one per sample first, e.g. x.mean(axis=1), or x[:, 0] for the first ([CLS]) token; "
            + "or pixel arrays (samples × height × width)? give them with --images, or embed them with `repdiff embed resnet18 --images FILE --out embeddings.npy`");
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    /// <summary>An object array (np.save of a list of arrays) had been "unsupported dtype '|O'" beside the dtypes read, not what it is or what to do.</summary>
    [Fact]
    public void AnObjectArraySaysItIsPickledObjects()
    {
        var (a, _, _) = SmallPair(dir);
        // A pickle's opening bytes (protocol 3): never run, the dtype alone refuses it.
        string objects = WriteNpy("objects.npy", "|O", "(60,)", [0x80, 0x03, (byte)'N', (byte)'.']);
        Run("rdx", objects, a, "--out", Path.Combine(dir, "out")).AssertBadInput(
            "objects.npy: unsupported dtype '|O': Python objects (pickled), not numbers; RepDiff runs no pickle: save a numeric array instead, e.g. np.save(path, np.stack(rows).astype(np.float32))");
    }

    /// <summary>
    /// Labels saved from a pandas column (np.save(path, df["label"].values, allow_pickle=True)) are an object array: it had
    /// been refused with the embeddings' advice, "save a numeric array instead, e.g. np.stack(rows).astype(np.float32)".
    /// </summary>
    [Fact]
    public void ObjectLabelsSayHowToSaveStrings()
    {
        var (a, b, _) = SmallPair(dir);
        string labels = WriteNpy("labels.npy", "|O", "(60,)", [0x80, 0x03, (byte)'N', (byte)'.']);
        string ids = WriteNpy("ids.npy", "|O", "(60,)", [0x80, 0x03, (byte)'N', (byte)'.']);
        string outDir = Path.Combine(dir, "out");
        const string advice = "unsupported dtype '|O': Python objects (pickled), as a pandas column's .values holds its strings; "
            + "RepDiff runs no pickle: save them as numpy strings instead, e.g. np.asarray(labels, dtype=str)";
        Run("pca", a, b, "--labels", labels, "--out", outDir).AssertBadInput("labels.npy: " + advice);
        Run("pca", a, b, "--ids", ids, "--out", outDir).AssertBadInput("ids.npy: " + advice);
        Assert.False(Directory.Exists(outDir));
    }

    /// <summary>
    /// np.memmap (or tofile) writes raw bytes with no header; named .npy, it had been "not a .npy file (wrong magic bytes)",
    /// which says neither why nor what to do.
    /// </summary>
    [Fact]
    public void ARawMemmapSaysHowToWriteAHeader()
    {
        var (_, b, _) = SmallPair(dir);
        string raw = Path.Combine(dir, "raw.npy");
        File.WriteAllBytes(raw, Enumerable.Range(0, 60 * 8).SelectMany(i => BitConverter.GetBytes(i * 0.25f)).ToArray());
        Run("pca", raw, b, "--out", Path.Combine(dir, "out")).AssertBadInput("raw.npy: not a .npy file: it does not begin with numpy's header "
            + "(raw bytes, as np.memmap and tofile write them, say neither dtype nor shape); save it with np.save, or make the memmap with np.lib.format.open_memmap");
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    /// <summary>
    /// np.savetxt separates by spaces unless told otherwise. Such a .csv had its first row taken for a header and the
    /// next for a column of ids: "give --id-column 1.25e-01 -3.5e-01, otherwise remove it". A .tsv likewise.
    /// </summary>
    [Theory]
    [InlineData("emb.csv", "a .csv is read by commas: np.savetxt(path, x, delimiter=',')")]
    [InlineData("emb.tsv", "a .tsv is read by tabs: np.savetxt(path, x, delimiter='\\t')")]
    public void SpaceSeparatedNumbersSayHowToSaveThem(string name, string how)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllLines(path, Enumerable.Range(0, 60).Select(i => $"{i + 1}.250000000000000000e-01 -3.500000000000000000e+0{i % 3} 7.5e-01"));
        var outcome = Run("inspect", path);
        outcome.AssertBadInput($"{name}: line 2 column 1: '2.250000000000000000e-01 -3.500000000000…' is not a number "
            + $"(fields separated by spaces, as np.savetxt writes them by default? {how})");
        Assert.DoesNotContain("--id-column", outcome.Stderr);
    }

    /// <summary>
    /// A CSV of id, label and dimensions, as a pandas user writes it: the id column had been "(name it as the id column)"
    /// without the flag, and once named, the label column "'cat' is not a number" without what to do.
    /// </summary>
    [Fact]
    public void TextColumnsOfACsvAreNamedWithWhatToDo()
    {
        var (a, _, _) = SmallPair(dir);
        string csv = Path.Combine(dir, "emb.csv");
        File.WriteAllLines(csv, ["id,label,f0,f1", .. Enumerable.Range(0, 60).Select(i => $"s{i},{(i % 2 == 0 ? "cat" : "dog")},0.{i + 1},1.{i}")]);
        string tail = ": an embedding table holds only numbers beside its id column (labels go in --labels, other columns in --metadata)";
        Run("rdx", csv, a).AssertBadInput(
            "emb.csv: line 2 column 1 ('id'), column 2 ('label'): 's0', 'cat' are not numbers; if 'id' holds sample ids, give --id-column id, and remove the other" + tail);
        Run("rdx", csv, a, "--id-column", "id").AssertBadInput("emb.csv: line 2 column 2 ('label'): 'cat' is not a number; remove it" + tail);
        File.WriteAllLines(csv, ["id,f0,f1", .. Enumerable.Range(0, 60).Select(i => $"s{i},0.{i + 1},1.{i}")]);
        Run("rdx", csv, a).AssertBadInput("emb.csv: line 2 column 1 ('id'): 's0' is not a number; if it holds sample ids, give --id-column id, otherwise remove it" + tail);
    }

    /// <summary>
    /// A spreadsheet's CSV: semicolons between fields and decimal commas, so the header is one field and a row many. It had
    /// been "line 2 has 3 fields but the first row has 1", where a first row of numbers already got the semicolon hint.
    /// </summary>
    [Fact]
    public void ASemicolonHeaderAboveDecimalCommasGetsTheSemicolonHint()
    {
        string csv = Path.Combine(dir, "excel.csv");
        File.WriteAllLines(csv, ["id;f0;f1", "s0;0,5;1,25", "s1;0,75;1,5"]);
        Run("inspect", csv).AssertBadInput("excel.csv: line 2 has 3 fields but the first row has 1 (fields separated by ';', as spreadsheets with decimal commas write them? a .csv is read by commas and decimal points)");
    }

    /// <summary>
    /// A folder where a file belongs had been "unsupported file type ''". A Hugging Face datasets folder (save_to_disk)
    /// names the Arrow file in it; a folder of shards names them and says RepDiff reads one file; an empty one says so.
    /// </summary>
    [Fact]
    public void AFolderGivenAsEmbeddingsNamesTheFilesInIt()
    {
        var (a, _, _) = SmallPair(Directory.CreateDirectory(Path.Combine(dir, "pair")).FullName);
        string datasets = Directory.CreateDirectory(Path.Combine(dir, "clip_embeds")).FullName;
        File.WriteAllText(Path.Combine(datasets, "dataset_info.json"), "{}");
        File.WriteAllText(Path.Combine(datasets, "state.json"), "{}");
        File.WriteAllBytes(Path.Combine(datasets, "data-00000-of-00001.arrow"), [1, 2, 3]);
        Run("rdx", datasets, a, "--out", Path.Combine(dir, "out")).AssertBadInput(
            $"clip_embeds: is a directory, not a file; give the file in it: {Path.Combine(datasets, "data-00000-of-00001.arrow")} (a Hugging Face datasets folder; --column names its embedding column)");
        Run("inspect", datasets).AssertBadInput("clip_embeds: is a directory, not a file; give the file in it:");

        File.WriteAllBytes(Path.Combine(datasets, "data-00001-of-00002.arrow"), [1, 2, 3]);
        File.Move(Path.Combine(datasets, "data-00000-of-00001.arrow"), Path.Combine(datasets, "data-00000-of-00002.arrow"));
        Run("rdx", a, datasets).AssertBadInput("clip_embeds: is a directory, not a file; give one of the 2 files in it (data-00000-of-00002.arrow, data-00001-of-00002.arrow)");

        string empty = Directory.CreateDirectory(Path.Combine(dir, "empty")).FullName;
        Run("rdx", empty, a).AssertBadInput("empty: is a directory, not a file, and holds no file RepDiff reads");
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    /// <summary>
    /// The folder hint suggests regular files only: a FIFO or a socket with a readable name had been offered as "the file in
    /// it", which the next run then refused (or, a FIFO, would block on).
    /// </summary>
    [Fact]
    public void AFolderHintSuggestsNoFifoOrSocket()
    {
        var (a, _, _) = SmallPair(Directory.CreateDirectory(Path.Combine(dir, "pair")).FullName);
        string folder = Directory.CreateDirectory(Path.Combine(dir, "embeds")).FullName;
        Fifo(Path.Combine(folder, "a-pipe.npy"));
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(folder, "b-socket.npy")));
        Run("rdx", folder, a, "--out", Path.Combine(dir, "out")).AssertBadInput("embeds: is a directory, not a file, and holds no file RepDiff reads");

        File.WriteAllBytes(Path.Combine(folder, "c.npy"), [1, 2, 3]);
        Run("rdx", folder, a, "--out", Path.Combine(dir, "out")).AssertBadInput($"embeds: is a directory, not a file; give the file in it: {Path.Combine(folder, "c.npy")}");
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    /// <summary>
    /// JSON Lines of {"id": …, "vector": […]} records (what embedding APIs and scripts write) had been "unsupported file
    /// type '.jsonl'", then a numpy one-liner to convert them: they are read as they are, the vector field found as the
    /// first list of numbers, the ids from "id". Records that are lists of numbers are the vectors themselves.
    /// </summary>
    [Fact]
    public void JsonLinesEmbeddingsAreRead()
    {
        string jsonl = Path.Combine(dir, "api.jsonl");
        File.WriteAllLines(jsonl, ["{\"id\": \"doc-1\", \"model\": \"m\", \"vector\": [0.5, -1.25]}", "{\"id\": \"doc-2\", \"model\": \"m\", \"vector\": [1, 2]}"]);
        using (var rows = Embeddings.OpenRows(jsonl))
        {
            Assert.Equal([0.5f, -1.25f, 1, 2], rows.ReadAll().Data);
            Assert.Equal(["doc-1", "doc-2"], rows.Ids!);
        }

        string bare = Path.Combine(dir, "bare.ndjson");
        File.WriteAllLines(bare, ["[0.5, 1.5]", "[1, 2]"]);
        var outcome = Run("inspect", bare);
        Assert.True(outcome.Code == 0, outcome.Stderr);
        Assert.Contains("(2, 2)", outcome.Stdout);
        Run("inspect", Path.Combine(dir, "absent.jsonl")).AssertBadInput("absent.jsonl: file not found");
    }

    /// <summary>A pickle (pickle.dump, joblib) and a JSON array of vectors had been "unsupported file type" alone.</summary>
    [Theory]
    [InlineData("emb.pkl", "emb.pkl: is a Python pickle, which RepDiff does not read (unpickling can run any code); save the array with np.save(\"emb.npy\", array) or the tensor with torch.save, whose .pt RepDiff reads without running anything")]
    [InlineData("feats.joblib", "is a Python pickle, which RepDiff does not read")]
    [InlineData("vectors.json", "vectors.json: JSON is not an embedding format RepDiff reads (.npy, .npz, .safetensors, .pt/.pth (torch.save), .h5/.hdf5, .csv, .tsv, .parquet, .arrow, .feather or .jsonl/.ndjson (JSON Lines)); save the vectors with numpy, e.g. np.save(\"vectors.npy\", np.array(vectors, np.float32))")]
    public void PicklesAndJsonSayHowToSaveTheArray(string name, string message)
    {
        var (a, _, _) = SmallPair(dir);
        string file = Path.Combine(dir, name);
        File.WriteAllBytes(file, [0x80, 4, 0x95, (byte)'[', (byte)']']);
        Run("rdx", file, a, "--out", Path.Combine(dir, "out")).AssertBadInput(message);
        Run("inspect", file).AssertBadInput(message);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
        Run("inspect", Path.Combine(dir, "absent" + Path.GetExtension(name))).AssertBadInput("file not found");
    }

    /// <summary>
    /// Labels or ids saved beside the embeddings in one .npz (np.savez(emb=…, labels=…)) had been read as text: "line 1
    /// holds a NUL character: UTF-16 text without a byte order mark, or a binary file?".
    /// </summary>
    [Fact]
    public void LabelsInAnNpzSayHowToSaveThem()
    {
        var (a, b, _) = SmallPair(dir);
        string npz = Path.Combine(dir, "bundle.npz");
        using (var zip = System.IO.Compression.ZipFile.Open(npz, System.IO.Compression.ZipArchiveMode.Create))
            zip.CreateEntry("labels.npy").Open().Dispose();
        string advice = "bundle.npz: labels and ids are not read from .npz files; save them as a 1-D .npy or a text file with one per line (np.save(\"labels.npy\", np.load(path)[\"labels\"]))";
        Run("rdx", a, b, "--labels", npz, "--out", Path.Combine(dir, "out")).AssertBadInput(advice);
        Run("rdx", a, b, "--ids", npz, "--out", Path.Combine(dir, "out")).AssertBadInput(advice);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    /// <summary>One side saved dimensions × samples had been told only that the row counts differ; which side is named.</summary>
    [Fact]
    public void ATransposedSideIsNamed()
    {
        var (a, _, _) = SmallPair(dir);
        var m = RepDiff.IO.Npy.ReadMatrix(a);
        string transposed = Path.Combine(dir, "features_T.npy");
        var t = new Matrix(m.Cols, m.Rows);
        for (int r = 0; r < m.Rows; r++)
            for (int c = 0; c < m.Cols; c++) t.Data[c * m.Rows + r] = m.Data[r * m.Cols + c];
        RepDiff.IO.Npy.Write(transposed, t);
        string advice = $"{transposed} is {m.Cols} × {m.Rows}: saved transposed (dimensions × samples)? save its transpose (x.T)";
        Run("rdx", a, transposed).AssertBadInput($"{a} has {m.Rows} rows but {transposed} has {m.Cols}; both must hold the same samples; {advice}");
        Run("rdx", transposed, a).AssertBadInput(advice);
        Run("metrics", a, transposed).AssertBadInput(advice);
    }

    /// <summary>CKA named in compare's --methods had been "unknown method 'cka'", as if compare did not report it.</summary>
    [Fact]
    public void ASimilarityScoreNamedAsAMethodSaysWhereItIs()
    {
        var (a, b, _) = SmallPair(dir);
        Run("compare", a, b, "--methods", "rdx,cka").AssertBadInput("--methods: unknown method 'cka'; available: rdx, spec, koda, spec-align, kmeans, pca, nmf, sae "
            + "('cka' is a similarity score, not a method: compare reports linear CKA and mutual k-NN beside every run, and `repdiff metrics A B` computes CKA, mutual k-NN and linear probes alone)");
    }

    /// <summary>A run's --out folder given to export had been "is a directory, not a file"; the results.json in it is named.</summary>
    [Fact]
    public void ARunsFolderGivenAsResultsNamesItsResultsJson()
    {
        var (a, b, _) = SmallPair(dir);
        string run = Path.Combine(dir, "run");
        Assert.Equal(0, Run("kmeans", a, b, "--out", run).Code);
        Run("export", run, "--format", "csv").AssertBadInput($"{run}: is a directory, not a file; give {Path.Combine(run, "results.json")}, the run's results in it");
        // evaluate too, though it writes RESULTS_JSON back: the check of where it writes had come first, saying "RepDiff will not
        // replace it with a file".
        Run("evaluate", run, a, b).AssertBadInput($"{run}: is a directory, not a file; give {Path.Combine(run, "results.json")}, the run's results in it");
    }

    /// <summary>One file too many had been "Unrecognized command or argument 'b.npy'", as if it were a misspelt command.</summary>
    [Fact]
    public void OneFileTooManyIsCountedAsSuch()
    {
        var (a, b, labels) = SmallPair(dir);
        Run("inspect", a, b).AssertBadInput($"inspect takes one file (FILE); '{b}' is one more (run inspect once per file)");
        Run("rdx", a, b, labels).AssertBadInput($"rdx takes 2 files (A, B); '{labels}' is one more; see --help");
    }
}
