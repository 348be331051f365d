using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RepDiff.Options;

/// <summary>
/// One option of an options record, as declared by its property and <see cref="OptionAttribute"/>:
/// its names (property, results.json key, CLI flag), type, default, allowed values and range.
/// </summary>
public sealed class OptionSpec
{
    public PropertyInfo Property { get; }
    public OptionAttribute Declaration { get; }

    /// <summary>The value a new options record holds (null for "resolved at run time", e.g. a median bandwidth).</summary>
    public object? Default { get; }

    public OptionSpec(PropertyInfo property, OptionAttribute declaration, object? defaultValue)
    {
        Property = property;
        Declaration = declaration;
        Default = defaultValue;
    }

    /// <summary>The options-record property name ("RffDim"): what library messages name.</summary>
    public string Name => Property.Name;

    /// <summary>The key in results.json's parameters ("rff_dim").</summary>
    public string JsonName => JsonNamingPolicy.SnakeCaseLower.ConvertName(Name);

    /// <summary>The command-line flag ("--rff-dim").</summary>
    public string Flag => FlagOf(Name);

    public static string FlagOf(string property) => "--" + JsonNamingPolicy.KebabCaseLower.ConvertName(property);

    /// <summary>The value type without Nullable (int, double, bool, string or an enum).</summary>
    public Type ValueType => Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType;

    public bool IsBool => ValueType == typeof(bool);

    /// <summary>The allowed values of an enum option, as written on the command line and in results.json.</summary>
    public IReadOnlyList<string>? Choices => ValueType.IsEnum ? EnumValues(ValueType).Select(EnumName).ToArray() : null;

    /// <summary>The description, the allowed values or range, and the default: one line for --help.</summary>
    public string Help
    {
        get
        {
            var parts = new List<string> { Declaration.Description };
            if (Choices is { } choices) parts.Add($"one of: {string.Join(", ", choices)}");
            else if (RangeText() is { } range) parts.Add(range);
            // A switch on by default is turned off by a value: said, as "default: true" alone left that to guess.
            if (IsBool && Default is true) parts.Add($"default: true ({Flag} false turns it off)");
            else if (Default is not null && !(IsBool && Default is false)) parts.Add($"default: {Format(Default)}");
            return string.Join("; ", parts);
        }
    }

    /// <summary>Parses a command-line value into the property's type; a bad value names this option.</summary>
    public object Parse(string text)
    {
        var type = ValueType;
        text = text.Trim();
        if (type == typeof(string))
            return Declaration.IsFile && text.Length == 0 ? throw new InvalidOptionException(Name, "is empty; name a file") : text;
        if (type.IsEnum)
        {
            foreach (Enum value in EnumValues(type))
                if (string.Equals(EnumName(value), text, StringComparison.OrdinalIgnoreCase)) return value;
            throw new InvalidOptionException(Name, $"'{Printable(text)}' is not one of: {string.Join(", ", Choices!)}");
        }
        if (type == typeof(bool))
            return bool.TryParse(text, out bool b) ? b : throw new InvalidOptionException(Name, $"'{Printable(text)}' is not true or false");
        if (type == typeof(int))
        {
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i)) return i;
            // A whole number past 32 bits is a whole number still: say that it is too large, not that it is no number.
            if (System.Numerics.BigInteger.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                throw new InvalidOptionException(Name, $"'{Printable(text)}' is out of range ({RangeText() ?? $"from {int.MinValue} to {int.MaxValue}"})");
            throw new InvalidOptionException(Name, $"'{Printable(text)}' is not a whole number{RangeSuffix()}");
        }
        if (type == typeof(double))
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d
                : throw new InvalidOptionException(Name, $"'{Printable(text)}' is not a finite number{RangeSuffix()}");
        throw new InvalidOperationException($"option {Name} has unsupported type {type.Name}");
    }

    /// <summary>Checks a value against the declared range; null passes (it means "resolve at run time").</summary>
    public void Check(object? value)
    {
        double? x = value switch { int i => i, double d => d, _ => null };
        if (x is not double v) return;
        if (!double.IsFinite(v)) throw new InvalidOptionException(Name, $"must be a finite number, got {Format(value!)}");
        var decl = Declaration;
        bool low = decl.MinExclusive ? v <= decl.Min : v < decl.Min;
        if (low || v > decl.Max) throw new InvalidOptionException(Name, $"must be {RangeText()}, got {Format(value!)}");
    }

    private string RangeSuffix() => RangeText() is { } r ? $" ({r})" : "";

    private string? RangeText()
    {
        var d = Declaration;
        bool hasMin = !double.IsNegativeInfinity(d.Min), hasMax = !double.IsPositiveInfinity(d.Max);
        string min = Format(d.Min), max = Format(d.Max);
        return (hasMin, hasMax, d.MinExclusive) switch
        {
            (true, true, false) => $"from {min} to {max}",
            (true, true, true) => $"above {min} and at most {max}",
            (true, false, false) => $"at least {min}",
            (true, false, true) => min == "0" ? "positive" : $"above {min}",
            (false, true, _) => $"at most {max}",
            _ => null,
        };
    }

    /// <summary>How a value reads on the command line and in messages.</summary>
    public static string Format(object value) => value switch
    {
        Enum e => EnumName(e),
        bool b => b ? "true" : "false",
        double d => d == Math.Floor(d) && Math.Abs(d) < 1e15 ? ((long)d).ToString(CultureInfo.InvariantCulture) : d.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The values of an enum type, boxed as that enum (without Enum.GetValues(Type), which needs run-time code).</summary>
    private static IEnumerable<Enum> EnumValues(Type enumType)
    {
        foreach (object raw in Enum.GetValuesAsUnderlyingType(enumType)) yield return (Enum)Enum.ToObject(enumType, raw);
    }

    /// <summary>An enum value's name on the command line and in results.json: its [JsonStringEnumMemberName], else kebab-case.</summary>
    public static string EnumName(Enum value)
    {
        string name = value.ToString();
        return MemberName(value.GetType(), name) ?? JsonNamingPolicy.KebabCaseLower.ConvertName(name);
    }

    // The trimmer keeps every field of an enum it keeps (Enum.ToString and parsing read them), attributes included;
    // the Native AOT binary's `rdx --help` lists "pagerank" from this attribute.
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Enum types keep all their fields when trimmed.")]
    private static string? MemberName(Type enumType, string name)
        => enumType.GetField(name, BindingFlags.Public | BindingFlags.Static)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name;

    /// <summary>Input echoed in a message, without control characters (they could drive the terminal).</summary>
    private static string Printable(string text)
    {
        var clean = new string(text.Where(c => !char.IsControl(c)).Take(60).ToArray());
        return text.Length > 60 ? clean + "…" : clean;
    }
}
