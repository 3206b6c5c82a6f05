using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>A render failure raised inside Scriban's runtime, keeping jinja2's error kind and the template location.</summary>
internal sealed class JinjaRuntimeException(JinjaErrorKind kind, SourceSpan span, string message) : ScriptRuntimeException(span, message)
{
    public JinjaErrorKind Kind { get; } = kind;
}

/// <summary>The Scriban context that renders Jinja trees: Python truthiness, strict undefined, limits.</summary>
internal sealed class JinjaTemplateContext : TemplateContext
{
    public JinjaTemplateContext(ScriptObject builtins)
        : base(builtins)
    {
        Buffer = new PooledOutput(this);
        AutoIndent = false;
        EnableRelaxedMemberAccess = false;
        StrictVariables = false;
        TryGetVariable = static (TemplateContext _, SourceSpan span, ScriptVariable variable, out object? value) =>
        {
            var name = variable.Name;
            var at = name.IndexOf('@', StringComparison.Ordinal);
            value = Undefined.Missing(at > 0 ? name[..at] : name, span);
            return true;
        };
    }

    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest string, in characters, an operation, filter or function may produce.</summary>
    public int MaxValueChars { get; set; } = int.MaxValue;

    /// <summary>The most items a list or dict an operation, filter or function produces may have.</summary>
    public int MaxValueItems { get; set; } = int.MaxValue;

    /// <summary>Characters and items all operations of one render may produce together.</summary>
    public long MaxProducedSize { get; set; } = long.MaxValue;

    /// <summary>Characters and items produced so far in this render.</summary>
    public long ProducedSize { get; set; }

    /// <summary>Refuses a value an operation produced when it is larger than the limits; counts it against the render's budget.</summary>
    public object? CheckSize(object? value, SourceSpan span)
    {
        long size;
        switch (value)
        {
            case string text:
                if (text.Length > MaxValueChars)
                {
                    throw new JinjaRuntimeException(JinjaErrorKind.Limit, span, $"an operation produced a string of {text.Length} characters; the value size limit is {MaxValueChars}");
                }

                size = text.Length;
                break;
            case System.Collections.ICollection collection:
                if (collection.Count > MaxValueItems)
                {
                    throw new JinjaRuntimeException(JinjaErrorKind.Limit, span, $"an operation produced a collection of {collection.Count} items; the limit is {MaxValueItems}");
                }

                size = collection.Count;
                break;
            case PyTuple tuple:
                if (tuple.Count > MaxValueItems)
                {
                    throw new JinjaRuntimeException(JinjaErrorKind.Limit, span, $"an operation produced a tuple of {tuple.Count} items; the limit is {MaxValueItems}");
                }

                size = tuple.Count;
                break;
            default:
                return value;
        }

        ProducedSize += size;
        if (ProducedSize > MaxProducedSize)
        {
            throw new JinjaRuntimeException(JinjaErrorKind.Limit, span, $"the render's operations produced more than {MaxProducedSize} characters and items together, the limit");
        }

        return value;
    }

    /// <summary>Set when a proton_cfn_* filter wrote a block that must be laid out after the render.</summary>
    public bool HasBlocks { get; set; }

    /// <summary>The output buffer, kept between renders.</summary>
    public PooledOutput Buffer { get; }

    /// <summary>Template-level <c>set</c>s, cleared before each render.</summary>
    public ScriptObject Locals { get; } = new();

    public override bool ToBool(SourceSpan span, object? value)
        => PyValues.Truthy(value, u => new JinjaRuntimeException(JinjaErrorKind.Undefined, u.Origin ?? span, u.Message));

    public override string ObjectToString(object? value, bool nested = false) => PyValues.Str(value);

    /// <summary>Where the text being written comes from (set by text and output nodes); an output-limit error points there.</summary>
    public SourceSpan WriteSpan { get; set; }

    /// <summary>Jinja functions take their arguments as they are; Scriban's conversions never apply.</summary>
    public override object? ToObject(SourceSpan span, object? value, Type destinationType)
        => destinationType == typeof(object) || destinationType == typeof(ScriptExpression) ? value : base.ToObject(span, value, destinationType);
}

/// <summary>A Jinja operation exposed to Scriban's runtime as a custom function with positional arguments.</summary>
internal sealed class JinjaFunction : IScriptCustomFunction
{
    private readonly Func<JinjaTemplateContext, SourceSpan, ScriptArray, object?> _body;
    private readonly int _lazyMask;
    private readonly int _lazyFrom;

