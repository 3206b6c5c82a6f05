using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>
/// What one upgrade step would change, computed by <see cref="ProtonPlatform.AnalyzeUpgradeAsync"/> with the resource's own
/// inputs: the rendered template diff between its current and target version, the provisioner's plan (a change set, or
/// the local plan), the replacements and deletions, the IAM actions the upgrade adds, and the stateful resources
/// (<see cref="StatefulResourceTypes"/>) it would replace or delete.
/// </summary>
public sealed record UpgradeImpact
{
    /// <summary>The unified diff of the rendered templates (current version first); empty when they are the same or the part is not rendered (Terraform, CodeBuild).</summary>
    public string TemplateDiff { get; init; } = string.Empty;

    /// <summary>The provisioner's plan of the target version, or null when it could not plan (see <see cref="PlanUnavailable"/>).</summary>
    public StackPlan? Plan { get; init; }

    /// <summary>Why there is no <see cref="Plan"/>, or null.</summary>
    public string? PlanUnavailable { get; init; }

    /// <summary>Resources replaced (<see cref="ResourceChangeAction.Replace"/>) or that may be replaced (<see cref="ResourceChange.MayReplace"/>).</summary>
    public IReadOnlyList<ResourceChange> Replacements { get; init; } = [];

    /// <summary>Resources deleted (<see cref="ResourceChangeAction.Remove"/>).</summary>
    public IReadOnlyList<ResourceChange> Deletions { get; init; } = [];

    /// <summary>
    /// Stateful resources (<see cref="StatefulResourceTypes"/>) the step replaces or deletes: a step with any needs
    /// <see cref="UpgradeOptions.AllowStatefulReplacement"/>. A stateful resource that only <em>may</em> be replaced is in
    /// <see cref="Replacements"/>, not here.
    /// </summary>
    public IReadOnlyList<ResourceChange> StatefulChanges { get; init; } = [];

    /// <summary>IAM actions the target version needs that the current one did not, or null when no permission source is configured (<see cref="ProtonPlatformOptions.UpgradePermissionSource"/>).</summary>
    public IReadOnlyList<string>? AddedActions { get; init; }

    /// <summary>IAM actions the current version needed that the target one does not, or null as for <see cref="AddedActions"/>.</summary>
    public IReadOnlyList<string>? RemovedActions { get; init; }

    /// <summary>Why the impact could not be computed (a version that no longer renders with the resource's inputs, say), or null.</summary>
    public string? Error { get; init; }

    /// <summary>Whether the step replaces or deletes a stateful resource.</summary>
    public bool ReplacesStatefulResources => StatefulChanges.Count > 0;
}
