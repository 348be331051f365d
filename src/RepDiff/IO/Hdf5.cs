using System.Numerics;
using System.Numerics.Tensors;
using PureHDF;
using PureHDF.Filters;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace RepDiff.IO;

/// <summary>
/// HDF5 files (.h5, .hdf5), as h5py and many feature-extraction scripts write their caches. Every dataset is a key,
/// named by its path in the file ("emb/feats"); a dataset is read a block of rows at a time through PureHDF
/// (contiguous or chunked storage; the gzip, shuffle, Fletcher-32, scale-offset and N-bit filters), so memory stays
/// bounded by the block. Float16/32/64 and integer datasets of one or two dimensions are embeddings.
/// </summary>
internal static class Hdf5
{
    /// <summary>Values per block of rows read at once (4 MB of float32).</summary>
    private const int BlockValues = 1 << 20;

    /// <summary>Blocks per dataset at most, so a dataset of billions of narrow rows is not a list of billions of blocks.</summary>
    private const int MaxBlocks = 1 << 16;

    /// <summary>Groups deeper than this are a link cycle (a group linked into itself) or not a feature file.</summary>
    private const int MaxDepth = 64;
    private const int MaxObjects = 100_000;

    public static ArrayArchive Open(string path) => new Hdf5Archive(path);

    internal static ReadOnlySpan<byte> Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', (byte)'\r', (byte)'\n', 0x1a, (byte)'\n'];

    /// <summary>
    /// Where the file's HDF5 signature is, or null: at its start, or after a user block of 512, 1024, 2048, … bytes, the
    /// places the HDF5 format gives it (a MATLAB v7.3 .mat file has one of 512). Read through the stream's position, which
    /// is left at the start: a read through its handle would make the stream seek before every later read.
    /// </summary>
    internal static long? SignatureOffset(FileStream stream)
    {
        Span<byte> read = stackalloc byte[8];
        long? found = null;
        for (long at = 0; at <= stream.Length - read.Length && found is null; at = at == 0 ? 512 : at * 2)
        {
            stream.Position = at;
            if (InputFile.ReadFully(stream, read) == read.Length && read.SequenceEqual(Signature)) found = at;
        }
        stream.Position = 0;
        return found;
    }

    public static RowFile OpenRows(string path, string? key, bool checkFinite)
    {
        using var archive = Open(path);
        return archive.OpenNamedRows(key, checkFinite);
    }

    private static bool IsDataset(NativeFile file, string key, string path)
    {
        IH5Object found;
        try
        {
            if (!file.LinkExists(key)) return false;
            found = file.Get(key);
        }
        catch (Exception e) when (e is not RepDiffInputException) { return false; }
        if (found is IH5UnresolvedLink link)
            throw RepDiffInputException.ForFile(path, link.Reason is InsufficientExecutionStackException
                ? $"'{NpyDtype.Truncate(key)}' is a soft link that leads back to itself; name the dataset it should point at"
                : $"'{NpyDtype.Truncate(key)}' is a link to something not in the file; name a dataset, or copy the target into this file");
        return found is IH5Dataset;
    }

    /// <summary>
    /// Bytes of no HDF5 signature under an HDF5 name: "is not an HDF5 file (no HDF5 signature)" had said what it is not but
    /// not what to do.
    /// </summary>
    private static string NotHdf5(string why) =>
        $"is not an HDF5 file: {why}; it is damaged or not HDF5: save it again with h5py (f.create_dataset(\"embeddings\", data=array)), or as .npy";

    /// <summary>
    /// Runs a PureHDF call: what it throws about the file (plain exceptions, its own words) becomes one line naming the file,
    /// in RepDiff's words where the cause is known.
    /// </summary>
    private static T Guard<T>(string name, Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (e is not RepDiffInputException)
        {
            string message = e.Message;
            string problem =
                message.Contains("not a valid HDF 5 file", StringComparison.Ordinal) ? NotHdf5("it has no HDF5 signature")
                : message.StartsWith("Could not find filter", StringComparison.Ordinal)
                    ? $"is compressed with an HDF5 filter RepDiff does not read ({message.Split('.')[0]["Could not find ".Length..]}); gzip, shuffle, "
                      + "Fletcher-32, scale-offset and N-bit are read: write it again with h5py's compression=\"gzip\" or none"
                : message.Contains("Byte order conversion", StringComparison.Ordinal)
                    ? "stores big-endian values, which RepDiff does not read; write it again with a little-endian dtype (numpy '<f4')"
                : (e.InnerException?.Message ?? message).Contains("Fletcher32 checksum", StringComparison.Ordinal)
                    ? "holds a chunk whose Fletcher-32 checksum does not match its data: the file is damaged; write it again"
                : e is EndOfStreamException || message.Contains("too small", StringComparison.Ordinal) ? "is shorter than its HDF5 superblock says (truncated?)"
                : $"cannot be read as HDF5 ({message})";
            throw RepDiffInputException.ForFile(name, problem);
        }
    }

