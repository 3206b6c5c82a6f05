using System.Text;

namespace Proton.Sdk;

/// <summary>One problem found in a file or a value, with where it is.</summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Code">A stable, dotted code such as <c>yaml.syntax</c> or <c>schema.required</c>.</param>
/// <param name="Message">A message a developer understands.</param>
public sealed record Diagnostic(DiagnosticSeverity Severity, string Code, string Message)
{
    /// <summary>The file the problem is in, relative to the bundle root where there is one.</summary>
    public string? File { get; init; }

    /// <summary>1-based line, or 0 when unknown.</summary>
    public int Line { get; init; }

    /// <summary>1-based column, or 0 when unknown.</summary>
    public int Column { get; init; }

    /// <summary>The path of the value inside the document, such as <c>instances[1].spec.port</c>.</summary>
    public string? Path { get; init; }

    /// <summary>Creates an error.</summary>
    /// <param name="code">The stable code.</param>
    /// <param name="message">The message.</param>
    /// <param name="file">The file, if any.</param>
    /// <param name="line">The 1-based line, or 0.</param>
    /// <param name="column">The 1-based column, or 0.</param>
    /// <returns>The diagnostic.</returns>
    public static Diagnostic Error(string code, string message, string? file = null, int line = 0, int column = 0)
        => new(DiagnosticSeverity.Error, code, message) { File = file, Line = line, Column = column };

    /// <summary>Creates a warning.</summary>
    /// <param name="code">The stable code.</param>
    /// <param name="message">The message.</param>
    /// <param name="file">The file, if any.</param>
    /// <param name="line">The 1-based line, or 0.</param>
    /// <param name="column">The 1-based column, or 0.</param>
    /// <returns>The diagnostic.</returns>
    public static Diagnostic Warning(string code, string message, string? file = null, int line = 0, int column = 0)
        => new(DiagnosticSeverity.Warning, code, message) { File = file, Line = line, Column = column };

    /// <summary>Formats as <c>file:line:col: severity code: message</c>, the form compilers and CI annotations use.</summary>
    /// <returns>The formatted diagnostic.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (File is not null)
        {
            sb.Append(File);
            if (Line > 0)
            {
                sb.Append(':').Append(Line);
                if (Column > 0)
                {
                    sb.Append(':').Append(Column);
                }
            }

            sb.Append(": ");
        }

        sb.Append(Severity == DiagnosticSeverity.Error ? "error " : "warning ").Append(Code).Append(": ");
        if (Path is not null)
        {
            sb.Append(Path).Append(": ");
        }

        sb.Append(Message);
        return sb.ToString();
    }
}
