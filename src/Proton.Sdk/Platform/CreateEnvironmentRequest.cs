using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>Creates an environment.</summary>
public sealed record CreateEnvironmentRequest
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The environment template.</summary>
    public required string TemplateName { get; init; }

    /// <summary>A version or constraint (<c>1.2.0</c>, <c>^1</c>); the recommended version when null.</summary>
    public string? TemplateVersion { get; init; }

    /// <summary>The spec's inputs.</summary>
    public IReadOnlyDictionary<string, object?> Inputs { get; init; } = new Dictionary<string, object?>();

    /// <summary>The AWS account, when known.</summary>
    public string? AccountId { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }
}