    /// <param name="writtenByMatlab">
    /// Whether MATLAB wrote the file (a v7.3 .mat: its user block begins with MATLAB's text header), read from the stream
    /// opened here rather than by opening the file again.
    /// </param>
    private static NativeFile OpenFile(string path, out bool writtenByMatlab)
    {
        // PureHDF reads through MakeGenericMethod, which a Native AOT binary has no code for: say so before opening.
        if (!System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported)
            throw RepDiffInputException.ForFile(path, "the Native AOT binary does not read HDF5 files; use the .NET tool build "
                + "(`dotnet tool install --global --add-source ./nupkg repdiff`, README) or save the dataset as .npy");
        EnsureFilters();
        var stream = InputFile.OpenRead(path);
        try
        {
            // Shorter than HDF5's 8-byte signature: not a truncated HDF5 file, no HDF5 file at all.
            if (stream.Length < 8) throw RepDiffInputException.ForFile(path, NotHdf5($"it holds {stream.Length} bytes, no HDF5 signature"));
            // PureHDF looks for the signature at the start and after 512 bytes (then at 1536, 3584, …, where the format puts none).
            if (SignatureOffset(stream) is { } at && at > 512)
                throw RepDiffInputException.ForFile(path, $"its HDF5 data begins after a user block of {at:N0} bytes, where the HDF5 reader RepDiff uses (PureHDF) "
                    + "does not look (it reads HDF5 at the file's start or after 512 bytes, as MATLAB writes it); save it again without a user block, or as .npy");
            writtenByMatlab = StartsWithMatlabHeader(stream);
            return Guard(path, () => H5File.Open(new StackGuardStream(stream), leaveOpen: false));
        }
        catch { stream.Dispose(); throw; }
    }

    /// <summary>Whether the stream begins with MATLAB's v7.3 header; its position is left at the start.</summary>
    private static bool StartsWithMatlabHeader(FileStream stream)
    {
        var header = "MATLAB 7.3 MAT-file"u8;
        Span<byte> start = stackalloc byte[header.Length];
        bool matlab = InputFile.ReadFully(stream, start) == start.Length && start.SequenceEqual(header);
        stream.Position = 0;
        return matlab;
    }

    private static readonly Lazy<bool> FiltersRegistered = new(() =>
    {
        H5Filter.Register(new CopyingFletcher32());
        return true;
    });

    private static void EnsureFilters() => _ = FiltersRegistered.Value;

    /// <summary>
    /// PureHDF's Fletcher-32 filter, whose output is copied. PureHDF's own returns a slice of the buffer the stored chunk
    /// was read into, and that buffer is reused for the next chunk read: when one block of rows needs several chunks
    /// (chunks narrower than a row, h5py's default chunking with fletcher32=True) the chunks read earlier were overwritten
    /// and the block read other chunks' values, silently. With gzip before it the slice was of gzip's fresh output,
    /// which is why gzip with Fletcher-32 read right.
    /// </summary>
    private sealed class CopyingFletcher32 : IH5Filter
    {
        private readonly Fletcher32Filter checksum = new();
        public ushort FilterId => Fletcher32Filter.Id;
        public string Name => checksum.Name;
        public Memory<byte> Filter(FilterInfo info) => checksum.Filter(info).ToArray();
        public uint[] GetParameters(uint[] chunkDimensions, uint typeSize, Dictionary<string, object>? options) => checksum.GetParameters(chunkDimensions, typeSize, options);
    }

    /// <summary>
    /// The file's bytes for PureHDF, refused once the thread's stack runs low. PureHDF resolves a soft link by following
    /// its target at once, so a link that leads back to itself ("/a" → "/a") recurses, reading the file at every step,
    /// until the process dies of a stack overflow, which .NET cannot catch. Failing the read instead ends the recursion
    /// with an exception, which PureHDF turns into an unresolved link: the listing skips it, as it skips links that lead
    /// nowhere. (A plain FileStream would be read through its handle, out of reach of this check.)
    /// </summary>
    private sealed class StackGuardStream(FileStream inner) : FileReadWrapper(inner)
    {
        private static void CheckStack()
        {
            if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
                throw new InsufficientExecutionStackException("links in the file lead back to themselves (a soft-link cycle)");
        }

        public override int Read(Span<byte> buffer)
        {
            CheckStack();
            return base.Read(buffer);
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            CheckStack();
            return base.Seek(offset, origin);
        }
    }

    /// <summary>
    /// Every dataset below the root by its path ("emb/feats"), in the file's order; links that lead nowhere are skipped, and
    /// in a MATLAB file its own groups ("#refs#", the cells' contents; "#subsystem#", its objects), which hold no variables.
    /// </summary>
    private static List<(string Key, IH5Dataset Dataset)> Datasets(IH5Group root, string path, bool writtenByMatlab)
    {
        var found = new List<(string, IH5Dataset)>();
        int visited = 0;
        void Walk(IH5Group group, string prefix, int depth)
        {
            if (depth > MaxDepth)
                throw RepDiffInputException.ForFile(path, $"nests groups more than {MaxDepth} deep below '{NpyDtype.Truncate(prefix)}' (a group linked into itself?)");
            foreach (var child in group.Children())
            {
                if (++visited > MaxObjects)
                    throw RepDiffInputException.ForFile(path, $"holds more than {MaxObjects:N0} groups and datasets; RepDiff reads feature files, not archives of this size");
                if (writtenByMatlab && depth == 0 && child.Name is "#refs#" or "#subsystem#") continue;
                if (child is IH5Dataset dataset) found.Add((prefix + child.Name, dataset));
                else if (child is IH5Group sub) Walk(sub, prefix + child.Name + "/", depth + 1);
            }
        }
        Walk(root, "", 0);
        return found;
    }

