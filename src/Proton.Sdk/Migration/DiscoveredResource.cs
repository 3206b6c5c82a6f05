namespace Proton.Sdk.Migration;

/// <summary>A stack whose Proton tags are complete and agree with each other.</summary>
public sealed record DiscoveredResource
{
    /// <summary>What the stack is for.</summary>
    public required DiscoveredResourceKind Kind { get; init; }

    /// <summary>The resource's name: the environment, instance or component (for a pipeline, the service).</summary>
    public required string Name { get; init; }

    /// <summary>The service (instances and pipelines; components attached to an instance).</summary>
    public string? ServiceName { get; init; }

    /// <summary>The environment (environments, instances; components).</summary>
    public string? EnvironmentName { get; init; }

    /// <summary>The template (from <c>proton:template</c>); null for components, which have none.</summary>
    public string? TemplateName { get; init; }

    /// <summary>The partition of Proton's ARNs.</summary>
    public required string Partition { get; init; }

    /// <summary>The region of Proton's ARNs.</summary>
    public required string Region { get; init; }

    /// <summary>The account of Proton's ARNs (and <c>proton:account</c>).</summary>
    public required string AccountId { get; init; }

    /// <summary>The stack.</summary>
    public required DiscoveredStack Stack { get; init; }

    /// <summary>A display name: <c>environment/dev</c>, <c>service/api/service-instance/dev</c>, <c>service/api/pipeline</c>, <c>component/x</c>.</summary>
    public string Display => Kind switch
    {
        DiscoveredResourceKind.Environment => "environment/" + Name,
        DiscoveredResourceKind.ServiceInstance => $"service/{ServiceName}/service-instance/{Name}",
        DiscoveredResourceKind.ServicePipeline => $"service/{ServiceName}/pipeline",
        _ => "component/" + Name,
    };
}
