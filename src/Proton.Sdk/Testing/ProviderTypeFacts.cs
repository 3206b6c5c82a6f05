namespace Proton.Sdk.Testing;

/// <summary>A resource type's required and create-only top-level properties, from its provider schema.</summary>
/// <param name="Required">The properties a resource of the type must give.</param>
/// <param name="CreateOnly">The properties whose change replaces the resource.</param>
internal sealed record ProviderTypeFacts(IReadOnlySet<string> Required, IReadOnlySet<string> CreateOnly);
