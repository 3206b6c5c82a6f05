namespace Proton.Sdk;

/// <summary>Raised when input (a bundle, schema, spec or template) is invalid; carries every diagnostic found.</summary>
public sealed class ProtonValidationException : ProtonException
{
    /// <summary>Creates the exception from the diagnostics that made the input invalid.</summary>
    /// <param name="errorCode">The stable error code.</param>
    /// <param name="diagnostics">Every problem found, at least one.</param>
    public ProtonValidationException(string errorCode, IReadOnlyList<Diagnostic> diagnostics)
        : base(errorCode, FormatMessage(diagnostics))
    {
        Diagnostics = diagnostics;
    }

    /// <summary>Every problem found, each with its location.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    private static string FormatMessage(IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count == 0)
        {
            return "Invalid input.";
        }

        return errors.Count == 1
            ? errors[0].ToString()
            : $"{errors.Count} errors; the first: {errors[0]}";
    }
}
