using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace RepDiff.IO;

/// <summary>
/// Where an uncompressed (stored) zip entry's bytes lie in the file, so that an array in a .pt or .npz is memory-mapped
/// as a .npy is rather than read into memory (torch.save and numpy.savez store their arrays uncompressed; torch even
/// pads them for mapping). .NET's ZipArchive reads entries but never says where they are, so this reads the zip's
/// central directory and the entry's local header itself. Anything it does not understand, or that disagrees with what
/// ZipArchive read, gives null and the caller reads the entry through ZipArchive as before. End records that zip readers
/// follow differently (.NET's ZipArchive and Python's zipfile, which numpy reads with) are refused when this is made.
/// </summary>
internal sealed class StoredZipEntries
{
    private const uint EndSignature = 0x06054b50, Zip64EndSignature = 0x06064b50, Zip64LocatorSignature = 0x07064b50;
    private const uint CentralSignature = 0x02014b50, LocalSignature = 0x04034b50;
    private const int EndSize = 22, MaxComment = 0xFFFF, LocatorSize = 20, Zip64EndSize = 56;

    private readonly record struct Stored(uint Crc, long Length, long LocalHeader, byte[] Name);

    private readonly string path;

    /// <summary>The archive's open file, through which its stored entries are mapped: the file is opened once for both.</summary>
    private readonly FileStream archive;

    /// <summary>
    /// The stored, unencrypted entries, matched to ZipArchive's by their place in the central directory: a name alone
    /// can match another record (two byte strings that decode alike), whose data would then be mapped.
    /// </summary>
    private readonly Dictionary<ZipArchiveEntry, Stored> index;

    /// <summary>Entries whose CRC-32 matched: many tensors can view one storage (a flattened parameter buffer), checked once.</summary>
    private readonly HashSet<ZipArchiveEntry> checkedEntries = new(ReferenceEqualityComparer.Instance);

    /// <param name="entries">ZipArchive's entries of the same file, in their central directory's order.</param>
    public StoredZipEntries(string path, FileStream archive, IReadOnlyList<ZipArchiveEntry> entries)
    {
        this.path = path;
        this.archive = archive;
        index = ReadIndex(archive, entries, path);
    }

    /// <summary>
    /// Maps [offset, offset + length) of a stored entry's data after checking the whole entry against the zip's CRC-32;
    /// null when the entry cannot be mapped (compressed, or a layout this does not read), for the caller to read it instead.
    /// </summary>
    public ArrayBytes? Map(ZipArchiveEntry entry, long offset, long length, string name)
    {
        if (entry.CompressedLength != entry.Length || !index.TryGetValue(entry, out var stored)) return null;
        if (LocalData(archive, stored) is not { } data) return null;
        if (!checkedEntries.Contains(entry) && !CrcMatches(archive, data, stored.Length, stored.Crc))
            throw RepDiffInputException.ForFile(name, $"corrupt record {NpyDtype.Truncate(entry.FullName)} (its data does not match the zip's CRC-32)");
        checkedEntries.Add(entry);
        return ArrayBytes.Map(archive, data + offset, length, leaveOpen: true);
    }

    /// <summary>
    /// Where a stored entry's data begins in the file, or null when it is compressed or laid out in a way not read here: for
    /// reading many small entries in order through one stream (a file of one vector per sample), whose CRC-32 the reader checks.
    /// </summary>
    public long? DataOffset(FileStream file, ZipArchiveEntry entry) =>
        entry.CompressedLength == entry.Length && index.TryGetValue(entry, out var stored) ? LocalData(file, stored) : null;

