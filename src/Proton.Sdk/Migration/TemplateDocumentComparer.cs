using System.Globalization;
using System.Text;
using Proton.Sdk.Internal;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Migration;

/// <summary>
/// Compares two CloudFormation templates as documents, not bytes: YAML (with the short intrinsic tags <c>!Ref</c>,
/// <c>!Sub</c>, <c>!GetAtt a.b</c>, read as their long forms) or JSON, ignoring key order, quoting and layout. Scalars
/// compare by the text CloudFormation reads (<c>80</c> equals <c>"80"</c>, <c>true</c> equals <c>"true"</c>).
/// </summary>
public static class TemplateDocumentComparer
{
    /// <summary>The differences between the deployed and the rendered template, in document order; empty when equal.</summary>
    /// <param name="deployed">The deployed template's text.</param>
    /// <param name="rendered">The rendered template's text.</param>
    /// <returns>The differences.</returns>
    /// <exception cref="ProtonValidationException">A text is not YAML or JSON (<c>provisioning.invalid-template</c>, naming <c>deployed</c> or <c>rendered</c>).</exception>
    public static IReadOnlyList<TemplateDifference> Compare(string deployed, string rendered)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        ArgumentNullException.ThrowIfNull(rendered);
        var differences = new List<TemplateDifference>();
        Walk(string.Empty, Read(deployed, "deployed"), Read(rendered, "rendered"), differences);
        return differences;
    }

    /// <summary>The differences as readable text: one block per resource (with its type) or section, one line per property.</summary>
    /// <param name="differences">From <see cref="Compare"/>.</param>
    /// <param name="deployed">The deployed template, to name resource types; optional.</param>
    /// <returns>The text; empty when there are no differences.</returns>
    public static string Describe(IReadOnlyList<TemplateDifference> differences, string? deployed = null)
    {
        ArgumentNullException.ThrowIfNull(differences);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        if (deployed is not null)
        {
            try
            {
                foreach (var r in CloudFormationTemplate.Parse(deployed, "deployed").Resources)
                {
                    types[r.LogicalId] = r.Type;
                }
            }
            catch (ProtonValidationException)
            {
                // Without types the diff is still readable.
            }
        }

        var text = new StringBuilder();
        foreach (var group in differences.GroupBy(d => Head(d.Path)))
        {
            var head = group.Key;
            var id = head.StartsWith("Resources.", StringComparison.Ordinal) ? head["Resources.".Length..] : null;
            text.Append(head);
            if (id is not null && types.TryGetValue(id, out var type))
            {
                text.Append(" (").Append(type).Append(')');
            }

            text.Append('\n');
            foreach (var d in group)
            {
                var rest = d.Path.Length > head.Length ? d.Path[(head.Length + 1)..] : "(whole)";
                text.Append("  ").Append(d with { Path = rest }).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Head(string path)
    {
        var parts = path.Split('.');
        return parts[0] is "Resources" or "Outputs" or "Parameters" or "Conditions" or "Mappings" && parts.Length > 1 ? parts[0] + "." + parts[1] : parts[0];
    }

    private static object? Read(string text, string what)
    {
        var diagnostics = new List<Diagnostic>();
        var root = YamlReader.Parse(text, what, diagnostics, new YamlLimits { MaxNodes = 1_000_000 });
        if (root is null && diagnostics.Count > 0)
        {
            throw new ProtonValidationException(ProvisioningErrorCodes.InvalidTemplate, diagnostics);
        }

        return CloudFormationTemplate.ToValue(root);
    }

    private static void Walk(string path, object? deployed, object? rendered, List<TemplateDifference> differences)
    {
        switch (deployed, rendered)
        {
            case (Dictionary<string, object?> a, Dictionary<string, object?> b):
                foreach (var (key, value) in a)
                {
                    var child = Join(path, key);
                    if (b.TryGetValue(key, out var other))
                    {
                        Walk(child, value, other, differences);
                    }
                    else
                    {
                        differences.Add(new TemplateDifference(child, TemplateDifferenceKind.Removed, Json(value), null));
                    }
                }

                foreach (var (key, value) in b.Where(kv => !a.ContainsKey(kv.Key)))
                {
                    differences.Add(new TemplateDifference(Join(path, key), TemplateDifferenceKind.Added, null, Json(value)));
                }

                break;
            case (List<object?> a, List<object?> b):
                for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
                {
                    var child = $"{path}[{i}]";
                    if (i >= a.Count)
                    {
                        differences.Add(new TemplateDifference(child, TemplateDifferenceKind.Added, null, Json(b[i])));
                    }
                    else if (i >= b.Count)
                    {
                        differences.Add(new TemplateDifference(child, TemplateDifferenceKind.Removed, Json(a[i]), null));
                    }
                    else
                    {
                        Walk(child, a[i], b[i], differences);
                    }
                }

                break;
            default:
                if (!ScalarEquals(deployed, rendered))
                {
                    differences.Add(new TemplateDifference(path.Length == 0 ? "(document)" : path, TemplateDifferenceKind.Changed, Json(deployed), Json(rendered)));
                }

                break;
        }
    }

    private static bool ScalarEquals(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a is Dictionary<string, object?> or List<object?> || b is Dictionary<string, object?> or List<object?>)
        {
            return false;
        }

        var ta = CloudFormationTemplate.Text(a);
        var tb = CloudFormationTemplate.Text(b);
        if (ta == tb)
        {
            return true;
        }

        // 1.0 and 1, 0x10 and 16: numbers that are equal as numbers.
        return double.TryParse(ta, NumberStyles.Float, CultureInfo.InvariantCulture, out var da) && double.TryParse(tb, NumberStyles.Float, CultureInfo.InvariantCulture, out var db) && da == db && (a is not string || b is not string);
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static string Json(object? value)
    {
        var text = System.Text.Json.JsonSerializer.Serialize(value);
        return text.Length <= 200 ? text : text[..197] + "...";
    }
}
