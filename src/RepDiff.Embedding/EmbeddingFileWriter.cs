using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using RepDiff;
using RepDiff.IO;

namespace RepDiff.Embedding;

/// <summary>
/// Streams float32 rows into a .npy or .safetensors file (chosen by extension) whose row count is only
/// known at the end: rows go to a temporary file behind a fixed-size header that is filled in last, then
/// the file is renamed into place, so readers never see a half-written file. The sample ids go beside it
/// (FILE.ids.txt, one per line, for `compare --ids-a/--ids-b`), and inputs left out by --skip-unreadable
/// to FILE.skipped.txt.
/// </summary>
public sealed class EmbeddingFileWriter : IDisposable
{
    private const int HeaderBytes = 256;
    private readonly string path, temp;
    private readonly bool safetensors;
    private readonly FileStream stream;
    /// <summary>The writer's claim on its temporary file, held until the file is in place (<see cref="OutputFolder.ClaimTemporaryFile"/>).</summary>
    private readonly FileStream claim;
    private long rows;
    private int cols = -1;
    private bool committed;
    private readonly bool isOutput;

    // Beside the output and written as it is (relative stays relative), so "Wrote out/a.npy … and out/a.ids.txt" reads alike.
    public static string IdsPath(string output) => Beside(output, ".ids.txt");
    public static string SkippedPath(string output) => Beside(output, ".skipped.txt");
    private static string Beside(string output, string suffix) => Path.Combine(Path.GetDirectoryName(output) ?? "", Path.GetFileNameWithoutExtension(output) + suffix);

    /// <summary>The outermost folder above the output that this writer created (removed again, when empty, if the run fails).</summary>
    private readonly CreatedFolders.Made? created;

    /// <summary>
    /// Checks --out before any work: a .npy or .safetensors path, and neither it nor the ids or skipped list beside it
    /// a folder or device (otherwise found only at the final rename, after every sample is embedded and the ids already replaced).
    /// </summary>
    public static void Check(string path)
    {
        if (FileKind.Of(path) == FileKind.Directory) throw RepDiffInputException.ForFile(path, "is a folder; --out names the .npy or .safetensors file to write");
        if (Path.GetExtension(path).ToLowerInvariant() is not (".npy" or ".safetensors")) throw RepDiffInputException.ForFile(path, "--out must end in .npy or .safetensors");
        // The ids and skipped lists' names are longer than --out's: its own name is checked for them, so that a refusal names
        // --out as given and the longest it may be (it had named X.skipped.txt, and a limit --out's name was already within).
        string[] beside = [IdsPath(path), SkippedPath(path)];
        int longer = beside.Max(file => Encoding.UTF8.GetByteCount(Path.GetFileName(file))) - Encoding.UTF8.GetByteCount(Path.GetFileName(path));
        OutputFolder.CheckNewFile(path, besideLonger: Math.Max(0, longer));
        foreach (string target in beside) OutputFolder.CheckTarget(target);
    }

