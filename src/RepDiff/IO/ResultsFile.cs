using System.Text.Json;
using System.Text.Json.Nodes;

namespace RepDiff.IO;

/// <summary>
/// Reads any results.json RepDiff writes: a single method's Explanation, or a comparison document
/// (`compare`, `demo`) whose "explanations" hold one per method; and its "samples" block, if any.
/// </summary>
public static class ResultsFile
{
    public static (List<Explanation> Explanations, SampleInfo? Samples) Read(string path)
    {
        string text;
        using (var stream = InputFile.OpenRead(path))
        using (var reader = new StreamReader(stream))
            text = reader.ReadToEnd();
        try
        {
            var root = JsonNode.Parse(text) as JsonObject ?? throw RepDiffInputException.ForFile(path, "is not a JSON object (not a RepDiff results.json)");
            var explanations = root.ContainsKey("explanations") ? Comparison.ExplanationsFromJson(text) : [Explanation.FromJson(text)];
            if (explanations.Count == 0 || explanations.All(e => e.Method.Length == 0))
                throw RepDiffInputException.ForFile(path, "holds no method results (not a RepDiff results.json)");
            int n = explanations.Max(e => e.N);
            foreach (var e in explanations)
                foreach (var d in e.Directions)
                    foreach (var c in d.Concepts)
                    {
                        int bad = Array.FindIndex(c.Members, m => m < 0 || m >= e.N);
                        if (bad >= 0) throw RepDiffInputException.ForFile(path, $"{e.Method} {d.Name} concept {c.Rank}: member {c.Members[bad]} is outside 0..{e.N - 1}");
                        if (c.Scores is not null && c.Scores.Length != c.Members.Length)
                            throw RepDiffInputException.ForFile(path, $"{e.Method} {d.Name} concept {c.Rank}: {c.Scores.Length} scores for {c.Members.Length} members");
                    }
            return (explanations, SampleJson.FromJson(root, n, path));
        }
        catch (JsonException e)
        {
            throw RepDiffInputException.ForFile(path, $"is not a RepDiff results.json ({e.Message})");
        }
        catch (RepDiffInputException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw RepDiffInputException.ForFile(path, e.Message);
        }
    }
}
