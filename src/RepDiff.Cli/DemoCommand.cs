using System.CommandLine;
using RepDiff;
using RepDiff.Demo;
using RepDiff.IO;
using RepDiff.Report;

namespace RepDiff.Cli;

/// <summary>
/// `repdiff demo`: the RDX authors' digit experiments on real data with no setup. Trains small MLPs
/// on the bundled UCI digits, compares their hidden layers with every method, and writes one report
/// per pair plus an index page.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "output directory", DefaultValueFactory = _ => "repdiff-demo" };
        var seed = new Option<int>("--seed") { Description = "random seed for training and the methods", DefaultValueFactory = _ => 0 };
        var methods = new Option<string?>("--methods") { Description = "comma-separated methods to run (default: every method that applies)" };
        var command = new Command("demo", "Train two pairs of small digit classifiers and show how their representations differ.") { outDir, seed, methods };
        command.SetAction(parse => Cli.Guard(() =>
        {
            string dir = parse.GetValue(outDir)!;
            OutputFolder.Check(dir, "index.html");
            int s = parse.GetValue(seed);
            var digits = Optdigits.Load(Optdigits.FindDataFile());
            var results = ProgressDisplay.Run(progress => DigitsExperiment.Build(digits, s, progress)
                .Select(demo => (Demo: demo, Comparison: Comparison.Run(demo.Pair,
                    DigitsExperiment.WithPublishedRdxConfig(parse.GetValue(methods) is { } list
                        ? Comparison.ParseMethods(list, demo.Pair) : Comparison.DefaultMethods(demo.Pair)), s, progress)))
                .ToList());
            var entries = new List<IndexEntry>();
            // Every pair's folder and the index appear together: staged beside --out, then swapped in.
            using (var folder = OutputFolder.Begin(dir, "index.html"))
            {
                foreach (var (demo, comparison) in results)
                {
                    // The representations are made here, not read: name them by model.
                    comparison.Inputs["a"] = demo.Pair.NameA;
                    comparison.Inputs["b"] = demo.Pair.NameB;
                    comparison.Inputs["images"] = "data/optdigits/optdigits.csv.gz";
                    string html = Outputs.RenderComparison(Path.Combine(dir, demo.Slug), comparison, title: demo.Title, intro: demo.Intro);
                    Outputs.Write(folder, demo.Slug, comparison.ToJson(), html, InputFiles(demo.Pair));
                    entries.Add(new IndexEntry(demo.Title, demo.Intro, $"{demo.Slug}/report.html", comparison));
                }
                folder.WriteText("index.html", IndexPage.Render("RepDiff demo: how do two digit classifiers differ?", entries));
                folder.Commit();
            }
            string index = Path.Combine(dir, "index.html");
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

    /// <summary>The demo's representations and sample information as side files, so any command can be run on them.</summary>
    private static Dictionary<string, Action<string>> InputFiles(RepresentationPair pair)
    {
        var files = new Dictionary<string, Action<string>>
        {
            ["a.npy"] = path => Npy.Write(path, pair.A),
            ["b.npy"] = path => Npy.Write(path, pair.B),
        };
        if (pair.Samples.Labels is { } labels)
            files["labels.txt"] = path => File.WriteAllText(path, string.Join('\n', Enumerable.Range(0, pair.N).Select(i => labels[i])) + "\n");
        if (pair.Samples.Images is { Pixels: { } pixels } images)
            files["images.npy"] = path => Npy.Write(path, pixels, images.Channels == 1
                ? [images.Count, images.Height, images.Width]
                : [images.Count, images.Height, images.Width, images.Channels]);
        return files;
    }
}
