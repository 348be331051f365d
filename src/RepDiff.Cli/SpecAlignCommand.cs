using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using RepDiff.IO;
using RepDiff.Methods.Spec;

namespace RepDiff.Cli;

/// <summary>`repdiff spec-align A B`: learns a linear head W on B that brings B's cosine kernel toward A's (METHODS §3).</summary>
internal static class SpecAlignCommand
{
    public static Command Create()
    {
        var pairOptions = new PairOptions();
        var mu = new Option<double>("--mu") { Description = "weight of the penalty mu‖W − I‖²", DefaultValueFactory = _ => 1e-2 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3 };
        var steps = new Option<int>("--steps") { Description = "Adam steps (one minibatch each)", DefaultValueFactory = _ => 300 };
        var batch = new Option<int>("--batch-size") { Description = "rows per minibatch", DefaultValueFactory = _ => 512 };
        var holdout = new Option<double>("--holdout") { Description = "fraction of rows held out to report SPEC-diff before and after", DefaultValueFactory = _ => 0.3 };
        var eta = new Option<double>("--eta") { Description = "weight of B's kernel in (K_A − eta K_BW)/n", DefaultValueFactory = _ => 1.0 };
        var command = new Command("spec-align", "SPEC-align: learn W (d_B × d_B, from the identity) minimizing SPEC-diff(A, B W) with the cosine kernel; writes aligned_b.npy, w.npy and align.json.");
        pairOptions.AddTo(command);
        foreach (var o in new Option[] { mu, lr, steps, batch, holdout, eta }) command.Options.Add(o);
        command.SetAction(parse => Cli.Guard(() =>
        {
            string dir = parse.GetValue(pairOptions.Out)!;
            OutputFolder.Check(dir, "aligned_b.npy", "w.npy", "align.json");
            var pair = pairOptions.Spec(parse).Load();
            var options = new SpecAlignOptions
            {
                Mu = parse.GetValue(mu),
                LearningRate = parse.GetValue(lr),
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batch),
                HoldoutFraction = parse.GetValue(holdout),
                Eta = parse.GetValue(eta),
            };
            var result = ProgressDisplay.Run(progress => SpecAlign.Fit(pair.A, pair.B, options, parse.GetValue(pairOptions.Seed), progress));
            var summary = new JsonObject
            {
                ["method"] = "spec-align",
                ["version"] = RepDiffInfo.Version,
                ["n"] = pair.N,
                ["parameters"] = result.Parameters,
                ["metrics"] = new JsonObject { ["spec_diff_before"] = result.SpecDiffBefore, ["spec_diff_after"] = result.SpecDiffAfter },
            };
            using (var folder = OutputFolder.Begin(dir, "aligned_b.npy", "w.npy", "align.json"))
            {
                folder.Write("aligned_b.npy", path => Npy.Write(path, result.AlignedB));
                folder.Write("w.npy", path => Npy.Write(path, result.W));
                folder.WriteText("align.json", summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                folder.Commit();
            }
            Cli.Out.WriteLine($"held-out SPEC-diff (cosine): {result.SpecDiffBefore:G6} before, {result.SpecDiffAfter:G6} after");
            Cli.Out.WriteLine($"Wrote {Path.Combine(dir, "aligned_b.npy")}, w.npy and align.json");
            return 0;
        }));
        return command;
    }
}
