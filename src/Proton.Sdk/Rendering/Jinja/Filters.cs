using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Scriban.Parsing;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>A filter or test: its Jinja parameters (after the value), their defaults, and the function that runs it.</summary>
internal sealed record JinjaCallable(string Name, string[] Parameters, object?[] Defaults, JinjaFunction Function)
{
    /// <summary>Marks a parameter that must be given.</summary>
    public static readonly object Required = new();
}

/// <summary>jinja2's built-in filters and tests that Proton templates use, plus Proton's four proton_cfn_* filters.</summary>
internal static partial class Filters
{
    public const string BlockStart = "\u0000PROTON_BLOCK\u0001";
    public const string BlockEnd = "\u0001PROTON_BLOCK\u0000";

    private static readonly Dictionary<string, JinjaCallable> FilterTable = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, JinjaCallable> TestTable = new(StringComparer.Ordinal);

    public static JinjaCallable? Filter(string name) => FilterTable.GetValueOrDefault(name);

    public static JinjaCallable? Test(string name) => TestTable.GetValueOrDefault(name);

    public static IEnumerable<string> FilterNames => FilterTable.Keys;

    private static object? V(object? value, SourceSpan span)
        => value is Undefined u ? throw JinjaRuntime.Error(JinjaErrorKind.Undefined, u.Origin ?? span, u.Message) : value;

    private static void AddFilter(string name, string[] parameters, object?[] defaults, Func<JinjaTemplateContext, SourceSpan, Scriban.Runtime.ScriptArray, object?> body, params string[] aliases)
    {
        var callable = new JinjaCallable(name, parameters, defaults, new JinjaFunction("filter:" + name, body));
        FilterTable[name] = callable;
        foreach (var alias in aliases)
        {
            FilterTable[alias] = callable with { Name = alias };
        }
    }

    private static void AddTest(string name, string[] parameters, object?[] defaults, Func<object?, Scriban.Runtime.ScriptArray, bool> body, bool acceptsUndefined = false, params string[] aliases)
    {
        var callable = new JinjaCallable(name, parameters, defaults, new JinjaFunction("test:" + name, (c, s, a) =>
        {
            if (!acceptsUndefined)
            {
                V(a[0], s);
            }

            return body(a[0], a);
        }));
        TestTable[name] = callable;
        foreach (var alias in aliases)
        {
            TestTable[alias] = callable with { Name = alias };
        }
    }

    private static string StrArg(object? v, SourceSpan s) => PyValues.Str(V(v, s));

    private static int Indent(long indent)
        => indent is >= 0 and <= int.MaxValue ? (int)indent : throw new PyException(JinjaErrorKind.Value, $"tojson indent must be between 0 and {int.MaxValue}, got {indent}");

