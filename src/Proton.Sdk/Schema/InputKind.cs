namespace Proton.Sdk.Schema;

/// <summary>Which of a template's input types a set of inputs belongs to.</summary>
public enum InputKind
{
    /// <summary><c>environment_input_type</c>: an environment's <c>spec</c>.</summary>
    Environment,

    /// <summary><c>service_input_type</c>: each service instance's <c>spec</c>.</summary>
    ServiceInstance,

    /// <summary><c>pipeline_input_type</c>: a service's <c>pipeline</c>.</summary>
    Pipeline,
}