    /// <summary>
    /// Rows per block: about <see cref="BlockValues"/> values, rounded up to whole storage chunks so no chunk is
    /// decompressed twice in a pass, and never more than <see cref="MaxBlocks"/> blocks.
    /// </summary>
    internal static List<long> RowBlocks(int rows, int cols, ulong[]? chunk)
    {
        long perBlock = Math.Max(1, BlockValues / Math.Max(1, cols));
        // Whole chunks, unless a chunk is far taller than a block (a dataset chunked by column): then blocks cut chunks.
        if (chunk is { Length: > 0 } && chunk[0] > 0 && chunk[0] <= (ulong)(4 * perBlock)) perBlock = (perBlock + (long)chunk[0] - 1) / (long)chunk[0] * (long)chunk[0];
        perBlock = Math.Max(perBlock, ((long)rows + MaxBlocks - 1) / MaxBlocks);
        var blocks = new List<long>();
        for (long first = 0; first < rows; first += perBlock) blocks.Add(Math.Min(perBlock, rows - first));
        return blocks;
    }

    /// <summary>
    /// The file's datasets. A dataset named by its path is opened by that path alone: the rest of the file is not walked (a
    /// link elsewhere in it that PureHDF cannot resolve never matters); the listing is made only to choose or to say which
    /// datasets there are. The file is opened once, when the archive is made, and serves the listing, the key's lookup,
    /// the rows and the ids beside them (each had opened it again: an .h5 was opened six or seven times a pca run, now four).
    /// </summary>
    private sealed class Hdf5Archive : ArrayArchive
    {
        private List<string>? datasets;

        /// <summary>
        /// The open file, kept while the archive or any rows read from it are: a file of one dataset per sample is looked at
        /// (each one's shape) and read (each one's values) through it. A file opened and a path looked up per dataset, twice,
        /// had not read 50,000 of them in 10 minutes.
        /// </summary>
        private readonly SharedFile shared;
        private NativeFile File => shared.File;
        private Dictionary<string, IH5Dataset>? listed;

        /// <summary>
        /// Whether MATLAB wrote the file (a v7.3 .mat: its user block begins with MATLAB's text header), read when the file is
        /// opened with the archive. MATLAB keeps a matrix column by column, so an n×d matrix is an HDF5 dataset of d×n: read
        /// as stored, its d columns had been taken for the samples, and two such files of one width compared without a word.
        /// </summary>
        private readonly bool writtenByMatlab;

        public Hdf5Archive(string path) : base(path) => shared = new SharedFile(OpenFile(path, out writtenByMatlab));

        public override IReadOnlyList<string> Keys => datasets ??= ListDatasets();
        public override string KeysAre => "datasets";

        private bool released;

        public override void Dispose()
        {
            if (released) return;
            released = true;
            shared.Release();
        }

        /// <summary>
        /// Ids sit beside the embeddings in their group: "emb/ids" beside "emb/feats". A group named ids beside the embeddings
        /// is the ids whatever it holds (a MATLAB struct's fields, h5py's f.create_group("ids")): its datasets ("ids/name") are
        /// no arrays to choose, and its refusal says why (they had been offered as keys in a plain .h5). In a file whose every
        /// dataset is inside such a group, the group holds the embeddings ("ids/feats"), as before.
        /// </summary>
        protected override bool IsIds(string key) => KeepsIds
            && (IdNames.Contains(key[(key.LastIndexOf('/') + 1)..]) || InIdsGroup(key) && (writtenByMatlab || Keys.Any(other => !InIdsGroup(other))));

        private static bool InIdsGroup(string key) => key.Split('/')[..^1].Any(IdNames.Contains);

        private List<string> ListDatasets()
        {
            var found = Guard(Path, () => Datasets(File, Path, writtenByMatlab));
            if (found.Count == 0) throw RepDiffInputException.ForFile(Path, "holds no datasets");
            listed = found.ToDictionary(d => d.Key, d => d.Dataset, StringComparer.Ordinal);
            return found.ConvertAll(d => d.Key);
        }

        /// <summary>A listed dataset, read through the file the archive keeps open.</summary>
        private IH5Dataset ListedDataset(string key)
        {
            _ = Keys; // lists them once
            return listed![key];
        }

