using System.Globalization;
using Proton.Sdk.Internal;

namespace Proton.Sdk.Provisioning;

/// <summary>A parameter of a CloudFormation template.</summary>
internal sealed record CfnParameter(string Name, string Type, string? Default, bool NoEcho);

/// <summary>A resource of a CloudFormation template; <see cref="Properties"/> is in long form (<c>Fn::Sub</c>, <c>Ref</c>).</summary>
internal sealed record CfnResource(string LogicalId, string Type, IReadOnlyDictionary<string, object?> Properties, int Line);

/// <summary>
/// The parts of a rendered CloudFormation template (YAML or JSON) the SDK reasons about: parameters, resources,
/// outputs and transforms. Short-form intrinsics (<c>!Ref</c>, <c>!Sub</c>, <c>!GetAtt a.b</c>) become long form.
/// </summary>
internal sealed class CfnTemplate
{
    private CfnTemplate(string file)
    {
        File = file;
    }

    public string File { get; }

    public Dictionary<string, CfnParameter> Parameters { get; } = new(StringComparer.Ordinal);

    public List<CfnResource> Resources { get; } = [];

    public List<KeyValuePair<string, object?>> Outputs { get; } = [];

    public List<string> Transforms { get; } = [];

    /// <summary>Parses a template; errors carry the file, line and column.</summary>
    public static CfnTemplate Parse(string body, string file)
    {
        var diagnostics = new List<Diagnostic>();
        var root = YamlReader.Parse(body, file, diagnostics, new YamlLimits { MaxNodes = 1_000_000 });
        if (root is null)
        {
            throw new ProtonValidationException("provisioning.invalid-template", diagnostics);
        }

        if (root is not YamlMapping map)
        {
            throw new ProtonValidationException("provisioning.invalid-template", [Diagnostic.Error("cfn.not-a-mapping", "A CloudFormation template is a mapping with a Resources section.", file, root.Line, root.Column)]);
        }

        var t = new CfnTemplate(file);
        if (map["Parameters"] is YamlMapping ps)
        {
            foreach (var (key, value) in ps.Entries)
            {
                var p = value as YamlMapping;
                var type = (p?["Type"] as YamlScalar)?.Value ?? "String";
                var def = p?["Default"] switch
                {
                    YamlScalar s => s.Value,
                    YamlSequence seq => string.Join(',', seq.Items.OfType<YamlScalar>().Select(i => i.Value)),
                    _ => null,
                };
                var noEcho = (p?["NoEcho"] as YamlScalar)?.Value is { } ne && ne.Equals("true", StringComparison.OrdinalIgnoreCase);
                t.Parameters[key.Value] = new CfnParameter(key.Value, type, def, noEcho);
            }
        }

        if (map["Resources"] is not YamlMapping resources)
        {
            throw new ProtonValidationException("provisioning.invalid-template", [Diagnostic.Error("cfn.no-resources", "The template has no Resources mapping.", file, map.Line, map.Column)]);
        }

        foreach (var (key, value) in resources.Entries)
        {
            if (value is not YamlMapping r || r["Type"] is not YamlScalar type || type.Value.Length == 0)
            {
                throw new ProtonValidationException("provisioning.invalid-template", [Diagnostic.Error("cfn.resource-type", $"Resources.{key.Value} has no Type.", file, key.Line, key.Column)]);
            }

            var props = ToValue(r["Properties"]) as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);
            t.Resources.Add(new CfnResource(key.Value, type.Value, props, key.Line));
        }

        if (map["Outputs"] is YamlMapping outs)
        {
            foreach (var (key, value) in outs.Entries)
            {
                t.Outputs.Add(new(key.Value, value is YamlMapping o ? ToValue(o["Value"]) : null));
            }
        }

        switch (map["Transform"])
        {
            case YamlScalar s:
                t.Transforms.Add(s.Value);
                break;
            case YamlSequence seq:
                t.Transforms.AddRange(seq.Items.OfType<YamlScalar>().Select(i => i.Value));
                break;
            case YamlMapping m when m["Name"] is YamlScalar n:
                t.Transforms.Add(n.Value);
                break;
        }

        return t;
    }

    /// <summary>A node as plain values, with tagged intrinsics in long form.</summary>
    public static object? ToValue(YamlNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case YamlScalar s when s.Tag is { } tag && tag.StartsWith('!') && tag.Length > 1:
                return tag == "!GetAtt"
                    ? Intrinsic(tag, s.Value.Split('.', 2).Select(x => (object?)x).ToList())
                    : Intrinsic(tag, s.Value);
            case YamlScalar s:
                return YamlReader.ScalarValue(s);
            case YamlSequence seq:
                var list = seq.Items.Select(ToValue).ToList();
                return seq.Tag is { Length: > 1 } st && st.StartsWith('!') ? Intrinsic(st, list) : list;
            case YamlMapping map:
                var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (k, v) in map.Entries)
                {
                    dict[k.Value] = ToValue(v);
                }

                return map.Tag is { Length: > 1 } mt && mt.StartsWith('!') ? Intrinsic(mt, dict) : dict;
            default:
                return null;
        }
    }

    private static Dictionary<string, object?> Intrinsic(string tag, object? value)
    {
        var name = tag[1..];
        var key = name is "Ref" or "Condition" ? name : "Fn::" + name;
        return new Dictionary<string, object?>(StringComparer.Ordinal) { [key] = value };
    }

    /// <summary>Text of a plain value (numbers invariant, booleans lowercase), or null for structures.</summary>
    public static string? Text(object? value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => null,
    };
}
