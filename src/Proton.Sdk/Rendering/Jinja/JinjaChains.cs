using System.Text;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>
/// Flat forms of constructs that chain without nesting in the source (<c>a + b + c</c>, <c>x | f | g</c>, <c>s.upper().lower()</c>,
/// <c>a &lt; b &lt; c</c>, <c>a ~ b ~ c</c>): one call evaluated by a loop, so a chain of any length never recurses in the
/// compiler or in Scriban's evaluator. The steps run in the order and with the locations the nested form had.
/// </summary>
internal static class JinjaChains
{
    /// <summary>a[0] is the first value; then each step's arguments, as expressions, in order.</summary>
    public static JinjaFunction Pipeline(ChainStep[] steps) => new("chain", (c, s, a) =>
    {
        var value = a[0];
        var k = 1;
        foreach (var step in steps)
        {
            var args = new ScriptArray { value };
            for (var i = 0; i < step.ArgCount; i++, k++)
            {
                // The step's own lazy parameters (the right side of and/or) stay unevaluated, as in the nested form.
                args.Add(step.Function.IsLazy(i + 1) ? a[k] : c.Evaluate((ScriptExpression)a[k]!));
            }

            value = step.Function.Invoke(c, step.Caller, args, null);
        }

        return value;
    }, lazyFrom: 1, checksSize: false);

    /// <summary><c>a op1 b op2 c ...</c>: each operand evaluated once, stops at the first false comparison (Python's chained comparison).</summary>
    public static JinjaFunction Comparisons(JinjaFunction[] comparisons, ScriptNode[] callers) => new("compare_chain", (c, s, a) =>
    {
        var left = a[0];
        object? result = null;
        for (var i = 0; i < comparisons.Length; i++)
        {
            var right = c.Evaluate((ScriptExpression)a[i + 1]!);
            result = comparisons[i].Invoke(c, callers[i], [left, right], null);
            if (!c.ToBool(callers[i].Span, result))
            {
                return result;
            }

            left = right;
        }

        return result;
    }, lazyFrom: 1, checksSize: false);

    /// <summary>
    /// <c>a ~ b ~ c ...</c> into one buffer (the nested form copies the growing string at every step), checked against the value size
    /// limit as it grows. Undefined operands fail where the nested form failed: the first two after both are evaluated, then each in turn.
    /// </summary>
    public static JinjaFunction Concatenation(SourceSpan[] spans) => new("concat_chain", (c, s, a) =>
    {
        var sb = new StringBuilder();
        var second = c.Evaluate((ScriptExpression)a[1]!);
        Append(sb, JinjaRuntime.CheckString(a[0], spans[0]), c, spans[0]);
        Append(sb, JinjaRuntime.CheckString(second, spans[0]), c, spans[0]);
        for (var i = 2; i < a.Count; i++)
        {
            var next = c.Evaluate((ScriptExpression)a[i]!);
            Append(sb, JinjaRuntime.CheckString(next, spans[i - 1]), c, spans[i - 1]);
        }

        return sb.ToString();
    }, lazyFrom: 1);

    private static void Append(StringBuilder sb, string text, JinjaTemplateContext c, SourceSpan span)
    {
        if ((long)sb.Length + text.Length > c.MaxValueChars)
        {
            throw new JinjaRuntimeException(JinjaErrorKind.Limit, span, $"an operation would produce a string longer than {c.MaxValueChars} characters, the value size limit");
        }

        sb.Append(text);
    }
}
