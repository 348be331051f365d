using System.Reflection;

namespace RepDiff;

public static class RepDiffInfo
{
    /// <summary>The library version written into every result.</summary>
    public static string Version { get; } = InformationalVersion.Split('+')[0];

    /// <summary>
    /// The git commit this build was made from (the SDK appends it to the informational version when it builds
    /// from a clone), so a result can be traced to its code; null for a build outside git.
    /// </summary>
    public static string? Commit { get; } = InformationalVersion.Split('+') is [_, var commit, ..] && commit.Length > 0 ? commit : null;

    private static string InformationalVersion =>
        typeof(RepDiffInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
