using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Terraform.Internal;

/// <summary>
/// Writes <c>proton.&lt;type&gt;.variables.tf</c> and <c>proton.auto.tfvars.json</c> from Proton's namespaces, in the shapes of
/// the AWS Proton user guide (ag-infrastructure-tmp-files-terraform) and AWS's Terraform samples (dev-resources):
/// inputs and outputs are <c>map(string)</c>, everything else an object of strings.
/// </summary>
internal static class TerraformVariables
{
    private static readonly string[] Namespaces = ["environment", "service", "service_instance", "pipeline", "service_instances", "component"];

    public static string ResourceType(InfrastructurePartKind kind) => kind switch
    {
        InfrastructurePartKind.Infrastructure => "environment",
        InfrastructurePartKind.InstanceInfrastructure => "service_instance",
        InfrastructurePartKind.PipelineInfrastructure => "pipeline",
        _ => "component",
    };

    /// <summary>Proton's namespaces for the part, filled with the attributes Proton always declares (null when unknown).</summary>
    public static SortedDictionary<string, object?> Normalize(IReadOnlyDictionary<string, object?> variables, InfrastructurePartKind kind)
    {
        var result = new SortedDictionary<string, object?>(Comparer<string>.Create((a, b) => Array.IndexOf(Namespaces, a).CompareTo(Array.IndexOf(Namespaces, b)) is var c and not 0 ? c : string.CompareOrdinal(a, b)));
        foreach (var name in Namespaces)
        {
            if (!variables.TryGetValue(name, out var value) || value is null)
            {
                continue;
            }

            var plain = Plain(value);
            result[name] = (name, plain) switch
            {
                ("environment", Dictionary<string, object?> env) when kind == InfrastructurePartKind.Infrastructure => Fill(env, ("inputs", Map), ("name", null)),
                ("environment", Dictionary<string, object?> env) => Fill(env, ("account_id", null), ("name", null), ("outputs", Map)),
                ("service", Dictionary<string, object?> svc) => Fill(svc, ("name", null), ("branch_name", null), ("repository_connection_arn", null), ("repository_id", null)),
                ("service_instance", Dictionary<string, object?> si) when kind == InfrastructurePartKind.InstanceInfrastructure => Fill(si, ("name", null), ("inputs", Map), ("components", Map)),
                ("service_instance", Dictionary<string, object?> si) => Fill(si, ("name", null), ("inputs", Map)),
                ("pipeline", Dictionary<string, object?> p) => Fill(p, ("inputs", Map)),
                ("component", Dictionary<string, object?> c) => Fill(c, ("name", null)),
                ("service_instances", List<object?> list) => list.Select(i => i is Dictionary<string, object?> d
                    ? Fill(d, ("name", null), ("inputs", Map), ("outputs", Map), ("environment", EnvironmentOfInstance))
                    : i).ToList(),
                _ => plain,
            };
        }

        return result;
    }

    private static readonly Func<object?> Map = () => new Dictionary<string, object?>(StringComparer.Ordinal);

    private static readonly Func<object?> EnvironmentOfInstance = () => new Dictionary<string, object?>(StringComparer.Ordinal) { ["account_id"] = null, ["name"] = null, ["outputs"] = new Dictionary<string, object?>(StringComparer.Ordinal) };

    private static Dictionary<string, object?> Fill(Dictionary<string, object?> value, params (string Key, Func<object?>? Make)[] attributes)
    {
        foreach (var (key, make) in attributes)
        {
            if (!value.ContainsKey(key))
            {
                value[key] = make?.Invoke();
            }
            else if (key == "environment" && value[key] is Dictionary<string, object?> env)
            {
                Fill(env, ("account_id", null), ("name", null), ("outputs", Map));
            }
        }

        return value;
    }

