namespace RepDiff;

/// <summary>Per-sample labels as categories: any strings, coded 0..K-1 in order of first appearance.</summary>
public sealed class SampleLabels
{
    /// <summary>The distinct label names; code c means Names[c].</summary>
    public string[] Names { get; }
    public int[] Codes { get; }

    public SampleLabels(IReadOnlyList<string> labels)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        Codes = new int[labels.Count];
        for (int i = 0; i < labels.Count; i++)
        {
            if (!index.TryGetValue(labels[i], out int code))
            {
                code = names.Count;
                index[labels[i]] = code;
                names.Add(labels[i]);
            }
            Codes[i] = code;
        }
        Names = names.ToArray();
    }

    public string this[int sample] => Names[Codes[sample]];
}
