using System.Text;
using System.Text.Json;

namespace RepDiff.IO;

/// <summary>Readers for per-sample side information: ids, labels, images, texts.</summary>
public static class SampleFiles
{
    // HEIC, AVIF and JPEG XL too, which embed refuses by name: left out of a folder's listing, a phone's photos had vanished
    // from the run without a word (a folder of JPEGs and HEICs embedded only the JPEGs).
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
        { ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".svg", ".heic", ".heif", ".avif", ".jxl" };

    /// <summary>Longest line of a labels, ids or manifest file: a label, an id or a path (PATH_MAX is 4096 bytes).</summary>
    public const int MaxShortLine = 1 << 16;

    /// <summary>Longest line of a texts file: one sample's text (a long document), or one JSON Lines record.</summary>
    public const int MaxTextLine = 1 << 24;

    /// <summary>Labels from a 1-D .npy (numbers or strings) or a text file with one label per line (any strings).</summary>
    public static SampleLabels LoadLabels(string path)
    {
        // A blank line (or a float .npy's NaN, pandas' missing value; a string "NaN" is a name) is a label lost, not a class
        // named "" or "NaN" that findings and histograms would report as one.
        var (labels, floats) = LoadEntries(path);
        RefuseBlank(path, labels, "a label (write one such as 'unknown' for samples without)");
        int nan = floats ? Array.IndexOf(labels, "NaN") : -1;
        if (nan >= 0)
            throw RepDiffInputException.ForFile(path, $"entry {nan} is NaN, a missing value; every sample needs a label (fill it, e.g. with 'unknown', before saving)");
        RefuseSpacingTwins(path, labels, i => IsNpy(path) ? $"entry {i}" : $"line {i + 1}");
        return new SampleLabels(labels);
    }

    /// <summary>
    /// Two labels alike but for whitespace at their ends ("cat" and "cat ", from a hand-edited or joined export) would be two
    /// classes in every finding and chart: the samples of one split silently. Refused naming both (<paramref name="where"/>: "line 3").
    /// </summary>
    internal static void RefuseSpacingTwins(string path, IReadOnlyList<string> labels, Func<int, string> where)
    {
        var firstOf = new Dictionary<string, int>(StringComparer.Ordinal); // a label without its end whitespace → its first sample
        for (int i = 0; i < labels.Count; i++)
        {
            if (firstOf.TryAdd(labels[i].Trim(), i)) continue;
            int first = firstOf[labels[i].Trim()];
            if (labels[first] != labels[i])
                throw RepDiffInputException.ForFile(path, $"labels '{NpyDtype.Truncate(labels[first])}' ({where(first)}) and '{NpyDtype.Truncate(labels[i])}' ({where(i)}) "
                    + "differ only in whitespace at their ends, so they would count as two labels; strip it (str.strip()) before saving, or make them differ otherwise");
        }
    }

    /// <summary>Sample ids from a 1-D .npy or a text file with one id per line; ids must be unique.</summary>
    public static string[] LoadIds(string path)
    {
        var ids = LoadStrings(path);
        // A blank line is an id lost in an export, not the id "" (which would join to the other side's blank wherever it stood).
        RefuseBlank(path, ids, "an id");
        CheckUnique(ids, path);
        return ids;
    }

    /// <summary>"line 3 is empty; every sample needs an id" (entries of a .npy count from 0, lines of text from 1).</summary>
    private static void RefuseBlank(string path, string[] entries, string what)
    {
        int blank = Array.FindIndex(entries, string.IsNullOrWhiteSpace);
        if (blank >= 0)
            throw RepDiffInputException.ForFile(path, IsNpy(path) ? $"entry {blank} is empty; every sample needs {what}"
                : $"line {blank + 1} is empty{TextLines.LoneCarriageReturnNote(path)}; every sample needs {what}");
    }

    /// <summary>
    /// Lines of labels, ids or image paths without the lines of spaces at the end, as empty ones are dropped (an editor's
    /// last line of spaces had been "line 61 is empty"). Not for texts, where a line of spaces is a text.
    /// </summary>
    private static string[] WithoutBlankEnd(string[] lines)
    {
        int count = lines.Length;
        while (count > 0 && string.IsNullOrWhiteSpace(lines[count - 1])) count--;
        return count == lines.Length ? lines : lines[..count];
    }

