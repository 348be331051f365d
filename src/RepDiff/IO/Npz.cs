using System.IO.Compression;

namespace RepDiff.IO;

/// <summary>Reads numpy's .npz archives (a zip of .npy files, stored or deflated, zip64 included).</summary>
public static class Npz
{
    /// <summary>Deflated entries may expand at most this much when they hold more than <see cref="MaxExpandedBytes"/>.</summary>
    public const int MaxExpansion = 100;
    public const long MaxExpandedBytes = 256L << 20;

    internal static ArrayArchive Open(string path) => new NpzArchive(path);

    /// <summary>Opens one array as rows: the one named by key (with or without ".npy"), or the only one.</summary>
    internal static RowFile OpenRows(string path, string? key, bool checkFinite)
    {
        using var archive = Open(path);
        return archive.OpenNamedRows(key, checkFinite);
    }

    /// <summary>numpy stores array "x" as entry "x.npy".</summary>
    private static string ArrayName(string entry) => entry.EndsWith(".npy", StringComparison.Ordinal) ? entry[..^4] : entry;

    private sealed class NpzArchive : ArrayArchive
    {
        private readonly FileStream stream;
        private readonly ZipArchive zip;
        private readonly Dictionary<string, ZipArchiveEntry> entries;
        private readonly StoredZipEntries stored;

        public NpzArchive(string path) : base(path)
        {
            stream = InputFile.OpenRead(path);
            try
            {
                zip = OpenArchive(stream, path);
                entries = ArrayEntries(zip, path);
                stored = new StoredZipEntries(path, stream, zip.Entries);
            }
            catch
            {
                Dispose();
                throw;
            }
            Keys = entries.Keys.Select(ArrayName).ToList();
        }

        public override IReadOnlyList<string> Keys { get; }

        public override string ArrayNamed(string? key) => ArrayName(Entry(key));

        /// <summary>The entry a key names, with or without ".npy" (or the only one): where a key is resolved, for reading and for <see cref="ArrayNamed"/>.</summary>
        private string Entry(string? key) => ChooseKey(key, entries.Keys, ArrayName);

        public override RowFile OpenRows(string? key, bool checkFinite)
        {
            if (VectorRows(key, checkFinite) is { } vectors) return vectors;
            var (chosen, name, header, bytes) = ReadArray(key);
            RowFile rows;
            try { rows = new RowFile(name, bytes, header.Dtype, header.Shape, header.FortranOrder, checkFinite); }
            catch { bytes.Dispose(); throw; }
            return WithIdsBeside(rows, chosen);
        }

        /// <summary>The array's .npy header alone: a stored entry's data is not read, a deflated one's only as far as its header.</summary>
        protected override ArrayShape? ShapeOf(string key)
        {
            string chosen = Entry(key), name = $"{Path}[{ArrayName(chosen)}]";
            try
            {
                using var entryStream = StoredInOrder(entries[chosen]) ?? OpenEntry(entries[chosen], name);
                var header = Npy.ReadHeader(entryStream, name, entries[chosen].Length, strings: true, archiveEntry: true);
                return new ArrayShape(header.Dtype, header.Dtype.Name, header.Shape);
            }
            catch (InvalidDataException e)
            {
                throw RepDiffInputException.ForFile(name, $"corrupt .npz entry ({e.Message})");
            }
        }

        protected override KeptIds? IdsBeside(string idName, string chosen, RowFile rows)
        {
            if (!entries.ContainsKey(idName + ".npy") && !entries.ContainsKey(idName)) return null;
            var (_, name, header, bytes) = ReadArray(idName, strings: true);
            using (bytes) return Beside(idName, IdStrings(name, header.Dtype, header.Shape, bytes));
        }

        public override void Dispose()
        {
            inOrder?.Dispose();
            zip?.Dispose();
            stream.Dispose();
        }

        /// <summary>
        /// The file read front to back through one buffered stream: the stored entries of a file of one vector per sample,
        /// their headers (to recognise it) and then their values, each in the file's order. Opening 50,000 entries through
        /// ZipArchive, twice, had taken 5 s where the same matrix as an .npy reads in 2.
        /// </summary>
        private FileStream? inOrder;

