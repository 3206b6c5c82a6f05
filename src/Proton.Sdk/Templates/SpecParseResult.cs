namespace Proton.Sdk.Templates;

/// <summary>The outcome of parsing a spec file.</summary>
/// <param name="Spec">The spec, or null when it has errors.</param>
/// <param name="Diagnostics">Errors and warnings with file, line and column.</param>
public sealed record SpecParseResult(ProtonSpec? Spec, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when the spec parsed without errors.</summary>
    public bool Succeeded => Spec is not null;

    /// <summary>Returns the spec or throws <see cref="ProtonValidationException"/>.</summary>
    /// <returns>The spec.</returns>
    public ProtonSpec GetSpecOrThrow() => Spec ?? throw new ProtonValidationException(SpecErrorCodes.Invalid, Diagnostics);
}
