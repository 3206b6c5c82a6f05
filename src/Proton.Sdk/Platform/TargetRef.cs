namespace Proton.Sdk.Platform;

/// <summary>Where a deployable resource lives in the store and how it is named to people.</summary>
/// <param name="Type">Environment, instance or pipeline.</param>
/// <param name="Collection">The store collection.</param>
/// <param name="Key">The key (a pipeline lives inside its service's record).</param>
/// <param name="Display">The name shown to people (<c>svc/instance</c> for instances).</param>
/// <param name="Environment">The environment, when known.</param>
/// <param name="Service">The service, for instances and pipelines.</param>
/// <param name="Instance">The instance, for instances.</param>
internal sealed record TargetRef(DeploymentTargetType Type, string Collection, string Key, string Display, string? Environment, string? Service, string? Instance)
{
    public string Kind => Type switch
    {
        DeploymentTargetType.Environment => "environment",
        DeploymentTargetType.ServiceInstance => "service instance",
        _ => "pipeline of service",
    };

    public static TargetRef ForEnvironment(string name) => new(DeploymentTargetType.Environment, PlatformRecords.Environments, name, name, name, null, null);

    public static TargetRef ForInstance(string service, string instance, string? environment)
        => new(DeploymentTargetType.ServiceInstance, PlatformRecords.Instances, PlatformRecords.InstanceKey(service, instance), $"{service}/{instance}", environment, service, instance);

    public static TargetRef ForPipeline(string service) => new(DeploymentTargetType.ServicePipeline, PlatformRecords.Services, service, service, null, service, null);

    public static TargetRef Of(DeploymentRecord d) => d.TargetType switch
    {
        DeploymentTargetType.Environment => ForEnvironment(d.EnvironmentName!),
        DeploymentTargetType.ServiceInstance => ForInstance(d.ServiceName!, d.InstanceName!, d.EnvironmentName),
        _ => ForPipeline(d.ServiceName!),
    };
}
