using System.Collections;
using System.Globalization;
using System.Text;

namespace Proton.Sdk.Rendering.Jinja;

using Proton.Sdk.Rendering;

/// <summary>The kinds of render failure, matching jinja2's exception types.</summary>
internal enum JinjaErrorKind
{
    Undefined,
    Type,
    Value,
    Filter,
    Limit,
}

/// <summary>A value an operation would build is larger than the render's value size limit (becomes a located limit error).</summary>
internal sealed class JinjaLimitException(string message) : Exception(message);

/// <summary>A value that is not defined (jinja2's StrictUndefined): any use but <c>is defined</c> and <c>default</c> fails.</summary>
internal sealed class Undefined
{
    public Undefined(string message, Scriban.Parsing.SourceSpan? origin = null)
    {
        Message = message;
        Origin = origin;
    }

    public string Message { get; }

    /// <summary>Where the missing name or attribute was looked up; errors point there.</summary>
    public Scriban.Parsing.SourceSpan? Origin { get; }

    public static Undefined Missing(string name, Scriban.Parsing.SourceSpan? origin = null) => new($"'{name}' is undefined", origin);

    public static Undefined NoAttribute(object? obj, string name, Scriban.Parsing.SourceSpan? origin = null) => new($"{PyValues.ObjectTypeRepr(obj)} has no attribute '{name}'", origin);

    public static Undefined NoElement(object? obj, object? key, Scriban.Parsing.SourceSpan? origin = null) => new($"{PyValues.ObjectTypeRepr(obj)} has no element {PyValues.Repr(key)}", origin);
}

/// <summary>A Python tuple: an immutable sequence that prints as <c>(a, b)</c>.</summary>
internal sealed class PyTuple(object?[] items) : IReadOnlyList<object?>
{
    public object?[] Items { get; } = items;

    public int Count => Items.Length;

    public object? this[int index] => Items[index];

    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => Items.GetEnumerator();
}

/// <summary>A method bound to its receiver, such as <c>'a;b'.split</c>, called later with arguments.</summary>
internal sealed class BoundMethod(object receiver, string name)
{
    public object Receiver { get; } = receiver;

    public string Name { get; } = name;
}

/// <summary>Python's value semantics over the .NET values a render context holds.</summary>
internal static class PyValues
{
    [ThreadStatic]
    private static int t_maxBuildChars;

    /// <summary>
    /// The longest text <see cref="Repr"/>, <see cref="Str"/> and <see cref="ToJson"/> may build on this thread (the render
    /// in progress sets it from its options; unlimited otherwise), so a list holding one big string many times fails early.
    /// </summary>
    public static int MaxBuildChars
    {
        get => t_maxBuildChars <= 0 ? int.MaxValue : t_maxBuildChars;
        set => t_maxBuildChars = value;
    }

    /// <summary>Throws when <paramref name="adding"/> more characters would take a value past <see cref="MaxBuildChars"/>.</summary>
    public static void Reserve(long length, long adding)
    {
        if (length + adding > MaxBuildChars)
        {
            throw new JinjaLimitException($"a value would be longer than {MaxBuildChars} characters, the value size limit");
        }
    }

