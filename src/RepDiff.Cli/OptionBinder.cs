using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using RepDiff.Methods;
using RepDiff.Options;

namespace RepDiff.Cli;

/// <summary>
/// Turns a method's options record into command-line options (one flag per property: its description,
/// allowed values or range, and default in --help) and binds the flags given back into a record. Every
/// value is parsed and checked by <see cref="OptionSpec"/>, so a bad value reads the same in every command.
/// </summary>
internal sealed class OptionBinder
{
    private readonly List<(OptionSpec Spec, Option Option)> bound = [];

    /// <summary>The spec behind each bound flag, so a command line can be checked value by value without running it (tests of the docs' commands).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Option, OptionSpec> specs = new();

    internal static OptionSpec? SpecOf(Option option) => specs.TryGetValue(option, out var spec) ? spec : null;

    [DynamicallyAccessedMembers(OptionsSchema.Members)]
    private readonly Type optionsType;

    /// <summary>The flags of the help option (Cli.BuildRoot's, which every command inherits) that an option's "--" name can take.</summary>
    private static readonly string[] HelpFlags = ["--help"];

    /// <param name="hidden">Left out of --help and still bound: for options a command refuses, so that given they are
    /// refused saying why (groups' --stability, --validate and --trust) rather than as unknown words.</param>
    public OptionBinder([DynamicallyAccessedMembers(OptionsSchema.Members)] Type optionsType, Command command, bool hidden = false)
    {
        this.optionsType = optionsType;
        foreach (var spec in OptionsSchema.Of(optionsType))
        {
            // Aliases count (a method's --column had been listed beside --key's alias, and --column went to one of them), and so
            // does the help every command answers to (the root's, recursive: a method's --help had hidden it).
            if (command.Options.Any(o => o.Name == spec.Flag || o.Aliases.Contains(spec.Flag)) || HelpFlags.Contains(spec.Flag))
                throw new InvalidOperationException($"{optionsType.Name}.{spec.Name} would reuse {spec.Flag}, which the command already has");
            Option option = spec.IsBool
                ? new Option<bool>(spec.Flag) { Description = spec.Help }
                : new Option<string>(spec.Flag) { Description = spec.Help, HelpName = HelpName(spec) };
            option.Hidden = hidden;
            command.Options.Add(option);
            bound.Add((spec, option));
            specs.Add(option, spec);
        }
    }

    /// <summary>The defaults with every flag given on the command line; ranges checked, naming the flag.</summary>
    public T Bind<T>(ParseResult parse, T defaults) where T : notnull
    {
        var values = new Dictionary<OptionSpec, object?>();
        foreach (var (spec, option) in bound)
        {
            if (parse.GetResult(option) is not { Implicit: false }) continue;  // not given: the record keeps its default
            values[spec] = option is Option<bool> flag ? parse.GetValue(flag) : spec.Parse(parse.GetValue((Option<string>)option) ?? "");
            if (spec.Declaration.IsFile && values[spec] is string path) RequireFile(spec, path);
        }
        var options = OptionsSchema.With(optionsType, defaults, values);
        if (options is GivenOptions typed) options = typed.WithGiven(values.Keys.Select(spec => spec.Name));
        OptionsSchema.Validate(optionsType, options);
        return (T)options;
    }

    /// <summary>
    /// A file option names a file the method reads: a regular file, checked as every input is, so that a missing one is one
    /// line naming its flag whatever the method reads it with (a method's File.ReadAllText had made it an internal error).
    /// </summary>
    private static void RequireFile(OptionSpec spec, string path) =>
        InvalidOptionException.ReadingFile(spec.Name, path, () => { RepDiff.IO.FileKind.RequireRegular(path); return path; });

    private static string HelpName(OptionSpec spec) => spec.Choices is { } choices ? string.Join('|', choices)
        : spec.Declaration.IsFile ? "FILE"
        : spec.ValueType == typeof(int) ? "N"
        : spec.ValueType == typeof(double) ? "X"
        : "VALUE";
}