    /// <summary>Creates a function.</summary>
    /// <param name="name">Its name in messages.</param>
    /// <param name="body">What it does.</param>
    /// <param name="lazyMask">Bit i set: argument i arrives as its (unevaluated) expression.</param>
    /// <param name="lazyFrom">Arguments from this index on arrive as expressions (for functions with any number of them).</param>
    /// <param name="checksSize">False for lookups (they return values that already exist) and for chains (their steps check).</param>
    public JinjaFunction(string name, Func<JinjaTemplateContext, SourceSpan, ScriptArray, object?> body, int lazyMask = 0, int lazyFrom = int.MaxValue, bool checksSize = true)
    {
        Name = name;
        _body = body;
        _lazyMask = lazyMask;
        _lazyFrom = lazyFrom;
        _checksSize = checksSize;
    }

    private readonly bool _checksSize;

    /// <summary>True when argument <paramref name="index"/> arrives unevaluated.</summary>
    public bool IsLazy(int index) => index >= _lazyFrom || (index < 31 && ((_lazyMask >> index) & 1) != 0);

    public string Name { get; }

    public int RequiredParameterCount => 0;

    public int ParameterCount => 0;

    public ScriptVarParamKind VarParamKind => ScriptVarParamKind.Direct;

    public Type ReturnType => typeof(object);

    private static readonly ScriptParameterInfo EagerParameter = new(typeof(object), "arg");
    private static readonly ScriptParameterInfo LazyParameter = new(typeof(ScriptExpression), "arg");

    public ScriptParameterInfo GetParameterInfo(int index)
        => IsLazy(index) ? LazyParameter : EagerParameter;

    public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement)
    {
        var span = callerContext?.Span ?? context.CurrentSpan;
        try
        {
            // Nested expressions evaluate through here; the parser's nesting budget keeps the depth low, this is the last line.
            if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            {
                throw new JinjaRuntimeException(JinjaErrorKind.Limit, span, "the expression nests too deeply for the renderer's stack");
            }

            var jinja = (JinjaTemplateContext)context;
            if (jinja.Buffer.Overflow is { } overflow)
            {
                throw overflow;
            }

            var result = _body(jinja, span, arguments);
            return _checksSize && !NotProduced(result, arguments) ? jinja.CheckSize(result, span) : result;
        }
        catch (ScriptRuntimeException)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (PyException ex)
        {
            throw new JinjaRuntimeException(ex.Kind, span, ex.Message);
        }
        catch (JinjaLimitException ex)
        {
            throw new JinjaRuntimeException(JinjaErrorKind.Limit, span, ex.Message);
        }
        catch (InsufficientExecutionStackException)
        {
            throw new JinjaRuntimeException(JinjaErrorKind.Limit, span, "the expression nests too deeply for the renderer's stack");
        }
        catch (RegexMatchTimeoutException ex)
        {
            throw new JinjaRuntimeException(JinjaErrorKind.Limit, span, $"a regular expression timed out after {ex.MatchTimeout.TotalMilliseconds} ms");
        }

        // Nothing else is caught: an InvalidCastException, IndexOutOfRangeException, KeyNotFoundException, ArgumentException
        // (or any other) thrown by a function body is a bug in Proton.Sdk, not the template's fault, and surfaces as itself.
        // Errors a template causes are PyException (or JinjaRuntimeException) at the place they are detected.
    }

    /// <summary>Scalars, and results that are one of the arguments (<c>default</c>, <c>safe</c> on a string), were not produced here.</summary>
    private static bool NotProduced(object? result, ScriptArray arguments)
    {
        if (result is not (string or System.Collections.ICollection or PyTuple))
        {
            return true;
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            if (ReferenceEquals(arguments[i], result))
            {
                return true;
            }
        }

        return false;
    }

    public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement)
        => new(Invoke(context, callerContext, arguments, blockStatement));

    public override string ToString() => Name;
}

/// <summary>Python's loop variable over Scriban's loop state.</summary>
internal sealed class LoopInfo(IScriptObject state, TemplateContext context, SourceSpan span)
{
    private int Get(string member)
    {
        state.TryGetValue(context, span, member, out var v);
        return Convert.ToInt32(v, CultureInfo.InvariantCulture);
    }

    public object? Member(string name) => name switch
    {
        "index" => (long)Get("index") + 1,
        "index0" => (long)Get("index"),
        "first" => Get("index") == 0,
        "last" => state.TryGetValue(context, span, "last", out var last) && last is true,
        "length" => (long)Get("length"),
        "revindex" => (long)(Get("length") - Get("index")),
        "revindex0" => (long)(Get("length") - Get("index") - 1),
        "depth" => 1L,
        "depth0" => 0L,
        "cycle" => new BoundMethod(this, "cycle"),
        _ => Undefined.NoAttribute(this, name),
    };

