using System.Text.RegularExpressions;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Testing;

/// <summary>Checks a rendered CloudFormation template: it parses, and every <c>Ref</c>, <c>Fn::GetAtt</c> and <c>Fn::Sub</c> names something.</summary>
internal static partial class CloudFormationLint
{
    private static readonly HashSet<string> Pseudo = new(StringComparer.Ordinal)
    {
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
    };

    public static List<Diagnostic> Check(string output, string file, IReadOnlySet<string>? knownTypes, ProviderSchemaIndex? schemas = null)
    {
        var messages = new List<Diagnostic>();
        CloudFormationTemplate t;
        try
        {
            t = CloudFormationTemplate.Parse(output, file);
        }
        catch (ProtonValidationException ex)
        {
            messages.AddRange(ex.Diagnostics.Select(d => d with { Code = TemplateTestErrorCodes.InvalidCloudFormation, Message = $"The rendering is not a CloudFormation template ({d.Code}): {d.Message}" }));
            return messages;
        }

        if (knownTypes is not null || schemas is not null)
        {
            foreach (var r in t.Resources.Where(r => knownTypes?.Contains(r.Type) != true && schemas?.Types.ContainsKey(r.Type) != true && !r.Type.StartsWith("Custom::", StringComparison.Ordinal)))
            {
                messages.Add(Diagnostic.Warning(TemplateTestErrorCodes.UnknownResourceType, $"Resources.{r.LogicalId}: type '{r.Type}' is not in the provider schemas.", file, r.Line));
            }
        }

        if (schemas is not null)
        {
            foreach (var r in t.Resources)
            {
                // Properties given whole by an intrinsic function (Fn::If, say) cannot be checked here.
                if (!schemas.Types.TryGetValue(r.Type, out var facts) || (r.Properties.Count == 1 && r.Properties.Keys.First().StartsWith("Fn::", StringComparison.Ordinal)))
                {
                    continue;
                }

                foreach (var missing in facts.Required.Where(p => !r.Properties.ContainsKey(p)).Order(StringComparer.Ordinal))
                {
                    messages.Add(Diagnostic.Error(TemplateTestErrorCodes.MissingRequiredProperty, $"Resources.{r.LogicalId}: {r.Type} requires property '{missing}', which is not given.", file, r.Line));
                }
            }
        }

        if (t.Transforms.Count > 0)
        {
            // A transform (SAM, a macro) adds resources and parameters this reader cannot see.
            return messages;
        }

        var resources = new HashSet<string>(t.Resources.Select(r => r.LogicalId), StringComparer.Ordinal);
        foreach (var r in t.Resources)
        {
            Walk(r.Properties, t, resources, messages, file, r.Line, $"Resources.{r.LogicalId}", null);
        }

        foreach (var (name, value) in t.Outputs)
        {
            Walk(value, t, resources, messages, file, 0, $"Outputs.{name}", null);
        }

        return messages;
    }

    private static void Walk(object? value, CloudFormationTemplate t, HashSet<string> resources, List<Diagnostic> messages, string file, int line, string where, HashSet<string>? subVariables)
    {
        switch (value)
        {
            case Dictionary<string, object?> map when map.Count == 1 && map.TryGetValue("Ref", out var target):
                if (target is string name && !resources.Contains(name) && !t.Parameters.ContainsKey(name) && !Pseudo.Contains(name))
                {
                    messages.Add(Diagnostic.Error(TemplateTestErrorCodes.UnknownReference, $"{where}: Ref '{name}' names no resource, parameter or pseudo parameter.", file, line));
                }

                break;
            case Dictionary<string, object?> map when map.Count == 1 && map.TryGetValue("Fn::GetAtt", out var att):
                var resource = att switch
                {
                    string s => s.Split('.', 2)[0],
                    List<object?> { Count: > 0 } l => l[0] as string,
                    _ => null,
                };
                if (resource is not null && !resources.Contains(resource))
                {
                    messages.Add(Diagnostic.Error(TemplateTestErrorCodes.UnknownReference, $"{where}: Fn::GetAtt names '{resource}', which is no resource.", file, line));
                }

                if (att is List<object?> atts)
                {
                    Walk(atts.Skip(1).ToList(), t, resources, messages, file, line, where, subVariables);
                }

                break;
            case Dictionary<string, object?> map when map.Count == 1 && map.TryGetValue("Fn::Sub", out var sub):
                var (text, vars) = sub switch
                {
                    string s => (s, null),
                    List<object?> { Count: > 0 } l => (l[0] as string, l.Count > 1 ? l[1] as Dictionary<string, object?> : null),
                    _ => (null, null),
                };
                if (vars is not null)
                {
                    Walk(vars, t, resources, messages, file, line, where, subVariables);
                }

                foreach (Match m in SubVariable().Matches(text ?? string.Empty))
                {
                    var full = m.Groups[1].Value.Trim();
                    var head = full.Contains("::", StringComparison.Ordinal) ? full : full.Split('.', 2)[0];
                    if (vars?.ContainsKey(full) == true || vars?.ContainsKey(head) == true || Pseudo.Contains(full))
                    {
                        continue;
                    }

                    var known = full.Contains('.', StringComparison.Ordinal) && !full.Contains("::", StringComparison.Ordinal)
                        ? resources.Contains(head)
                        : resources.Contains(head) || t.Parameters.ContainsKey(head);
                    if (!known)
                    {
                        messages.Add(Diagnostic.Error(TemplateTestErrorCodes.UnknownReference, $"{where}: Fn::Sub '${{{full}}}' names no resource, parameter or pseudo parameter.", file, line));
                    }
                }

                break;
            case Dictionary<string, object?> map:
                foreach (var item in map.Values)
                {
                    Walk(item, t, resources, messages, file, line, where, subVariables);
                }

                break;
            case List<object?> list:
                foreach (var item in list)
                {
                    Walk(item, t, resources, messages, file, line, where, subVariables);
                }

                break;
        }
    }

    /// <summary><c>${Name}</c> or <c>${Name.Attr}</c>, not the literal <c>${!Name}</c>.</summary>
    [GeneratedRegex(@"\$\{(?!!)([^}]+)\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SubVariable();
}
