using System.Buffers.Binary;
using RepDiff.IO;

namespace RepDiff.Tests.IO;

/// <summary>
/// Zip records written field by field, for files no zip library writes: two central directories, a gap before the end
/// record, names whose bytes decode alike. Entries are stored (method 0) unless said otherwise.
/// </summary>
internal static class HandZip
{
    public const ushort Utf8Flag = 0x800;

    public static byte[] Local(byte[] name, byte[] data, ushort flags = 0)
    {
        var header = new byte[30 + name.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(14), System.IO.Hashing.Crc32.HashToUInt32(data));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(18), (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(22), (uint)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(26), (ushort)name.Length);
        name.CopyTo(header, 30);
        return [.. header, .. data];
    }

    public static byte[] Central(byte[] name, byte[] data, long localHeader, ushort flags = 0)
    {
        var record = new byte[46 + name.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, 0x02014b50);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(4), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(6), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(8), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(16), System.IO.Hashing.Crc32.HashToUInt32(data));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(20), (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(24), (uint)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(28), (ushort)name.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(42), (uint)localHeader);
        name.CopyTo(record, 46);
        return record;
    }

    public static byte[] End(long count, long size, long start)
    {
        var record = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(record, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(8), (ushort)count);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(10), (ushort)count);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(16), (uint)start);
        return record;
    }

    /// <summary>A zip64 end record at byte <paramref name="at"/> and the locator pointing to it.</summary>
    public static byte[] Zip64End(long at, long count, long size, long start)
    {
        var records = new byte[56 + 20];
        BinaryPrimitives.WriteUInt32LittleEndian(records, 0x06064b50);
        BinaryPrimitives.WriteInt64LittleEndian(records.AsSpan(4), 44);
        BinaryPrimitives.WriteUInt16LittleEndian(records.AsSpan(12), 45);
        BinaryPrimitives.WriteUInt16LittleEndian(records.AsSpan(14), 45);
        BinaryPrimitives.WriteInt64LittleEndian(records.AsSpan(24), count);
        BinaryPrimitives.WriteInt64LittleEndian(records.AsSpan(32), count);
        BinaryPrimitives.WriteInt64LittleEndian(records.AsSpan(40), size);
        BinaryPrimitives.WriteInt64LittleEndian(records.AsSpan(48), start);
        BinaryPrimitives.WriteUInt32LittleEndian(records.AsSpan(56), 0x07064b50);
        BinaryPrimitives.WriteInt64LittleEndian(records.AsSpan(64), at);
        BinaryPrimitives.WriteUInt32LittleEndian(records.AsSpan(72), 1);
        return records;
    }

    /// <summary>The stored entries one after another, then their central directory and end record.</summary>
    public static byte[] Stored(params (byte[] Name, byte[] Data, ushort Flags)[] entries)
    {
        var body = new List<byte>();
        var directory = new List<byte>();
        foreach (var (name, data, flags) in entries)
        {
            directory.AddRange(Central(name, data, body.Count, flags));
            body.AddRange(Local(name, data, flags));
        }
        return [.. body, .. directory, .. End(entries.Length, directory.Count, body.Count)];
    }

    /// <summary>
    /// data with its last four bytes replaced so that its CRC-32 is <paramref name="target"/>: CRC-32 guards against
    /// accidents, not against a file made to pass it, so two different arrays can carry one checksum.
    /// </summary>
    public static byte[] WithCrc(byte[] data, uint target)
    {
        // The register that must precede the last four bytes, found by running the CRC backwards from the target.
        uint register = target ^ 0xFFFFFFFFu;
        var indexes = new int[4];
        for (int k = 3; k >= 0; k--)
        {
            indexes[k] = Enumerable.Range(0, 256).First(i => Table(i) >> 24 == register >> 24);
            register = (register ^ Table(indexes[k])) << 8;
        }
        var forged = data.ToArray();
        uint state = System.IO.Hashing.Crc32.HashToUInt32(forged.AsSpan(0, forged.Length - 4)) ^ 0xFFFFFFFFu;
        for (int k = 0; k < 4; k++)
        {
            forged[^(4 - k)] = (byte)((state ^ (uint)indexes[k]) & 0xFF);
            state = (state >> 8) ^ Table(indexes[k]);
        }
        return forged;
    }

    private static uint Table(int n)
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }
}