    public object? Cycle(IReadOnlyList<object?> args)
    {
        if (args.Count == 0)
        {
            throw new PyException(JinjaErrorKind.Type, "no items for cycling given");
        }

        return args[Get("index") % args.Count];
    }
}

/// <summary>One step of a fused attribute/subscript chain: <c>.name</c> (attribute first, <see cref="Name"/> set) or <c>[key]</c> (item first).</summary>
internal sealed record PathStep(string? Name, object Key, SourceSpan Span);

/// <summary>The operations a compiled Jinja template calls: one <see cref="JinjaFunction"/> each, shared by all templates.</summary>
internal static partial class JinjaRuntime
{
    public static JinjaRuntimeException Error(JinjaErrorKind kind, SourceSpan span, string message) => new(kind, span, message);

    private static object? Check(object? value, SourceSpan span)
        => value is Undefined u ? throw Error(JinjaErrorKind.Undefined, u.Origin ?? span, u.Message) : value;

    internal static string CheckString(object? value, SourceSpan span) => PyValues.Str(Check(value, span));

    public static readonly JinjaFunction Output = new("output", (c, s, a) =>
    {
        c.WriteSpan = s;
        return CheckString(a[0], s);
    });

    public static readonly JinjaFunction Not = new("not", (c, s, a) => !c.ToBool(s, a[0]));

    public static readonly JinjaFunction And = new("and", (c, s, a) => c.ToBool(s, a[0]) ? c.Evaluate((ScriptExpression)a[1]!) : a[0], lazyMask: 0b10);

    public static readonly JinjaFunction Or = new("or", (c, s, a) => c.ToBool(s, a[0]) ? a[0] : c.Evaluate((ScriptExpression)a[1]!), lazyMask: 0b10);

    public static readonly JinjaFunction MakeUndefined = new("undefined", (c, s, a) => new Undefined((string)a[0]!));

    public static readonly JinjaFunction MakeList = new("list", (c, s, a) => new List<object?>(a));

    public static readonly JinjaFunction MakeTuple = new("tuple", (c, s, a) => new PyTuple(a.ToArray()));

    public static readonly JinjaFunction MakeDict = new("dict", (c, s, a) =>
    {
        var d = new Dictionary<string, object?>(a.Count / 2, StringComparer.Ordinal);
        for (var i = 0; i < a.Count; i += 2)
        {
            if (a[i] is not string key)
            {
                throw Error(JinjaErrorKind.Type, s, $"dict literal keys must be strings in Proton.Sdk templates; got {PyValues.TypeName(a[i])}");
            }

            d[key] = a[i + 1];
        }

        return d;
    });

    public static readonly JinjaFunction Loop = new("loop", (c, s, a) => a[0] is IScriptObject state ? new LoopInfo(state, c, s) : Undefined.Missing("loop"));

    public static readonly JinjaFunction Iter = new("iter", (c, s, a) =>
    {
        var v = Check(a[0], s);
        return v switch
        {
            IReadOnlyDictionary<string, object?> d => d.Keys.Cast<object?>().ToList(),
            IReadOnlyList<object?> l => l,
            string str => str.Select(ch => (object?)ch.ToString()).ToList(),
            _ => throw Error(JinjaErrorKind.Type, s, $"'{PyValues.TypeName(v)}' object is not iterable"),
        };
    });

    /// <summary>Iterates with a loop filter (<c>for x in xs if cond</c>): a[1] is the condition, a[2] the target name.</summary>
    public static readonly JinjaFunction FilteredIter = new("filtered_iter", (c, s, a) =>
    {
        var items = (IEnumerable<object?>)Iter.Invoke(c, null, [a[0]], null)!;
        var target = new ScriptVariableGlobal((string)a[2]!);
        var result = new List<object?>();
        foreach (var item in items)
        {
            c.SetValue(target, item);
            if (c.ToBool(s, c.Evaluate((ScriptExpression)a[1]!)))
            {
                result.Add(item);
            }
        }

        return result;
    }, lazyMask: 0b10);

    public static readonly JinjaFunction Unpack = new("unpack", (c, s, a) =>
    {
        var v = Check(a[0], s);
        var n = (int)(long)a[1]!;
        var items = v switch
        {
            IReadOnlyList<object?> l when v is not string => l.ToList(),
            IReadOnlyDictionary<string, object?> d => d.Keys.Cast<object?>().ToList(),
            string str => str.Select(ch => (object?)ch.ToString()).ToList(),
            _ => throw Error(JinjaErrorKind.Type, s, $"cannot unpack non-iterable {PyValues.TypeName(v)} object"),
        };
        if (items.Count != n)
        {
            throw Error(JinjaErrorKind.Value, s, items.Count > n
                ? $"too many values to unpack (expected {n})"
                : $"not enough values to unpack (expected {n}, got {items.Count})");
        }

        return items;
    });

