using System.Globalization;

namespace Aver.Cli;

/// <summary>
/// Parsed arguments: positionals, `--name value` options and `--flag` switches. Commands read
/// what they know and call <see cref="EnsureAllUsed"/>, so a misspelt option is an error, not ignored.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flagNames;

    public List<string> Positionals { get; } = [];

    /// <param name="args">Arguments after the command name.</param>
    /// <param name="flagNames">Options that take no value (besides the global --help, --json).</param>
    public CliArgs(IEnumerable<string> args, params string[] flagNames)
    {
        _flagNames = new HashSet<string>(flagNames.Concat(["help", "json"]), StringComparer.Ordinal);
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (a == "--") { Positionals.AddRange(list.Skip(i + 1)); break; }
            if (a == "-h") { _flags.Add("help"); continue; }   // the short help every CLI user tries first
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                var name = a[2..];
                string? value = null;
                int eq = name.IndexOf('=');
                if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
                if (value is null && _flagNames.Contains(name)) { _flags.Add(name); continue; }
                if (value is null)
                {
                    if (i + 1 >= list.Count) throw new UsageException($"option --{name} needs a value");
                    value = list[++i];
                }
                if (!_options.TryGetValue(name, out var vs)) _options[name] = vs = [];
                vs.Add(value);
            }
            else Positionals.Add(a);
        }
    }

    public bool Flag(string name) { _used.Add(name); return _flags.Contains(name); }

    public string? Option(string name) { _used.Add(name); return _options.TryGetValue(name, out var v) ? v[^1] : null; }

    public string Option(string name, string fallback) => Option(name) ?? fallback;

    public IReadOnlyList<string> Options(string name) { _used.Add(name); return _options.TryGetValue(name, out var v) ? v : []; }

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var s = Option(name);
        if (s is null) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            throw new UsageException($"--{name} takes a whole number{(min > int.MinValue ? $" from {min}" : "")}{(max < int.MaxValue ? $" to {max}" : "")}, got '{s}'");
        return v;
    }

    public double Double(string name, double fallback, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        var s = Option(name);
        if (s is null) return fallback;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v < min || v > max)
            throw new UsageException($"--{name} takes a number{(double.IsFinite(min) ? $" from {min.ToString(CultureInfo.InvariantCulture)}" : "")}{(double.IsFinite(max) ? $" to {max.ToString(CultureInfo.InvariantCulture)}" : "")}, got '{s}'");
        return v;
    }

    public ulong Seed(ulong fallback = 0, string name = "seed")
    {
        var s = Option(name);
        if (s is null) return fallback;
        if (!ulong.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong v)) throw new UsageException($"--{name} takes a non-negative whole number, got '{s}'");
        return v;
    }

    /// <summary>Fails on any option or flag the command did not read.</summary>
    /// <summary>--only audio|visual as the set of branches a prediction runs (null: every branch).</summary>
    public IReadOnlySet<string>? Branches() => Option("only") switch
    {
        null => null,
        var b when b is "audio" or "visual" => new HashSet<string> { b },
        var b => throw new UsageException($"--only takes audio or visual, got '{b}'"),
    };

    public void EnsureAllUsed()
    {
        foreach (var k in _options.Keys) if (!_used.Contains(k)) throw new UsageException($"unknown option --{k}");
        foreach (var k in _flags) if (!_used.Contains(k)) throw new UsageException($"unknown option --{k}");
    }
}
