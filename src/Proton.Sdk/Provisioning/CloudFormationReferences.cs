namespace Proton.Sdk.Provisioning;

/// <summary>
/// Finds <c>Ref</c>, <c>Fn::GetAtt</c> and <c>Fn::Sub</c> targets in a CloudFormation template that are neither a
/// resource, a parameter nor a pseudo parameter (the mistakes CloudFormation would only report at deploy time).
/// </summary>
public static class CloudFormationReferences
{
    private static readonly HashSet<string> Pseudo = new(StringComparer.Ordinal)
    {
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
    };

    /// <summary>Every reference to something the template does not define, with where it was found.</summary>
    /// <param name="template">The parsed template.</param>
    /// <returns>One entry per unknown target: the place (<c>Resources.Queue</c>, <c>Outputs.Url</c>), the target, its line (0 when unknown).</returns>
    public static IReadOnlyList<(string Place, string Target, int Line)> FindUnknown(CloudFormationTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var known = new HashSet<string>(template.Resources.Select(r => r.LogicalId), StringComparer.Ordinal);
        known.UnionWith(template.Parameters.Keys);
        known.UnionWith(Pseudo);
        var found = new List<(string, string, int)>();
        foreach (var r in template.Resources)
        {
            Walk(r.Properties, known, null, $"Resources.{r.LogicalId}", r.Line, found, 0);
        }

        foreach (var (name, value) in template.Outputs)
        {
            Walk(value, known, null, $"Outputs.{name}", 0, found, 0);
        }

        return found;
    }

    private static void Walk(object? value, HashSet<string> known, HashSet<string>? subVariables, string place, int line, List<(string, string, int)> found, int depth)
    {
        if (depth > 200)
        {
            return;
        }

        switch (value)
        {
            case IReadOnlyDictionary<string, object?> map when map.Count == 1 && map.TryGetValue("Ref", out var target):
                if (target is string name && !known.Contains(name))
                {
                    found.Add((place, name, line));
                }

                break;
            case IReadOnlyDictionary<string, object?> map when map.Count == 1 && map.TryGetValue("Fn::GetAtt", out var getAtt):
                var resource = getAtt switch
                {
                    IReadOnlyList<object?> { Count: > 0 } list => list[0] as string,
                    string dotted => dotted.Split('.', 2)[0],
                    _ => null,
                };
                if (resource is not null && !known.Contains(resource))
                {
                    found.Add((place, resource, line));
                }

                break;
            case IReadOnlyDictionary<string, object?> map when map.Count == 1 && map.TryGetValue("Fn::Sub", out var sub):
                var (text, vars) = sub switch
                {
                    string s => (s, (IReadOnlyDictionary<string, object?>?)null),
                    IReadOnlyList<object?> { Count: > 0 } list => (list[0] as string, list.Count > 1 ? list[1] as IReadOnlyDictionary<string, object?> : null),
                    _ => (null, null),
                };
                var local = vars is null ? null : new HashSet<string>(vars.Keys, StringComparer.Ordinal);
                foreach (var variable in SubVariables(text ?? string.Empty))
                {
                    var head = variable.Split('.', 2)[0];
                    if (!known.Contains(variable) && !known.Contains(head) && local?.Contains(variable) != true)
                    {
                        found.Add((place, variable, line));
                    }
                }

                if (vars is not null)
                {
                    Walk(vars, known, null, place, line, found, depth + 1);
                }

                break;
            case IReadOnlyDictionary<string, object?> map:
                foreach (var v in map.Values)
                {
                    Walk(v, known, subVariables, place, line, found, depth + 1);
                }

                break;
            case IReadOnlyList<object?> list:
                foreach (var v in list)
                {
                    Walk(v, known, subVariables, place, line, found, depth + 1);
                }

                break;
        }
    }

    /// <summary>The <c>${Name}</c> and <c>${Name.Attr}</c> variables of a Sub string; <c>${!Literal}</c> is text.</summary>
    private static IEnumerable<string> SubVariables(string text)
    {
        for (var i = text.IndexOf("${", StringComparison.Ordinal); i >= 0; i = text.IndexOf("${", i + 2, StringComparison.Ordinal))
        {
            var end = text.IndexOf('}', i + 2);
            if (end < 0)
            {
                yield break;
            }

            var name = text[(i + 2)..end].Trim();
            if (name.Length > 0 && name[0] != '!')
            {
                yield return name;
            }
        }
    }
}