        public override RowFile OpenRows(string? key, bool checkFinite)
        {
            if (VectorRows(key, checkFinite) is { } vectors) return vectors;
            // One sample's vector is a listed dataset, named by its listed key.
            if (ReadingVector) return new RowFile(Hdf5Rows.Open(shared, Path, key!, NameOf(key!), ListedDataset(key!)), checkFinite);
            var (chosen, wasListed) = Dataset(key);
            // A key into the ids group beside the embeddings picks part of the ids: refused as that group is when read as the ids.
            if (InIdsGroup(chosen) && IsIds(chosen))
            {
                string[] parts = chosen.Split('/');
                string group = string.Join('/', parts[..(Array.FindIndex(parts, IdNames.Contains) + 1)]);
                if (NotIdsGroup(group) is { } refused) throw refused;
            }
            string name = wasListed && Keys.Count == 1 ? Path : NameOf(chosen);
            var dataset = Hdf5Rows.Open(shared, Path, chosen, name);
            return WithIdsBeside(writtenByMatlab && dataset.Shape.Length == 2 ? AsMatlabShowsIt(dataset, name, checkFinite) : new RowFile(dataset, checkFinite), chosen);
        }

        /// <summary>A MATLAB matrix as MATLAB shows it, n×d: the stored d×n read a block of rows at a time into its transpose.</summary>
        private static RowFile AsMatlabShowsIt(Hdf5Rows stored, string name, bool checkFinite)
        {
            using var rows = new RowFile(stored, checkFinite); // lets go of the file with it
            return new RowFile(name, rows.ReadAllTransposed(), checkFinite, storedAs: stored.Dtype);
        }

        protected override ArrayShape? ShapeOf(string key)
        {
            string name = NameOf(key);
            var dataset = ListedDataset(key);
            var (dtype, holds) = Guard(name, () => Hdf5Rows.ElementOf(dataset.Type));
            var shape = Guard(name, () => dataset.Space.Dimensions).Select(d => d > long.MaxValue ? long.MaxValue : (long)d).ToArray();
            if (writtenByMatlab && shape.Length == 2) Array.Reverse(shape); // read as MATLAB shows it (AsMatlabShowsIt)
            return new ArrayShape(dtype, dtype?.Name ?? holds, shape);
        }

        public override string ArrayNamed(string? key) => Dataset(key).Chosen;

        /// <summary>
        /// The dataset a key names, where a key is resolved for reading and for <see cref="ArrayNamed"/>: a dataset's path is
        /// looked up without listing the file's datasets; <paramref name="Listed"/> when they were listed to choose it.
        /// </summary>
        private (string Chosen, bool Listed) Dataset(string? key)
        {
            if (key?.Trim('/') is { Length: > 0 } named && IsDataset(File, named, Path)) return (named, false);
            // h5py names datasets from the root ("/emb/feats"); both spellings find one.
            return (ChooseKey(key?.TrimStart('/'), Keys, k => k), true);
        }

        /// <summary>The ids dataset of that name in the chosen dataset's group: ids are kept per group.</summary>
        protected override string IdsPlace(string idName, string chosen) => chosen[..(chosen.LastIndexOf('/') + 1)] + idName;

        /// <summary>
        /// The ids in the chosen dataset's group, as h5py writes them: integers, or strings of fixed length (numpy's "S")
        /// or variable length (h5py.string_dtype()), one per row; in a MATLAB file, as MATLAB keeps them (<see cref="MatlabIds"/>).
        /// </summary>
        protected override KeptIds? IdsBeside(string idName, string chosen, RowFile rows)
        {
            string key = IdsPlace(idName, chosen), name = NameOf(key);
            if (!IsDataset(File, key, Path))
            {
                // A group holds no ids (MATLAB saves a struct or an object as one), and pairing the rows by position without a
                // word would hide that the file's own ids were not used: refused, as a .pt's dict under that name is.
                if (NotIdsGroup(key) is { } refused) throw refused;
                return null;
            }
            var dataset = Guard(name, () => File.Dataset(key));
            if (writtenByMatlab) return Beside(key, MatlabIds(dataset, name, rows));
            var type = Guard(name, () => dataset.Type);
            var shape = Guard(name, () => dataset.Space.Dimensions).Select(d => d > long.MaxValue ? long.MaxValue : (long)d).ToArray();
            // h5py.string_dtype() is a variable-length type of one-byte characters (PureHDF does not say string from sequence).
            bool strings = type.Class == H5DataTypeClass.String
                || type.Class == H5DataTypeClass.VariableLength && Guard(name, () => type.VariableLength.BaseType) is { Class: H5DataTypeClass.FixedPoint, Size: 1 };
            var (dtype, holds) = strings ? (null, "") : Hdf5Rows.ElementOf(type);
            if (!strings && dtype is not { Kind: 'i' or 'u' }) throw NotIds(name, dtype is null ? holds : $"{dtype.Name} values");
            CheckIdsShape(name, shape);
            // Refused by the count its dataspace declares, before reading: a dataset can declare far more than the file holds.
            if (shape[0] != rows.Rows) throw CountMismatch(name, shape[0], rows);
            // numpy's "S" strings are padded with NULs, which are no part of the id.
            string[] ids = strings ? Array.ConvertAll(Guard(name, () => dataset.Read<string[]>()), id => id.TrimEnd('\0')) : IntegerIds(dataset, dtype!, name);
            return Beside(key, ids);
        }