        /// <summary>Where each stored entry's data begins, found once (a read of its local header) for both passes.</summary>
        private readonly Dictionary<ZipArchiveEntry, long?> dataOffsets = new(ReferenceEqualityComparer.Instance);

        /// <summary>A stored entry's bytes from its first, through that stream, with their CRC-32; null for an entry not stored, which ZipArchive reads.</summary>
        private Crc32ReadStream? StoredInOrder(ZipArchiveEntry entry)
        {
            // A second stream over the archive's handle (the file is opened once), with a buffer and a position of its own.
            inOrder ??= new FileStream(stream.SafeFileHandle, FileAccess.Read, bufferSize: 1 << 16);
            // Its local header is read through the archive's own handle: a read through this stream's handle (FileStream's
            // SafeFileHandle, once asked for) makes the stream drop its buffer and seek before every read.
            if (!dataOffsets.TryGetValue(entry, out long? offset)) dataOffsets[entry] = offset = stored.DataOffset(stream, entry);
            if (offset is not { } start) return null;
            // The next entry's data follows a local header of a few dozen bytes: read past, as setting the position drops the buffer.
            long gap = start - inOrder.Position;
            if (gap is >= 0 and < 1 << 12) inOrder.ReadExactly(stackalloc byte[(int)gap]);
            else inOrder.Position = start;
            return new Crc32ReadStream(inOrder, leaveOpen: true);
        }

        /// <summary>
        /// One array: its display name ("file.npz[key]"), header and data, memory-mapped when the entry is stored uncompressed
        /// (as numpy.savez writes it), so a file larger than memory streams as a .npy does; read into memory when deflated.
        /// </summary>
        private (string Key, string Name, NpyHeader Header, ArrayBytes Data) ReadArray(string? key, bool strings = false)
        {
            string chosen = Entry(key);
            var entry = entries[chosen];
            string name = $"{Path}[{ArrayName(chosen)}]";
            try
            {
                using var entryStream = (ReadingVector ? StoredInOrder(entry) : null) ?? OpenEntry(entry, name);
                var header = Npy.ReadHeader(entryStream, name, entry.Length, strings, archiveEntry: true);
                // Embeddings are dense floats that deflate barely at all: an entry expanding a hundredfold to
                // hundreds of MB is a decompression bomb (or an array better stored uncompressed), refused before inflating it.
                if (header.DataBytes > MaxExpandedBytes && header.DataBytes > MaxExpansion * Math.Max(1, entry.CompressedLength))
                    throw RepDiffInputException.ForFile(name, $"expands from {MemoryBudget.Megabytes(entry.CompressedLength)} to {MemoryBudget.Megabytes(header.DataBytes)} " +
                        $"(more than {MaxExpansion}-fold), which no embedding does; save it uncompressed (numpy.savez or .npy)");
                long declared = entry.Length - header.DataOffset;
                // One sample's vector of a few KB is read, not mapped, and counted in the whole matrix's estimate: a map and a
                // look at free memory per vector had taken 10 s for 50,000 of them.
                if (declared == header.DataBytes && !ReadingVector && stored.Map(entry, header.DataOffset, header.DataBytes, name) is { } mapped)
                    return (ArrayName(chosen), name, header, mapped);
                // The data stays in memory as bytes, and the caller's rows are converted to float32 from them.
                if (!ReadingVector) MemoryBudget.EnsureFits(name, header.DataBytes + header.Count * sizeof(float), $"the {RowFile.ShapeText(header.Shape)} {header.Dtype.Name} array");
                var data = ReadData(entryStream, header.DataBytes, declared == header.DataBytes, name);
                // The CRC-32 covers the whole entry, so the whole entry must have been read: numpy writes the array and
                // nothing after it, and an entry declaring more is refused rather than half checked.
                if (declared > header.DataBytes)
                    throw RepDiffInputException.ForFile(name, $"the zip entry declares {entry.Length} bytes but its .npy array takes {header.DataOffset + header.DataBytes}");
                // The zip's checksum is the only thing that tells a flipped bit in stored (or deflated) data from a real value.
                if (entryStream.Crc != entry.Crc32)
                    throw RepDiffInputException.ForFile(name, $"corrupt .npz entry (its data does not match the zip's CRC-32: {entryStream.Crc:x8}, expected {entry.Crc32:x8})");
                return (ArrayName(chosen), name, header, new MemoryBytes(data));
            }
            catch (InvalidDataException e)
            {
                throw RepDiffInputException.ForFile(name, $"corrupt .npz entry ({e.Message})");
            }
        }
    }

