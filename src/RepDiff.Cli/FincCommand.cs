using System.CommandLine;
using RepDiff.IO;
using RepDiff.Methods.Finc;
using RepDiff.Numerics;

namespace RepDiff.Cli;

/// <summary>`repdiff finc TEST REF`: modes more frequent in one sample set than the other, in one representation (METHODS §4).</summary>
internal static class FincCommand
{
    public static Command Create()
    {
        var test = new Argument<string>("TEST") { Description = "embeddings of the test set, e.g. generated samples (.npy, .npz, .safetensors, .csv, .tsv)" };
        var reference = new Argument<string>("REF") { Description = "embeddings of the reference set, same model and dimension; the row count may differ" };
        var key = new Option<string?>("--key") { Description = "array name inside .npz/.safetensors files (both inputs)" };
        var eta = new Option<double>("--eta") { Description = "weight of the reference covariance in C_test − eta C_ref", DefaultValueFactory = _ => 1.0 };
        var sigma = new Option<double?>("--sigma") { Description = "Gaussian bandwidth shared by both sets (default: median pairwise distance of the pooled rows)" };
        var rffDim = new Option<int>("--rff-dim") { Description = "random Fourier frequencies", DefaultValueFactory = _ => 3000 };
        var omega = new Option<string?>("--omega") { Description = "shared frequencies (.npy, d × r, already divided by sigma), e.g. omega.npy of an earlier run" };
        var modes = new Option<int>("--modes") { Description = "modes per direction", DefaultValueFactory = _ => 10 };
        var members = new Option<int>("--members") { Description = "members per mode", DefaultValueFactory = _ => 50 };
        var grid = new Option<int>("--grid") { Description = "members shown per mode", DefaultValueFactory = _ => 9 };
        var route = new Option<string>("--route") { Description = "auto, exact (pooled n×n kernel) or rff (streams the rows)", DefaultValueFactory = _ => "auto" };
        var outDir = new Option<string>("--out") { Description = "output directory for results.json and report.html", DefaultValueFactory = _ => "repdiff-out" };
        var seed = new Option<int>("--seed") { Description = "random seed; same inputs, options and seed give the same results", DefaultValueFactory = _ => 0 };
        var command = new Command("finc", "FINC: modes more frequent in TEST than in REF and the reverse. Members of more_frequent_in_test are rows of TEST, of more_frequent_in_ref rows of REF.")
        {
            test, reference, key, eta, sigma, rffDim, omega, modes, members, grid, route, outDir, seed,
        };
        command.SetAction(parse => Cli.Guard(() =>
        {
            string testPath = parse.GetValue(test)!, refPath = parse.GetValue(reference)!;
            Outputs.Check(parse.GetValue(outDir)!, "omega.npy");
            using var testRows = Embeddings.OpenRows(testPath, parse.GetValue(key));
            using var refRows = Embeddings.OpenRows(refPath, parse.GetValue(key));
            var options = new FincOptions
            {
                Eta = parse.GetValue(eta),
                Sigma = parse.GetValue(sigma),
                RffDim = parse.GetValue(rffDim),
                Omega = parse.GetValue(omega) is { } f ? RandomFourierFeatures.Load(f, testRows.Cols).Omega : null,
                Modes = parse.GetValue(modes),
                Members = parse.GetValue(members),
                Grid = parse.GetValue(grid),
                Route = parse.GetValue(route)!.ToLowerInvariant() switch
                {
                    "auto" => FincRoute.Auto,
                    "exact" => FincRoute.Exact,
                    "rff" => FincRoute.Rff,
                    var other => throw new RepDiffInputException($"--route must be auto, exact or rff, got '{other}'"),
                },
            };
            var rescaled = new List<string>();
            var sets = ValueRange.Fit([testRows, refRows], [testRows.Name, refRows.Name], joint: true,
                options.Sigma is not null ? "--sigma" : options.Omega is not null ? "--omega" : null, rescaled);
            foreach (string note in rescaled) Cli.Error.WriteLine($"warning: {TerminalText.Clean(note)}");
            var result = ProgressDisplay.Run(progress => Finc.Compute(sets[0], sets[1], options, parse.GetValue(seed), progress, testRows.Name, refRows.Name));
            MethodRunner.NoteRescaling(result.Explanation, rescaled);
            // The report shows sample indices only: a pair without embedding columns, as long as the larger set.
            int n = result.Explanation.N;
            var pair = new RepresentationPair(new Matrix(n, 0), new Matrix(n, 0)) { NameA = Path.GetFileName(testPath), NameB = Path.GetFileName(refPath) };
            string dir = parse.GetValue(outDir)!;
            var sideFiles = new Dictionary<string, Action<string>>();
            if (result.Frequencies is { } frequencies) sideFiles["omega.npy"] = frequencies.Save;
            Outputs.WriteSingle(dir, pair, result.Explanation, sideFiles: sideFiles);
            Summary.Print(pair, result.Explanation);
            Cli.Out.WriteLine($"Wrote {Path.Combine(dir, "results.json")} and {Path.Combine(dir, "report.html")}"
                + (result.Frequencies is null ? "" : " and the frequencies omega.npy"));
            return 0;
        }));
        return command;
    }
}
