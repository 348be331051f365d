using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.PortableExecutable;

namespace RepDiff.Tests.Cli;

/// <summary>
/// The README's install commands: `dotnet pack` makes a tool package whose assemblies are ReadyToRun (so a command does
/// not start by compiling RepDiff), and `dotnet tool install` from it gives a `repdiff` command that runs.
/// </summary>
public class ToolPackageTests
{
    [Fact]
    public void PackedToolIsReadyToRunAndInstallsAsARunningCommand()
    {
        string work = TestData.TempDir();
        try
        {
            PackAndInstall(work);
        }
        finally
        {
            Directory.Delete(work, recursive: true);  // the build outputs are about 100 MB
        }
    }

    private static void PackAndInstall(string work)
    {
        string packages = Path.Combine(work, "nupkg"), tools = Path.Combine(work, "tools");
        // Its own artifacts folder, so the pack neither shares build outputs with the tree nor with other tests. Without the
        // analyzers, which change no byte of the compiled assemblies and ran on the same sources when this test project was
        // built: they were about two thirds of the compilers' time, the pack 257 s -> 138 s at load 12-18.
        Run("dotnet", TestData.RepoRoot, "pack", "src/RepDiff.Cli", "-c", "Release", "-p:RunAnalyzers=false",
            "--artifacts-path", Path.Combine(work, "artifacts"), "-o", packages);

        string package = Assert.Single(Directory.GetFiles(packages, "repdiff.*.nupkg"));
        using (var zip = ZipFile.OpenRead(package))
            foreach (string assembly in new[] { "RepDiff.dll", "RepDiff.Cli.dll", "RepDiff.Report.dll", "RepDiff.Embedding.dll" })
            {
                var entry = Assert.Single(zip.Entries, e => e.FullName.StartsWith("tools/", StringComparison.Ordinal) && e.Name == assembly);
                using var copy = new MemoryStream();
                using (var stream = entry.Open()) stream.CopyTo(copy);
                copy.Position = 0;
                using var pe = new PEReader(copy);
                // A ReadyToRun image points its CLI header's managed native header at the compiled code's directory.
                Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{assembly} in the tool package is not ReadyToRun");
            }

        // The package just made and no other source: with nuget.org beside it (--add-source), a package of the same name there, at
        // a higher version, would be installed and run in its place.
        string config = Path.Combine(work, "nuget.config");
        File.WriteAllText(config, $"""
            <configuration>
              <packageSources><clear /><add key="packed" value="{packages}" /></packageSources>
            </configuration>
            """);
        Run("dotnet", work, "tool", "install", "--tool-path", tools, "--configfile", config, "repdiff");
        string version = Run(Path.Combine(tools, "repdiff"), work, "--version");
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Trim());
        // The packed tool is ReadyToRun, and info says so (it had said "JIT" as a plain build does).
        Assert.Contains("JIT, with ReadyToRun code", Run(Path.Combine(tools, "repdiff"), work, "info"));
    }

    /// <summary>The tests' own build is plain IL: info says JIT alone, as the packed tool's says it has ReadyToRun code.</summary>
    [Fact]
    public void InfoOfAPlainBuildSaysJitAlone()
    {
        var info = Robustness.CliHarness.Run("info");
        Assert.Equal(0, info.Code);
        Assert.Matches(@"(?m)^runtime: .*, JIT$", info.Stdout);
    }

    /// <summary>Runs a program to completion (at most 10 minutes) and returns its standard output; fails with its output otherwise.</summary>
    private static string Run(string program, string directory, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(600_000), $"{program} {string.Join(' ', args)} did not finish in 10 minutes");
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited with {process.ExitCode}:\n{output}\n{error.Result}");
        return output;
    }
}
