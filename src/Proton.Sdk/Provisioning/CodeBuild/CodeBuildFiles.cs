using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Proton.Sdk.Internal;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Provisioning.CodeBuild;

/// <summary>
/// The files Proton exchanged with CodeBuild commands: the input file (<c>proton-inputs.json</c>, or
/// <c>proton-inputs.tfvars</c> when the manifest says <c>input_type: HCL</c>) and <c>proton-outputs.json</c>
/// (AWS Proton user guide, "CodeBuild provisioning parameter details").
/// </summary>
public static partial class CodeBuildFiles
{
    /// <summary>The JSON input file.</summary>
    public const string JsonInputsFileName = "proton-inputs.json";

    /// <summary>The HCL input file (<c>input_type: HCL</c>; the name is Proton.Sdk's choice, Proton's own is not documented).</summary>
    public const string HclInputsFileName = "proton-inputs.tfvars";

    /// <summary>The outputs file the commands may write.</summary>
    public const string OutputsFileName = "proton-outputs.json";

    /// <summary>The manifest's <c>input_type</c>: <c>JSON</c> (the default) or <c>HCL</c>.</summary>
    /// <param name="part">A CodeBuild part.</param>
    /// <returns><c>JSON</c> or <c>HCL</c>.</returns>
    public static string InputType(InfrastructurePart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        var manifest = part.Files.FirstOrDefault(f => f.Path.EndsWith("manifest.yaml", StringComparison.Ordinal) && (part.Folder.Length == 0 ? f.Path == "manifest.yaml" : f.Path == part.Folder + "/manifest.yaml"));
        if (manifest is null)
        {
            return "JSON";
        }

        var root = YamlReader.Parse(manifest.Text, manifest.Path, []) as YamlMapping;
        var entry = ((root?["infrastructure"] as YamlMapping)?["templates"] as YamlSequence)?.Items.FirstOrDefault() as YamlMapping;
        var value = (entry?["input_type"] as YamlScalar)?.Value ?? ((entry?["settings"] as YamlMapping)?["input_type"] as YamlScalar)?.Value;
        return string.Equals(value, "HCL", StringComparison.OrdinalIgnoreCase) ? "HCL" : "JSON";
    }

    /// <summary>The input file with Proton's namespaces (<c>environment</c>, <c>service</c>, <c>service_instance</c>, ...).</summary>
    /// <param name="variables">The request's variables.</param>
    /// <param name="inputType"><c>JSON</c> or <c>HCL</c>.</param>
    /// <returns>The file, at the root of the source folder.</returns>
    public static BundleFile Inputs(IReadOnlyDictionary<string, object?> variables, string inputType)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var hcl = string.Equals(inputType, "HCL", StringComparison.OrdinalIgnoreCase);
        var sb = new StringBuilder();
        if (hcl)
        {
            foreach (var (k, v) in variables.Where(kv => kv.Value is not null))
            {
                sb.Append(HclKey(k)).Append(" = ");
                WriteHcl(sb, v, 0);
                sb.Append('\n');
            }
        }
        else
        {
            var node = new JsonObject();
            foreach (var (k, v) in variables.Where(kv => kv.Value is not null))
            {
                node[k] = ToJson(v);
            }

            sb.Append(node.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).Append('\n');
        }

        return new BundleFile(hcl ? HclInputsFileName : JsonInputsFileName, Encoding.UTF8.GetBytes(sb.ToString()));
    }

    /// <summary>
    /// Reads <c>proton-outputs.json</c> in any of the forms AWS's CodeBuild samples produce: a list of
    /// <c>{"key": ..., "valueString": ...}</c> (the form of <c>notify-resource-deployment-status-change --outputs</c>), a flat
    /// object of values, or the AWS CDK's <c>--outputs-file</c> form (<c>{"Stack": {"Key": "value"}}</c>, stacks merged).
    /// Non-string values become compact JSON.
    /// </summary>
    /// <param name="text">The file's text.</param>
    /// <returns>The outputs.</returns>
    /// <exception cref="ProvisioningException">The text is not one of those forms (<see cref="CodeBuildErrorCodes.InvalidOutputs"/>).</exception>
    public static IReadOnlyDictionary<string, string> ParseOutputs(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new ProvisioningException(CodeBuildErrorCodes.InvalidOutputs, $"{OutputsFileName} is not JSON: {ex.Message}", ex);
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (root)
        {
            case JsonArray list:
                foreach (var item in list)
                {
                    if (item is not JsonObject o || (string?)o["key"] is not { } key)
                    {
                        throw new ProvisioningException(CodeBuildErrorCodes.InvalidOutputs, $"{OutputsFileName}: each entry of the list is {{\"key\": ..., \"valueString\": ...}}.");
                    }

                    result[key] = Text(o["valueString"]);
                }

                break;
            case JsonObject o when o.Count > 0 && o.All(kv => kv.Value is JsonObject):
                foreach (var (_, stack) in o)
                {
                    foreach (var (k, v) in stack!.AsObject())
                    {
                        result[k] = Text(v);
                    }
                }

                break;
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    result[k] = Text(v);
                }

                break;
            default:
                throw new ProvisioningException(CodeBuildErrorCodes.InvalidOutputs, $"{OutputsFileName} is neither a list of {{key, valueString}} nor an object.");
        }

        return result;
    }

    private static string Text(JsonNode? v) => v?.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v?.ToJsonString() ?? string.Empty;

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        IReadOnlyDictionary<string, object?> d => new JsonObject(d.Select(kv => KeyValuePair.Create(kv.Key, ToJson(kv.Value)))),
        IReadOnlyDictionary<string, string> d => new JsonObject(d.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
        IEnumerable e => new JsonArray(e.Cast<object?>().Select(ToJson).ToArray()),
        double or float or decimal => JsonValue.Create(Convert.ToDecimal(value, CultureInfo.InvariantCulture)),
        _ when value.GetType().IsPrimitive => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static void WriteHcl(StringBuilder sb, object? value, int depth)
    {
        var indent = new string(' ', (depth + 1) * 2);
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case string s:
                sb.Append(JsonSerializer.Serialize(s).Replace("${", "$${", StringComparison.Ordinal).Replace("%{", "%%{", StringComparison.Ordinal));
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case IReadOnlyDictionary<string, object?> d:
                WriteObject(sb, d.Select(kv => (kv.Key, kv.Value)), depth, indent);
                break;
            case IReadOnlyDictionary<string, string> d:
                WriteObject(sb, d.Select(kv => (kv.Key, (object?)kv.Value)), depth, indent);
                break;
            case IEnumerable e:
                var items = e.Cast<object?>().ToList();
                sb.Append('[');
                for (var i = 0; i < items.Count; i++)
                {
                    sb.Append(i == 0 ? string.Empty : ", ");
                    WriteHcl(sb, items[i], depth);
                }

                sb.Append(']');
                break;
            default:
                sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void WriteObject(StringBuilder sb, IEnumerable<(string Key, object? Value)> entries, int depth, string indent)
    {
        sb.Append("{\n");
        foreach (var (k, v) in entries)
        {
            sb.Append(indent).Append(HclKey(k)).Append(" = ");
            WriteHcl(sb, v, depth + 1);
            sb.Append('\n');
        }

        sb.Append(new string(' ', depth * 2)).Append('}');
    }

    private static string HclKey(string key) => Identifier().IsMatch(key) ? key : JsonSerializer.Serialize(key);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
