using System.Runtime.CompilerServices;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>One use of a secret input that <see cref="JinjaSecretCheck"/> refuses.</summary>
/// <param name="Line">1-based line of the expression.</param>
/// <param name="Column">1-based column of the expression.</param>
/// <param name="Inputs">The secret inputs the value holds or leads to.</param>
/// <param name="Whole">True when the value is an object that holds secrets (an inputs object, a namespace, a list), not a secret itself.</param>
/// <param name="What">What the template does with it, as a phrase ("passed through the filter 'upper'").</param>
internal sealed record SecretUse(int Line, int Column, IReadOnlyList<string> Inputs, bool Whole, string What);

/// <summary>
/// The static half of registration's secret rule: masking replaces a secret's exact text, so a secret input may only be
/// printed as it is. Walks the parsed template with what each value may hold (<see cref="SecretShape"/>) and reports every
/// other use: a secret used in an operator, comparison, condition, test, filter, method, slice, subscript, loop, argument,
/// list or variable; an inputs object (or a namespace above it) reached without a static name (a computed key, a dict method,
/// a filter, iteration, an operator, a variable holding the inputs object). Allowed: <c>{{ x.inputs.pw }}</c> as the whole
/// printed expression, optionally through <c>|safe</c> (the same text) or <c>|default(value)</c> (the secret as it is, or the
/// default when it is missing); <c>is defined</c>, <c>is undefined</c> and <c>is none</c> (presence, not the value); and for
/// a namespace or list above the inputs (<c>service_instances</c>) a static path, a loop over a list, its truth value,
/// <c>|length</c>, <c>|first</c>, <c>|last</c>, <c>|list</c>, <c>|reverse</c> and a variable that aliases it (followed).
/// Variables are followed without regard to order or scope (each name joins everything bound to it), which can only refuse more.
/// </summary>
internal sealed class JinjaSecretCheck
{
    private static readonly HashSet<string> DictMethods = ["clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values"];
    private static readonly HashSet<string> PresenceTests = ["defined", "undefined", "none"];
    private static readonly HashSet<string> ListFilters = ["first", "last", "list", "reverse"];
    private static readonly HashSet<string> CountFilters = ["length", "count"];

    private readonly SecretShape _root;
    private readonly Dictionary<string, SecretShape> _bound = new(StringComparer.Ordinal);
    private readonly List<SecretUse> _uses = [];
    private bool _report;
    private bool _changed;

    private JinjaSecretCheck(SecretShape root)
    {
        _root = root;
    }

    /// <summary>Every refused use of a secret in the template, in source order.</summary>
    /// <param name="body">The parsed template.</param>
    /// <param name="globals">The template's global names that lead to secrets (a map shape).</param>
    public static IReadOnlyList<SecretUse> Check(List<JNode> body, SecretShape globals)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(globals);
        var check = new JinjaSecretCheck(globals);

        // Variables first: what each name may hold, until nothing changes (shapes are finite, joins only grow).
        for (var pass = 0; pass < 64; pass++)
        {
            check._changed = false;
            check.Statements(body);
            if (!check._changed)
            {
                break;
            }
        }

