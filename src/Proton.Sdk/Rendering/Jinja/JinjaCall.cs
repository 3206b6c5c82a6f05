using System.Runtime.CompilerServices;
using Scriban;
using Scriban.Syntax;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>
/// A call of a <see cref="JinjaFunction"/>: Scriban's own call node, which first checks the stack. Scriban evaluates eager
/// arguments before the function runs, so nested calls (<c>[[[...]]]</c>) recurse through here on the way down; with the
/// parser's nesting budget this never fires, it is the last line when a host lifts the budget.
/// </summary>
internal sealed class JinjaCall : ScriptFunctionCall
{
    public override object? Evaluate(TemplateContext context)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new JinjaRuntimeException(JinjaErrorKind.Limit, Span, "the expression nests too deeply for the renderer's stack");
        }

        return base.Evaluate(context);
    }
}
