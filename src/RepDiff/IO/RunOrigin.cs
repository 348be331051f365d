using System.Text.Json.Nodes;

namespace RepDiff.IO;

/// <summary>
/// How a run's results can be made again: the command as typed (`repdiff …`, paths as given, relative ones relative to the
/// folder it ran in) and the fingerprints of the files it read. results.json holds them as "command" and "inputs_sha256",
/// the report's header shows them.
/// </summary>
public sealed record RunOrigin(string Command, IReadOnlyList<InputFingerprint> Inputs)
{
    /// <summary>How to read <see cref="Command"/>, the report's hover text on it (the demo's is not as typed: see DemoCommand).</summary>
    public string Reading { get; init; } = "as typed; run it again in the folder it ran in";

    /// <summary>
    /// Writes "command" after "commit" (or "version"), so it is read beside the build that ran it, and "inputs_sha256" after
    /// "inputs" (or the command, where a document names no inputs: `metrics`); none when there are no fingerprints. The demo's
    /// are those of the files it saves beside each report, as its pairs are made by the run, not read.
    /// </summary>
    public void WriteTo(JsonObject document)
    {
        Place(document, "command", Command, "commit", "version");
        if (Inputs.Count > 0) Place(document, "inputs_sha256", InputFingerprints.ToJson(Inputs), "inputs", "command");
    }

    /// <summary>Puts <paramref name="key"/> right after the first of <paramref name="after"/> the document holds (else first).</summary>
    public static void Place(JsonObject document, string key, JsonNode value, params string[] after)
    {
        document.Remove(key);
        int at = after.Select(document.IndexOf).Where(i => i >= 0).Select(i => i + 1).FirstOrDefault();
        document.Insert(at, key, value);
    }
}
