namespace Proton.Sdk.Rendering;

/// <summary>Builds the render context of each template part with Proton's namespaces (AWS Proton user guide, parameters).</summary>
public static class ProtonContexts
{
    /// <summary><c>infrastructure/</c> of an environment template: <c>environment.{name, inputs}</c>.</summary>
    /// <param name="environment">The environment.</param>
    /// <returns>The context.</returns>
    public static RenderContext ForEnvironment(EnvironmentInfo environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var env = new Dictionary<string, object?> { ["name"] = environment.Name, ["inputs"] = environment.Inputs };
        if (environment.AccountId is not null)
        {
            env["account_id"] = environment.AccountId;
        }

        return RenderContext.From(new Dictionary<string, object?> { ["environment"] = env });
    }

    /// <summary>
    /// <c>instance_infrastructure/</c> of a service template: <c>environment.{name, account_id, outputs}</c>, <c>service.*</c>,
    /// <c>service_instance.{name, inputs, environment, components.default.outputs}</c>.
    /// </summary>
    /// <param name="service">The service.</param>
    /// <param name="instance">The instance.</param>
    /// <returns>The context.</returns>
    public static RenderContext ForServiceInstance(ServiceInfo service, ServiceInstanceInfo instance)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(instance);
        var inst = Instance(instance);
        inst["components"] = new Dictionary<string, object?> { ["default"] = new Dictionary<string, object?> { ["outputs"] = Strings(instance.ComponentOutputs) } };
        return RenderContext.From(new Dictionary<string, object?>
        {
            ["environment"] = EnvironmentWithOutputs(instance.Environment),
            ["service"] = Service(service),
            ["service_instance"] = inst,
        });
    }

    /// <summary><c>pipeline_infrastructure/</c>: <c>pipeline.inputs</c>, <c>service.*</c> and <c>service_instances</c> with their outputs.</summary>
    /// <param name="service">The service.</param>
    /// <param name="pipelineInputs">The pipeline's inputs (after validation and defaults).</param>
    /// <param name="instances">The service's instances, in order.</param>
    /// <returns>The context.</returns>
    public static RenderContext ForPipeline(ServiceInfo service, IReadOnlyDictionary<string, object?> pipelineInputs, IReadOnlyList<ServiceInstanceInfo> instances)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(pipelineInputs);
        ArgumentNullException.ThrowIfNull(instances);
        return RenderContext.From(new Dictionary<string, object?>
        {
            ["pipeline"] = new Dictionary<string, object?> { ["inputs"] = pipelineInputs },
            ["service"] = Service(service),
            ["service_instances"] = instances.Select(i =>
            {
                var d = Instance(i);
                d["outputs"] = Strings(i.Outputs);
                return (object?)d;
            }).ToList(),
        });
    }

    /// <summary>A directly defined component: <c>environment.*</c>, <c>component.name</c>, and the service and instance when attached.</summary>
    /// <param name="componentName">The component's name.</param>
    /// <param name="environment">The environment it runs in.</param>
    /// <param name="service">The service, when attached.</param>
    /// <param name="instance">The instance, when attached.</param>
    /// <returns>The context.</returns>
    public static RenderContext ForComponent(string componentName, EnvironmentInfo environment, ServiceInfo? service = null, ServiceInstanceInfo? instance = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(componentName);
        ArgumentNullException.ThrowIfNull(environment);
        var context = new Dictionary<string, object?>
        {
            ["environment"] = EnvironmentWithOutputs(environment),
            ["component"] = new Dictionary<string, object?> { ["name"] = componentName },
        };
        if (service is not null)
        {
            context["service"] = Service(service);
        }

        if (instance is not null)
        {
            var inst = new Dictionary<string, object?> { ["name"] = instance.Name, ["inputs"] = instance.Inputs };
            context["service_instance"] = inst;
        }

        return RenderContext.From(context);
    }

    private static Dictionary<string, object?> EnvironmentWithOutputs(EnvironmentInfo environment)
    {
        var env = new Dictionary<string, object?> { ["name"] = environment.Name };
        if (environment.AccountId is not null)
        {
            env["account_id"] = environment.AccountId;
        }

        env["outputs"] = Strings(environment.Outputs);
        return env;
    }

    private static Dictionary<string, object?> Instance(ServiceInstanceInfo instance) => new()
    {
        ["name"] = instance.Name,
        ["inputs"] = instance.Inputs,
        ["environment"] = EnvironmentWithOutputs(instance.Environment),
    };

    private static Dictionary<string, object?> Service(ServiceInfo service)
    {
        var d = new Dictionary<string, object?> { ["name"] = service.Name };
        if (service.BranchName is not null)
        {
            d["branch_name"] = service.BranchName;
        }

        if (service.RepositoryConnectionArn is not null)
        {
            d["repository_connection_arn"] = service.RepositoryConnectionArn;
        }

        if (service.RepositoryId is not null)
        {
            d["repository_id"] = service.RepositoryId;
        }

        return d;
    }

    private static IReadOnlyDictionary<string, object?> Strings(IReadOnlyDictionary<string, string> values)
        => values is IPlaceholderValues placeholder
            ? placeholder.AsValues()
            : values.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal);
}
