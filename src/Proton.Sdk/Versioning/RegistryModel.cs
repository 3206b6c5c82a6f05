using Proton.Sdk.Schema;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Versioning;

/// <summary>The lifecycle of a template version.</summary>
public enum TemplateVersionStatus
{
    /// <summary>Registered, not yet offered for new resources.</summary>
    Draft,

    /// <summary>Offered for new resources and updates.</summary>
    Published,

    /// <summary>No new resources; existing resources may still update to it. Can be published again.</summary>
    Deprecated,
}

/// <summary>A template in the registry.</summary>
public sealed record TemplateRecord
{
    /// <summary>The template's name (Proton's name rules).</summary>
    public required string Name { get; init; }

    /// <summary>Environment or service.</summary>
    public required TemplateKind Kind { get; init; }

    /// <summary>A display name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

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

/// <summary>Options for registering a version.</summary>
public sealed record RegisterVersionOptions
{
    /// <summary>The version to register; null takes the smallest valid one.</summary>
    public string? Version { get; init; }

    /// <summary>For a service template: compatible environment majors (else from the bundle's registration file).</summary>
    public IReadOnlyList<CompatibleEnvironment>? CompatibleEnvironments { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }
}

/// <summary>The outcome of a registration.</summary>
/// <param name="Version">The version record (the existing one when the content was already registered).</param>
/// <param name="AlreadyRegistered">True when identical content was registered before and that version is returned.</param>
/// <param name="Changes">The schema changes against the version compared with.</param>
public sealed record RegistrationResult(TemplateVersionRecord Version, bool AlreadyRegistered, IReadOnlyList<SchemaChange> Changes);

/// <summary>Who runs on a template version: the platform answers this so that used versions are never deleted.</summary>
public interface ITemplateUsage
{
    /// <summary>The resources (such as <c>environment/dev</c>) that run on a template version.</summary>
    /// <param name="templateName">The template.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The resources; empty when none.</returns>
    ValueTask<IReadOnlyList<string>> GetUsersAsync(string templateName, SemanticVersion version, CancellationToken cancellationToken = default);
}

/// <summary>Raised by the registry: the code says which rule (<c>registry.bump-too-small</c>, <c>registry.in-use</c>, ...).</summary>
/// <param name="errorCode">The stable code.</param>
/// <param name="message">What happened.</param>
public sealed class RegistryException(string errorCode, string message) : ProtonException(errorCode, message)
{
    /// <summary>The breaking changes behind a refused bump, when that is the reason.</summary>
    public IReadOnlyList<SchemaChange> Changes { get; init; } = [];
}
