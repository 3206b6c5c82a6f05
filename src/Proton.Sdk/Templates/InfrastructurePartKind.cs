namespace Proton.Sdk.Templates;

/// <summary>The infrastructure folders of a bundle.</summary>
public enum InfrastructurePartKind
{
    /// <summary><c>infrastructure/</c> of an environment template.</summary>
    Infrastructure,

    /// <summary><c>instance_infrastructure/</c> of a service template.</summary>
    InstanceInfrastructure,

    /// <summary><c>pipeline_infrastructure/</c> of a service template.</summary>
    PipelineInfrastructure,

    /// <summary>The root folder of a directly defined component.</summary>
    Component,
}
