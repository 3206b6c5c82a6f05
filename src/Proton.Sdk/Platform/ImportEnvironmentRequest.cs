using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>Adopts an environment that exists already (migration off Proton).</summary>
public sealed record ImportEnvironmentRequest
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The environment template it was made from.</summary>
    public required string TemplateName { get; init; }

    /// <summary>A version or constraint; the recommended version when null.</summary>
    public string? TemplateVersion { get; init; }

    /// <summary>The inputs it was deployed with.</summary>
    public IReadOnlyDictionary<string, object?> Inputs { get; init; } = new Dictionary<string, object?>();

    /// <summary>An existing stack to adopt: its outputs are read through the provisioner. Null with <see cref="Outputs"/> for a customer-managed environment.</summary>
    public string? StackName { get; init; }

    /// <summary>The outputs of a customer-managed environment.</summary>
    public IReadOnlyDictionary<string, string>? Outputs { get; init; }

    /// <summary>The AWS account, when known.</summary>
    public string? AccountId { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }
}
