using RepDiff.Methods;

namespace RepDiff.Tests.Methods;

/// <summary>
/// `compare` prepares every method (checks and resolves its options) before running any, then runs each with the
/// resolved options, which <see cref="IPairMethod.Run"/> resolves again: that must change nothing and compute nothing new.
/// </summary>
public class PrepareTests
{
    public static TheoryData<string> PairMethodNames()
    {
        var data = new TheoryData<string>();
        foreach (var method in MethodRegistry.Default.PairMethods) data.Add(method.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(PairMethodNames))]
    public void ResolvedOptionsResolveToThemselves(string name)
    {
        var method = (IPairMethod)MethodRegistry.Default.Find(name)!;
        var rng = new Random(3);
        var a = new Matrix(200, 6);
        var b = new Matrix(200, 5);
        for (int i = 0; i < a.Data.Length; i++) a.Data[i] = (float)(rng.NextDouble() * (1 + i % 3));
        for (int i = 0; i < b.Data.Length; i++) b.Data[i] = (float)rng.NextDouble();
        var pair = new RepresentationPair(a, b);
        var options = method.DefaultOptions();
        // The groups method has no default file to read: it is given one whose groups are every tenth row from 0, 1 and 2.
        if (options is RepDiff.Methods.Groups.GivenGroupsOptions given)
        {
            string groups = Path.Combine(TestData.TempDir(), "groups.csv");
            File.WriteAllLines(groups, ["group,row", .. Enumerable.Range(0, 30).Select(k => $"g{k % 3},{k / 3 * 10 + k % 3}")]);
            options = given with { Groups = groups };
        }
        var once = method.Prepare(pair, options);
        Assert.Equal(once, method.Prepare(pair, once));
        Assert.Equal(once.GetType(), method.OptionsType);
    }
}
