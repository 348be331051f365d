using System.IO.Compression;
using System.Text;
using RepDiff.IO;

namespace RepDiff.Demo;

/// <summary>
/// Finding and reading the data sets under data/ (gzip'd .npy of uint8 and gzip'd tab- or
/// comma-separated text). A damaged or missing file is a RepDiffInputException naming it.
/// </summary>
internal static class BundledData
{
    /// <summary>
    /// data/FOLDER from the current directory or the application's directory upwards, so `dotnet run`
    /// works from the repository root and the tests from their bin folder.
    /// </summary>
    public static string FindFolder(string folder)
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "data", folder);
                if (Directory.Exists(candidate) && File.Exists(Path.Combine(candidate, "README.md"))) return candidate;
            }
        throw new RepDiffInputException($"data/{folder} not found; run the demo from the RepDiff repository");
    }

    /// <summary>
    /// Rows of a labelled data set, at most <paramref name="perLabel"/> of each label, evenly spaced over
    /// that label's rows (so a smaller sample still spans every document or source), in the original order.
    /// </summary>
    public static int[] EvenlyPerLabel<T>(IReadOnlyList<T> labels, int perLabel) where T : notnull
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perLabel, 1);
        var chosen = new List<int>();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]))
        {
            var rows = group.ToArray();
            int take = Math.Min(perLabel, rows.Length);
            for (int k = 0; k < take; k++) chosen.Add(rows[(int)((long)k * rows.Length / take)]);
        }
        chosen.Sort();
        return [.. chosen];
    }

    /// <summary>A gzip'd .npy of uint8 whose shape must be (any n) × trailing.</summary>
    public static (byte[] Data, int Count) ReadUInt8Npy(string path, params int[] trailing)
    {
        using var gzip = new GZipStream(InputFile.OpenRead(path), CompressionMode.Decompress);
        try
        {
            var header = Npy.ReadHeader(gzip, path);
            if (header.Dtype.Kind != 'u' || header.Dtype.Size != 1 || header.FortranOrder
                || header.Shape.Length != trailing.Length + 1 || !header.Shape.Skip(1).SequenceEqual(trailing.Select(t => (long)t)))
                throw RepDiffInputException.ForFile(path, $"expected a C-order uint8 array of shape (n, {string.Join(", ", trailing)}), found {header.Dtype.Name} {RowFile.ShapeText(header.Shape)}");
            if (header.DataBytes > int.MaxValue) throw RepDiffInputException.ForFile(path, "array too large for the demo");
            var data = new byte[header.DataBytes];
            if (InputFile.ReadFully(gzip, data) < data.Length) throw RepDiffInputException.ForFile(path, "truncated array data");
            return (data, (int)header.Shape[0]);
        }
        catch (InvalidDataException e) { throw RepDiffInputException.ForFile(path, $"damaged gzip data ({e.Message})"); }
    }

    /// <summary>The rows of a gzip'd delimited text file, split into fields; the header row must match.</summary>
    public static List<string[]> ReadTable(string path, char separator, params string[] header)
    {
        using var gzip = new GZipStream(InputFile.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, new UTF8Encoding(false, throwOnInvalidBytes: true));
        try
        {
            string? first = reader.ReadLine();
            if (first is null || !first.Split(separator).SequenceEqual(header))
                throw RepDiffInputException.ForFile(path, $"expected the header '{string.Join(separator, header)}'");
            var rows = new List<string[]>();
            int line = 1;
            for (string? row; (row = reader.ReadLine()) is not null;)
            {
                line++;
                if (row.Length == 0) continue;
                var fields = row.Split(separator);
                if (fields.Length != header.Length) throw RepDiffInputException.ForFile(path, $"line {line} has {fields.Length} fields, expected {header.Length}");
                if (fields.Any(string.IsNullOrWhiteSpace)) throw RepDiffInputException.ForFile(path, $"line {line} has an empty field");
                rows.Add(fields);
            }
            return rows;
        }
        catch (Exception e) when (e is InvalidDataException or DecoderFallbackException)
        { throw RepDiffInputException.ForFile(path, $"damaged data ({e.Message})"); }
    }
}
