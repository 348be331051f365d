using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace RepDiff.IO;

/// <summary>
/// One input of a run and the SHA-256 of what it holds (lower-case hex), under its results.json "inputs" key; an --images
/// folder's is over its image files (<see cref="InputFingerprints"/>).
/// </summary>
public sealed record InputFingerprint(string Key, string Name, string Sha256, bool IsFolder = false)
{
    /// <summary>The first 12 hex digits the report shows: enough to tell two files apart by eye.</summary>
    public string Short => Sha256[..12];
}

/// <summary>
/// Fingerprints of a run's input files, so a results.json or report says whether a file named a.npy today is the a.npy the
/// run read. A file's is the SHA-256 of its bytes, what `sha256sum FILE` prints. An --images folder's covers the image files
/// the run read from it: the SHA-256 of the lines `sha256sum` prints for them ("HASH  NAME"), sorted by name in byte order,
/// so that `cd DIR &amp;&amp; LC_ALL=C sha256sum * | sha256sum` gives it for a folder of images alone. Each file is read once more
/// (the readers map most inputs rather than read them through one stream), at about 2 GB/s with the CPU's SHA extensions.
/// </summary>
public static class InputFingerprints
{
    /// <summary>The fingerprints of <paramref name="inputs"/> (results.json key and path as given), in their order.</summary>
    public static List<InputFingerprint> Of(IEnumerable<(string Key, string Path)> inputs) =>
        inputs.Select(input => Directory.Exists(input.Path)
            ? new InputFingerprint(input.Key, System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(input.Path)), OfImageFolder(input.Path), IsFolder: true)
            : new InputFingerprint(input.Key, System.IO.Path.GetFileName(input.Path), OfFile(input.Path))).ToList();

    /// <summary>results.json's "inputs_sha256": each fingerprint by its input's key.</summary>
    public static JsonObject ToJson(IEnumerable<InputFingerprint> fingerprints)
    {
        var json = new JsonObject();
        foreach (var fingerprint in fingerprints) json[fingerprint.Key] = fingerprint.Sha256;
        return json;
    }

    /// <summary>The SHA-256 of a file's bytes, read in 1 MB blocks.</summary>
    public static string OfFile(string path)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.SequentialScan);
        byte[] block = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int read;
            while ((read = file.Read(block, 0, block.Length)) > 0) hash.AppendData(block, 0, read);
        }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(block); }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string OfImageFolder(string folder)
    {
        var names = SampleFiles.ImageFilesIn(folder).Select(System.IO.Path.GetFileName).OfType<string>()
            .Select(name => (Name: name, Bytes: Encoding.UTF8.GetBytes(name))).ToList();
        names.Sort((x, y) => x.Bytes.AsSpan().SequenceCompareTo(y.Bytes));
        var lines = new StringBuilder();
        foreach (var (name, _) in names) lines.Append(OfFile(System.IO.Path.Combine(folder, name))).Append("  ").Append(name).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
    }
}
