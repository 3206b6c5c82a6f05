namespace Proton.Sdk.Migration;

/// <summary>
/// The Proton estate of an account: the stacks Proton made, grouped from their <c>proton:*</c> tags into environments,
/// services with their instances and pipeline, and components. Stacks whose tags are incomplete or contradict each other
/// are in <see cref="Unclassified"/> with the reason.
/// </summary>
public sealed record ProtonEstate
{
    /// <summary>The environments by name.</summary>
    public IReadOnlyList<DiscoveredResource> Environments { get; init; } = [];

    /// <summary>The services by name.</summary>
    public IReadOnlyList<DiscoveredService> Services { get; init; } = [];

    /// <summary>The components by name.</summary>
    public IReadOnlyList<DiscoveredResource> Components { get; init; } = [];

    /// <summary>Stacks with Proton tags that could not be classified, by stack name.</summary>
    public IReadOnlyList<UnclassifiedStack> Unclassified { get; init; } = [];

    /// <summary>Every classified resource: environments, then each service's instances and pipeline, then components.</summary>
    public IEnumerable<DiscoveredResource> Resources
        => Environments.Concat(Services.SelectMany(s => s.Pipeline is null ? s.Instances : [.. s.Instances, s.Pipeline])).Concat(Components);

    /// <summary>Reads the account's stacks and groups those Proton made.</summary>
    /// <param name="inventory">The stacks.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The estate.</returns>
    public static async Task<ProtonEstate> DiscoverAsync(IStackInventory inventory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        return Group(await inventory.ListStacksAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Groups stacks by their Proton tags; stacks without any <c>proton:</c> tag are left out. Pure: reads nothing.</summary>
    /// <param name="stacks">The stacks.</param>
    /// <returns>The estate.</returns>
    public static ProtonEstate Group(IEnumerable<DiscoveredStack> stacks)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        var resources = new List<DiscoveredResource>();
        var unclassified = new List<UnclassifiedStack>();
        foreach (var stack in stacks)
        {
            if (!stack.Tags.Keys.Any(k => k.StartsWith("proton:", StringComparison.Ordinal)))
            {
                continue;
            }

            var (resource, reason) = Classify(stack);
            if (resource is not null)
            {
                resources.Add(resource);
            }
            else
            {
                unclassified.Add(new UnclassifiedStack(stack, reason!));
            }
        }

        // Two stacks that claim the same resource: neither is guessed.
        foreach (var group in resources.GroupBy(r => r.Display, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList())
        {
            foreach (var r in group)
            {
                resources.Remove(r);
                unclassified.Add(new UnclassifiedStack(r.Stack, $"{group.Count()} stacks claim {group.Key}: {string.Join(", ", group.Select(x => x.Stack.StackName).Order(StringComparer.Ordinal))}"));
            }
        }

        var services = resources.Where(r => r.Kind is DiscoveredResourceKind.ServiceInstance or DiscoveredResourceKind.ServicePipeline)
            .GroupBy(r => r.ServiceName!, StringComparer.Ordinal)
            .ToList();
        var grouped = new List<DiscoveredService>();
        foreach (var s in services)
        {
            var templates = s.Select(r => r.TemplateName).Distinct(StringComparer.Ordinal).ToList();
            if (templates.Count > 1)
            {
                unclassified.AddRange(s.Select(r => new UnclassifiedStack(r.Stack, $"the stacks of service {s.Key} name different templates ({string.Join(", ", templates.Order(StringComparer.Ordinal))})")));
                continue;
            }

            grouped.Add(new DiscoveredService(
                s.Key,
                templates[0]!,
                s.Where(r => r.Kind == DiscoveredResourceKind.ServiceInstance).OrderBy(r => r.Name, StringComparer.Ordinal).ToList(),
                s.FirstOrDefault(r => r.Kind == DiscoveredResourceKind.ServicePipeline)));
        }

        return new ProtonEstate
        {
            Environments = resources.Where(r => r.Kind == DiscoveredResourceKind.Environment).OrderBy(r => r.Name, StringComparer.Ordinal).ToList(),
            Services = grouped.OrderBy(s => s.Name, StringComparer.Ordinal).ToList(),
            Components = resources.Where(r => r.Kind == DiscoveredResourceKind.Component).OrderBy(r => r.Name, StringComparer.Ordinal).ToList(),
            Unclassified = unclassified.OrderBy(u => u.Stack.StackName, StringComparer.Ordinal).ToList(),
        };
    }

    private static (DiscoveredResource? Resource, string? Reason) Classify(DiscoveredStack stack)
    {
        var tags = stack.Tags;
        var arns = new Dictionary<string, ProtonArn>(StringComparer.Ordinal);
        foreach (var key in new[] { "proton:template", "proton:environment", "proton:service", "proton:service-instance", "proton:component" })
        {
            if (!tags.TryGetValue(key, out var value))
            {
                continue;
            }

            if (ProtonArn.TryParse(value) is not { } arn)
            {
                return (null, $"{key} is '{value}', not a Proton ARN");
            }

            arns[key] = arn;
        }

        if (arns.Count == 0)
        {
            return (null, "no proton:environment, proton:service or proton:component tag");
        }

        // Every ARN of one stack names the same partition, region and account, which proton:account and the stack's own id confirm.
        var first = arns.Values.First();
        if (arns.Values.FirstOrDefault(a => a.Partition != first.Partition || a.Region != first.Region || a.Account != first.Account) is { } other)
        {
            return (null, $"the tags' ARNs name different accounts or regions ({first.Account}/{first.Region} and {other.Account}/{other.Region})");
        }

        if (!tags.TryGetValue("proton:account", out var account))
        {
            return (null, "proton:account is missing");
        }

        if (account != first.Account)
        {
            return (null, $"proton:account is {account}, but the ARNs name account {first.Account}");
        }

        if (stack.StackId is { } id && id.Split(':') is { Length: >= 6 } stackArn && stackArn[0] == "arn" && (stackArn[3] != first.Region || stackArn[4] != first.Account))
        {
            return (null, $"the tags name account {first.Account} in {first.Region}, but the stack is in account {stackArn[4]} in {stackArn[3]}");
        }

        string? Name(string key, string type)
        {
            if (!arns.TryGetValue(key, out var arn))
            {
                return null;
            }

            var (t, names) = arn.Split();
            return t == type && names.Length == 1 && names[0].Length > 0 ? names[0] : null;
        }

        string? template = null;
        Templates.TemplateKind? templateKind = null;
        if (arns.TryGetValue("proton:template", out var templateArn))
        {
            var (t, names) = templateArn.Split();
            if (names.Length != 1 || names[0].Length == 0 || t is not ("environment-template" or "service-template"))
            {
                return (null, $"proton:template is '{templateArn}', not an environment or service template");
            }

            template = names[0];
            templateKind = t == "service-template" ? Templates.TemplateKind.Service : Templates.TemplateKind.Environment;
        }

        DiscoveredResource Make(DiscoveredResourceKind kind, string name, string? service, string? environment)
            => new() { Kind = kind, Name = name, ServiceName = service, EnvironmentName = environment, TemplateName = template, Partition = first.Partition, Region = first.Region, AccountId = first.Account, Stack = stack };

        string? environmentName = null;
        if (arns.ContainsKey("proton:environment") && (environmentName = Name("proton:environment", "environment")) is null)
        {
            return (null, $"proton:environment is '{arns["proton:environment"]}', not an environment ARN");
        }

        string? serviceName = null;
        if (arns.ContainsKey("proton:service") && (serviceName = Name("proton:service", "service")) is null)
        {
            return (null, $"proton:service is '{arns["proton:service"]}', not a service ARN");
        }

        if (arns.TryGetValue("proton:component", out var componentArn))
        {
            var (t, names) = componentArn.Split();
            return t != "component" || names.Length != 1
                ? (null, $"proton:component is '{componentArn}', not a component ARN")
                : (Make(DiscoveredResourceKind.Component, names[0], serviceName, environmentName) with { TemplateName = null }, null);
        }

        if (arns.TryGetValue("proton:service-instance", out var instanceArn))
        {
            var (t, names) = instanceArn.Split();
            if (t != "service" || names is not [var svc, "service-instance", var instance] || svc.Length == 0 || instance.Length == 0)
            {
                return (null, $"proton:service-instance is '{instanceArn}', not a service instance ARN");
            }

            if (serviceName is null)
            {
                return (null, "proton:service-instance without proton:service");
            }

            if (svc != serviceName)
            {
                return (null, $"proton:service-instance names service {svc}, proton:service names {serviceName}");
            }

            if (environmentName is null)
            {
                return (null, "a service instance without proton:environment");
            }

            return template is null ? (null, "proton:template is missing")
                : templateKind != Templates.TemplateKind.Service ? (null, $"a service instance whose proton:template is an environment template ({template})")
                : (Make(DiscoveredResourceKind.ServiceInstance, instance, serviceName, environmentName), null);
        }

        if (serviceName is not null)
        {
            return template is null ? (null, "proton:template is missing")
                : templateKind != Templates.TemplateKind.Service ? (null, $"a pipeline whose proton:template is an environment template ({template})")
                : (Make(DiscoveredResourceKind.ServicePipeline, serviceName, serviceName, null), null);
        }

        return template is null ? (null, "proton:template is missing")
            : templateKind != Templates.TemplateKind.Environment ? (null, $"an environment whose proton:template is a service template ({template})")
            : (Make(DiscoveredResourceKind.Environment, environmentName!, null, environmentName), null);
    }
}
