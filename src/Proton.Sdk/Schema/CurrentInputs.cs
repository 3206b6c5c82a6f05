namespace Proton.Sdk.Schema;

/// <summary>The current inputs of the resources a spec updates, for <c>${Proton::CURRENT_VAL}</c>.</summary>
public sealed record CurrentInputs
{
    /// <summary>The environment's current inputs.</summary>
    public IReadOnlyDictionary<string, object?>? Environment { get; init; }

    /// <summary>Each existing instance's current inputs, by instance name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> Instances { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, object?>>();

    /// <summary>The pipeline's current inputs.</summary>
    public IReadOnlyDictionary<string, object?>? Pipeline { get; init; }
}
