using System.CommandLine;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using RepDiff.Numerics;

namespace RepDiff.Cli;

/// <summary>
/// `repdiff info`: how this build runs on this machine (compilation mode, SIMD width, GEMM kernel, BLAS), so a
/// bug report or a benchmark says which code ran. The Native AOT binary fixes its instruction set when it is built.
/// </summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the version, how this build is compiled, the SIMD width and GEMM kernel it uses, and the cores.");
        command.SetAction(_ => Cli.Guard(() =>
        {
            var o = Cli.Out;
            o.WriteLine($"repdiff {RepDiffInfo.Version}{(RepDiffInfo.Commit is { } commit ? $", commit {commit}" : "")}");
            o.WriteLine($"runtime: {RuntimeInformation.FrameworkDescription}, {Compilation()}");
            o.WriteLine($"processor: {RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} cores");
            o.WriteLine($"simd: Vector512 {Accelerated(Vector512.IsHardwareAccelerated)}, Vector256 {Accelerated(Vector256.IsHardwareAccelerated)}");
            o.WriteLine($"gemm: {Gemm.KernelName}");
            o.WriteLine($"openblas: {(NativeBlas.IsAvailable ? "available" : NativeBlas.UnavailableReason)}, {(NativeBlas.Enabled ? "on (REPDIFF_BLAS=openblas)" : "off")}");
            return 0;
        }));
        return command;
    }

    // Native AOT has no JIT; otherwise methods start from ReadyToRun code when the assemblies carry it (the packed tool's
    // do), which "JIT" alone had not told apart from a plain build.
    private static string Compilation() =>
        !RuntimeFeature.IsDynamicCodeSupported ? "Native AOT" : HasReadyToRunCode(typeof(Gemm).Assembly) ? "JIT, with ReadyToRun code" : "JIT";

    /// <summary>Whether an assembly's file carries precompiled (ReadyToRun) code: its CLI header names a native code header.</summary>
    private static bool HasReadyToRunCode(System.Reflection.Assembly assembly)
    {
        // Beside the app, where the tool keeps it; a single-file bundle has no file per assembly to read.
        string path = Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".dll");
        if (!File.Exists(path)) return false;
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(path));
        return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }

    private static string Accelerated(bool yes) => yes ? "accelerated" : "not accelerated";
}
