using Proton.Sdk.Templates;

namespace Proton.Sdk.Versioning;

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
