using System.Globalization;
using RepDiff.Options;

namespace RepDiff.Methods;

/// <summary>
/// Options only the streaming feature routes read (SPEC, FINC): on a run that takes the exact route they used to be
/// recorded in results.json and ignored, so a value other than the default is refused, naming the route and how to
/// take the other one.
/// </summary>
internal static class FeatureRouteOptions
{
    /// <param name="routeGiven">whether --route exact was asked for (else --route auto chose it for n samples)</param>
    /// <param name="featureRoute">the route that reads these options for this kernel (rff, or features for the cosine kernel)</param>
    /// <param name="options">each option's property and whether its value differs from the default</param>
    public static void RefuseOnExactRoute(bool routeGiven, long n, int autoExactLimit, string featureRoute, params (string Property, bool Set)[] options)
    {
        RefuseFirstSet(options, routeGiven
            ? $"--route exact does not read it; it is an option of --route {featureRoute}"
            : string.Create(CultureInfo.InvariantCulture,
                $"{n:N0} samples take the exact route (--route auto up to {autoExactLimit:N0}), which does not read it; give --route {featureRoute} to use it"));
    }

    /// <summary>
    /// Options that frequency files make moot: a bandwidth (the files' frequencies are already divided by sigma) or the
    /// number of frequencies to draw, when files give every representation's. They used to be dropped silently, and
    /// --rff-dim recorded in results.json though the files' own count ran, so a value given with them is refused.
    /// </summary>
    /// <param name="omegaFlags">the flags giving the frequencies the options would have made, e.g. "--omega-a"</param>
    /// <param name="options">each option's property and whether it was given (differs from the default)</param>
    public static void RefuseWithFrequencyFiles(string omegaFlags, params (string Property, bool Set)[] options)
    {
        RefuseFirstSet(options, $"is not read when {omegaFlags} give{(omegaFlags.Contains(" and ") ? "" : "s")} the frequencies (already divided by sigma, one per column); leave it out");
    }

    private static void RefuseFirstSet((string Property, bool Set)[] options, string problem)
    {
        foreach (var (property, set) in options)
            if (set) throw new InvalidOptionException(property, problem);
    }
}
