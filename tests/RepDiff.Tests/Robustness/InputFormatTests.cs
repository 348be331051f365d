using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Types;
using RepDiff.IO;
using RepDiff.Tests.IO;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Robustness;

/// <summary>
/// Inputs whose names do not say their format (review 180, finding 10): a binary file is read by its signature where its
/// extension names none of RepDiff's formats (pytorch_model.bin, emb.vec, no extension) or another one (an .npz saved as
/// a.npy), the latter with one warning; text keeps its extension. Beside them, ids that only one input carries, and id and metadata columns of the wrong kind.
/// </summary>
public class InputFormatTests
{
    private readonly string dir = TestData.TempDir();

    private string CopyAs(string golden, string name)
    {
        string path = Path.Combine(dir, name);
        File.Copy(GoldenFileTests.Golden(golden), path, overwrite: true);
        return path;
    }

    private static JsonObject InspectJson(string path)
    {
        var run = Run("inspect", path, "--json");
        Assert.True(run.Code == 0, run.Stderr);
        return JsonNode.Parse(run.Stdout)!.AsObject();
    }

    [Theory]
    [InlineData("tensor.pt", "pytorch_model.bin", ".pt/.pth (torch.save)")]
    [InlineData("single.safetensors", "model.bin", ".safetensors")]
    [InlineData("le_f4.npy", "embeddings", ".npy")]
    [InlineData("le_f4.npy", "emb.vec", ".npy")]
    public void AFileOfNoKnownExtensionIsReadByItsContentWithoutAWord(string golden, string name, string format)
    {
        string path = CopyAs(golden, name);
        var run = Run("inspect", path, "--json");
        Assert.True(run.Code == 0, run.Stderr);
        Assert.DoesNotContain("warning", run.Stderr);
        Assert.Equal(format, (string)JsonNode.Parse(run.Stdout)!["format"]!);
        // The same values as the file under its own name, not only the same shape.
        Assert.Equal(Embeddings.Load(GoldenFileTests.Golden(golden)).Data, Embeddings.Load(path).Data);
    }

