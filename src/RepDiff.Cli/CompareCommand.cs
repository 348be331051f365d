using System.CommandLine;
using System.Diagnostics;
using RepDiff;
using RepDiff.IO;
using RepDiff.Methods;
using RepDiff.Methods.Groups;
using RepDiff.Reporting;
using RepDiff.Trust;
using Spectre.Console;

namespace RepDiff.Cli;

/// <summary>
/// `repdiff compare A B`: runs several methods on one pair (default: every registered method that
/// applies), scores them with BSR, and writes one results.json and one report.
/// </summary>
internal static class CompareCommand
{
    /// <summary>
    /// What --methods takes and runs by default (compare and the demo), from the registry, so the help cannot leave out
    /// a method that runs only when named (spec-align).
    /// </summary>
    public static string MethodsDescription(MethodRegistry registry)
    {
        var onlyWhenNamed = Offered(registry).Where(m => !m.InCompareByDefault).Select(m => m.Name).ToList();
        string except = onlyWhenNamed.Count == 0 ? "" : $", except {string.Join(", ", onlyWhenNamed)}, which {(onlyWhenNamed.Count == 1 ? "runs" : "run")} only when named";
        return $"comma-separated methods to run, of: {string.Join(", ", Offered(registry).Select(m => m.Name))} (default: every method that applies to the inputs{except})";
    }

    /// <summary>
    /// The methods --methods can name: every pair method but those whose concepts are given in a file (`groups`), which
    /// need that file: compare takes it as --groups.
    /// </summary>
    private static IEnumerable<IPairMethod> Offered(MethodRegistry registry) => registry.PairMethods.Where(m => !m.ConceptsAreGiven);

