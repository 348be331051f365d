namespace RepDiff.Trust;

/// <summary>
/// What a method's full run on a pair computes over every row that its stability reruns restrict to their subsamples
/// (RDX's neighbour orders, SPEC's exact kernel difference): kept by the full run only when stability will rerun that
/// method (<see cref="Expect"/>, before the full run), handed over once (<see cref="Take{T}"/>), so a run without stability
/// holds nothing longer than before, and the reruns do not compute it a second time.
/// </summary>
public sealed class RerunInputs
{
    private readonly HashSet<string> expected = [];
    private readonly Dictionary<string, object> kept = [];

    /// <summary>Stability will rerun <paramref name="method"/> on subsets of this pair: its full run may keep its inputs.</summary>
    public void Expect(string method) => expected.Add(method);

    /// <summary>Whether the full run of <paramref name="method"/> should keep what its reruns restrict.</summary>
    public bool Expects(string method) => expected.Contains(method);

    /// <summary>Keeps the full run's inputs for the reruns (nothing when none was expected).</summary>
    public void Keep(string method, object inputs)
    {
        if (expected.Contains(method)) kept[method] = inputs;
    }

    /// <summary>The inputs the full run kept, released to the caller (null when none, or of another kind).</summary>
    public T? Take<T>(string method) where T : class
    {
        expected.Remove(method);
        return kept.Remove(method, out var inputs) ? inputs as T : null;
    }
}
