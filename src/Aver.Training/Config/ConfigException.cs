namespace Aver.Training.Config;

/// <summary>One problem in an experiment config: the file, the dotted key (e.g. <c>model.variant</c>) and what is wrong.</summary>
public sealed record ConfigError(string Key, string Problem, int? Line = null)
{
    public override string ToString() => Line is int l ? $"line {l}: {Key}: {Problem}" : $"{Key}: {Problem}";
}

/// <summary>An experiment config that cannot be used; the message names the file and every bad key.</summary>
public sealed class ConfigException(string path, IReadOnlyList<ConfigError> errors)
    : FormatException(errors.Count == 1 ? $"{path}: {errors[0]}" : $"{path}: {errors.Count} problems:\n  " + string.Join("\n  ", errors))
{
    public string Path { get; } = path;
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
