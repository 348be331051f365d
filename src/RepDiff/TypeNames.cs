namespace RepDiff;

/// <summary>
/// A .NET type name as library messages give it ("System.Int32", "System.Nullable`1[System.Double]") in a user's words,
/// for errors about a value of the wrong type in a flag or a JSON file.
/// </summary>
public static class TypeNames
{
    public static string InWords(string type)
    {
        const string nullable = "System.Nullable`1[";
        if (type.StartsWith(nullable, StringComparison.Ordinal) && type.EndsWith(']')) type = type[nullable.Length..^1];
        return type switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Double" or "System.Single" => "a number",
            "System.Boolean" => "true or false",
            "System.String" => "a string",
            "System.Int32[]" => "a list of whole numbers",
            "System.Double[]" or "System.Single[]" => "a list of numbers",
            _ when type.EndsWith("[]", StringComparison.Ordinal) || type.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "a list",
            _ => "an object",
        };
    }
}
