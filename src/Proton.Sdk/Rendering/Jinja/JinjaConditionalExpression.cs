using System.Runtime.CompilerServices;
using Scriban;
using Scriban.Syntax;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>An inline <c>a if b else c</c>: Scriban's conditional node, which first checks the stack (see <see cref="JinjaCall"/>).</summary>
internal sealed class JinjaConditionalExpression : ScriptConditionalExpression
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
