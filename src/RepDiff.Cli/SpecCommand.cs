using System.CommandLine;
using RepDiff.IO;
using RepDiff.Methods.Spec;
using RepDiff.Numerics;

namespace RepDiff.Cli;

/// <summary>`repdiff spec A B`: SPEC kernel-difference modes (METHODS §3).</summary>
internal static class SpecCommand
{
    public static Command Create()
    {
        var pairOptions = new PairOptions();
        var kernel = new Option<string>("--kernel") { Description = "gaussian or cosine", DefaultValueFactory = _ => "gaussian" };
        var eta = new Option<double>("--eta") { Description = "weight of B's kernel in (K_A − eta K_B)/n", DefaultValueFactory = _ => 1.0 };
        var sigmaA = new Option<double?>("--sigma-a") { Description = "Gaussian bandwidth of A (default: median pairwise distance)" };
        var sigmaB = new Option<double?>("--sigma-b") { Description = "Gaussian bandwidth of B (default: median pairwise distance)" };
        var modes = new Option<int>("--modes") { Description = "modes per direction", DefaultValueFactory = _ => 10 };
        var members = new Option<int>("--members") { Description = "members per mode", DefaultValueFactory = _ => 50 };
        var grid = new Option<int>("--grid") { Description = "members shown per mode", DefaultValueFactory = _ => 9 };
        var route = new Option<string>("--route") { Description = "auto, exact (n×n kernels), features (cosine) or rff (Gaussian, random Fourier features; streams the rows)", DefaultValueFactory = _ => "auto" };
        var rffDim = new Option<int>("--rff-dim") { Description = "random Fourier frequencies per representation", DefaultValueFactory = _ => 3000 };
        var omegaA = new Option<string?>("--omega-a") { Description = "frequencies for A (.npy, d_A × r, already divided by sigma), e.g. omega_a.npy of an earlier run" };
        var omegaB = new Option<string?>("--omega-b") { Description = "frequencies for B (.npy, d_B × r, already divided by sigma)" };
        var ridge = new Option<double>("--covariance-ridge") { Description = "ε added to the feature covariance before its Cholesky factor; 1e-7 reproduces the authors' code (default 0: equal to the exact route)", DefaultValueFactory = _ => 0.0 };
        var command = new Command("spec", "SPEC: eigenmodes of the kernel difference (K_A − eta K_B)/n; groups one representation clusters more than the other.");
        pairOptions.AddTo(command);
        foreach (var o in new Option[] { kernel, eta, sigmaA, sigmaB, modes, members, grid, route, rffDim, omegaA, omegaB, ridge })
            command.Options.Add(o);
        command.SetAction(parse => Cli.Guard(() =>
        {
            Outputs.Check(parse.GetValue(pairOptions.Out)!, "omega_a.npy", "omega_b.npy");
            var spec = pairOptions.Spec(parse);
            using var rowsA = Embeddings.OpenRows(spec.PathA, spec.KeyA);
            using var rowsB = Embeddings.OpenRows(spec.PathB, spec.KeyB);
            var options = new SpecOptions
            {
                Kernel = ParseKernel(parse.GetValue(kernel)!),
                Eta = parse.GetValue(eta),
                SigmaA = parse.GetValue(sigmaA),
                SigmaB = parse.GetValue(sigmaB),
                Modes = parse.GetValue(modes),
                Members = parse.GetValue(members),
                Grid = parse.GetValue(grid),
                Route = ParseRoute(parse.GetValue(route)!),
                RffDim = parse.GetValue(rffDim),
                OmegaA = parse.GetValue(omegaA) is { } fa ? RandomFourierFeatures.Load(fa, rowsA.Cols).Omega : null,
                OmegaB = parse.GetValue(omegaB) is { } fb ? RandomFourierFeatures.Load(fb, rowsB.Cols).Omega : null,
                CovarianceRidge = parse.GetValue(ridge),
            };
            // Large inputs on a feature route are streamed from the (memory-mapped) files, never loaded whole.
            bool joinById = spec.IdColumn is not null || spec.Ids is not null || spec.IdsA is not null || spec.IdsB is not null;
            bool stream = !joinById && rowsA.Rows == rowsB.Rows && rowsA.Rows > SpecOptions.AutoExactLimit
                && Methods.Spec.Spec.ResolvedRoute(options, rowsA.Rows) != SpecRoute.Exact;
            RepresentationPair pair;
            SpecResult result;
            int seed = parse.GetValue(pairOptions.Seed);
            // Bandwidths and frequencies given by the user are in the data's units: out-of-range data cannot be rescaled then.
            bool cosine = options.Kernel == SpecKernel.Cosine;
            string? fixedA = cosine ? null : options.SigmaA is not null ? "--sigma-a" : options.OmegaA is not null ? "--omega-a" : null;
            string? fixedB = cosine ? null : options.SigmaB is not null ? "--sigma-b" : options.OmegaB is not null ? "--omega-b" : null;
            List<string> rescaled;
            if (stream)
            {
                pair = StreamingPair(spec, rowsA.Rows);
                rescaled = [];
                var a = ValueRange.Fit([rowsA], [rowsA.Name], false, fixedA, rescaled)[0];
                var b = ValueRange.Fit([rowsB], [rowsB.Name], false, fixedB, rescaled)[0];
                foreach (string note in rescaled) Cli.Error.WriteLine($"warning: {TerminalText.Clean(note)}");
                result = ProgressDisplay.Run(progress => Methods.Spec.Spec.Compute(a, b, options, seed, progress, rowsA.Name, rowsB.Name));
            }
            else
            {
                pair = spec.Load();
                rescaled = MethodRunner.FitValueRange(pair, fixedA, fixedB);
                result = ProgressDisplay.Run(progress => Methods.Spec.Spec.Compute(pair.A, pair.B, options, seed, progress, pair.NameA, pair.NameB));
            }
            MethodRunner.NoteRescaling(result.Explanation, rescaled);
            string dir = parse.GetValue(pairOptions.Out)!;
            var sideFiles = new Dictionary<string, Action<string>>();
            if (result.FrequenciesA is { } frequenciesA) sideFiles["omega_a.npy"] = frequenciesA.Save;
            if (result.FrequenciesB is { } frequenciesB) sideFiles["omega_b.npy"] = frequenciesB.Save;
            Outputs.WriteSingle(dir, pair, result.Explanation, sideFiles: sideFiles);
            Summary.Print(pair, result.Explanation);
            Cli.Out.WriteLine($"SPEC-diff {result.Explanation.Metrics["spec_diff"]} (route {result.Explanation.Parameters["route"]})");
            Cli.Out.WriteLine($"Wrote {Path.Combine(dir, "results.json")} and {Path.Combine(dir, "report.html")}"
                + (result.FrequenciesA is null ? "" : " and the frequencies omega_a.npy, omega_b.npy"));
            return 0;
        }));
        return command;
    }

    internal static SpecKernel ParseKernel(string value) => value.ToLowerInvariant() switch
    {
        "gaussian" => SpecKernel.Gaussian,
        "cosine" => SpecKernel.Cosine,
        _ => throw new RepDiffInputException($"--kernel must be gaussian or cosine, got '{value}'"),
    };

    internal static SpecRoute ParseRoute(string value) => value.ToLowerInvariant() switch
    {
        "auto" => SpecRoute.Auto,
        "exact" => SpecRoute.Exact,
        "features" => SpecRoute.Features,
        "rff" => SpecRoute.Rff,
        _ => throw new RepDiffInputException($"--route must be auto, exact, features or rff, got '{value}'"),
    };

    /// <summary>
    /// The pair handed to the report when the rows were streamed: the side information (labels, images,
    /// texts) with zero-column matrices, so nothing of size n × d is loaded.
    /// </summary>
    private static RepresentationPair StreamingPair(PairSpec spec, int n) =>
        new(new Matrix(n, 0), new Matrix(n, 0), spec.LoadSamples(n)) { NameA = Path.GetFileName(spec.PathA), NameB = Path.GetFileName(spec.PathB) };
}
