using System.Globalization;

namespace Proton.Sdk.Versioning;

/// <summary>
/// A version constraint: exact (<c>1.2.3</c>), partial (<c>1</c>, <c>1.2</c>, <c>1.x</c>, <c>*</c>), caret (<c>^1.2.3</c>),
/// tilde (<c>~1.2.3</c>), comparator sets (<c>&gt;=1.2.0 &lt;2.0.0</c>) and alternatives joined by <c>||</c>.
/// Pre-release versions match only a comparator that names a pre-release of the same MAJOR.MINOR.PATCH.
/// </summary>
public sealed class VersionConstraint
{
    private readonly List<List<(string Op, SemanticVersion Version)>> _alternatives;

    private VersionConstraint(string text, List<List<(string, SemanticVersion)>> alternatives)
    {
        Text = text;
        _alternatives = alternatives;
    }

    /// <summary>The constraint as written.</summary>
    public string Text { get; }

    /// <summary>Parses a constraint; throws <see cref="FormatException"/> naming the bad part.</summary>
    /// <param name="text">The constraint.</param>
    /// <returns>The constraint.</returns>
    public static VersionConstraint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var alternatives = new List<List<(string, SemanticVersion)>>();
        foreach (var alternative in text.Split("||"))
        {
            var set = new List<(string, SemanticVersion)>();
            var tokens = alternative.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (tokens.Length == 0)
            {
                throw new FormatException($"'{text}' has an empty alternative.");
            }

            for (var i = 0; i < tokens.Length; i++)
            {
                var token = tokens[i];
                if (token is ">=" or "<=" or ">" or "<" or "=" && i + 1 < tokens.Length)
                {
                    token += tokens[++i];
                }

                AddComparators(token, set, text);
            }

            alternatives.Add(set);
        }

        return new VersionConstraint(text.Trim(), alternatives);
    }

    /// <summary>Parses a constraint.</summary>
    /// <param name="text">The constraint.</param>
    /// <param name="constraint">The constraint, or null.</param>
    /// <returns>Whether it parsed.</returns>
    public static bool TryParse(string text, out VersionConstraint? constraint)
    {
        try
        {
            constraint = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            constraint = null;
            return false;
        }
    }

    private static void AddComparators(string token, List<(string, SemanticVersion)> set, string text)
    {
        string op;
        var rest = token;
        if (token.StartsWith(">=", StringComparison.Ordinal) || token.StartsWith("<=", StringComparison.Ordinal))
        {
            op = token[..2];
            rest = token[2..];
        }
        else if (token[0] is '>' or '<' or '=' or '^' or '~')
        {
            op = token[..1];
            rest = token[1..];
        }
        else
        {
            op = string.Empty;
        }

        if (rest is "*" or "x" or "X" && op.Length == 0)
        {
            set.Add((">=", new SemanticVersion(0, 0, 0)));
            return;
        }

        // Partial versions: 1, 1.2, 1.x, 1.2.x
        var core = rest;
        var suffix = string.Empty;
        var cut = rest.IndexOfAny(['-', '+']);
        if (cut >= 0)
        {
            core = rest[..cut];
            suffix = rest[cut..];
        }

        var parts = core.Split('.').ToList();
        while (parts.Count > 0 && parts[^1] is "x" or "X" or "*")
        {
            parts.RemoveAt(parts.Count - 1);
        }

        if (parts.Count == 0 || parts.Count > 3 || parts.Any(p => !int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException($"'{token}' in '{text}' is not a version constraint.");
        }

        var n = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var full = n.Length == 3;
        var version = SemanticVersion.Parse(string.Join('.', n.Concat(Enumerable.Repeat(0, 3 - n.Length))) + (full ? suffix : string.Empty));
        switch (op)
        {
            case "" or "=" when full:
                set.Add(("=", version));
                break;
            case "" or "=":
                // 1 => >=1.0.0 <2.0.0; 1.2 => >=1.2.0 <1.3.0
                set.Add((">=", version));
                set.Add(("<", n.Length == 1 ? new SemanticVersion(n[0] + 1, 0, 0) : new SemanticVersion(n[0], n[1] + 1, 0)));
                break;
            case "^":
                set.Add((">=", version));
                set.Add(("<", n[0] > 0 || n.Length == 1 ? new SemanticVersion(n[0] + 1, 0, 0)
                    : n[1] > 0 || n.Length == 2 ? new SemanticVersion(0, n[1] + 1, 0)
                    : new SemanticVersion(0, 0, n[2] + 1)));
                break;
            case "~":
                set.Add((">=", version));
                set.Add(("<", n.Length == 1 ? new SemanticVersion(n[0] + 1, 0, 0) : new SemanticVersion(n[0], n[1] + 1, 0)));
                break;
            default:
                set.Add((op, version));
                break;
        }
    }

    /// <summary>True when the version satisfies the constraint.</summary>
    /// <param name="version">The version.</param>
    /// <returns>Whether it satisfies.</returns>
    public bool IsSatisfiedBy(SemanticVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        foreach (var set in _alternatives)
        {
            if (version.IsPrerelease && !AllowsPrerelease(set, version))
            {
                continue;
            }

            var all = true;
            foreach (var (op, bound) in set)
            {
                var c = version.CompareTo(bound);
                if (!(op switch { "=" => c == 0, ">" => c > 0, ">=" => c >= 0, "<" => c < 0, "<=" => c <= 0, _ => false }))
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    private static bool AllowsPrerelease(List<(string Op, SemanticVersion Version)> set, SemanticVersion version)
    {
        foreach (var (_, v) in set)
        {
            if (v.IsPrerelease && v.Major == version.Major && v.Minor == version.Minor && v.Patch == version.Patch)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The highest version that satisfies the constraint, or null.</summary>
    /// <param name="versions">Candidates.</param>
    /// <returns>The highest match.</returns>
    public SemanticVersion? MaxSatisfying(IEnumerable<SemanticVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        SemanticVersion? best = null;
        foreach (var v in versions)
        {
            if ((best is null || v > best) && IsSatisfiedBy(v))
            {
                best = v;
            }
        }

        return best;
    }

    /// <summary>The constraint as written.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Text;
}
