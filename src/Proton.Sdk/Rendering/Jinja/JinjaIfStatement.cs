using Scriban;
using Scriban.Syntax;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>
/// <c>if / elif / else</c> as one statement that tries its conditions in a loop (Scriban's own if statement nests an
/// else-if per <c>elif</c>, and evaluating it recurses once per branch).
/// </summary>
internal sealed class JinjaIfStatement : ScriptStatement
{
    private readonly ScriptExpression[] _conditions;
    private readonly ScriptBlockStatement[] _bodies;
    private readonly ScriptBlockStatement? _else;

    public JinjaIfStatement(ScriptExpression[] conditions, ScriptBlockStatement[] bodies, ScriptBlockStatement? otherwise)
    {
        _conditions = conditions;
        _bodies = bodies;
        _else = otherwise;
    }

    public override object? Evaluate(TemplateContext context)
    {
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new JinjaRuntimeException(JinjaErrorKind.Limit, Span, "the template nests too deeply for the renderer's stack");
        }

        for (var i = 0; i < _conditions.Length; i++)
        {
            // Scriban calls the context's ToBool, which JinjaTemplateContext overrides with Python's truthiness.
            if (context.ToBool(_conditions[i].Span, context.Evaluate(_conditions[i])))
            {
                return context.Evaluate(_bodies[i]);
            }
        }

        return _else is null ? null : context.Evaluate(_else);
    }

    public override void PrintTo(ScriptPrinter printer)
    {
        for (var i = 0; i < _conditions.Length; i++)
        {
            printer.Write(i == 0 ? "{% if " : "{% elif ");
            printer.Write(_conditions[i]);
            printer.Write(" %}");
            printer.Write(_bodies[i]);
        }

        if (_else is not null)
        {
            printer.Write("{% else %}");
            printer.Write(_else);
        }

        printer.Write("{% endif %}");
    }
}
