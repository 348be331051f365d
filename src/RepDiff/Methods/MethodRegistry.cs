using RepDiff.Methods.Baselines;
using RepDiff.Methods.Finc;
using RepDiff.Methods.Groups;
using RepDiff.Methods.Koda;
using RepDiff.Methods.Rdx;
using RepDiff.Methods.Spec;

namespace RepDiff.Methods;

/// <summary>
/// The methods RepDiff knows: each gets a command with its options, a place in `compare` (pair methods)
/// and a report section. Adding a method is its folder plus one line in <see cref="Default"/>.
/// </summary>
public sealed class MethodRegistry
{
    public static MethodRegistry Default { get; } = new(
    [
        new RdxMethod(),
        new SpecMethod(),
        new KodaMethod(),
        new SpecAlignMethod(),
        new FincMethod(),
        new KMeansMethod(),
        new PcaMethod(),
        new NmfMethod(),
        new SaeMethod(),
        new GivenGroupsMethod(),
    ]);

    /// <summary>Every method, in the order they run in compare and appear in reports.</summary>
    public IReadOnlyList<IMethod> Methods { get; }

    public MethodRegistry(IEnumerable<IMethod> methods)
    {
        Methods = methods.ToList();
        var repeated = Methods.GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"two methods are named '{repeated.Key}'");
    }

    /// <summary>This registry with more methods after its own (e.g. a method of a plug-in or a test).</summary>
    public MethodRegistry With(params IMethod[] more) => new(Methods.Concat(more));

    /// <summary>The methods that take a pair of representations of the same samples.</summary>
    public IEnumerable<IPairMethod> PairMethods => Methods.OfType<IPairMethod>();

    public IMethod? Find(string name) => Methods.FirstOrDefault(m => m.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>What compare runs when no methods are named: every pair method that runs by default and applies.</summary>
    public IReadOnlyList<IPairMethod> CompareDefaults(RepresentationPair pair)
        => PairMethods.Where(m => m.InCompareByDefault && m.Applies(pair)).ToList();

    /// <summary>The default methods that do not apply to the pair (KODA above 1,000 samples), each with why: said, never silent.</summary>
    public Dictionary<string, string> LeftOutOfCompare(RepresentationPair pair)
        => PairMethods.Where(m => m.InCompareByDefault && !m.Applies(pair)).ToDictionary(m => m.Name, m => m.WhyNotApplicable(pair));
}
