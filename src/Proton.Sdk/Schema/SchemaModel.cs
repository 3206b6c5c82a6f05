using Proton.Sdk.Templates;

namespace Proton.Sdk.Schema;

/// <summary>The value types Proton schemas use.</summary>
public enum SchemaValueType
{
    /// <summary><c>type: string</c>.</summary>
    String,

    /// <summary><c>type: number</c> (integers stay integers).</summary>
    Number,

    /// <summary><c>type: integer</c>.</summary>
    Integer,

    /// <summary><c>type: boolean</c>.</summary>
    Boolean,

    /// <summary><c>type: array</c> with primitive <c>items</c>.</summary>
    Array,
}

/// <summary>Which of a template's input types a set of inputs belongs to.</summary>
public enum InputKind
{
    /// <summary><c>environment_input_type</c>: an environment's <c>spec</c>.</summary>
    Environment,

    /// <summary><c>service_input_type</c>: each service instance's <c>spec</c>.</summary>
    ServiceInstance,

    /// <summary><c>pipeline_input_type</c>: a service's <c>pipeline</c>.</summary>
    Pipeline,
}

/// <summary>One input parameter (a property of an input type). Immutable.</summary>
public sealed record SchemaProperty
{
    /// <summary>The input's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its type.</summary>
    public required SchemaValueType Type { get; init; }

    /// <summary>The console label.</summary>
    public string? Title { get; init; }

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>True when the schema gives a default (which may be null).</summary>
    public bool HasDefault { get; init; }

    /// <summary>The default value.</summary>
    public object? Default { get; init; }

    /// <summary>The allowed values, or null.</summary>
    public IReadOnlyList<object?>? Enum { get; init; }

    /// <summary>An ECMAScript regular expression strings must match.</summary>
    public string? Pattern { get; init; }

    /// <summary>The lower bound of numbers.</summary>
    public double? Minimum { get; init; }

    /// <summary>The upper bound of numbers.</summary>
    public double? Maximum { get; init; }

    /// <summary>True when <see cref="Minimum"/> itself is excluded.</summary>
    public bool ExclusiveMinimum { get; init; }

    /// <summary>True when <see cref="Maximum"/> itself is excluded.</summary>
    public bool ExclusiveMaximum { get; init; }

    /// <summary>The shortest string.</summary>
    public int? MinLength { get; init; }

    /// <summary>The longest string.</summary>
    public int? MaxLength { get; init; }

    /// <summary>The fewest array items.</summary>
    public int? MinItems { get; init; }

    /// <summary>The most array items.</summary>
    public int? MaxItems { get; init; }

    /// <summary>True when array items must be distinct.</summary>
    public bool UniqueItems { get; init; }

    /// <summary>The item schema of an array.</summary>
    public SchemaProperty? Items { get; init; }

    /// <summary>An example value (informational).</summary>
    public object? Example { get; init; }

    /// <summary>The <c>format</c> keyword; <c>password</c> marks a secret.</summary>
    public string? Format { get; init; }

    /// <summary>True for <c>format: password</c>: the value never appears in logs, diagnostics or records.</summary>
    public bool IsSecret => string.Equals(Format, "password", StringComparison.Ordinal);

    /// <summary>Where the property is defined in schema.yaml.</summary>
    public SourceLocation Location { get; init; }
}

/// <summary>A named input type: <c>type: object</c> with properties and <c>required</c>. Immutable.</summary>
public sealed record SchemaInputType
{
    /// <summary>The type's name under <c>types</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>The properties in schema order.</summary>
    public required IReadOnlyList<SchemaProperty> Properties { get; init; }

    /// <summary>The names listed in <c>required</c>.</summary>
    public IReadOnlyList<string> Required { get; init; } = [];

    /// <summary>The property with this name, or null.</summary>
    /// <param name="name">The input name.</param>
    /// <returns>The property or null.</returns>
    public SchemaProperty? Property(string name) => Properties.FirstOrDefault(p => p.Name == name);

    /// <summary>True when the input must be given (required and without a default).</summary>
    /// <param name="name">The input name.</param>
    /// <returns>Whether it must be given.</returns>
    public bool MustBeGiven(string name) => Required.Contains(name) && Property(name) is { HasDefault: false };
}

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

/// <summary>The outcome of parsing a schema: the schema when it is valid, and every diagnostic.</summary>
/// <param name="Schema">The schema, or null when there are errors.</param>
/// <param name="Diagnostics">Errors and warnings with file, line and column.</param>
public sealed record SchemaParseResult(ParameterSchema? Schema, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when the schema parsed and checked without errors.</summary>
    public bool Succeeded => Schema is not null;

    /// <summary>Returns the schema or throws <see cref="ProtonValidationException"/>.</summary>
    /// <returns>The schema.</returns>
    public ParameterSchema GetSchemaOrThrow() => Schema ?? throw new ProtonValidationException("schema.invalid", Diagnostics);
}
