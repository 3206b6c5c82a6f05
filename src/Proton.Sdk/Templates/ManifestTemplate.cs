namespace Proton.Sdk.Templates;

/// <summary>One entry of a manifest's <c>templates</c> list.</summary>
public sealed record ManifestTemplate
{
    /// <summary>The IaC file it names (<c>cloudformation.yaml</c>, <c>main.tf</c>, <c>*</c>), or null for CodeBuild.</summary>
    public string? File { get; init; }

    /// <summary><c>jinja</c>, <c>scriban</c>, <c>hcl</c> or <c>codebuild</c>.</summary>
    public required string RenderingEngine { get; init; }

    /// <summary><c>cloudformation</c> or <c>terraform</c>; null for CodeBuild.</summary>
    public string? TemplateLanguage { get; init; }

    /// <summary>CodeBuild settings (<c>image</c>, <c>runtimes</c>, <c>provision</c>, ...) as plain values; null otherwise.</summary>
    public IReadOnlyDictionary<string, object?>? Settings { get; init; }
}
