namespace RepDiff.Numerics;

internal static class EigenOrder
{
    /// <summary>Sort key: smaller is "more wanted" for the target.</summary>
    public static double Key(double value, EigenTarget target) => target switch
    {
        EigenTarget.Largest => -value,
        EigenTarget.Smallest => value,
        _ => -Math.Abs(value),
    };

    /// <summary>Indices of values in wanted order (ties by index, so the order is deterministic).</summary>
    public static int[] Order(ReadOnlySpan<double> values, EigenTarget target)
    {
        var keys = new double[values.Length];
        for (int i = 0; i < keys.Length; i++) keys[i] = Key(values[i], target);
        var idx = Enumerable.Range(0, values.Length).ToArray();
        Array.Sort(idx, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
        return idx;
    }

    /// <summary>Indices alternating between the ends: largest, smallest, second largest, second smallest, ... (each once).</summary>
    public static int[] Interleaved(ReadOnlySpan<double> values)
    {
        var descending = Order(values, EigenTarget.Largest);
        var result = new int[values.Length];
        for (int i = 0, lo = 0, hi = values.Length - 1; i < result.Length; i++)
            result[i] = i % 2 == 0 ? descending[lo++] : descending[hi--];
        return result;
    }
}