        /// <summary>The refusal of the group at <paramref name="key"/> as the samples' ids, or null when the key names no group.</summary>
        private RepDiffInputException? NotIdsGroup(string key)
        {
            string name = NameOf(key);
            if (Guard(name, () => File.LinkExists(key) ? File.Get(key) : null) is not IH5Group group) return null;
            return writtenByMatlab ? NotMatlabIds(name, $"a MATLAB {MatlabClass(group, name) ?? "group"}") : NotIds(name, "an HDF5 group");
        }

        /// <summary>
        /// The ids MATLAB saved (save(…, 'ids', '-v7.3')), in MATLAB's order: a cell array of char vectors (cellstr: a vector
        /// of references to char datasets in "#refs#"), a char matrix (one id per row, blank-padded: the stored L×n is MATLAB's
        /// n×L) or a numeric vector (1×n or n×1; doubles as whole numbers). A string array is MATLAB's undocumented object
        /// format, refused saying how to save it instead; a logical vector (a mask) and a struct are refused too.
        /// </summary>
        private string[] MatlabIds(IH5Dataset dataset, string name, RowFile rows)
        {
            string? matlabClass = MatlabClass(dataset, name);
            if (matlabClass == "string")
                throw RepDiffInputException.ForFile(name, "is a MATLAB string array, which MATLAB keeps in a format it does not document; "
                    + "save the ids as a cell array of char vectors instead: ids = cellstr(ids), then save with '-v7.3' again");
            // A logical vector is a mask: as ids its 0s and 1s would name at most two samples apart.
            if (matlabClass == "logical")
                throw NotMatlabIds(name, "MATLAB logical values (true/false: a mask, which can tell at most two samples apart)");
            var shape = Guard(name, () => dataset.Space.Dimensions).Select(d => d > long.MaxValue ? long.MaxValue : (long)d).ToArray();
            if (matlabClass == "char")
            {
                // Stored L×n, MATLAB's n×L: id i is the i-th of each stored row, its blanks of padding no part of it.
                if (shape.Length != 2) throw NotMatlabIds(name, $"a char array of {shape.Length} dimensions");
                if (shape[1] != rows.Rows) throw CountMismatch(name, shape[1], rows);
                CheckIdLength(name, shape[0]);
                int length = (int)shape[0], count = (int)shape[1];
                // Read whole: the stored chars and the ids made of them, each id as long as the matrix is wide.
                MemoryBudget.EnsureFits(name, 4L * length * count, "its char matrix of ids", "save the ids as a cell array of char vectors: ids = cellstr(ids)");
                ushort[] chars = Guard(name, () => dataset.Read<ushort[]>());
                var ids = new string[count];
                var id = new char[length];
                for (int i = 0; i < count; i++)
                {
                    for (int j = 0; j < length; j++) id[j] = (char)chars[(long)j * count + i];
                    ids[i] = new string(id).TrimEnd(' ');
                    if (ids[i].Length == 0) throw RepDiffInputException.ForFile(name, $"row {i + 1} of its char matrix is blank; every sample needs an id");
                }
                return ids;
            }
            // A cell array or a numeric vector: 1×n or n×1, stored n×1 or 1×n, in one order either way.
            if (!(shape.Length == 2 && (shape[0] == 1 || shape[1] == 1) || shape.Length == 1))
                throw NotMatlabIds(name, $"a matrix of {RowFile.ShapeText(MatlabShape(shape))}");
            long n = shape.Aggregate(1L, (product, d) => product * d);
            if (n != rows.Rows) throw CountMismatch(name, n, rows);
            if (matlabClass == "cell") return CellIds(dataset, name);
            var (dtype, holds) = Hdf5Rows.ElementOf(Guard(name, () => dataset.Type));
            if (dtype is { Kind: 'i' or 'u' }) return IntegerIds(dataset, dtype, name);
            if (dtype is not { Kind: 'f' }) throw NotMatlabIds(name, matlabClass is null ? holds : $"MATLAB {matlabClass} values");
            double[] values = Guard(name, () => dataset.Read<double[]>());
            return Array.ConvertAll(values, value => double.IsInteger(value) && Math.Abs(value) <= 1L << 53
                ? ((long)value).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : throw NotMatlabIds(name, $"the number {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}, not a whole number"));
        }

        /// <summary>A cellstr's ids: each cell a reference to a char vector in "#refs#" (an empty one, '', or a blank one is refused naming its cell).</summary>
        private string[] CellIds(IH5Dataset cells, string name)
        {
            var references = Guard(name, () => cells.Read<NativeObjectReference1[]>());
            var ids = new string[references.Length];
            for (int i = 0; i < ids.Length; i++)
            {
                string cell = $"{name}{{{i + 1}}}"; // MATLAB's own name for it: ids{3}
                var target = Guard(cell, () => File.Get(references[i])) as IH5Dataset;
                if (target is null || MatlabClass(target, cell) != "char")
                    throw NotMatlabIds(name, $"a cell {i + 1} that is no char vector (a cell array of ids holds one char vector per cell)");
                bool empty = Guard(cell, () => target.AttributeExists("MATLAB_empty"));
                if (!empty) CheckIdLength(cell, Guard(cell, () => target.Space.Dimensions).Aggregate(1.0, (product, d) => product * d));
                ids[i] = empty ? "" : new string(Array.ConvertAll(Guard(cell, () => target.Read<ushort[]>()), c => (char)c));
                // Named as MATLAB numbers it (ids{3}), where the other formats' check would say row 2.
                if (string.IsNullOrWhiteSpace(ids[i]))
                    throw RepDiffInputException.ForFile(cell, $"is {(empty ? "an empty char vector ('')" : "blank")}; every sample needs an id");
            }
            return ids;
        }

