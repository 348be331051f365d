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
/// ZipArchive read, gives null and the caller reads the entry through ZipArchive as before.
/// </summary>
internal sealed class StoredZipEntries(string path, FileStream archive)
{
    private const uint EndSignature = 0x06054b50, Zip64EndSignature = 0x06064b50, Zip64LocatorSignature = 0x07064b50;
    private const uint CentralSignature = 0x02014b50, LocalSignature = 0x04034b50;
    private const int EndSize = 22, MaxComment = 0xFFFF;

    private readonly record struct Stored(uint Crc, long Length, long LocalHeader, byte[] Name);

    /// <summary>The stored, unencrypted entries by name, read from the central directory once, when first needed.</summary>
    private Dictionary<string, Stored>? index;

    /// <summary>Entries whose CRC-32 matched: many tensors can view one storage (a flattened parameter buffer), checked once.</summary>
    private readonly HashSet<string> checkedEntries = new(StringComparer.Ordinal);

    /// <summary>
    /// Maps [offset, offset + length) of a stored entry's data after checking the whole entry against the zip's CRC-32;
    /// null when the entry cannot be mapped (compressed, or a layout this does not read), for the caller to read it instead.
    /// </summary>
    public ArrayBytes? Map(ZipArchiveEntry entry, long offset, long length, string name)
    {
        if (entry.CompressedLength != entry.Length) return null;
        index ??= ReadIndex();
        // Sizes and CRC must be those ZipArchive read (a name given twice is refused before anything is mapped).
        if (!index.TryGetValue(entry.FullName, out var stored) || stored.Length != entry.Length || stored.Crc != entry.Crc32) return null;
        var file = InputFile.OpenRead(path);
        try
        {
            if (LocalData(file, stored) is not { } data)
            {
                file.Dispose();
                return null;
            }
            if (!checkedEntries.Contains(entry.FullName) && !CrcMatches(file, data, stored.Length, stored.Crc))
                throw RepDiffInputException.ForFile(name, $"corrupt record {NpyDtype.Truncate(entry.FullName)} (its data does not match the zip's CRC-32)");
            checkedEntries.Add(entry.FullName);
            return ArrayBytes.Map(file, data + offset, length);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

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

    private Dictionary<string, Stored> ReadIndex()
    {
        var stored = new Dictionary<string, Stored>(StringComparer.Ordinal);
        try
        {
            if (Directory(archive, archive.Length) is not var (start, size, count)) return stored;
            var directory = new byte[size];
            if (RandomAccess.Read(archive.SafeFileHandle, directory, start) != size) return stored;
            var rest = directory.AsSpan();
            for (long i = 0; i < count; i++)
            {
                if (rest.Length < 46 || U32(rest, 0) != CentralSignature) break;
                ushort flags = U16(rest, 8), method = U16(rest, 10);
                long compressed = U32(rest, 20), uncompressed = U32(rest, 24), local = U32(rest, 42);
                int nameLength = U16(rest, 28), extraLength = U16(rest, 30), commentLength = U16(rest, 32);
                int recordLength = 46 + nameLength + extraLength + commentLength;
                if (rest.Length < recordLength) break;
                var nameBytes = rest.Slice(46, nameLength);
                // Encrypted (bit 0) or compressed entries are left to ZipArchive.
                if ((flags & 1) == 0 && method == 0
                    && Zip64Values(rest.Slice(46 + nameLength, extraLength), ref uncompressed, ref compressed, ref local) && compressed == uncompressed)
                {
                    string name = ((flags & 0x800) != 0 ? Encoding.UTF8 : Encoding.Latin1).GetString(nameBytes);
                    stored.TryAdd(name, new Stored(U32(rest, 16), uncompressed, local, nameBytes.ToArray()));
                }
                rest = rest[recordLength..];
            }
        }
        catch (IOException) { }
        return stored;
    }

    /// <summary>The central directory's offset, size and record count, from the end record (zip64's when needed).</summary>
    private static (long Start, int Size, long Count)? Directory(FileStream file, long fileLength)
    {
        int tailLength = (int)Math.Min(fileLength, EndSize + MaxComment + 20);
        var tail = new byte[tailLength];
        if (RandomAccess.Read(file.SafeFileHandle, tail, fileLength - tailLength) != tailLength) return null;
        int end = -1;
        for (int p = tailLength - EndSize; p >= 0; p--)
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(p)) == EndSignature) { end = p; break; }
        if (end < 0) return null;
        long count = U16(tail, end + 10), size = U32(tail, end + 12), start = U32(tail, end + 16);
        if (count == 0xFFFF || size == 0xFFFFFFFF || start == 0xFFFFFFFF)
        {
            if (end < 20 || U32(tail, end - 20) != Zip64LocatorSignature) return null;
            long zip64End = (long)BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(end - 12));
            var record = new byte[56];
            if (zip64End < 0 || zip64End > fileLength - record.Length
                || RandomAccess.Read(file.SafeFileHandle, record, zip64End) != record.Length || U32(record, 0) != Zip64EndSignature) return null;
            count = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32));
            size = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(40));
            start = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(48));
        }
        // The directory is a few hundred bytes per entry: a claim beyond the file (or 256 MB) is a broken file.
        if (start < 0 || size < 0 || size > Math.Min(fileLength - start, 256L << 20) || count < 0) return null;
        return (start, (int)size, count);
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