        check._report = true;
        check.Statements(body);
        return check._uses
            .DistinctBy(u => (u.Line, u.Column, u.What))
            .OrderBy(u => u.Line).ThenBy(u => u.Column)
            .ToList();
    }

    private void Refuse(JNode at, SecretShape shape, string what)
    {
        if (_report)
        {
            var start = at is JExpr expr ? Start(expr) : at;
            _uses.Add(new SecretUse(start.Line, start.Column, shape.SecretNames(), shape.Kind != SecretShapeKind.Secret, what));
        }
    }

    /// <summary>Where an expression starts in the source: its leftmost part (a node's own location is its operator's).</summary>
    private static JExpr Start(JExpr expr)
    {
        while (true)
        {
            switch (expr)
            {
                case JBinary b:
                    expr = b.Left;
                    break;
                case JCompare c:
                    expr = c.First;
                    break;
                case JCondExpr ce:
                    expr = ce.Then;
                    break;
                case var link when IsLink(link):
                    expr = JChain.Target(link);
                    break;
                default:
                    return expr;
            }
        }
    }

    private void Bind(string name, SecretShape? shape)
    {
        if (shape is null)
        {
            return;
        }

        _bound.TryGetValue(name, out var current);
        var joined = SecretShape.Join(current, shape)!;
        if (current is null || current.Key != joined.Key)
        {
            _bound[name] = joined;
            _changed = true;
        }
    }

    private static bool Enough() => RuntimeHelpers.TryEnsureSufficientExecutionStack();

    private void Statements(List<JNode> nodes)
    {
        foreach (var node in nodes)
        {
            if (!Enough())
            {
                // Deeper than the stack allows to check (only when a host lifts the parser's nesting budget): refuse.
                Refuse(node, _root, "in a template nested too deeply to check");
                return;
            }

            switch (node)
            {
                case JOutput o:
                    Output(o.Expr);
                    break;
                case JIf i:
                    foreach (var (test, body) in i.Branches)
                    {
                        Condition(test);
                        Statements(body);
                    }

                    if (i.Else is not null)
                    {
                        Statements(i.Else);
                    }

                    break;
                case JFor f:
                    For(f);
                    break;
                case JSet s:
                    Set(s);
                    break;
            }
        }
    }

    private void Output(JExpr expr)
    {
        var shape = Value(expr);
        if (shape is not null && shape.Kind != SecretShapeKind.Secret)
        {
            Refuse(expr, shape, "printed whole");
        }
    }

    private void Condition(JExpr expr)
    {
        var shape = Value(expr);
        if (shape is { Kind: SecretShapeKind.Secret })
        {
            Refuse(expr, shape, "used as a condition");
        }
    }

    private void For(JFor node)
    {
        var shape = Value(node.Iter);
        if (shape is { Kind: SecretShapeKind.List } && node.Target is JName target)
        {
            Bind(target.Name, shape.Element);
        }
        else if (shape is not null)
        {
            Refuse(node.Iter, shape, "iterated over");
        }

        if (node.Filter is not null)
        {
            Condition(node.Filter);
        }

        Statements(node.Body);
        if (node.Else is not null)
        {
            Statements(node.Else);
        }
    }

    private void Set(JSet node)
    {
        var shape = Value(node.Value);
        if (shape is null)
        {
            return;
        }

        if (shape.Kind is SecretShapeKind.Map or SecretShapeKind.List && node.Target is JName target)
        {
            // A namespace or list above the inputs: the variable is followed like the name it aliases.
            Bind(target.Name, shape);
            return;
        }

        Refuse(node.Value, shape, "assigned to a variable");
    }

    /// <summary>An operand whose value must hold no secret.</summary>
    private void Use(JExpr expr, string what)
    {
        if (Value(expr) is { } shape)
        {
            Refuse(expr, shape, what);
        }
    }

    /// <summary>What the value of <paramref name="expr"/> may hold; refuses what its parts do with secrets on the way.</summary>
    private SecretShape? Value(JExpr expr)
    {
        if (!Enough())
        {
            Refuse(expr, _root, "in an expression nested too deeply to check");
            return null;
        }

        switch (expr)
        {
            case JConst:
                return null;
            case JName n:
                return Lookup(n.Name);
            case JGetAttr or JGetItem or JSlice or JFilter or JTest or JCall:
                return Postfix(expr);
            case JBinary b:
                // A run of operators is walked with a loop (a chain of any length does not recurse here).
                JExpr current = b;
                while (current is JBinary link)
                {
                    Use(link.Right, $"an operand of '{link.Op}'");
                    current = link.Left;
                }

                Use(current, $"an operand of '{b.Op}'");
                return null;
            case JUnary u:
                if (u.Op == "not")
                {
                    Condition(u.Operand);
                }
                else
                {
                    Use(u.Operand, $"an operand of '{u.Op}'");
                }

                return null;
            case JCompare c:
                Use(c.First, $"compared ('{c.Ops[0].Op}')");
                foreach (var (op, right) in c.Ops)
                {
                    Use(right, $"compared ('{op}')");
                }

                return null;
            case JCondExpr ce:
                Condition(ce.Test);
                Use(ce.Then, "a branch of an inline if");
                if (ce.Else is not null)
                {
                    Use(ce.Else, "a branch of an inline if");
                }

                return null;
            case JList l:
                l.Items.ForEach(i => Use(i, "put in a list"));
                return null;
            case JTuple t:
                t.Items.ForEach(i => Use(i, "put in a tuple"));
                return null;
            case JDict d:
                foreach (var (key, value) in d.Items)
                {
                    Use(key, "used as a dict key");
                    Use(value, "put in a dict");
                }

                return null;
            default:
                return null;
        }
    }

    private SecretShape? Lookup(string name)
    {
        _root.Children.TryGetValue(name, out var global);
        _bound.TryGetValue(name, out var bound);
        return SecretShape.Join(global, bound);
    }

    private static bool IsLink(JExpr node) => node is JGetAttr or JGetItem or JSlice or JFilter or JTest or JCall;

    /// <summary>A postfix chain (<c>a.b[k](x) | f(y) is t</c>), walked with a loop from its root outwards.</summary>
    private SecretShape? Postfix(JExpr expr)
    {
        var links = new List<JExpr>();
        var current = expr;
        while (IsLink(current))
        {
            links.Add(current);
            current = JChain.Target(current);
        }

        var shape = Value(current);
        for (var i = links.Count - 1; i >= 0; i--)
        {
            shape = Step(links[i], shape);
        }

        return shape;
    }

    private SecretShape? Step(JExpr link, SecretShape? shape)
    {
        switch (link)
        {
            case JGetAttr g:
                return Member(g, shape, g.Name, attribute: true);
            case JGetItem gi:
                Use(gi.Key, "used as a subscript");
                if (shape is null)
                {
                    return null;
                }

                return (shape.Kind, gi.Key) switch
                {
                    (SecretShapeKind.List, JConst { Value: not string }) or (SecretShapeKind.List, not JConst) => shape.Element,
                    (SecretShapeKind.Map or SecretShapeKind.Inputs or SecretShapeKind.List, JConst { Value: string key }) => Member(gi, shape, key, attribute: false),
                    (SecretShapeKind.Secret, _) => Refused(gi, shape, "subscripted"),
                    _ => Refused(gi, shape, "read with a computed key"),
                };
            case JSlice sl:
                foreach (var part in new[] { sl.Start, sl.Stop, sl.Step })
                {
                    if (part is not null)
                    {
                        Use(part, "used as a slice bound");
                    }
                }

                return shape is { Kind: SecretShapeKind.List } ? shape : shape is null ? null : Refused(sl, shape, "sliced");
            case JCall call:
                foreach (var arg in call.Args)
                {
                    Use(arg, "passed as an argument");
                }

                foreach (var (_, value) in call.Kwargs)
                {
                    Use(value, "passed as an argument");
                }

                return shape is null ? null : Refused(call, shape, "called");
            case JFilter f:
                foreach (var arg in f.Args)
                {
                    Use(arg, "passed as an argument");
                }

                foreach (var (_, value) in f.Kwargs)
                {
                    Use(value, "passed as an argument");
                }

                if (shape is null)
                {
                    return null;
                }

                var plain = f.Args.Count == 0 && f.Kwargs.Count == 0;
                if (shape.Kind == SecretShapeKind.Secret && ((plain && f.Name == "safe") || (f.Name is "default" or "d" && f.Args.Count == 1 && f.Kwargs.Count == 0)))
                {
                    // |safe gives the same text; |default(value) the secret as it is, or the value when the input is missing.
                    return shape;
                }

                if (plain && shape.Kind != SecretShapeKind.Secret && CountFilters.Contains(f.Name))
                {
                    return null;
                }

                if (plain && shape.Kind == SecretShapeKind.List && ListFilters.Contains(f.Name))
                {
                    return f.Name is "first" or "last" ? shape.Element : shape;
                }

                return Refused(f, shape, $"passed through the filter '{f.Name}'");
            case JTest t:
                foreach (var arg in t.Args)
                {
                    Use(arg, "passed as an argument");
                }

                if (shape is null || PresenceTests.Contains(t.Name))
                {
                    return null;
                }

                return Refused(t, shape, $"tested with 'is {t.Name}'");
            default:
                return null;
        }
    }

    /// <summary><c>x.name</c> (a method first, as jinja2's getattr) or <c>x['name']</c> (the key first).</summary>
    private SecretShape? Member(JExpr at, SecretShape? shape, string name, bool attribute)
    {
        if (shape is null)
        {
            return null;
        }

        switch (shape.Kind)
        {
            case SecretShapeKind.Secret:
                return Refused(at, shape, attribute ? $"read through its method or attribute '{name}'" : "subscripted");
            case SecretShapeKind.List:
                return Refused(at, shape, $"read through '{name}'");
        }

        if (attribute && DictMethods.Contains(name))
        {
            return Refused(at, shape, $"read through the dict method '{name}'");
        }

        if (shape.Children.TryGetValue(name, out var child))
        {
            return child;
        }

        // A key that holds no secret, unless it names a dict method that subscripts fall back to.
        return DictMethods.Contains(name) ? Refused(at, shape, $"read through the dict method '{name}'") : null;
    }

    private SecretShape? Refused(JNode at, SecretShape shape, string what)
    {
        Refuse(at, shape, what);
        return null;
    }
}
