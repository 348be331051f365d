using System.Globalization;
using RepDiff.Spectral;

namespace RepDiff.Methods;

/// <summary>
/// An option a run does not read, and why. Declared once per options record (<see cref="MethodOptions.UnreadOptions"/>):
/// given by the user, or set to a value other than its default, the run is refused with <see cref="Reason"/>;
/// otherwise results.json leaves it out of "parameters" rather than record a default that played no part.
/// </summary>
/// <param name="Property">the options-record property ("RffDim")</param>
/// <param name="Reason">why the run does not read it, without the option's name</param>
public readonly record struct UnreadOption(string Property, string Reason)
{
    /// <summary>An option of the streaming feature route, on a run that takes the exact route.</summary>
    public static UnreadOption OffExactRoute(string property, string featureRoute, int autoExactLimit) => new(property,
        string.Create(CultureInfo.InvariantCulture,
            $"is an option of --route {featureRoute}; this run takes the exact route (--route auto does up to {autoExactLimit:N0} samples), which does not read it"));

    /// <summary>A bandwidth or frequency count made moot by frequency files (already divided by sigma).</summary>
    /// <param name="omegaFlags">the flags giving the frequencies, e.g. "--omega-a" or "--omega-a and --omega-b"</param>
    public static UnreadOption BesideFrequencyFiles(string property, string omegaFlags) => new(property,
        $"is not read when {omegaFlags} give{(omegaFlags.Contains(" and ") ? "" : "s")} the frequencies (already divided by sigma, one per column); leave it out");

    /// <summary>A Gaussian bandwidth on a run with another kernel, which has none.</summary>
    public static UnreadOption BandwidthOf(string property, KernelKind kernel) => new(property,
        $"is a bandwidth of the Gaussian kernel; the {kernel.ToString().ToLowerInvariant()} kernel has none (leave it out, or use the Gaussian kernel)");
}
