using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RepDiff.Options;

/// <summary>
/// Reads the options of an options record from its properties: what the CLI binds, what validation
/// checks, and what results.json's "parameters" holds (the resolved record serialized).
/// </summary>
public static class OptionsSchema
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<OptionSpec>> cache = new();

    /// <summary>results.json's conventions for parameters: snake_case keys, enums by their option names, nulls kept.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Every option of the record type, in declaration order (base record's first).</summary>
    public static IReadOnlyList<OptionSpec> Of(Type optionsType) => cache.GetOrAdd(optionsType, type =>
    {
        var defaults = Activator.CreateInstance(type)
            ?? throw new InvalidOperationException($"{type.Name} needs a parameterless constructor");
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .OrderBy(p => Depth(p.DeclaringType!))
            .ThenBy(p => p.MetadataToken)
            .ToList();
        var specs = new List<OptionSpec>();
        foreach (var p in properties)
        {
            var declaration = p.GetCustomAttribute<OptionAttribute>()
                ?? throw new InvalidOperationException($"{type.Name}.{p.Name} is public but not declared with [Option(...)]");
            specs.Add(new OptionSpec(p, declaration, p.GetValue(defaults)));
        }
        return specs;
    });

    /// <summary>Checks every numeric option against its declared range, naming the first that is out of it.</summary>
    public static void Validate(object options)
    {
        foreach (var spec in Of(options.GetType())) spec.Check(spec.Property.GetValue(options));
    }

    /// <summary>The record as results.json's "parameters": every option, with its key, resolved values included.</summary>
    public static JsonObject ToJson(object options)
        => JsonSerializer.SerializeToNode(options, options.GetType(), Json)!.AsObject();

    /// <summary>A copy of the options record with the given properties set (the CLI's values over the defaults).</summary>
    public static object With(object options, IReadOnlyDictionary<OptionSpec, object?> values)
    {
        // Records have a protected copy constructor; a copy keeps init-only semantics away from the caller.
        var copy = options.GetType().GetMethod("<Clone>$")?.Invoke(options, null) ?? options;
        foreach (var (spec, value) in values) spec.Property.SetValue(copy, value);
        return copy;
    }

    private static int Depth(Type type)
    {
        int depth = 0;
        for (var t = type.BaseType; t is not null; t = t.BaseType) depth++;
        return depth;
    }
}
