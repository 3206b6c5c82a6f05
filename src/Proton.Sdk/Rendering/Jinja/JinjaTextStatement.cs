using Scriban;
using Scriban.Syntax;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>Template text: Scriban's raw statement that also records where it is, for an output-limit error.</summary>
internal sealed class JinjaTextStatement : ScriptRawStatement
{
    public override object? Evaluate(TemplateContext context)
    {
        var jinja = (JinjaTemplateContext)context;
        jinja.WriteSpan = Span;
        if (jinja.Buffer.Overflow is { } overflow)
        {
            throw overflow;
        }

        return base.Evaluate(context);
    }
}
