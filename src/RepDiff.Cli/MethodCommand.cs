using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using RepDiff.IO;
using RepDiff.Methods;
using RepDiff.Options;
using RepDiff.Reporting;
using RepDiff.Trust;

namespace RepDiff.Cli;

/// <summary>
/// The command of any registered method, built from the method alone: its inputs (a pair, or two sample
/// sets), its options record's flags, and one body — open the inputs, run with progress, score, write
/// results.json, report.html and the run's side files, print a summary.
/// </summary>
internal static class MethodCommand
{
    public static Command Create(IMethod method) => method switch
    {
        IPairMethod pairMethod => ForPair(pairMethod),
        ISampleSetMethod setMethod => ForSampleSets(setMethod),
        _ => throw new InvalidOperationException($"{method.Name} takes neither a pair nor two sample sets"),
    };

    private static Command ForPair(IPairMethod method)
    {
        var inputs = new PairInputOptions();
        var command = new Command(method.Name, method.Description);
        inputs.AddTo(command);
        var binder = new OptionBinder(method.OptionsType, command);
        // Groups given in a file are not found again on part of the samples: the trust options are refused (RerunSize), so not offered.
        var trustBinder = new OptionBinder(typeof(TrustOptions), command, hidden: method.ConceptsAreGiven);
        command.SetAction(parse => Cli.Guard(() =>
        {
            var options = binder.Bind(parse, method.DefaultOptions());
            var trust = trustBinder.Bind(parse, new TrustOptions());
            string dir = parse.GetValue(inputs.Out)!;
            Outputs.Check(dir);
            var clock = Stopwatch.StartNew();
            var spec = inputs.Spec(parse);
            using var opened = spec.OpenToExplain();
            PairInputOptions.SayWhatWasLeftOut(opened);
            spec.RefuseIdenticalValues(opened);
            // Options that need more samples than there are, refused before the value-range warnings: a bad option is
            // then one line, not a warning about the data and the error after it.
            method.CheckSampleCount(opened, opened.N, options);
            var pair = FitValueRange(opened, options);
            RerunSize.CheckBeforeRun(method, options, pair, trust);
            double opening = clock.Elapsed.TotalSeconds;
            var (explanation, context, model, origin) = ProgressDisplay.Run(progress =>
            {
                double looks = ImageLooksStage.Measure(pair.Samples, progress);
                Stability.Expect(method, pair, trust);
                var result = method.Run(pair, options, progress);
                var (origin, hashing) = Origin(spec.InputFiles().Concat(OptionsSchema.Files(options)), progress);
                if (looks > 0) result.Timings[ImageLooksStage.Timing] = looks;
                Stability.Measure(method, pair, result, trust, progress);
                if (trust.Validates()) HeldOutValidation.Run(method, options, pair, result, progress);
                result.Timings["open_inputs"] = opening;
                result.Timings[HashTiming] = hashing;
                // The stages around the method, each timed on its own (as compare does), so a slow one shows by name, and
                // shown as progress: on 128,000 rows they took 35 s after the method's last progress line (the maps most).
                // The report's maps run beside scoring and the context metrics, so these stages overlap (docs/results-schema.md).
                progress.Report(ReportModelStage, 0);
                JsonObject context = null!;
                var (maps, mapSeconds) = SampleMaps.Beside(pair, [result], inputs.UmapMaps(parse), progress, () =>
                {
                    Time(result, "scoring", progress, "scoring (BSR)", () => ExplanationScoring.Score(result, pair));
                    context = Time(result, "context", progress, "context metrics (CKA, mutual k-NN)", () => Comparison.ContextMetrics(pair));
                });
                var reportModel = Time(result, "report_model",
                    () => ReportModel.ForPair(pair, [result], context, $"RepDiff {method.Name}: {pair.NameA} vs {pair.NameB}", progress: progress, maps: maps));
                result.Timings["report_model"] += mapSeconds;
                progress.Report(ReportModelStage, 1);
                return (result, context, reportModel, origin);
            });
            ImageLooksStage.Warn(pair.Samples);
            SayCautions(trust, method.Cautions(pair, explanation.ResolvedOptions!));
            SayStabilityLeftOut([explanation]);
            if (Comparison.RowsMayNotMatch(context, pair) is { } misaligned) Cli.Warn(misaligned);
            model.Origin = origin;
            // Writing the files is not timed (results.json cannot hold its own writing time); rendering report.html before it is.
            Outputs.Write(dir, model, rendering =>
            {
                explanation.Timings[Outputs.RenderTiming] = rendering;
                return ResultsFile.SingleMethod(explanation, spec.InputNames(), context, pair.Samples, origin, model.Findings.FirstOrDefault(),
                    (pair.RowsA.Cols, pair.RowsB.Cols), model.Warnings);
            }, explanation.Artifacts);
            Summary.Print(model, explanation);
            Outputs.Announce(dir, model, explanation.Artifacts.Keys);
            return 0;
        }, method.OutOfMemoryAdvice));
        return command;
    }

