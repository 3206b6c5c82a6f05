using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Proton.Sdk.Internal;

/// <summary>A node of a parsed YAML document, with where it starts. Aliases point at the anchored node.</summary>
internal abstract class YamlNode
{
    protected YamlNode(int line, int column)
    {
        Line = line;
        Column = column;
    }

    public int Line { get; }

    public int Column { get; }

    /// <summary>Number of nodes this node stands for once aliases are expanded (bounded by <see cref="YamlLimits.MaxNodes"/>).</summary>
    public long Weight { get; set; } = 1;
}

internal sealed class YamlScalar : YamlNode
{
    public YamlScalar(string value, bool isPlain, string? tag, int line, int column)
        : base(line, column)
    {
        Value = value;
        IsPlain = isPlain;
        Tag = tag;
    }

    public string Value { get; }

    /// <summary>True for plain (unquoted, non-block) scalars: only those are resolved to numbers, booleans and null.</summary>
    public bool IsPlain { get; }

    public string? Tag { get; }
}

internal sealed class YamlSequence : YamlNode
{
    public YamlSequence(int line, int column)
        : base(line, column)
    {
    }

    public List<YamlNode> Items { get; } = [];

    /// <summary>The node's tag (such as CloudFormation's <c>!Join</c>), or null.</summary>
    public string? Tag { get; init; }
}

internal sealed class YamlMapping : YamlNode
{
    public YamlMapping(int line, int column)
        : base(line, column)
    {
    }

    public List<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = [];

    /// <summary>The node's tag, or null.</summary>
    public string? Tag { get; init; }

    public YamlNode? this[string key]
    {
        get
        {
            foreach (var entry in Entries)
            {
                if (entry.Key.Value == key)
                {
                    return entry.Value;
                }
            }

            return null;
        }
    }

    public YamlScalar? KeyOf(string key) => Entries.FirstOrDefault(e => e.Key.Value == key).Key;
}

/// <summary>Bounds for reading YAML, so that hostile documents cannot exhaust memory or the stack.</summary>
internal sealed record YamlLimits
{
    public static readonly YamlLimits Default = new();

    /// <summary>Deepest nesting of mappings and sequences.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most nodes a document may stand for once aliases are expanded.</summary>
    public long MaxNodes { get; init; } = 100_000;

    /// <summary>Most aliases a document may use.</summary>
    public int MaxAliases { get; init; } = 1_000;
}

/// <summary>Reads one YAML document into <see cref="YamlNode"/>s with positions, safely.</summary>
internal static class YamlReader
{
    /// <summary>Parses <paramref name="text"/>; returns null and adds diagnostics when it is not valid YAML or breaks a limit.</summary>
    public static YamlNode? Parse(string text, string file, List<Diagnostic> diagnostics, YamlLimits? limits = null)
    {
        limits ??= YamlLimits.Default;
        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            // YAML allows no NUL, and the parser takes one for the end of the stream: what follows would be lost silently.
            var line = 1 + text.AsSpan(0, nul).Count('\n');
            var column = nul - (text.LastIndexOf('\n', Math.Max(nul - 1, 0)) + 1) + 1;
            diagnostics.Add(Diagnostic.Error("yaml.syntax", "The YAML holds a NUL character (U+0000), which YAML does not allow.", file, line, column));
            return null;
        }

        try
        {
            return ParseCore(text, file, limits);
        }
        catch (YamlLimitException ex)
        {
            diagnostics.Add(Diagnostic.Error(ex.Code, ex.Message, file, ex.Line, ex.Column));
        }
        catch (YamlException ex)
        {
            diagnostics.Add(Diagnostic.Error("yaml.syntax", CleanMessage(ex), file, (int)ex.Start.Line, (int)ex.Start.Column));
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this (not a YamlException) for some malformed plain scalars.
            diagnostics.Add(Diagnostic.Error("yaml.syntax", "The YAML does not parse: " + ex.Message, file));
        }

