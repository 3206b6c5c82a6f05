using Scriban.Parsing;
using Scriban.Syntax;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>
/// Turns the Jinja AST into a Scriban syntax tree (<see cref="ScriptPage"/>) that Scriban's runtime evaluates.
/// Text becomes raw statements, <c>if</c>/<c>for</c>/<c>set</c> become Scriban's own statements, and Python's value
/// semantics (attribute lookup, comparisons, filters) are calls to <see cref="JinjaFunction"/>s.
/// Jinja's scoping (a <c>for</c> body is a scope, an <c>if</c> is not) is kept by renaming names bound in a loop body.
/// One node type is ours: <see cref="JinjaPathExpression"/>, an attribute chain rooted at a variable (the construct
/// behind nearly every <c>{{ }}</c> in Proton templates). It is a Scriban expression node that Scriban's runtime
/// evaluates like its own; through a function call the same chain cost about twice as much per render.
/// </summary>
internal sealed class JinjaCompiler
{
    private readonly string _file;
    private readonly List<Dictionary<string, string>> _scopes = [];
    private int _loopCounter;

    private JinjaCompiler(string file)
    {
        _file = file;
    }

    public static ScriptPage Compile(List<JNode> body, string file)
    {
        var compiler = new JinjaCompiler(file);
        var page = new ScriptPage { Body = compiler.Block(body) };
        return page;
    }

    private SourceSpan Span(JNode node)
    {
        var pos = new TextPosition(0, node.Line - 1, node.Column - 1);
        return new SourceSpan(_file, pos, pos);
    }

    private JinjaSyntaxException Fail(string message, JNode at) => new(message, at.Line, at.Column);

    private ScriptBlockStatement Block(List<JNode> nodes, List<ScriptStatement>? prelude = null)
    {
        var block = new ScriptBlockStatement();
        if (prelude is not null)
        {
            foreach (var p in prelude)
            {
                block.Statements.Add(p);
            }
        }

        foreach (var node in nodes)
        {
            block.Statements.Add(Statement(node));
        }

        return block;
    }

    private ScriptStatement Statement(JNode node)
    {
        switch (node)
        {
            case JText t:
                return new ScriptRawStatement { Text = new ScriptStringSlice(t.Text), Span = Span(t) };
            case JOutput o:
                var path = Path(o.Expr, output: true);
                return new ScriptExpressionStatement
                {
                    Expression = path ?? Call(JinjaRuntime.Output, o, Expr(o.Expr)),
                    Span = Span(o),
                };
            case JIf i:
                return If(i, 0);
            case JFor f:
                return For(f);
            case JSet s:
                return Set(s);
            default:
                throw Fail($"unexpected node {node.GetType().Name}", node);
        }
    }

    private ScriptIfStatement If(JIf node, int branch)
    {
        var (test, body) = node.Branches[branch];
        var statement = new ScriptIfStatement
        {
            // Scriban calls the context's ToBool, which JinjaTemplateContext overrides with Python's truthiness.
            Condition = Expr(test),
            Then = Block(body),
            Span = Span(test),
        };
        if (branch + 1 < node.Branches.Count)
        {
            statement.Else = If(node, branch + 1);
        }
        else if (node.Else is not null)
        {
            statement.Else = new ScriptElseStatement { Body = Block(node.Else) };
        }

        return statement;
    }

    private ScriptStatement Set(JSet node)
    {
        if (node.Target is JName name)
        {
            return Assign(Resolve(name.Name), Expr(node.Value), node);
        }

        var names = ((JTuple)node.Target).Items.Cast<JName>().ToList();
        var block = new ScriptBlockStatement();
        var temp = $"@unpack{++_loopCounter}";
        block.Statements.Add(Assign(temp, Call(JinjaRuntime.Unpack, node, Expr(node.Value), Lit((long)names.Count, node)), node));
        for (var i = 0; i < names.Count; i++)
        {
            block.Statements.Add(Assign(Resolve(names[i].Name), Call(JinjaRuntime.GetItem, node, Var(temp, node), Lit((long)i, node)), node));
        }

        return block;
    }

    private ScriptExpressionStatement Assign(string variable, ScriptExpression value, JNode at)
        => new()
        {
            Expression = new ScriptAssignExpression { Target = new ScriptVariableGlobal(variable) { Span = Span(at) }, Value = value, Span = Span(at) },
            Span = Span(at),
        };

