using System.Buffers.Binary;

namespace RepDiff.IO;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as zip entries and PNG chunks need it; eight bytes
/// a step (slicing-by-8), so checking a large .npz entry costs little beside inflating it.
/// </summary>
public static class Crc32
{
    /// <summary>Eight tables of 256: table k gives the CRC of a byte followed by k zero bytes.</summary>
    private static readonly uint[] Tables = BuildTables();

    private static uint[] BuildTables()
    {
        var tables = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            tables[n] = c;
        }
        for (int t = 1; t < 8; t++)
            for (int n = 0; n < 256; n++)
            {
                uint previous = tables[(t - 1) * 256 + n];
                tables[t * 256 + n] = (previous >> 8) ^ tables[previous & 0xFF];
            }
        return tables;
    }

    /// <summary>Continues a running CRC register (start with 0xFFFFFFFF, finish by xor-ing 0xFFFFFFFF).</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        var t = Tables;
        while (data.Length >= 8)
        {
            uint low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            uint high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = t[7 * 256 + (low & 0xFF)] ^ t[6 * 256 + ((low >> 8) & 0xFF)] ^ t[5 * 256 + ((low >> 16) & 0xFF)] ^ t[4 * 256 + (low >> 24)]
                ^ t[3 * 256 + (high & 0xFF)] ^ t[2 * 256 + ((high >> 8) & 0xFF)] ^ t[256 + ((high >> 16) & 0xFF)] ^ t[high >> 24];
            data = data[8..];
        }
        foreach (byte b in data) crc = t[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    public static uint Compute(ReadOnlySpan<byte> data) => Update(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;
}