        return null;
    }

    private static string CleanMessage(YamlException ex)
    {
        var msg = ex.Message;
        // YamlDotNet prefixes "(Line: 1, Col: 1, Idx: 0) - (Line: ...): "; the location is reported separately.
        var i = msg.IndexOf("): ", StringComparison.Ordinal);
        return i >= 0 && msg.StartsWith("(Line", StringComparison.Ordinal) ? msg[(i + 3)..] : msg;
    }

    private static YamlNode? ParseCore(string text, string file, YamlLimits limits)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var stack = new Stack<(YamlNode Node, YamlScalar? PendingKey, string? Anchor)>();
        YamlNode? root = null;
        var documents = 0;
        var aliases = 0;
        long total = 0;

        while (parser.MoveNext())
        {
            var ev = parser.Current!;
            YamlNode? completed = null;
            string? completedAnchor = null;
            switch (ev)
            {
                case DocumentStart ds when !ds.IsImplicit || documents > 0:
                    documents++;
                    if (documents > 1)
                    {
                        throw new YamlLimitException("yaml.multiple-documents", "A file holds one YAML document; found a second.", (int)ev.Start.Line, (int)ev.Start.Column);
                    }

                    break;
                case DocumentStart:
                    documents++;
                    break;
                case Scalar s:
                    completed = new YamlScalar(s.Value, s.Style == ScalarStyle.Plain, s.Tag.IsEmpty ? null : s.Tag.Value, (int)s.Start.Line, (int)s.Start.Column);
                    completedAnchor = s.Anchor.IsEmpty ? null : s.Anchor.Value;
                    break;
                case SequenceStart ss:
                    Push(new YamlSequence((int)ss.Start.Line, (int)ss.Start.Column) { Tag = ss.Tag.IsEmpty ? null : ss.Tag.Value }, ss.Anchor.IsEmpty ? null : ss.Anchor.Value, ev);
                    break;
                case MappingStart ms:
                    Push(new YamlMapping((int)ms.Start.Line, (int)ms.Start.Column) { Tag = ms.Tag.IsEmpty ? null : ms.Tag.Value }, ms.Anchor.IsEmpty ? null : ms.Anchor.Value, ev);
                    break;
                case SequenceEnd:
                case MappingEnd:
                    var top = stack.Pop();
                    completed = top.Node;
                    completedAnchor = top.Anchor;
                    break;
                case AnchorAlias alias:
                    aliases++;
                    if (aliases > limits.MaxAliases)
                    {
                        throw new YamlLimitException("yaml.too-many-aliases", $"The document uses more than {limits.MaxAliases} aliases.", (int)ev.Start.Line, (int)ev.Start.Column);
                    }

                    if (!anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        throw new YamlLimitException("yaml.syntax", $"Alias '*{alias.Value.Value}' names no anchor defined before it.", (int)ev.Start.Line, (int)ev.Start.Column);
                    }

                    total += target.Weight;
                    if (total > limits.MaxNodes)
                    {
                        throw new YamlLimitException("yaml.too-large", $"The document expands to more than {limits.MaxNodes} nodes through its aliases (an alias bomb?).", (int)ev.Start.Line, (int)ev.Start.Column);
                    }

                    Attach(target, ev, isAlias: true);
                    break;
            }

            if (completed is not null)
            {
                if (completedAnchor is not null)
                {
                    anchors[completedAnchor] = completed;
                }

                if (completed is YamlScalar)
                {
                    total++;
                    if (total > limits.MaxNodes)
                    {
                        throw new YamlLimitException("yaml.too-large", $"The document has more than {limits.MaxNodes} nodes.", completed.Line, completed.Column);
                    }
                }

                Attach(completed, ev, isAlias: false);
            }
        }

        return root;

        void Push(YamlNode node, string? anchor, ParsingEvent ev)
        {
            if (stack.Count >= limits.MaxDepth)
            {
                throw new YamlLimitException("yaml.too-deep", $"The document nests deeper than {limits.MaxDepth} levels.", (int)ev.Start.Line, (int)ev.Start.Column);
            }

            total++;
            stack.Push((node, null, anchor));
        }

        void Attach(YamlNode node, ParsingEvent ev, bool isAlias)
        {
            if (stack.Count == 0)
            {
                root = node;
                return;
            }

            var (parent, pendingKey, anchor) = stack.Pop();
            parent.Weight += node.Weight;
            if (parent.Weight > limits.MaxNodes)
            {
                throw new YamlLimitException("yaml.too-large", $"The document expands to more than {limits.MaxNodes} nodes through its aliases (an alias bomb?).", (int)ev.Start.Line, (int)ev.Start.Column);
            }

            if (parent is YamlSequence seq)
            {
                seq.Items.Add(node);
                stack.Push((parent, null, anchor));
                return;
            }

            var map = (YamlMapping)parent;
            if (pendingKey is null)
            {
                if (node is not YamlScalar key || isAlias)
                {
                    throw new YamlLimitException("yaml.complex-key", "Mapping keys must be plain scalars.", node.Line, node.Column);
                }

                if (map.Entries.Any(e => e.Key.Value == key.Value))
                {
                    throw new YamlLimitException("yaml.duplicate-key", $"Duplicate key '{key.Value}'.", key.Line, key.Column);
                }

                stack.Push((parent, key, anchor));
                return;
            }

            map.Entries.Add(new(pendingKey, node));
            stack.Push((parent, null, anchor));
        }
    }

    private static readonly Regex IntPattern = new(@"^[-+]?(0|[1-9][0-9_]*)$", RegexOptions.CultureInvariant);
    private static readonly Regex FloatPattern = new(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Converts a node to plain .NET values (YAML 1.2 core schema): null, bool, long, double, string,
    /// <see cref="List{T}"/> and insertion-ordered <see cref="Dictionary{TKey, TValue}"/>. Quoted scalars stay strings.
    /// </summary>
    public static object? ToValue(YamlNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case YamlScalar s:
                return ScalarValue(s);
            case YamlSequence seq:
                var list = new List<object?>(seq.Items.Count);
                foreach (var item in seq.Items)
                {
                    list.Add(ToValue(item));
                }

                return list;
            case YamlMapping map:
                var dict = new Dictionary<string, object?>(map.Entries.Count, StringComparer.Ordinal);
                foreach (var (key, value) in map.Entries)
                {
                    dict[key.Value] = ToValue(value);
                }

                return dict;
            default:
                return null;
        }
    }

    public static object? ScalarValue(YamlScalar s)
    {
        if (s.Tag is { } tag)
        {
            switch (tag)
            {
                case "tag:yaml.org,2002:str":
                case "!":
                    return s.Value;
                case "tag:yaml.org,2002:null":
                    return null;
            }
        }

        if (!s.IsPlain)
        {
            return s.Value;
        }

        var v = s.Value;
        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF":
                return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN":
                return double.NaN;
        }

        if (v.Length > 0 && (char.IsAsciiDigit(v[0]) || v[0] is '-' or '+' or '.'))
        {
            if (IntPattern.IsMatch(v) && long.TryParse(v.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                return l;
            }

            if (v.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(v.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            {
                return hex;
            }

            if (FloatPattern.IsMatch(v) && double.TryParse(v.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                return d;
            }
        }

        return v;
    }

    private sealed class YamlLimitException(string code, string message, int line, int column) : Exception(message)
    {
        public string Code { get; } = code;

        public int Line { get; } = line;

        public int Column { get; } = column;
    }
}
