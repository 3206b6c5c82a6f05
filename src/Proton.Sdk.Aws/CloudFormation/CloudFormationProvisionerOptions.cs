namespace Proton.Sdk.Aws.CloudFormation;

/// <summary>
/// Options of the <see cref="CloudFormationProvisioner"/>, bound from <c>Proton:Aws:CloudFormation</c> by <c>AddProtonAws</c>.
/// How to reach AWS is <see cref="AwsConnectionOptions"/>, shared by every component.
/// </summary>
public sealed class CloudFormationProvisionerOptions
{
    /// <summary>
    /// The connection used when the provisioner's constructor is given none. Prefer the constructor's argument, which
    /// every component takes alike; <c>AddProtonAws</c> passes the shared <c>Proton:Aws</c> connection and ignores this.
    /// </summary>
    public AwsConnectionOptions Connection { get; set; } = new();

    /// <summary>The role CloudFormation assumes to manage stacks (least privilege: see the policy builder); the caller's credentials when null.</summary>
    public string? RoleArn { get; set; }

    /// <summary>A bucket for templates over 51,200 bytes, which CloudFormation only takes by URL. Without it such templates are refused.</summary>
    public string? TemplateBucket { get; set; }

    /// <summary>The key prefix of uploaded templates. Default <c>proton-templates/</c>.</summary>
    public string TemplateKeyPrefix { get; set; } = "proton-templates/";

    /// <summary>The wait between the first polls, while the operation is younger than twice <see cref="MinPollInterval"/>. Default 250 ms.</summary>
    public TimeSpan FirstPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The shortest wait between polls after the first ones. Default 1 s.</summary>
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between polls. Default 60 s.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for one stack operation before giving up. Default 2 hours.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>When the stack is busy with another operation: wait for it (true) or fail with <c>provisioning.busy</c> (false, the default).</summary>
    public bool WaitWhenBusy { get; set; }
}
