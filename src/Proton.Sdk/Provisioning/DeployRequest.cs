using Proton.Sdk.Templates;

namespace Proton.Sdk.Provisioning;

/// <summary>What to deploy: one named stack (a CloudFormation stack, a Terraform working directory, ...) from a rendered template.</summary>
public sealed record DeployRequest
{
    /// <summary>The stack's name.</summary>
    public required string StackName { get; init; }

    /// <summary>The rendered template (CloudFormation YAML or JSON); empty for engines that read <see cref="Part"/>'s files instead (Terraform, CodeBuild).</summary>
    public required string TemplateBody { get; init; }

    /// <summary>The bundle part being deployed (its manifest and files, unrendered), for engines that work from files (Terraform, CodeBuild); null when only <see cref="TemplateBody"/> is given.</summary>
    public InfrastructurePart? Part { get; init; }

    /// <summary>
    /// Proton's variables for this resource as plain values (strings, longs, doubles, booleans, null, lists,
    /// dictionaries): <c>environment</c>, <c>service</c>, <c>service_instance</c>, <c>pipeline</c>,
    /// <c>service_instances</c>, <c>component</c>, as the templates see them. Terraform writes them to
    /// <c>proton.auto.tfvars.json</c>, CodeBuild to <c>proton-inputs.json</c>. Secret values appear here unmasked.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Variables { get; init; } = new Dictionary<string, object?>();

    /// <summary>Stack parameters.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Stack tags (Proton's <c>proton:*</c> tags are added by the platform).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The deployment's id: provisioners use it as an idempotency token, so a retried call does not deploy twice.</summary>
    public string? DeploymentId { get; init; }

    /// <summary>Capabilities to acknowledge (<c>CAPABILITY_IAM</c>, ...); null lets the provisioner detect them from the template.</summary>
    public IReadOnlyList<string>? Capabilities { get; init; }

    /// <summary>Values that must never reach logs, events or records (secret inputs); provisioners mask them with <see cref="SecretRedactor"/>.</summary>
    public IReadOnlyCollection<string> SecretValues { get; init; } = [];
}
