namespace Proton.Sdk.Rendering.Jinja;

internal abstract record JNode(int Line, int Column);

// Statements
internal sealed record JText(string Text, int Line, int Column) : JNode(Line, Column);

internal sealed record JOutput(JExpr Expr, int Line, int Column) : JNode(Line, Column);

internal sealed record JIf(List<(JExpr Test, List<JNode> Body)> Branches, List<JNode>? Else, int Line, int Column) : JNode(Line, Column);

internal sealed record JFor(JExpr Target, JExpr Iter, JExpr? Filter, List<JNode> Body, List<JNode>? Else, int Line, int Column) : JNode(Line, Column);

internal sealed record JSet(JExpr Target, JExpr Value, int Line, int Column) : JNode(Line, Column);

// Expressions
internal abstract record JExpr(int Line, int Column) : JNode(Line, Column);

internal sealed record JName(string Name, int Line, int Column) : JExpr(Line, Column);

internal sealed record JConst(object? Value, int Line, int Column) : JExpr(Line, Column);

internal sealed record JList(List<JExpr> Items, int Line, int Column) : JExpr(Line, Column);

internal sealed record JTuple(List<JExpr> Items, int Line, int Column) : JExpr(Line, Column);

internal sealed record JDict(List<(JExpr Key, JExpr Value)> Items, int Line, int Column) : JExpr(Line, Column);

internal sealed record JGetAttr(JExpr Target, string Name, int Line, int Column) : JExpr(Line, Column);

internal sealed record JGetItem(JExpr Target, JExpr Key, int Line, int Column) : JExpr(Line, Column);

internal sealed record JSlice(JExpr Target, JExpr? Start, JExpr? Stop, JExpr? Step, int Line, int Column) : JExpr(Line, Column);

internal sealed record JCall(JExpr Callee, List<JExpr> Args, List<(string Name, JExpr Value)> Kwargs, int Line, int Column) : JExpr(Line, Column);

internal sealed record JFilter(JExpr Value, string Name, List<JExpr> Args, List<(string Name, JExpr Value)> Kwargs, int Line, int Column) : JExpr(Line, Column);

internal sealed record JTest(JExpr Value, string Name, List<JExpr> Args, bool Negated, int Line, int Column) : JExpr(Line, Column);

internal sealed record JBinary(string Op, JExpr Left, JExpr Right, int Line, int Column) : JExpr(Line, Column);

internal sealed record JUnary(string Op, JExpr Operand, int Line, int Column) : JExpr(Line, Column);

internal sealed record JCompare(JExpr First, List<(string Op, JExpr Right)> Ops, int Line, int Column) : JExpr(Line, Column);

internal sealed record JCondExpr(JExpr Test, JExpr Then, JExpr? Else, int Line, int Column) : JExpr(Line, Column);

/// <summary>Postfix chains (<c>a.b[k](x) | f(y) is t</c>): the operand each link applies to.</summary>
internal static class JChain
{
    /// <summary>The expression a link (attribute, subscript, slice, call, filter or test) applies to.</summary>
    public static JExpr Target(JExpr link) => link switch
    {
        JGetAttr g => g.Target,
        JGetItem gi => gi.Target,
        JSlice sl => sl.Target,
        JCall c => c.Callee,
        JFilter f => f.Value,
        _ => ((JTest)link).Value,
    };
}