    /// <summary>
    /// An entry's bytes with their running CRC-32. An encrypted entry is refused by name: ZipArchive reads a stored one as
    /// its ciphertext ("not a .npy file") and a deflated one as "an unsupported compression method".
    /// </summary>
    internal static Crc32ReadStream OpenEntry(ZipArchiveEntry entry, string name)
    {
        if (entry.IsEncrypted)
            throw RepDiffInputException.ForFile(name, $"its entry {NpyDtype.Truncate(entry.FullName)} is encrypted (a password-protected zip); save it again without a password");
        return new Crc32ReadStream(entry.Open());
    }

    /// <summary>
    /// Reads exactly `needed` bytes. When the zip entry's size agrees with the header, the buffer is
    /// allocated at once (uninitialized: pages the data never reaches are never touched); otherwise it
    /// grows as data actually arrives, so that an entry whose sizes lie costs no more memory than the data
    /// it really holds.
    /// </summary>
    internal static byte[] ReadData(Stream stream, long needed, bool sizesAgree, string name)
    {
        if (needed > Array.MaxLength)
            throw RepDiffInputException.ForFile(name, $"array of {needed} bytes is too large to load at once");
        var buffer = sizesAgree ? GC.AllocateUninitializedArray<byte>((int)needed) : new byte[Math.Min(needed, 1 << 16)];
        long filled = 0;
        while (true)
        {
            filled += InputFile.ReadFully(stream, buffer.AsSpan((int)filled));
            if (filled == needed) return buffer;
            if (filled < buffer.Length)
                throw RepDiffInputException.ForFile(name, $"truncated data (needs {needed} bytes, the entry holds {filled})");
            Array.Resize(ref buffer, (int)Math.Min(needed, buffer.LongLength * 2));
        }
    }

    /// <summary>Passes an entry's bytes on, keeping the CRC-32 of everything read so far.</summary>
    internal sealed class Crc32ReadStream(Stream inner, bool leaveOpen = false) : CheckingReadStream(inner, leaveOpen)
    {
        private readonly System.IO.Hashing.Crc32 crc = new();

        public uint Crc => crc.GetCurrentHashAsUInt32();

        protected override void Inspect(ReadOnlySpan<byte> bytes) => crc.Append(bytes);
    }

    private static ZipArchive OpenArchive(FileStream stream, string path)
    {
        try { return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true); }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            throw NotAZip(path, e);
        }
    }

    /// <summary>
    /// Bytes that no zip can be read from (no zip signature, or a damaged directory): what the file is not and what to do,
    /// where .NET's "End of Central Directory record could not be found" alone had left the user without a next step.
    /// </summary>
    private static RepDiffInputException NotAZip(string path, Exception e) => RepDiffInputException.ForFile(path,
        $"is not a readable .npz file: no zip archive, as np.savez writes, could be read from it ({e.Message.TrimEnd('.')}); "
        + "it is damaged or not an .npz: save it again with np.savez(path, embeddings=array), or as .npy");

    /// <summary>Entries by name; two entries of one name are an error (which one numpy reads is undefined).</summary>
    private static Dictionary<string, ZipArchiveEntry> ArrayEntries(ZipArchive zip, string path)
    {
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue;
                if (!entries.TryAdd(entry.FullName, entry))
                    throw RepDiffInputException.ForFile(path, $"holds two entries named '{NpyDtype.Truncate(entry.FullName)}'");
            }
        }
        catch (InvalidDataException e)
        {
            throw NotAZip(path, e);
        }
        if (entries.Count == 0) throw RepDiffInputException.ForFile(path, "holds no arrays");
        // A zip of other files had been refused at its first entry: "not a .npy array … the file is damaged".
        if (FileSignature.OfZip(zip).Other is { } other) throw RepDiffInputException.ForFile(path, $"is {other.What}; {other.Advice}");
        return entries;
    }
}