    static Filters()
    {
        var req = JinjaCallable.Required;

        // default(value, default_value='', boolean=False)
        AddFilter("default", ["default_value", "boolean"], ["", false], (c, s, a) =>
            a[0] is Undefined || (a[2] is true && !c.ToBool(s, a[0])) ? a[1] : a[0], "d");
        AddFilter("length", [], [], (c, s, a) =>
            PyValues.Length(V(a[0], s)) is { } n ? (long)n : throw JinjaRuntime.Error(JinjaErrorKind.Type, s, $"object of type '{PyValues.TypeName(a[0])}' has no len()"), "count");
        AddFilter("lower", [], [], (c, s, a) => StrArg(a[0], s).ToLowerInvariant());
        AddFilter("upper", [], [], (c, s, a) => StrArg(a[0], s).ToUpperInvariant());
        AddFilter("capitalize", [], [], (c, s, a) => StrArg(a[0], s) is var t && t.Length > 0 ? char.ToUpperInvariant(t[0]) + t[1..].ToLowerInvariant() : t);
        AddFilter("title", [], [], (c, s, a) => Title(StrArg(a[0], s)));
        AddFilter("trim", ["chars"], [null], (c, s, a) =>
            a[1] is string chars ? StrArg(a[0], s).Trim(chars.ToCharArray()) : StrArg(a[0], s).Trim());
        AddFilter("replace", ["old", "new", "count"], [req, req, null], (c, s, a) =>
            Replace(StrArg(a[0], s), StrArg(a[1], s), StrArg(a[2], s), a[3] is null ? -1 : PyValues.AsLong(V(a[3], s)), c.MaxValueChars));
        AddFilter("truncate", ["length", "killwords", "end", "leeway"], [255L, false, "...", null], (c, s, a) => Truncate(V(a[0], s), a, s));
        AddFilter("tojson", ["indent"], [null], (c, s, a) => PyValues.ToJson(V(a[0], s), a[1] is null ? null : Indent(PyValues.AsLong(a[1]))));
        AddFilter("safe", [], [], (c, s, a) => StrArg(a[0], s));
        AddFilter("string", [], [], (c, s, a) => StrArg(a[0], s));
        AddFilter("join", ["d", "attribute"], ["", null], (c, s, a) =>
        {
            var items = PyValues.Iterate(V(a[0], s)) ?? throw JinjaRuntime.Error(JinjaErrorKind.Type, s, "can only join an iterable");
            if (a[2] is string attr)
            {
                items = items.Select(i => JinjaRuntime.GetAttribute(i, attr, s));
            }

            var separator = StrArg(a[1], s);
            var sb = new StringBuilder();
            foreach (var item in items)
            {
                var text = StrArg(item, s);
                PyValues.Reserve(sb.Length, (sb.Length > 0 ? separator.Length : 0L) + text.Length);
                if (sb.Length > 0)
                {
                    sb.Append(separator);
                }

                sb.Append(text);
            }

            return sb.ToString();
        });
        AddFilter("first", [], [], (c, s, a) =>
            PyValues.Iterate(V(a[0], s))?.Take(1).ToList() is { Count: 1 } f ? f[0] : new Undefined("No first item, sequence was empty."));
        AddFilter("last", [], [], (c, s, a) =>
            V(a[0], s) is IReadOnlyList<object?> { Count: > 0 } l ? l[^1]
            : V(a[0], s) is string { Length: > 0 } str ? str[^1].ToString()
            : new Undefined("No last item, sequence was empty."));
        AddFilter("int", ["default", "base"], [0L, 10L], (c, s, a) => ToInt(V(a[0], s), a[1], PyValues.AsLong(a[2])));
        AddFilter("float", ["default"], [0.0], (c, s, a) => ToFloat(V(a[0], s), a[1]));
        AddFilter("abs", [], [], (c, s, a) => V(a[0], s) switch
        {
            long l => (object)Math.Abs(l),
            double d => Math.Abs(d),
            bool b => b ? 1L : 0L,
            var v => throw JinjaRuntime.Error(JinjaErrorKind.Type, s, $"bad operand type for abs(): '{PyValues.TypeName(v)}'"),
        });
        AddFilter("list", [], [], (c, s, a) => PyValues.Iterate(V(a[0], s))?.ToList() ?? throw JinjaRuntime.Error(JinjaErrorKind.Type, s, $"'{PyValues.TypeName(a[0])}' object is not iterable"));
        AddFilter("sort", ["reverse", "case_sensitive", "attribute"], [false, false, null], (c, s, a) =>
        {
            var items = PyValues.Iterate(V(a[0], s))?.ToList() ?? throw JinjaRuntime.Error(JinjaErrorKind.Type, s, "can only sort an iterable");
            object? Key(object? x)
            {
                var v = a[3] is string attr ? JinjaRuntime.GetAttribute(x, attr, s) : x;
                return a[2] is not true && v is string str ? str.ToLowerInvariant() : v;
            }

            var sorted = items.OrderBy(Key, Comparer<object?>.Create((x, y) => PyValues.Compare(x, y, "<"))).ToList();
            if (a[1] is true)
            {
                sorted.Reverse();
            }

            return sorted;
        });
        AddFilter("indent", ["width", "first", "blank"], [4L, false, false], (c, s, a) =>
        {
            var text = StrArg(a[0], s);
            var width = a[1] is string ? 0 : PyValues.AsLong(a[1]);
            PyValues.Reserve(0, width);
            var pad = a[1] is string p ? p : new string(' ', (int)Math.Max(0, width));
            var lines = text.Split('\n');
            var sb = new StringBuilder();
            for (var i = 0; i < lines.Length; i++)
            {
                if (i > 0)
                {
                    sb.Append('\n');
                }

                var indentThis = (i > 0 || a[2] is true) && (a[3] is true || lines[i].Trim().Length > 0);
                PyValues.Reserve(sb.Length, 1L + (indentThis ? pad.Length : 0) + lines[i].Length);
                sb.Append(indentThis ? pad : string.Empty).Append(lines[i]);
            }

            return sb.ToString();
        });

        // Proton's filters (AWS Proton user guide, parameter-filters.md).
        AddFilter("proton_cfn_sanitize", [], [], (c, s, a) => CheckSafe(V(a[0], s), s, c.RegexTimeout));
        AddFilter("proton_cfn_ecs_task_definition_formatted_env_vars", ["raw"], [true], (c, s, a) =>
        {
            var lines = new List<string>();
            foreach (var (name, value) in OutputsItems(a[0], s))
            {
                if (a[1] is false)
                {
                    CheckSafe(value, s, c.RegexTimeout);
                }

                lines.Add($"- Name: {name}");
                lines.Add($"  Value: {PyValues.Str(value)}");
            }

            return Block(c, lines);
        });
        AddFilter("proton_cfn_lambda_function_formatted_env_vars", ["raw"], [true], (c, s, a) =>
        {
            var lines = new List<string>();
            foreach (var (name, value) in OutputsItems(a[0], s))
            {
                if (a[1] is false)
                {
                    CheckSafe(value, s, c.RegexTimeout);
                }

                lines.Add($"{name}: {PyValues.Str(value)}");
            }

            return Block(c, lines);
        });
        AddFilter("proton_cfn_iam_policy_arns", [], [], (c, s, a) =>
            Block(c, OutputsItems(a[0], s).Where(kv => IamPolicyArn().IsMatch(PyValues.Str(kv.Value))).Select(kv => "- " + PyValues.Str(kv.Value)).ToList()));

        // Tests.
        AddTest("defined", [], [], (v, a) => v is not Undefined, acceptsUndefined: true);
        AddTest("undefined", [], [], (v, a) => v is Undefined, acceptsUndefined: true);
        AddTest("none", [], [], (v, a) => v is null);
        AddTest("boolean", [], [], (v, a) => v is bool);
        AddTest("true", [], [], (v, a) => v is true);
        AddTest("false", [], [], (v, a) => v is false);
        AddTest("integer", [], [], (v, a) => v is long);
        AddTest("float", [], [], (v, a) => v is double);
        AddTest("number", [], [], (v, a) => v is long or double or bool);
        AddTest("string", [], [], (v, a) => v is string);
        AddTest("mapping", [], [], (v, a) => v is IReadOnlyDictionary<string, object?>);
        AddTest("sequence", [], [], (v, a) => v is string or IReadOnlyList<object?> or IReadOnlyDictionary<string, object?>);
        AddTest("iterable", [], [], (v, a) => v is string or IReadOnlyList<object?> or IReadOnlyDictionary<string, object?>);
        AddTest("even", [], [], (v, a) => PyValues.AsLong(v) % 2 == 0);
        AddTest("odd", [], [], (v, a) => PyValues.AsLong(v) % 2 != 0);
        AddTest("divisibleby", ["num"], [req], (v, a) => PyValues.AsLong(a[1]) switch
        {
            0 => throw new PyException(JinjaErrorKind.Type, "integer division or modulo by zero"),
            -1 => true,
            var num => PyValues.AsLong(v) % num == 0,
        });
        AddTest("lower", [], [], (v, a) => PyValues.Str(v) is var t && t == t.ToLowerInvariant());
        AddTest("upper", [], [], (v, a) => PyValues.Str(v) is var t && t == t.ToUpperInvariant());
        AddTest("eq", ["other"], [req], (v, a) => PyValues.Equal(v, a[1]), false, "equalto", "==");
        AddTest("ne", ["other"], [req], (v, a) => !PyValues.Equal(v, a[1]), false, "!=");
        AddTest("lt", ["other"], [req], (v, a) => PyValues.Compare(v, a[1], "<") < 0, false, "lessthan", "<");
        AddTest("le", ["other"], [req], (v, a) => PyValues.Compare(v, a[1], "<=") <= 0, false, "<=");
        AddTest("gt", ["other"], [req], (v, a) => PyValues.Compare(v, a[1], ">") > 0, false, "greaterthan", ">");
        AddTest("ge", ["other"], [req], (v, a) => PyValues.Compare(v, a[1], ">=") >= 0, false, ">=");
        AddTest("in", ["seq"], [req], (v, a) => JinjaRuntime.Contains(a[1], v, default));
        AddTest("sameas", ["other"], [req], (v, a) => ReferenceEquals(v, a[1]) || (v is null && a[1] is null) || (v is bool b && a[1] is bool b2 && b == b2));
    }

    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var prevLetter = false;
        foreach (var ch in s)
        {
            sb.Append(prevLetter ? char.ToLowerInvariant(ch) : char.ToUpperInvariant(ch));
            prevLetter = char.IsLetter(ch) || ch == '\'';
        }

