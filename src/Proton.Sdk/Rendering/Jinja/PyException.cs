namespace Proton.Sdk.Rendering.Jinja;

/// <summary>
/// A Python error that a template caused (jinja2's TypeError, ValueError, ZeroDivisionError, OverflowError): a filter
/// given the wrong type, an operation on values that do not support it. <see cref="JinjaFunction"/> reports it as a
/// located render error. Any other exception from a function is a bug in Proton.Sdk and is not blamed on the template.
/// </summary>
/// <param name="kind">The render error kind: <see cref="JinjaErrorKind.Type"/> or <see cref="JinjaErrorKind.Value"/>.</param>
/// <param name="message">Python's message.</param>
internal sealed class PyException(JinjaErrorKind kind, string message) : Exception(message)
{
    public JinjaErrorKind Kind { get; } = kind;
}