    private static Command ForSampleSets(ISampleSetMethod method)
    {
        var test = new Argument<string>("TEST") { Description = $"embeddings of the test set, e.g. generated samples ({Embeddings.FormatList})" };
        var reference = new Argument<string>("REF") { Description = "embeddings of the reference set, same model and dimension; the row count may differ" };
        var key = new Option<string?>("--key", "--column") { Description = $"{Embeddings.KeyHelp} (both inputs)" };
        var outDir = new Option<string>("--out") { Description = "output directory for results.json and report.html", DefaultValueFactory = _ => "repdiff-out" };
        var nameTest = new Option<string?>("--name-test") { Description = "what the summary and the report call the test set, e.g. 'generated' (default: its file name)" };
        var nameRef = new Option<string?>("--name-ref") { Description = "what the summary and the report call the reference set (default: its file name)" };
        var command = new Command(method.Name, method.Description) { test, reference, key, nameTest, nameRef, outDir };
        var binder = new OptionBinder(method.OptionsType, command);
        var trustBinder = new OptionBinder(typeof(TrustOptions), command);
        command.SetAction(parse => Cli.Guard(() =>
        {
            var options = binder.Bind(parse, method.DefaultOptions());
            var trust = trustBinder.Bind(parse, new TrustOptions());
            string testPath = parse.GetValue(test)!, refPath = parse.GetValue(reference)!, dir = parse.GetValue(outDir)!;
            Outputs.Check(dir);
            // Each set's format is read once, here, and handed to the checks, the readers and the warnings.
            var (testInput, refInput) = (EmbeddingInput.Of(testPath), EmbeddingInput.Of(refPath));
            Embeddings.CheckKey(PairInputOptions.Typed(parse, key) ?? key.Name, parse.GetValue(key), [testInput, refInput]);
            var (testName, refName) = PairSpec.ChooseNames( // before the sets are read: a name clash is refused without reading them
                new(testPath, null, PairInputOptions.Name(parse, nameTest), "--name-test"),
                new(refPath, null, PairInputOptions.Name(parse, nameRef), "--name-ref"), "set");
            var clock = Stopwatch.StartNew();
            using var testRows = Embeddings.OpenRows(testInput, parse.GetValue(key));
            using var refRows = Embeddings.OpenRows(refInput, parse.GetValue(key));
            // Sets read by their content as another format than their names say: said once, as the pair commands say it, and kept in results.json.
            var inputWarnings = Embeddings.FormatWarnings(testInput, refInput);
            foreach (string warning in inputWarnings) Cli.Warn(warning);
            var notes = new List<string>();
            var (fixedScale, _) = FixedScale(options);
            var rows = ValueRange.Fit([testRows, refRows], [testRows.Name, refRows.Name], joint: true, fixedScale, notes);
            foreach (string note in notes) Cli.Warn(note);
            var sets = new SampleSets(rows[0], rows[1]) { NameTest = testName, NameRef = refName };
            RerunSize.CheckBeforeRun(method, sets, trust);
            double opening = clock.Elapsed.TotalSeconds;
            var (explanation, origin) = ProgressDisplay.Run(progress =>
            {
                var result = method.Run(sets, options, progress);
                var (origin, hashing) = Origin(new[] { ("test", testPath), ("ref", refPath) }.Concat(OptionsSchema.Files(options)), progress);
                result.Timings[HashTiming] = hashing;
                Stability.Measure(method, sets, result, trust.ResamplesFor(method), progress);
                if (trust.Validates()) HeldOutValidation.Run(method, options, sets, result, progress);
                return (result, origin);
            });
            SayCautions(trust, method.Cautions(sets, explanation.ResolvedOptions!));
            // The same stage names as a pair's results.json, so every stage outside the method is timed here too.
            explanation.Timings["open_inputs"] = opening;
            var model = Time(explanation, "report_model", () => ReportModel.ForSampleSets(sets, explanation, $"RepDiff {method.Name}: {sets.NameTest} vs {sets.NameRef}", inputWarnings));
            model.Origin = origin;
            var inputFiles = new Dictionary<string, string> { ["test"] = Path.GetFileName(testPath), ["ref"] = Path.GetFileName(refPath) };
            Outputs.Write(dir, model, rendering =>
            {
                explanation.Timings[Outputs.RenderTiming] = rendering;
                return ResultsFile.SingleMethod(explanation, inputFiles, null, new SampleInfo(), origin, model.Findings.FirstOrDefault(), warnings: model.Warnings);
            }, explanation.Artifacts);
            Summary.Print(model, explanation);
            Outputs.Announce(dir, model, explanation.Artifacts.Keys);
            return 0;
        }, method.OutOfMemoryAdvice));
        return command;
    }

