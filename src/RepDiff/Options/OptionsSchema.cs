using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json.Nodes;

namespace RepDiff.Options;

/// <summary>
/// Reads the options of an options record from its properties: what the CLI binds, what validation
/// checks, and what results.json's "parameters" holds (the resolved record). Trim- and AOT-safe: every
/// record type reaches it through a <see cref="DynamicallyAccessedMembersAttribute"/>-annotated
/// <see cref="Type"/> (the method's options type parameter), which keeps its constructor and properties.
/// </summary>
public static class OptionsSchema
{
    /// <summary>What an options record type needs kept for its schema: a parameterless constructor and its properties.</summary>
    public const DynamicallyAccessedMemberTypes Members =
        DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicProperties;

    private static readonly ConcurrentDictionary<Type, IReadOnlyList<OptionSpec>> cache = new();

    /// <summary>Every option of the record type, in declaration order (base record's first).</summary>
    public static IReadOnlyList<OptionSpec> Of([DynamicallyAccessedMembers(Members)] Type optionsType)
        => cache.TryGetValue(optionsType, out var specs) ? specs : cache.GetOrAdd(optionsType, Read(optionsType));

    /// <summary>
    /// The options of a record whose type's schema was read already (by its command's binder or its method's run):
    /// for code that holds the record as <see cref="object"/> and must not reflect on its runtime type.
    /// </summary>
    public static IReadOnlyList<OptionSpec> Bound(object options)
        => cache.TryGetValue(options.GetType(), out var specs) ? specs
            : throw new InvalidOperationException($"the options schema of {options.GetType().Name} has not been read");

    /// <summary>The files a bound options record names (its given `IsFile` options), by their results.json parameter keys.</summary>
    public static IEnumerable<(string Key, string Path)> Files(object options) =>
        Bound(options).Where(spec => spec.Declaration.IsFile).Select(spec => (spec.JsonName, Path: spec.Property.GetValue(options) as string))
            .Where(file => file.Path is not null).Select(file => (file.JsonName, file.Path!));

    /// <summary>Checks every numeric option against its declared range, naming the first that is out of it.</summary>
    public static void Validate<[DynamicallyAccessedMembers(Members)] T>(T options) where T : notnull
        => Validate(typeof(T), options);

    /// <summary>As <see cref="Validate{T}"/>, for a record held as its base type (the schema is <paramref name="optionsType"/>'s).</summary>
    public static void Validate([DynamicallyAccessedMembers(Members)] Type optionsType, object options)
    {
        foreach (var spec in Of(optionsType)) spec.Check(spec.Property.GetValue(options));
    }

    /// <summary>
    /// The record as results.json's "parameters": every option under its snake_case key, enums by their option
    /// names, numbers and booleans as themselves, nulls kept (written from the schema, so no serializer reflects).
    /// </summary>
    public static JsonObject ToJson<[DynamicallyAccessedMembers(Members)] T>(T options) where T : notnull
    {
        var json = new JsonObject();
        foreach (var spec in Of(typeof(T))) json[spec.JsonName] = ToNode(spec.Property.GetValue(options));
        return json;
    }

    /// <summary>A copy of the options record with the given properties set (the CLI's values over the defaults).</summary>
    public static object With([DynamicallyAccessedMembers(Members)] Type optionsType, object options, IReadOnlyDictionary<OptionSpec, object?> values)
    {
        // A fresh record with every option copied: all public properties of an options record are options, so
        // this is the record's own copy, and the caller's record (possibly shared defaults) stays as it was.
        var copy = Activator.CreateInstance(optionsType)
            ?? throw new InvalidOperationException($"{optionsType.Name} needs a parameterless constructor");
        var specs = Of(optionsType);
        foreach (var spec in specs) spec.Property.SetValue(copy, spec.Property.GetValue(options));
        foreach (var (spec, value) in values)
        {
            if (!specs.Contains(spec)) throw new ArgumentException($"{spec.Name} is not an option of {optionsType.Name}");
            spec.Property.SetValue(copy, value);
        }
        return copy;
    }

    private static IReadOnlyList<OptionSpec> Read([DynamicallyAccessedMembers(Members)] Type type)
    {
        if (type.IsAbstract) throw new InvalidOperationException($"{type.Name} is abstract: an options schema is of a concrete record");
        var defaults = Activator.CreateInstance(type)
            ?? throw new InvalidOperationException($"{type.Name} needs a parameterless constructor");
        var specs = new List<OptionSpec>();
        foreach (var p in DeclarationOrder(type))
        {
            var declaration = p.GetCustomAttribute<OptionAttribute>()
                ?? throw new InvalidOperationException($"{type.Name}.{p.Name} is public but not declared with [Option(...)]");
            // `new int Seed` hides MethodOptions.Seed from the binder, while the trust measures read the base's: their reruns drew
            // with seed 0 whatever --seed said, and results.json gave the --seed. An option is declared once.
            if (type.IsSubclassOf(typeof(Methods.MethodOptions)) && p.DeclaringType != typeof(Methods.MethodOptions) && typeof(Methods.MethodOptions).GetProperty(p.Name) is not null)
                throw new InvalidOperationException($"{type.Name}.{p.Name} hides MethodOptions.{p.Name}, which every method has already");
            specs.Add(new OptionSpec(p, declaration, p.GetValue(defaults)));
        }
        return specs;
    }

    /// <summary>The readable public properties, the base record's first, each record's in source order.</summary>
    private static IEnumerable<PropertyInfo> DeclarationOrder([DynamicallyAccessedMembers(Members)] Type type)
        => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Select((p, index) => (Property: p, Depth: Depth(p.DeclaringType!), Index: index))
            .OrderBy(p => p.Depth)
            .ThenBy(p => Token(p.Property) ?? p.Index)
            .Select(p => p.Property);

    // Metadata tokens follow source order; where a runtime has none (Native AOT), reflection's own order does.
    private static int? Token(PropertyInfo property)
    {
        try { return property.MetadataToken; }
        catch (InvalidOperationException) { return null; }
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        Enum e => JsonValue.Create(OptionSpec.EnumName(e)),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        float f => JsonValue.Create(f),
        string s => JsonValue.Create(s),
        _ => throw new InvalidOperationException($"option value of unsupported type {value.GetType().Name}"),
    };

    private static int Depth(Type type)
    {
        int depth = 0;
        for (var t = type.BaseType; t is not null; t = t.BaseType) depth++;
        return depth;
    }
}
