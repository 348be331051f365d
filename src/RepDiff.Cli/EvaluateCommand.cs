using System.CommandLine;
using System.Text.Json.Nodes;
using RepDiff;
using RepDiff.IO;
using RepDiff.Reporting;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>`repdiff evaluate RESULTS_JSON A B`: BSR (SILB, MNED, LSED) of any method's concept grids (docs/methods/METHODS.md §2).</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var results = new Argument<string>("RESULTS_JSON") { Description = "results.json of a pair method or of compare (not finc's, nor metrics'), whose concept grids are rescored" };
        // A, B and their join as every pair command takes them, given as the run that wrote RESULTS_JSON was given them.
        var inputs = new PairInputOptions();
        inputs.A.Description = "embeddings of model A (the same file the results were computed from)";
        inputs.B.Description = "embeddings of model B, joined to A as the run joined them (by row, or by id)";
        var output = new Option<string?>("--out") { Description = "write the updated results to this file instead of rewriting RESULTS_JSON (missing folders above it are made)" };
        var command = new Command("evaluate", "Score the concept grids of a results.json with BSR and write the metrics into it.") { results };
        inputs.AddJoinTo(command);
        command.Options.Add(output);
        command.SetAction(parse => Cli.Guard(() =>
        {
            string path = parse.GetValue(results)!;
            // A run's folder given as RESULTS_JSON is told which file in it to give, before the check of where the results go
            // says only that a folder is not replaced by a file.
            if (Directory.Exists(path)) FileKind.RequireRegular(path);
            if (parse.GetValue(output) is { } outPath)
            {
                OutputFolder.CheckNewFile(outPath);
                // RESULTS_JSON itself is the default target; A and B are not.
                OutputFolder.RefuseInput(outPath, "--out", parse.GetValue(inputs.A), parse.GetValue(inputs.B));
            }
            else OutputFolder.CheckNewFile(path, "RESULTS_JSON");
            var file = ResultsFile.Read(path);
            ResultsWithoutConcepts.RefuseUnscorable(file, path);
            var spec = inputs.JoinSpec(parse);
            // Each file's archive is opened once for the run: the checks below ask which array a key picks up to six times,
            // and the pair's readers read through it (it had been opened again for the pair, and for the same-input check).
            // Each input is still opened three times, as in every pair command: its first bytes for its format (EmbeddingInput,
            // read before it is known which reader opens the file), this archive, and its SHA-256 read whole (CheckFingerprints).
            // One open would need every archive's reader (zip, PureHDF, safetensors, pickle) to take a handle opened before it.
            using var archives = new InputArchives();
            spec.RefuseSameInput(archives);
            // The file names every run records first (they name the files swapped; joined by id, swapped files had been refused
            // as "sample 0 is 's0' in the run but 's599' here"), then the join, then the dimensions, which catch A and B swapped
            // under other names.
            var arrays = new ArraysNamed(archives, spec.InputAt);
            RefuseSwappedInputs(file, path, spec, arrays);
            // Both archives opened before the pair, which reads through them, for the fingerprints' questions after it.
            arrays.In(spec.PathA, spec.KeyA);
            arrays.In(spec.PathB, spec.KeyB);
            using var opened = spec.Open(archives);
            PairInputOptions.SayWhatWasLeftOut(opened);
            RefuseAnotherJoin(file, path, opened);
            RefuseOtherDimensions(file, path, opened);
            // Checked before the value-range warnings, so that a mismatch is one line.
            var toScore = file.Explanations.Where(e => e.Directions.Any(d => d.Explains is "a" or "b")).ToList();
            foreach (var explanation in toScore)
                if (explanation.N != opened.N)
                    throw RepDiffInputException.ForFile(path, $"{explanation.Method} describes {explanation.N} samples but the representations have {opened.N} rows");
            // Refused as rdx refuses them: B of all-zero rows was scored BSR 0 and written over results.json, exit 0 (reviewer).
            // Rows all the same tie every grid at distance 0, so its BSR is the tie-break's; A equal to B has no difference to score.
            spec.RefuseIdenticalValues(opened);
            RepDiff.Metrics.ConstantRows.RefuseWhereBsrScoresTies(opened, "grid");
            // Last of the checks of the inputs, as it reads both files whole.
            CheckFingerprints(file, path, spec, arrays);
            var pair = ValueRange.Fit(opened, null, null, out var notes);
            foreach (string note in notes) Cli.Warn(note);
            // Shown as progress: scoring one method took 10 s at 128,000 rows with nothing on the screen.
            ProgressDisplay.Run(progress =>
            {
                // A run that divided MNED by the exact largest distances (RDX's, at any n) is rescored with them, not a sampled bound.
                if (toScore.Any(e => e.Metrics["bsr_mned_normalizer"] is JsonValue v && v.TryGetValue(out string? said) && said == RepDiff.Metrics.Bsr.ExactNormalizer))
                {
                    progress.Report("largest distances over all pairs", 0);
                    pair.Statistics.FindExact();
                    progress.Report("largest distances over all pairs", 1);
                }
                foreach (var explanation in toScore)
                {
                    string stage = $"scoring {explanation.Method} (BSR)";
                    progress.Report(stage, 0);
                    ExplanationScoring.Score(explanation, pair);
                    progress.Report(stage, 1);
                }
                return 0;
            });
            WarnOfUnscoredGrids(path, toScore);
            // Only what was scored now: a file without directions kept the BSR it came with, and was written back as scored.
            var scored = toScore.Where(e => e.Metrics.ContainsKey("bsr")).ToList();
            if (scored.Count == 0)
                // Say what BSR needs, so a hand-written file can be fixed: a one-sample grid or a missing "explains" is otherwise a mystery.
                throw RepDiffInputException.ForFile(path, "has no concept with a grid of two or more samples in a direction whose 'explains' is \"a\" or \"b\"; nothing to score");
            string target = parse.GetValue(output) ?? path;
            AtomicFile.WriteAllText(target, file.ToJson(evaluateCommand: Cli.TypedCommand), output: true);
            foreach (var explanation in scored) Print(explanation);
            Cli.Out.WriteLine(Terminal.Clean($"Wrote {target}"));
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// BSR scores a concept's grid, so a concept of two or more members whose grid has fewer (a hand-written `"grid": []`,
    /// or a method's that shows none) is not scored: said, where it had been left out without a word (review 174).
    /// </summary>
    private static void WarnOfUnscoredGrids(string path, IEnumerable<Explanation> toScore)
    {
        var unscored = toScore.SelectMany(e => e.Directions.Where(d => d.Explains is "a" or "b")
                .SelectMany(d => d.Concepts.Where(c => c.Rank >= 1 && c.Members.Length >= 2 && c.Grid.Length < 2)
                    .Select(c => $"{e.Method} '{NpyDtype.Truncate(d.Name)}' concept {c.Rank}")))
            .ToList();
        if (unscored.Count == 0) return;
        string which = string.Join(", ", unscored.Take(3)) + (unscored.Count > 3 ? $" and {unscored.Count - 3:N0} more" : "");
        Cli.Warn($"{path}: {unscored.Count:N0} concept{(unscored.Count == 1 ? " has" : "s have")} members but a grid of fewer than 2 samples, "
            + $"so BSR, which compares the pairs within a grid, leaves {(unscored.Count == 1 ? "it" : "them")} unscored ({which})");
    }

    /// <summary>
    /// The run's samples carry ids (its results hold them): B's rows may have been joined to A's by id, and scored by row
    /// position they would be other samples' rows, a wrong BSR written with exit 0 (helper 86). So the same ids are needed.
    /// </summary>
    private static void RefuseAnotherJoin(ResultsFile file, string path, RepresentationPair pair)
    {
        if (file.Samples(path)?.Ids is not { } recorded)
        {
            // A RepDiff run (it names its inputs) that recorded no ids paired the rows by position; joined by ids now, B's
            // rows would be other samples' (a hand-written file, without "inputs", may be joined as the user says).
            if (pair.Samples.Ids is not null && file.Root["inputs"] is JsonObject)
                throw RepDiffInputException.ForFile(path, "the run paired A's and B's rows by position (its samples carry no ids); give no ids, as the run had none");
            return;
        }
        if (pair.Samples.Ids is not { } ids)
            throw RepDiffInputException.ForFile(path, $"the run's samples carry ids ('{NpyDtype.Truncate(recorded[0])}', …), so its B may have been joined to A by id; "
                + $"give the ids it was given ({RecordedIds(file, path) ?? "--ids, --ids-a and --ids-b, or --id-column"})");
        int differs = Enumerable.Range(0, Math.Min(ids.Length, recorded.Length)).FirstOrDefault(i => ids[i] != recorded[i], -1);
        if (differs >= 0 || ids.Length != recorded.Length)
            throw RepDiffInputException.ForFile(path, differs >= 0
                ? $"sample {differs} is '{NpyDtype.Truncate(recorded[differs])}' in the run but '{NpyDtype.Truncate(ids[differs])}' here; give the inputs and ids the run was given"
                : $"the run had {recorded.Length} samples, these inputs {ids.Length}");
    }

    /// <summary>
    /// The ids files the run names among its inputs, as flags to give again: "--ids-a OUT/embeddings/minilm-l6.ids.txt
    /// --ids-b …". `compare --model-a/-b` keeps each model's ids in OUT/embeddings beside results.json, where they are
    /// named with their folder; the message had listed the flags alone, and the files were for the user to find (helper
    /// 141). Null when the run names none (ids read from a column or from the embedding files themselves).
    /// </summary>
    private static string? RecordedIds(ResultsFile file, string path)
    {
        if (file.Root["inputs"] is not JsonObject inputs) return null;
        string kept = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "embeddings");
        var flags = new List<string>();
        foreach (var (key, flag) in new[] { ("ids", "--ids"), ("ids_a", "--ids-a"), ("ids_b", "--ids-b") })
            if (inputs[key] is JsonValue value && value.TryGetValue(out string? name) && name.Length > 0)
                flags.Add($"{flag} {(File.Exists(Path.Combine(kept, name)) ? Path.Combine(kept, name) : name)}");
        return flags.Count == 0 ? null : string.Join(" ", flags);
    }

    /// <summary>
    /// A and B given the other way round score every grid in the wrong model (a k-means run on 32 and 16 dimensions, given
    /// B then A: BSR 0.83 rescored 0.17, exit 0). The dimensions catch it where they differ; on equal dimensions, every run
    /// records its inputs' file names, and the keys that picked their arrays: when A is the run's B and B its A (two files of
    /// different names, or two arrays of one file), the pair is refused here, before the files are opened or hashed (a
    /// refusal after the fingerprints' progress had been one line after three). Renamed files are told by their bytes
    /// (<see cref="CheckFingerprints"/>).
    /// </summary>
    private static void RefuseSwappedInputs(ResultsFile file, string path, PairSpec spec, ArraysNamed arrays)
    {
        if (file.Root["inputs"] is not JsonObject inputs || Recorded(inputs, "a") is not { } runA || Recorded(inputs, "b") is not { } runB) return;
        var (runKeyA, runKeyB) = (Recorded(inputs, "key_a"), Recorded(inputs, "key_b"));
        // A run that recorded no keys (none given, or a file from before they were recorded) is told apart by its file names alone.
        bool keyed = runKeyA is not null || runKeyB is not null;
        // Each side by its file's name and the array its key picks; the run's keys are resolved in the file they are compared in.
        ArrayRead Given(string input, string? key) => new(Path.GetFileName(input), keyed ? arrays.In(input, key) : null);
        ArrayRead Run(string name, string? key, string comparedIn) => new(name, keyed ? arrays.In(comparedIn, key) : null);
        if (Run(runA, runKeyA, spec.PathA) == Run(runB, runKeyB, spec.PathA)) return;
        if (Given(spec.PathA, spec.KeyA) == Run(runB, runKeyB, spec.PathA) && Given(spec.PathB, spec.KeyB) == Run(runA, runKeyA, spec.PathB))
            throw RepDiffInputException.ForFile(path, $"was computed with A = {Run(runA, runKeyA, spec.PathB).Describe()} and B = {Run(runB, runKeyB, spec.PathA).Describe()}; "
                + "these are given the other way round (A and B swapped would score every grid in the wrong model)");
    }

    /// <summary>A text the run recorded under <paramref name="key"/>, of <paramref name="length"/> characters when one is asked for.</summary>
    private static string? Recorded(JsonObject? record, string key, int length = 0) =>
        record?[key] is JsonValue value && value.TryGetValue(out string? text) && (length == 0 || text.Length == length) ? text : null;

    /// <summary>
    /// The array a key picks in a given file, as the file names it: "y.npy" and "y" pick one array of an .npz, and are
    /// compared as one (a run's and the given keys alike; a run from before keys were recorded as resolved may hold
    /// either), as are no key and the name of a file's only array. A key the file has no array for (or no key for a file
    /// of several), or a file that does not open, stays as typed, to be told apart from the file's. Each file's format is
    /// read once and the file opened once for the run, its index kept (an .npz's zip directory, a .safetensors header, a
    /// .pt's pickle) in <paramref name="archives"/>, which the pair's readers read through: it had been opened for each of
    /// up to six questions, and its format read again for each.
    /// </summary>
    internal sealed class ArraysNamed(InputArchives archives, Func<string, EmbeddingInput>? inputAt = null)
    {
        /// <summary>Each file with its format as the pair's spec read it (<see cref="PairSpec.InputAt"/>): it had been read again here.</summary>
        private readonly Func<string, EmbeddingInput> inputAt = inputAt ?? EmbeddingInput.Of;
        /// <summary>
        /// Each file's format read once (whether a key picks in it) and its archive, or null where it holds one array or does
        /// not open (then every key stays as typed).
        /// </summary>
        private readonly Dictionary<string, (bool TakesKey, ArrayArchive? Archive)> files = new(StringComparer.Ordinal);

        public string? In(string? input, string? key)
        {
            if (input is null) return key;
            if (!files.TryGetValue(input, out var file))
            {
                var read = inputAt(input);
                ArrayArchive? archive = null;
                if (read.TakesKey)
                {
                    try { archive = archives.Of(read); }
                    catch (RepDiffInputException) { }
                }
                files[input] = file = (read.TakesKey, archive);
            }
            if (!file.TakesKey) return null;
            if (file.Archive is null) return key;
            try { return file.Archive.ArrayNamed(key); }
            catch (RepDiffInputException) { return key; }
        }
    }

    /// <summary>
    /// The run's fingerprints of A and B against the files given: the run's B and A by their bytes, under any names, are
    /// refused as swapped (equal dimensions and renamed files had passed every other check); a file whose bytes are not the
    /// run's is told, since the concepts were found on other values (a copy in another format is, and may be meant). Where the
    /// run recorded the keys that picked its arrays, a side is its file's bytes and the array its key picks: two arrays of one
    /// file given with their keys exchanged (by --key-a/-b, --column-a/-b or --key) are refused as swapped too, and another
    /// array of the run's file is told as another file is.
    /// </summary>
    private static void CheckFingerprints(ResultsFile file, string path, PairSpec spec, ArraysNamed arrays)
    {
        if (file.Root["inputs_sha256"] is not JsonObject fingerprints || Recorded(fingerprints, "a", 64) is not { } runA || Recorded(fingerprints, "b", 64) is not { } runB)
            return;
        var inputs = file.Root["inputs"] as JsonObject;
        string? runKeyA = Recorded(inputs, "key_a"), runKeyB = Recorded(inputs, "key_b");
        // A run that recorded no keys (none given, or a file from before they were recorded) is told apart by its bytes alone.
        bool keyed = runKeyA is not null || runKeyB is not null;
        var given = ProgressDisplay.Run(progress => InputFingerprints.Of([("a", spec.PathA), ("b", spec.PathB)], progress));
        // The run's keys are resolved in a given file of the run's bytes: there they pick what they picked in the run.
        string? RunFile(string sha256) => given[0].Sha256 == sha256 ? spec.PathA : given[1].Sha256 == sha256 ? spec.PathB : null;
        var run = (A: new ArrayRead(runA, keyed ? arrays.In(RunFile(runA), runKeyA) : null), B: new ArrayRead(runB, keyed ? arrays.In(RunFile(runB), runKeyB) : null));
        var now = (A: new ArrayRead(given[0].Sha256, keyed ? arrays.In(spec.PathA, spec.KeyA) : null), B: new ArrayRead(given[1].Sha256, keyed ? arrays.In(spec.PathB, spec.KeyB) : null));
        if (now.A == run.B && now.B == run.A && run.A != run.B)
            throw RepDiffInputException.ForFile(path, $"was computed with {now.B.Describe(spec.PathB)} as A and {now.A.Describe(spec.PathA)} as B{(keyed ? "" : " (by their SHA-256)")}; "
                + "these are given the other way round (A and B swapped would score every grid in the wrong model)");
        foreach (var (side, read, recorded, input) in new[] { ("A", now.A, run.A, spec.PathA), ("B", now.B, run.B, spec.PathB) })
            if (read.File != recorded.File)
                Cli.Warn($"{Path.GetFileName(input)} ({side}) is not the file the run read: its SHA-256 begins {read.File[..12]}, the run's {recorded.File[..12]}; "
                    + "its BSR is scored on the values given here");
            else if (read.Key != recorded.Key)
                Cli.Warn($"{Path.GetFileName(input)} ({side}) is the file the run read, but its array {read.Key ?? "(none given)"}, not the run's {recorded.Key ?? "(none given)"}; "
                    + "its BSR is scored on the values given here");
    }

    /// <summary>
    /// One side of a run as evaluate tells it apart: its file (by its name, or its SHA-256) and the array its key picks (null:
    /// no key, or none recorded).
    /// </summary>
    private readonly record struct ArrayRead(string File, string? Key)
    {
        /// <summary>The side in a message, its file named by <paramref name="path"/>'s name ("pair.npz's array x"), or by <see cref="File"/> when that is its name.</summary>
        public string Describe(string? path = null)
        {
            string name = path is null ? NpyDtype.Truncate(File) : Path.GetFileName(path);
            return Key is null ? name : $"{name}'s array {NpyDtype.Truncate(Key)}";
        }
    }

    /// <summary>
    /// compare and every pair method's command record their inputs' dimensions: A and B given the other way round scored every
    /// grid in the wrong model, under other file names too (a single method's results recorded none: helper 104).
    /// </summary>
    private static void RefuseOtherDimensions(ResultsFile file, string path, RepresentationPair pair)
    {
        if (file.Root["dimensions"] is JsonObject dimensions && dimensions["a"] is JsonValue da && dimensions["b"] is JsonValue db
            && da.TryGetValue(out int colsA) && db.TryGetValue(out int colsB) && (colsA, colsB) != (pair.RowsA.Cols, pair.RowsB.Cols))
            throw RepDiffInputException.ForFile(path, $"was computed on A of {colsA} and B of {colsB} dimensions; these are {pair.RowsA.Cols} and {pair.RowsB.Cols}"
                + (colsA == pair.RowsB.Cols && colsB == pair.RowsA.Cols ? " (A and B the other way round?)" : ""));
    }

    private static void Print(Explanation explanation)
    {
        var table = new Table().AddColumns("direction", "BSR (SILB)", "BSR (MNED)", "BSR (LSED)");
        var silb = explanation.Metrics["bsr"]!.AsObject();
        foreach (var (name, value) in silb)
            table.AddRow(Summary.Text(name), Format(value), Format(explanation.Metrics["bsr_mned"]?[name]), Format(explanation.Metrics["bsr_lsed"]?[name]));
        Terminal.Write($"{explanation.Method}: BSR of the concept grids", table);
    }

    private static string Format(System.Text.Json.Nodes.JsonNode? value) => value is null ? "" : value.GetValue<double>().ToString("F4");
}
