using System.Runtime.CompilerServices;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>Parses jinja2 3.1's template grammar (the statements Proton templates use) into a small AST.</summary>
internal sealed class JinjaParser
{
    private readonly List<Token> _tokens;
    private readonly Stack<string> _open = new();
    private readonly int _maxDepth;
    private int _i;
    private int _depth;

    private JinjaParser(List<Token> tokens, int maxDepth)
    {
        _tokens = tokens;
        _maxDepth = maxDepth;
    }

    /// <summary>Parses a template; statements and expressions may nest at most <paramref name="maxDepth"/> levels.</summary>
    public static List<JNode> Parse(string normalizedSource, int maxDepth = int.MaxValue)
    {
        var parser = new JinjaParser(JinjaLexer.Tokenize(normalizedSource), maxDepth);
        var body = parser.Subparse(null, out _);
        return body;
    }

    /// <summary>
    /// Enters one level of nesting (a block statement, a bracket, an operand of <c>not</c> or unary minus, an argument):
    /// the parser recurses there, so the depth has a budget (jinja2 stops at Python's recursion limit) and the stack is checked.
    /// </summary>
    private void Enter(Token at)
    {
        if (++_depth > _maxDepth)
        {
            throw new JinjaSyntaxException($"the template nests deeper than {_maxDepth} levels (blocks, brackets and operators together), the nesting limit", at.Line, at.Column, isLimit: true);
        }

        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new JinjaSyntaxException("the template nests too deeply for the parser's stack", at.Line, at.Column, isLimit: true);
        }
    }

    private void Leave() => _depth--;

    private Token Current => Checked(_tokens[_i]);

    private Token Next() => Checked(_tokens[_i++]);

    private Token Peek(int n = 1) => Checked(_tokens[Math.Min(_i + n, _tokens.Count - 1)]);

    private static Token Checked(Token t) => t.Kind == TokenKind.Error ? throw (JinjaSyntaxException)t.Literal! : t;

    private JinjaSyntaxException Fail(string message, Token at) => new(message, at.Line, at.Column);

    private bool IsOp(string op) => Current.Kind == TokenKind.Operator && Current.Value == op;

    private bool IsName(string name) => Current.Kind == TokenKind.Name && Current.Value == name;

    private Token Expect(TokenKind kind, string? value = null)
    {
        var t = Current;
        if (t.Kind != kind || (value is not null && t.Value != value))
        {
            var wanted = value ?? kind switch
            {
                TokenKind.BlockEnd => "end of statement block",
                TokenKind.VariableEnd => "end of print statement",
                TokenKind.Name => "name",
                _ => kind.ToString(),
            };
            if (t.Kind == TokenKind.Eof)
            {
                throw Fail($"unexpected end of template, expected '{wanted}'.", t);
            }

            throw Fail($"expected token '{wanted}', got '{t.Describe()}'", t);
        }

        _i++;
        return t;
    }

    /// <summary>Parses nodes until a block tag whose name is in <paramref name="endTokens"/>; leaves that name current.</summary>
    private List<JNode> Subparse(string[]? endTokens, out string? endedWith)
    {
        var body = new List<JNode>();
        endedWith = null;
        while (Current.Kind != TokenKind.Eof)
        {
            var t = Current;
            switch (t.Kind)
            {
                case TokenKind.Data or TokenKind.RawData:
                    _i++;
                    body.Add(new JText(t.Value, t.Line, t.Column));
                    break;
                case TokenKind.VariableBegin:
                    _i++;
                    var expr = ParseTuple(withCondExpr: true);
                    body.Add(new JOutput(expr, t.Line, t.Column));
                    Expect(TokenKind.VariableEnd);
                    break;
                case TokenKind.BlockBegin:
                    _i++;
                    if (endTokens is not null && Current.Kind == TokenKind.Name && endTokens.Contains(Current.Value))
                    {
                        endedWith = Current.Value;
                        return body;
                    }

                    body.Add(ParseStatement());
                    break;
                default:
                    throw Fail($"unexpected '{t.Describe()}'", t);
            }
        }

        if (endTokens is not null)
        {
            var innermost = _open.Count > 0 ? $" The innermost block that needs to be closed is '{_open.Peek()}'." : string.Empty;
            throw Fail($"Unexpected end of template. Jinja was looking for the following tags: {string.Join(" or ", endTokens.Select(e => $"'{e}'"))}.{innermost}", Current);
        }

        return body;
    }

    private JNode ParseStatement()
    {
        var t = Current;
        if (t.Kind != TokenKind.Name)
        {
            throw Fail("tag name expected", t);
        }

        switch (t.Value)
        {
            case "if":
                Enter(t);
                _open.Push("if");
                var ifNode = ParseIf();
                _open.Pop();
                Leave();
                return ifNode;
            case "for":
                Enter(t);
                _open.Push("for");
                var forNode = ParseFor();
                _open.Pop();
                Leave();
                return forNode;
            case "set":
                return ParseSet();
            case "endif" or "endfor" or "else" or "elif" or "endset":
                throw Fail($"Encountered unknown tag '{t.Value}'.", t);
            case "macro" or "call" or "filter" or "block" or "extends" or "include" or "import" or "from" or "with" or "autoescape" or "do" or "break" or "continue":
                throw Fail($"The '{t.Value}' tag is not supported by Proton.Sdk's Jinja dialect.", t);
            default:
                throw Fail($"Encountered unknown tag '{t.Value}'.", t);
        }
    }

    private JIf ParseIf()
    {
        var start = Expect(TokenKind.Name, "if");
        var branches = new List<(JExpr, List<JNode>)>();
        List<JNode>? elseBody = null;
        var test = ParseTuple(withCondExpr: false);
        Expect(TokenKind.BlockEnd);
        while (true)
        {
            var body = Subparse(["elif", "else", "endif"], out var ended);
            branches.Add((test, body));
            _i++; // the tag name
            if (ended == "elif")
            {
                test = ParseTuple(withCondExpr: false);
                Expect(TokenKind.BlockEnd);
                continue;
            }

            if (ended == "else")
            {
                Expect(TokenKind.BlockEnd);
                elseBody = Subparse(["endif"], out _);
                _i++;
            }

            Expect(TokenKind.BlockEnd);
            break;
        }

        return new JIf(branches, elseBody, start.Line, start.Column);
    }

    private JFor ParseFor()
    {
        var start = Expect(TokenKind.Name, "for");
        var target = ParseAssignTarget();
        Expect(TokenKind.Name, "in");
        var iter = ParseTuple(withCondExpr: false);
        JExpr? filter = null;
        if (IsName("if"))
        {
            _i++;
            filter = ParseExpression(withCondExpr: true);
        }

        if (IsName("recursive"))
        {
            throw Fail("recursive loops are not supported by Proton.Sdk's Jinja dialect.", Current);
        }

        Expect(TokenKind.BlockEnd);
        var body = Subparse(["endfor", "else"], out var ended);
        _i++;
        List<JNode>? elseBody = null;
        if (ended == "else")
        {
            Expect(TokenKind.BlockEnd);
            elseBody = Subparse(["endfor"], out _);
            _i++;
        }

        Expect(TokenKind.BlockEnd);
        return new JFor(target, iter, filter, body, elseBody, start.Line, start.Column);
    }

    private JSet ParseSet()
    {
        var start = Expect(TokenKind.Name, "set");
        var target = ParseAssignTarget();
        if (!IsOp("="))
        {
            throw Fail(IsOp(".") ? "expected token '=', got '.' (namespace assignment is not supported)" : "block set (set without '=') is not supported by Proton.Sdk's Jinja dialect.", Current);
        }

        _i++;
        var value = ParseTuple(withCondExpr: true);
        Expect(TokenKind.BlockEnd);
        return new JSet(target, value, start.Line, start.Column);
    }

    private JExpr ParseAssignTarget()
    {
        var start = Current;
        var names = new List<JExpr>();
        var isTuple = false;
        while (true)
        {
            if (names.Count > 0)
            {
                if (!IsOp(","))
                {
                    break;
                }

                _i++;
                isTuple = true;
                if (Current.Kind != TokenKind.Name || IsName("in"))
                {
                    break;
                }
            }

            if (IsOp("("))
            {
                throw Fail("nested tuple targets are not supported.", Current);
            }

            var name = Expect(TokenKind.Name);
            if (name.Value is "true" or "false" or "none" or "True" or "False" or "None")
            {
                throw Fail($"Can't assign to '{name.Value}'", name);
            }

            names.Add(new JName(name.Value, name.Line, name.Column));
        }

        return isTuple ? new JTuple(names, start.Line, start.Column) : names[0];
    }

    private JExpr ParseTuple(bool withCondExpr)
    {
        var start = Current;
        var items = new List<JExpr>();
        var isTuple = false;
        while (true)
        {
            if (items.Count > 0)
            {
                if (!IsOp(","))
                {
                    break;
                }

                _i++;
                isTuple = true;
            }

            if (Current.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd || IsOp(")"))
            {
                break;
            }

            items.Add(ParseExpression(withCondExpr));
        }

        if (!isTuple)
        {
            if (items.Count == 0)
            {
                throw Fail($"Expected an expression, got '{Current.Describe()}'", Current);
            }

            return items[0];
        }

        return new JTuple(items, start.Line, start.Column);
    }

    private JExpr ParseExpression(bool withCondExpr = true)
    {
        var depth = _depth;
        Enter(Current);
        var expr = ParseOr();
        if (withCondExpr)
        {
            while (IsName("if"))
            {
                // Each further 'if' wraps the expression once more: it counts as a level of nesting.
                var t = Next();
                Enter(t);
                var test = ParseOr();
                JExpr? otherwise = null;
                if (IsName("else"))
                {
                    _i++;
                    otherwise = ParseExpression();
                }

                expr = new JCondExpr(test, expr, otherwise, t.Line, t.Column);
            }
        }

        _depth = depth;
        return expr;
    }

    private JExpr ParseOr()
    {
        var left = ParseAnd();
        while (IsName("or"))
        {
            var t = Next();
            left = new JBinary("or", left, ParseAnd(), t.Line, t.Column);
        }

        return left;
    }

    private JExpr ParseAnd()
    {
        var left = ParseNot();
        while (IsName("and"))
        {
            var t = Next();
            left = new JBinary("and", left, ParseNot(), t.Line, t.Column);
        }

        return left;
    }

    private JExpr ParseNot()
    {
        if (IsName("not"))
        {
            var t = Next();
            Enter(t);
            var operand = ParseNot();
            Leave();
            return new JUnary("not", operand, t.Line, t.Column);
        }

        return ParseCompare();
    }

    private JExpr ParseCompare()
    {
        var start = Current;
        var expr = ParseMath1();
        var ops = new List<(string, JExpr)>();
        while (true)
        {
            if (Current.Kind == TokenKind.Operator && Current.Value is "==" or "!=" or ">" or ">=" or "<" or "<=")
            {
                var op = Next().Value;
                ops.Add((op, ParseMath1()));
            }
            else if (IsName("in"))
            {
                _i++;
                ops.Add(("in", ParseMath1()));
            }
            else if (IsName("not") && Peek().Kind == TokenKind.Name && Peek().Value == "in")
            {
                _i += 2;
                ops.Add(("notin", ParseMath1()));
            }
            else
            {
                break;
            }
        }

        return ops.Count == 0 ? expr : new JCompare(expr, ops, start.Line, start.Column);
    }

    private JExpr ParseMath1()
    {
        var left = ParseConcat();
        while (Current.Kind == TokenKind.Operator && Current.Value is "+" or "-")
        {
            var t = Next();
            left = new JBinary(t.Value, left, ParseConcat(), t.Line, t.Column);
        }

        return left;
    }

    private JExpr ParseConcat()
    {
        var left = ParseMath2();
        while (IsOp("~"))
        {
            var t = Next();
            left = new JBinary("~", left, ParseMath2(), t.Line, t.Column);
        }

        return left;
    }

    private JExpr ParseMath2()
    {
        var left = ParsePow();
        while (Current.Kind == TokenKind.Operator && Current.Value is "*" or "/" or "//" or "%")
        {
            var t = Next();
            left = new JBinary(t.Value, left, ParsePow(), t.Line, t.Column);
        }

        return left;
    }

    private JExpr ParsePow()
    {
        var left = ParseUnary();
        while (IsOp("**"))
        {
            var t = Next();
            left = new JBinary("**", left, ParseUnary(), t.Line, t.Column);
        }

        return left;
    }

    private JExpr ParseUnary(bool withFilter = true)
    {
        JExpr node;
        if (Current.Kind == TokenKind.Operator && Current.Value is "-" or "+")
        {
            var t = Next();
            Enter(t);
            var operand = ParseUnary(false);
            Leave();
            node = new JUnary(t.Value, operand, t.Line, t.Column);
        }
        else
        {
            node = ParsePrimary();
        }

        node = ParsePostfix(node);
        if (withFilter)
        {
            node = ParseFilterExpr(node);
        }

        return node;
    }

    private JExpr ParsePrimary()
    {
        var t = Current;
        switch (t.Kind)
        {
            case TokenKind.Name:
                _i++;
                return t.Value switch
                {
                    "true" or "True" => new JConst(true, t.Line, t.Column),
                    "false" or "False" => new JConst(false, t.Line, t.Column),
                    "none" or "None" => new JConst(null, t.Line, t.Column),
                    _ => new JName(t.Value, t.Line, t.Column),
                };
            case TokenKind.String:
                _i++;
                var s = (string)t.Literal!;
                while (Current.Kind == TokenKind.String)
                {
                    s += (string)Next().Literal!;
                }

                return new JConst(s, t.Line, t.Column);
            case TokenKind.Integer or TokenKind.Float:
                _i++;
                return new JConst(t.Literal, t.Line, t.Column);
            case TokenKind.Operator when t.Value == "(":
                _i++;
                if (IsOp(")"))
                {
                    _i++;
                    return new JTuple([], t.Line, t.Column);
                }

                var inner = ParseTuple(withCondExpr: true);
                Expect(TokenKind.Operator, ")");
                return inner;
            case TokenKind.Operator when t.Value == "[":
                _i++;
                var items = new List<JExpr>();
                while (!IsOp("]"))
                {
                    if (items.Count > 0)
                    {
                        Expect(TokenKind.Operator, ",");
                        if (IsOp("]"))
                        {
                            break;
                        }
                    }

                    items.Add(ParseExpression());
                }

                Expect(TokenKind.Operator, "]");
                return new JList(items, t.Line, t.Column);
            case TokenKind.Operator when t.Value == "{":
                _i++;
                var pairs = new List<(JExpr, JExpr)>();
                while (!IsOp("}"))
                {
                    if (pairs.Count > 0)
                    {
                        Expect(TokenKind.Operator, ",");
                        if (IsOp("}"))
                        {
                            break;
                        }
                    }

                    var key = ParseExpression();
                    Expect(TokenKind.Operator, ":");
                    pairs.Add((key, ParseExpression()));
                }

                Expect(TokenKind.Operator, "}");
                return new JDict(pairs, t.Line, t.Column);
            case TokenKind.Eof:
                throw Fail("unexpected end of template, expected an expression.", t);
            default:
                throw Fail($"unexpected '{t.Describe()}'", t);
        }
    }

    private JExpr ParsePostfix(JExpr node)
    {
        while (true)
        {
            var t = Current;
            if (IsOp("."))
            {
                _i++;
                var attr = Current;
                if (attr.Kind == TokenKind.Name)
                {
                    _i++;
                    node = new JGetAttr(node, attr.Value, attr.Line, attr.Column);
                }
                else if (attr.Kind == TokenKind.Integer)
                {
                    _i++;
                    node = new JGetItem(node, new JConst(attr.Literal, attr.Line, attr.Column), attr.Line, attr.Column);
                }
                else
                {
                    throw Fail("expected name or number", attr);
                }
            }
            else if (IsOp("["))
            {
                _i++;
                node = ParseSubscript(node, t);
            }
            else if (IsOp("("))
            {
                node = ParseCall(node);
            }
            else
            {
                return node;
            }
        }
    }

    private JExpr ParseSubscript(JExpr node, Token t)
    {
        JExpr? start = null, stop = null, step = null;
        var isSlice = false;
        if (!IsOp(":"))
        {
            start = ParseExpression();
        }

        if (IsOp(":"))
        {
            isSlice = true;
            _i++;
            if (!IsOp("]") && !IsOp(":"))
            {
                stop = ParseExpression();
            }

            if (IsOp(":"))
            {
                _i++;
                if (!IsOp("]"))
                {
                    step = ParseExpression();
                }
            }
        }

        Expect(TokenKind.Operator, "]");
        return isSlice ? new JSlice(node, start, stop, step, t.Line, t.Column) : new JGetItem(node, start!, t.Line, t.Column);
    }

    private (List<JExpr> Args, List<(string, JExpr)> Kwargs) ParseArgs()
    {
        Expect(TokenKind.Operator, "(");
        var args = new List<JExpr>();
        var kwargs = new List<(string, JExpr)>();
        while (!IsOp(")"))
        {
            if (args.Count + kwargs.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
                if (IsOp(")"))
                {
                    break;
                }
            }

            if (Current.Kind == TokenKind.Name && Peek().Kind == TokenKind.Operator && Peek().Value == "=")
            {
                var key = Next().Value;
                _i++;
                kwargs.Add((key, ParseExpression()));
            }
            else
            {
                if (kwargs.Count > 0)
                {
                    throw Fail("Invalid argument syntax: positional argument after keyword arguments.", Current);
                }

                args.Add(ParseExpression());
            }
        }

        Expect(TokenKind.Operator, ")");
        return (args, kwargs);
    }

    private JExpr ParseCall(JExpr callee)
    {
        var t = Current;
        var (args, kwargs) = ParseArgs();
        return new JCall(callee, args, kwargs, t.Line, t.Column);
    }

    private JExpr ParseFilterExpr(JExpr node)
    {
        while (true)
        {
            if (IsOp("|"))
            {
                _i++;
                var name = ParseDottedName();
                var args = new List<JExpr>();
                var kwargs = new List<(string, JExpr)>();
                if (IsOp("("))
                {
                    (args, kwargs) = ParseArgs();
                }

                node = new JFilter(node, name.Value, args, kwargs, name.Line, name.Column);
            }
            else if (IsName("is"))
            {
                var t = Next();
                var negated = false;
                if (IsName("not"))
                {
                    _i++;
                    negated = true;
                }

                var name = ParseDottedName();
                var args = new List<JExpr>();
                if (IsOp("("))
                {
                    var (a, kw) = ParseArgs();
                    args = a;
                    if (kw.Count > 0)
                    {
                        throw Fail("keyword arguments to tests are not supported.", t);
                    }
                }
                else if ((Current.Kind is TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float || IsOp("[") || IsOp("{"))
                         && !(Current.Kind == TokenKind.Name && Current.Value is "else" or "or" or "and"))
                {
                    if (IsName("is"))
                    {
                        throw Fail("You cannot chain multiple tests with is", Current);
                    }

                    args.Add(ParsePostfix(ParsePrimary()));
                }

                node = new JTest(node, name.Value, args, negated, t.Line, t.Column);
            }
            else if (IsOp("("))
            {
                node = ParseCall(node);
            }
            else
            {
                return node;
            }
        }
    }

    private Token ParseDottedName()
    {
        var first = Expect(TokenKind.Name);
        var name = first.Value;
        while (IsOp(".") && Peek().Kind == TokenKind.Name)
        {
            _i++;
            name += "." + Next().Value;
        }

        return first with { Value = name };
    }
}
