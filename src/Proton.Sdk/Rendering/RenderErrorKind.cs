namespace Proton.Sdk.Rendering;

/// <summary>What went wrong in a render, matching jinja2's exception kinds.</summary>
public enum RenderErrorKind
{
    /// <summary>The template does not parse (jinja2's TemplateSyntaxError).</summary>
    Syntax,

    /// <summary>A value the template uses is not defined (jinja2's UndefinedError under StrictUndefined).</summary>
    Undefined,

    /// <summary>An operation got a value of the wrong type (Python's TypeError).</summary>
    Type,

    /// <summary>An operation got a value it cannot use (Python's ValueError).</summary>
    Value,

    /// <summary>A filter refused a value (for example <c>proton_cfn_sanitize</c>).</summary>
    Filter,

    /// <summary>A limit was hit: loop iterations, recursion, output size, regex time-out.</summary>
    Limit,
}
