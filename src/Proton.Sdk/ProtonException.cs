namespace Proton.Sdk;

/// <summary>The base of every error that Proton.Sdk raises on purpose. <see cref="ErrorCode"/> is stable across versions.</summary>
public class ProtonException : Exception
{
    /// <summary>Creates an exception with a stable error code and a message.</summary>
    /// <param name="errorCode">A stable, dotted error code such as <c>bundle.invalid</c>.</param>
    /// <param name="message">A message a developer understands.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public ProtonException(string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>A stable, dotted error code such as <c>bundle.invalid</c> or <c>render.undefined</c>.</summary>
    public string ErrorCode { get; }
}

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