        /// <summary>An id is a short line (as an ids file's are): a char array declaring more is refused before it is read.</summary>
        private static void CheckIdLength(string name, double length)
        {
            if (length > SampleFiles.MaxShortLine)
                throw RepDiffInputException.ForFile(name, $"declares ids of {length:N0} characters, more than the {SampleFiles.MaxShortLine:N0} an id may have");
        }

        /// <summary>The MATLAB class a variable was saved as ("double", "char", "cell", "string"), or null when not said.</summary>
        private static string? MatlabClass(IH5Object saved, string name) => Guard(name, () =>
            saved.AttributeExists("MATLAB_class") ? saved.Attribute("MATLAB_class").Read<string>().TrimEnd('\0') : null);

        /// <summary>A stored shape as MATLAB shows it (column-major: reversed).</summary>
        private static long[] MatlabShape(long[] stored) => stored.Reverse().ToArray();

        private static RepDiffInputException NotMatlabIds(string name, string holds) =>
            RepDiffInputException.ForFile(name, $"holds {holds}, not ids; MATLAB ids are a cell array of char vectors (cellstr), a char matrix of one id per row, "
                + "or a vector of whole numbers (or give --ids-a/--ids-b)");

        /// <summary>Each integer as its digits, read in its stored type so that no 64-bit id is rounded.</summary>
        internal static string[] IntegerIds(IH5Dataset dataset, NpyDtype dtype, string name)
        {
            static string[] Text<T>(T[] values) where T : IFormattable =>
                Array.ConvertAll(values, v => v.ToString(null, System.Globalization.CultureInfo.InvariantCulture));
            return (dtype.Kind, dtype.Size) switch
            {
                ('i', 1) => Text(Guard(name, () => dataset.Read<sbyte[]>())),
                ('i', 2) => Text(Guard(name, () => dataset.Read<short[]>())),
                ('i', 4) => Text(Guard(name, () => dataset.Read<int[]>())),
                ('i', _) => Text(Guard(name, () => dataset.Read<long[]>())),
                ('u', 1) => Text(Guard(name, () => dataset.Read<byte[]>())),
                ('u', 2) => Text(Guard(name, () => dataset.Read<ushort[]>())),
                ('u', 4) => Text(Guard(name, () => dataset.Read<uint[]>())),
                _ => Text(Guard(name, () => dataset.Read<ulong[]>())),
            };
        }
    }

    /// <summary>
    /// An open file that its archive and the rows read from it share: closed when the last of them lets go of it, so that
    /// the rows stay readable after the archive is closed and the file is opened once for both.
    /// </summary>
    private sealed class SharedFile(NativeFile file)
    {
        private int holders = 1;
        public NativeFile File => file;

