using System.Globalization;
using System.Text;

namespace RepDiff.DemoData;

/// <summary>
/// Picks sentences from the tagged Brown corpus (Form C: word/tag tokens, one sentence per line):
/// the same number from each of its 15 genres, spread over the genre's documents, seeded, and
/// written back as plain text.
/// </summary>
internal static class BrownSelection
{
    public const int Seed = 15;
    public const int PerGenre = 200;
    public const int MinWords = 8, MaxWords = 40;

    private sealed record Sentence(string Document, int Index, string Genre, string Text);

    public static void Run(string package, string outDir)
    {
        // cats.txt: "ca01 news" per document, in file order.
        var documents = File.ReadAllLines(Path.Combine(package, "cats.txt"))
            .Where(l => l.Length > 0).Select(l => l.Split(' ')).Select(f => (Id: f[0], Genre: f[1])).ToList();
        var rng = new Random(Seed);
        var chosen = new List<Sentence>();
        foreach (var genre in documents.Select(d => d.Genre).Distinct().Order(StringComparer.Ordinal))
        {
            // Each document's eligible sentences in a seeded order; then take one from each document in
            // turn, so a genre's sample is spread over all its documents rather than a few long ones.
            var queues = documents.Where(d => d.Genre == genre)
                .Select(d => Shuffled(Eligible(package, d.Id, d.Genre).ToList(), rng))
                .ToList();
            var taken = new List<Sentence>();
            for (int round = 0; taken.Count < PerGenre && queues.Any(q => round < q.Count); round++)
                foreach (var queue in queues)
                    if (round < queue.Count && taken.Count < PerGenre) taken.Add(queue[round]);
            if (taken.Count < PerGenre) throw new InvalidOperationException($"genre {genre} has only {taken.Count} eligible sentences");
            chosen.AddRange(taken);
        }
        var text = new StringBuilder("id\tdocument\tgenre\ttext\n");
        foreach (var s in chosen.OrderBy(s => s.Document, StringComparer.Ordinal).ThenBy(s => s.Index))
            text.Append(CultureInfo.InvariantCulture, $"{s.Document}.{s.Index:D3}\t{s.Document}\t{s.Genre}\t{s.Text}\n");
        Gzip.WriteText(Path.Combine(outDir, "brown-sentences.tsv.gz"), text.ToString());
        Console.WriteLine($"{chosen.Count} sentences from {chosen.Select(s => s.Document).Distinct().Count()} documents");
    }

    private static List<Sentence> Shuffled(List<Sentence> list, Random rng)
    {
        var array = list.ToArray();
        rng.Shuffle(array);
        return [.. array];
    }

    /// <summary>The sentences of one document with MinWords..MaxWords words, excluding headlines.</summary>
    private static IEnumerable<Sentence> Eligible(string package, string document, string genre)
    {
        int index = 0;
        foreach (string line in File.ReadLines(Path.Combine(package, document)))
        {
            var tokens = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0) continue;
            index++;
            var pairs = tokens.Select(Split).ToList();
            if (pairs.Any(p => p.Tag.Contains("-hl", StringComparison.Ordinal))) continue;
            int words = pairs.Count(p => p.Tag.Any(char.IsLetter));
            if (words is < MinWords or > MaxWords) continue;
            var wordList = pairs.Select(p => p.Word).ToList();
            // Whole sentences only: Form C also splits some sentences over lines (a line then starts in
            // lower case or ends without a full stop) and some quotations over sentences (unbalanced quotes).
            if (wordList.Count(w => w == "``") != wordList.Count(w => w == "''")) continue;
            string text = Detokenize(wordList);
            char first = text.FirstOrDefault(char.IsLetterOrDigit);
            if (!char.IsUpper(first) && !char.IsDigit(first)) continue;
            if (text.TrimEnd('"', '\'', ')') is not [.., '.' or '?' or '!']) continue;
            yield return new Sentence(document, index, genre, text);
        }
    }

    private static (string Word, string Tag) Split(string token)
    {
        int slash = token.LastIndexOf('/');
        return slash <= 0 ? (token, "") : (token[..slash], token[(slash + 1)..]);
    }

    /// <summary>Joins Brown's tokens as printed text: `` and '' become quotes, punctuation attaches.</summary>
    internal static string Detokenize(IReadOnlyList<string> words)
    {
        var text = new StringBuilder();
        bool glueNext = true; // no space before the first word or after an opening bracket or quote
        foreach (string raw in words)
        {
            string word = raw;
            bool attachLeft, opens = false;
            if (word == "``") { word = "\""; opens = true; attachLeft = false; }
            else if (word == "''") { word = "\""; attachLeft = true; }
            else if (word == "`") { word = "'"; opens = true; attachLeft = false; }
            else if (word is "(" or "[") { opens = true; attachLeft = false; }
            else attachLeft = word is "," or "." or ";" or ":" or "?" or "!" or ")" or "]" or "'" or "'s" or "n't";
            if (!glueNext && !attachLeft) text.Append(' ');
            text.Append(word);
            glueNext = opens;
        }
        return text.ToString();
    }
}
