using System.IO.Compression;
using static RepDiff.IO.TorchPickle;

namespace RepDiff.IO;

/// <summary>
/// Reads tensors from what torch.save writes (.pt, .pth; PyTorch 1.6 and later): a zip holding data.pkl, the pickled
/// object, and data/KEY, each storage's raw bytes. The object may be a tensor or dicts, lists and tuples of tensors
/// (a state dict, {"embeddings": t, "labels": ...}); --key picks one by its path ("embeddings", "model.fc.weight",
/// "0"). Nothing in the file is executed: <see cref="TorchPickle"/> builds only plain values.
/// </summary>
public static class TorchFile
{
    internal static ArrayArchive Open(string path) => new TorchArchive(path);

    internal static RowFile OpenRows(string path, string? key, bool checkFinite)
    {
        using var archive = Open(path);
        return archive.OpenNamedRows(key, checkFinite);
    }

    private sealed class TorchArchive : ArrayArchive
    {
        private readonly FileStream stream;
        private readonly ZipArchive zip;
        private readonly string prefix;
        private readonly bool bigEndian;
        private readonly List<(string Key, TorchTensor Tensor)> tensors;
        /// <summary>Every dict by its path ("" for the root), where ids beside a tensor are looked for.</summary>
        private readonly Dictionary<string, PickleDict> dicts = new(StringComparer.Ordinal);
        private readonly ILookup<string, TorchTensor> tensorsByKey;
        private readonly StoredZipEntries stored;

        /// <summary>
        /// The storage last read into memory: hundreds of views of one deflated storage (a flattened parameter buffer)
        /// inflated it once each, minutes for `inspect` of a file that maps in a second when stored.
        /// </summary>
        private (ZipArchiveEntry Entry, byte[] Data)? lastRead;

        public TorchArchive(string path) : base(path)
        {
            stream = InputFile.OpenRead(path);
            try
            {
                zip = OpenArchive(stream, path);
                (var root, prefix, bigEndian) = Load(zip, path);
                tensors = Tensors(root, path, dicts);
                stored = new StoredZipEntries(path, stream, zip.Entries);
            }
            catch
            {
                Dispose();
                throw;
            }
            tensorsByKey = tensors.ToLookup(t => t.Key, t => t.Tensor, StringComparer.Ordinal);
            Keys = tensorsByKey.Select(g => g.Key).ToList();
        }

        /// <summary>The tensors' paths ("" for a tensor saved alone).</summary>
        public override IReadOnlyList<string> Keys { get; }

        public override void Dispose()
        {
            lastRead = null;
            zip?.Dispose();
            stream.Dispose();
        }

        public override RowFile OpenRows(string? key, bool checkFinite)
        {
            if (tensors.Count == 0) throw RepDiffInputException.ForFile(Path, "holds no tensors");
            if (key is not null && tensors is [{ Key: "" }])
                throw RepDiffInputException.ForFile(Path, $"holds one tensor alone (torch.save(tensor)), which has no key; leave out the key '{NpyDtype.Truncate(key)}'");
            if (VectorRows(key, checkFinite) is { } vectors) return vectors;
            string chosen = ChooseKey(key, Keys, k => k);
            // A dict key holding a dot can spell the path of a nested one ({"a.b": t1, "a": {"b": t2}}): the path names neither.
            var named = tensorsByKey[chosen].Distinct(ReferenceEqualityComparer.Instance).ToList();
            if (named.Count > 1)
                throw RepDiffInputException.ForFile(Path, $"holds {named.Count} different tensors at the path '{NpyDtype.Truncate(chosen)}' (a dict key with a dot in it names the same path as nested dicts); save them under distinct keys");
            var tensor = (TorchTensor)named[0]!;
            string name = tensors.Count == 1 ? Path : $"{Path}[{chosen}]";
            if (tensor.UnreadDtype is { } unread) throw RepDiffInputException.ForFile(name, TorchPickle.UnreadDtypeProblem(unread));
            var dtype = tensor.Storage.Dtype with { BigEndian = bigEndian && tensor.Storage.Dtype.Size > 1 };
            bool fortranOrder = Layout(tensor, name);
            Npy.CheckShape(tensor.Shape, dtype.Size, name);
            long count = tensor.Shape.Aggregate(1L, (a, b) => a * b);
            // A negative offset would read the bytes before the storage's record (its zip header, another storage) as values.
            if (tensor.Offset < 0 || tensor.Offset > tensor.Storage.Elements - count)
                throw RepDiffInputException.ForFile(name, $"its view (offset {tensor.Offset}, {count} values) {(tensor.Offset < 0 ? "begins before" : "runs past")} its storage of {tensor.Storage.Elements} values");
            var bytes = ReadStorage(tensor, count, name);
            RowFile rows;
            try { rows = new RowFile(name, bytes, dtype, tensor.Shape, fortranOrder, checkFinite); }
            catch { bytes.Dispose(); throw; }
            return WithIdsBeside(rows, chosen);
        }

