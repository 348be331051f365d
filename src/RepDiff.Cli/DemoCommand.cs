using System.CommandLine;
using RepDiff;
using RepDiff.Demo;
using RepDiff.IO;
using RepDiff.Methods;
using RepDiff.Report;

namespace RepDiff.Cli;

/// <summary>
/// `repdiff demo`: the RDX authors' digit experiments on real data with no setup. Trains small MLPs
/// on the bundled UCI digits, compares their hidden layers with every method, and writes one report
/// per pair plus an index page.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(MethodRegistry registry)
    {
        var outDir = new Option<string>("--out") { Description = "output directory", DefaultValueFactory = _ => "repdiff-demo" };
        var seed = new Option<int>("--seed") { Description = "random seed for training and the methods", DefaultValueFactory = _ => 0 };
        var methods = new Option<string?>("--methods") { Description = "comma-separated methods to run (default: every method that applies)" };
        var command = new Command("demo", "Train two pairs of small digit classifiers and show how their representations differ.") { outDir, seed, methods };
        command.SetAction(parse => Cli.Guard(() =>
        {
            string dir = parse.GetValue(outDir)!;
            int s = parse.GetValue(seed);
            var digits = Optdigits.Load(Optdigits.FindDataFile());
            string? list = parse.GetValue(methods);
            var results = ProgressDisplay.Run(progress => DigitsExperiment.Build(digits, s, progress)
                .Select(demo => (Demo: demo, Comparison: Comparison.Run(demo.Pair, DigitsExperiment.WithPublishedRdxConfig(
                    (list is null ? registry.CompareDefaults(demo.Pair) : CompareCommand.ParseMethods(list, registry, demo.Pair))
                        .Select(m => MethodRun.WithDefaults(m, s)).ToList()), s, progress)))
                .ToList());
            var entries = new List<IndexEntry>();
            foreach (var (demo, comparison) in results)
            {
                // The representations are made here, not read: name them by model.
                comparison.Inputs["a"] = demo.Pair.NameA;
                comparison.Inputs["b"] = demo.Pair.NameB;
                comparison.Inputs["images"] = "data/optdigits/optdigits.csv.gz";
                string pairDir = Path.Combine(dir, demo.Slug);
                CompareCommand.Write(pairDir, comparison, demo.Title, demo.Intro);
                SaveInputs(pairDir, demo.Pair);
                entries.Add(new IndexEntry(demo.Title, demo.Intro, $"{demo.Slug}/report.html", comparison));
            }
            string index = Path.Combine(dir, "index.html");
            AtomicFile.WriteAllText(index, IndexPage.Render("RepDiff demo: how do two digit classifiers differ?", entries));
            foreach (var (demo, comparison) in results)
            {
                Cli.Out.WriteLine(demo.Title);
                ComparisonSummary.Print(comparison);
            }
            string example = Path.Combine(dir, results[^1].Demo.Slug);
            Cli.Out.WriteLine($"Each pair's inputs are saved beside its report; try another method or option on them, e.g. " +
                $"repdiff rdx {Path.Combine(example, "a.npy")} {Path.Combine(example, "b.npy")} --labels {Path.Combine(example, "labels.txt")} --images {Path.Combine(example, "images.npy")} --gamma 0.1 --out rdx-gamma-0.1");
            Cli.Out.WriteLine($"Open {Path.GetFullPath(index)} in a browser (reports: {string.Join(", ", entries.Select(e => Path.Combine(dir, e.Href)))}).");
            return 0;
        }));
        return command;
    }

    /// <summary>The demo's representations and sample information as files, so any command can be run on them.</summary>
    private static void SaveInputs(string dir, RepresentationPair pair)
    {
        Npy.Write(Path.Combine(dir, "a.npy"), pair.A);
        Npy.Write(Path.Combine(dir, "b.npy"), pair.B);
        if (pair.Samples.Labels is { } labels)
            AtomicFile.WriteAllText(Path.Combine(dir, "labels.txt"), string.Join('\n', Enumerable.Range(0, pair.N).Select(i => labels[i])) + "\n");
        if (pair.Samples.Images is { Pixels: { } pixels } images)
            Npy.Write(Path.Combine(dir, "images.npy"), pixels, images.Channels == 1
                ? [images.Count, images.Height, images.Width]
                : [images.Count, images.Height, images.Width, images.Channels]);
    }
}
