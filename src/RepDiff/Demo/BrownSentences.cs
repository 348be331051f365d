namespace RepDiff.Demo;

/// <summary>
/// The bundled Brown corpus sentences (data/brown): 3,000 sentences, 200 from each of the corpus's
/// 15 genres, as plain text with their genre and the document they come from (W. N. Francis and
/// H. Kučera, Brown University, 1964–1979; redistribution permitted).
/// </summary>
public sealed class BrownSentences
{
    /// <summary>The credit a report shows beside these sentences.</summary>
    public const string Attribution = "Brown Corpus (W. N. Francis and H. Kučera, Brown University, 1964, revised 1971 and 1979), " +
        "distributed with the permission of the copyright holder, redistribution permitted";

    /// <summary>"ca01.042": document and the sentence's line number in it.</summary>
    public required string[] Ids { get; init; }

    /// <summary>Brown's document ids ("ca01"; the letter is the genre).</summary>
    public required string[] Documents { get; init; }

    /// <summary>Genre names as the corpus's cats.txt gives them ("news", "belles_lettres", ...).</summary>
    public required string[] Genres { get; init; }

    public required string[] Texts { get; init; }

    public int Count => Texts.Length;

    /// <summary>The bundled sentences from data/brown.</summary>
    public static BrownSentences Load() => Load(Path.Combine(BundledData.FindFolder("brown"), "brown-sentences.tsv.gz"));

    public static BrownSentences Load(string path)
    {
        var rows = BundledData.ReadTable(path, '\t', "id", "document", "genre", "text");
        return new BrownSentences
        {
            Ids = rows.Select(r => r[0]).ToArray(),
            Documents = rows.Select(r => r[1]).ToArray(),
            Genres = rows.Select(r => r[2]).ToArray(),
            Texts = rows.Select(r => r[3]).ToArray(),
        };
    }

    /// <summary>At most <paramref name="perGenre"/> sentences of each genre, spread evenly over the genre's documents.</summary>
    public BrownSentences PerGenre(int perGenre)
    {
        var rows = BundledData.EvenlyPerLabel(Genres, perGenre);
        return new BrownSentences
        {
            Ids = [.. rows.Select(i => Ids[i])], Documents = [.. rows.Select(i => Documents[i])],
            Genres = [.. rows.Select(i => Genres[i])], Texts = [.. rows.Select(i => Texts[i])],
        };
    }

    /// <summary>Ids, genre labels (as <see cref="GenreLabel"/> writes them) and the sentences, for a RepresentationPair.</summary>
    public SampleInfo Samples() => new() { Ids = Ids, Labels = new SampleLabels(Genres.Select(GenreLabel).ToArray()), Texts = Texts };

    /// <summary>A genre as a report names it: "belles_lettres" → "belles-lettres", "science_fiction" → "science fiction".</summary>
    public static string GenreLabel(string genre) => genre == "belles_lettres" ? "belles-lettres" : genre.Replace('_', ' ');
}
