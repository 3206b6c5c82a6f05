using System.Text.RegularExpressions;

namespace Proton.Sdk.Templates;

/// <summary>Proton's naming rules for templates, environments, services and instances.</summary>
public static partial class ProtonNames
{
    /// <summary>True when <paramref name="name"/> matches <c>^[0-9A-Za-z]+[0-9A-Za-z_\-]*$</c> and has 1 to 100 characters.</summary>
    /// <param name="name">The name to check.</param>
    /// <returns>Whether it is valid.</returns>
    public static bool IsValid(string? name)
        => name is { Length: > 0 and <= 100 } && NamePattern().IsMatch(name);

    /// <summary>Why a name is invalid, or null when it is valid.</summary>
    /// <param name="name">The name to check.</param>
    /// <returns>A message, or null.</returns>
    public static string? Explain(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a name is required";
        }

        if (name.Length > 100)
        {
            return $"'{name[..20]}...' has {name.Length} characters; at most 100 are allowed";
        }

        return NamePattern().IsMatch(name)
            ? null
            : $"'{name}' must start with a letter or digit and hold only letters, digits, '_' and '-' (^[0-9A-Za-z]+[0-9A-Za-z_\\-]*$)";
    }

    [GeneratedRegex(@"^[0-9A-Za-z]+[0-9A-Za-z_\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
