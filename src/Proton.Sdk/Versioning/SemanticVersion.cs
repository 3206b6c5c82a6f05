using System.Globalization;
using System.Text;

namespace Proton.Sdk.Versioning;

/// <summary>A SemVer 2.0 version (<c>MAJOR.MINOR.PATCH[-pre][+build]</c>). Proton's <c>1.0</c> reads as <c>1.0.0</c>.</summary>
public sealed class SemanticVersion : IComparable<SemanticVersion>, IEquatable<SemanticVersion>
{
    private readonly string[] _prerelease;

    /// <summary>Creates a version.</summary>
    /// <param name="major">The major number.</param>
    /// <param name="minor">The minor number.</param>
    /// <param name="patch">The patch number.</param>
    /// <param name="prerelease">Dot-separated pre-release identifiers, or null.</param>
    /// <param name="build">Build metadata (ignored in ordering), or null.</param>
    public SemanticVersion(int major, int minor, int patch, string? prerelease = null, string? build = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(major);
        ArgumentOutOfRangeException.ThrowIfNegative(minor);
        ArgumentOutOfRangeException.ThrowIfNegative(patch);
        Major = major;
        Minor = minor;
        Patch = patch;
        Prerelease = string.IsNullOrEmpty(prerelease) ? null : prerelease;
        Build = string.IsNullOrEmpty(build) ? null : build;
        _prerelease = Prerelease?.Split('.') ?? [];
    }

    /// <summary>The major number.</summary>
    public int Major { get; }

    /// <summary>The minor number.</summary>
    public int Minor { get; }

    /// <summary>The patch number.</summary>
    public int Patch { get; }

    /// <summary>Pre-release identifiers (<c>rc.1</c>), or null.</summary>
    public string? Prerelease { get; }

    /// <summary>Build metadata, or null.</summary>
    public string? Build { get; }

    /// <summary>True when the version has pre-release identifiers.</summary>
    public bool IsPrerelease => Prerelease is not null;

    /// <summary>Parses a version; throws <see cref="FormatException"/> with the reason when invalid.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The version.</returns>
    public static SemanticVersion Parse(string text)
        => TryParse(text, out var v, out var error) ? v! : throw new FormatException(error);

    /// <summary>Parses a version.</summary>
    /// <param name="text">The text.</param>
    /// <param name="version">The version, or null.</param>
    /// <returns>Whether it parsed.</returns>
    public static bool TryParse(string? text, out SemanticVersion? version) => TryParse(text, out version, out _);

    private static bool TryParse(string? text, out SemanticVersion? version, out string error)
    {
        version = null;
        error = $"'{text}' is not a version (MAJOR.MINOR.PATCH, or Proton's MAJOR.MINOR)";
        if (string.IsNullOrWhiteSpace(text) || text.Length > 256)
        {
            return false;
        }

        if (TryParsePlain(text, out version))
        {
            return true;
        }

        var s = text.Trim();
        if (s.StartsWith('v'))
        {
            s = s[1..];
        }

        string? build = null;
        var plus = s.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            build = s[(plus + 1)..];
            s = s[..plus];
            if (!Identifiers(build, numericLeadingZeroAllowed: true))
            {
                return false;
            }
        }

