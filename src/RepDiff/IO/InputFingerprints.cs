using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace RepDiff.IO;

/// <summary>
/// One input of a run and the SHA-256 of what it holds (lower-case hex), under its results.json "inputs" key; an --images
/// folder's is over its image files (<see cref="InputFingerprints"/>).
/// </summary>
public sealed record InputFingerprint(string Key, string Name, string Sha256, string? FolderCheck = null)
{
    /// <summary>The first 12 hex digits the report shows: enough to tell two files apart by eye.</summary>
    public string Short => Sha256[..12];

    public bool IsFolder => FolderCheck is not null;
}

/// <summary>
/// Fingerprints of a run's input files, so a results.json or report says whether a file named a.npy today is the a.npy the
/// run read. A file's is the SHA-256 of its bytes, what `sha256sum FILE` prints. An --images folder's covers the image files
/// the run read from it: the SHA-256 of the lines `sha256sum` prints for them ("HASH  NAME"), sorted by name in byte order,
/// which <see cref="InputFingerprint.FolderCheck"/> prints in a shell. Each file is read once
/// more, apart from its reader: most inputs are memory-mapped and read where a method needs them, not through one stream a
/// hash could follow.
/// </summary>
public static class InputFingerprints
{
    public const string Stage = "fingerprints of the inputs (SHA-256)";

    /// <summary>
    /// The fingerprints of <paramref name="inputs"/> (results.json key and path as given), in their order, with progress by
    /// bytes read. Two inputs are hashed at once: A and B of 3 GB each took 24 s one after the other on this 2-core machine.
    /// </summary>
    public static List<InputFingerprint> Of(IEnumerable<(string Key, string Path)> inputs, IProgress<ProgressUpdate>? progress = null)
    {
        var files = inputs.Select(input => (input.Key, input.Path, Files: Directory.Exists(input.Path) ? ImageFolderFiles(input.Path) : [input.Path])).ToList();
        long total = Math.Max(1, files.Sum(input => input.Files.Sum(file => new FileInfo(file).Length)));
        long done = 0;
        void Read(long bytes) => progress.Report(Stage, (double)Interlocked.Add(ref done, bytes) / total);
        progress.Report(Stage, 0);
        var fingerprints = new InputFingerprint[files.Count];
        ParallelRuns.For(files.Count, 2, i => fingerprints[i] = Directory.Exists(files[i].Path)
            ? FolderFingerprint(files[i].Key, files[i].Path, files[i].Files, Read)
            : new InputFingerprint(files[i].Key, System.IO.Path.GetFileName(files[i].Path), OfFile(files[i].Path, Read)));
        progress.Report(Stage, 1);
        return [.. fingerprints];
    }

    /// <summary>results.json's "inputs_sha256": each fingerprint by its input's key.</summary>
    public static JsonObject ToJson(IEnumerable<InputFingerprint> fingerprints)
    {
        var json = new JsonObject();
        foreach (var fingerprint in fingerprints) json[fingerprint.Key] = fingerprint.Sha256;
        return json;
    }

    /// <summary>The SHA-256 of a file's bytes, read in 1 MB blocks, each block's size told to <paramref name="read"/>.</summary>
    public static string OfFile(string path, Action<long>? read = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.SequentialScan);
        byte[] block = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int count;
            while ((count = file.Read(block, 0, block.Length)) > 0)
            {
                hash.AppendData(block, 0, count);
                read?.Invoke(count);
            }
        }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(block); }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The image files of an --images folder the run reads, sorted by name in byte order.</summary>
    private static string[] ImageFolderFiles(string folder)
    {
        var files = SampleFiles.ImageFilesIn(folder).Select(file => (File: file, Name: Encoding.UTF8.GetBytes(System.IO.Path.GetFileName(file)))).ToList();
        files.Sort((x, y) => x.Name.AsSpan().SequenceCompareTo(y.Name));
        return files.Select(file => file.File).ToArray();
    }

    /// <summary>
    /// An --images folder's fingerprint, with the shell command that prints it: `cd photos &amp;&amp; sha256sum -- *.png *.jpg |
    /// LC_ALL=C sort -k2 | sha256sum`. The globs name the image extensions the folder holds (a bare `*` took its other files
    /// and subfolders too) and `sort` puts the lines in byte order whatever order the shell's locale globbed them in (under
    /// en_US.UTF-8, `*` gives p10.png before p1.png; helper 157).
    /// </summary>
    private static InputFingerprint FolderFingerprint(string key, string folder, string[] files, Action<long> read)
    {
        string given = System.IO.Path.TrimEndingDirectorySeparator(folder), name = System.IO.Path.GetFileName(given);
        var globs = files.Select(System.IO.Path.GetExtension).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(extension => "*" + extension);
        // The folder as the command names it, so the check runs where the command ran (by its name alone, `cd photos` failed
        // for --images data/photos).
        string check = $"cd {ShellWord.Of(given)} && sha256sum -- {string.Join(' ', globs)} | LC_ALL=C sort -k2 | sha256sum";
        return new InputFingerprint(key, name, OfImages(files, read), check);
    }

    private static string OfImages(string[] files, Action<long> read)
    {
        var lines = new StringBuilder();
        foreach (string file in files) lines.Append(OfFile(file, read)).Append("  ").Append(System.IO.Path.GetFileName(file)).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
    }
}
