using System.Text;

namespace Proton.Sdk.Templates;

/// <summary>What a bundle defines.</summary>
public enum TemplateKind
{
    /// <summary>An environment template: <c>schema/</c> and <c>infrastructure/</c> (or a schema only, when customer managed).</summary>
    Environment,

    /// <summary>A service template: <c>schema/</c>, <c>instance_infrastructure/</c> and optional <c>pipeline_infrastructure/</c>.</summary>
    Service,

    /// <summary>A directly defined component: a manifest and one IaC file, no schema.</summary>
    Component,
}

/// <summary>The infrastructure folders of a bundle.</summary>
public enum InfrastructurePartKind
{
    /// <summary><c>infrastructure/</c> of an environment template.</summary>
    Infrastructure,

    /// <summary><c>instance_infrastructure/</c> of a service template.</summary>
    InstanceInfrastructure,

    /// <summary><c>pipeline_infrastructure/</c> of a service template.</summary>
    PipelineInfrastructure,

    /// <summary>The root folder of a directly defined component.</summary>
    Component,
}

/// <summary>How a part is provisioned, from its manifest.</summary>
public enum ProvisioningMethod
{
    /// <summary>AWS-managed: a CloudFormation template rendered with Jinja. Proton.Sdk provisions these.</summary>
    CloudFormation,

    /// <summary>Self-managed Terraform (<c>rendering_engine: hcl</c>). Loaded and inspected, not provisioned by Proton.Sdk.</summary>
    Terraform,

    /// <summary>CodeBuild provisioning (<c>rendering_engine: codebuild</c>). Loaded and inspected, not provisioned by Proton.Sdk.</summary>
    CodeBuild,
}

/// <summary>One file of a bundle.</summary>
/// <param name="Path">Path relative to the bundle root, with forward slashes.</param>
/// <param name="Content">The bytes.</param>
public sealed record BundleFile(string Path, ReadOnlyMemory<byte> Content)
{
    /// <summary>The content decoded as UTF-8 (a byte-order mark is dropped).</summary>
    public string Text
    {
        get
        {
            var span = Content.Span;
            if (span.Length >= 3 && span[0] == 0xEF && span[1] == 0xBB && span[2] == 0xBF)
            {
                span = span[3..];
            }

            return Encoding.UTF8.GetString(span);
        }
    }
}

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

/// <summary>One infrastructure folder: its manifest and the files it names.</summary>
public sealed record InfrastructurePart
{
    /// <summary>Which folder.</summary>
    public required InfrastructurePartKind Kind { get; init; }

    /// <summary>The folder relative to the bundle root (empty for a component).</summary>
    public required string Folder { get; init; }

    /// <summary>The parsed <c>manifest.yaml</c> entries.</summary>
    public required IReadOnlyList<ManifestTemplate> Templates { get; init; }

    /// <summary>How this part is provisioned.</summary>
    public required ProvisioningMethod ProvisioningMethod { get; init; }

    /// <summary>The rendering engine of the first manifest entry.</summary>
    public string RenderingEngine => Templates[0].RenderingEngine;

    /// <summary>The IaC files named by the manifest (wildcards expanded), in order.</summary>
    public required IReadOnlyList<BundleFile> TemplateFiles { get; init; }

    /// <summary>Every file in the folder, the manifest included.</summary>
    public required IReadOnlyList<BundleFile> Files { get; init; }
}

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

/// <summary>What <c>.template-registration.yaml</c> (or the older <c>.compatible-envs</c>) says of a service template version.</summary>
public sealed record TemplateRegistration
{
    /// <summary>Environment template majors the service template version runs in.</summary>
    public required IReadOnlyList<CompatibleEnvironment> CompatibleEnvironments { get; init; }

    /// <summary>Component sources it accepts (<c>DIRECTLY_DEFINED</c>).</summary>
    public IReadOnlyList<string> SupportedComponentSources { get; init; } = [];

    /// <summary>The file it was read from.</summary>
    public required string SourceFile { get; init; }
}

/// <summary>A loaded template bundle in Proton's layout. Immutable.</summary>
public sealed record TemplateBundle
{
    /// <summary>Environment, service or component.</summary>
    public required TemplateKind Kind { get; init; }

    /// <summary>Where the bundle came from (a folder, an archive, memory), for messages.</summary>
    public required string Source { get; init; }

    /// <summary>Every file, keyed by path relative to the bundle root.</summary>
    public required IReadOnlyDictionary<string, BundleFile> Files { get; init; }

    /// <summary><c>schema/schema.yaml</c>; null for a component.</summary>
    public BundleFile? SchemaFile { get; init; }

    /// <summary>The infrastructure folders present, in layout order.</summary>
    public required IReadOnlyList<InfrastructurePart> Parts { get; init; }

    /// <summary>The registration file of a service template, when there is one.</summary>
    public TemplateRegistration? Registration { get; init; }

    /// <summary>Lowercase hex SHA-256 over every path and content, independent of the order files were read in.</summary>
    public required string ContentHash { get; init; }

    /// <summary>True for an environment template with a schema and no infrastructure (Proton's customer-managed environments).</summary>
    public bool IsCustomerManaged => Kind == TemplateKind.Environment && Parts.Count == 0;

    /// <summary>True when a service template has <c>pipeline_infrastructure/</c>.</summary>
    public bool HasPipeline => Part(InfrastructurePartKind.PipelineInfrastructure) is not null;

    /// <summary>The part of the given kind, or null.</summary>
    /// <param name="kind">The folder.</param>
    /// <returns>The part or null.</returns>
    public InfrastructurePart? Part(InfrastructurePartKind kind) => Parts.FirstOrDefault(p => p.Kind == kind);

    /// <summary>True when every part can be provisioned with CloudFormation (what Proton.Sdk provisions today).</summary>
    public bool IsCloudFormation => Parts.Count > 0 && Parts.All(p => p.ProvisioningMethod == ProvisioningMethod.CloudFormation);
}
