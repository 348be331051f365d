using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RepDiff.Methods;
using RepDiff.Methods.Rdx;
using RepDiff.Methods.Spec;
using RepDiff.Metrics;
using RepDiff.Options;

namespace RepDiff.Tests.Options;

/// <summary>
/// The options schema without run-time reflection over arbitrary types (what makes the Native AOT binary possible)
/// must read, copy and write option records exactly as the reflection-based serializer did.
/// </summary>
public class OptionsSchemaTests
{
    // What results.json's "parameters" was before: the record serialized by System.Text.Json's reflection.
    private static readonly JsonSerializerOptions ReflectionJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static TheoryData<string> MethodNames()
    {
        var data = new TheoryData<string>();
        foreach (var method in MethodRegistry.Default.Methods) data.Add(method.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void ParametersAreWhatTheReflectionSerializerWrote(string name)
    {
        var method = MethodRegistry.Default.Find(name)!;
        var defaults = method.DefaultOptions();
        var specs = OptionsSchema.Of(method.OptionsType);
        // Every option set away from its default (numbers nudged, enums to their last value, booleans flipped).
        var changed = new Dictionary<OptionSpec, object?>();
        foreach (var spec in specs)
        {
            object? value = spec.Default switch
            {
                int i => i + 1,
                double d => d * 1.5 + 0.25,
                bool b => !b,
                Enum => spec.Parse(spec.Choices![^1]),
                _ => spec.Default,
            };
            changed[spec] = value;
        }
        var options = OptionsSchema.With(method.OptionsType, defaults, changed);

        var written = typeof(OptionsSchema).GetMethod(nameof(OptionsSchema.ToJson))!.MakeGenericMethod(method.OptionsType)
            .Invoke(null, [options]) as JsonObject;
        var expected = JsonSerializer.SerializeToNode(options, method.OptionsType, ReflectionJson)!.AsObject();

        Assert.True(JsonNode.DeepEquals(expected, written), $"{name}: {written!.ToJsonString()} vs {expected.ToJsonString()}");
        Assert.Equal(expected.Select(p => p.Key).Order(), written!.Select(p => p.Key).Order());
    }

    [Fact]
    public void WithCopiesTheRecordAndLeavesTheDefaultsAlone()
    {
        var defaults = new RdxOptions();
        var beta = OptionsSchema.Of(typeof(RdxOptions)).Single(s => s.Name == nameof(RdxOptions.Beta));

        var copy = (RdxOptions)OptionsSchema.With(typeof(RdxOptions), defaults, new Dictionary<OptionSpec, object?> { [beta] = 7.5 });

        Assert.Equal(7.5, copy.Beta);
        Assert.Equal(new RdxOptions().Beta, defaults.Beta);
        Assert.Equal(defaults with { Beta = 7.5 }, copy);
    }

    // The CLI marks the flags a user typed so an unread option given at its default is refused; resolving (a `with`)
    // keeps the mark, and it is no part of the options' values.
    [Fact]
    public void GivenOptionsSurviveResolvingAndDoNotChangeEquality()
    {
        var given = (RdxOptions)new RdxOptions().WithGiven([nameof(RdxOptions.Beta)]);
        var resolved = given with { Gamma = 0.04 };
        Assert.True(resolved.WasGiven(nameof(RdxOptions.Beta)));
        Assert.False(resolved.WasGiven(nameof(RdxOptions.Gamma)));
        Assert.Equal(new RdxOptions(), given);
        Assert.Equal(new RdxOptions().GetHashCode(), given.GetHashCode());
        Assert.NotEqual(new RdxOptions(), given with { Beta = 1 });
        Assert.NotEqual<MethodOptions>(new RdxOptions(), new SpecOptions());
    }

    [Fact]
    public void OptionsAreInDeclarationOrderBaseRecordFirst()
    {
        var names = OptionsSchema.Of(typeof(ContextMetricsOptions)).Select(s => s.Name).ToList();
        Assert.Equal(nameof(ContextMetricsOptions.Seed), names[0]);
        Assert.Equal(nameof(ContextMetricsOptions.Neighbours), names[1]);

        Assert.Equal(nameof(MethodOptions.Seed), OptionsSchema.Of(typeof(RdxOptions))[0].Name);
    }

    [Fact]
    public void EnumNamesComeFromTheirAttributeOrKebabCase()
    {
        var clustering = OptionsSchema.Of(typeof(RdxOptions)).Single(s => s.Name == nameof(RdxOptions.Clustering));

        Assert.Contains("pagerank", clustering.Choices!);
        Assert.Equal(RdxClustering.PageRank, clustering.Parse("PageRank"));
        Assert.Equal("eigencentrality", OptionSpec.EnumName(RdxClustering.EigenCentrality));
    }

    [Fact]
    public void AWholeNumberPast32BitsIsOutOfRangeNotNoNumber()
    {
        var schema = OptionsSchema.Of(typeof(RdxOptions));
        var seed = schema.Single(s => s.Name == nameof(RdxOptions.Seed));
        var concepts = schema.Single(s => s.Name == nameof(RdxOptions.Concepts));

        Assert.Equal(-1, seed.Parse("-1"));
        Assert.Equal("'2147483648' is out of range (from 0 to 2147483646)", Assert.Throws<InvalidOptionException>(() => seed.Parse("2147483648")).Problem);
        Assert.Equal("'99999999999' is out of range (from 1 to 1000)", Assert.Throws<InvalidOptionException>(() => concepts.Parse("99999999999")).Problem);
        Assert.Equal("'1.5' is not a whole number (from 1 to 1000)", Assert.Throws<InvalidOptionException>(() => concepts.Parse("1.5")).Problem);
    }

    [Fact]
    public void ARecordWhoseSchemaWasNotReadIsNamed()
    {
        var error = Assert.Throws<InvalidOperationException>(() => OptionsSchema.Bound(new UnreadOptions()));
        Assert.Contains(nameof(UnreadOptions), error.Message);
    }

    private sealed record UnreadOptions
    {
        [Option("never read by a schema")]
        public int Value { get; init; }
    }
}
