namespace Proton.Sdk.Rendering;

/// <summary>A service instance as templates see it.</summary>
/// <param name="Name">The instance's name.</param>
/// <param name="Environment">The environment it runs in.</param>
public sealed record ServiceInstanceInfo(string Name, EnvironmentInfo Environment)
{
    /// <summary>The instance's inputs (after validation and defaults).</summary>
    public IReadOnlyDictionary<string, object?> Inputs { get; init; } = new Dictionary<string, object?>();

    /// <summary>The outputs of the instance's last successful deployment (seen by the pipeline).</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();

    /// <summary>Outputs of the attached component, seen as <c>service_instance.components.default.outputs</c>; empty when none is attached.</summary>
    public IReadOnlyDictionary<string, string> ComponentOutputs { get; init; } = new Dictionary<string, string>();
}
