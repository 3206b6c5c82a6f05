namespace Proton.Sdk.Cli;

/// <summary>A usage error: exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Minimal argument parsing: positionals, <c>--name value</c>, <c>--name=value</c> and flags.</summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public CliArgs(IEnumerable<string> args, IReadOnlySet<string> flags)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (a == "--")
            {
                Positionals.AddRange(list.Skip(i + 1));
                break;
            }

            if (a.StartsWith("--", StringComparison.Ordinal) || (a.StartsWith('-') && a.Length == 2 && !char.IsDigit(a[1])))
            {
                var name = a.TrimStart('-');
                string? value = null;
                var eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq >= 0)
                {
                    value = name[(eq + 1)..];
                    name = name[..eq];
                }
                else if (!flags.Contains(name))
                {
                    if (i + 1 >= list.Count)
                    {
                        throw new UsageException($"option '{a}' needs a value");
                    }

                    value = list[++i];
                }

                if (_options.ContainsKey(name))
                {
                    throw new UsageException($"option '--{name}' is given twice");
                }

                _options[name] = value;
                continue;
            }

            Positionals.Add(a);
        }
    }

    public List<string> Positionals { get; } = [];

    public string? Option(string name, string? shortName = null)
    {
        foreach (var n in shortName is null ? [name] : new[] { name, shortName })
        {
            if (_options.TryGetValue(n, out var v))
            {
                _used.Add(n);
                return v;
            }
        }

        return null;
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    public void Done(int positionals)
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown option '--{unknown[0]}'");
        }

        if (Positionals.Count != positionals)
        {
            throw new UsageException(Positionals.Count < positionals ? "missing arguments" : $"unexpected argument '{Positionals[positionals]}'");
        }
    }
}
