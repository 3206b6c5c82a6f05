namespace Proton.Sdk.Provisioning;

/// <summary>
/// Replaces secret values (inputs of <c>format: password</c>, <c>NoEcho</c> parameters) in a text with <see cref="Mask"/>.
/// Provisioners, stores and hosts use it before anything reaches an event, a record, a log or an error message.
/// </summary>
public static class SecretRedactor
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "****";

    /// <summary>Returns <paramref name="text"/> with every occurrence of every non-empty secret replaced by <see cref="Mask"/>; longer secrets first, so one that contains another is masked whole.</summary>
    /// <param name="text">The text, or null.</param>
    /// <param name="secrets">The secret values.</param>
    /// <returns>The masked text (null stays null).</returns>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static string? Redact(string? text, IReadOnlyCollection<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (string.IsNullOrEmpty(text) || secrets.Count == 0)
        {
            return text;
        }

        foreach (var s in secrets.Where(s => s.Length > 0).OrderByDescending(s => s.Length))
        {
            text = text.Replace(s, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
