namespace Proton.Sdk.Provisioning;

/// <summary>The stable error codes of provisioners (<see cref="ProtonException.ErrorCode"/> and <see cref="Diagnostic"/> codes).</summary>
public static class ProvisioningErrorCodes
{
    /// <summary><c>cfn.no-resources</c>: no resources.</summary>
    public const string CfnNoResources = "cfn.no-resources";

    /// <summary><c>cfn.not-a-mapping</c>: not a mapping.</summary>
    public const string CfnNotAMapping = "cfn.not-a-mapping";

    /// <summary><c>cfn.resource-type</c>: resource type.</summary>
    public const string CfnResourceType = "cfn.resource-type";

    /// <summary><c>provisioning.busy</c>: busy.</summary>
    public const string Busy = "provisioning.busy";

    /// <summary><c>provisioning.insufficient-capabilities</c>: insufficient capabilities.</summary>
    public const string InsufficientCapabilities = "provisioning.insufficient-capabilities";

    /// <summary><c>provisioning.invalid-template</c>: invalid template.</summary>
    public const string InvalidTemplate = "provisioning.invalid-template";

    /// <summary><c>provisioning.missing-parameter</c>: missing parameter.</summary>
    public const string MissingParameter = "provisioning.missing-parameter";

    /// <summary><c>provisioning.plan-failed</c>: plan failed.</summary>
    public const string PlanFailed = "provisioning.plan-failed";

    /// <summary><c>provisioning.recovery-failed</c>: recovery failed.</summary>
    public const string RecoveryFailed = "provisioning.recovery-failed";

    /// <summary><c>provisioning.stack-broken</c>: stack broken.</summary>
    public const string StackBroken = "provisioning.stack-broken";

    /// <summary><c>provisioning.state-corrupt</c>: state corrupt.</summary>
    public const string StateCorrupt = "provisioning.state-corrupt";

    /// <summary><c>provisioning.template-too-large</c>: template too large.</summary>
    public const string TemplateTooLarge = "provisioning.template-too-large";

    /// <summary><c>provisioning.unknown-parameter</c>: unknown parameter.</summary>
    public const string UnknownParameter = "provisioning.unknown-parameter";
}