    /// <summary>Copies any value into dictionaries, lists and scalars.</summary>
    public static object? Plain(object? value) => value switch
    {
        null or string or bool => value,
        IReadOnlyDictionary<string, object?> d => d.ToDictionary(kv => kv.Key, kv => Plain(kv.Value), StringComparer.Ordinal),
        IReadOnlyDictionary<string, string> d => d.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal),
        IDictionary d => d.Keys.Cast<object>().ToDictionary(k => Convert.ToString(k, CultureInfo.InvariantCulture)!, k => Plain(d[k]), StringComparer.Ordinal),
        IEnumerable e => e.Cast<object?>().Select(Plain).ToList(),
        _ when value.GetType().IsPrimitive || value is decimal => value,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    public static string VariablesFile(IReadOnlyDictionary<string, object?> namespaces)
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in namespaces)
        {
            sb.Append("variable \"").Append(name).Append("\" {\n");
            sb.Append("  type = ").Append(TypeOf(name, value, 1)).Append('\n');
            sb.Append("}\n\n");
        }

        sb.Append("variable \"proton_tags\" {\n  type    = map(string)\n  default = null\n}\n");
        return sb.ToString();
    }

    private static string TypeOf(string key, object? value, int depth)
    {
        switch (key)
        {
            case "inputs":
                return value is Dictionary<string, object?> inputs && inputs.Values.Any(v => v is Dictionary<string, object?> or List<object?>) ? "any" : "map(string)";
            case "outputs":
                return "map(string)";
            case "components":
                return "map(object({ outputs = map(string) }))";
        }

        return value switch
        {
            Dictionary<string, object?> d => ObjectType(d, depth),
            List<object?> list => "list(" + ElementType(list, depth) + ")",
            _ => "string",
        };
    }

    private static string ElementType(List<object?> list, int depth)
    {
        var objects = list.OfType<Dictionary<string, object?>>().ToList();
        if (objects.Count == 0)
        {
            return list.Count == 0 ? "any" : "string";
        }

        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var o in objects)
        {
            foreach (var (k, v) in o)
            {
                if (!merged.TryGetValue(k, out var existing) || existing is null)
                {
                    merged[k] = v;
                }
            }
        }

        return ObjectType(merged, depth);
    }

    private static string ObjectType(Dictionary<string, object?> value, int depth)
    {
        var indent = new string(' ', (depth + 1) * 2);
        var lines = value.Keys.Order(StringComparer.Ordinal).Select(k => (Key: k, Type: TypeOf(k, value[k], depth + 1))).ToList();
        var sb = new StringBuilder("object({\n");
        var i = 0;
        while (i < lines.Count)
        {
            if (lines[i].Type.Contains('\n', StringComparison.Ordinal))
            {
                sb.Append(indent).Append(lines[i].Key).Append(" = ").Append(lines[i].Type).Append('\n');
                i++;
                continue;
            }

            var group = lines.Skip(i).TakeWhile(l => !l.Type.Contains('\n', StringComparison.Ordinal)).ToList();
            var width = group.Max(l => l.Key.Length);
            foreach (var line in group)
            {
                sb.Append(indent).Append(line.Key.PadRight(width)).Append(" = ").Append(line.Type).Append('\n');
            }

            i += group.Count;
        }

        return sb.Append(new string(' ', depth * 2)).Append("})").ToString();
    }

    public static string TfvarsJson(IReadOnlyDictionary<string, object?> namespaces, IReadOnlyDictionary<string, string> tags)
    {
        var root = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in namespaces)
        {
            root[k] = v;
        }

        var protonTags = tags.Where(t => t.Key.StartsWith("proton:", StringComparison.Ordinal)).OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary(t => t.Key, t => (object?)t.Value, StringComparer.Ordinal);
        if (protonTags.Count > 0)
        {
            root["proton_tags"] = protonTags;
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            Write(writer, root);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case Dictionary<string, object?> d:
                writer.WriteStartObject();
                foreach (var (k, v) in d)
                {
                    writer.WritePropertyName(k);
                    Write(writer, v);
                }

                writer.WriteEndObject();
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var v in list)
                {
                    Write(writer, v);
                }

                writer.WriteEndArray();
                break;
            case double or float or decimal:
                writer.WriteNumberValue(Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