        protected override ArrayShape? ShapeOf(string key)
        {
            var tensor = tensorsByKey[ChooseKey(key, Keys, k => k)].First();
            return new ArrayShape(tensor.UnreadDtype is null ? tensor.Storage.Dtype : null, tensor.UnreadDtype ?? tensor.Storage.Dtype.Name, tensor.Shape);
        }

        /// <summary>The ids' key in the dict that holds the chosen tensor ("emb.ids" beside "emb.feats"): ids are kept per dict.</summary>
        protected override string IdsPlace(string idName, string chosen) =>
            chosen.LastIndexOf('.') is var dot and >= 0 ? $"{chosen[..dot]}.{idName}" : idName;

        /// <summary>
        /// The ids in the dict that holds the chosen tensor: a list (or tuple) of strings or of integers, as
        /// torch.save({"emb": t, "ids": ids}) keeps them, or an integer tensor.
        /// </summary>
        protected override KeptIds? IdsBeside(string idName, string chosen, RowFile rows)
        {
            int dot = chosen.LastIndexOf('.');
            string parent = dot < 0 ? "" : chosen[..dot];
            if (!dicts.TryGetValue(parent, out var dict)) return null;
            var found = dict.Where(item => item.Key is string key && key == idName).ToList();
            if (found.Count == 0) return null;
            string key = IdsPlace(idName, chosen), name = NameOf(key);
            switch (found[0].Value)
            {
                case TorchTensor tensor when tensor.UnreadDtype is null:
                    var dtype = tensor.Storage.Dtype with { BigEndian = bigEndian && tensor.Storage.Dtype.Size > 1 };
                    Layout(tensor, name);
                    long count = tensor.Shape.Aggregate(1L, (a, b) => a * b);
                    if (tensor.Offset < 0 || tensor.Offset > tensor.Storage.Elements - count)
                        throw RepDiffInputException.ForFile(name, $"its view (offset {tensor.Offset}, {count} values) lies outside its storage of {tensor.Storage.Elements} values");
                    using (var bytes = ReadStorage(tensor, count, name)) return Beside(key, IdStrings(name, dtype, tensor.Shape, bytes));
                case List<object?> list when IdItems(list) is { } ids: return Beside(key, ids);
                case object?[] tuple when IdItems(tuple) is { } ids: return Beside(key, ids);
                default:
                    throw RepDiffInputException.ForFile(name, "is beside the embeddings but holds no ids: ids are a list of strings or of integers, or an integer tensor (or give --ids-a/--ids-b, or --key to pick the embeddings)");
            }
        }

        /// <summary>The items as ids when every one is a string, or every one an integer; else null.</summary>
        private static string[]? IdItems(IReadOnlyList<object?> items) =>
            items.All(item => item is string) ? items.Select(item => (string)item!).ToArray()
            : items.All(item => item is long) ? items.Select(item => ((long)item!).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()
            : null;

        /// <summary>
        /// The tensor's bytes: memory-mapped where the storage is stored uncompressed (as torch.save writes it), so a file
        /// larger than memory streams as a .npy does; otherwise read into memory, a view of part of a storage (t[10:]) copied out.
        /// </summary>
        private ArrayBytes ReadStorage(TorchTensor tensor, long count, string name)
        {
            var storage = tensor.Storage;
            var entry = zip.GetEntry($"{prefix}data/{storage.Key}")
                ?? throw RepDiffInputException.ForFile(name, $"its storage data/{NpyDtype.Truncate(storage.Key)} is missing from the archive");
            long bytes = storage.Elements * storage.Dtype.Size;
            if (entry.Length != bytes)
                throw RepDiffInputException.ForFile(name, $"its storage data/{NpyDtype.Truncate(storage.Key)} holds {entry.Length} bytes, but {storage.Elements} {storage.Dtype.Name} values take {bytes}");
            long offset = tensor.Offset * storage.Dtype.Size, length = count * storage.Dtype.Size;
            // One sample's vector is read rather than mapped (a map per vector is slow for 50,000 of them); its own storage is
            // counted in the whole matrix's estimate, a storage it is a view of is not.
            if (!ReadingVector && stored.Map(entry, offset, length, name) is { } mapped) return mapped;
            byte[] whole;
            if (lastRead is { } last && last.Entry == entry) whole = last.Data;
            else
            {
                lastRead = null;
                if (!ReadingVector || storage.Elements > count)
                    MemoryBudget.EnsureFits(name, bytes + storage.Elements * sizeof(float), $"its storage of {storage.Elements:N0} {storage.Dtype.Name} values");
                whole = ReadEntry(entry, bytes, name, sizesAgree: true);
                lastRead = (entry, whole);
            }
            return new MemoryBytes(offset == 0 && length == bytes ? whole : whole.AsSpan(checked((int)offset), checked((int)length)).ToArray());
        }
    }