    private ScriptForStatement For(JFor node)
    {
        var id = ++_loopCounter;
        var iter = Expr(node.Iter);

        // Names bound in the body (targets and sets, not inside nested loops) are local to each iteration.
        var bound = new List<string>();
        CollectTargets(node.Target, bound);
        var targets = bound.ToList();
        CollectSets(node.Body, bound);
        var scope = bound.Distinct().ToDictionary(n => n, n => $"{n}@{id}", StringComparer.Ordinal);

        // Sets start each iteration from the enclosing value, as jinja2 does.
        var prelude = new List<ScriptStatement>();
        foreach (var name in scope.Keys.Where(n => !targets.Contains(n)))
        {
            prelude.Add(Assign(scope[name], Var(Resolve(name), node), node));
        }

        string loopVariable;
        _scopes.Add(scope);
        try
        {
            if (node.Target is JName single)
            {
                loopVariable = scope[single.Name];
            }
            else
            {
                loopVariable = $"@item{id}";
                var names = ((JTuple)node.Target).Items.Cast<JName>().ToList();
                var temp = $"@unpack{id}";
                prelude.Insert(0, Assign(temp, Call(JinjaRuntime.Unpack, node, Var(loopVariable, node), Lit((long)names.Count, node)), node));
                for (var i = 0; i < names.Count; i++)
                {
                    prelude.Insert(i + 1, Assign(scope[names[i].Name], Call(JinjaRuntime.GetItem, node, Var(temp, node), Lit((long)i, node)), node));
                }
            }

            if (node.Filter is not null)
            {
                if (node.Target is not JName)
                {
                    throw Fail("a loop filter ('for ... if ...') needs a single loop variable in Proton.Sdk templates.", node);
                }

                iter = Call(JinjaRuntime.FilteredIter, node, iter, Expr(node.Filter), Lit(loopVariable, node));
            }
            else
            {
                iter = Call(JinjaRuntime.Iter, node, iter);
            }

            var statement = new ScriptForStatement
            {
                Variable = new ScriptVariableGlobal(loopVariable) { Span = Span(node) },
                Iterator = iter,
                Body = Block(node.Body, prelude),
                Span = Span(node),
            };
            _scopes.RemoveAt(_scopes.Count - 1);
            if (node.Else is not null)
            {
                statement.Else = new ScriptElseStatement { Body = Block(node.Else) };
            }

            return statement;
        }
        finally
        {
            if (_scopes.Count > 0 && ReferenceEquals(_scopes[^1], scope))
            {
                _scopes.RemoveAt(_scopes.Count - 1);
            }
        }
    }

    private static void CollectTargets(JExpr target, List<string> names)
    {
        if (target is JName n)
        {
            names.Add(n.Name);
        }
        else if (target is JTuple t)
        {
            foreach (var item in t.Items)
            {
                CollectTargets(item, names);
            }
        }
    }

    private static void CollectSets(List<JNode> body, List<string> names)
    {
        foreach (var node in body)
        {
            switch (node)
            {
                case JSet s:
                    CollectTargets(s.Target, names);
                    break;
                case JIf i:
                    foreach (var (_, b) in i.Branches)
                    {
                        CollectSets(b, names);
                    }

                    if (i.Else is not null)
                    {
                        CollectSets(i.Else, names);
                    }

                    break;
            }
        }
    }

    private string Resolve(string name)
    {
        for (var i = _scopes.Count - 1; i >= 0; i--)
        {
            if (_scopes[i].TryGetValue(name, out var renamed))
            {
                return renamed;
            }
        }

        return name;
    }

    private bool InLoop => _scopes.Count > 0;

    private ScriptVariableGlobal Var(string name, JNode at) => new(name) { Span = Span(at) };

    private ScriptLiteral Lit(object? value, JNode at) => new(value) { Span = Span(at) };

    private ScriptFunctionCall Call(JinjaFunction function, JNode at, params ScriptExpression[] args)
    {
        var call = new ScriptFunctionCall { Target = new ScriptLiteral(function) { Span = Span(at) }, Span = Span(at), ExplicitCall = true };
        foreach (var arg in args)
        {
            call.Arguments.Add(arg);
        }

        return call;
    }

