using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>How a fleet upgrade runs.</summary>
public sealed record UpgradeOptions
{
    /// <summary>How many deployments run at once (at least 1).</summary>
    public int MaxConcurrency { get; init; } = 1;

    /// <summary>How many failures are tolerated; one more stops the rollout (no new deployment starts).</summary>
    public int FailureTolerance { get; init; }

    /// <summary>
    /// Runs a plan whose steps replace or delete stateful resources (<see cref="UpgradePlan.HasStatefulChanges"/>); without
    /// it such a plan is refused with <c>platform.stateful-replacement</c> and nothing is deployed. Default false.
    /// </summary>
    public bool AllowStatefulReplacement { get; init; }
}