    /// <summary>One step of a fused attribute/subscript chain: <c>.name</c> (attribute first) or <c>[key]</c> (item first).</summary>


    /// <summary>
    /// <c>f(x).b[0].c</c> (a chain whose root is not a variable) as one call whose only argument is the root value; the
    /// steps are fixed per call site, so they live in the function instance. Only the last step may be missing (jinja2's
    /// StrictUndefined rule). Chains rooted at a variable compile to <see cref="JinjaPathExpression"/> instead.
    /// </summary>
    public static JinjaFunction PathFunction(PathStep[] steps, bool output)
        => new(output ? "outputpath" : "getpath", output
            ? (c, s, a) =>
            {
                c.WriteSpan = s;
                return CheckString(WalkPath(a[0], steps), s);
            }
            : (c, s, a) => WalkPath(a[0], steps), checksSize: output);

    internal static object? WalkPath(object? value, PathStep[] steps)
    {
        foreach (var step in steps)
        {
            value = Check(value, step.Span);
            value = step.Name is { } name ? GetAttribute(value, name, step.Span) : GetItemValue(value, step.Key, step.Span);
        }

        return value;
    }

    public static readonly JinjaFunction GetAttr = new("getattr", (c, s, a) => GetAttribute(Check(a[0], s), (string)a[1]!, s), checksSize: false);

    public static readonly JinjaFunction GetItem = new("getitem", (c, s, a) => GetItemValue(Check(a[0], s), a[1], s), checksSize: false);

    public static readonly JinjaFunction Slice = new("slice", (c, s, a) => SliceValue(Check(a[0], s), Check(a[1], s), Check(a[2], s), Check(a[3], s)));

    public static readonly JinjaFunction Call = new("call", (c, s, a) => CallValue(c, s, a));

    public static readonly JinjaFunction Concat = new("concat", (c, s, a) => CheckString(a[0], s) + CheckString(a[1], s));

    public static readonly JinjaFunction Add = new("add", (c, s, a) => Arith("+", Check(a[0], s), Check(a[1], s)));

    public static readonly JinjaFunction Sub = new("sub", (c, s, a) => Arith("-", Check(a[0], s), Check(a[1], s)));

    public static readonly JinjaFunction Mul = new("mul", (c, s, a) => Arith("*", Check(a[0], s), Check(a[1], s)));

    public static readonly JinjaFunction Div = new("div", (c, s, a) => Arith("/", Check(a[0], s), Check(a[1], s)));

    public static readonly JinjaFunction FloorDiv = new("floordiv", (c, s, a) => Arith("//", Check(a[0], s), Check(a[1], s)));

    public static readonly JinjaFunction Mod = new("mod", (c, s, a) => Arith("%", Check(a[0], s), Check(a[1], s)));

    public static readonly JinjaFunction Pow = new("pow", (c, s, a) => Arith("**", Check(a[0], s), Check(a[1], s)));

    public static readonly JinjaFunction Neg = new("neg", (c, s, a) => Check(a[0], s) switch
    {
        long l => (object)(-l),
        bool b => b ? -1L : 0L,
        double d => -d,
        var v => throw Error(JinjaErrorKind.Type, s, $"bad operand type for unary -: '{PyValues.TypeName(v)}'"),
    });

    public static readonly JinjaFunction Pos = new("pos", (c, s, a) => Check(a[0], s) switch
    {
        long l => (object)l,
        bool b => b ? 1L : 0L,
        double d => d,
        var v => throw Error(JinjaErrorKind.Type, s, $"bad operand type for unary +: '{PyValues.TypeName(v)}'"),
    });

    private static readonly object True = true;
    private static readonly object False = false;

    /// <summary><c>x == 'literal'</c> (or <c>!=</c>) with the literal fixed at the call site: one argument instead of two.</summary>
    public static JinjaFunction CompareWith(object? literal, bool equal)
        => new(equal ? "eq" : "ne", (c, s, a) => PyValues.Equal(Check(a[0], s), literal) == equal ? True : False);

    public static readonly JinjaFunction Eq = new("eq", (c, s, a) => PyValues.Equal(Check(a[0], s), Check(a[1], s)));

    public static readonly JinjaFunction Ne = new("ne", (c, s, a) => !PyValues.Equal(Check(a[0], s), Check(a[1], s)));

    public static readonly JinjaFunction Lt = new("lt", (c, s, a) => PyValues.Compare(Check(a[0], s), Check(a[1], s), "<") < 0);

    public static readonly JinjaFunction Le = new("le", (c, s, a) => PyValues.Compare(Check(a[0], s), Check(a[1], s), "<=") <= 0);

