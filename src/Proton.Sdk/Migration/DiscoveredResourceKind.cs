namespace Proton.Sdk.Migration;

/// <summary>What a stack Proton made was for.</summary>
public enum DiscoveredResourceKind
{
    /// <summary>An environment's stack.</summary>
    Environment,

    /// <summary>A service instance's stack.</summary>
    ServiceInstance,

    /// <summary>A service pipeline's stack (<c>proton:service</c> without <c>proton:service-instance</c>).</summary>
    ServicePipeline,

    /// <summary>A component's stack.</summary>
    Component,
}
