using Proton.Sdk.Schema;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Versioning;

/// <summary>A registered version of a template. Its bundle content never changes (content-addressed).</summary>
public sealed record TemplateVersionRecord
{
    /// <summary>The template's name.</summary>
    public required string TemplateName { get; init; }

    /// <summary>The version, SemVer text.</summary>
    public required string Version { get; init; }

    /// <summary>The status.</summary>
    public TemplateVersionStatus Status { get; init; }

    /// <summary>The bundle's content hash (<see cref="TemplateBundle.ContentHash"/>).</summary>
    public required string ContentHash { get; init; }

    /// <summary>The store blob holding the bundle's files.</summary>
    public required string BundleBlob { get; init; }

    /// <summary>For a service template: whether it has a pipeline.</summary>
    public bool HasPipeline { get; init; }

    /// <summary>For a service template: the environment template majors it runs in.</summary>
    public IReadOnlyList<CompatibleEnvironment> CompatibleEnvironments { get; init; } = [];

    /// <summary>The bump its schema needed against the version it was compared with.</summary>
    public VersionBump SchemaBump { get; init; }

    /// <summary>The version its schema was compared with, if any.</summary>
    public string? ComparedWith { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>When it was registered.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The parsed version.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public SemanticVersion SemanticVersion => SemanticVersion.Parse(Version);
}
