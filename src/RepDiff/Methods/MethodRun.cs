namespace RepDiff.Methods;

/// <summary>A pair method with the options to run it with (compare runs several).</summary>
public sealed record MethodRun(IPairMethod Method, MethodOptions Options)
{
    /// <summary>The method with its defaults and the given seed.</summary>
    public static MethodRun WithDefaults(IPairMethod method, int seed) => new(method, method.DefaultOptions() with { Seed = seed });
}
