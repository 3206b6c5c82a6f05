using Proton.Sdk.Templates;

namespace Proton.Sdk.Versioning;

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