    /// <summary>
    /// Why --trust measured no stability for a method (sae: each rerun retrains it), one line each: results.json and the
    /// report said so, the terminal had not.
    /// </summary>
    public static void SayStabilityLeftOut(IEnumerable<Explanation> explanations)
    {
        foreach (var explanation in explanations)
            if (Stability.NoteOf(explanation) is { } note) Cli.Warn($"{explanation.Method}: {note}");
    }

    /// <summary>
    /// The settings of a finished run that leave its answer saying little, one warning each: after the run, so a run refused
    /// for another reason prints its one error line alone.
    /// </summary>
    public static void SayCautions(TrustOptions trust, IEnumerable<string> cautions)
    {
        if (trust.Caution() is { } stability) Cli.Warn(stability);
        foreach (string caution in cautions) Cli.Warn(caution);
    }

    /// <summary>The progress stage of the report's model, its maps most of it.</summary>
    private const string ReportModelStage = "report model";

    /// <summary>results.json's timing of <see cref="Origin"/>'s hashing.</summary>
    public const string HashTiming = "hash_inputs";

    /// <summary>
    /// The run's command as typed and its input files' fingerprints, with the seconds hashing took, shown as progress. Called
    /// once the method has run, as the last refusals of its options and inputs come from its run: a refused run hashes nothing
    /// and prints one line.
    /// </summary>
    public static (RunOrigin Origin, double Seconds) Origin(IEnumerable<(string Key, string Path)> files, IProgress<ProgressUpdate> progress)
    {
        var clock = Stopwatch.StartNew();
        var fingerprints = InputFingerprints.Of(files, progress);
        return (new RunOrigin(Cli.TypedCommand, fingerprints), clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The pair with out-of-range values rescaled (<see cref="ValueRange"/>; the same pair when none are),
    /// a warning per rescaled input. Options in the data's units (a bandwidth, frequencies) forbid rescaling.
    /// </summary>
    public static RepresentationPair FitValueRange(RepresentationPair pair, object? options)
    {
        var (fixedA, fixedB) = FixedScale(options);
        var result = ValueRange.Fit(pair, fixedA, fixedB, out var notes);
        foreach (string note in notes) Cli.Warn(note);
        return result;
    }

    /// <summary>
    /// The flags of an options record given in the data's own units, which tie a method's answer to the
    /// scale: Gaussian bandwidths and frequency files (for the cosine kernel they do not matter).
    /// </summary>
    private static (string? A, string? B) FixedScale(object? options)
    {
        if (options is null) return (null, null);
        // The record's own schema (cached when its command was built), not reflection on its runtime type.
        var specs = OptionsSchema.Bound(options);
        object? ValueOf(string name) => specs.FirstOrDefault(s => s.Name == name)?.Property.GetValue(options);
        if (ValueOf("Kernel")?.ToString() == "Cosine") return (null, null);
        string? Given(params string[] names) => names.FirstOrDefault(n => ValueOf(n) is not null) is { } name ? OptionSpec.FlagOf(name) : null;
        string? shared = Given("Sigma", "Omega");
        return (Given("SigmaA", "OmegaA") ?? shared, Given("SigmaB", "OmegaB") ?? shared);
    }

    private static T Time<T>(Explanation explanation, string stage, Func<T> work)
    {
        var clock = Stopwatch.StartNew();
        var result = work();
        explanation.Timings[stage] = clock.Elapsed.TotalSeconds;
        return result;
    }

    /// <summary>A timed stage that also shows on the progress display, as a start and an end when it reports nothing itself.</summary>
    private static T Time<T>(Explanation explanation, string stage, IProgress<ProgressUpdate> progress, string shown, Func<T> work)
    {
        progress.Report(shown, 0);
        var result = Time(explanation, stage, work);
        progress.Report(shown, 1);
        return result;
    }

    private static void Time(Explanation explanation, string stage, IProgress<ProgressUpdate> progress, string shown, Action work)
        => Time<int>(explanation, stage, progress, shown, () => { work(); return 0; });
}
