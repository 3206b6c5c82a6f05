using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>One move of a fleet upgrade.</summary>
/// <param name="TargetType">Environment, instance or pipeline.</param>
/// <param name="Target">The target.</param>
/// <param name="FromVersion">The version it runs.</param>
/// <param name="ToVersion">The version it moves to.</param>
/// <param name="UpdateType">Minor or major.</param>
public sealed record UpgradeStep(DeploymentTargetType TargetType, string Target, string FromVersion, string ToVersion, DeploymentUpdateType UpdateType)
{
    /// <summary>Why the step cannot run (an incompatible environment, a running deployment, a secret to supply), or null.</summary>
    public string? BlockedReason { get; init; }

    /// <summary>What the step would change (diff, provisioner plan, IAM actions, stateful resources), or null when it was not computed.</summary>
    public UpgradeImpact? Impact { get; init; }

    /// <summary>Whether the step replaces or deletes a stateful resource (<see cref="UpgradeImpact.StatefulChanges"/>): such a plan needs <see cref="UpgradeOptions.AllowStatefulReplacement"/>.</summary>
    public bool Stateful => Impact?.ReplacesStatefulResources == true;
}
