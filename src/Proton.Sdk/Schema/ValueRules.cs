using System.Globalization;
using System.Text.RegularExpressions;
using Proton.Sdk.Internal;

namespace Proton.Sdk.Schema;

/// <summary>A keyword check that failed: a stable code and a message (with the value shown only when it is not secret).</summary>
internal readonly record struct RuleFailure(string Code, string Message);

/// <summary>Type coercion and the keyword checks of one property, shared by validation and the schema's own checks.</summary>
internal static class ValueRules
{
    /// <summary>
    /// Converts a spec value to the property's type. Quoted YAML numbers and booleans (<c>"80"</c>, <c>"true"</c>) are
    /// accepted for number, integer and boolean inputs and converted; numbers and booleans are not accepted for string
    /// inputs (quote them); integers stay <see cref="long"/>, other numbers are <see cref="double"/>.
    /// </summary>
    public static bool TryCoerce(SchemaProperty p, SchemaValueType type, object? value, out object? coerced)
    {
        coerced = null;
        switch (type)
        {
            case SchemaValueType.String when value is string:
                coerced = value;
                return true;
            case SchemaValueType.Number when value is long or double:
                coerced = value;
                return value is not double number || double.IsFinite(number);
            case SchemaValueType.Number when value is string s && TryParseNumber(s, out var n):
                coerced = n;
                return true;
            case SchemaValueType.Integer when value is long:
                coerced = value;
                return true;
            case SchemaValueType.Integer when value is double d && double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 9e15:
                coerced = (long)d;
                return true;
            case SchemaValueType.Integer when value is string s && long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l):
                coerced = l;
                return true;
            case SchemaValueType.Boolean when value is bool:
                coerced = value;
                return true;
            case SchemaValueType.Boolean when value is string s && bool.TryParse(s.Trim(), out var b):
                coerced = b;
                return true;
            case SchemaValueType.Array when value is IReadOnlyList<object?> list:
                var items = new List<object?>(list.Count);
                foreach (var item in list)
                {
                    if (p.Items is null || !TryCoerce(p.Items, p.Items.Type, item, out var c))
                    {
                        return false;
                    }

                    items.Add(c);
                }

                coerced = items.AsReadOnly();
                return true;
            default:
                return false;
        }
    }

    private static bool TryParseNumber(string s, out object value)
    {
        s = s.Trim();
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            value = l;
            return true;
        }

        if (double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            value = d;
            return true;
        }

        value = 0L;
        return false;
    }

    public static string TypeName(SchemaValueType t) => t switch
    {
        SchemaValueType.String => "a string",
        SchemaValueType.Number => "a number",
        SchemaValueType.Integer => "an integer",
        SchemaValueType.Boolean => "a boolean",
        _ => "an array",
    };

    public static string KindOf(object? v) => v switch
    {
        null => "null",
        string => "a string",
        bool => "a boolean",
        long => "an integer",
        double => "a number",
        IReadOnlyList<object?> => "a list",
        IReadOnlyDictionary<string, object?> => "a mapping",
        _ => v.GetType().Name,
    };

    /// <summary>Shows a value in a message, or hides it when the input is secret.</summary>
    public static string Show(SchemaProperty p, object? v) => p.IsSecret ? "(secret value hidden)" : v switch
    {
        null => "null",
        string s => $"'{s}'",
        bool b => b ? "true" : "false",
        IReadOnlyList<object?> l => "[" + string.Join(", ", l.Select(i => Show(p, i))) + "]",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>Every failure of a raw value against the property: the type first, then each keyword.</summary>
    public static List<RuleFailure> Check(SchemaProperty p, object? raw)
    {
        var failures = new List<RuleFailure>();
        if (!TryCoerce(p, p.Type, raw, out var value))
        {
            failures.Add(TypeFailure(p, raw));
            return failures;
        }

        foreach (var check in Keywords)
        {
            if (check(p, value) is { } f)
            {
                failures.Add(f);
            }
        }

        return failures;
    }

    public static RuleFailure TypeFailure(SchemaProperty p, object? raw)
    {
        if (p.Type == SchemaValueType.Array && raw is IReadOnlyList<object?> list && p.Items is { } items)
        {
            var bad = list.Select((v, i) => (v, i)).First(x => !TryCoerce(items, items.Type, x.v, out _));
            return new RuleFailure("schema.type", $"item {bad.i} must be {TypeName(items.Type)}; got {KindOf(bad.v)} {Show(p, bad.v)}");
        }

        var hint = p.Type == SchemaValueType.String && raw is long or double or bool ? " (quote it in YAML)" : string.Empty;
        return new RuleFailure("schema.type", $"must be {TypeName(p.Type)}; got {KindOf(raw)} {Show(p, raw)}{hint}");
    }

    /// <summary>The keyword checks, in order, on a value already of the property's type.</summary>
    public static readonly Func<SchemaProperty, object?, RuleFailure?>[] Keywords =
    [
        Enum, Pattern, Minimum, Maximum, MinLength, MaxLength, MinItems, MaxItems, UniqueItems, ItemKeywords,
    ];

    public static RuleFailure? Enum(SchemaProperty p, object? v)
        => p.Enum is { } values && !values.Any(e => Same(e, v))
            ? new RuleFailure("schema.enum", $"must be one of {string.Join(", ", values.Select(e => p.IsSecret ? "(hidden)" : Show(p with { Format = null }, e)))}; got {Show(p, v)}")
            : null;

    public static RuleFailure? Pattern(SchemaProperty p, object? v)
    {
        if (p.Pattern is null || v is not string s)
        {
            return null;
        }

        if (!EcmaRegex.TryGet(p.Pattern, out var regex, out _))
        {
            return new RuleFailure("schema.pattern", $"cannot be checked: the pattern {p.Pattern} is invalid");
        }

        var budget = RegexBudget.Current;
        if (budget is not null && budget.TimedOut(p.Pattern))
        {
            return new RuleFailure(SchemaErrorCodes.PatternTimeout, $"could not be checked against {p.Pattern}: the pattern timed out on an earlier value and is not tried again");
        }

        if (budget is not null && budget.IsUsedUp)
        {
            return new RuleFailure(SchemaErrorCodes.PatternTimeout, $"could not be checked against {p.Pattern}: pattern matching used up its time budget of {(int)RegexBudget.Total.TotalSeconds} s");
        }

        try
        {
            return regex!.IsMatch(s) ? null : new RuleFailure("schema.pattern", $"must match the pattern {p.Pattern}; got {Show(p, s)}");
        }
        catch (RegexMatchTimeoutException)
        {
            budget?.MarkTimedOut(p.Pattern);
            return new RuleFailure(SchemaErrorCodes.PatternTimeout, $"could not be checked against {p.Pattern}: the match timed out after {(int)EcmaRegex.Timeout.TotalSeconds} s");
        }
    }

    public static RuleFailure? Minimum(SchemaProperty p, object? v)
    {
        if (p.Minimum is not { } min || v is not (long or double))
        {
            return null;
        }

        var d = Convert.ToDouble(v, CultureInfo.InvariantCulture);
        return p.ExclusiveMinimum ? d > min ? null : new RuleFailure("schema.minimum", $"must be greater than {Num(min)}; got {Show(p, v)}")
            : d >= min ? null : new RuleFailure("schema.minimum", $"must be at least {Num(min)}; got {Show(p, v)}");
    }

    public static RuleFailure? Maximum(SchemaProperty p, object? v)
    {
        if (p.Maximum is not { } max || v is not (long or double))
        {
            return null;
        }

        var d = Convert.ToDouble(v, CultureInfo.InvariantCulture);
        return p.ExclusiveMaximum ? d < max ? null : new RuleFailure("schema.maximum", $"must be less than {Num(max)}; got {Show(p, v)}")
            : d <= max ? null : new RuleFailure("schema.maximum", $"must be at most {Num(max)}; got {Show(p, v)}");
    }

    public static RuleFailure? MinLength(SchemaProperty p, object? v)
        => p.MinLength is { } n && v is string s && Length(s) < n ? new RuleFailure("schema.min-length", $"must have at least {n} characters; got {Length(s)}") : null;

    public static RuleFailure? MaxLength(SchemaProperty p, object? v)
        => p.MaxLength is { } n && v is string s && Length(s) > n ? new RuleFailure("schema.max-length", $"must have at most {n} characters; got {Length(s)}") : null;

    public static RuleFailure? MinItems(SchemaProperty p, object? v)
        => p.MinItems is { } n && v is IReadOnlyList<object?> l && l.Count < n ? new RuleFailure("schema.min-items", $"must have at least {n} items; got {l.Count}") : null;

    public static RuleFailure? MaxItems(SchemaProperty p, object? v)
        => p.MaxItems is { } n && v is IReadOnlyList<object?> l && l.Count > n ? new RuleFailure("schema.max-items", $"must have at most {n} items; got {l.Count}") : null;

    public static RuleFailure? UniqueItems(SchemaProperty p, object? v)
        => p.UniqueItems && v is IReadOnlyList<object?> l && l.Distinct(ValueComparer.Instance).Count() != l.Count ? new RuleFailure("schema.unique-items", "must not repeat items") : null;

    public static RuleFailure? ItemKeywords(SchemaProperty p, object? v)
    {
        if (p.Items is not { } items || v is not IReadOnlyList<object?> l)
        {
            return null;
        }

        for (var i = 0; i < l.Count; i++)
        {
            foreach (var check in Keywords)
            {
                if (check(items with { Format = p.Format }, l[i]) is { } f)
                {
                    return f with { Message = $"item {i} {f.Message}" };
                }
            }
        }

        return null;
    }

    /// <summary>Unicode code points, as JSON Schema counts string length.</summary>
    private static int Length(string s)
    {
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (!char.IsLowSurrogate(s[i]))
            {
                n++;
            }
        }

        return n;
    }

    private static string Num(double d) => d.ToString(CultureInfo.InvariantCulture);

    public static bool Same(object? a, object? b) => ValueComparer.Instance.Equals(a, b);

    /// <summary>Equality of plain values: numbers by value (80 equals 80.0), strings ordinal, lists item by item.</summary>
    internal sealed class ValueComparer : IEqualityComparer<object?>
    {
        public static readonly ValueComparer Instance = new();

        public new bool Equals(object? a, object? b)
        {
            if (a is long or double && b is long or double)
            {
                return Convert.ToDouble(a, CultureInfo.InvariantCulture) == Convert.ToDouble(b, CultureInfo.InvariantCulture);
            }

            if (a is IReadOnlyList<object?> la && b is IReadOnlyList<object?> lb)
            {
                return la.Count == lb.Count && la.Zip(lb).All(x => Equals(x.First, x.Second));
            }

            return object.Equals(a, b);
        }

        public int GetHashCode(object? obj) => obj switch
        {
            null => 0,
            long or double => Convert.ToDouble(obj, CultureInfo.InvariantCulture).GetHashCode(),
            IReadOnlyList<object?> l => l.Count,
            _ => obj.GetHashCode(),
        };
    }
}
