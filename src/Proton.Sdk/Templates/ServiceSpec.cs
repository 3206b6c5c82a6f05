namespace Proton.Sdk.Templates;

/// <summary><c>proton: ServiceSpec</c>: pipeline inputs and instances.</summary>
public sealed record ServiceSpec : ProtonSpec
{
    /// <summary>The pipeline inputs, or null when the spec has no <c>pipeline:</c>.</summary>
    public IReadOnlyDictionary<string, object?>? Pipeline { get; init; }

    /// <summary>The instances, in order.</summary>
    public required IReadOnlyList<ServiceInstanceSpec> Instances { get; init; }
}