    private ScriptExpression Expr(JExpr node)
    {
        switch (node)
        {
            case JConst c:
                return Lit(c.Value, c);
            case JName n:
                if (n.Name == "loop" && InLoop && Resolve("loop") == "loop")
                {
                    return Call(JinjaRuntime.Loop, n, new ScriptVariableGlobal("for") { Span = Span(n) });
                }

                if (n.Name == "range" || n.Name == "dict")
                {
                    return Lit(n.Name == "range" ? JinjaRuntime.Range : JinjaRuntime.MakeDict, n);
                }

                return Var(Resolve(n.Name), n);
            case JList l:
                return Call(JinjaRuntime.MakeList, l, l.Items.Select(Expr).ToArray());
            case JTuple t:
                return Call(JinjaRuntime.MakeTuple, t, t.Items.Select(Expr).ToArray());
            case JDict d:
                return Call(JinjaRuntime.MakeDict, d, d.Items.SelectMany(kv => new[] { Expr(kv.Key), Expr(kv.Value) }).ToArray());
            case JGetAttr or JGetItem when Path(node, output: false) is { } path:
                return path;
            case JGetAttr g:
                return Call(JinjaRuntime.GetAttr, g, Expr(g.Target), Lit(g.Name, g));
            case JGetItem gi:
                return Call(JinjaRuntime.GetItem, gi, Expr(gi.Target), Expr(gi.Key));
            case JSlice sl:
                return Call(JinjaRuntime.Slice, sl, Expr(sl.Target), sl.Start is null ? Lit(null, sl) : Expr(sl.Start), sl.Stop is null ? Lit(null, sl) : Expr(sl.Stop), sl.Step is null ? Lit(null, sl) : Expr(sl.Step));
            case JCall call:
                return CompileCall(call);
            case JFilter f:
                return CompileFilter(f);
            case JTest t:
                return CompileTest(t);
            case JUnary u:
                return u.Op switch
                {
                    "not" => Call(JinjaRuntime.Not, u, Expr(u.Operand)),
                    "-" => Call(JinjaRuntime.Neg, u, Expr(u.Operand)),
                    _ => Call(JinjaRuntime.Pos, u, Expr(u.Operand)),
                };
            case JBinary b:
                var fn = b.Op switch
                {
                    "and" => JinjaRuntime.And,
                    "or" => JinjaRuntime.Or,
                    "~" => JinjaRuntime.Concat,
                    "+" => JinjaRuntime.Add,
                    "-" => JinjaRuntime.Sub,
                    "*" => JinjaRuntime.Mul,
                    "/" => JinjaRuntime.Div,
                    "//" => JinjaRuntime.FloorDiv,
                    "%" => JinjaRuntime.Mod,
                    "**" => JinjaRuntime.Pow,
                    _ => throw Fail($"unknown operator {b.Op}", b),
                };
                return Call(fn, b, Expr(b.Left), Expr(b.Right));
            case JCompare cmp:
                ScriptExpression? result = null;
                var left = cmp.First;
                foreach (var (op, right) in cmp.Ops)
                {
                    var f2 = op switch
                    {
                        "==" => JinjaRuntime.Eq,
                        "!=" => JinjaRuntime.Ne,
                        "<" => JinjaRuntime.Lt,
                        "<=" => JinjaRuntime.Le,
                        ">" => JinjaRuntime.Gt,
                        ">=" => JinjaRuntime.Ge,
                        "in" => JinjaRuntime.In,
                        _ => JinjaRuntime.NotIn,
                    };
                    var one = (op, left, right) switch
                    {
                        ("==" or "!=", _, JConst { Value: string or long or bool or null } k) => Call(JinjaRuntime.CompareWith(k.Value, op == "=="), cmp, Expr(left)),
                        ("==" or "!=", JConst { Value: string or long or bool or null } k, _) => Call(JinjaRuntime.CompareWith(k.Value, op == "=="), cmp, Expr(right)),
                        _ => Call(f2, cmp, Expr(left), Expr(right)),
                    };
                    result = result is null ? one : Call(JinjaRuntime.And, cmp, result, one);
                    left = right;
                }

                return result!;
            case JCondExpr ce:
                return new ScriptConditionalExpression
                {
                    Condition = Expr(ce.Test),
                    ThenValue = Expr(ce.Then),
                    ElseValue = ce.Else is null
                        ? Call(JinjaRuntime.MakeUndefined, ce, Lit($"the inline if-expression on line {ce.Line} evaluated to false and no else section was defined.", ce))
                        : Expr(ce.Else),
                    Span = Span(ce),
                };
            default:
                throw Fail($"unsupported expression {node.GetType().Name}", node);
        }
    }

