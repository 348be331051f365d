using RepDiff.IO;
using RepDiff.Methods;

namespace RepDiff.Cli;

/// <summary>
/// A results.json that evaluate or export cannot take, refused before anything else is read: `metrics` writes measures and
/// no concepts (export had written a header-only CSV, exit 0), and a sample-set method's modes (FINC's) are rows of two
/// sets in one representation, where BSR needs the same samples in two.
/// </summary>
internal static class ResultsWithoutConcepts
{
    /// <summary>Refuses metrics' results; <paramref name="what"/> says what the command does with concepts.</summary>
    public static void RefuseMetrics(ResultsFile file, string path, string what)
    {
        if (file.Explanations.Any(e => e.Method == RepDiff.Metrics.ContextMetrics.Method))
            throw RepDiffInputException.ForFile(path, $"holds metrics' measures (CKA, mutual k-NN, probes), which have no concepts; {what}");
    }

    /// <summary>Refuses what evaluate cannot rescore: metrics' measures and a sample-set method's modes.</summary>
    public static void RefuseUnscorable(ResultsFile file, string path)
    {
        const string rescores = "evaluate rescores the concepts of a pair method (A and B, the same samples in two representations)";
        RefuseMetrics(file, path, rescores + "; run `repdiff metrics` again for new measures");
        if (file.Explanations.FirstOrDefault(e => MethodRegistry.Default.Find(e.Method) is ISampleSetMethod) is { } sets)
            throw RepDiffInputException.ForFile(path, $"holds {sets.Method}'s results, whose modes are rows of two sample sets (TEST and REF) in one representation; "
                + rescores + ", so there is nothing to rescore");
    }
}
