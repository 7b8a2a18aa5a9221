using System.Text.RegularExpressions;

namespace Aver.Training.Config;

/// <summary>
/// YamlDotNet's messages in a user's words: .NET type names ("System.Int32, System.Private.CoreLib, Version=...",
/// "Aver.Training.Config.TrainingConfig") become what the YAML should hold there ("a whole number", "a section").
/// </summary>
internal static partial class YamlErrorText
{
    /// <summary><paramref name="message"/> with every .NET type name replaced and the usual phrasings simplified.</summary>
    public static string Plain(string message)
    {
        var m = NoDeserializer().Match(message);
        if (m.Success) return $"expected {Kind(m.Groups[1].Value)} here";
        m = InvalidCast().Match(message);
        if (m.Success) return $"expected {Kind(m.Groups[2].Value)} here, found {Kind(m.Groups[1].Value)}";
        m = BadFormat().Match(message);
        if (m.Success) return $"'{m.Groups[1].Value}' is not a valid value here (a number is expected)";
        return TypeName().Replace(message, t => Kind(t.Value));
    }

    /// <summary>What a YAML value of .NET type <paramref name="typeName"/> looks like.</summary>
    private static string Kind(string typeName)
    {
        var name = typeName.Split(',')[0].Trim();
        if (name.EndsWith("[]", StringComparison.Ordinal) || name.Contains("List", StringComparison.Ordinal)) return "a list ([a, b] or '- ' lines)";
        if (name.Contains("Dictionary", StringComparison.Ordinal)) return "a mapping (key: value lines)";
        return name.Split('.')[^1].TrimEnd('?') switch
        {
            "Int32" or "Int64" or "UInt32" or "UInt64" or "Int16" or "Byte" => "a whole number",
            "Single" or "Double" or "Decimal" => "a number",
            "Boolean" => "true or false",
            "String" => "a single value",
            var t when t.EndsWith("Config", StringComparison.Ordinal) || t.EndsWith("Options", StringComparison.Ordinal) => "a section (key: value lines)",
            _ => "another kind of value",
        };
    }

    [GeneratedRegex(@"deserialize the node into type ([^\r\n]+)")]
    private static partial Regex NoDeserializer();

    [GeneratedRegex(@"Invalid cast from '([^']+)' to '([^']+)'")]
    private static partial Regex InvalidCast();

    [GeneratedRegex(@"The input string '([^']*)' was not in a correct format")]
    private static partial Regex BadFormat();

    [GeneratedRegex(@"\b(?:System|Aver|YamlDotNet)\.[\w.`\[\]]+(?:, [\w.]+, Version=[^,]+, Culture=[^,]+, PublicKeyToken=\w+)?")]
    private static partial Regex TypeName();
}
