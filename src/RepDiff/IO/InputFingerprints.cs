using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace RepDiff.IO;

/// <summary>
/// One input of a run and the SHA-256 of what it holds (lower-case hex), under its results.json "inputs_sha256" key; an
/// --images folder's, and the images a manifest lists, are over image files, which <see cref="Check"/> prints in a shell
/// (<see cref="InputFingerprints"/>).
/// </summary>
public sealed record InputFingerprint(string Key, string Name, string Sha256, ImagesCheck? Check = null)
{
    /// <summary>The first 12 hex digits the report shows: enough to tell two files apart by eye.</summary>
    public string Short => Sha256[..12];
}

/// <summary>What a fingerprint over image files covers, in words ("its image files"), and the shell command that prints it.</summary>
public sealed record ImagesCheck(string Covers, string Command);

/// <summary>
/// Fingerprints of a run's input files, so a results.json or report says whether a file named a.npy today is the a.npy the
/// run read. A file's is the SHA-256 of its bytes, what `sha256sum FILE` prints. Image files are covered by the SHA-256 of
/// the lines `sha256sum` prints for them ("HASH  NAME"): an --images folder's image files sorted by name in byte order, and
/// the images a manifest lists in its order, under "images_listed" beside the manifest's own. Each file is read once more,
/// apart from its reader: most inputs are memory-mapped and read where a method needs them, not through one stream a hash
/// could follow.
/// </summary>
public static class InputFingerprints
{
    public const string Stage = "fingerprints of the inputs (SHA-256)";

    /// <summary>The key of the images a manifest given as --images lists (the manifest's own is "images").</summary>
    public const string ListedImagesKey = "images_listed";

    /// <summary>
    /// The fingerprints of <paramref name="inputs"/> (results.json key and path as given), in their order, with progress by
    /// bytes read. Two inputs are hashed at once: A and B of 3 GB each took 24 s one after the other on this 2-core machine.
    /// </summary>
    public static List<InputFingerprint> Of(IEnumerable<(string Key, string Path)> inputs, IProgress<ProgressUpdate>? progress = null)
    {
        var jobs = inputs.SelectMany(Jobs).ToList();
        long total = Math.Max(1, jobs.Sum(job => job.Bytes));
        long done = 0;
        void Read(long bytes) => progress.Report(Stage, (double)Interlocked.Add(ref done, bytes) / total);
        progress.Report(Stage, 0);
        var fingerprints = new InputFingerprint[jobs.Count];
        ParallelRuns.For(jobs.Count, 2, i => fingerprints[i] = jobs[i].Hash(Read));
        progress.Report(Stage, 1);
        return [.. fingerprints];
    }

    /// <summary>One fingerprint to make: the bytes it reads (for progress) and how.</summary>
    private sealed record Job(long Bytes, Func<Action<long>, InputFingerprint> Hash);

    /// <summary>An input's fingerprints: a file's, a folder's over its images, a manifest's and the images it lists.</summary>
    private static IEnumerable<Job> Jobs((string Key, string Path) input)
    {
        var (key, path) = input;
        if (Directory.Exists(path))
        {
            var files = ImageFolderFiles(path);
            yield return new Job(Size(files), read => FolderFingerprint(key, path, files, read));
            yield break;
        }
        yield return new Job(new FileInfo(path).Length, read => new InputFingerprint(key, System.IO.Path.GetFileName(path), OfFile(path, read)));
        if (key == "images" && SampleFiles.IsManifest(path))
        {
            var listed = ListedImages(path);
            yield return new Job(Size(listed.Select(image => image.File).Distinct(StringComparer.Ordinal)), read => ListedFingerprint(path, listed, read));
        }
    }

    private static long Size(IEnumerable<string> files) => files.Sum(file => new FileInfo(file).Length);

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
        return new InputFingerprint(key, name, OfLines(files.Select(file => (file, System.IO.Path.GetFileName(file))), read), new ImagesCheck("over its image files", check));
    }

    /// <summary>The images a manifest lists, in its order: each one's file and its entry as written (a file listed twice is two lines).</summary>
    private static (string File, string Entry)[] ListedImages(string manifest)
    {
        string folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(manifest))!;
        return SampleFiles.ManifestEntries(manifest).Select(entry => (SampleFiles.ManifestImage(folder, entry), entry)).ToArray();
    }

    /// <summary>
    /// The images a manifest lists: the `sha256sum` lines of its entries as written, in its order (which image is which
    /// sample), with the command that prints it from where the run ran: `cd data &amp;&amp; sed '…' images.txt | xargs -d '\n'
    /// sha256sum -- | sha256sum`. sed gives the entries as the run reads them (a byte order mark, the whitespace at each
    /// line's ends and a Windows line's CR removed, the blank lines at the end left out); xargs takes each line whole, spaces
    /// and quotes included; relative entries are relative to the manifest's folder, where the command goes.
    /// </summary>
    private static InputFingerprint ListedFingerprint(string manifest, (string File, string Entry)[] listed, Action<long> read)
    {
        string name = System.IO.Path.GetFileName(manifest), folder = System.IO.Path.GetDirectoryName(manifest)!;
        string lines = $"sed 's/^\\xef\\xbb\\xbf//; s/^[[:space:]]*//; s/[[:space:]]*$//; /^$/d' {ShellWord.Of(name)} | xargs -d '\\n' sha256sum -- | sha256sum";
        string check = folder.Length == 0 ? lines : $"cd {ShellWord.Of(folder)} && {lines}";
        return new InputFingerprint(ListedImagesKey, $"{name}'s images", OfLines(listed, read), new ImagesCheck("over the image files it lists, in its order", check));
    }

    /// <summary>
    /// The SHA-256 of the lines `sha256sum` prints for <paramref name="files"/> (each file's SHA-256, two spaces, its name as
    /// the command names it), a file named twice read once.
    /// </summary>
    private static string OfLines(IEnumerable<(string File, string Name)> files, Action<long> read)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = new StringBuilder();
        foreach (var (file, name) in files)
        {
            if (!hashes.TryGetValue(file, out var hash)) hashes[file] = hash = OfFile(file, read);
            lines.Append(SumLine(hash, name));
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
    }

    /// <summary>
    /// One line as GNU `sha256sum` prints it: "HASH  NAME", and where the name holds a backslash, a line feed or a carriage
    /// return, a backslash first and those written \\, \n and \r (a file named a\b.png had not matched the folder's command).
    /// </summary>
    private static string SumLine(string hash, string name)
    {
        if (name.IndexOfAny(['\\', '\n', '\r']) < 0) return $"{hash}  {name}\n";
        return $"\\{hash}  {name.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\r", "\\r")}\n";
    }
}