    private static bool IsNpy(string path) => Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase);

    /// <summary>One string per element of a 1-D .npy, or per line of a text file.</summary>
    public static string[] LoadStrings(string path) => LoadEntries(path).Entries;

    /// <summary>The strings, and whether they are a float .npy's numbers (whose NaN is a missing value).</summary>
    private static (string[] Entries, bool Floats) LoadEntries(string path)
    {
        RefuseJson(path);
        // Text is told from an array file by the first bytes its reader reads (one look at the file, not one more before it).
        if (!IsNpy(path))
            return (RefuseTable(path, RefuseInvalidText(path, WithoutBlankEnd(TextLines.ReadAll(path, MaxShortLine, formatProblem: format => ArrayFileProblem(path, format))))), false);
        if (EmbeddingFormat.Of(path) is { } content && ArrayFileProblem(path, content) is { } problem) throw RepDiffInputException.ForFile(path, problem);
        var (header, data) = Npy.ReadRaw(path);
        if (!(header.Shape.Length == 1 || header.Shape.Length == 2 && header.Shape[1] == 1))
            throw RepDiffInputException.ForFile(path, $"expected a 1-D array (one entry per sample), found shape {RowFile.ShapeText(header.Shape)}");
        var result = new string[header.Shape[0]];
        int size = header.Dtype.Size;
        for (int i = 0; i < result.Length; i++) result[i] = header.Dtype.FormatElement(data.AsSpan(i * size, size));
        return (result, header.Dtype.Kind == 'f');
    }

    /// <summary>
    /// A JSON or JSON Lines file given as labels or ids: read one entry per line, each record ({"id": "s3", "label": "cat"})
    /// had become a label of its own, every sample in a class of one, silently (helper 139); a JSON array, one bracketed line,
    /// had been "has 1 entries".
    /// </summary>
    private static void RefuseJson(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".json" or ".jsonl" or ".ndjson")) return;
        throw RepDiffInputException.ForFile(path, $"labels and ids are not read from {ext} files (each line would be one entry, a whole record); "
            + "write one per line, or labels as a .csv whose header names the columns 'id' and 'label' (pandas: df[[\"id\", \"label\"]].to_csv(path, index=False))");
    }

    /// <summary>
    /// An .npz (or safetensors, .pt, HDF5, Parquet, Arrow) given as labels or ids, as `np.savez(emb=…, labels=…)` invites:
    /// read as text it had been "line 1 holds a NUL character: UTF-16 text without a byte order mark, or a binary file?".
    /// Told by its first bytes, not its name: an .npz renamed .txt had been refused as "not read from .txt files", and an
    /// .npy named .txt read as text (that NUL character line); an .npy is read by its name, so one named otherwise is refused.
    /// What is wrong (after "PATH: ") with labels or ids whose content is <paramref name="format"/>, or null for an .npy so named.
    /// </summary>
    private static string? ArrayFileProblem(string path, EmbeddingFormat format)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        const string Expected = "save them as a 1-D .npy or a text file with one per line";
        if (format.Extensions[0] == ".npy")
            return IsNpy(path) ? null : $"is {format.Noun} by its content, but {NamedAs(ext)}; labels and ids are read as .npy from a file named .npy: rename it to end in .npy";
        if (format.OpenArchive is null) return null;
        string how = format.HasColumns ? ", or give the table as --metadata (its columns describe the concepts and colour the maps)"
            : format.Extensions[0] == ".npz" ? " (np.save(\"labels.npy\", np.load(path)[\"labels\"]))"
            : "";
        // Named as what it is (an Arrow stream as .feather too: both Arrow rows read files and streams alike).
        return EmbeddingFormat.OfExtension(path)?.Noun == format.Noun ? $"labels and ids are not read from {ext} files; {Expected}{how}"
            : $"is {format.Noun} by its content ({NamedAs(ext)}), which labels and ids are not read from; {Expected}{how}";
    }

    private static string NamedAs(string ext) => ext == "" ? "its name has no extension" : $"its name ends in {ext}";

    /// <summary>
    /// What is wrong with an embedding container (Parquet, Arrow, .npz, safetensors, .pt, HDF5) given as --images or --texts,
    /// whose content is <paramref name="format"/>, or null for one that holds no table or archive: read as a manifest or as
    /// texts it had been "line 1 holds a NUL character: UTF-16 text…?" or "line 1 is not valid UTF-8" (review 180, finding 4),
    /// while Hugging Face datasets, the first thing a researcher tries, come as Parquet or Arrow. Named by its content, as it
    /// is told: a Parquet table named texts.txt had been "is a .txt file, not texts".
    /// </summary>
    private static string? ContainerProblem(EmbeddingFormat format, string reads, string how) =>
        format.OpenArchive is null ? null : $"is {format.Noun}, not {reads}; {how}";

    /// <summary>
    /// Ids join samples and labels group them, so they must read back exactly: bytes that are not valid text (which the
    /// reader replaces with U+FFFD) would make 'id\xff1' and 'id\xfe1' one id, or two labels one class. (Read as UTF-8, or
    /// as UTF-16 after its byte-order mark.)
    /// </summary>
    private static string[] RefuseInvalidText(string path, string[] lines)
    {
        int bad = Array.FindIndex(lines, line => line.Contains('\uFFFD'));
        if (bad >= 0)
            throw RepDiffInputException.ForFile(path, $"line {bad + 1} is not valid UTF-8 (ids and labels must read back exactly); save the file as UTF-8");
        return lines;
    }

    /// <summary>
    /// The header's name of the labels column ("label" or "labels", any case) of a .csv/.tsv table given as --labels, or null
    /// when the file is not such a table (one label per line).
    /// </summary>
    public static string? LabelColumnOf(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".csv" or ".tsv") || FileKind.Of(path) != FileKind.Regular) return null;
        // The header only, and at most 64K characters of it: a labels file without line breaks is not read whole here.
        var start = new char[1 << 16];
        int read;
        using (var reader = new StreamReader(path)) read = reader.ReadBlock(start, 0, start.Length);
        string header = new string(start, 0, read).Split('\n')[0].TrimEnd('\r').TrimStart('\uFEFF');
        List<string> names;
        // Quoted names may hold the delimiter ("label, coarse"); a first line that is not a valid record is a label, not a header.
        try { names = DelimitedText.Split(header, ext == ".tsv" ? '\t' : ',', path, 1); }
        catch (RepDiffInputException) { return null; }
        return names.Select(f => f.Trim())
            .FirstOrDefault(f => f.Equals("label", StringComparison.OrdinalIgnoreCase) || f.Equals("labels", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// A .csv/.tsv given as labels or ids whose every line holds the same number of fields, two or more, is a table, not
    /// one entry per line: pandas' Series.to_csv(header=False) writes its index beside the column, and "3,cat" would be read as
    /// the label (every sample its own label, silently).
    /// </summary>
    private static string[] RefuseTable(string path, string[] lines)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".csv" or ".tsv") || lines.Length == 0) return lines;
        char delimiter = ext == ".tsv" ? '\t' : ',';
        int separators = lines[0].Count(c => c == delimiter);
        if (separators == 0 || lines.Any(line => line.Count(c => c == delimiter) != separators)) return lines;
        throw RepDiffInputException.ForFile(path, $"every line holds {separators + 1} {(ext == ".tsv" ? "tab" : "comma")}-separated fields, as a table does "
            + $"(line 1: '{NpyDtype.Truncate(lines[0])}'); give one entry per line (pandas: to_csv(index=False, header=False) of the one column), or, for labels, a table whose header names their column 'label'");
    }

    /// <summary>
    /// Texts: one per line, or JSON Lines (a .jsonl/.ndjson file, or whenever <paramref name="textField"/>
    /// is given) where each record is a string or an object whose <paramref name="textField"/> holds the text.
    /// </summary>
    public static string[] LoadTexts(string path, string? textField = null) => LoadNumberedTexts(path, textField).Texts;

    /// <summary>
    /// <see cref="LoadTexts"/> with the line number (from 1) each text came from and, with <paramref name="readIds"/>, the JSON
    /// Lines records' ids where they carry them (else null; without it the ids are neither read nor checked, as a command that
    /// only shows the texts does not need them). Invalid UTF-8 is an error naming its line, for texts to show as for texts to
    /// embed: shown, it had become U+FFFD in the report while `embed` refused the same file (helper 77).
    /// </summary>
    public static (string[] Texts, int[] LineNumbers, string[]? Ids) LoadNumberedTexts(string path, string? textField = null, bool readIds = false)
    {
        // A container is told by the first bytes the texts' reader reads (one look at the file, not one more before it).
        var lines = TextLines.ReadAll(path, MaxTextLine, strictUtf8: true, documentLines: true, formatProblem: format => ContainerProblem(format,
            "texts (one per line, or JSON Lines records)", "write the text column one text per line first (Python: open(\"texts.txt\", \"w\").write(\"\\n\".join(table[\"text\"])))"));
        if (IsJsonLines(path, textField)) return TextsOfLines(lines, path, textField, readIds);
        RefuseTextTable(path, lines);
        return (lines, Enumerable.Range(1, lines.Length).ToArray(), null);
    }

    /// <summary>
    /// Texts of <paramref name="path"/> that are one web page saved on one line, where <paramref name="samples"/> &gt; 1 were
    /// meant (<see cref="FileSignature.OnePageProblem"/>): the refusal to throw in place of a count's, or null.
    /// </summary>
    public static RepDiffInputException? OnePageOfTexts(string path, IReadOnlyList<string> texts, int samples) =>
        FileSignature.OnePageProblem(texts, samples) is { } page ? RepDiffInputException.ForFile(path, page) : null;

    /// <summary>
    /// A .tsv of texts whose every line holds the same number of tab-separated fields, the first line none of them empty, is
    /// a table, not one text per line: the bundled Brown sentences (id, document, genre, text) were embedded line by line,
    /// header and ids included, with nothing said. Texts rarely hold a tab, let alone the same number on every line; one
    /// line, or lines each indented by a tab (an empty first field), is no evidence of a table.
    /// </summary>
    private static void RefuseTextTable(string path, string[] lines)
    {
        if (!Path.GetExtension(path).Equals(".tsv", StringComparison.OrdinalIgnoreCase) || lines.Length < 2) return;
        var fields = lines[0].Split('\t');
        if (fields.Length < 2 || fields.Any(f => f.Trim().Length == 0) || lines.Any(line => line.Count(c => c == '\t') != fields.Length - 1)) return;
        int tabs = fields.Length - 1;
        int column = Array.FindIndex(fields, f => f.Trim().Equals("text", StringComparison.OrdinalIgnoreCase));
        string how = column >= 0 ? $"tail -n +2 {ShellWord.Of(path)} | cut -f{column + 1} > texts.txt" : "cut -f with its column's number";
        throw RepDiffInputException.ForFile(path, $"every line holds {tabs + 1} tab-separated fields, as a table does (line 1: '{NpyDtype.Truncate(lines[0])}'); "
            + $"texts are read one per line, each line whole: give the text column alone ({how})");
    }

    /// <summary>Every line of a text file (without the empty lines at its end), strictly UTF-8, each at most <see cref="MaxShortLine"/> characters.</summary>
    public static string[] ReadStrictUtf8Lines(string path) => TextLines.ReadAll(path, MaxShortLine, strictUtf8: true);

    /// <summary>Whether <see cref="LoadTexts"/> reads <paramref name="path"/> as JSON Lines rather than one text per line.</summary>
    public static bool IsJsonLines(string path, string? textField)
        => textField is not null || Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".ndjson";

    /// <summary>
    /// The texts of JSON Lines already read, with the line number (from 1) each came from (blank lines hold no record) and
    /// the records' ids when they carry them (field "id", a string or a whole number: in every record or in none, unique,
    /// and such as an ids file holds; else an error naming the line). Without --text-field, records that are objects are
    /// read by their field "text" when the first one has it (as Hugging Face datasets name it), else are refused naming
    /// their fields. Each record is parsed once.
    /// </summary>
    private static (string[] Texts, int[] LineNumbers, string[]? Ids) TextsOfLines(IReadOnlyList<string> lines, string path, string? textField, bool readIds)
    {
        var texts = new List<string>();
        var numbers = new List<int>();
        var ids = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        textField ??= lines.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l)) is { } first && HasTextField(first) ? DefaultTextField : null;
        for (int i = 0; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var (text, id) = Record(lines[i], textField, path, i + 1, readIds);
            // The first record decides whether records carry ids: some with and some without would name the rest by line
            // numbers that may equal their ids.
            if (texts.Count > 0 && id is null != (ids.Count == 0))
                throw RepDiffInputException.ForFile(path, id is null
                    ? $"line {i + 1} has no field '{IdField}', which the records before it have as their ids"
                    : $"line {i + 1} has a field '{IdField}' but line {numbers[0]} has none; give every record an id, or none");
            if (id is not null)
            {
                if (!seen.TryAdd(id, i + 1))
                    throw RepDiffInputException.ForFile(path, $"id '{NpyDtype.Truncate(id)}' appears on line {seen[id]} and line {i + 1}");
                ids.Add(id);
            }
            texts.Add(text);
            numbers.Add(i + 1);
        }
        return (texts.ToArray(), numbers.ToArray(), ids.Count > 0 ? ids.ToArray() : null);
    }

    /// <summary>The field of JSON Lines records read as the samples' ids when every record has one.</summary>
    public const string IdField = "id";

    /// <summary>
    /// A record's id, or null when it has none: a string, or a whole number written as digits however many ("-0" is "0";
    /// 12.0 or 1e3 would need a rule for which id they stand for). Checked by the rules an ids file is read back by
    /// (<see cref="LoadIds"/>), so that embed never writes ids compare would refuse.
    /// </summary>
    private static string? IdOf(JsonElement root, string path, int lineNumber)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(IdField, out var id)) return null;
        string what = $"field '{IdField}'";
        string text = id.ValueKind switch
        {
            JsonValueKind.String => TextOf(id, what, path, lineNumber),
            JsonValueKind.Number => NumberId(id.GetRawText(), what, path, lineNumber),
            _ => throw RepDiffInputException.ForFile(path, $"line {lineNumber}: {what} is {JsonKinds.Of(id.ValueKind)}, not a string or a whole number"),
        };
        return CheckJsonId(text, path, lineNumber);
    }

    /// <summary>A JSON number as an id: its digits as a whole number ("-0" is "0"); a fraction or an exponent is an error naming the line.</summary>
    internal static string NumberId(string raw, string what, string path, int lineNumber) =>
        WholeNumber(raw) ??
            throw RepDiffInputException.ForFile(path, $"line {lineNumber}: {what} is the number {NpyDtype.Truncate(raw)}, written with a fraction or an exponent; write ids as whole numbers or strings");

    /// <summary>A JSON number's digits as a whole number ("-0" is "0"), or null when it has a fraction or an exponent.</summary>
    internal static string? WholeNumber(string raw) =>
        System.Numerics.BigInteger.TryParse(raw, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var whole)
            ? whole.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>A JSON Lines record's id checked by the rules an ids file is read back by (<see cref="LoadIds"/>).</summary>
    internal static string CheckJsonId(string text, string path, int lineNumber)
    {
        if (string.IsNullOrWhiteSpace(text) || text.AsSpan().ContainsAny('\n', '\r'))
            throw RepDiffInputException.ForFile(path, $"line {lineNumber}: its id is blank or holds a line break, which the ids file (one id per line) cannot hold");
        if (text.Length > MaxShortLine)
            throw RepDiffInputException.ForFile(path, $"line {lineNumber}: its id is longer than {MaxShortLine:N0} characters, the most an ids file holds on a line");
        if (text.Contains('\uFFFD'))
            throw RepDiffInputException.ForFile(path, $"line {lineNumber}: its id holds U+FFFD, the replacement character, which an ids file cannot tell from an unreadable byte");
        return text;
    }

    /// <summary>The field JSON Lines records are read by when --text-field is not given and they have it.</summary>
    public const string DefaultTextField = "text";

    /// <summary>
    /// --text-field's help in every command that takes it: its default, and that giving it (at the default too) reads the
    /// texts as JSON Lines whatever the file's extension.
    /// </summary>
    public const string TextFieldHelp =
        $"field of each JSON Lines record that holds the text (default: {DefaultTextField}, when the first record has it); given, the texts are read as JSON Lines whatever the file's extension";

    private static bool HasTextField(string line)
    {
        try
        {
            using var record = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 64 });
            return record.RootElement.ValueKind == JsonValueKind.Object && record.RootElement.TryGetProperty(DefaultTextField, out _);
        }
        catch (JsonException) { return false; } // the loop names the line
    }

    /// <summary>A record's text and its id (<see cref="IdOf"/>).</summary>
    private static (string Text, string? Id) Record(string line, string? field, string path, int lineNumber, bool readId)
    {
        JsonDocument record;
        try { record = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException e) { throw RepDiffInputException.ForFile(path, $"line {lineNumber} is not valid JSON ({JsonErrorText.Of(e, oneLine: true)})"); }
        using (record) return (TextOfRecord(record.RootElement, field, path, lineNumber), readId ? IdOf(record.RootElement, path, lineNumber) : null);
    }

    private static string TextOfRecord(JsonElement root, string? field, string path, int lineNumber)
    {
        if (field is null)
        {
            if (root.ValueKind == JsonValueKind.String) return TextOf(root, "the record", path, lineNumber);
            string fields = root.ValueKind == JsonValueKind.Object ? $" (fields: {string.Join(", ", root.EnumerateObject().Take(10).Select(p => p.Name))})" : "";
            throw RepDiffInputException.ForFile(path, $"line {lineNumber}: records are not strings and have no field '{DefaultTextField}'; name the field that holds the text with --text-field{fields}");
        }
        // Said apart: an array or a bare string would otherwise be "has no field 'text'", as if the record had merely left it out.
        if (root.ValueKind != JsonValueKind.Object)
            throw RepDiffInputException.ForFile(path, $"line {lineNumber} is {JsonKinds.Of(root.ValueKind)}, not a JSON object with a field '{field}'");
        if (!root.TryGetProperty(field, out var value))
            throw RepDiffInputException.ForFile(path, $"line {lineNumber} has no field '{field}'");
        // A number, boolean, null, object or array is no text: embedding its raw JSON ("null", "42") would pass a
        // broken export off as captions.
        if (value.ValueKind != JsonValueKind.String)
            throw RepDiffInputException.ForFile(path, $"line {lineNumber}: field '{field}' is {JsonKinds.Of(value.ValueKind)}, not a string");
        return TextOf(value, $"field '{field}'", path, lineNumber);
    }

    /// <summary>A JSON string as text: an escaped lone surrogate ("\ud800") is no text, and an escaped NUL is refused as a raw one is.</summary>
    private static string TextOf(JsonElement value, string what, string path, int lineNumber)
    {
        string text;
        try { text = value.GetString()!; }
        catch (InvalidOperationException)
        {
            throw RepDiffInputException.ForFile(path, $"line {lineNumber}: {what} holds an escaped lone surrogate (\\ud800–\\udfff without its pair), which is not text");
        }
        if (text.Contains('\0'))
            throw RepDiffInputException.ForFile(path, $"line {lineNumber}: {what} holds a NUL character (\\u0000); texts hold none");
        return text;
    }

    /// <summary>
    /// Images: a directory of image files (natural sort order: img2 before img10), a .npy of pixel arrays
    /// (N×H×W or N×H×W×C with C = 1, 3 or 4; scaled to 0..1 by the maximum when it exceeds 1), or a
    /// manifest text file with one path per line (relative paths are relative to the manifest's folder).
    /// </summary>
    /// <param name="eachImageOnce">
    /// Refuse a manifest that lists an image twice: set where each image is a sample of its own (embed, named by its path);
    /// as pictures shown beside given rows (--images of rdx, compare), samples may share one.
    /// </param>
    public static ImageSet LoadImages(string path, bool eachImageOnce = false)
    {
        if (Directory.Exists(path))
        {
            var files = ImageFilesIn(path).Order(NaturalComparer.Instance).ToArray();
            if (files.Length == 0)
                throw RepDiffInputException.ForFile(path, $"directory holds no image files ({string.Join(", ", ImageExtensions)}){SubfolderHint(path)}");
            foreach (string file in files) FileKind.RequireRegular(file);
            return new ImageSet(files) { Folder = Path.GetFullPath(path) };
        }
        if (Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase)) return LoadPixels(path);
        // One picture where a set is meant: read as a manifest, a JPEG would be "line 1 holds a NUL character".
        if (ImageExtensions.Contains(Path.GetExtension(path)) && FileKind.Of(path) == FileKind.Regular) // a FIFO or device is named as such below
            throw RepDiffInputException.ForFile(path, "is one image file; give a folder of images, a manifest with one image path per line, or a .npy of pixel arrays");
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        // A container is told by the first bytes the manifest's reader reads (one look at the file, not one more before it).
        var lines = ManifestEntries(path, format => ContainerProblem(format, "images (a folder of image files, a manifest with one image path per line, or a .npy of pixel arrays)",
            "save the images to a folder first (a Hugging Face dataset: ds[i][\"image\"].save(f\"images/{i:05d}.png\") for each i)"));
        var paths = new string[lines.Length];
        var absolute = new bool[lines.Length];
        // Each image once, when embedded: one listed twice was embedded twice under one id, and compare failed only after
        // both models had embedded everything, naming a staging file. Compared as full paths ("a.jpg" and "./a.jpg" are one).
        var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            string entry = lines[i];
            if (entry.Length == 0) throw RepDiffInputException.ForFile(path, $"line {i + 1} is empty; the manifest needs one image path per sample");
            absolute[i] = Path.IsPathRooted(entry);
            paths[i] = ManifestImage(folder, entry);
            if (eachImageOnce && !lineOf.TryAdd(Path.GetFullPath(paths[i]), i + 1))
                throw RepDiffInputException.ForFile(path, $"image '{PathEnd(entry)}' appears on line {lineOf[Path.GetFullPath(paths[i])]} and line {i + 1}; list each image once");
            string kind = FileKind.Of(paths[i]);
            if (kind == FileKind.Missing) throw RepDiffInputException.ForFile(path, $"line {i + 1}: image '{PathEnd(entry)}' not found");
            if (kind != FileKind.Regular && kind != FileKind.Unknown)
                throw RepDiffInputException.ForFile(path, $"line {i + 1}: image '{PathEnd(entry)}' is a {kind}, not a regular file");
        }
        if (paths.Length == 0) throw RepDiffInputException.ForFile(path, "manifest lists no images");
        return new ImageSet(paths) { Folder = folder, WrittenAbsolute = absolute };
    }

    /// <summary>Whether an --images path is a manifest of image paths (not a folder, nor a .npy of pixel arrays).</summary>
    public static bool IsManifest(string path) => !Directory.Exists(path) && !IsNpy(path);

    /// <summary>
    /// A manifest's entries as the run reads them: each line without the whitespace at its ends, the blank lines at the end
    /// left out (one in the middle is "" here, which <see cref="LoadImages"/> refuses).
    /// </summary>
    public static string[] ManifestEntries(string manifest) => ManifestEntries(manifest, formatProblem: null);

    /// <summary><see cref="ManifestEntries(string)"/>, a file of <paramref name="formatProblem"/>'s formats refused in its words.</summary>
    private static string[] ManifestEntries(string manifest, Func<EmbeddingFormat, string?>? formatProblem) =>
        WithoutBlankEnd(TextLines.ReadAll(manifest, MaxShortLine, formatProblem: formatProblem)).Select(line => line.Trim()).ToArray();

    /// <summary>The full path of a manifest's entry: as written when absolute, else relative to the manifest's folder.</summary>
    public static string ManifestImage(string manifestFolder, string entry) =>
        Path.IsPathRooted(entry) ? entry : Path.GetFullPath(Path.Combine(manifestFolder, entry));

    /// <summary>
    /// Where a folder holds no images but a subfolder does (a dataset of one folder per class), says that subfolders
    /// are not searched; else "".
    /// </summary>
    private static string SubfolderHint(string path) => FirstSubfolderWithImages(path) is { } sub
        ? $"; subfolders such as '{sub}' are not searched: list their images in a manifest, one path per line" : "";

    /// <summary>
    /// For an image folder that holds images of its own and in subfolders too: that the subfolders' are not read (a
    /// listing takes the top level only, so a set split across subfolders would be embedded in part without a word);
    /// else null.
    /// </summary>
    public static string? UnreadSubfolderNote(string path) => Directory.Exists(path) && FirstSubfolderWithImages(path) is { } sub
        ? $"{path}: the images in its subfolders (such as '{sub}') are not read, only those beside them; to include them, list every image in a manifest, one path per line"
        : null;

    private static string? FirstSubfolderWithImages(string path)
    {
        try
        {
            foreach (string sub in Directory.EnumerateDirectories(path).Order(NaturalComparer.Instance))
                if (Directory.EnumerateFiles(sub).Any(IsVisibleImage)) return Path.GetFileName(sub);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // a loop or an unreadable subfolder: no hint
        return null;
    }

    /// <summary>The image files an --images folder gives (its own, not its subfolders'; hidden files left out), as full paths, unordered.</summary>
    public static IEnumerable<string> ImageFilesIn(string folder) => Directory.EnumerateFiles(Path.GetFullPath(folder)).Where(IsVisibleImage);

    /// <summary>
    /// An image file a folder listing takes: hidden files (a name starting with '.') are left out, as `ls` and shell
    /// globs leave them: macOS's "._photo.jpg" beside each copied photo is resource-fork data, and stopped the run as
    /// an unreadable image.
    /// </summary>
    private static bool IsVisibleImage(string file) => ImageExtensions.Contains(Path.GetExtension(file)) && !Path.GetFileName(file).StartsWith('.');

    /// <summary>A long path shortened from the front, so the file name stays in the message.</summary>
    private static string PathEnd(string path) => path.Length <= 80 ? path : "…" + path[^79..];

    private static ImageSet LoadPixels(string path)
    {
        using var rows = Npy.OpenRows(path, checkFinite: true, flatten: true);
        var shape = rows.Shape;
        if (shape.Length is not (3 or 4) || shape.Length == 4 && shape[3] is not (1 or 3 or 4))
            throw RepDiffInputException.ForFile(path, $"pixel arrays must be N×H×W or N×H×W×C with C = 1, 3 or 4, found shape {RowFile.ShapeText(shape)}");
        // Each image needs a pixel to show: an empty one reached the report's thumbnails as an internal error.
        if (shape[1] == 0 || shape[2] == 0)
            throw RepDiffInputException.ForFile(path, $"images of {shape[1]}×{shape[2]} pixels (shape {RowFile.ShapeText(shape)}) have nothing to show");
        if ((long)rows.Rows * rows.Cols > Array.MaxLength)
            throw RepDiffInputException.ForFile(path, $"{(long)rows.Rows * rows.Cols} pixel values are too many to hold in memory; give a manifest of image files instead");
        if (shape[0] == 0) throw RepDiffInputException.ForFile(path, $"holds no images (shape {RowFile.ShapeText(shape)})");
        // Held whole as float32, beside the mapped file's pages while it is read, and each thread's work arrays of one image
        // for its looks: 4 bytes a value had been counted where about 11 were taken (review 174, 3b); 5.4–5.7 for uint8 now.
        long bytes = 4L * rows.Rows * rows.Cols + new FileInfo(path).Length
            + Environment.ProcessorCount * Metrics.ImageLooks.WorkBuffers.Bytes(shape[1] * shape[2]);
        MemoryBudget.EnsureFits(path, bytes, "its pixels (held whole as float32, beside the file while it is read, and the image looks' work arrays)",
            "give a manifest of image files instead, which is read a batch at a time");
        var pixels = rows.ReadAll().Data;
        // Values normalized for a model (mean 0, std 1) would be clamped at 0 and shown and embedded as other pictures.
        float min = System.Numerics.Tensors.TensorPrimitives.Min(pixels);
        if (min < 0)
            throw RepDiffInputException.ForFile(path, $"holds negative pixel values (down to {min:G4}); pixel arrays are 0..1 or 0..255: undo the normalization first (x · std + mean)");
        float scale = PixelScale(path, rows.Dtype, System.Numerics.Tensors.TensorPrimitives.Max(pixels));
        if (scale != 1) System.Numerics.Tensors.TensorPrimitives.Divide(pixels, scale, pixels);
        return new ImageSet(pixels, (int)shape[0], (int)shape[1], (int)shape[2], shape.Length == 4 ? (int)shape[3] : 1) { Source = path };
    }

    /// <summary>
    /// What a pixel array's values are divided by to make them 0..1: 255 for 8-bit integers whatever they hold; for other
    /// types 1, 255 or 65,535 (16-bit and wider integers), the smallest range the largest value fits. Fixed ranges, never
    /// the largest value itself: divided by it, a set of dark 8-bit images (at most 102) was stretched to full brightness,
    /// so the same image embedded differently beside a white one (helper 80).
    /// </summary>
    internal static float PixelScale(string path, string dtype, float max)
    {
        bool integer = dtype.StartsWith("int", StringComparison.Ordinal) || dtype.StartsWith("uint", StringComparison.Ordinal);
        if (dtype is "uint8" or "int8") return 255;
        if (max <= 1) return 1;
        if (max <= 255) return 255;
        if (max <= 65_535 && integer) return 65_535;
        throw RepDiffInputException.ForFile(path, $"holds pixel values up to {max:G6}; pixel arrays are 0..1 or 0..255 (or 0..65535 as integers)");
    }

    /// <summary>
    /// Reorders B's rows to A's order by id: result[i] is the row of B whose id is idsA[i]. Duplicate ids
    /// on either side, or an id on one side only, are errors naming an example id (and, when the ids only partly overlap,
    /// --common-samples, which keeps the samples both hold).
    /// </summary>
    public static int[] JoinById(string[] idsA, string nameA, string[] idsB, string nameB)
    {
        CheckUnique(idsA, nameA);
        var rowOfB = RowOfId(idsB, nameB);
        var order = new int[idsA.Length];
        for (int i = 0; i < idsA.Length; i++)
            if (!rowOfB.TryGetValue(idsA[i], out order[i]))
            {
                // Ids are compared exactly. One side written with padding, another case or another number format is the
                // likely cause, so say so; and how many ids are missing, so a partial overlap is not mistaken for one typo.
                int missing = idsA.Count(id => !rowOfB.ContainsKey(id));
                string near = NearMatchHint(idsB, idsA[i]);
                if (missing == idsA.Length) throw NoIdShared(idsA, nameA, idsB, nameB, near, "A and B must hold the same samples");
                string others = missing == 1 ? "" : $", nor {missing - 1:#,0} other ids of {nameA} ({idsA.Length - missing:#,0} of its {idsA.Length:#,0} are in both)";
                throw RepDiffInputException.ForFile(nameB, $"has no row with id '{NpyDtype.Truncate(idsA[i])}' (row {i} of {nameA}){others}{near}; A and B must hold the same samples{(near.Length > 0 ? "" : CommonSamplesWayOn)}");
            }
        if (idsB.Length != idsA.Length)
        {
            var inA = new HashSet<string>(idsA, StringComparer.Ordinal);
            string extra = idsB.First(id => !inA.Contains(id));
            throw RepDiffInputException.ForFile(nameB, $"has id '{NpyDtype.Truncate(extra)}' that {nameA} does not; A and B must hold the same samples{CommonSamplesWayOn}");
        }
        return order;
    }

    /// <summary>
    /// The way on when the ids only partly overlap; not said where ids written alike but not equal (padding, case) are the
    /// likely cause, as keeping the common ones would then leave out samples that are there.
    /// </summary>
    private const string CommonSamplesWayOn = " (or give --common-samples to keep only the samples both hold)";

    /// <summary>
    /// The samples both sides hold (--common-samples): A's rows whose id B has, in A's order, B's row of each, and what was
    /// left out of each side. Duplicate ids on either side are errors, as in <see cref="JoinById"/>, and so is no id in common.
    /// One pass over each side's ids through a hash map.
    /// </summary>
    public static (int[] RowsA, int[] RowsB, LeftOutSamples LeftOut) CommonIds(string[] idsA, string nameA, string[] idsB, string nameB)
    {
        CheckUnique(idsA, nameA);
        var rowOfB = RowOfId(idsB, nameB);
        var rowsA = new List<int>(Math.Min(idsA.Length, idsB.Length));
        var rowsB = new List<int>(rowsA.Capacity);
        var leftOutA = new List<string>();
        var inB = new bool[idsB.Length];
        for (int i = 0; i < idsA.Length; i++)
            if (rowOfB.TryGetValue(idsA[i], out int row))
            {
                rowsA.Add(i);
                rowsB.Add(row);
                inB[row] = true;
            }
            else if (leftOutA.Count < LeftOutSamples.MaxExamples) leftOutA.Add(idsA[i]);
        if (rowsA.Count == 0)
            throw NoIdShared(idsA, nameA, idsB, nameB, NearMatchHint(idsB, idsA[0]), "there are no samples both hold to compare");
        var leftOutB = Enumerable.Range(0, idsB.Length).Where(j => !inB[j]).Take(LeftOutSamples.MaxExamples).Select(j => idsB[j]).ToArray();
        var keptOfA = rowsA.ToArray();
        var leftOut = new LeftOutSamples(rowsA.Count, idsA.Length - rowsA.Count, idsB.Length - rowsB.Count, leftOutA.ToArray(), leftOutB)
        {
            RowsOfA = keptOfA,
            LookAlike = leftOutA.Count > 0 && leftOutB.Length > 0 ? LookAlike(idsA, rowOfB, idsB, inB) : null,
        };
        return (keptOfA, rowsB.ToArray(), leftOut);
    }

    /// <summary>
    /// How many of A's left-out ids B holds written otherwise (padding, case, "7" and "7.0"), and one such pair: samples the
    /// option would leave out only for how their ids were written (null: none). One pass over each side.
    /// </summary>
    private static (int Count, string IdA, string IdB)? LookAlike(string[] idsA, Dictionary<string, int> rowOfB, string[] idsB, bool[] inB)
    {
        var leftOutOfB = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int j = 0; j < idsB.Length; j++)
            if (!inB[j]) leftOutOfB.TryAdd(Unformatted(idsB[j]), idsB[j]);
        (int Count, string IdA, string IdB) found = (0, "", "");
        foreach (string id in idsA)
            if (!rowOfB.ContainsKey(id) && leftOutOfB.TryGetValue(Unformatted(id), out string? other))
                found = found.Count == 0 ? (1, id, other) : (found.Count + 1, found.IdA, found.IdB);
        return found.Count == 0 ? null : found;
    }

    /// <summary>An id without its end spaces, its case and how its number is written: ids that differ only in these are alike.</summary>
    private static string Unformatted(string id)
    {
        string trimmed = id.Trim();
        return double.TryParse(trimmed, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double x)
            ? x.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : trimmed.ToUpperInvariant();
    }

    /// <summary>Each id's row; an id twice is an error naming the file.</summary>
    private static Dictionary<string, int> RowOfId(string[] ids, string name)
    {
        var rowOf = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (int i = 0; i < ids.Length; i++)
            if (!rowOf.TryAdd(ids[i], i))
                throw RepDiffInputException.ForFile(name, $"id '{NpyDtype.Truncate(ids[i])}' appears twice; ids must be unique");
        return rowOf;
    }

    private static RepDiffInputException NoIdShared(string[] idsA, string nameA, string[] idsB, string nameB, string near, string consequence) =>
        RepDiffInputException.ForFile(nameB, $"shares no id with {nameA} (its first: '{NpyDtype.Truncate(idsB[0])}'; "
            + $"{nameA}'s first: '{NpyDtype.Truncate(idsA[0])}'){near}; {consequence}");

    /// <summary>"; it has 'X ', which differs only in spaces" when <paramref name="ids"/> holds an id like the one missing; else "".</summary>
    internal static string NearMatchHint(IEnumerable<string?> ids, string missing) =>
        ids.Select(id => (Id: id, How: id is null ? null : NearMatch(id, missing))).FirstOrDefault(m => m.How is not null) is ({ } id, { } how)
            ? $"; it has '{NpyDtype.Truncate(id)}', which differs only in {how}" : "";

    /// <summary>How two ids that differ are nonetheless alike ("spaces", "case", "how the number is written"), or null.</summary>
    private static string? NearMatch(string id, string wanted)
    {
        if (Unformatted(id) != Unformatted(wanted)) return null;
        if (id.Trim() == wanted.Trim()) return "spaces";
        if (string.Equals(id.Trim(), wanted.Trim(), StringComparison.OrdinalIgnoreCase)) return "case";
        // "7" and "7.0": one side's ids went through a float column (pandas, a float .npy).
        return "how the number is written";
    }

    private static void CheckUnique(string[] ids, string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string id in ids)
            if (!seen.Add(id)) throw RepDiffInputException.ForFile(path, $"id '{NpyDtype.Truncate(id)}' appears twice; ids must be unique");
    }
}
