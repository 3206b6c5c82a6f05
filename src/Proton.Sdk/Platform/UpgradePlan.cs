using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>A fleet upgrade, shown before it runs.</summary>
/// <param name="TemplateName">The template.</param>
/// <param name="ToVersion">The version the fleet moves to.</param>
/// <param name="Steps">One step per resource not on that version.</param>
public sealed record UpgradePlan(string TemplateName, string ToVersion, IReadOnlyList<UpgradeStep> Steps)
{
    /// <summary>Whether a step that can run replaces or deletes a stateful resource: <see cref="ProtonPlatform.UpgradeAsync"/> then needs <see cref="UpgradeOptions.AllowStatefulReplacement"/>.</summary>
    public bool HasStatefulChanges => Steps.Any(s => s.BlockedReason is null && s.Stateful);
}