        return sb.ToString();
    }

    public static string Replace(string s, string oldValue, string newValue, long count, int maxChars = int.MaxValue)
    {
        // The result's length is known before it is built: refuse a replacement that would outgrow the value size limit.
        if (newValue.Length > oldValue.Length)
        {
            long occurrences = oldValue.Length == 0 ? s.Length + 1L : (s.Length - s.Replace(oldValue, string.Empty, StringComparison.Ordinal).Length) / oldValue.Length;
            if (count >= 0)
            {
                occurrences = Math.Min(occurrences, count);
            }

            var length = s.Length + (occurrences * (newValue.Length - oldValue.Length));
            if (length > maxChars)
            {
                throw new JinjaLimitException($"replace would produce a string of {length} characters; the value size limit is {maxChars}");
            }
        }

        if (count < 0)
        {
            if (oldValue.Length == 0)
            {
                var sb = new StringBuilder(newValue);
                foreach (var ch in s)
                {
                    sb.Append(ch).Append(newValue);
                }

                return sb.ToString();
            }

            return s.Replace(oldValue, newValue, StringComparison.Ordinal);
        }

        var result = new StringBuilder();
        var pos = 0;
        for (var n = 0; n < count; n++)
        {
            var i = oldValue.Length == 0 ? (pos <= s.Length ? pos : -1) : s.IndexOf(oldValue, pos, StringComparison.Ordinal);
            if (i < 0)
            {
                break;
            }

            result.Append(s, pos, i - pos).Append(newValue);
            if (oldValue.Length == 0)
            {
                if (i < s.Length)
                {
                    result.Append(s[i]);
                }

                pos = i + 1;
            }
            else
            {
                pos = i + oldValue.Length;
            }
        }

        if (pos <= s.Length)
        {
            result.Append(s, pos, s.Length - pos);
        }

        return result.ToString();
    }

    /// <summary>jinja2's do_truncate, leeway rule included (default leeway 5).</summary>
    private static string Truncate(object? value, Scriban.Runtime.ScriptArray a, SourceSpan s)
    {
        if (value is not string text)
        {
            throw JinjaRuntime.Error(JinjaErrorKind.Type, s, $"object of type '{PyValues.TypeName(value)}' has no len()");
        }

        var length = PyValues.AsLong(V(a[1], s));
        var killwords = a[2] is not null && PyValues.Truthy(a[2], u => JinjaRuntime.Error(JinjaErrorKind.Undefined, s, u.Message));
        var end = StrArg(a[3], s);
        var leeway = a[4] is null ? 5 : PyValues.AsLong(V(a[4], s));
        if (length < end.Length)
        {
            throw JinjaRuntime.Error(JinjaErrorKind.Value, s, $"expected length >= {end.Length}, got {length}");
        }

        if (leeway < 0)
        {
            throw JinjaRuntime.Error(JinjaErrorKind.Value, s, $"expected leeway >= 0, got {leeway}");
        }

        if (text.Length <= length + leeway)
        {
            return text;
        }

        var keep = (int)(length - end.Length);
        if (killwords)
        {
            return text[..keep] + end;
        }

        var head = text[..keep];
        var space = head.LastIndexOf(' ');
        return (space >= 0 ? head[..space] : head) + end;
    }

    private static object? ToInt(object? value, object? dflt, long numberBase)
    {
        switch (value)
        {
            case long or bool:
                return PyValues.AsLong(value);
            case double d:
                return double.IsFinite(d) ? (long)Math.Truncate(d) : dflt;
            case string s:
                var t = s.Trim().Replace("_", string.Empty, StringComparison.Ordinal);
                try
                {
                    if (numberBase == 10 && long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                    {
                        return l;
                    }

                    if (numberBase is 16 or 8 or 2)
                    {
                        var neg = t.StartsWith('-');
                        var digits = t.TrimStart('+', '-');
                        var prefix = numberBase == 16 ? "0x" : numberBase == 8 ? "0o" : "0b";
                        if (digits.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                        {
                            digits = digits[2..];
                        }

                        var n = Convert.ToInt64(digits, (int)numberBase);
                        return neg ? -n : n;
                    }
                }
                catch (FormatException)
                {
                }
                catch (ArgumentException)
                {
                }
                catch (OverflowException ex)
                {
                    throw new PyException(JinjaErrorKind.Value, ex.Message);
                }

                return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var dd) && double.IsFinite(dd) ? (long)Math.Truncate(dd) : dflt;
            default:
                return dflt;
        }
    }

    private static object? ToFloat(object? value, object? dflt) => value switch
    {
        double d => d,
        long or bool => PyValues.AsDouble(value),
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => dflt,
    };

    [GeneratedRegex(@"^[a-zA-Z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SafePattern();

    [GeneratedRegex(@"^arn:[a-zA-Z0-9-]+:[a-zA-Z0-9-]*:[a-zA-Z0-9-]*:[0-9]*:.+$", RegexOptions.CultureInvariant)]
    private static partial Regex ArnPattern();

    [GeneratedRegex(@"^arn:[a-zA-Z-]+:iam::\d{12}:policy/", RegexOptions.CultureInvariant)]
    private static partial Regex IamPolicyArn();

    private static string CheckSafe(object? value, SourceSpan s, TimeSpan timeout)
    {
        var text = PyValues.Str(V(value, s));
        if (text.Length > 4096)
        {
            throw JinjaRuntime.Error(JinjaErrorKind.Filter, s, "Illegal character(s) detected: the value is longer than 4096 characters.");
        }

        if (SafePattern().IsMatch(text) || ArnPattern().IsMatch(text))
        {
            return text;
        }

        throw JinjaRuntime.Error(JinjaErrorKind.Filter, s, $"Illegal character(s) detected in \"{text}\". Must match regex ^[a-zA-Z0-9_-]*$ or be a valid ARN");
    }

    private static IEnumerable<KeyValuePair<string, object?>> OutputsItems(object? outputs, SourceSpan s)
    {
        V(outputs, s);
        return outputs as IReadOnlyDictionary<string, object?>
               ?? throw JinjaRuntime.Error(JinjaErrorKind.Filter, s, $"expected a dict of outputs, got '{PyValues.TypeName(outputs)}'");
    }

    /// <summary>Multi-line filter output is laid out after rendering, indented to the column where it is printed.</summary>
    private static string Block(JinjaTemplateContext c, List<string> lines)
    {
        if (lines.Count == 0)
        {
            return string.Empty;
        }

        c.HasBlocks = true;
        return BlockStart + JsonSerializer.Serialize(lines) + BlockEnd;
    }

    /// <summary>Replaces block markers with their lines; continuation lines get the marker's column as indentation.</summary>
    public static string LayoutBlocks(string text, int maxChars = int.MaxValue)
    {
        if (!text.Contains(BlockStart, StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var pos = 0;
        while (true)
        {
            var i = text.IndexOf(BlockStart, pos, StringComparison.Ordinal);
            if (i < 0)
            {
                sb.Append(text, pos, text.Length - pos);
                break;
            }

            var j = text.IndexOf(BlockEnd, i, StringComparison.Ordinal);
            var lines = JsonSerializer.Deserialize<List<string>>(text.AsSpan(i + BlockStart.Length, j - i - BlockStart.Length))!;
            var lineStart = text.LastIndexOf('\n', i > 0 ? i - 1 : 0) + 1;
            if (i == 0)
            {
                lineStart = 0;
            }

            var prefix = text[lineStart..i];
            var indent = prefix.Trim().Length == 0 ? new string(' ', prefix.Length) : new string(' ', prefix.Length - prefix.TrimStart().Length);
            sb.Append(text, pos, i - pos);
            if (sb.Length + lines.Sum(l => (long)l.Length + 1 + indent.Length) > maxChars)
            {
                throw new JinjaLimitException($"the rendering is longer than {maxChars} characters, the output limit");
            }

            sb.Append(string.Join("\n" + indent, lines));
            pos = j + BlockEnd.Length;
        }

        return sb.ToString();
    }
}
