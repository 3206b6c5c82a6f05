namespace Proton.Sdk.Versioning;

/// <summary>Validated inputs for <see cref="RegistrationCheck.RenderAll"/>; a part left null gets defaults and synthetic values.</summary>
public sealed record RegistrationCheckInputs
{
    /// <summary>The environment's inputs.</summary>
    public IReadOnlyDictionary<string, object?>? Environment { get; init; }

    /// <summary>A service instance's inputs.</summary>
    public IReadOnlyDictionary<string, object?>? Instance { get; init; }

    /// <summary>The pipeline's inputs.</summary>
    public IReadOnlyDictionary<string, object?>? Pipeline { get; init; }
}
