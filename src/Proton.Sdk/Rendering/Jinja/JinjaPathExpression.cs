using Scriban;
using Scriban.Syntax;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>
/// An attribute/subscript chain rooted at a variable (<c>service_instance.inputs.port</c>), as a node of Scriban's tree:
/// Scriban resolves the root variable through its scopes and evaluates the node like any other expression.
/// </summary>
internal sealed class JinjaPathExpression : ScriptExpression
{
    private readonly ScriptVariableGlobal _root;
    private readonly PathStep[] _steps;
    private readonly bool _output;

    public JinjaPathExpression(ScriptVariableGlobal root, PathStep[] steps, bool output)
    {
        _root = root;
        _steps = steps;
        _output = output;
    }

    public override object? Evaluate(TemplateContext context)
    {
        var value = JinjaRuntime.WalkPath(context.GetValue(_root), _steps);
        if (_output)
        {
            ((JinjaTemplateContext)context).WriteSpan = Span;
        }

        try
        {
            return _output ? JinjaRuntime.CheckString(value, Span) : value;
        }
        catch (JinjaLimitException ex)
        {
            throw new JinjaRuntimeException(JinjaErrorKind.Limit, Span, ex.Message);
        }
    }

    public override void PrintTo(ScriptPrinter printer)
    {
        printer.Write(_root.Name);
        foreach (var step in _steps)
        {
            printer.Write(step.Name is null ? $"[{step.Key}]" : "." + step.Name);
        }
    }
}
