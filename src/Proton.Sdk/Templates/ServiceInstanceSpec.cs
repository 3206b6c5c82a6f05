namespace Proton.Sdk.Templates;

/// <summary>One instance of a <c>proton: ServiceSpec</c>.</summary>
/// <param name="Name">The instance name.</param>
/// <param name="Environment">The environment it runs in.</param>
/// <param name="Spec">Its inputs.</param>
public sealed record ServiceInstanceSpec(string Name, string Environment, IReadOnlyDictionary<string, object?> Spec);
