namespace Proton.Sdk.Migration;

/// <summary>A service as discovery found it: its instances and its pipeline.</summary>
/// <param name="Name">The service.</param>
/// <param name="TemplateName">The service template.</param>
/// <param name="Instances">The instances by name.</param>
/// <param name="Pipeline">The pipeline, when a stack was found for it.</param>
public sealed record DiscoveredService(string Name, string TemplateName, IReadOnlyList<DiscoveredResource> Instances, DiscoveredResource? Pipeline);