    /// <summary>
    /// Reads length bytes at offset through the file (never a buffer of the entry's size) and compares their CRC-32 with
    /// the zip's: mapped data would otherwise go unchecked, and a flipped bit is a wrong value no other check can see.
    /// </summary>
    private static bool CrcMatches(FileStream file, long offset, long length, uint expected)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(length, 1 << 20));
        try
        {
            var crc = new System.IO.Hashing.Crc32();
            for (long done = 0; done < length;)
            {
                int read = RandomAccess.Read(file.SafeFileHandle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - done)), offset + done);
                if (read == 0) return false;
                crc.Append(buffer.AsSpan(0, read));
                done += read;
            }
            return crc.GetCurrentHashAsUInt32() == expected;
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    private static Dictionary<ZipArchiveEntry, Stored> ReadIndex(FileStream archive, IReadOnlyList<ZipArchiveEntry> entries, string path)
    {
        var stored = new Dictionary<ZipArchiveEntry, Stored>(ReferenceEqualityComparer.Instance);
        try
        {
            if (Directory(archive, archive.Length, path) is not var (start, size)) return stored;
            var directory = new byte[size];
            if (RandomAccess.Read(archive.SafeFileHandle, directory, start) != size) return stored;
            var records = new List<Stored?>();
            var rest = directory.AsSpan();
            while (rest.Length >= 46 && U32(rest, 0) == CentralSignature && records.Count <= entries.Count)
            {
                ushort flags = U16(rest, 8), method = U16(rest, 10);
                long compressed = U32(rest, 20), uncompressed = U32(rest, 24), local = U32(rest, 42);
                int nameLength = U16(rest, 28), extraLength = U16(rest, 30), commentLength = U16(rest, 32);
                int recordLength = 46 + nameLength + extraLength + commentLength;
                if (rest.Length < recordLength) break;
                var nameBytes = rest.Slice(46, nameLength);
                // Encrypted (bit 0) or compressed entries are left to ZipArchive.
                records.Add((flags & 1) == 0 && method == 0
                    && Zip64Values(rest.Slice(46 + nameLength, extraLength), ref uncompressed, ref compressed, ref local) && compressed == uncompressed
                    ? new Stored(U32(rest, 16), uncompressed, local, nameBytes.ToArray()) : null);
                rest = rest[recordLength..];
            }
            // Record i is ZipArchive's entry i only when both read the same records; otherwise nothing is mapped.
            if (records.Count != entries.Count) return stored;
            for (int i = 0; i < records.Count; i++)
                if (records[i] is { } record && record.Length == entries[i].Length && record.Crc == entries[i].Crc32
                    && Encoding.UTF8.GetString(record.Name) == entries[i].FullName)
                    stored[entries[i]] = record;
        }
        catch (IOException) { }
        return stored;
    }

    /// <summary>
    /// The central directory's offset and size, from the end record (zip64's when ZipArchive reads that). A layout that
    /// .NET's ZipArchive and Python's zipfile read differently is refused: each would find other entries, or other data.
    /// </summary>
    private static (long Start, int Size)? Directory(FileStream file, long fileLength, string path)
    {
        int tailLength = (int)Math.Min(fileLength, EndSize + MaxComment + LocatorSize);
        var tail = new byte[tailLength];
        if (RandomAccess.Read(file.SafeFileHandle, tail, fileLength - tailLength) != tailLength) return null;
        int end = -1;
        for (int p = tailLength - EndSize; p >= 0; p--)
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(p)) == EndSignature) { end = p; break; }
        if (end < 0) return null;
        long endAt = fileLength - tailLength + end, directoryEnd = endAt;
        long count = U16(tail, end + 10), size = U32(tail, end + 12), start = U32(tail, end + 16);
        RepDiffInputException Ambiguous(string problem) =>
            RepDiffInputException.ForFile(path, $"{problem}: zip readers (numpy's among them) would disagree on what it holds");
        // ZipArchive reads the zip64 end record when the count or the offset is 0xFFFF…, where the locator points;
        // Python's zipfile whenever a locator precedes the end record, from the 56 bytes before the locator.
        if (end >= LocatorSize && U32(tail, end - LocatorSize) == Zip64LocatorSignature)
        {
            long pointer = (long)BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(end - 12));
            long record = endAt - LocatorSize - Zip64EndSize;
            var zip64 = new byte[Zip64EndSize];
            bool found = record >= 0 && RandomAccess.Read(file.SafeFileHandle, zip64, record) == zip64.Length && U32(zip64, 0) == Zip64EndSignature;
            bool masked = count == 0xFFFF || start == 0xFFFFFFFF;
            if (found)
            {
                long count64 = (long)BinaryPrimitives.ReadUInt64LittleEndian(zip64.AsSpan(32));
                long size64 = (long)BinaryPrimitives.ReadUInt64LittleEndian(zip64.AsSpan(40));
                long start64 = (long)BinaryPrimitives.ReadUInt64LittleEndian(zip64.AsSpan(48));
                if (masked && pointer != record)
                    throw Ambiguous($"its zip64 locator points to byte {pointer}, but a zip64 end record lies at byte {record}");
                if (!masked && (count64, size64, start64) != (count, size, start))
                    throw Ambiguous($"its end record and its zip64 end record give different central directories (offset {start}, count {count}; offset {start64}, count {count64})");
                (count, size, start, directoryEnd) = (count64, size64, start64, record);
            }
            else if (masked) return null;
        }
        // The directory must end where the end records begin: Python's zipfile shifts every offset by a gap between
        // them (taking it for data prepended to the zip), ZipArchive does not.
        if (start < 0 || size < 0 || count < 0 || start > directoryEnd || size != directoryEnd - start)
            throw Ambiguous($"its central directory (at byte {(ulong)start}, {(ulong)size} bytes) does not end where the zip's end records begin (byte {directoryEnd})");
        // The directory is a few hundred bytes per entry: a larger one is left to ZipArchive.
        return size > 256L << 20 ? null : (start, (int)size);
    }

    /// <summary>Replaces the 0xFFFFFFFF fields by the zip64 extra field's values, in the order the format gives them.</summary>
    private static bool Zip64Values(ReadOnlySpan<byte> extra, ref long uncompressed, ref long compressed, ref long local)
    {
        if (uncompressed != 0xFFFFFFFF && compressed != 0xFFFFFFFF && local != 0xFFFFFFFF) return true;
        while (extra.Length >= 4)
        {
            int id = U16(extra, 0), length = U16(extra, 2);
            if (extra.Length < 4 + length) return false;
            if (id == 1)
            {
                var values = extra.Slice(4, length);
                bool Next(ref long field, ref ReadOnlySpan<byte> from)
                {
                    if (field != 0xFFFFFFFF) return true;
                    if (from.Length < 8) return false;
                    field = (long)BinaryPrimitives.ReadUInt64LittleEndian(from);
                    from = from[8..];
                    return field >= 0;
                }
                return Next(ref uncompressed, ref values) && Next(ref compressed, ref values) && Next(ref local, ref values);
            }
            extra = extra[(4 + length)..];
        }
        return false;
    }

    /// <summary>The data's offset after the local header, which must name the same entry and leave room for its bytes.</summary>
    private static long? LocalData(FileStream file, Stored stored)
    {
        long fileLength = file.Length;
        var header = new byte[30 + stored.Name.Length];
        if (stored.LocalHeader > fileLength - header.Length || RandomAccess.Read(file.SafeFileHandle, header, stored.LocalHeader) != header.Length) return null;
        if (U32(header, 0) != LocalSignature || U16(header, 26) != stored.Name.Length || !header.AsSpan(30).SequenceEqual(stored.Name)) return null;
        long data = stored.LocalHeader + 30 + stored.Name.Length + U16(header, 28);
        return data <= fileLength - stored.Length ? data : null;
    }

    private static ushort U16(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]);
    private static uint U32(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]);
}
