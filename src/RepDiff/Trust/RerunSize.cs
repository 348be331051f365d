using RepDiff.Options;

namespace RepDiff.Trust;

/// <summary>
/// Runs of a method on a share of the samples (stability's reruns, validation's discovery half): an option that does
/// not fit that share ("450 concepts need at least as many samples, but there are 400") is reported with the share, since the user gave 500.
/// </summary>
internal static class RerunSize
{
    public static T Explained<T>(string what, int kept, int total, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (InvalidOptionException e)
        {
            throw new InvalidOptionException(e.Property, $"{e.Problem} ({what} on {kept:N0} of the {total:N0} samples)");
        }
    }
}
