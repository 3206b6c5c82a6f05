using System.Text.Json;
using System.Text.Json.Nodes;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Policies;

/// <summary>
/// Builds the IAM policy a provisioning role needs to create, update and delete a stack, from the template itself: each
/// resource type's handler permissions (from an <see cref="IResourcePermissionSource"/>), CloudFormation's own actions
/// on the stack and its change sets, and <c>iam:PassRole</c> when the template passes roles.
/// </summary>
/// <param name="source">Where handler permissions come from (wrap it in a <see cref="CachingPermissionSource"/>).</param>
public sealed class PolicyBuilder(IResourcePermissionSource source)
{
    /// <summary>CloudFormation's own actions on the stack, change sets included.</summary>
    public static readonly IReadOnlyList<string> CloudFormationActions =
    [
        "cloudformation:CancelUpdateStack", "cloudformation:ContinueUpdateRollback", "cloudformation:CreateChangeSet",
        "cloudformation:DeleteChangeSet", "cloudformation:DeleteStack", "cloudformation:DescribeChangeSet",
        "cloudformation:DescribeStackEvents", "cloudformation:DescribeStackResources", "cloudformation:DescribeStacks",
        "cloudformation:ExecuteChangeSet", "cloudformation:GetTemplate", "cloudformation:ValidateTemplate",
    ];

    /// <summary>Builds the policy for rendered templates (CloudFormation YAML or JSON).</summary>
    /// <param name="templates">The rendered templates.</param>
    /// <param name="operations">The operations to allow.</param>
    /// <param name="cancellationToken">Cancels the lookups.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ProtonValidationException">A template cannot be read.</exception>
    public async Task<PolicyResult> BuildAsync(IEnumerable<string> templates, StackOperations operations = StackOperations.All, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(templates);
        var byType = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var parsed = templates.Select((t, i) => CloudFormationTemplate.Parse(t, $"template {i + 1}")).ToList();
        var uncovered = new List<UncoveredType>();
        var handlers = Handlers(operations);
        foreach (var group in parsed.SelectMany(t => t.Resources).GroupBy(r => r.Type, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ids = group.Select(r => r.LogicalId).Distinct().ToList();
            if (group.Key.StartsWith("Custom::", StringComparison.Ordinal) || group.Key == "AWS::CloudFormation::CustomResource")
            {
                uncovered.Add(new UncoveredType(group.Key, ids, "custom resource: the role needs whatever its ServiceToken (Lambda or SNS) requires"));
                continue;
            }

            if (group.Key.StartsWith("AWS::Serverless::", StringComparison.Ordinal))
            {
                uncovered.Add(new UncoveredType(group.Key, ids, "SAM type before the transform: expand the template to see the types it becomes"));
                continue;
            }

            var permissions = await source.GetAsync(group.Key, cancellationToken).ConfigureAwait(false);
            if (permissions is null)
            {
                uncovered.Add(new UncoveredType(group.Key, ids, "no provider schema"));
                continue;
            }

            if (!permissions.HasHandlers)
            {
                uncovered.Add(new UncoveredType(group.Key, ids, "the provider schema lists no handler permissions (a legacy type)"));
                continue;
            }

            byType[group.Key] = handlers.SelectMany(h => permissions.Handlers.TryGetValue(h, out var a) ? a : []).ToList();
        }

        var passesRoles = parsed.Any(PassesRoles);
        var actions = new List<string>(byType.Values.SelectMany(a => a));
        actions.AddRange(CloudFormationActions);
        if (passesRoles)
        {
            actions.Add("iam:PassRole");
        }

        var distinct = Distinct(actions);
        return new PolicyResult
        {
            Actions = distinct,
            ActionsByType = byType.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)Distinct(kv.Value), StringComparer.Ordinal),
            Uncovered = uncovered,
            NeedsAutoExpand = parsed.Any(t => t.Transforms.Count > 0),
            PassesRoles = passesRoles,
            PolicyDocument = Document(distinct),
        };
    }

    /// <summary>The actions an upgrade adds and removes.</summary>
    /// <param name="from">The policy of the version in use.</param>
    /// <param name="to">The policy of the version to move to.</param>
    /// <returns>The difference.</returns>
    public static PolicyDiff Compare(PolicyResult from, PolicyResult to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var old = new HashSet<string>(from.Actions, StringComparer.OrdinalIgnoreCase);
        var now = new HashSet<string>(to.Actions, StringComparer.OrdinalIgnoreCase);
        return new PolicyDiff(to.Actions.Where(a => !old.Contains(a)).ToList(), from.Actions.Where(a => !now.Contains(a)).ToList());
    }

    private static string[] Handlers(StackOperations operations)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        if (operations.HasFlag(StackOperations.Create))
        {
            set.UnionWith(["create", "read"]);
        }

        if (operations.HasFlag(StackOperations.Update))
        {
            set.UnionWith(["create", "read", "update", "delete"]);
        }

        if (operations.HasFlag(StackOperations.Delete))
        {
            set.UnionWith(["delete", "read"]);
        }

        return [.. set];
    }

    /// <summary>Sorted ordinally, ignoring case, and distinct ignoring case (IAM action names are case-insensitive).</summary>
    private static List<string> Distinct(IEnumerable<string> actions)
        => actions.Where(a => a.Contains(':', StringComparison.Ordinal)).Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderBy(a => a, StringComparer.OrdinalIgnoreCase).ThenBy(a => a, StringComparer.Ordinal).ToList();

    /// <summary>A property that names a role to hand to a service (<c>RoleArn</c>, <c>ExecutionRoleArn</c>, <c>ServiceRole</c>, <c>Role</c>, ...).</summary>
    private static bool PassesRoles(CloudFormationTemplate template)
        => template.Resources.Where(r => !r.Type.StartsWith("AWS::IAM::", StringComparison.Ordinal)).Any(r => HasRoleProperty(r.Properties, 0));

    private static bool HasRoleProperty(object? value, int depth) => depth < 16 && value switch
    {
        Dictionary<string, object?> d => d.Any(kv => (kv.Key.EndsWith("Role", StringComparison.Ordinal) || kv.Key.EndsWith("RoleArn", StringComparison.Ordinal) || kv.Key.EndsWith("RoleARN", StringComparison.Ordinal) || kv.Key == "IamInstanceProfile")
            && kv.Value is not null && kv.Value is not bool || HasRoleProperty(kv.Value, depth + 1)),
        List<object?> l => l.Any(i => HasRoleProperty(i, depth + 1)),
        _ => false,
    };

    private static string Document(IReadOnlyList<string> actions)
    {
        var statements = new JsonArray();
        foreach (var service in actions.GroupBy(a => a[..a.IndexOf(':', StringComparison.Ordinal)].ToLowerInvariant()).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var sid = string.Concat(service.Key.Split('-', '.').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
            statements.Add(new JsonObject
            {
                ["Sid"] = sid,
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray(service.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
                ["Resource"] = "*",
            });
        }

        return new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
