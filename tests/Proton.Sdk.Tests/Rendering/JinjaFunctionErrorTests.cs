using Proton.Sdk.Rendering;
using Proton.Sdk.Rendering.Jinja;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Proton.Sdk.Tests.Rendering;

/// <summary>
/// Issue #13: a filter or operation given values it cannot take is the template's fault (a located <c>render.*</c>
/// error); an exception from a bug in a function body is not, and surfaces as itself.
/// </summary>
public sealed class JinjaFunctionErrorTests
{
    private static readonly RenderContext Empty = RenderContext.From(new Dictionary<string, object?>());

    public static TheoryData<string, RenderErrorKind, string> TemplateFaults() => new()
    {
        { "{{ 'hello world' | truncate('ten') }}", RenderErrorKind.Type, "'str' object cannot be interpreted as an integer" },
        { "{{ 'abc' | replace('a', 'b', 'x') }}", RenderErrorKind.Type, "'str' object cannot be interpreted as an integer" },
        { "{{ 'abc' | indent([1]) }}", RenderErrorKind.Type, "'list' object cannot be interpreted as an integer" },
        { "{{ 7 is divisibleby 0 }}", RenderErrorKind.Type, "integer division or modulo by zero" },
        { "{{ 9223372036854775807 + 1 }}", RenderErrorKind.Value, "overflow" },
        { "{{ {'a': 1} | tojson(-1) }}", RenderErrorKind.Value, "tojson indent must be between 0" },
        { "{{ 1.5 * {} }}", RenderErrorKind.Type, "unsupported operand type(s) for *: 'float' and 'dict'" },
    };

    [Theory]
    [MemberData(nameof(TemplateFaults))]
    public void Render_FilterOrOperationGivenTheWrongValue_IsALocatedTemplateError(string expression, RenderErrorKind kind, string message)
    {
        var ex = Assert.Throws<RenderException>(() => new TemplateRenderer().Render("a: 1\nb: " + expression + "\n", "t.yaml", Empty));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(RenderErrorCodes.For(kind), ex.ErrorCode);
        Assert.StartsWith("render.", ex.ErrorCode, StringComparison.Ordinal);
        Assert.Contains(message, ex.Detail, StringComparison.Ordinal);
        Assert.Equal(("t.yaml", 2), (ex.File, ex.Line));
        Assert.True(ex.Column > 1, $"column {ex.Column}");
    }

    [Fact]
    public void Render_IntegerTooLargeForInt_IsAValueError()
    {
        var ex = Assert.Throws<RenderException>(() => new TemplateRenderer().Render("{{ ('f' * 40) | int(0, 16) }}", "t.yaml", Empty));

        Assert.Equal(RenderErrorKind.Value, ex.Kind);
        Assert.Equal(1, ex.Line);
    }

    public static TheoryData<Exception> Bugs() => new()
    {
        new InvalidCastException("bug: cast"),
        new IndexOutOfRangeException("bug: index"),
        new KeyNotFoundException("bug: key"),
        new ArgumentException("bug: argument"),
        new ArgumentOutOfRangeException("width", "bug: range"),
        new InvalidOperationException("bug: state"),
        new FormatException("bug: format"),
        new NullReferenceException("bug: null"),
    };

    [Theory]
    [MemberData(nameof(Bugs))]
    public void Invoke_FunctionBodyThrowsARuntimeBug_SurfacesAsItselfNotAsATemplateError(Exception bug)
    {
        var function = new JinjaFunction("filter:buggy", (c, s, a) => throw bug);

        var thrown = Assert.ThrowsAny<Exception>(() => Call(function, 7L));

        Assert.Same(bug, thrown);
    }

    [Fact]
    public void Invoke_FunctionBodyRaisesAPythonError_BecomesALocatedJinjaError()
    {
        var function = new JinjaFunction("filter:strict", (c, s, a) => PyValues.AsLong(a[0]));

        var ex = Assert.Throws<JinjaRuntimeException>(() => Call(function, "seven"));

        Assert.Equal(JinjaErrorKind.Type, ex.Kind);
        Assert.Equal("'str' object cannot be interpreted as an integer", ex.OriginalMessage);
        Assert.Equal((3, 9), (ex.Span.Start.Line, ex.Span.Start.Column));
    }

    [Fact]
    public void Invoke_FunctionBodyWorks_ReturnsItsValue()
    {
        var function = new JinjaFunction("filter:double", (c, s, a) => PyValues.AsLong(a[0]) * 2);

        Assert.Equal(14L, Call(function, 7L));
    }

    /// <summary>Calls the function the way a compiled template does: Scriban's call node, inside a Jinja context.</summary>
    private static object? Call(JinjaFunction function, object? argument)
    {
        var context = new JinjaTemplateContext(new ScriptObject());
        context.PushGlobal(new ScriptObject { ["f"] = function });
        var call = new JinjaCall
        {
            Target = new ScriptVariableGlobal("f"),
            Span = new SourceSpan("t.yaml", new TextPosition(0, 3, 9), new TextPosition(0, 3, 12)),
        };
        call.Arguments.Add(new ScriptLiteral(argument));
        return call.Evaluate(context);
    }
}