    private static void Reserve(StringBuilder sb, long adding) => Reserve(sb.Length, adding);

    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long or int => "int",
        double => "float",
        string => "str",
        PyTuple => "tuple",
        IReadOnlyDictionary<string, object?> => "dict",
        IReadOnlyList<object?> => "list",
        LoopInfo => "LoopContext",
        BoundMethod => "builtin_function_or_method",
        Undefined => "StrictUndefined",
        _ => value.GetType().Name,
    };

    /// <summary>jinja2's object_type_repr: <c>'None'</c> or <c>'dict object'</c>.</summary>
    public static string ObjectTypeRepr(object? value) => value is null ? "'None'" : $"'{TypeName(value)} object'";

    public static bool IsNumber(object? v) => v is long or double or bool or int;

    public static bool IsInteger(object? v) => v is long or bool or int;

    public static long AsLong(object? v) => v switch
    {
        long l => l,
        int i => i,
        bool b => b ? 1 : 0,
        _ => throw new PyException(JinjaErrorKind.Type, $"'{TypeName(v)}' object cannot be interpreted as an integer"),
    };

    public static double AsDouble(object? v) => v switch
    {
        double d => d,
        long l => l,
        int i => i,
        bool b => b ? 1 : 0,
        _ => throw new PyException(JinjaErrorKind.Type, $"must be real number, not {TypeName(v)}"),
    };

    /// <summary>Python's truth value; undefined fails.</summary>
    public static bool Truthy(object? v, Func<Undefined, Exception> fail) => v switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        int i => i != 0,
        double d => d != 0,
        string s => s.Length > 0,
        Undefined u => throw fail(u),
        ICollection c => c.Count > 0,
        IReadOnlyCollection<object?> c => c.Count > 0,
        IReadOnlyCollection<KeyValuePair<string, object?>> c => c.Count > 0,
        _ => true,
    };

    /// <summary>Python's <c>str()</c>.</summary>
    public static string Str(object? v) => v switch
    {
        string s => s,
        null => "None",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => FloatRepr(d),
        _ => Repr(v),
    };

    /// <summary>Python's <c>repr()</c>.</summary>
    public static string Repr(object? v)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, v, 0);
        return sb.ToString();
    }

    private static void AppendRepr(StringBuilder sb, object? v, int depth)
    {
        if (depth > 100)
        {
            sb.Append("...");
            return;
        }

        Reserve(sb, 0);

        switch (v)
        {
            case string s:
                AppendStringRepr(sb, s);
                break;
            case PyTuple t:
                sb.Append('(');
                for (var i = 0; i < t.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    AppendRepr(sb, t[i], depth + 1);
                }

                sb.Append(t.Count == 1 ? ",)" : ")");
                break;
            case IReadOnlyDictionary<string, object?> d:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in d)
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }

                    first = false;
                    AppendStringRepr(sb, key);
                    sb.Append(": ");
                    AppendRepr(sb, value, depth + 1);
                }

                sb.Append('}');
                break;
            case IReadOnlyList<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    AppendRepr(sb, list[i], depth + 1);
                }

                sb.Append(']');
                break;
            case LoopInfo:
                sb.Append("<LoopContext>");
                break;
            case BoundMethod m:
                sb.Append("<built-in method ").Append(m.Name).Append(" of ").Append(TypeName(m.Receiver)).Append(" object>");
                break;
            default:
                sb.Append(Str(v));
                break;
        }
    }

    private static void AppendStringRepr(StringBuilder sb, string s)
    {
        Reserve(sb, s.Length + 2L);
        var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        sb.Append(quote);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c == quote)
                    {
                        sb.Append('\\').Append(c);
                    }
                    else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        sb.Append(c).Append(s[++i]);
                    }
                    else if (char.IsSurrogate(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse || c == '\u00ad')
                    {
                        sb.Append(c < 0x100 ? "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture) : "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append(quote);
    }

    /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, fixed notation for 1e-4 &lt;= |x| &lt; 1e16.</summary>
    public static string FloatRepr(double d)
    {
        if (double.IsNaN(d))
        {
            return "nan";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf" : "-inf";
        }

        if (d == 0)
        {
            return double.IsNegative(d) ? "-0.0" : "0.0";
        }

        var r = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var exp = 0;
        var e = r.IndexOfAny(['E', 'e']);
        var mantissa = r;
        if (e >= 0)
        {
            exp = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = r[..e];
        }

        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intLen = dot < 0 ? mantissa.Length : dot;
        var digits = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits[lead..].TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }

        var decpt = intLen - lead + exp;
        var sb = new StringBuilder();
        if (d < 0)
        {
            sb.Append('-');
        }

        if (decpt > -4 && decpt <= 16)
        {
            if (decpt <= 0)
            {
                sb.Append("0.").Append('0', -decpt).Append(digits);
            }
            else if (decpt >= digits.Length)
            {
                sb.Append(digits).Append('0', decpt - digits.Length).Append(".0");
            }
            else
            {
                sb.Append(digits, 0, decpt).Append('.').Append(digits, decpt, digits.Length - decpt);
            }
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            var x = decpt - 1;
            sb.Append('e').Append(x < 0 ? '-' : '+').Append(Math.Abs(x).ToString("00", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>Python's <c>==</c>.</summary>
    public static bool Equal(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return IsInteger(a) && IsInteger(b) ? AsLong(a) == AsLong(b) : AsDouble(a) == AsDouble(b);
        }

        if (a is string sa)
        {
            return b is string sb && string.Equals(sa, sb, StringComparison.Ordinal);
        }

        if (a is IReadOnlyDictionary<string, object?> da)
        {
            if (b is not IReadOnlyDictionary<string, object?> db || da.Count != db.Count)
            {
                return false;
            }

            foreach (var (k, v) in da)
            {
                if (!db.TryGetValue(k, out var w) || !Equal(v, w))
                {
                    return false;
                }
            }

            return true;
        }

        if (a is IReadOnlyList<object?> la && b is IReadOnlyList<object?> lb && (a is PyTuple) == (b is PyTuple))
        {
            if (la.Count != lb.Count)
            {
                return false;
            }

            for (var i = 0; i < la.Count; i++)
            {
                if (!Equal(la[i], lb[i]))
                {
                    return false;
                }
            }

            return true;
        }

        return ReferenceEquals(a, b) || a.Equals(b);
    }

    /// <summary>Python's ordering; throws <see cref="InvalidOperationException"/> with Python's TypeError text when the types do not order.</summary>
    public static int Compare(object? a, object? b, string op)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            return IsInteger(a) && IsInteger(b) ? AsLong(a).CompareTo(AsLong(b)) : AsDouble(a).CompareTo(AsDouble(b));
        }

        if (a is string sa && b is string sb)
        {
            return string.CompareOrdinal(sa, sb);
        }

        if (a is IReadOnlyList<object?> la && b is IReadOnlyList<object?> lb && a is not IReadOnlyDictionary<string, object?>)
        {
            for (var i = 0; i < Math.Min(la.Count, lb.Count); i++)
            {
                if (!Equal(la[i], lb[i]))
                {
                    return Compare(la[i], lb[i], op);
                }
            }

            return la.Count.CompareTo(lb.Count);
        }

        throw new PyException(JinjaErrorKind.Type, $"'{op}' not supported between instances of '{TypeName(a)}' and '{TypeName(b)}'");
    }

    /// <summary>Python's <c>len()</c>; null when the value has no length.</summary>
    public static int? Length(object? v) => v switch
    {
        string s => s.Length,
        IReadOnlyDictionary<string, object?> d => d.Count,
        IReadOnlyList<object?> l => l.Count,
        ICollection c => c.Count,
        _ => null,
    };

    /// <summary>Iterates like Python: lists by item, dicts by key, strings by character.</summary>
    public static IEnumerable<object?>? Iterate(object? v) => v switch
    {
        string s => s.Select(c => (object?)c.ToString()),
        IReadOnlyDictionary<string, object?> d => d.Keys,
        IReadOnlyList<object?> l => l,
        _ => null,
    };

    /// <summary>jinja2's <c>tojson</c>: <c>json.dumps(v, sort_keys=True)</c> with &lt; &gt; &amp; ' escaped as \u sequences.</summary>
    public static string ToJson(object? v, int? indent)
    {
        var sb = new StringBuilder();
        AppendJson(sb, v, indent, 0);
        return sb.ToString();
    }

    private static void AppendJson(StringBuilder sb, object? v, int? indent, int level)
    {
        if (level > 100)
        {
            throw new PyException(JinjaErrorKind.Type, "Circular reference detected");
        }

        Reserve(sb, 0);

        switch (v)
        {
            case null:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long or int:
                sb.Append(Str(v));
                break;
            case double d:
                sb.Append(double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : FloatRepr(d));
                break;
            case string s:
                AppendJsonString(sb, s);
                break;
            case IReadOnlyDictionary<string, object?> dict:
                if (dict.Count == 0)
                {
                    sb.Append("{}");
                    break;
                }

                sb.Append('{');
                var first = true;
                foreach (var key in dict.Keys.OrderBy(k => k, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(indent is null ? ", " : ",");
                    }

                    first = false;
                    NewLine(sb, indent, level + 1);
                    AppendJsonString(sb, key);
                    sb.Append(": ");
                    AppendJson(sb, dict[key], indent, level + 1);
                }

                NewLine(sb, indent, level);
                sb.Append('}');
                break;
            case IReadOnlyList<object?> list:
                if (list.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }

                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(indent is null ? ", " : ",");
                    }

                    NewLine(sb, indent, level + 1);
                    AppendJson(sb, list[i], indent, level + 1);
                }

                NewLine(sb, indent, level);
                sb.Append(']');
                break;
            default:
                throw new PyException(JinjaErrorKind.Type, $"Object of type {TypeName(v)} is not JSON serializable");
        }
    }

    private static void NewLine(StringBuilder sb, int? indent, int level)
    {
        if (indent is { } n)
        {
            Reserve(sb, 1L + ((long)n * level));
            sb.Append('\n').Append(' ', n * level);
        }
    }

    private static void AppendJsonString(StringBuilder sb, string s)
    {
        Reserve(sb, s.Length + 2L);
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '<': sb.Append("\\u003c"); break;
                case '>': sb.Append("\\u003e"); break;
                case '&': sb.Append("\\u0026"); break;
                case '\'': sb.Append("\\u0027"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    /// <summary>Converts arbitrary .NET values (JSON elements, dictionaries, enumerables, numbers) to the values templates see.</summary>
    public static object? Normalize(object? value, int depth = 0)
    {
        if (depth > 64)
        {
            throw new ArgumentException("The render context nests deeper than 64 levels.");
        }

        switch (value)
        {
            case null or string or bool or long or double or Undefined:
                return value;
            case int i:
                return (long)i;
            case short or byte or sbyte or ushort or uint:
                return Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case ulong ul:
                return ul <= long.MaxValue ? (long)ul : (double)ul;
            case float f:
                return (double)f;
            case decimal m:
                return decimal.Truncate(m) == m && m >= long.MinValue && m <= long.MaxValue ? (long)m : (double)m;
            case System.Text.Json.JsonElement je:
                return FromJson(je);
            case System.Text.Json.Nodes.JsonNode jn:
                return FromJson(System.Text.Json.JsonSerializer.SerializeToElement(jn));
            case IPlaceholderValues:
                return value;
            case Dictionary<string, object?> d when depth > 0 && d.Values.All(IsNormalizedScalar):
                return d;
            case IReadOnlyDictionary<string, object?> rd:
                var copy = new Dictionary<string, object?>(rd.Count, StringComparer.Ordinal);
                foreach (var (k, v) in rd)
                {
                    copy[k] = Normalize(v, depth + 1);
                }

                return copy;
            case IDictionary dict:
                var result = new Dictionary<string, object?>(dict.Count, StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dict)
                {
                    result[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty] = Normalize(entry.Value, depth + 1);
                }

                return result;
            case PyTuple:
                return value;
            case IEnumerable e:
                var list = new List<object?>();
                foreach (var item in e)
                {
                    list.Add(Normalize(item, depth + 1));
                }

                return list;
            default:
                return Convert.ToString(value, CultureInfo.InvariantCulture);
        }
    }

    private static bool IsNormalizedScalar(object? v) => v is null or string or bool or long or double;

    private static object? FromJson(System.Text.Json.JsonElement e)
    {
        switch (e.ValueKind)
        {
            case System.Text.Json.JsonValueKind.Object:
                var d = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var p in e.EnumerateObject())
                {
                    d[p.Name] = FromJson(p.Value);
                }

                return d;
            case System.Text.Json.JsonValueKind.Array:
                return e.EnumerateArray().Select(FromJson).ToList();
            case System.Text.Json.JsonValueKind.String:
                return e.GetString();
            case System.Text.Json.JsonValueKind.Number:
                if (e.TryGetInt64(out var l) && !e.GetRawText().Contains('.', StringComparison.Ordinal) && !e.GetRawText().Contains('e', StringComparison.OrdinalIgnoreCase))
                {
                    return l;
                }

                return e.GetDouble();
            case System.Text.Json.JsonValueKind.True:
                return true;
            case System.Text.Json.JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }
}
