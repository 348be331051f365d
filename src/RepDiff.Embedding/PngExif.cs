using System.Buffers.Binary;
using SkiaSharp;

namespace RepDiff.Embedding;

/// <summary>
/// The EXIF orientation of a PNG, from its eXIf chunk (PNG 1.5: a TIFF block, as in a JPEG's APP1 segment without the
/// "Exif" header). Skia reads EXIF in JPEG and WebP only, so a phone's rotated PNG was embedded lying on its side.
/// </summary>
internal static class PngExif
{
    private const ushort OrientationTag = 0x0112, ShortType = 3;

    /// <summary>The orientation the chunk gives (1-8), or null when there is no readable one; damaged data is no orientation.</summary>
    public static SKEncodedOrigin? Orientation(ReadOnlySpan<byte> png)
    {
        // Chunks after the 8-byte signature: length, type, data, CRC. The chunk comes before the image data to count.
        for (int at = 8; at + 12 <= png.Length;)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png[at..]);
            var type = png.Slice(at + 4, 4);
            if (length > (uint)(png.Length - at - 12) || type.SequenceEqual("IDAT"u8) || type.SequenceEqual("IEND"u8)) return null;
            if (type.SequenceEqual("eXIf"u8)) return FromTiff(png.Slice(at + 8, (int)length));
            at += 12 + (int)length;
        }
        return null;
    }

    /// <summary>The Orientation entry of the first IFD of a TIFF block ("II" little-endian or "MM" big-endian).</summary>
    private static SKEncodedOrigin? FromTiff(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8) return null;
        bool little = tiff[0] == 'I' && tiff[1] == 'I';
        if (!little && !(tiff[0] == 'M' && tiff[1] == 'M')) return null;
        uint ifd = little ? BinaryPrimitives.ReadUInt32LittleEndian(tiff[4..]) : BinaryPrimitives.ReadUInt32BigEndian(tiff[4..]);
        if (U16(tiff, 2, little) != 42 || ifd > (uint)tiff.Length - 2) return null;
        int entries = U16(tiff, (int)ifd, little);
        for (int e = 0; e < entries; e++)
        {
            int entry = (int)ifd + 2 + 12 * e;
            if (entry + 12 > tiff.Length) return null;
            if (U16(tiff, entry, little) != OrientationTag) continue;
            ushort value = U16(tiff, entry + 8, little);
            return U16(tiff, entry + 2, little) == ShortType && value is >= 1 and <= 8 ? (SKEncodedOrigin)value : null;
        }
        return null;
    }

    private static ushort U16(ReadOnlySpan<byte> bytes, int at, bool little)
        => little ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]) : BinaryPrimitives.ReadUInt16BigEndian(bytes[at..]);
}
