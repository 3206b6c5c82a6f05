namespace Proton.Sdk.Schema;

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
