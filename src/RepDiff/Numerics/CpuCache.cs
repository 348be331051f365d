namespace RepDiff.Numerics;

/// <summary>The CPU's per-core L2 size, read once at run time, for blocking choices that depend on it.</summary>
internal static class CpuCache
{
    /// <summary>Assumed where the size cannot be read (no sysfs): the smaller L2 of current x64 cores.</summary>
    internal const long FallbackL2Bytes = 512 * 1024;

    /// <summary>Bytes of the L2 cache of the first core (Intel Xeon 4th/5th gen: 2 MB; AMD Zen 4/5: 1 MB).</summary>
    internal static long L2Bytes { get; } = ReadL2Bytes("/sys/devices/system/cpu/cpu0/cache") ?? FallbackL2Bytes;

    /// <summary>The unified or data L2 listed under a sysfs cache folder (index0, index1, ...), or null.</summary>
    internal static long? ReadL2Bytes(string cacheFolder)
    {
        try
        {
            if (!Directory.Exists(cacheFolder)) return null;
            foreach (string index in Directory.GetDirectories(cacheFolder, "index*"))
            {
                string level = ReadTrimmed(Path.Combine(index, "level")), type = ReadTrimmed(Path.Combine(index, "type"));
                if (level == "2" && type is "Unified" or "Data" && ParseSize(ReadTrimmed(Path.Combine(index, "size"))) is long bytes)
                    return bytes;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return null;
    }

    private static string ReadTrimmed(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "";

    /// <summary>sysfs writes sizes as "2048K" or "1M"; null for anything else.</summary>
    internal static long? ParseSize(string text)
    {
        if (text.Length < 2) return null;
        long unit = char.ToUpperInvariant(text[^1]) switch { 'K' => 1024, 'M' => 1024 * 1024, _ => 0 };
        string digits = unit == 0 ? text : text[..^1];
        if (unit == 0) unit = 1;
        return long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value) && value > 0
            ? value * unit : null;
    }
}