        string? pre = null;
        var dash = s.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            pre = s[(dash + 1)..];
            s = s[..dash];
            if (!Identifiers(pre, numericLeadingZeroAllowed: false))
            {
                return false;
            }
        }

        var parts = s.Split('.');
        if (parts.Length is < 2 or > 3 || parts.Any(p => !Number(p)))
        {
            return false;
        }

        version = new SemanticVersion(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), parts.Length == 3 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : 0, pre, build);
        return true;
    }

    /// <summary>The common case, <c>M.m.p</c> or <c>M.m</c> with plain digits, without allocating.</summary>
    private static bool TryParsePlain(string text, out SemanticVersion? version)
    {
        version = null;
        Span<int> parts = stackalloc int[3];
        var count = 0;
        var value = 0;
        var digits = 0;
        var leadingZero = false;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (digits == 1 && leadingZero)
                {
                    return false;
                }

                leadingZero = digits == 0 && c == '0';
                value = (value * 10) + (c - '0');
                if (++digits > 9)
                {
                    return false;
                }
            }
            else if (c == '.' && digits > 0 && count < 2)
            {
                parts[count++] = value;
                value = 0;
                digits = 0;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0 || count < 1)
        {
            return false;
        }

        parts[count++] = value;
        version = new SemanticVersion(parts[0], parts[1], count == 3 ? parts[2] : 0);
        return true;
    }

    private static bool Number(string p)
        => p.Length is > 0 and <= 9 && p.All(char.IsAsciiDigit) && (p == "0" || p[0] != '0');

    private static bool Identifiers(string text, bool numericLeadingZeroAllowed)
        => text.Length > 0 && text.Split('.').All(id => id.Length > 0
            && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && (numericLeadingZeroAllowed || !id.All(char.IsAsciiDigit) || id == "0" || id[0] != '0'));

    /// <summary>Orders by SemVer 2.0 precedence (build metadata ignored).</summary>
    /// <param name="other">The other version.</param>
    /// <returns>The comparison.</returns>
    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = Major.CompareTo(other.Major);
        if (c == 0)
        {
            c = Minor.CompareTo(other.Minor);
        }

        if (c == 0)
        {
            c = Patch.CompareTo(other.Patch);
        }

        if (c != 0)
        {
            return c;
        }

        // A version without pre-release identifiers has higher precedence than one with them.
        if (_prerelease.Length == 0 || other._prerelease.Length == 0)
        {
            return _prerelease.Length == other._prerelease.Length ? 0 : _prerelease.Length == 0 ? 1 : -1;
        }

        for (var i = 0; i < Math.Min(_prerelease.Length, other._prerelease.Length); i++)
        {
            var a = _prerelease[i];
            var b = other._prerelease[i];
            var aNum = a.All(char.IsAsciiDigit);
            var bNum = b.All(char.IsAsciiDigit);
            c = aNum && bNum
                ? (a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b))
                : aNum ? -1 : bNum ? 1 : string.CompareOrdinal(a, b);
            if (c != 0)
            {
                return c;
            }
        }

        return _prerelease.Length.CompareTo(other._prerelease.Length);
    }

    /// <inheritdoc />
    public bool Equals(SemanticVersion? other) => other is not null && CompareTo(other) == 0;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SemanticVersion v && Equals(v);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, Prerelease);

    /// <summary>Formats as <c>MAJOR.MINOR.PATCH[-pre][+build]</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder().Append(Major).Append('.').Append(Minor).Append('.').Append(Patch);
        if (Prerelease is not null)
        {
            sb.Append('-').Append(Prerelease);
        }

        if (Build is not null)
        {
            sb.Append('+').Append(Build);
        }

        return sb.ToString();
    }

    /// <summary>The next version after this one for a bump.</summary>
    /// <param name="bump">The bump.</param>
    /// <returns>The next version.</returns>
    public SemanticVersion Next(Schema.VersionBump bump) => bump switch
    {
        Schema.VersionBump.Major => new SemanticVersion(Major + 1, 0, 0),
        Schema.VersionBump.Minor => new SemanticVersion(Major, Minor + 1, 0),
        _ => IsPrerelease ? new SemanticVersion(Major, Minor, Patch) : new SemanticVersion(Major, Minor, Patch + 1),
    };

    /// <summary>Compares by precedence.</summary>
    /// <param name="a">Left.</param>
    /// <param name="b">Right.</param>
    /// <returns>Whether a precedes b.</returns>
    public static bool operator <(SemanticVersion a, SemanticVersion b) => Compare(a, b) < 0;

    /// <summary>Compares by precedence.</summary>
    /// <param name="a">Left.</param>
    /// <param name="b">Right.</param>
    /// <returns>Whether a follows b.</returns>
    public static bool operator >(SemanticVersion a, SemanticVersion b) => Compare(a, b) > 0;

    /// <summary>Compares by precedence.</summary>
    /// <param name="a">Left.</param>
    /// <param name="b">Right.</param>
    /// <returns>Whether a precedes or equals b.</returns>
    public static bool operator <=(SemanticVersion a, SemanticVersion b) => Compare(a, b) <= 0;

    /// <summary>Compares by precedence.</summary>
    /// <param name="a">Left.</param>
    /// <param name="b">Right.</param>
    /// <returns>Whether a follows or equals b.</returns>
    public static bool operator >=(SemanticVersion a, SemanticVersion b) => Compare(a, b) >= 0;

    /// <summary>Equality by precedence.</summary>
    /// <param name="a">Left.</param>
    /// <param name="b">Right.</param>
    /// <returns>Whether equal.</returns>
    public static bool operator ==(SemanticVersion? a, SemanticVersion? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Inequality by precedence.</summary>
    /// <param name="a">Left.</param>
    /// <param name="b">Right.</param>
    /// <returns>Whether different.</returns>
    public static bool operator !=(SemanticVersion? a, SemanticVersion? b) => !(a == b);

    private static int Compare(SemanticVersion a, SemanticVersion b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.CompareTo(b);
    }
}
