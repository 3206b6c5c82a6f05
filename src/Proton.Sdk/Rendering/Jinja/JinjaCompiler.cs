using System.Runtime.CompilerServices;
using Scriban.Parsing;
using Scriban.Syntax;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>
/// Turns the Jinja AST into a Scriban syntax tree (<see cref="ScriptPage"/>) that Scriban's runtime evaluates.
/// Text becomes raw statements, <c>for</c>/<c>set</c> become Scriban's own statements, and Python's value
/// semantics (attribute lookup, comparisons, filters) are calls to <see cref="JinjaFunction"/>s.
/// Jinja's scoping (a <c>for</c> body is a scope, an <c>if</c> is not) is kept by renaming names bound in a loop body.
/// Some node types are ours, Scriban nodes that Scriban's runtime evaluates like its own: <see cref="JinjaPathExpression"/>,
/// an attribute chain rooted at a variable (the construct behind nearly every <c>{{ }}</c> in Proton templates; through a
/// function call the same chain cost about twice as much per render); <see cref="JinjaIfStatement"/>, an if/elif chain
/// tried in a loop; and subclasses of Scriban's call, conditional and text nodes that check the stack or record where
/// output comes from. Chains that do not nest in the source (operator runs, filter and method chains, chained
/// comparisons) compile to one flat call (<see cref="JinjaChains"/>), so no chain length becomes recursion here or at
/// render time; nesting is bounded by the parser's budget.
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
        EnsureStack(node);
        switch (node)
        {
            case JText t:
                return new JinjaTextStatement { Text = new ScriptStringSlice(t.Text), Span = Span(t) };
            case JOutput o:
                var printed = false;
                var expression = IsLink(o.Expr) ? Chain(o.Expr, output: true, out printed) : Expr(o.Expr);
                return new ScriptExpressionStatement
                {
                    Expression = printed ? expression : Call(JinjaRuntime.Output, o, expression),
                    Span = Span(o),
                };
            case JIf i:
                return If(i);
            case JFor f:
                return For(f);
            case JSet s:
                return Set(s);
            default:
                throw Fail($"unexpected node {node.GetType().Name}", node);
        }
    }

    private JinjaIfStatement If(JIf node)
    {
        // All branches of an if/elif chain in one flat statement: a long elif chain neither recurses here nor when it runs.
        var conditions = new ScriptExpression[node.Branches.Count];
        var bodies = new ScriptBlockStatement[node.Branches.Count];
        for (var i = 0; i < node.Branches.Count; i++)
        {
            conditions[i] = Expr(node.Branches[i].Test);
            bodies[i] = Block(node.Branches[i].Body);
        }

        return new JinjaIfStatement(conditions, bodies, node.Else is null ? null : Block(node.Else)) { Span = Span(node.Branches[0].Test) };
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
        var call = new JinjaCall { Target = new ScriptLiteral(function) { Span = Span(at) }, Span = Span(at), ExplicitCall = true };
        foreach (var arg in args)
        {
            call.Arguments.Add(arg);
        }

        return call;
    }

    /// <summary>The parser's nesting budget keeps the recursion here shallow; this is the last line of defence.</summary>
    private static void EnsureStack(JNode at)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new JinjaSyntaxException("the template nests too deeply for the compiler's stack", at.Line, at.Column, isLimit: true);
        }
    }

    private ScriptExpression Expr(JExpr node)
    {
        EnsureStack(node);
        if (IsLink(node))
        {
            return Chain(node, output: false, out _);
        }

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
            case JCall call:
                return CompileCall(call);
            case JUnary u:
                return u.Op switch
                {
                    "not" => Call(JinjaRuntime.Not, u, Expr(u.Operand)),
                    "-" => Call(JinjaRuntime.Neg, u, Expr(u.Operand)),
                    _ => Call(JinjaRuntime.Pos, u, Expr(u.Operand)),
                };
            case JBinary b:
                return Binary(b);
            case JCompare cmp:
                if (cmp.Ops.Count == 1)
                {
                    var (op, right) = cmp.Ops[0];
                    return (op, cmp.First, right) switch
                    {
                        ("==" or "!=", _, JConst { Value: string or long or bool or null } k) => Call(JinjaRuntime.CompareWith(k.Value, op == "=="), cmp, Expr(cmp.First)),
                        ("==" or "!=", JConst { Value: string or long or bool or null } k, _) => Call(JinjaRuntime.CompareWith(k.Value, op == "=="), cmp, Expr(right)),
                        _ => Call(Comparison(op), cmp, Expr(cmp.First), Expr(right)),
                    };
                }

                // a < b < c: one flat call, each operand evaluated once, however long the chain.
                var operands = new List<ScriptExpression>(cmp.Ops.Count + 1) { Expr(cmp.First) };
                var callers = new ScriptNode[cmp.Ops.Count];
                for (var i = 0; i < cmp.Ops.Count; i++)
                {
                    operands.Add(Expr(cmp.Ops[i].Right));
                    callers[i] = Lit(null, cmp);
                }

                return Call(JinjaChains.Comparisons(cmp.Ops.Select(o => Comparison(o.Op)).ToArray(), callers), cmp, operands.ToArray());
            case JCondExpr ce:
                return new JinjaConditionalExpression
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

    /// <summary>Attribute access, subscripts, slices, calls, filters and tests: the links of a postfix chain.</summary>
    private static bool IsLink(JExpr node) => node is JGetAttr or JGetItem or JSlice or JFilter or JTest || node is JCall { Callee: not JName };

    private static bool IsPathLink(JExpr node) => node is JGetAttr or JGetItem { Key: JConst { Value: string or long } };

    private PathStep ToPathStep(JExpr link) => link is JGetAttr g
        ? new PathStep(g.Name, g.Name, Span(g))
        : new PathStep(null, ((JConst)((JGetItem)link).Key).Value!, Span(link));

    /// <summary>
    /// A postfix chain (<c>a.b[k](x) | f(y) is t</c>) compiles to one flat call whatever its length: the spine is walked with a
    /// loop, and the steps run one after another at render time (<see cref="JinjaChains.Pipeline"/>). Consecutive attribute and
    /// constant-subscript steps fuse into one path step (jinja2's rule: only the last step of a path may be missing); a path
    /// rooted at a variable becomes a <see cref="JinjaPathExpression"/>. A chain of one step is a plain call, as before.
    /// </summary>
    /// <param name="node">The outermost link.</param>
    /// <param name="output">The value is printed: a final path step converts it to text itself.</param>
    /// <param name="printed">Whether the returned expression already yields the printed text.</param>
    private ScriptExpression Chain(JExpr node, bool output, out bool printed)
    {
        var links = new List<JExpr>();
        var current = node;
        while (IsLink(current))
        {
            links.Add(current);
            current = JChain.Target(current);
        }

        // Compile-time checks in the order the nested compiler made them: names and keyword use from the outermost link in.
        var specs = new JinjaCallable?[links.Count];
        for (var i = 0; i < links.Count; i++)
        {
            switch (links[i])
            {
                case JFilter f:
                    specs[i] = Filters.Filter(f.Name) ?? throw Fail($"No filter named '{f.Name}'.", f);
                    break;
                case JTest t:
                    specs[i] = Filters.Test(t.Name) ?? throw Fail($"No test named '{t.Name}'.", t);
                    break;
                case JCall { Kwargs.Count: > 0 } call:
                    throw Fail("keyword arguments in calls are not supported by Proton.Sdk templates.", call);
            }
        }

        links.Reverse();
        Array.Reverse(specs);
        var value = Expr(current);
        var steps = new List<(JinjaFunction? Function, ScriptExpression[] Args, JNode At, PathStep[]? Path)>();
        for (var i = 0; i < links.Count;)
        {
            if (IsPathLink(links[i]))
            {
                var path = new List<PathStep>();
                while (i < links.Count && IsPathLink(links[i]))
                {
                    path.Add(ToPathStep(links[i]));
                    i++;
                }

                steps.Add((null, [], links[i - 1], path.ToArray()));
                continue;
            }

            var link = links[i];
            var spec = specs[i];
            i++;
            switch (link)
            {
                case JGetItem gi:
                    steps.Add((JinjaRuntime.GetItem, [Expr(gi.Key)], gi, null));
                    break;
                case JSlice sl:
                    steps.Add((JinjaRuntime.Slice, [Optional(sl.Start, sl), Optional(sl.Stop, sl), Optional(sl.Step, sl)], sl, null));
                    break;
                case JCall call:
                    steps.Add((JinjaRuntime.Call, call.Args.Select(Expr).ToArray(), call, null));
                    break;
                case JFilter f:
                    steps.Add((spec!.Function, Arguments(spec, f.Args, f.Kwargs, f, "filter"), f, null));
                    break;
                case JTest t:
                    steps.Add((spec!.Function, Arguments(spec, t.Args, [], t, "test"), t, null));
                    if (t.Negated)
                    {
                        steps.Add((JinjaRuntime.Not, [], t, null));
                    }

                    break;
            }
        }

        printed = false;
        var first = 0;
        if (steps[0].Path is { } rootPath && value is ScriptVariableGlobal variable)
        {
            printed = output && steps.Count == 1;
            value = new JinjaPathExpression(variable, rootPath, printed) { Span = Span(steps[0].At) };
            first = 1;
        }

        if (first == steps.Count)
        {
            return value;
        }

        // A final path step prints its value itself (it knows the location of a missing last attribute).
        printed = output && steps[^1].Path is not null;
        var printedPath = printed;
        JinjaFunction FunctionOf(int index)
        {
            var step = steps[index];
            return step.Path is null ? step.Function! : JinjaRuntime.PathFunction(step.Path, printedPath && index == steps.Count - 1);
        }

        if (first == steps.Count - 1)
        {
            var only = steps[first];
            return Call(FunctionOf(first), only.At, [value, .. only.Args]);
        }

        var chainSteps = new ChainStep[steps.Count - first];
        var args = new List<ScriptExpression> { value };
        for (var i = first; i < steps.Count; i++)
        {
            chainSteps[i - first] = new ChainStep(FunctionOf(i), steps[i].Args.Length, Lit(null, steps[i].At));
            args.AddRange(steps[i].Args);
        }

        return Call(JinjaChains.Pipeline(chainSteps), node, args.ToArray());
    }

    private ScriptExpression Optional(JExpr? expr, JNode at) => expr is null ? Lit(null, at) : Expr(expr);

    private static string OperatorGroup(string op) => op switch
    {
        "+" or "-" => "+",
        "*" or "/" or "//" or "%" => "*",
        _ => op,
    };

    private JinjaFunction BinaryFunction(JBinary b) => b.Op switch
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

    private static JinjaFunction Comparison(string op) => op switch
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

    /// <summary>
    /// A left-associative run of operators of one precedence (<c>a + b - c</c>, <c>a and b and c</c>, <c>a ~ b ~ c</c>) is walked
    /// with a loop and compiled to one flat call, so its length never turns into recursion here or in Scriban's evaluator.
    /// </summary>
    private ScriptExpression Binary(JBinary b)
    {
        var group = OperatorGroup(b.Op);
        var spine = new List<JBinary>();
        JExpr current = b;
        while (current is JBinary link && OperatorGroup(link.Op) == group)
        {
            spine.Add(link);
            current = link.Left;
        }

        if (spine.Count == 1)
        {
            return Call(BinaryFunction(b), b, Expr(b.Left), Expr(b.Right));
        }

        spine.Reverse();
        var args = new List<ScriptExpression>(spine.Count + 1) { Expr(current) };
        args.AddRange(spine.Select(x => Expr(x.Right)));
        if (group == "~")
        {
            return Call(JinjaChains.Concatenation(spine.Select(x => Span(x)).ToArray()), b, args.ToArray());
        }

        var steps = spine.Select(x => new ChainStep(BinaryFunction(x), 1, Lit(null, x))).ToArray();
        return Call(JinjaChains.Pipeline(steps), b, args.ToArray());
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

    /// <summary>A filter's or test's arguments after the value, keyword arguments placed and defaults filled in.</summary>
    private ScriptExpression[] Arguments(JinjaCallable spec, List<JExpr> args, List<(string Name, JExpr Value)> kwargs, JNode at, string what)
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

        var result = new ScriptExpression[spec.Parameters.Length];
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i] is null && ReferenceEquals(spec.Defaults[i], JinjaCallable.Required))
            {
                throw Fail($"{what} '{spec.Name}' is missing the required argument '{spec.Parameters[i]}'.", at);
            }

            result[i] = slots[i] ?? Lit(spec.Defaults[i], at);
        }

        return result;
    }
}
