namespace Proton.Sdk.Templates;

/// <summary><c>proton: EnvironmentSpec</c>: the inputs of an environment.</summary>
public sealed record EnvironmentSpec : ProtonSpec
{
    /// <summary>The inputs under <c>spec:</c>.</summary>
    public required IReadOnlyDictionary<string, object?> Spec { get; init; }
}
