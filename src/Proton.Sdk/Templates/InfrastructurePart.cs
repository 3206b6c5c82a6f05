namespace Proton.Sdk.Templates;

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
