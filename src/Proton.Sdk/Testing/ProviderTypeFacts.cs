namespace Proton.Sdk.Testing;

/// <summary>A resource type's required top-level properties, from its provider schema.</summary>
/// <param name="Required">The properties a resource of the type must give.</param>
internal sealed record ProviderTypeFacts(IReadOnlySet<string> Required);
