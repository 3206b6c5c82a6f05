namespace Proton.Sdk.Provisioning;

/// <summary>Replaces every secret value in a text with <c>****</c>; shared by the provisioners.</summary>
internal static class SecretMask
{
    public const string Mask = "****";

    public static string Apply(string text, IReadOnlyCollection<string> secrets)
    {
        foreach (var s in secrets.Where(s => s.Length > 0))
        {
            text = text.Replace(s, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
