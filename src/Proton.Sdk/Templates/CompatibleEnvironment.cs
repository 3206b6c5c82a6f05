namespace Proton.Sdk.Templates;

/// <summary>A compatible environment template of a service template version: <c>name:major</c>.</summary>
/// <param name="TemplateName">The environment template's name.</param>
/// <param name="MajorVersion">Its major version.</param>
public sealed record CompatibleEnvironment(string TemplateName, int MajorVersion)
{
    /// <summary>Formats as <c>name:major</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => $"{TemplateName}:{MajorVersion}";

    /// <summary>Parses <c>name:major</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The compatible environment, or null when the text is not of that form.</returns>
    public static CompatibleEnvironment? TryParse(string text) => TemplateBundleLoader.ParseCompatible(text ?? string.Empty);
}