        public SharedFile Hold()
        {
            Interlocked.Increment(ref holders);
            return this;
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref holders) == 0) file.Dispose();
        }
    }

    /// <summary>One dataset's rows, in blocks of rows (whole storage chunks where the dataset is chunked).</summary>
    private sealed class Hdf5Rows : TableColumn
    {
        /// <summary>The file the rows read, held by them until they are disposed.</summary>
        private readonly SharedFile file;
        private readonly IH5Dataset dataset;
        private readonly long[] shape;
        private (int Offset, int Precision)? bitField;

        private Hdf5Rows(string path, string key, string name, SharedFile file, IH5Dataset dataset, long[] shape) : base(path, key, name)
        {
            this.file = file;
            this.dataset = dataset;
            this.shape = shape;
        }

        public override long[] Shape => shape;

        /// <summary>
        /// The dataset's rows, which hold <paramref name="shared"/> until disposed (let go of here when the dataset is
        /// refused); <paramref name="listed"/> is the dataset when its archive found it already.
        /// </summary>
        public static Hdf5Rows Open(SharedFile shared, string path, string key, string name, IH5Dataset? listed = null)
        {
            var file = shared.Hold();
            try
            {
                var dataset = listed ?? Guard(name, () => file.File.Dataset(key));
                var (dtype, holds) = Guard(name, () => ElementOf(dataset.Type));
                if (dtype is null) throw RepDiffInputException.ForFile(name, $"not an embedding: it holds {holds}, not numbers");
                // A virtual dataset's values live in other files, which HDF5 finds relative to the working directory and
                // replaces by fill values when missing: read silently as zeros, so refused.
                if (Guard(name, () => dataset.Layout.Class) == H5DataLayoutClass.VirtualStorage)
                    throw RepDiffInputException.ForFile(name, "is a virtual dataset (its values live in other files); save its values as a dataset of their own (h5py: f['copy'] = f['x'][:])");
                if (Guard(name, () => dataset.Space.Type) == H5DataspaceType.Null)
                    throw RepDiffInputException.ForFile(name, "holds no values (an empty dataspace)");
                var shape = Guard(name, () => dataset.Space.Dimensions).Select(d => d > long.MaxValue ? long.MaxValue : (long)d).ToArray();
                if (shape.Length is 0 or > 2)
                    throw RepDiffInputException.ForFile(name, $"expected a 2-D array (samples × dimensions), found {(shape.Length == 0 ? "a single value" : $"shape {RowFile.ShapeText(shape)}")}",
                        advice: RowFile.ShapeAdvice(shape));
                if (shape[0] > int.MaxValue || shape.Length == 2 && shape[1] > int.MaxValue)
                    throw RepDiffInputException.ForFile(name, $"shape {RowFile.ShapeText(shape)} has more than {int.MaxValue} rows or columns");
                int rows = (int)shape[0], cols = shape.Length == 2 ? (int)shape[1] : 1;
                CheckStored(path, name, (double)rows * cols * dtype.Size, shape);
                var bits = Guard(name, () => BitsOf(dataset.Type));
                if (dtype.Kind == 'f' && bits is { } floatBits && (floatBits.Offset != 0 || floatBits.Precision != dtype.Size * 8))
                    throw RepDiffInputException.ForFile(name, $"stores floats of {floatBits.Precision} bits at bit {floatBits.Offset} of {dtype.Size * 8}, which RepDiff does not read; "
                        + "write it again as plain float32 (h5py: f2.create_dataset('x', data=f['x'][:].astype('f4')))");
                var result = new Hdf5Rows(path, key, name, file, dataset, shape) { Dtype = dtype, Cols = cols };
                if (dtype.Kind != 'f' && bits is { } intBits && (intBits.Offset != 0 || intBits.Precision != dtype.Size * 8))
                {
                    if (intBits.Precision == 0 || intBits.Offset + intBits.Precision > dtype.Size * 8)
                        throw RepDiffInputException.ForFile(name, $"declares integers of {intBits.Precision} bits at bit {intBits.Offset}, which do not fit in {dtype.Size} bytes");
                    result.bitField = intBits;
                }
                result.SetChunks(RowBlocks(rows, cols, Guard(name, () => dataset.Layout.Class == H5DataLayoutClass.Chunked ? dataset.Layout.Chunks : null)));
                return result;
            }
            catch
            {
                file.Release();
                throw;
            }
        }

        /// <summary>
        /// HDF5 stores no data for chunks never written and reads them as the fill value, so a 1 KB file can declare
        /// 10^8 × 768 values that would take minutes to stream. Deflate compresses at most about 1,032 to 1: a dataset
        /// declaring more than that over the whole file holds values that were never written.
        /// </summary>
        private static void CheckStored(string path, string name, double declaredBytes, long[] shape)
        {
            const double MaxCompression = 1100;
            long fileBytes = new FileInfo(path).Length;
            if (declaredBytes > fileBytes * MaxCompression)
                throw RepDiffInputException.ForFile(name, $"declares shape {RowFile.ShapeText(shape)} ({declaredBytes / 1e9:G3} GB) in a file of {fileBytes:N0} bytes, "
                    + "more than compression can hold: its values were never written (HDF5 reads them as the fill value) or live in another file");
        }

        /// <summary>
        /// Where a number's bits lie in its bytes (HDF5's bit offset and precision), or null when PureHDF does not say.
        /// h5py writes types such as an int32 of 12 bits (set_precision) as 4 bytes whose upper bits are padding, not sign:
        /// read as plain int32, -1 became 4095. PureHDF 2.2 keeps the two numbers internal, so they are read by reflection
        /// (Hdf5Tests reads such a file, so a PureHDF that moves them fails a test rather than reading wrong values).
        /// </summary>
        [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2075",
            Justification = "HDF5 is refused before PureHDF is reached in a trimmed Native AOT binary (OpenFile); untrimmed, the members are there.")]
        private static (int Offset, int Precision)? BitsOf(IH5DataType type)
        {
            const System.Reflection.BindingFlags Any = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic;
            object? message = type.GetType().GetField("_dataType", Any)?.GetValue(type);
            object? properties = message?.GetType().GetProperty("Properties", Any)?.GetValue(message);
            object? first = properties is System.Collections.IEnumerable list ? list.Cast<object?>().FirstOrDefault() : null;
            if (first?.GetType() is not { } kind) return null;
            if (kind.GetProperty("BitOffset", Any)?.GetValue(first) is ushort offset && kind.GetProperty("BitPrecision", Any)?.GetValue(first) is ushort precision)
                return (offset, precision);
            return null;
        }

        /// <summary>numpy's element type for an HDF5 numeric type, or what the dataset holds instead.</summary>
        internal static (NpyDtype? Dtype, string Holds) ElementOf(IH5DataType type) => type.Class switch
        {
            H5DataTypeClass.FloatingPoint when type.Size is 2 or 4 or 8 => (new NpyDtype('f', type.Size, false), ""),
            H5DataTypeClass.FixedPoint when type.Size is 1 or 2 or 4 or 8 => (new NpyDtype(type.FixedPoint.IsSigned ? 'i' : 'u', type.Size, false), ""),
            H5DataTypeClass.String => (null, "strings"),
            H5DataTypeClass.VariableLength => (null, "variable-length sequences (ragged rows or strings)"),
            H5DataTypeClass.Enumerated => (null, "an enumeration (h5py stores bool this way)"),
            H5DataTypeClass.Compound => (null, "records of several fields"),
            var other => (null, $"{other} values of {type.Size} bytes"),
        };

        /// <summary>None: its blocks of rows are made here from the dataset's shape, which is checked against the file as it is opened.</summary>
        protected override string? CorruptAdvice => null;

        protected override void CheckChunkSize(int chunk)
        {
            long values = (long)ChunkRows(chunk) * Math.Max(1, Cols);
            if (values > Array.MaxLength)
                throw RepDiffInputException.ForFile(Name, $"rows of {Cols} values are too wide to read {ChunkRows(chunk)} at once");
        }

        protected override void Decode(int chunk, Memory<float> destination)
        {
            ulong first = (ulong)ChunkFirstRow(chunk), count = (ulong)ChunkRows(chunk);
            var selection = shape.Length == 2
                ? new HyperslabSelection(rank: 2, starts: [first, 0], blocks: [count, (ulong)Cols])
                : new HyperslabSelection(start: first, block: count);
            if (bitField is { } bits)
            {
                ReadBitField(destination.Span, selection, bits);
                return;
            }
            switch (Dtype)
            {
                case { Kind: 'f', Size: 4 }: Guard(Name, () => ReadInto(destination, selection)); break;
                case { Kind: 'f', Size: 8 }: Convert<double>(destination, selection, (int)first); break;
                case { Kind: 'f', Size: 2 }: Convert<Half>(destination, selection, (int)first); break;
                case { Kind: 'i', Size: 1 }: Convert<sbyte>(destination, selection, (int)first); break;
                case { Kind: 'i', Size: 2 }: Convert<short>(destination, selection, (int)first); break;
                case { Kind: 'i', Size: 4 }: Convert<int>(destination, selection, (int)first); break;
                case { Kind: 'i', Size: 8 }: Convert<long>(destination, selection, (int)first); break;
                case { Kind: 'u', Size: 1 }: Convert<byte>(destination, selection, (int)first); break;
                case { Kind: 'u', Size: 2 }: Convert<ushort>(destination, selection, (int)first); break;
                case { Kind: 'u', Size: 4 }: Convert<uint>(destination, selection, (int)first); break;
                default: Convert<ulong>(destination, selection, (int)first); break;
            }
        }

        /// <summary>
        /// Integers of fewer bits than their bytes: each value's bits taken from its offset, sign-extended from its top
        /// bit when signed, as libhdf5 converts them to a native type.
        /// </summary>
        private void ReadBitField(Span<float> destination, Selection selection, (int Offset, int Precision) bits)
        {
            int length = destination.Length;
            ulong[] raw = Dtype.Size switch
            {
                1 => Array.ConvertAll(Guard(Name, () => Read(new byte[length], selection)), v => (ulong)v),
                2 => Array.ConvertAll(Guard(Name, () => Read(new ushort[length], selection)), v => (ulong)v),
                4 => Array.ConvertAll(Guard(Name, () => Read(new uint[length], selection)), v => (ulong)v),
                _ => Guard(Name, () => Read(new ulong[length], selection)),
            };
            ulong mask = bits.Precision == 64 ? ulong.MaxValue : (1UL << bits.Precision) - 1;
            int unused = 64 - bits.Precision;
            for (int k = 0; k < raw.Length; k++)
            {
                ulong value = (raw[k] >> bits.Offset) & mask;
                destination[k] = Dtype.Kind == 'i' ? (long)(value << unused) >> unused : value;
            }
        }

        private T[] Read<T>(T[] buffer, Selection selection)
        {
            dataset.Read(buffer, fileSelection: selection, memoryDims: [(ulong)buffer.Length]);
            return buffer;
        }

        /// <summary>
        /// Float32 values read straight into <paramref name="destination"/> (the table's whole array when it is held whole);
        /// only PureHDF's native datasets, which every file opened here gives, read into a span.
        /// </summary>
        private Memory<float> ReadInto(Memory<float> destination, Selection selection)
        {
            ((NativeDataset)dataset).Read(destination.Span, fileSelection: selection, memoryDims: [(ulong)destination.Length]);
            return destination;
        }

        /// <summary>Reads the block in its stored type and converts it (float64 beyond float32's range becomes ±Inf, which reading refuses).</summary>
        private void Convert<T>(Memory<float> destination, Selection selection, int firstRow) where T : unmanaged, INumberBase<T>
        {
            var stored = Guard(Name, () => Read(new T[destination.Length], selection));
            TensorPrimitives.ConvertTruncating<T, float>(stored, destination.Span);
            if (stored is double[] values) CheckBeyondFloat32(values, destination.Span, firstRow);
        }

        private bool released;

        public override void Dispose()
        {
            if (released) return;
            released = true;
            file.Release();
        }
    }
}
