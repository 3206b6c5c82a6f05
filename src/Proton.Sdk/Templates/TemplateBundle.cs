namespace Proton.Sdk.Templates;

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