    [Fact]
    public void TablesAndHdf5OfNoKnownExtensionAreReadByTheirSignatures()
    {
        float?[]?[] rows = [[1f, 2f], [3f, 4f], [5f, 7f]];
        string parquet = TableWriter.Parquet(Path.Combine(dir, "train.data"), ["x", "y", "z"], rows);
        string arrowStream = TableWriter.Arrow(Path.Combine(dir, "cache.bin"), [1, 2, 3], rows, TableWriter.ListKind.List, FloatType.Default, stream: true);
        Assert.Equal(".parquet", (string)InspectJson(parquet)["format"]!);
        Assert.Equal(".arrow", (string)InspectJson(arrowStream)["format"]!);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 7f], Embeddings.Load(arrowStream).Data);
    }

    /// <summary>
    /// An archive of several arrays read by its content is listed with the format it was read as, in the table's title and
    /// in --json (`format`), as a file of one array is: "features: 2 arrays" had not said it was read as an .npz.
    /// </summary>
    [Fact]
    public void AnArchiveOfSeveralArraysListedSaysTheFormatItWasReadAs()
    {
        string path = CopyAs("stored.npz", "features");
        var run = Run("inspect", path);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Contains($"{path} (.npz): 2 arrays (give --key NAME to inspect one, and to use it as an input)", run.Stdout);
        var listing = InspectJson(path);
        Assert.Equal((".npz", 2), ((string)listing["format"]!, listing["arrays"]!.AsArray().Count));
    }

    [Theory]
    [InlineData("stored.npz", "emb.npy", "is an .npz archive by its content, not .npy as its name says; read as one (rename it to end in .npz)")]
    [InlineData("le_f4.npy", "emb.npz", "is an .npy array by its content, not .npz as its name says")]
    [InlineData("single.safetensors", "emb.csv", "is a safetensors file by its content, not .csv as its name says")]
    public void AFileWhoseExtensionNamesAnotherFormatIsReadByItsContentWithOneWarning(string golden, string name, string warning)
    {
        string path = CopyAs(golden, name);
        var run = Run("inspect", path);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Equal($"warning: {name} {warning}", Assert.Single(run.ErrorLines)[..$"warning: {name} {warning}".Length]);
    }

    [Fact]
    public void AMisnamedInputIsWarnedOfOnceAndInResultsJson()
    {
        var (a, b, _) = SmallPair(dir);
        string misnamed = Path.Combine(dir, "a.npz");
        File.Move(a, misnamed);
        string outDir = Path.Combine(dir, "out");
        var run = Run("metrics", misnamed, b, "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        const string Warning = "a.npz is an .npy array by its content, not .npz as its name says; read as one (rename it to end in .npy)";
        Assert.Single(run.ErrorLines, line => line == "warning: " + Warning);
        var warnings = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["warnings"]!.AsArray();
        Assert.Equal([Warning], warnings.Select(w => (string)w!));
    }

    /// <summary>A torch.save zip named .npz had gone to the .npz reader; it is read as the torch file it is, with the warning.</summary>
    [Fact]
    public void ATorchFileNamedNpzIsReadAsOneWithTheWarning()
    {
        string path = CopyAs("tensor.pt", "emb.npz");
        var run = Run("inspect", path);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Equal("warning: emb.npz is a torch.save file by its content, not .npz as its name says; read as one (rename it to end in .pt)", Assert.Single(run.ErrorLines));
        Assert.Equal(Embeddings.Load(GoldenFileTests.Golden("tensor.pt")).Data, Embeddings.Load(path).Data);
    }

    /// <summary>FINC reads its sets by their content too, and says so once, on stderr and in results.json, as the pair commands do.</summary>
    [Fact]
    public void FincWarnsOfAMisnamedSetOnceAndInResultsJson()
    {
        var (a, _, _) = SmallPair(dir);
        string misnamed = Path.Combine(dir, "test.npz"), reference = Path.Combine(dir, "ref.npy");
        File.Copy(a, reference);
        File.Move(a, misnamed);
        string outDir = Path.Combine(dir, "out");
        var run = Run("finc", misnamed, reference, "--concepts", "2", "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        const string Warning = "test.npz is an .npy array by its content, not .npz as its name says; read as one (rename it to end in .npy)";
        Assert.Single(run.ErrorLines, line => line.Contains("test.npz is an"));
        Assert.Contains("warning: " + Warning, run.ErrorLines);
        var warnings = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["warnings"]!.AsArray();
        Assert.Equal([Warning], warnings.Select(w => (string)w!));
    }

    /// <summary>
    /// HDF5 after a user block, as libhdf5 writes it (h5py's userblock_size, MATLAB's v7.3 .mat: 512 bytes of text, then the
    /// superblock, whose base address is the block's size): found by its signature at 512, 1024, 2048, …, the HDF5 format's
    /// places. After 512 bytes PureHDF reads it (a .mat too, its matrices as MATLAB shows them: transposed from HDF5's order);
    /// after 1024 it does not look, which is said in one line. A .mat of no HDF5 signature is MATLAB's older format, refused
    /// saying how to save it.
    /// </summary>
    [Fact]
    public void Hdf5AfterAUserBlockIsReadAsMatlabWritesItOrRefusedSayingWhy()
    {
        string plain = Path.Combine(dir, "plain.h5");
        new PureHDF.H5File { ["x"] = new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } } }.Write(plain);
        string mat = WithUserBlock(plain, "emb.mat", 512, matlab: true), h5 = WithUserBlock(plain, "ub.h5", 512), far = WithUserBlock(plain, "far.h5", 1024);
        float[] values = Embeddings.Load(plain).Data;
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], values);
        Assert.Equal(values, Embeddings.Load(h5).Data);
        var run = Run("inspect", mat, "--json");
        Assert.True(run.Code == 0, run.Stderr);
        Assert.DoesNotContain("warning", run.Stderr);
        var inspected = JsonNode.Parse(run.Stdout)!;
        Assert.Equal(".h5/.hdf5", (string)inspected["format"]!);
        // MATLAB keeps a matrix column by column: the stored 3×2 is the 2×3 MATLAB showed, read as such (it had been 3 samples of 2).
        Assert.Equal([2L, 3L], inspected["shape"]!.AsArray().Select(d => (long)d!));
        var fromMatlab = Embeddings.Load(mat);
        Assert.Equal((2, 3), (fromMatlab.Rows, fromMatlab.Cols));
        Assert.Equal([1f, 3f, 5f, 2f, 4f, 6f], fromMatlab.Data);
        Run("inspect", far).AssertBadInput("far.h5: its HDF5 data begins after a user block of 1,024 bytes, where the HDF5 reader RepDiff uses (PureHDF) does not look");
        string old = Path.Combine(dir, "old.mat");
        File.WriteAllBytes(old, [.. Encoding.ASCII.GetBytes("MATLAB 5.0 MAT-file, Platform: GLNXA64".PadRight(116)), .. new byte[12], 0, 1, (byte)'I', (byte)'M']);
        Run("inspect", old).AssertBadInput("old.mat: is a MATLAB .mat file of a version before 7.3; RepDiff does not read it (v7.3 files are HDF5, which it does)");
    }

    /// <summary>
    /// A MATLAB matrix wider than one block of the transpose (60 dimensions of 20,000 samples: the stored 60×20,000 is read
    /// 52 stored rows at a time into the 20,000×60 matrix, so that the matrix is held once, not also as read): every value
    /// lands where MATLAB shows it, across the blocks' seam as within them.
    /// </summary>
    [Fact]
    public void AMatlabMatrixOfSeveralBlocksIsTransposedWhole()
    {
        const int d = 60, n = 20_000;
        var stored = new float[d, n];
        for (int j = 0; j < d; j++)
            for (int i = 0; i < n; i++) stored[j, i] = j * 100_000 + i;
        string plain = Path.Combine(dir, "wide.h5");
        new PureHDF.H5File { ["X"] = stored }.Write(plain);
        var read = Embeddings.Load(WithUserBlock(plain, "wide.mat", 512, matlab: true));
        Assert.Equal((n, d), (read.Rows, read.Cols));
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                if (read.Data[i * d + j] != stored[j, i]) Assert.Fail($"sample {i}, dimension {j}: {read.Data[i * d + j]}, not {stored[j, i]}");
    }

    /// <summary>
    /// Ids as MATLAB saves them beside X (save('emb.mat', 'X', 'ids', '-v7.3')): a cell array of char vectors, a char matrix
    /// of one blank-padded id per row, or a numeric vector (doubles, MATLAB's default) are the rows' ids, in MATLAB's order,
    /// so two .mat files of the same samples in different orders join by them: the rows of B shuffled give the results of
    /// B in A's order. None of the three had been read as ids (a .mat's rows were paired by position).
    /// </summary>
    [Theory]
    [InlineData("cellstr")]
    [InlineData("char")]
    [InlineData("double")]
    public void MatlabIdsJoinTwoMatFiles(string form)
    {
        var (a, b, _) = SmallPair(dir);
        Matrix matrixA = Npy.ReadMatrix(a), matrixB = Npy.ReadMatrix(b);
        int n = matrixA.Rows;
        // Of two lengths (img9.png, img10.png), so a char matrix pads the shorter ones with blanks.
        string[] ids = Enumerable.Range(0, n).Select(i => form == "double" ? (100 + 7 * i).ToString() : $"img{i}.png").ToArray();
        int[] order = Enumerable.Range(0, n).OrderBy(i => i * 37 % n).ToArray();
        string matA = MatFile($"a-{form}.mat", matrixA, MatlabIds(form, ids));
        string sameOrder = MatFile($"b-{form}.mat", matrixB, MatlabIds(form, ids));
        string shuffled = MatFile($"shuffled-{form}.mat", matrixB.SelectRows(order), MatlabIds(form, [.. order.Select(i => ids[i])]));
        using (var rows = Embeddings.OpenRows(shuffled, null))
        {
            Assert.Equal(order.Select(i => ids[i]), rows.Ids!);
            Assert.Equal("'ids' beside the embeddings", rows.IdsFrom);
        }
        using (var pair = new PairSpec(matA, shuffled).Open())
        {
            Assert.Equal(ids, pair.Samples.Ids!);
            for (int i = 0; i < n; i++) Assert.Equal(matrixB.Row(i).ToArray(), pair.B.Row(i).ToArray());
        }
        string Pca(string bFile, string output)
        {
            var run = Run("pca", matA, bFile, "--maps", "pca", "--out", Path.Combine(dir, output));
            Assert.True(run.Code == 0, run.Stderr);
            var results = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, output, "results.json")))!;
            return results["directions"]!.ToJsonString() + results["metrics"]!.ToJsonString();
        }
        Assert.Equal(Pca(sameOrder, "same"), Pca(shuffled, "shuffled"));
        // inspect shows X as MATLAB does, with its ids, and none of the cells' char vectors MATLAB keeps in "#refs#".
        var inspected = InspectJson(matA);
        Assert.Equal([(long)n, matrixA.Cols], inspected["shape"]!.AsArray().Select(d => (long)d!));
        Assert.Equal("'ids' beside the embeddings", (string)inspected["ids"]!);
    }

    /// <summary>
    /// A MATLAB string array is an object in MATLAB's undocumented format: refused as ids in one line saying to save
    /// cellstr(ids) instead. Ids of another count than X's rows are refused as other formats' are, and a char matrix wider
    /// than an id may be before it is read; the output folder is not made.
    /// </summary>
    [Fact]
    public void MatlabIdsThatCannotBeReadAreRefusedSayingWhatToSave()
    {
        var (a, b, _) = SmallPair(dir, rows: 6);
        Matrix matrixA = Npy.ReadMatrix(a);
        // What MATLAB stores for a string array: uint32 words that point into its "#subsystem#", an MCOS object.
        var strings = MatlabClass(new PureHDF.H5Dataset(new uint[6, 1] { { 3707764736 }, { 2 }, { 1 }, { 1 }, { 1 }, { 1 } }), "string");
        strings.Attributes["MATLAB_object_decode"] = 3;
        string stringIds = MatFile("strings.mat", matrixA, (strings, null)), output = Path.Combine(dir, "out");
        Run("pca", stringIds, b, "--out", output).AssertBadInput($"{stringIds}[ids]: is a MATLAB string array, which MATLAB keeps in a format it does not document; "
            + "save the ids as a cell array of char vectors instead: ids = cellstr(ids)");
        string fewer = MatFile("fewer.mat", matrixA, MatlabIds("cellstr", ["a", "b", "c", "d", "e"]));
        Run("pca", fewer, b, "--out", output).AssertBadInput($"{fewer}[ids]: has 5 ids but {fewer}[X] has 6 rows");
        // A char matrix is read whole: one declaring ids longer than any id is refused before it is.
        string wide = MatFile("wide.mat", matrixA, (MatlabClass(new PureHDF.H5Dataset(new ushort[70_000, 6]), "char"), null));
        Run("pca", wide, b, "--out", output).AssertBadInput($"{wide}[ids]: declares ids of 70,000 characters, more than the 65,536 an id may have");
        // Ids each within that length, whose matrix is more than memory allows, are refused before it is read too.
        string large = MatFile("large.mat", matrixA, (MatlabClass(new PureHDF.H5Dataset(new ushort[60_000, 6]), "char"), null));
        Outcome tooLarge;
        using (MemoryBudget.Assume(1_000_000))
            tooLarge = Run("pca", large, b, "--out", output);
        tooLarge.AssertBadInput($"{large}[ids]: its char matrix of ids would take 1 MB in memory; about 1 MB is available; save the ids as a cell array of char vectors");
        Assert.False(Directory.Exists(output));
    }

    /// <summary>
    /// Variables named ids that name no samples, each refused in one line saying what to save, the output folder not made:
    /// a logical vector (a mask; its 0s and 1s had been read as ids, "id '0' appears at row 0 and row 2"), a struct
    /// (a group: had been passed over, the rows paired by position without a word; without --key its fields had been
    /// offered as keys, "keys: X, ids/name") and a cell array of numbers. A blank id
    /// is refused as every format's is, named as MATLAB numbers it: an empty char vector '' in a cellstr as ids{3} (had
    /// been "row 2"), a blank row of a char matrix as row 4 (had been "row 3").
    /// </summary>
    [Fact]
    public void MatlabIdsThatNameNoSamplesAreRefusedInOneLine()
    {
        var (a, b, _) = SmallPair(dir, rows: 6);
        Matrix matrixA = Npy.ReadMatrix(a);
        string output = Path.Combine(dir, "out");
        string What(string mat) => $"{mat}[ids]: holds ";
        // MATLAB keeps a logical as uint8 (1×6 stored 6×1), marked "logical".
        var mask = MatlabClass(new PureHDF.H5Dataset(new byte[6, 1] { { 1 }, { 0 }, { 1 }, { 1 }, { 0 }, { 0 } }), "logical");
        string logical = MatFile("logical.mat", matrixA, (mask, null));
        Run("pca", logical, b, "--out", output).AssertBadInput(What(logical) + "MATLAB logical values (true/false: a mask, which can tell at most two samples apart), not ids; "
            + "MATLAB ids are a cell array of char vectors (cellstr)");
        // A struct is a group of its fields, marked "struct".
        var fields = new PureHDF.H5Group { ["name"] = MatlabIds("cellstr", ["a", "b", "c", "d", "e", "f"]).Ids };
        fields.Attributes["MATLAB_class"] = "struct";
        string structIds = MatFile("struct.mat", matrixA, (fields, MatlabIds("cellstr", ["a", "b", "c", "d", "e", "f"]).Refs));
        Run("pca", structIds, b, "--key", "X", "--out", output).AssertBadInput(What(structIds) + "a MATLAB struct, not ids");
        // Without --key, X is the one array to choose: the struct's fields are the ids variable's, not arrays to offer.
        Run("pca", structIds, b, "--out", output).AssertBadInput(What(structIds) + "a MATLAB struct, not ids");
        // A field picked by --key is part of the ids, refused as the struct is (it had been "not an embedding: … Reference values").
        Run("pca", structIds, b, "--key", "ids/name", "--out", output).AssertBadInput(What(structIds) + "a MATLAB struct, not ids");
        Run("inspect", structIds, "--key", "ids/name").AssertBadInput(What(structIds) + "a MATLAB struct, not ids");
        // A cell array of doubles: each cell a reference to a double, not a char vector.
        var refs = new PureHDF.H5Group();
        var cells = new PureHDF.H5ObjectReference[1, 6];
        for (int i = 0; i < 6; i++)
        {
            var number = MatlabClass(new PureHDF.H5Dataset(new double[1, 1] { { i } }), "double");
            refs[$"n{i}"] = number;
            cells[0, i] = new PureHDF.H5ObjectReference(number);
        }
        string numbers = MatFile("numbers.mat", matrixA, (MatlabClass(new PureHDF.H5Dataset(cells), "cell"), refs));
        Run("pca", numbers, b, "--out", output).AssertBadInput(What(numbers) + "a cell 1 that is no char vector");
        // '' as MATLAB saves it: the empty array's dimensions (uint64 [1 0]) marked MATLAB_empty.
        var withEmpty = MatlabIds("cellstr", ["a", "b", "x", "d", "e", "f"]);
        var empty = MatlabClass(new PureHDF.H5Dataset(new ulong[] { 1, 0 }), "char");
        empty.Attributes["MATLAB_empty"] = (byte)1;
        withEmpty.Refs!["c2"] = empty;
        var emptyCells = new PureHDF.H5ObjectReference[1, 6];
        for (int i = 0; i < 6; i++) emptyCells[0, i] = new PureHDF.H5ObjectReference((PureHDF.H5Dataset)withEmpty.Refs[$"c{i}"]);
        string blankCell = MatFile("blank-cell.mat", matrixA, (MatlabClass(new PureHDF.H5Dataset(emptyCells), "cell"), withEmpty.Refs));
        Run("pca", blankCell, b, "--out", output).AssertBadInput($"{blankCell}[ids]{{3}}: is an empty char vector (''); every sample needs an id");
        string blankRow = MatFile("blank-row.mat", matrixA, MatlabIds("char", ["a", "b", "c", "   ", "e", "f"]));
        Run("pca", blankRow, b, "--out", output).AssertBadInput($"{blankRow}[ids]: row 4 of its char matrix is blank; every sample needs an id");
        Assert.False(Directory.Exists(output));
    }

    /// <summary>
    /// A v7.3 .mat as MATLAB writes it: X (n×d, MATLAB's single) stored d×n, and the ids dataset beside it (with the
    /// "#refs#" group a cell array's references point into), behind MATLAB's user block.
    /// </summary>
    private string MatFile(string name, Matrix x, (PureHDF.H5Object Ids, PureHDF.H5Group? Refs) ids)
    {
        var stored = new float[x.Cols, x.Rows];
        for (int i = 0; i < x.Rows; i++)
            for (int j = 0; j < x.Cols; j++) stored[j, i] = x.Row(i)[j];
        var file = new PureHDF.H5File { ["X"] = MatlabClass(new PureHDF.H5Dataset(stored), "single"), ["ids"] = ids.Ids };
        if (ids.Refs is not null) file["#refs#"] = ids.Refs;
        string plain = Path.Combine(dir, name + ".h5");
        file.Write(plain);
        return WithUserBlock(plain, name, 512, matlab: true);
    }

    /// <summary>
    /// Ids in one of MATLAB's forms, as MATLAB stores each (column-major, so each shape reversed): a cell array n×1 of
    /// char vectors 1×L is 1×n object references to L×1 uint16 datasets in "#refs#"; a char matrix n×L (char(ids), blank
    /// padded) is L×n uint16; a row vector 1×n of doubles is n×1.
    /// </summary>
    private static (PureHDF.H5Dataset Ids, PureHDF.H5Group? Refs) MatlabIds(string form, string[] ids)
    {
        switch (form)
        {
            case "cellstr":
                var refs = new PureHDF.H5Group();
                var cells = new PureHDF.H5ObjectReference[1, ids.Length];
                for (int i = 0; i < ids.Length; i++)
                {
                    var chars = new ushort[ids[i].Length, 1];
                    for (int j = 0; j < ids[i].Length; j++) chars[j, 0] = ids[i][j];
                    var text = MatlabClass(new PureHDF.H5Dataset(chars), "char");
                    refs[$"c{i}"] = text;
                    cells[0, i] = new PureHDF.H5ObjectReference(text);
                }
                return (MatlabClass(new PureHDF.H5Dataset(cells), "cell"), refs);
            case "char":
                int width = ids.Max(id => id.Length);
                var matrix = new ushort[width, ids.Length];
                for (int i = 0; i < ids.Length; i++)
                    for (int j = 0; j < width; j++) matrix[j, i] = j < ids[i].Length ? ids[i][j] : ' ';
                return (MatlabClass(new PureHDF.H5Dataset(matrix), "char"), null);
            default:
                var numbers = new double[ids.Length, 1];
                for (int i = 0; i < ids.Length; i++) numbers[i, 0] = double.Parse(ids[i], System.Globalization.CultureInfo.InvariantCulture);
                return (MatlabClass(new PureHDF.H5Dataset(numbers), "double"), null);
        }
    }

    private static PureHDF.H5Dataset MatlabClass(PureHDF.H5Dataset dataset, string matlabClass)
    {
        dataset.Attributes["MATLAB_class"] = matlabClass;
        return dataset;
    }

    /// <summary>
    /// Each input is opened as few times as its format needs, counted with strace: once for its format (its first bytes, read
    /// where the command names it), once by its reader, and once for its SHA-256 in results.json. The reader of an .npz had
    /// opened it three times (the zip, a stream for the arrays' headers, the mapped array: its stored arrays are now mapped and
    /// read through the archive's one handle), a .safetensors twice (the header, the mapped tensor), and results.json's key
    /// names (key_a, key_b) had opened an .npz, .safetensors, .h5, Parquet or Arrow file once more after the run: the name
    /// is kept from the reading. Given with --key, an .npz had been opened 6 times, a .safetensors 5, an .h5 4, a Parquet or
    /// Arrow table 6. `evaluate` had read each file's format twice (for the pair, and to name the arrays the keys pick): an
    /// .npz 7 opens, now 4 (its format, the archive naming the keys' arrays, the reader, the SHA-256); `inspect` of an .npz or
    /// .h5 of one array (and its ids) opened a second archive to read what the first listed (4 and 3 opens), and a .pt's
    /// reader opened it twice. A Parquet table's reader had opened it once more for each column chunk whose pages it walked
    /// (403 opens for a table of 200 row groups, now 3: the pages are walked through the reader's open file), and an Arrow
    /// file's reader twice (its magic, then the reader); --key-a and --key-b of one .npz had opened it once for each key to
    /// tell whether they pick one array.
    /// </summary>
    [StraceFact]
    public void EachInputIsOpenedForItsFormatOnce()
    {
        var (a, b, _) = SmallPair(dir);
        var opens = new List<KeyValuePair<string, int[]>>();
        string[] ids = [.. Enumerable.Range(0, 60).Select(i => $"s{i}")];
        float?[]?[] Rows(string npy)
        {
            var m = Npy.ReadMatrix(npy);
            return [.. Enumerable.Range(0, m.Rows).Select(i => m.Row(i).ToArray().Select(v => (float?)v).ToArray())];
        }
        foreach (string format in (string[])["npy", "npz", "safetensors", "h5", "parquet", "arrow", "csv", "jsonl"])
        {
            string pa = Path.Combine(dir, $"pa.{format}"), pb = Path.Combine(dir, $"pb.{format}");
            foreach (var (path, npy) in new[] { (pa, a), (pb, b) })
                WriteAs(format, path, npy, ids, Rows(npy));
            string[] key = format is "npy" or "csv" ? [] : ["--key", "emb"];
            opens.Add(new(format, Opens([pa, pb], ["pca", pa, pb, .. key, "--maps", "pca", "--out", Path.Combine(dir, $"out-{format}")])));
        }
        string npzA = Path.Combine(dir, "pa.npz"), npzB = Path.Combine(dir, "pb.npz");
        // evaluate names the arrays its keys pick in the archive the pair's reader then reads through (it had opened it twice).
        opens.Add(new("evaluate npz", Opens([npzA, npzB], "evaluate", Path.Combine(dir, "out-npz", "results.json"), npzA, npzB, "--key", "emb", "--out", Path.Combine(dir, "evaluated.json"))));
        string h5A = Path.Combine(dir, "pa.h5"), h5B = Path.Combine(dir, "pb.h5");
        opens.Add(new("evaluate h5", Opens([h5A, h5B], "evaluate", Path.Combine(dir, "out-h5", "results.json"), h5A, h5B, "--key", "emb", "--out", Path.Combine(dir, "evaluated-h5.json"))));
        string h5 = Path.Combine(dir, "pa.h5"), pt = Path.Combine(dir, "dict.pt");
        File.Copy(GoldenFileTests.Golden("dict.pt"), pt);
        opens.Add(new("inspect h5 key", Opens([h5], "inspect", h5, "--key", "emb")));
        opens.Add(new("inspect pt key", Opens([pt], "inspect", pt, "--key", "layers.1")));
        // One array and its ids: listed by the archive, and read from it.
        string h5One = Path.Combine(dir, "one.h5"), npzOne = Path.Combine(dir, "one.npz");
        new PureHDF.H5File { ["emb"] = new float[60, 3], ["ids"] = ids }.Write(h5One);
        using (var zip = ZipFile.Open(npzOne, ZipArchiveMode.Create))
            zip.CreateEntryFromFile(a, "emb.npy", System.IO.Compression.CompressionLevel.NoCompression);
        opens.Add(new("inspect h5", Opens([h5One], "inspect", h5One)));
        opens.Add(new("inspect npz", Opens([npzOne], "inspect", npzOne)));
        // A table of many row groups: its page headers are walked through the reader's open file, not a file opened per
        // row group and column (200 row groups had been 404 opens each).
        string manyA = Path.Combine(dir, "many-a.parquet"), manyB = Path.Combine(dir, "many-b.parquet");
        var (a200, b200, _) = SmallPair(Directory.CreateDirectory(Path.Combine(dir, "rows200")).FullName, rows: 200);
        string[] ids200 = [.. Enumerable.Range(0, 200).Select(i => $"s{i}")];
        TableWriter.Parquet(manyA, ids200, Rows(a200), groupRows: 1);
        TableWriter.Parquet(manyB, ids200, Rows(b200), groupRows: 1);
        opens.Add(new("parquet 200 row groups", Opens([manyA, manyB], "pca", manyA, manyB, "--key", "emb", "--maps", "pca", "--out", Path.Combine(dir, "out-many"))));
        // Two arrays of one file, picked by --key-a and --key-b: the keys are told apart by their arrays' names from one
        // opening of the archive (one for each key had been 8 opens), which A's reader then reads through (7 before).
        string twoKeys = Path.Combine(dir, "two.npz");
        using (var zip = ZipFile.Open(twoKeys, ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(a, "emb.npy", System.IO.Compression.CompressionLevel.NoCompression);
            zip.CreateEntryFromFile(b, "other.npy", System.IO.Compression.CompressionLevel.NoCompression);
        }
        opens.Add(new("npz two keys", Opens([twoKeys], "pca", twoKeys, twoKeys, "--key-a", "emb", "--key-b", "other", "--maps", "pca", "--out", Path.Combine(dir, "out-two-keys"))));
        string counted = string.Join("; ", opens.Select(run => $"{run.Key} {string.Join(' ', run.Value)}"));
        Assert.True(counted == "npy 3 3; npz 3 3; safetensors 3 3; h5 3 3; parquet 3 3; arrow 3 3; csv 3 3; jsonl 3 3; evaluate npz 3 3; evaluate h5 3 3; "
            + "inspect h5 key 2; inspect pt key 2; inspect h5 2; inspect npz 2; parquet 200 row groups 3 3; npz two keys 6", $"opens counted: {counted}");
    }

    /// <summary>
    /// A side file is opened once to be read, its first bytes looked at through that handle, and once for its SHA-256: --texts,
    /// --labels and an --images manifest had been opened once more before (to tell an array container from text, then looked
    /// at again as text: 4 opens of the manifest), and --ids once more for each of A and B (5 opens).
    /// </summary>
    [StraceFact]
    public void EachSideFileIsOpenedOnceToBeRead()
    {
        var (a, b, labels) = SmallPair(dir);
        string texts = Path.Combine(dir, "texts.txt"), ids = Path.Combine(dir, "ids.txt"), manifest = Path.Combine(dir, "images.txt");
        File.WriteAllLines(texts, Enumerable.Range(0, 60).Select(i => $"text {i}"));
        File.WriteAllLines(ids, Enumerable.Range(0, 60).Select(i => $"s{i}"));
        string images = Directory.CreateDirectory(Path.Combine(dir, "images")).FullName;
        for (int i = 0; i < 60; i++) File.WriteAllBytes(Path.Combine(images, $"{i:00}.png"), RepDiff.Report.Png.Encode(new byte[4 * 4 * 3], 4, 4, 3));
        File.WriteAllLines(manifest, Enumerable.Range(0, 60).Select(i => $"images/{i:00}.png"));
        int[] opens = Opens([texts, labels, ids, manifest], "pca", a, b, "--texts", texts, "--labels", labels, "--ids", ids, "--images", manifest,
            "--maps", "pca", "--out", Path.Combine(dir, "out"));
        // A manifest is opened once more, to list the images results.json's "images_listed" fingerprints (InputFingerprints).
        Assert.Equal("texts 2, labels 2, ids 2, images 3", $"texts {opens[0]}, labels {opens[1]}, ids {opens[2]}, images {opens[3]}");
    }

    /// <summary>
    /// A Parquet or Arrow table's column is read once. Its first row group (Parquet, to find the width) or every record batch
    /// (Arrow, to count the rows and collect the ids) was read whole at open, and the first again at the first read: inspect
    /// of a table of one row group of 24.6 MB read 50.3 MB. The readers read through a 1 MiB buffer, so a few refills at the
    /// footer and the headers come on top of the file's bytes; a pair command reads each input once more for its SHA-256
    /// (results.json's inputs_sha256).
    /// </summary>
    [StraceFact]
    public void ATableOfOneRowGroupIsReadOnce()
    {
        const int rows = 2600, cols = 768; // about 8 MB a file
        const long refills = 4 << 20;
        var random = new Random(214);
        float?[]?[] Rows() => [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, cols).Select(_ => (float?)random.NextSingle()).ToArray())];
        string[] ids = [.. Enumerable.Range(0, rows).Select(i => $"s{i}")];
        long[] numbers = [.. Enumerable.Range(0, rows).Select(i => (long)i)];
        string[][] pairs =
        [
            [TableWriter.Parquet(Path.Combine(dir, "read-a.parquet"), ids, Rows()), TableWriter.Parquet(Path.Combine(dir, "read-b.parquet"), ids, Rows())],
            [TableWriter.Arrow(Path.Combine(dir, "read-a.arrow"), numbers, Rows(), TableWriter.ListKind.List, FloatType.Default),
                TableWriter.Arrow(Path.Combine(dir, "read-b.arrow"), numbers, Rows(), TableWriter.ListKind.List, FloatType.Default)],
        ];
        foreach (string[] pair in pairs)
        {
            long size = new FileInfo(pair[0]).Length;
            long inspected = BytesRead([pair[0]], "inspect", pair[0], "--key", "emb")[0];
            Assert.True(inspected >= size && inspected <= size + refills, $"inspect {Path.GetFileName(pair[0])} read {inspected:N0} bytes of a file of {size:N0}");
            var read = BytesRead(pair, "pca", pair[0], pair[1], "--key", "emb", "--maps", "pca", "--out", Path.Combine(dir, "out-" + Path.GetFileName(pair[0])));
            Assert.True(read.All(bytes => bytes >= 2 * size && bytes <= 2 * size + refills), $"pca of {Path.GetFileName(pair[0])} read {string.Join(" and ", read.Select(b => b.ToString("N0")))} bytes of files of {size:N0}");
        }
    }

    /// <summary>
    /// A Parquet column chunk of many pages (pyarrow writes pages of about 1 MB; Parquet.Net one a chunk) is read once:
    /// the page-header walk read each header through the reader's 1 MiB buffer, which filled it from the page's start, so
    /// pages under 1 MiB were read whole by the walk and again by Parquet.Net (inspect of a file of 20,000 × 384 float32 in
    /// pages of 261 KB read 1.84 times its size, with one row group or four).
    /// </summary>
    [StraceFact]
    public void AParquetChunkOfManyPagesIsReadOnce()
    {
        const int rows = 2600, cols = 768; // about 8 MB a file, in pages of 85 rows (261 KB)
        const long refills = 4 << 20; // the readers' 1 MiB buffers, as in ATableOfOneRowGroupIsReadOnce
        var random = new Random(224);
        float[][] Rows() => [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, cols).Select(_ => random.NextSingle()).ToArray())];
        foreach (int groupRows in new[] { rows, rows / 4 })
        {
            string[] pair = [PagedParquet.Write(Path.Combine(dir, $"pages-a{groupRows}.parquet"), Rows(), pageRows: 85, groupRows),
                PagedParquet.Write(Path.Combine(dir, $"pages-b{groupRows}.parquet"), Rows(), pageRows: 85, groupRows)];
            long size = new FileInfo(pair[0]).Length;
            long inspected = BytesRead([pair[0]], "inspect", pair[0], "--key", "emb")[0];
            Assert.True(inspected >= size && inspected <= size + refills, $"inspect of {rows / groupRows} row group(s) read {inspected:N0} bytes of a file of {size:N0}");
            // A pair command over several row groups reads them once a pass (pca makes several), so only one group is read once.
            if (groupRows < rows) continue;
            var read = BytesRead(pair, "pca", pair[0], pair[1], "--key", "emb", "--maps", "pca", "--out", Path.Combine(dir, $"out-pages{groupRows}"));
            Assert.True(read.All(bytes => bytes >= 2 * size && bytes <= 2 * size + refills), $"pca read {string.Join(" and ", read.Select(b => b.ToString("N0")))} bytes of files of {size:N0}");
        }
    }

    /// <summary>
    /// An Arrow table of several record batches, file or stream, is read once: opening had read every batch to count its
    /// rows, and the reads read them again (inspect of a file of 4 batches read 2.20 times its size, of a stream 2.27
    /// times). Rows are now counted from the batches' headers. With an id column every batch is still read at open for
    /// its ids (Apache.Arrow reads a batch whole), and again for its rows.
    /// </summary>
    [StraceFact]
    public void AnArrowTableOfSeveralBatchesIsReadOnce()
    {
        const long refills = 4 << 20; // the readers' 1 MiB buffers, as in ATableOfOneRowGroupIsReadOnce
        foreach (bool stream in new[] { false, true })
        {
            var (inspected, size) = InspectFourBatches($"batches-{stream}.arrow", 216, stream, withIds: false);
            Assert.True(inspected >= size && inspected <= size + refills, $"inspect of a{(stream ? " stream" : " file")} of 4 batches read {inspected:N0} bytes of {size:N0}");
        }
    }

    /// <summary>
    /// An Arrow file's magic and footer, which opening reads to check the file, are not read again for Apache.Arrow: its
    /// read of the magic had filled the reader's 1 MiB buffer at the file's start (dropped at the seek to the footer), as
    /// the check's own read had, so inspect read 2 MiB more than the file holds. A stream is read from its start once.
    /// </summary>
    [StraceFact]
    public void AnArrowFilesFirstMegabyteIsReadOnce()
    {
        const long slack = 64 << 10; // the magic, the footer and a batch's headers, all a few hundred bytes
        foreach (bool stream in new[] { false, true })
        {
            var (inspected, size) = InspectFourBatches($"first-{stream}.arrow", 221, stream, withIds: false);
            Assert.True(inspected >= size && inspected <= size + slack, $"inspect of a{(stream ? " stream" : " file")} of 4 batches read {inspected:N0} bytes of {size:N0}");
        }
    }

    /// <summary>
    /// An Arrow file with an id column reads every batch at open for its ids (Apache.Arrow reads a batch whole); the first
    /// is decoded then and the last kept, so a pass in order reads only the batches between them again. The kept last
    /// batch had been dropped when the pass asked for the second: inspect of a file of 4 batches read 1.75 times its size.
    /// (A table that fits in memory is now decoded as it is read for its ids, so not even those are read again:
    /// <see cref="AnArrowFileReadForItsIdsIsDecodedAsItIsRead"/>.)
    /// </summary>
    [StraceFact]
    public void AnArrowFilesLastBatchReadForItsIdsIsNotReadAgain()
    {
        const long slack = 64 << 10; // the magic, the footer and the batches' headers
        var (inspected, size) = InspectFourBatches("kept-last.arrow", 2211, stream: false, withIds: true);
        // 4 batches read for the ids, then the second and third again.
        Assert.True(inspected >= size && inspected <= size * 3 / 2 + slack, $"inspect of a file of 4 batches with ids read {inspected:N0} bytes of {size:N0}");
    }

    /// <summary>
    /// pca of two Arrow files of 4 batches without ids (streamed, not joined by id) reads each about 3 times: a pass for the
    /// value range, the distinct-rows check's first rows, the load for the fit, and the fingerprint. Its scoring (BSR, its
    /// chance level, mutual k-NN) had read the tables again after the fit held them in memory: each 8 times its size.
    /// </summary>
    [StraceFact]
    public void PcaOfTablesHeldInMemoryScoresWithoutReadingThemAgain()
    {
        string a = FourBatches("pca-a.arrow", 2261, stream: false, withIds: false), b = FourBatches("pca-b.arrow", 2262, stream: false, withIds: false);
        long[] read = BytesRead([a, b], "pca", a, b, "--column", "emb", "--concepts", "3", "--out", Path.Combine(dir, "pca-out"));
        foreach (var (path, bytes) in new[] { a, b }.Zip(read))
            Assert.True(bytes <= new FileInfo(path).Length * 7 / 2, $"pca read {bytes:N0} bytes of {Path.GetFileName(path)} ({new FileInfo(path).Length:N0})");
    }

    /// <summary>
    /// Routes that stream a table rather than load it (spec's and finc's random features, the value-range scan and the
    /// distinct-rows check before them) decode it once when it fits in memory: every pass had decoded every batch again, so
    /// `spec --route rff` of two Arrow files of 4 batches read each 8 times its size. Now each is read once to decode and
    /// once for its SHA-256 (results.json's inputs_sha256).
    /// </summary>
    [StraceFact]
    public void StreamingRoutesDecodeATableThatFitsOnce()
    {
        string a = FourBatches("stream-a.arrow", 2281, stream: false, withIds: false), b = FourBatches("stream-b.arrow", 2282, stream: false, withIds: false);
        foreach (string method in new[] { "spec", "finc" })
        {
            long[] read = BytesRead([a, b], method, a, b, "--column", "emb", "--route", "rff", "--rff-dim", "64", "--concepts", "2", "--out", Path.Combine(dir, method + "-out"));
            foreach (var (path, bytes) in new[] { a, b }.Zip(read))
                Assert.True(bytes <= new FileInfo(path).Length * 5 / 2, $"{method} --route rff read {bytes:N0} bytes of {Path.GetFileName(path)} ({new FileInfo(path).Length:N0})");
        }
    }

    /// <summary>
    /// An Arrow file with an id column, whose every batch is read at opening for its ids, decodes each batch then when the
    /// table fits in memory: the batches between the first and the last had been read again (inspect read 1.5 times the file).
    /// </summary>
    [StraceFact]
    public void AnArrowFileReadForItsIdsIsDecodedAsItIsRead()
    {
        const long slack = 64 << 10; // the magic, the footer and the batches' headers
        var (inspected, size) = InspectFourBatches("ids-once.arrow", 2283, stream: false, withIds: true);
        Assert.True(inspected >= size && inspected <= size + slack, $"inspect of a file of 4 batches with ids read {inspected:N0} bytes of {size:N0}");
    }

    /// <summary>The bytes inspect reads of an Arrow file or stream of <see cref="FourBatches"/>, and the file's size.</summary>
    private (long Inspected, long Size) InspectFourBatches(string name, int seed, bool stream, bool withIds)
    {
        string path = FourBatches(name, seed, stream, withIds);
        return (BytesRead([path], "inspect", path, "--key", "emb")[0], new FileInfo(path).Length);
    }

    /// <summary>
    /// An Arrow file or stream of 4 record batches of 650 rows of 768 random float32 values (about 8 MB) in column "emb",
    /// with an int64 id column or none.
    /// </summary>
    private string FourBatches(string name, int seed, bool stream, bool withIds)
    {
        const int rows = 2600, cols = 768;
        var random = new Random(seed);
        float?[]?[] values = [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, cols).Select(_ => (float?)random.NextSingle()).ToArray())];
        long[]? ids = withIds ? [.. Enumerable.Range(0, rows).Select(i => (long)i)] : null;
        return TableWriter.Arrow(Path.Combine(dir, name), ids, values, TableWriter.ListKind.List, FloatType.Default, batchRows: rows / 4, stream: stream);
    }

    /// <summary>
    /// Labels or ids are told apart from an array container by their first bytes, not their name: an .npz renamed .txt had
    /// been refused as "not read from .txt files", an .npz named .npy as "not read from .npy files", and an .npy named .txt
    /// read as text ("line 1 holds a NUL character: UTF-16 text …?"). Each is one line naming what the file is and what
    /// labels and ids are read from, exit 2, and the output folder is not made.
    /// </summary>
    [Theory]
    [InlineData("labels.txt", "npz", "labels.txt: is an .npz archive by its content (its name ends in .txt), which labels and ids are not read from; save them as a 1-D .npy or a text file with one per line (np.save(\"labels.npy\", np.load(path)[\"labels\"]))")]
    [InlineData("labels.npy", "npz", "labels.npy: is an .npz archive by its content (its name ends in .npy), which labels and ids are not read from; save them as a 1-D .npy or a text file with one per line (np.save(\"labels.npy\", np.load(path)[\"labels\"]))")]
    [InlineData("labels.txt", "npy", "labels.txt: is an .npy array by its content, but its name ends in .txt; labels and ids are read as .npy from a file named .npy: rename it to end in .npy")]
    [InlineData("labels", "npy", "labels: is an .npy array by its content, but its name has no extension; labels and ids are read as .npy from a file named .npy: rename it to end in .npy")]
    public void LabelsThatAreAnArrayFileByTheirContentAreRefusedSayingSo(string name, string content, string message)
    {
        var (a, b, _) = SmallPair(dir);
        string path = Path.Combine(dir, name);
        File.Delete(path);
        if (content == "npy") Npy.Write(path, Enumerable.Range(0, 60).Select(i => i % 3).ToArray(), 60);
        else
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
                zip.CreateEntryFromFile(a, "labels.npy", System.IO.Compression.CompressionLevel.NoCompression);
        string output = Path.Combine(dir, "out");
        Run("pca", a, b, "--labels", path, "--out", output).AssertBadInput(message.Replace(name + ":", path + ":"));
        Assert.False(Directory.Exists(output));
    }

    /// <summary>
    /// A and B of one format for <see cref="EachInputIsOpenedForItsFormatOnce"/>: the embeddings under "emb" (beside an
    /// array "other", or ids in a table) where the format has keys.
    /// </summary>
    private static void WriteAs(string format, string path, string npy, string[] ids, float?[]?[] rows)
    {
        var values = Npy.ReadMatrix(npy);
        switch (format)
        {
            case "npy":
                File.Copy(npy, path);
                break;
            case "npz":
                using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
                {
                    zip.CreateEntryFromFile(npy, "emb.npy", System.IO.Compression.CompressionLevel.NoCompression);
                    zip.CreateEntryFromFile(npy, "other.npy", System.IO.Compression.CompressionLevel.NoCompression);
                }
                break;
            case "safetensors":
                byte[] data = new byte[values.Data.Length * sizeof(float)];
                Buffer.BlockCopy(values.Data, 0, data, 0, data.Length);
                string header = $"{{\"emb\":{{\"dtype\":\"F32\",\"shape\":[{values.Rows},{values.Cols}],\"data_offsets\":[0,{data.Length}]}},"
                    + $"\"other\":{{\"dtype\":\"F32\",\"shape\":[{values.Rows * values.Cols}],\"data_offsets\":[{data.Length},{2 * data.Length}]}}}}";
                byte[] json = Encoding.UTF8.GetBytes(header);
                File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. data, .. data]);
                break;
            case "h5":
                var matrix = new float[values.Rows, values.Cols];
                for (int i = 0; i < values.Rows; i++)
                    for (int j = 0; j < values.Cols; j++) matrix[i, j] = values.Row(i)[j];
                new PureHDF.H5File { ["emb"] = matrix, ["ids"] = ids, ["other"] = new float[60] }.Write(path);
                break;
            case "parquet":
                TableWriter.Parquet(path, ids, rows);
                break;
            case "arrow":
                TableWriter.Arrow(path, [.. Enumerable.Range(0, rows.Length).Select(i => (long)i)], rows, TableWriter.ListKind.List, FloatType.Default);
                break;
            case "csv":
                File.WriteAllLines(path, [string.Join(',', Enumerable.Range(0, values.Cols).Select(j => $"x{j}")), .. Enumerable.Range(0, values.Rows).Select(i => string.Join(',', values.Row(i).ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))))]);
                break;
            case "jsonl":
                File.WriteAllLines(path, Enumerable.Range(0, values.Rows).Select(i => new JsonObject { ["id"] = ids[i], ["emb"] = new JsonArray([.. values.Row(i).ToArray().Select(v => (JsonNode)v)]) }.ToJsonString()));
                break;
        }
    }

    /// <summary>How many times a run of the CLI with <paramref name="args"/> opens each of <paramref name="files"/> (strace).</summary>
    private int[] Opens(string[] files, params string[] args)
    {
        var opens = Strace(["-e", "trace=openat"], args);
        return System.Array.ConvertAll(files, file => opens.Count(line => line.Contains($"\"{file}\"")));
    }

    /// <summary>
    /// How many bytes a run of the CLI with <paramref name="args"/> reads from each of <paramref name="files"/> (strace; -y
    /// names each descriptor's file). A call another thread's interrupts is split into "unfinished" and "resumed" lines,
    /// joined here by the thread's id.
    /// </summary>
    private long[] BytesRead(string[] files, params string[] args)
    {
        var read = new long[files.Length];
        var pending = new Dictionary<string, string>();
        foreach (string line in Strace(["-y", "-e", "trace=read,pread64"], args))
        {
            var call = System.Text.RegularExpressions.Regex.Match(line, @"^(\d+)\s+(?:read|pread64)\(\d+<([^>]*)>,");
            var resumed = System.Text.RegularExpressions.Regex.Match(line, @"^(\d+)\s+<\.\.\. (?:read|pread64) resumed>");
            string? file = call.Success ? call.Groups[2].Value : resumed.Success && pending.Remove(resumed.Groups[1].Value, out var was) ? was : null;
            if (file is null) continue;
            if (line.EndsWith("<unfinished ...>")) pending[call.Groups[1].Value] = file;
            else if (System.Text.RegularExpressions.Regex.Match(line, @"= (\d+)$") is { Success: true } result && System.Array.IndexOf(files, file) is int at and >= 0)
                read[at] += long.Parse(result.Groups[1].Value);
        }
        return read;
    }

    /// <summary>The lines strace writes of a run of the CLI with <paramref name="args"/>, tracing as <paramref name="options"/> say; the run must succeed.</summary>
    private string[] Strace(string[] options, string[] args)
    {
        string trace = Path.Combine(dir, "trace.txt");
        var start = new System.Diagnostics.ProcessStartInfo("strace") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in (string[])["-f", "-qq", "--seccomp-bpf", .. options, "-o", trace, "dotnet", Path.Combine(AppContext.BaseDirectory, "RepDiff.Cli.dll"), .. args])
            start.ArgumentList.Add(arg);
        using var run = System.Diagnostics.Process.Start(start)!;
        var stderr = run.StandardError.ReadToEndAsync();
        run.StandardOutput.ReadToEnd();
        run.WaitForExit();
        Assert.True(run.ExitCode == 0, stderr.Result);
        return File.ReadAllLines(trace);
    }

    /// <summary>
    /// The HDF5 file with a user block of <paramref name="size"/> bytes before it, as libhdf5 lays one out: the superblock's
    /// base address (PureHDF writes version 3, at byte 12) set to the block's size and its checksum (Jenkins' lookup3, bytes
    /// 0–43) made again.
    /// </summary>
    private string WithUserBlock(string h5, string name, int size, bool matlab = false)
    {
        byte[] file = File.ReadAllBytes(h5);
        Assert.Equal(3, file[8]);
        Assert.Equal(BitConverter.ToUInt32(file, 44), Lookup3(file.AsSpan(0, 44)));
        BitConverter.TryWriteBytes(file.AsSpan(12), (ulong)size);
        BitConverter.TryWriteBytes(file.AsSpan(44), Lookup3(file.AsSpan(0, 44)));
        // MATLAB's user block begins with its text header; another program's may hold anything (here blanks).
        byte[] block = Encoding.ASCII.GetBytes((matlab ? "MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Sun Dec  6 13:00:00 2026 HDF5 schema 1.00 ." : "").PadRight(size));
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, [.. block, .. file]);
        return path;
    }

    /// <summary>Bob Jenkins' lookup3 hashlittle with an initial value of 0, HDF5's metadata checksum.</summary>
    private static uint Lookup3(ReadOnlySpan<byte> key)
    {
        static uint Rot(uint x, int k) => (x << k) | (x >> (32 - k));
        uint a, b, c;
        a = b = c = 0xdeadbeef + (uint)key.Length;
        while (key.Length > 12)
        {
            a += BitConverter.ToUInt32(key);
            b += BitConverter.ToUInt32(key[4..]);
            c += BitConverter.ToUInt32(key[8..]);
            a -= c; a ^= Rot(c, 4); c += b;
            b -= a; b ^= Rot(a, 6); a += c;
            c -= b; c ^= Rot(b, 8); b += a;
            a -= c; a ^= Rot(c, 16); c += b;
            b -= a; b ^= Rot(a, 19); a += c;
            c -= b; c ^= Rot(b, 4); b += a;
            key = key[12..];
        }
        if (key.Length == 0) return c;
        Span<byte> last = stackalloc byte[12];
        last.Clear();
        key.CopyTo(last);
        a += BitConverter.ToUInt32(last);
        b += BitConverter.ToUInt32(last[4..]);
        c += BitConverter.ToUInt32(last[8..]);
        c ^= b; c -= Rot(b, 14);
        a ^= c; a -= Rot(c, 11);
        b ^= a; b -= Rot(a, 25);
        c ^= b; c -= Rot(b, 16);
        a ^= c; a -= Rot(c, 4);
        b ^= a; b -= Rot(a, 14);
        c ^= b; c -= Rot(b, 24);
        return c;
    }

    [Fact]
    public void ALegacyTorchPickleOrUnknownBinaryOfAnyNameIsOneLine()
    {
        // A bare pickle is torch.save's legacy format: the .pt reader says so, where ".bin" had been "unsupported file type".
        Run("inspect", CopyAs("legacy.pt", "pytorch_model.bin")).AssertBadInput("is in PyTorch's legacy format");
        string junk = Path.Combine(dir, "weights.bin");
        File.WriteAllBytes(junk, [1, 0, 2, 0, 3]);
        Run("inspect", junk).AssertBadInput("weights.bin: unsupported file type '.bin'");
        // A pickle's own name still gets the pickle's message, not the legacy torch one.
        Run("inspect", CopyAs("legacy.pt", "emb.pkl")).AssertBadInput("is a Python pickle");
    }

    /// <summary>A JSON Lines B with ids beside an .npy A with none: B's ids named A's rows matched by position, unsaid.</summary>
    [Fact]
    public void IdsThatOnlyOneInputCarriesAreWarnedOfUnlessIdsAreGiven()
    {
        var (a, b, _) = SmallPair(dir, rows: 40);
        var rowsB = Npy.ReadMatrix(b);
        string jsonl = Path.Combine(dir, "b.jsonl");
        File.WriteAllLines(jsonl, Enumerable.Range(0, rowsB.Rows).Select(i =>
            new JsonObject { ["id"] = $"s{i}", ["emb"] = new JsonArray(rowsB.Row(i).ToArray().Select(v => (JsonNode)v).ToArray()) }.ToJsonString()));
        const string Warning = "a.npy carries no ids; its rows are matched to b.jsonl's by position and named by b.jsonl's ids";
        string outDir = Path.Combine(dir, "out");
        var run = Run("metrics", a, jsonl, "--out", outDir);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.True(run.ErrorLines.Count(line => line.StartsWith("warning: " + Warning, StringComparison.Ordinal)) == 1, run.Stderr);
        var warnings = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["warnings"]!.AsArray();
        Assert.Contains(warnings, w => ((string)w!).StartsWith(Warning, StringComparison.Ordinal));

        var explained = Run("kmeans", a, jsonl, "--concepts", "2", "--out", Path.Combine(dir, "kmeans"));
        Assert.True(explained.Code == 0, explained.Stderr);
        Assert.Single(explained.ErrorLines, line => line.StartsWith("warning: " + Warning, StringComparison.Ordinal));
        Assert.Contains(JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "kmeans", "results.json")))!["warnings"]!.AsArray(), w => ((string)w!).StartsWith(Warning, StringComparison.Ordinal));

        // A's ids given: the rows are joined by id, and nothing is left to warn of.
        string ids = Path.Combine(dir, "ids.txt");
        File.WriteAllLines(ids, Enumerable.Range(0, rowsB.Rows).Select(i => $"s{i}"));
        var joined = Run("metrics", a, jsonl, "--ids-a", ids, "--out", Path.Combine(dir, "joined"));
        Assert.True(joined.Code == 0, joined.Stderr);
        Assert.DoesNotContain("carries no ids", joined.Stderr);
    }

    [Fact]
    public void AFloatIdColumnIsRefusedInOneLine()
    {
        float?[]?[] rows = [[1f, 2f], [3f, 4f], [5f, 7f]];
        // TableWriter's Parquet has a double column "score" beside its string ids.
        string parquet = TableWriter.Parquet(Path.Combine(dir, "emb.parquet"), ["x", "y", "z"], rows);
        Run("inspect", parquet, "--id-column", "score").AssertBadInput("id column 'score' holds floating-point numbers; ids are integers or strings");
        string arrow = TableWriter.ArrowTable(Path.Combine(dir, "emb.arrow"),
            ("score", new DoubleArray.Builder().AppendRange([0.5, 1.5, 2.5]).Build()), ("emb", TableWriter.FloatLists(rows)));
        Run("inspect", arrow, "--id-column", "score").AssertBadInput("id column 'score' holds floating-point numbers");
        string csv = Path.Combine(dir, "emb.csv");
        File.WriteAllLines(csv, ["score,d0,d1", "0.5,1,2", "1.5,3,4", "2.5,5,7"]);
        Run("inspect", csv, "--id-column", "score").AssertBadInput("id column 'score' holds floating-point numbers (0.5, …)");
        // Whole numbers and strings are ids, as before.
        File.WriteAllLines(csv, ["n,d0,d1", "1,1,2", "2,3,4", "3,5,7"]);
        Assert.Equal(0, Run("inspect", csv, "--id-column", "n").Code);
    }

    [Fact]
    public void AMetadataTableOfIdsAndListsSaysTheListsAreNoMetadata()
    {
        var (a, b, _) = SmallPair(dir, rows: 40);
        var ids = Enumerable.Range(0, 40).Select(i => $"s{i}").ToArray();
        string idsFile = Path.Combine(dir, "ids.txt");
        File.WriteAllLines(idsFile, ids);
        string metadata = TableWriter.ParquetTable(Path.Combine(dir, "meta.parquet"), ids, ("emb", ids.Select(_ => new float?[] { 1f, 2f }).ToArray<float?[]?>()));
        Run("kmeans", a, b, "--ids", idsFile, "--metadata", metadata, "--concepts", "2", "--out", Path.Combine(dir, "out"))
            .AssertBadInput("meta.parquet: has no metadata column besides the ids: 'emb' holds lists, which are not metadata");
    }
}
