using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
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
        // The assemblies this test run was built from (the test project references the CLI), packed as they are: the pack
        // compiled the four projects again in Release (about half its time) for a package of the same files, whose IL the
        // compiler had only optimized more: nothing asserted here depends on that. ReadyToRun is a publish step, so it runs on them here as it does in a Release
        // pack, for every assembly the package ships. The publish layout goes to this test's folder; the ReadyToRun images
        // are kept, as in any pack, in the project's obj folder (MSBuild puts them there).
        string configuration = typeof(RepDiff.Cli.Cli).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        Run("dotnet", TestData.RepoRoot, "pack", "src/RepDiff.Cli", "-c", configuration, "--no-build", "--no-restore",
            $"-p:PublishDir={Path.Combine(work, "publish")}/", $"-p:NuspecOutputPath={Path.Combine(work, "nuspec")}/", "-o", packages);

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
