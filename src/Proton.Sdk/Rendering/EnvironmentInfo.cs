namespace Proton.Sdk.Rendering;

/// <summary>An environment as templates see it: <c>environment.{name, account_id, inputs, outputs}</c>.</summary>
/// <param name="Name">The environment's name.</param>
public sealed record EnvironmentInfo(string Name)
{
    /// <summary>The AWS account the environment runs in, when known.</summary>
    public string? AccountId { get; init; }

    /// <summary>The environment's inputs (its spec after validation and defaults).</summary>
    public IReadOnlyDictionary<string, object?> Inputs { get; init; } = new Dictionary<string, object?>();

    /// <summary>The outputs of the environment's last successful deployment.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();
}
