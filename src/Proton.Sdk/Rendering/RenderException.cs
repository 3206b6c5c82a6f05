namespace Proton.Sdk.Rendering;

/// <summary>A render or compile failure with the original template file, line and column.</summary>
public sealed class RenderException : ProtonException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">The kind of failure.</param>
    /// <param name="message">What was wrong.</param>
    /// <param name="file">The template file.</param>
    /// <param name="line">1-based line, 0 when unknown.</param>
    /// <param name="column">1-based column, 0 when unknown.</param>
    public RenderException(RenderErrorKind kind, string message, string file, int line, int column)
        : base(RenderErrorCodes.For(kind), $"{file}:{line}:{column}: {message}")
    {
        Kind = kind;
        Detail = message;
        File = file;
        Line = line;
        Column = column;
    }

    /// <summary>The kind of failure.</summary>
    public RenderErrorKind Kind { get; }

    /// <summary>The message without the location.</summary>
    public string Detail { get; }

    /// <summary>The template file.</summary>
    public string File { get; }

    /// <summary>1-based line.</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>The failure as a diagnostic.</summary>
    /// <returns>A diagnostic with code <c>render.&lt;kind&gt;</c>.</returns>
    public Diagnostic ToDiagnostic() => Diagnostic.Error(ErrorCode, Detail, File, Line, Column);
}
