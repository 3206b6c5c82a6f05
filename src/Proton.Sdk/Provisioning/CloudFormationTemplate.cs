using System.Globalization;
using Proton.Sdk.Internal;

namespace Proton.Sdk.Provisioning;

/// <summary>
/// A reader of rendered CloudFormation templates (YAML or JSON): the parts the SDK, provisioners and policy tools
/// reason about (parameters, resources, outputs and transforms). Short-form intrinsics (<c>!Ref</c>, <c>!Sub</c>,
/// <c>!GetAtt a.b</c>) become long form (<c>Ref</c>, <c>Fn::Sub</c>, <c>Fn::GetAtt</c>), and values are plain .NET
/// values: <see cref="string"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, null, lists and
/// dictionaries.
/// </summary>
public sealed class CloudFormationTemplate
{
    private readonly Dictionary<string, CloudFormationParameter> _parameters = new(StringComparer.Ordinal);
    private readonly List<CloudFormationResource> _resources = [];
    private readonly List<KeyValuePair<string, object?>> _outputs = [];
    private readonly List<string> _transforms = [];

    private CloudFormationTemplate(string file)
    {
        File = file;
    }

    /// <summary>The file name given to <see cref="Parse"/>, used in diagnostics.</summary>
    public string File { get; }

    /// <summary>The parameters by name.</summary>
    public IReadOnlyDictionary<string, CloudFormationParameter> Parameters => _parameters;

    /// <summary>The resources in template order.</summary>
    public IReadOnlyList<CloudFormationResource> Resources => _resources;

    /// <summary>The outputs in template order: name and value (long-form intrinsics), null when the output has no Value.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Outputs => _outputs;

    /// <summary>The transforms the template declares (<c>AWS::Serverless-2016-10-31</c>, ...).</summary>
    public IReadOnlyList<string> Transforms => _transforms;

    /// <summary>Parses a template.</summary>
    /// <param name="body">The template text.</param>
    /// <param name="file">A name for diagnostics.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ProtonValidationException">The text is not a CloudFormation template; diagnostics carry the file, line and column.</exception>
    public static CloudFormationTemplate Parse(string body, string file)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(file);
        var diagnostics = new List<Diagnostic>();
        var root = YamlReader.Parse(body, file, diagnostics, new YamlLimits { MaxNodes = 1_000_000 });
        if (root is null)
        {
            throw new ProtonValidationException(ProvisioningErrorCodes.InvalidTemplate, diagnostics);
        }

        if (root is not YamlMapping map)
        {
            throw new ProtonValidationException(ProvisioningErrorCodes.InvalidTemplate, [Diagnostic.Error(ProvisioningErrorCodes.CfnNotAMapping, "A CloudFormation template is a mapping with a Resources section.", file, root.Line, root.Column)]);
        }

        var t = new CloudFormationTemplate(file);
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
                t._parameters[key.Value] = new CloudFormationParameter(key.Value, type, def, noEcho);
            }
        }

        if (map["Resources"] is not YamlMapping resources)
        {
            throw new ProtonValidationException(ProvisioningErrorCodes.InvalidTemplate, [Diagnostic.Error(ProvisioningErrorCodes.CfnNoResources, "The template has no Resources mapping.", file, map.Line, map.Column)]);
        }

        foreach (var (key, value) in resources.Entries)
        {
            if (value is not YamlMapping r || r["Type"] is not YamlScalar type || type.Value.Length == 0)
            {
                throw new ProtonValidationException(ProvisioningErrorCodes.InvalidTemplate, [Diagnostic.Error(ProvisioningErrorCodes.CfnResourceType, $"Resources.{key.Value} has no Type.", file, key.Line, key.Column)]);
            }

            var props = ToValue(r["Properties"]) as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);
            t._resources.Add(new CloudFormationResource(key.Value, type.Value, props, key.Line));
        }

        if (map["Outputs"] is YamlMapping outs)
        {
            foreach (var (key, value) in outs.Entries)
            {
                t._outputs.Add(new(key.Value, value is YamlMapping o ? ToValue(o["Value"]) : null));
            }
        }

        switch (map["Transform"])
        {
            case YamlScalar s:
                t._transforms.Add(s.Value);
                break;
            case YamlSequence seq:
                t._transforms.AddRange(seq.Items.OfType<YamlScalar>().Select(i => i.Value));
                break;
            case YamlMapping m when m["Name"] is YamlScalar n:
                t._transforms.Add(n.Value);
                break;
        }

        return t;
    }

    /// <summary>A node as plain values, with tagged intrinsics in long form.</summary>
    internal static object? ToValue(YamlNode? node)
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

    /// <summary>The text of a plain value as CloudFormation reads it (numbers invariant, booleans lowercase), or null for structures.</summary>
    /// <param name="value">A value from <see cref="CloudFormationResource.Properties"/> or <see cref="Outputs"/>.</param>
    /// <returns>The text, or null.</returns>
    public static string? Text(object? value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => null,
    };
}