    /// <summary>
    /// Whether the tensor is stored column-major (a transposed matrix, t.T) rather than row-major; any other
    /// layout (a strided slice, an expanded view) is refused: the storage holds other values in between.
    /// </summary>
    private static bool Layout(TorchTensor tensor, string name)
    {
        var (shape, stride) = (tensor.Shape, tensor.Stride);
        if (stride.Length != shape.Length) throw RepDiffInputException.ForFile(name, $"has {shape.Length} dimensions but {stride.Length} strides");
        bool Dense(IEnumerable<int> order)
        {
            long expected = 1;
            foreach (int axis in order)
            {
                if (shape[axis] > 1 && stride[axis] != expected) return false;
                expected *= shape[axis];
            }
            return true;
        }
        var axes = Enumerable.Range(0, shape.Length);
        if (Dense(axes.Reverse())) return false;
        if (Dense(axes)) return true;
        throw RepDiffInputException.ForFile(name, $"is a strided view (shape {RowFile.ShapeText(shape)}, strides ({string.Join(", ", stride)})) "
            + "whose storage holds other values between its own; save tensor.contiguous()");
    }

    private static (object? Root, string Prefix, bool BigEndian) Load(ZipArchive zip, string path)
    {
        List<ZipArchiveEntry> pickles;
        try { pickles = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1).ToList(); }
        catch (InvalidDataException e) { throw RepDiffInputException.ForFile(path, $"not a valid .pt (zip) file ({e.Message})"); }
        if (pickles.Count != 1)
        {
            bool torchScript = zip.Entries.Any(e => e.FullName.EndsWith("/constants.pkl", StringComparison.Ordinal));
            var other = pickles.Count == 0 ? FileSignature.OfZip(zip).Other : null;
            throw RepDiffInputException.ForFile(path, torchScript
                ? "is a TorchScript module (torch.jit.save), not saved tensors; save the embeddings with torch.save(tensor)"
                : other is not null ? $"is {other.What}; {other.Advice}"
                : pickles.Count == 0 ? "is a zip without data.pkl: not a file torch.save wrote" : "holds several data.pkl records");
        }
        string prefix = pickles[0].FullName[..^"data.pkl".Length];
        // Zip readers disagree on which of two records of one name counts (.NET's the first, Python's the last).
        if (zip.Entries.GroupBy(e => e.FullName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw RepDiffInputException.ForFile(path, $"holds two zip records named {NpyDtype.Truncate(twice.Key)}: which one counts is not defined");
        // Files from before the byteorder record (PyTorch < 1.10) were written little-endian, as torch.load assumes.
        bool bigEndian = false;
        if (zip.GetEntry(prefix + "byteorder") is { } order)
            bigEndian = System.Text.Encoding.ASCII.GetString(ReadEntry(order, 16, path, sizesAgree: false)) switch
            {
                "little" => false,
                "big" => true,
                _ => throw RepDiffInputException.ForFile(path, "has a byteorder record that is neither 'little' nor 'big'"),
            };
        // data.pkl holds the object's structure, never the tensors' values: a state dict of a large model pickles to a few MB.
        var pickle = ReadEntry(pickles[0], 256L << 20, path, sizesAgree: false);
        return (TorchPickle.Load(pickle, path), prefix, bigEndian);
    }

    /// <summary>
    /// Most values the paths of a file reach, counting each time a shared dict or list is reached again: a large model's state
    /// dict, with its optimizer's, has tens of thousands. The pickle's own cap (<see cref="TorchPickle.MaxValues"/>, 8.4
    /// million) let a 2.6 KB file of dicts each holding the one below twice make a million paths, 485 MB and over a minute
    /// of `inspect` (reviewer).
    /// </summary>
    internal const int MaxPaths = 1 << 20;

    /// <summary>Most characters of all paths together (128 MB of text): a few long keys shared many times make long paths.</summary>
    internal const long MaxPathChars = 1L << 26;

    /// <summary>Every tensor reachable from the root through dicts with string or integer keys, lists and tuples, by path.</summary>
    private static List<(string Key, TorchTensor Tensor)> Tensors(object? root, string path, Dictionary<string, PickleDict> dicts)
    {
        var found = new List<(string, TorchTensor)>();
        // A list can hold one list twice through the memo, and that list two more: each level doubles the paths, so
        // the walk counts what it visits, and the characters of the paths it makes, rather than trusting the pickle's size.
        long visited = 0, pathChars = 0;
        void Walk(object? value, string key, int depth)
        {
            if (depth > 32) throw RepDiffInputException.ForFile(path, "nests dicts or lists more than 32 deep");
            if (++visited > MaxPaths)
                throw RepDiffInputException.ForFile(path, $"reaches more than {MaxPaths:N0} values through dicts and lists (they share parts, each level doubling the paths)");
            if ((pathChars += key.Length) > MaxPathChars)
                throw RepDiffInputException.ForFile(path, $"makes more than {MaxPathChars:N0} characters of paths through dicts and lists (long keys, shared many times)");
            string Child(object name) => key.Length == 0 ? $"{name}" : $"{key}.{name}";
            switch (value)
            {
                case TorchTensor tensor: found.Add((key, tensor)); break;
                case PickleDict dict:
                    dicts.TryAdd(key, dict);
                    foreach (var (name, item) in dict)
                        if (name is string or long) Walk(item, Child(name), depth + 1);
                    break;
                case List<object?> list: for (int i = 0; i < list.Count; i++) Walk(list[i], Child(i), depth + 1); break;
                case object?[] tuple: for (int i = 0; i < tuple.Length; i++) Walk(tuple[i], Child(i), depth + 1); break;
            }
        }
        Walk(root, "", 0);
        return found;
    }

    /// <summary>
    /// A whole entry, checked against the zip's CRC-32 (the only thing that tells a flipped bit from a value). Unless its
    /// size was checked against what it must hold (<paramref name="sizesAgree"/>), the buffer grows only as data arrives.
    /// </summary>
    private static byte[] ReadEntry(ZipArchiveEntry entry, long maxBytes, string name, bool sizesAgree)
    {
        if (entry.Length > maxBytes)
            throw RepDiffInputException.ForFile(name, $"its record {NpyDtype.Truncate(entry.FullName)} declares {entry.Length} bytes, more than the {maxBytes} it may hold");
        try
        {
            using var stream = Npz.OpenEntry(entry, name);
            var data = Npz.ReadData(stream, entry.Length, sizesAgree, name);
            if (stream.Crc != entry.Crc32)
                throw RepDiffInputException.ForFile(name, $"corrupt record {NpyDtype.Truncate(entry.FullName)} (its data does not match the zip's CRC-32)");
            return data;
        }
        catch (InvalidDataException e)
        {
            throw RepDiffInputException.ForFile(name, $"corrupt record {NpyDtype.Truncate(entry.FullName)} ({e.Message})");
        }
    }

    private static ZipArchive OpenArchive(FileStream stream, string path)
    {
        Span<byte> start = stackalloc byte[2];
        if (InputFile.ReadFully(stream, start) == 2 && start[0] == 0x80)
            throw RepDiffInputException.ForFile(path, $"is {FileSignature.LegacyTorch.What}; {FileSignature.LegacyTorch.Advice}");
        stream.Position = 0;
        try { return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true); }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            throw RepDiffInputException.ForFile(path, $"is not a readable .pt file: no zip archive, as torch.save writes, could be read from it ({e.Message.TrimEnd('.')}); "
                + "it is damaged or not a torch.save file: save it again with torch.save(tensor, path), or as .npy or .safetensors");
        }
    }
}