    /// <param name="isOutput">
    /// Whether the file is the run's output (`embed --out`): once it is in place the run is complete and a stop is declined
    /// (<see cref="TemporaryPaths.MarkComplete"/>). Embeddings cached on the way to a comparison (compare --model-a/-b, the
    /// demo) are not: marked so, every later SIGINT or SIGTERM of the run was declined, and the run could not be stopped.
    /// </param>
    public EmbeddingFileWriter(string path, bool isOutput = false)
    {
        this.isOutput = isOutput;
        Check(path);
        this.path = Path.GetFullPath(path);
        safetensors = Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase);
        string dir = Path.GetDirectoryName(this.path)!;
        // Both recorded before they exist, so that a stop (SIGINT, SIGTERM) removes them: it had left the temporary file
        // and the folders behind, one more hidden file per interrupt (helper 80).
        created = CreatedFolders.Record(dir);
        try { TemporaryPaths.CreateFolder(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Forget();
            throw RepDiffInputException.ForFile(path, $"cannot create its folder ({e.Message})");
        }
        // Claimed as AtomicFile's are: a killed run's file beside the output is removed by the next writer of that name (it had
        // stayed for ever: nothing cleaned up after a writer of its own), and a live writer's file is not.
        (temp, claim) = OutputFolder.ClaimTemporaryFile(dir, Path.GetFileName(this.path));
        try
        {
            stream = new FileStream(temp, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 20);
            stream.Write(new byte[HeaderBytes]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No writer is returned to be disposed: the claim's descriptor had stayed open until the process exited, and its file
            // beside the output until the next writer of that name.
            Dispose();
            throw WriteFailed(e);
        }
    }

    public void Append(float[] values, int count, int columns)
    {
        if (cols >= 0 && columns != cols) throw new InvalidOperationException($"rows of {columns} values after rows of {cols}");
        cols = columns;
        try { stream.Write(MemoryMarshal.AsBytes(values.AsSpan(0, count * columns))); }
        catch (IOException e) { throw WriteFailed(e); }
        rows += count;
    }

    /// <summary>Fills in the header, writes the ids (and the skipped list, or removes a stale one), and moves the files into place.</summary>
    public void Commit(IReadOnlyList<string> ids, IReadOnlyList<SkippedSample> skipped)
    {
        if (ids.Count != rows) throw new InvalidOperationException($"{ids.Count} ids for {rows} rows");
        try
        {
            stream.Position = 0;
            stream.Write(safetensors ? SafetensorsHeader() : NpyHeader());
            stream.Flush(flushToDisk: true);
            stream.Dispose();
        }
        catch (IOException e) { throw WriteFailed(e); }
        // Every file is written before any is put in place: the skipped list failing on a full disk had left the new ids beside
        // the old embeddings.
        var beside = new List<AtomicFile.Pending>();
        try
        {
            beside.Add(AtomicFile.PrepareText(IdsPath(path), string.Concat(ids.Select(id => id + "\n"))));
            string skippedPath = SkippedPath(path);
            if (skipped.Count > 0)
                beside.Add(AtomicFile.PrepareText(skippedPath, string.Concat(skipped.Select(s => $"{s.Name}\t{s.Reason.ReplaceLineEndings(" ")}\n"))));
            // Writers of one output take turns, as commits into --out do: two embed runs into one --out had put one's ids beside
            // the other's embeddings (each moved its two files in while the other did).
            using var turn = OutputFolder.TakeTurn(Path.GetDirectoryName(path)!);
            // The ids and the embeddings go into place together: a stop waits for both, or finds neither begun.
            lock (TemporaryPaths.Gate)
            {
                TemporaryPaths.ThrowIfStopping();
                foreach (var file in beside) file.PutInPlace();
                if (skipped.Count == 0 && File.Exists(skippedPath)) File.Delete(skippedPath);
                File.Move(temp, path, overwrite: true);
                claim.Dispose();
                committed = true;
                if (isOutput) TemporaryPaths.MarkComplete();
                Forget();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw WriteFailed(e); }
        finally
        {
            foreach (var file in beside) file.Dispose();
        }
    }

    /// <summary>Nothing of this writer is left for a stop to remove: committed, or cleaned up.</summary>
    private void Forget()
    {
        if (temp is not null) TemporaryPaths.Remove(temp);
        created?.Kept();
    }

    private byte[] NpyHeader()
    {
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {Math.Max(cols, 0)}), }}";
        var header = new byte[HeaderBytes];
        ReadOnlySpan<byte> magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
        magic.CopyTo(header);
        header[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), HeaderBytes - 10);
        var text = Encoding.ASCII.GetBytes(dict.PadRight(HeaderBytes - 11) + "\n");
        text.CopyTo(header, 10);
        return header;
    }

    private byte[] SafetensorsHeader()
    {
        long bytes = rows * Math.Max(cols, 0) * 4;
        string json = $"{{\"embeddings\":{{\"dtype\":\"F32\",\"shape\":[{rows},{Math.Max(cols, 0)}],\"data_offsets\":[0,{bytes}]}}}}";
        var header = new byte[HeaderBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(header, HeaderBytes - 8);
        Encoding.ASCII.GetBytes(json.PadRight(HeaderBytes - 8)).CopyTo(header, 8);
        return header;
    }

    /// <summary>
    /// A write that fails (a full disk) is the user's problem, named by the output: it had been an internal error naming the
    /// hidden temporary file, which then stayed beside the output, as closing the stream failed again on the same full disk (helper 91).
    /// </summary>
    private RepDiffInputException WriteFailed(Exception e) =>
        RepDiffInputException.ForFile(path, $"cannot be written ({e.Message.Replace($" : '{temp}'", "").Replace(temp, path)})");

    public void Dispose()
    {
        if (committed) return;
        try { stream?.Dispose(); } // null: its opening failed
        catch (IOException) { } // the buffered rows cannot be written either; the file goes anyway
        File.Delete(temp);
        claim.Dispose();
        // A failed run leaves no folder it made: the folders above --out it created go too, while nothing else is in them.
        created?.Remove();
        Forget();
    }
}
