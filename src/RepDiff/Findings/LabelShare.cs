namespace RepDiff.Findings;

/// <summary>How many of a concept's members carry one label, against that label's share of all samples.</summary>
public sealed record LabelShare(string Label, int Count, double Share, double BaseShare)
{
    /// <summary>Share in the concept over share in the data: above 1, the concept has more of it than chance.</summary>
    public double Enrichment => BaseShare > 0 ? Share / BaseShare : 0;

    /// <summary>The label as a sentence names it (<see cref="SampleLabels.Shown"/>).</summary>
    public string Named => SampleLabels.Shown(Label);
}
