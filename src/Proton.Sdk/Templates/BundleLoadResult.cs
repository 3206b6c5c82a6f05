namespace Proton.Sdk.Templates;

/// <summary>The outcome of loading a bundle: the bundle when it is valid, and every diagnostic found.</summary>
/// <param name="Bundle">The bundle, or null when an error was found.</param>
/// <param name="Diagnostics">Errors and warnings, each with file, line and column.</param>
public sealed record BundleLoadResult(TemplateBundle? Bundle, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when the bundle loaded without errors.</summary>
    public bool Succeeded => Bundle is not null && Diagnostics.All(d => d.Severity != DiagnosticSeverity.Error);

    /// <summary>Returns the bundle or throws <see cref="ProtonValidationException"/> with every diagnostic.</summary>
    /// <returns>The bundle.</returns>
    public TemplateBundle GetBundleOrThrow()
        => Succeeded ? Bundle! : throw new ProtonValidationException("bundle.invalid", Diagnostics);
}
