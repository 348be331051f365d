namespace RepDiff.IO;

/// <summary>
/// An embedding file as a command names it, with the format it is read as (<see cref="EmbeddingFormat.Reading"/>): its first
/// bytes are read here, once, and the readers, the --key and --id-column checks and the misnamed-file warning take the
/// format from it (each had read them again: an .npz given with --key was opened 11 times a run). Not kept by path: a
/// memo keyed by path and modification time would keep the old format of a file rewritten within one timestamp tick.
/// </summary>
public sealed class EmbeddingInput
{
    public string Path { get; }

    /// <summary>The format the file is read as, or null when RepDiff reads none of it.</summary>
    internal EmbeddingFormat? Format { get; }

    /// <summary>The one-line warning to give when its content is of another format than its extension names, else null.</summary>
    public string? Warning { get; }

    private EmbeddingInput(string path)
    {
        Path = path;
        (Format, Warning, string? refusal) = EmbeddingFormat.Reading(path);
        // Refused where the command names it, before a --key or --id-column check asks what the file holds.
        if (refusal is not null) throw RepDiffInputException.ForFile(path, refusal);
    }

    /// <summary>The file at path, its format read from its first bytes now; content RepDiff reads in no format (text of another name, an HTML page, an empty file, …) is refused saying what it is.</summary>
    public static EmbeddingInput Of(string path) => new(path);

    /// <summary>The format as the format list names it (".npz", ".pt/.pth (torch.save)"), or null when none.</summary>
    public string? FormatShown => Format is null ? null : Format.Shown ?? Format.Extensions[0];

    /// <summary>Whether the file can hold several arrays or columns, one of which a key picks.</summary>
    public bool TakesKey => Format?.TakesKey == true;

    /// <summary>Whether the file has named columns (or JSON Lines fields), one of which --id-column can name.</summary>
    public bool HasColumns => Format?.HasColumns == true;
}
