using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using RepDiff.Options;

namespace RepDiff.Methods;

/// <summary>
/// The steps every method run takes, whatever its input: check the declared ranges, let the method
/// check what depends on the input, resolve options decided at run time (a median bandwidth, 80/n),
/// explain, and record the resolved options as parameters plus the total time.
/// </summary>
internal static class MethodTemplate
{
    public static Explanation Run<[DynamicallyAccessedMembers(OptionsSchema.Members)] TOptions>(IMethod method, TOptions options, Action validate, Func<TOptions> resolve,
        Func<TOptions, Explanation> explain) where TOptions : MethodOptions
    {
        var total = Stopwatch.StartNew();
        OptionsSchema.Validate(options);
        validate();
        var clock = Stopwatch.StartNew();
        var resolved = Resolve(options, resolve);
        double resolving = clock.Elapsed.TotalSeconds;
        var explanation = explain(resolved);
        explanation.Method = method.Name;
        explanation.StrengthMeaning = method.StrengthMeaning;
        explanation.Parameters = OptionsSchema.ToJson(resolved);
        var unread = resolved.UnreadOptions().Select(u => u.Property).ToHashSet();
        foreach (var spec in OptionsSchema.Of(typeof(TOptions)).Where(spec => unread.Contains(spec.Name)))
            explanation.Parameters.Remove(spec.JsonName);
        explanation.ResolvedOptions = resolved;
        if (resolving >= 1e-3) explanation.Timings["resolve_options"] = resolving;
        explanation.Timings["total"] = total.Elapsed.TotalSeconds;
        return explanation;
    }

    /// <summary>
    /// The method's resolved options, refusing an option the resolved run does not read
    /// (<see cref="MethodOptions.UnreadOptions"/>) when the user gave it or it differs from its default.
    /// </summary>
    public static TOptions Resolve<[DynamicallyAccessedMembers(OptionsSchema.Members)] TOptions>(TOptions given, Func<TOptions> resolve)
        where TOptions : MethodOptions
    {
        var resolved = resolve();
        var specs = OptionsSchema.Of(typeof(TOptions));
        foreach (var (property, reason) in resolved.UnreadOptions())
        {
            var spec = specs.Single(spec => spec.Name == property);
            if (given.WasGiven(property) || !Equals(spec.Property.GetValue(given), spec.Default)) throw new InvalidOptionException(property, reason);
        }
        return resolved;
    }

    public static TOptions Cast<TOptions>(IMethod method, MethodOptions options) => options is TOptions typed ? typed
        : throw new ArgumentException($"{method.Name} takes {typeof(TOptions).Name}, not {options.GetType().Name}");
}
