namespace Proton.Sdk;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Worth knowing; the input is still usable.</summary>
    Warning,

    /// <summary>The input is invalid.</summary>
    Error,
}
