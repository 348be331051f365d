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

    /// <summary>Most characters of a label a sentence, chart or caption shows.</summary>
    public const int MaxShownLength = 80;

    /// <summary>
    /// A label as sentences, charts and captions show it: cut at <see cref="MaxShownLength"/> characters, because a
    /// caption passed as a label would otherwise fill the finding and be repeated in every chart of the report. A character
    /// outside the basic plane is not cut in half: its first half alone had reached the sentence as an invalid character.
    /// </summary>
    public static string Shown(string label) => label.Length <= MaxShownLength ? label : TextCut.Head(label, MaxShownLength);
}
