namespace Proton.Sdk.Policies;

/// <summary>A resource type the policy does not cover, and why.</summary>
/// <param name="TypeName">The type.</param>
/// <param name="LogicalIds">The resources of that type.</param>
/// <param name="Reason">No provider schema, no handlers in it, a custom resource, or a transform type.</param>
public sealed record UncoveredType(string TypeName, IReadOnlyList<string> LogicalIds, string Reason);