    /// <summary>
    /// A chain of attribute and constant-subscript steps compiles to one call (root, step, step, ...), which keeps
    /// jinja2's semantics (only the last step may be missing) with one Scriban call instead of one per step.
    /// </summary>
    private ScriptExpression? Path(JExpr node, bool output)
    {
        var steps = new List<PathStep>();
        var current = node;
        while (true)
        {
            if (current is JGetAttr g)
            {
                steps.Add(new PathStep(g.Name, g.Name, Span(g)));
                current = g.Target;
            }
            else if (current is JGetItem { Key: JConst { Value: string or long } key } gi)
            {
                steps.Add(new PathStep(null, key.Value!, Span(gi)));
                current = gi.Target;
            }
            else
            {
                break;
            }
        }

        if (steps.Count == 0)
        {
            return null;
        }

        steps.Reverse();
        var root = Expr(current);
        return root is ScriptVariableGlobal variable
            ? new JinjaPathExpression(variable, steps.ToArray(), output) { Span = Span(node) }
            : Call(JinjaRuntime.PathFunction(steps.ToArray(), output), node, root);
    }

    private ScriptExpression CompileCall(JCall call)
    {
        if (call.Kwargs.Count > 0 && !(call.Callee is JName { Name: "dict" }))
        {
            throw Fail("keyword arguments in calls are not supported by Proton.Sdk templates.", call);
        }

        if (call.Callee is JName { Name: "range" } && !IsShadowed("range"))
        {
            if (call.Args.Count is < 1 or > 3)
            {
                throw Fail($"range expected 1 to 3 arguments, got {call.Args.Count}", call);
            }

            return Call(JinjaRuntime.Range, call, call.Args.Select(Expr).ToArray());
        }

        if (call.Callee is JName { Name: "dict" } && !IsShadowed("dict"))
        {
            return Call(JinjaRuntime.MakeDict, call, call.Kwargs.SelectMany(kv => new[] { Lit(kv.Name, call), Expr(kv.Value) }).ToArray());
        }

        var args = new List<ScriptExpression> { Expr(call.Callee) };
        args.AddRange(call.Args.Select(Expr));
        return Call(JinjaRuntime.Call, call, args.ToArray());
    }

    private bool IsShadowed(string name) => Resolve(name) != name;

    private ScriptExpression CompileFilter(JFilter f)
    {
        var spec = Filters.Filter(f.Name) ?? throw Fail($"No filter named '{f.Name}'.", f);
        return Call(spec.Function, f, Arguments(spec, Expr(f.Value), f.Args, f.Kwargs, f, "filter"));
    }

    private ScriptExpression CompileTest(JTest t)
    {
        var spec = Filters.Test(t.Name) ?? throw Fail($"No test named '{t.Name}'.", t);
        var test = Call(spec.Function, t, Arguments(spec, Expr(t.Value), t.Args, [], t, "test"));
        return t.Negated ? Call(JinjaRuntime.Not, t, test) : test;
    }

    private ScriptExpression[] Arguments(JinjaCallable spec, ScriptExpression value, List<JExpr> args, List<(string Name, JExpr Value)> kwargs, JNode at, string what)
    {
        if (args.Count > spec.Parameters.Length)
        {
            throw Fail($"{what} '{spec.Name}' takes at most {spec.Parameters.Length} argument(s); {args.Count} given.", at);
        }

        var slots = new ScriptExpression?[spec.Parameters.Length];
        for (var i = 0; i < args.Count; i++)
        {
            slots[i] = Expr(args[i]);
        }

        foreach (var (name, expr) in kwargs)
        {
            var index = Array.IndexOf(spec.Parameters, name);
            if (index < 0)
            {
                throw Fail($"{what} '{spec.Name}' got an unexpected keyword argument '{name}'.", at);
            }

            if (slots[index] is not null)
            {
                throw Fail($"{what} '{spec.Name}' got multiple values for argument '{name}'.", at);
            }

            slots[index] = Expr(expr);
        }

        var result = new ScriptExpression[spec.Parameters.Length + 1];
        result[0] = value;
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i] is null && ReferenceEquals(spec.Defaults[i], JinjaCallable.Required))
            {
                throw Fail($"{what} '{spec.Name}' is missing the required argument '{spec.Parameters[i]}'.", at);
            }

            result[i + 1] = slots[i] ?? Lit(spec.Defaults[i], at);
        }

        return result;
    }
}
