namespace Proton.Sdk.Schema;

/// <summary>A parsed Proton <c>schema.yaml</c>. Immutable; validators built from it are cached.</summary>
public sealed record ParameterSchema
{
    /// <summary>The schema file, for diagnostics.</summary>
    public required string SourceFile { get; init; }

    /// <summary><c>environment_input_type</c>, resolved; null for a service template.</summary>
    public SchemaInputType? EnvironmentInput { get; init; }

    /// <summary><c>service_input_type</c>, resolved; null for an environment template.</summary>
    public SchemaInputType? ServiceInput { get; init; }

    /// <summary><c>pipeline_input_type</c>, resolved; null when the template has no pipeline inputs.</summary>
    public SchemaInputType? PipelineInput { get; init; }

    /// <summary>Every type under <c>types</c>.</summary>
    public required IReadOnlyDictionary<string, SchemaInputType> Types { get; init; }

    /// <summary>The input type for a kind of inputs, or null.</summary>
    /// <param name="kind">Which inputs.</param>
    /// <returns>The input type or null.</returns>
    public SchemaInputType? InputType(InputKind kind) => kind switch
    {
        InputKind.Environment => EnvironmentInput,
        InputKind.ServiceInstance => ServiceInput,
        _ => PipelineInput,
    };
}