    public static Command Create(MethodRegistry registry)
    {
        var pairOptions = new PairInputOptions();
        var methods = new Option<string?>("--methods") { Description = MethodsDescription(registry) };
        var seed = new Option<int>("--seed") { Description = $"random seed of every method, from 0 to {Methods.MethodOptions.MaxSeed}; same inputs, options and seed give the same results", DefaultValueFactory = _ => 0 };
        var groups = new Option<string?>("--groups")
        {
            Description = "groups made elsewhere to rank beside the methods by BSR: a .csv/.tsv or JSON Lines of their members, as `repdiff groups` reads them",
            HelpName = "FILE",
        };
        var linkImages = new Option<bool>("--link-images") { Description = "reference image files from the report instead of embedding them (for large image sets)" };
        var command = new Command("compare", "Run several difference methods on a pair and write one report comparing them.");
        pairOptions.AddTo(command);
        ModelPair.AddTo(command, pairOptions);
        command.Options.Add(methods);
        command.Options.Add(seed);
        command.Options.Add(groups);
        command.Options.Add(linkImages);
        var trustBinder = new OptionBinder(typeof(TrustOptions), command);
        command.SetAction(parse => Cli.Guard(() =>
        {
            var trust = trustBinder.Bind(parse, new TrustOptions());
            string dir = parse.GetValue(pairOptions.Out)!;
            Outputs.Check(dir);
            // Checked before anything is embedded: the groups are read (and each line checked) when every method is prepared.
            string? givenGroups = parse.GetValue(groups) is { } groupsFile ? RegularFile("--groups", groupsFile) : null;
            var given = pairOptions.Spec(parse);
            // Refused rather than ignored, before anything is embedded: there are no image files to reference.
            if (parse.GetValue(linkImages) && (given.Images is null || given.Images.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)))
                throw new RepDiffInputException(given.Images is null
                    ? "--link-images: references the image files of --images, but no --images was given"
                    // A missing images.npy holds nothing: said as every missing file is, not as pixel arrays.
                    : $"--link-images: {Path.GetFileName(RegularFile("--images", given.Images))} holds pixel arrays, not image files to reference; leave --link-images out");
            // With --model-a/-b the output folder is staged from here: new embeddings go there and reach --out with the results.
            int s = Cli.Seed(parse, seed);
            // Read once, before anything is embedded (an unknown name is one line); whether each applies is the pair's to say.
            var named = parse.GetValue(methods) is { } list ? ParseMethods(list, registry) : null;
            // The methods that would run, before the pair exists (whether KODA applies is decided by the pair, and KODA refuses
            // no count): enough to refuse too few samples, for the full run and the trust measures' reruns, before either model embeds them.
            var intended = (named ?? registry.PairMethods.Where(m => m.InCompareByDefault).ToList()).Select(m => MethodRun.WithDefaults(m, s)).ToList();
            var (spec, staged) = ModelPair.Resolve(parse, given, dir, Outputs.Files, n => Comparison.CheckCount(intended, n, trust));
            using var stagedFolder = staged;
            var clock = Stopwatch.StartNew();
            using var opened = spec.OpenToExplain();
            PairInputOptions.SayWhatWasLeftOut(opened);
            spec.RefuseIdenticalValues(opened);
            var pair = MethodCommand.FitValueRange(opened, null);
            double openSeconds = clock.Elapsed.TotalSeconds;
            var runs = (named is null ? registry.CompareDefaults(pair) : Applying(named, pair)).Select(m => MethodRun.WithDefaults(m, s)).ToList();
            // The given groups are one more method of the comparison, scored and ranked as every method's concepts are.
            if (givenGroups is not null) runs.Add(new MethodRun(new GivenGroupsMethod(), new GivenGroupsOptions { Groups = givenGroups, Seed = s }));
            if (runs.Count == 0) throw new RepDiffInputException("no registered method applies to these inputs");
            var leftOut = named is null ? registry.LeftOutOfCompare(pair) : [];
            foreach (var (name, why) in leftOut) Cli.Warn($"{name} is left out: {why}");
            double looks = 0, hashing = 0;
            RunOrigin? origin = null;
            var comparison = ProgressDisplay.Run(progress =>
            {
                looks = ImageLooksStage.Measure(pair.Samples, progress);
                // The report's maps are made beside the context metrics: the report model below takes them.
                var run = Comparison.Run(pair, runs, s, progress, trust, reportMaps: pairOptions.UmapMaps(parse));
                (origin, hashing) = MethodCommand.Origin(givenGroups is null ? spec.InputFiles() : spec.InputFiles().Append(("groups", givenGroups)), progress);
                return run;
            });
            ImageLooksStage.Warn(pair.Samples);
            MethodCommand.SayCautions(trust, []); // every method runs at its defaults: only --stability is the user's
            MethodCommand.SayStabilityLeftOut(comparison.Explanations);
            if (Comparison.RowsMayNotMatch(comparison.Context, pair) is { } misaligned) Cli.Warn(misaligned);
            if (looks > 0) comparison.Timings[ImageLooksStage.Timing] = looks;
            foreach (var (name, why) in leftOut) comparison.LeftOut[name] = why;
            comparison.Timings["open_inputs"] = openSeconds;
            comparison.Timings[MethodCommand.HashTiming] = hashing;
            comparison.Origin = origin;
            foreach (var (key, name) in spec.InputNames()) comparison.Inputs[key] = name;
            var model = Write(dir, comparison, $"RepDiff: {pair.NameA} vs {pair.NameB}", linkImages: parse.GetValue(linkImages), staged: staged);
            ComparisonSummary.Print(comparison, model);
            Outputs.Announce(dir, model, []);
            return 0;
        }));
        return command;
    }

    /// <summary>Writes a comparison's results.json (with the report model's stage times) and its report; returns the report model.</summary>
    /// <param name="staged">The output folder when it was staged before the run (compare --model-a/-b); else one is staged here.</param>
    public static ReportModel Write(string dir, Comparison comparison, string title, string? intro = null, bool linkImages = false, OutputFolder? staged = null)
    {
        // The maps, when the comparison did not make them, are most of this on large pairs (UMAP): shown as progress, not minutes of silence.
        var model = ProgressDisplay.Run(progress => Model(comparison, title, intro, progress: progress));
        Outputs.Write(dir, model, rendering =>
        {
            comparison.Timings[Outputs.RenderTiming] = rendering;
            return comparison.ToJson(model.Findings, model.Warnings);
        }, new Dictionary<string, Matrix>(), linkImages, staged);
        return model;
    }

    /// <summary>
    /// The report model of a comparison, with the maps <see cref="Comparison.Run"/> made when it made them; its time goes into the
    /// comparison's timings, after those maps' seconds.
    /// </summary>
    public static ReportModel Model(Comparison comparison, string title, string? intro = null, string? sampleNoun = null,
        IProgress<ProgressUpdate>? progress = null, bool umapMaps = true)
    {
        var clock = Stopwatch.StartNew();
        // After a dash, not in parentheses: the reason has parentheses of its own (KODA's "(an n×n eigensolve …)").
        if (comparison.LeftOut.Count > 0)
            intro = string.Join(" ", new[] { intro, string.Join(" ", comparison.LeftOut.Select(m => $"Left out: {m.Key} — {m.Value}.")) }.OfType<string>());
        var model = ReportModel.ForPair(comparison.Pair, comparison.Explanations, comparison.Context, title, intro, comparison.Timings, sampleNoun, progress, umapMaps,
            comparison.Maps);
        model.Origin = comparison.Origin;
        comparison.Timings["report_model"] = (comparison.Maps is null ? 0 : comparison.Timings["report_model"]) + clock.Elapsed.TotalSeconds;
        return model;
    }

    /// <summary>A file option's path, once it is a regular file (else one line naming the flag).</summary>
    private static string RegularFile(string flag, string path)
    {
        RepDiffInputException.GivenWith(flag, path, () => FileKind.RequireRegular(path));
        return path;
    }

    private static readonly string[] SimilarityScoreNames = ["cka", "linear-cka", "rbf-cka", "debiased-cka", "mknn", "mutual-knn", "knn", "probe", "probes", "linear-probe", "cca", "svcca", "pwcca", "rsa"];

    /// <summary>
    /// A similarity score named as a method (`--methods rdx,cka`): compare reports CKA and mutual k-NN beside every run,
    /// which "unknown method 'cka'" did not say. CCA and RSA are not computed: the note names what is.
    /// </summary>
    private static string MetricAdvice(string name) => SimilarityScoreNames.Contains(name, StringComparer.OrdinalIgnoreCase)
        ? $" ('{Terminal.Clean(name)}' is a similarity score, not a method: compare reports linear CKA and mutual k-NN beside every run, and `repdiff metrics A B` computes CKA, mutual k-NN and linear probes alone)"
        : "";

    /// <summary>
    /// The methods named in a comma-separated list, in that order, checked as far as that needs no inputs: each is
    /// known and compares two representations (the demo checks this once, before it makes any pair).
    /// </summary>
    public static IReadOnlyList<IPairMethod> ParseMethods(string list, MethodRegistry registry)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new RepDiffInputException("--methods is empty; name at least one method");
        var chosen = new List<IPairMethod>();
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var method = registry.Find(name) ?? throw new RepDiffInputException(
                $"--methods: unknown method '{Terminal.Clean(name)}'; available: {string.Join(", ", Offered(registry).Select(m => m.Name))}" + MetricAdvice(name));
            if (method.ConceptsAreGiven)
                throw new RepDiffInputException($"--methods: {method.Name} scores groups given in a file; give that file to compare as --groups FILE (or run `repdiff {method.Name}`)");
            if (method is not IPairMethod pairMethod)
                throw new RepDiffInputException($"--methods: {method.Name} compares two sample sets, not two representations of the same samples; run `repdiff {method.Name}`");
            chosen.Add(pairMethod);
        }
        return chosen;
    }

    /// <summary>The chosen methods, once each is known to apply to the pair (whether one does can depend on the pair's size).</summary>
    public static IReadOnlyList<IPairMethod> Applying(IReadOnlyList<IPairMethod> chosen, RepresentationPair pair)
    {
        foreach (var method in chosen)
            if (!method.Applies(pair)) throw new RepDiffInputException($"--methods: {method.Name}: {method.WhyNotApplicable(pair)}");
        return chosen;
    }
}
