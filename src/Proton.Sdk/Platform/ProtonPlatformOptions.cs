using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>Options of the <see cref="ProtonPlatform"/>.</summary>
public sealed class ProtonPlatformOptions
{
    /// <summary>The prefix of stack names. Default <c>proton</c>.</summary>
    public string StackNamePrefix { get; set; } = "proton";

    /// <summary>
    /// The account environments run in when a create or import does not say (<c>environment.account_id</c>, which
    /// pipeline templates read). Null leaves it unknown: templates that read it then fail to render, naming it.
    /// </summary>
    public string? DefaultAccountId { get; set; }

    /// <summary>Asked for the account when neither a request nor <see cref="DefaultAccountId"/> gives one (Proton.Sdk.Aws: STS GetCallerIdentity). Default null.</summary>
    public IAccountIdSource? AccountIdSource { get; set; }

    /// <summary>
    /// When set, every deployment first derives the actions its template needs (<see cref="Policies.PolicyBuilder"/>) and
    /// checks them against this role policy; a deployment that would fail for lack of permissions is refused up front with
    /// <c>platform.missing-permissions</c>, naming the actions.
    /// </summary>
    public PermissionCheck? PermissionCheck { get; set; }

    /// <summary>
    /// Provisioners by the provisioning method a bundle's manifest names (<see cref="Templates.ProvisioningMethod.Terraform"/>,
    /// <see cref="Templates.ProvisioningMethod.CodeBuild"/>, or <see cref="Templates.ProvisioningMethod.CloudFormation"/> to
    /// override the platform's default). CloudFormation parts without an entry use the provisioner the platform was created
    /// with; other methods without an entry are refused with <c>platform.unsupported-provisioning</c>. Default empty.
    /// </summary>
    public IDictionary<Templates.ProvisioningMethod, IProvisioner> Provisioners { get; } = new Dictionary<Templates.ProvisioningMethod, IProvisioner>();

    /// <summary>
    /// How long a running deployment's lease lasts without renewal. The process that runs a deployment renews it every third
    /// of this; <see cref="ProtonPlatform.ReconcileAsync"/> completes only deployments whose lease has run out, and a cancel
    /// from another process reaches the owner at its next renewal. Default 60 seconds; at least 1 second.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How many deployments to keep per target (environment, instance or pipeline): once one finishes, the oldest finished
    /// ones beyond this number are removed (running ones always stay). Default null: every deployment is kept.
    /// </summary>
    public int? DeploymentHistoryLimit { get; set; }

    /// <summary>
    /// Null (the default): the <c>proton:*</c> tags hold names. Set: they hold ARNs as AWS Proton wrote them
    /// (<c>arn:aws:proton:region:account:environment/dev</c>, <c>.../service/api/service-instance/dev</c>,
    /// <c>.../environment-template/vpc</c>) with <c>proton:account</c>, so stacks adopted from Proton keep their tags
    /// and IAM conditions on them keep working. The account is the environment's (a pipeline's: <see cref="DefaultAccountId"/>);
    /// when it is unknown the tags hold names. Stack names that start with <c>AWSProton-</c> (roles scoped to
    /// <c>stack/AWSProton-*</c>) come from <see cref="StackNamePrefix"/> = <c>AWSProton</c>.
    /// </summary>
    public ProtonArnTags? ArnTags { get; set; }

    /// <summary>Extra tags on every stack (the platform adds Proton's <c>proton:*</c> tags).</summary>
    public IDictionary<string, string> Tags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The injection guard run on every CloudFormation rendering for a deployment (<see cref="Rendering.InjectionGuard"/>):
    /// on by default, a rendering whose structure (top-level keys, resources and their types, outputs) changes when a
    /// string input's value is replaced by a neutral placeholder is refused with <c>render.injection</c>, naming the input,
    /// before any record or stack is touched. Set <see cref="Rendering.InjectionGuardOptions.Enabled"/> to false to turn it
    /// off for every template; prefer <see cref="InjectionGuardExemptTemplates"/>.
    /// </summary>
    public Rendering.InjectionGuardOptions InjectionGuard { get; } = new();

    /// <summary>
    /// Template names (compared ordinally) whose renderings the injection guard does not check: templates that build
    /// structure from inputs on purpose. Default empty.
    /// </summary>
    public ISet<string> InjectionGuardExemptTemplates { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Where <see cref="ProtonPlatform.PlanUpgradeAsync"/> finds the IAM actions of resource types, to list the actions an
    /// upgrade adds (<see cref="UpgradeImpact.AddedActions"/>). Null uses <see cref="PermissionCheck"/>'s source, and
    /// without either the actions are not computed.
    /// </summary>
    public Policies.IResourcePermissionSource? UpgradePermissionSource { get; set; }
}