    public static readonly JinjaFunction Gt = new("gt", (c, s, a) => PyValues.Compare(Check(a[0], s), Check(a[1], s), ">") > 0);

    public static readonly JinjaFunction Ge = new("ge", (c, s, a) => PyValues.Compare(Check(a[0], s), Check(a[1], s), ">=") >= 0);

    public static readonly JinjaFunction In = new("in", (c, s, a) => Contains(Check(a[1], s), Check(a[0], s), s));

    public static readonly JinjaFunction NotIn = new("notin", (c, s, a) => !Contains(Check(a[1], s), Check(a[0], s), s));

    public static readonly JinjaFunction Range = new("range", (c, s, a) =>
    {
        long start = 0, stop, step = 1;
        if (a.Count == 1)
        {
            stop = PyValues.AsLong(Check(a[0], s));
        }
        else
        {
            start = PyValues.AsLong(Check(a[0], s));
            stop = PyValues.AsLong(Check(a[1], s));
            if (a.Count > 2)
            {
                step = PyValues.AsLong(Check(a[2], s));
            }
        }

        if (step == 0)
        {
            throw Error(JinjaErrorKind.Value, s, "range() arg 3 must not be zero");
        }

        var result = new List<object?>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            if (result.Count >= c.LoopLimit)
            {
                throw Error(JinjaErrorKind.Limit, s, $"range() would produce more than {c.LoopLimit} items, the loop limit");
            }

            result.Add(i);
        }

        return result;
    });

    public static bool Contains(object? container, object? item, SourceSpan span) => container switch
    {
        string str => item is string sub
            ? str.Contains(sub, StringComparison.Ordinal)
            : throw Error(JinjaErrorKind.Type, span, $"'in <string>' requires string as left operand, not {PyValues.TypeName(item)}"),
        IReadOnlyDictionary<string, object?> d => item is string key && d.ContainsKey(key),
        IReadOnlyList<object?> l => l.Any(x => PyValues.Equal(x, item)),
        _ => throw Error(JinjaErrorKind.Type, span, $"argument of type '{PyValues.TypeName(container)}' is not iterable"),
    };

    private static readonly HashSet<string> DictMethods = ["clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values"];
    private static readonly HashSet<string> ListMethods = ["append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse", "sort"];
    private static readonly HashSet<string> StrMethods =
    [
        "capitalize", "casefold", "center", "count", "encode", "endswith", "expandtabs", "find", "format", "format_map", "index", "isalnum",
        "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric", "isprintable", "isspace", "istitle", "isupper",
        "join", "ljust", "lower", "lstrip", "maketrans", "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust",
        "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title", "translate", "upper", "zfill",
    ];

    /// <summary>jinja2's <c>getattr</c>: Python attribute first (methods), then item.</summary>
    public static object? GetAttribute(object? target, string name, SourceSpan span)
    {
        switch (target)
        {
            case IReadOnlyDictionary<string, object?> d:
                if (DictMethods.Contains(name))
                {
                    return new BoundMethod(d, name);
                }

                return d.TryGetValue(name, out var v) ? v : Undefined.NoAttribute(target, name, span);
            case string str:
                return StrMethods.Contains(name) ? new BoundMethod(str, name) : Undefined.NoAttribute(target, name, span);
            case IReadOnlyList<object?> l:
                return ListMethods.Contains(name) && target is not PyTuple || (target is PyTuple && name is "count" or "index")
                    ? new BoundMethod(l, name)
                    : Undefined.NoAttribute(target, name, span);
            case LoopInfo loop:
                return loop.Member(name);
            default:
                return Undefined.NoAttribute(target, name, span);
        }
    }

    /// <summary>jinja2's <c>getitem</c>: item first, then attribute for string keys.</summary>
    public static object? GetItemValue(object? target, object? key, SourceSpan span)
    {
        key = Check(key, span);
        switch (target)
        {
            case IReadOnlyDictionary<string, object?> d:
                if (key is string k)
                {
                    return d.TryGetValue(k, out var v) ? v : GetAttribute(target, k, span);
                }

                return Undefined.NoElement(target, key, span);
            case string str when PyValues.IsInteger(key):
                var si = PyValues.AsLong(key);
                if (si < 0)
                {
                    si += str.Length;
                }

                return si >= 0 && si < str.Length ? str[(int)si].ToString() : Undefined.NoElement(target, key, span);
            case IReadOnlyList<object?> l when PyValues.IsInteger(key):
                var i = PyValues.AsLong(key);
                if (i < 0)
                {
                    i += l.Count;
                }

                return i >= 0 && i < l.Count ? l[(int)i] : Undefined.NoElement(target, key, span);
            default:
                return key is string name ? GetAttribute(target, name, span) : Undefined.NoElement(target, key, span);
        }
    }

    private static object? SliceValue(object? target, object? start, object? stop, object? step)
    {
        var st = step is null ? 1 : PyValues.AsLong(step);
        if (st == 0)
        {
            throw new PyException(JinjaErrorKind.Value, "slice step cannot be zero");
        }

        var items = target switch
        {
            string s => s.Select(ch => (object?)ch.ToString()).ToList(),
            IReadOnlyList<object?> l => l.ToList(),
            _ => throw new PyException(JinjaErrorKind.Type, $"'{PyValues.TypeName(target)}' object is not subscriptable"),
        };
        var n = items.Count;
        long Norm(object? v, long dflt)
        {
            if (v is null)
            {
                return dflt;
            }

            var x = PyValues.AsLong(v);
            if (x < 0)
            {
                x += n;
            }

            return st > 0 ? Math.Clamp(x, 0, n) : Math.Clamp(x, -1, n - 1);
        }

        var from = Norm(start, st > 0 ? 0 : n - 1);
        var to = Norm(stop, st > 0 ? n : -1);
        var result = new List<object?>();
        for (var i = from; st > 0 ? i < to : i > to; i += st)
        {
            result.Add(items[(int)i]);
        }

        return target is string ? string.Concat(result.Cast<string>()) : target is PyTuple ? new PyTuple(result.ToArray()) : result;
    }

    private static object? Arith(string op, object? a, object? b)
    {
        try
        {
            return Arithmetic(op, a, b);
        }
        catch (OverflowException ex)
        {
            // Python's integers do not overflow; ours are 64-bit, so the template asked for a value we cannot hold.
            throw new PyException(JinjaErrorKind.Value, ex.Message);
        }
    }

    private static object? Arithmetic(string op, object? a, object? b)
    {
        if (PyValues.IsNumber(a) && PyValues.IsNumber(b))
        {
            if (PyValues.IsInteger(a) && PyValues.IsInteger(b) && op != "/")
            {
                var x = PyValues.AsLong(a);
                var y = PyValues.AsLong(b);
                switch (op)
                {
                    case "+": return checked(x + y);
                    case "-": return checked(x - y);
                    case "*": return checked(x * y);
                    case "//":
                        if (y == 0)
                        {
                            throw new PyException(JinjaErrorKind.Type, "integer division or modulo by zero");
                        }

                        return FloorDivide(x, y);
                    case "%":
                        if (y == 0)
                        {
                            throw new PyException(JinjaErrorKind.Type, "integer division or modulo by zero");
                        }

                        return ((x % y) + y) % y;
                    case "**":
                        return y >= 0 ? (object)IntPow(x, y) : Math.Pow(x, y);
                }
            }

            var dx = PyValues.AsDouble(a);
            var dy = PyValues.AsDouble(b);
            switch (op)
            {
                case "+": return dx + dy;
                case "-": return dx - dy;
                case "*": return dx * dy;
                case "/": return dy == 0 ? throw new PyException(JinjaErrorKind.Type, "division by zero") : dx / dy;
                case "//": return dy == 0 ? throw new PyException(JinjaErrorKind.Type, "float floor division by zero") : Math.Floor(dx / dy);
                case "%": return dy == 0 ? throw new PyException(JinjaErrorKind.Type, "float modulo") : dx - (dy * Math.Floor(dx / dy));
                case "**": return Math.Pow(dx, dy);
            }
        }

        if (op == "+" && a is string sa && b is string sb)
        {
            return sa + sb;
        }

        if (op == "+" && a is IReadOnlyList<object?> la && b is IReadOnlyList<object?> lb && a is not string && (a is PyTuple) == (b is PyTuple))
        {
            var list = la.Concat(lb).ToList();
            return a is PyTuple ? new PyTuple(list.ToArray()) : list;
        }

        if (op == "*" && ((a is string && PyValues.IsInteger(b)) || (b is string && PyValues.IsInteger(a))))
        {
            var text = a as string ?? (string)b!;
            var times = PyValues.AsLong(a is string ? b : a);
            if (times > 0 && text.Length > 0 && times > PyValues.MaxBuildChars / text.Length)
            {
                throw new JinjaLimitException($"string repetition would be longer than {PyValues.MaxBuildChars} characters, the value size limit");
            }

            return times <= 0 ? string.Empty : new StringBuilder().Insert(0, text, (int)times).ToString();
        }

        throw new PyException(JinjaErrorKind.Type, $"unsupported operand type(s) for {op}: '{PyValues.TypeName(a)}' and '{PyValues.TypeName(b)}'");
    }

    private static long IntPow(long x, long y)
    {
        long result = 1;
        for (var i = 0; i < y; i++)
        {
            result = checked(result * x);
        }

        return result;
    }

    private static long FloorDivide(long x, long y)
    {
        var q = x / y;
        return (x % y != 0) && ((x < 0) != (y < 0)) ? q - 1 : q;
    }

    private static object? CallValue(JinjaTemplateContext c, SourceSpan s, ScriptArray a)
    {
        var callee = Check(a[0], s);
        var args = a.Skip(1).Select(x => Check(x, s)).ToList();
        if (callee is BoundMethod m)
        {
            return m.Receiver switch
            {
                string str => StringMethod(str, m.Name, args, c),
                IReadOnlyDictionary<string, object?> d => DictMethod(d, m.Name, args),
                LoopInfo loop when m.Name == "cycle" => loop.Cycle(args),
                IReadOnlyList<object?> l => ListMethod(l, m.Name, args),
                _ => throw new PyException(JinjaErrorKind.Type, $"'{m.Name}' cannot be called"),
            };
        }

        throw Error(JinjaErrorKind.Type, s, $"'{PyValues.TypeName(callee)}' object is not callable");
    }

    private static object? DictMethod(IReadOnlyDictionary<string, object?> d, string name, List<object?> args) => name switch
    {
        "items" => d.Select(kv => (object?)new PyTuple([kv.Key, kv.Value])).ToList(),
        "keys" => d.Keys.Cast<object?>().ToList(),
        "values" => d.Values.ToList(),
        "get" => args.Count >= 1 && args[0] is string k && d.TryGetValue(k, out var v) ? v : args.Count >= 2 ? args[1] : null,
        "copy" => new Dictionary<string, object?>(d, StringComparer.Ordinal),
        _ => throw new PyException(JinjaErrorKind.Type, $"dict.{name}() would change a value; templates are read-only"),
    };

    private static object? ListMethod(IReadOnlyList<object?> l, string name, List<object?> args) => name switch
    {
        "count" => (long)l.Count(x => PyValues.Equal(x, args.ElementAtOrDefault(0))),
        "index" => l.Select((x, i) => (x, i)).FirstOrDefault(p => PyValues.Equal(p.x, args.ElementAtOrDefault(0)), (null, -1)).Item2 is var i && i >= 0
            ? (long)i
            : throw new PyException(JinjaErrorKind.Value, $"{PyValues.Repr(args.ElementAtOrDefault(0))} is not in list"),
        "copy" => l.ToList(),
        _ => throw new PyException(JinjaErrorKind.Type, $"list.{name}() would change a value; templates are read-only"),
    };

    private static string ArgStr(List<object?> args, int i, string method)
        => args.Count > i && args[i] is string s ? s : throw new PyException(JinjaErrorKind.Type, $"{method}() argument {i + 1} must be str, not {PyValues.TypeName(args.ElementAtOrDefault(i))}");

    private static object? StringMethod(string s, string name, List<object?> args, JinjaTemplateContext c)
    {
        switch (name)
        {
            case "split" or "rsplit":
                var sep = args.Count > 0 ? args[0] : null;
                var max = args.Count > 1 ? PyValues.AsLong(args[1]) : -1;
                return PySplit(s, sep is null ? null : ArgStr(args, 0, name), max, name == "rsplit");
            case "strip":
                return args.Count > 0 && args[0] is string cs ? s.Trim(cs.ToCharArray()) : s.Trim();
            case "lstrip":
                return args.Count > 0 && args[0] is string ls ? s.TrimStart(ls.ToCharArray()) : s.TrimStart();
            case "rstrip":
                return args.Count > 0 && args[0] is string rs ? s.TrimEnd(rs.ToCharArray()) : s.TrimEnd();
            case "lower" or "casefold":
                return s.ToLowerInvariant();
            case "upper":
                return s.ToUpperInvariant();
            case "title":
                return Filters.Title(s);
            case "capitalize":
                return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
            case "startswith" or "endswith":
                var prefixes = args.ElementAtOrDefault(0) switch
                {
                    string p => [p],
                    PyTuple t => t.Select(x => x as string ?? throw new PyException(JinjaErrorKind.Type, $"tuple for {name} must only contain str")).ToArray(),
                    var other => throw new PyException(JinjaErrorKind.Type, $"{name} first arg must be str or a tuple of str, not {PyValues.TypeName(other)}"),
                };
                return name == "startswith"
                    ? prefixes.Any(p => s.StartsWith(p, StringComparison.Ordinal))
                    : prefixes.Any(p => s.EndsWith(p, StringComparison.Ordinal));
            case "replace":
                return Filters.Replace(s, ArgStr(args, 0, name), ArgStr(args, 1, name), args.Count > 2 ? PyValues.AsLong(args[2]) : -1, c.MaxValueChars);
            case "find":
                return (long)s.IndexOf(ArgStr(args, 0, name), StringComparison.Ordinal);
            case "count":
                var needle = ArgStr(args, 0, name);
                return needle.Length == 0 ? s.Length + 1L : (long)((s.Length - s.Replace(needle, string.Empty, StringComparison.Ordinal).Length) / needle.Length);
            case "join":
                var items = PyValues.Iterate(args.ElementAtOrDefault(0)) ?? throw new PyException(JinjaErrorKind.Type, "can only join an iterable");
                var joined = new StringBuilder();
                var firstItem = true;
                foreach (var item in items)
                {
                    var text = item as string ?? throw new PyException(JinjaErrorKind.Type, $"sequence item: expected str instance, {PyValues.TypeName(item)} found");
                    PyValues.Reserve(joined.Length, (firstItem ? 0L : s.Length) + text.Length);
                    joined.Append(firstItem ? string.Empty : s).Append(text);
                    firstItem = false;
                }

                return joined.ToString();
            case "isdigit" or "isdecimal" or "isnumeric":
                return s.Length > 0 && s.All(char.IsDigit);
            case "isalpha":
                return s.Length > 0 && s.All(char.IsLetter);
            case "isalnum":
                return s.Length > 0 && s.All(char.IsLetterOrDigit);
            case "isspace":
                return s.Length > 0 && s.All(char.IsWhiteSpace);
            case "islower":
                return s.Any(char.IsLetter) && !s.Any(char.IsUpper);
            case "isupper":
                return s.Any(char.IsLetter) && !s.Any(char.IsLower);
            case "removeprefix":
                var pre = ArgStr(args, 0, name);
                return s.StartsWith(pre, StringComparison.Ordinal) ? s[pre.Length..] : s;
            case "removesuffix":
                var suf = ArgStr(args, 0, name);
                return suf.Length > 0 && s.EndsWith(suf, StringComparison.Ordinal) ? s[..^suf.Length] : s;
            case "zfill":
                var wide = PyValues.AsLong(args.ElementAtOrDefault(0));
                PyValues.Reserve(0, wide);
                var width = (int)wide;
                return s.Length >= width ? s : s.StartsWith('-') || s.StartsWith('+') ? s[0] + s[1..].PadLeft(width - 1, '0') : s.PadLeft(width, '0');
            case "splitlines":
                return s.Split('\n').Select(x => (object?)x.TrimEnd('\r')).ToList() is var lines && s.EndsWith('\n') ? lines.Take(lines.Count - 1).ToList() : lines;
            default:
                throw new PyException(JinjaErrorKind.Type, $"str.{name}() is not supported by Proton.Sdk templates");
        }
    }

    /// <summary>Python's <c>str.split</c> / <c>str.rsplit</c>.</summary>
    public static List<object?> PySplit(string s, string? sep, long max, bool fromRight = false)
    {
        var result = new List<object?>();
        if (sep is null)
        {
            var parts = s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (max < 0 || parts.Length <= max + 1)
            {
                result.AddRange(parts);
                return result;
            }

            if (!fromRight)
            {
                var rest = s.TrimStart();
                for (var i = 0; i < max; i++)
                {
                    var end = 0;
                    while (end < rest.Length && !char.IsWhiteSpace(rest[end]))
                    {
                        end++;
                    }

                    result.Add(rest[..end]);
                    rest = rest[end..].TrimStart();
                }

                result.Add(rest);
                return result;
            }

            var head = s.TrimEnd();
            var tail = new List<object?>();
            for (var i = 0; i < max; i++)
            {
                var start = head.Length;
                while (start > 0 && !char.IsWhiteSpace(head[start - 1]))
                {
                    start--;
                }

                tail.Insert(0, head[start..]);
                head = head[..start].TrimEnd();
            }

            result.Add(head);
            result.AddRange(tail);
            return result;
        }

        if (sep.Length == 0)
        {
            throw new PyException(JinjaErrorKind.Value, "empty separator");
        }

        var pieces = s.Split(sep, StringSplitOptions.None);
        if (max < 0 || pieces.Length <= max + 1)
        {
            result.AddRange(pieces);
            return result;
        }

        if (!fromRight)
        {
            result.AddRange(pieces.Take((int)max));
            result.Add(string.Join(sep, pieces.Skip((int)max)));
        }
        else
        {
            result.Add(string.Join(sep, pieces.Take(pieces.Length - (int)max)));
            result.AddRange(pieces.Skip(pieces.Length - (int)max));
        }

        return result;
    }
}
