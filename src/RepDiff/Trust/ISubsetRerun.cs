using RepDiff.Methods;

namespace RepDiff.Trust;

/// <summary>
/// A method whose reruns on row subsets of one pair can share work with its full run (distances, ranks,
/// kernels): stability's R reruns then cost far less than R fresh runs (docs/methods/METHODS.md §7).
/// A method without it is rerun on each subset as a fresh pair; both give the same concepts.
/// </summary>
public interface ISubsetRerun
{
    /// <summary>
    /// Prepares the shared work for reruns on subsets of <paramref name="pair"/> with the full run's resolved
    /// options, or returns null when these options leave nothing to share (or it would not fit in memory).
    /// </summary>
    SubsetRun? PrepareSubsetRuns(RepresentationPair pair, MethodOptions resolved, IProgress<ProgressUpdate>? progress);
}
